"""A query reads only what the catalog's tables point at: everything else is refused, before
execution, with an Athena-style error, and the engine itself is locked down behind that."""
from __future__ import annotations

import json

import duckdb
import pyarrow as pa
import pytest

import parthenon
from parthenon.catalog.model import VIRTUAL_VIEW, Table

TABLE_FUNCTION = ("PERMISSION_DENIED: line 1:{col}: Access Denied: Table function '{name}' is not allowed: "
                  "queries may read only catalog tables")
PATH = "PERMISSION_DENIED: line 1:15: Access Denied: Cannot read '{}': only catalog tables can be queried"


@pytest.fixture
def events(con, tmp_path):
    folder = tmp_path / "events"
    folder.mkdir()
    (folder / "a.json").write_text("".join(json.dumps({"eventName": n, "n": i}) + "\n"
                                           for i, n in enumerate(["GetObject", "PutObject"])))
    con.execute("CREATE EXTERNAL TABLE events (eventname STRING, n INT) "
                f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'")
    return con


def refused(con, sql: str) -> str:
    with pytest.raises(parthenon.Error) as err:
        con.execute(sql)
    return str(err.value)


# -- reading files through the engine ------------------------------------------------------------

@pytest.mark.parametrize("sql, message", [
    ("SELECT * FROM read_csv('/etc/passwd')", TABLE_FUNCTION.format(col=15, name="read_csv")),
    ("SELECT * FROM read_csv_auto('/etc/passwd')", TABLE_FUNCTION.format(col=15, name="read_csv_auto")),
    ("SELECT * FROM read_text('/etc/passwd')", TABLE_FUNCTION.format(col=15, name="read_text")),
    ("SELECT * FROM read_blob('/etc/passwd')", TABLE_FUNCTION.format(col=15, name="read_blob")),
    ("SELECT * FROM read_json_auto('/etc/passwd')", TABLE_FUNCTION.format(col=15, name="read_json_auto")),
    ("SELECT * FROM sniff_csv('/etc/passwd')", TABLE_FUNCTION.format(col=15, name="sniff_csv")),
    ("SELECT * FROM \"read_text\"('/etc/passwd')", TABLE_FUNCTION.format(col=15, name="read_text")),
    ("FROM read_text('/etc/passwd')", TABLE_FUNCTION.format(col=6, name="read_text")),
    ("SELECT * FROM TABLE(read_text('/etc/passwd'))", TABLE_FUNCTION.format(col=15, name="read_text")),
    ("SELECT * FROM events CROSS JOIN LATERAL (SELECT * FROM read_text('/etc/passwd'))",
     TABLE_FUNCTION.format(col=56, name="read_text")),
    ("SELECT * FROM events WHERE eventname IN (SELECT content FROM read_text('/etc/passwd'))",
     TABLE_FUNCTION.format(col=62, name="read_text")),
    ("WITH read_text AS (SELECT 1 AS x) SELECT * FROM read_text('/etc/passwd')",
     TABLE_FUNCTION.format(col=49, name="read_text")),
    ("SELECT * FROM events UNION ALL SELECT * FROM read_text('/etc/passwd')",
     TABLE_FUNCTION.format(col=46, name="read_text")),
    ("SELECT * FROM query('SELECT 1')", TABLE_FUNCTION.format(col=15, name="query")),
    ("SELECT * FROM duckdb_settings()", TABLE_FUNCTION.format(col=15, name="duckdb_settings")),
    ("SELECT * FROM '/etc/passwd'", PATH.format("/etc/passwd")),
    ('SELECT * FROM "/etc/passwd"', PATH.format("/etc/passwd")),
    ("SELECT * FROM 'file:///etc/passwd'", PATH.format("file:///etc/passwd")),
    ("SELECT * FROM 's3://bucket/secret.csv'", PATH.format("s3://bucket/secret.csv")),
    ("SELECT read_text('/etc/passwd')", "FUNCTION_NOT_FOUND: line 1:8: Function 'read_text' not registered"),
    ("SELECT getenv('HOME')", "FUNCTION_NOT_FOUND: line 1:8: Function 'getenv' not registered"),
    ("SELECT current_setting('threads')",
     "FUNCTION_NOT_FOUND: line 1:8: Function 'current_setting' not registered"),
])
def test_table_functions_paths_and_engine_functions_are_refused(events, sql, message):
    assert refused(events, sql) == message


def test_glob_is_refused_before_anything_runs(con):
    # GLOB is an operator in this dialect (x GLOB pattern), so glob('/*') in FROM does not
    # even parse: refused as a syntax error, nothing is listed or read.
    assert refused(con, "SELECT * FROM glob('/*')") == \
        "SYNTAX_ERROR: line 1:25: mismatched input '<EOF>'. Expecting: <expression>"


def test_a_table_named_like_an_engine_function_is_a_catalog_lookup(con):
    assert refused(con, "SELECT * FROM read_text") == \
        "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.read_text' does not exist"
    assert refused(con, "SELECT * FROM duckdb_settings") == \
        "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.duckdb_settings' does not exist"


@pytest.mark.parametrize("sql, message", [
    # a CTE of the same name elsewhere in the statement does not hide the outer reference
    ("SELECT * FROM duckdb_databases, (WITH duckdb_databases AS (SELECT 1 AS z) "
     "SELECT z FROM duckdb_databases)",
     "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.duckdb_databases' does not exist"),
    # nor does one defined after the CTE that names it
    ("WITH a AS (SELECT * FROM duckdb_settings), duckdb_settings AS (SELECT 1 AS x) SELECT * FROM a",
     "TABLE_NOT_FOUND: line 1:26: Table 'awsdatacatalog.default.duckdb_settings' does not exist"),
    # `self` (or any name) never reaches a Python object through the engine's replacement scans
    ("SELECT * FROM self, (WITH self AS (SELECT 1 AS z) SELECT z FROM self)",
     "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.self' does not exist"),
])
def test_a_cte_shadows_nothing_outside_its_scope(con, sql, message):
    assert refused(con, sql) == message


@pytest.mark.parametrize("sql, rows", [
    ("WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT * FROM b", [(1,)]),
    ("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3) SELECT * FROM t",
     [(1,), (2,), (3,)]),
    ("WITH a AS (SELECT 2 AS y) SELECT * FROM (SELECT y FROM a) s", [(2,)]),
    ("WITH a AS (SELECT 2 AS y) SELECT * FROM a UNION ALL SELECT * FROM a", [(2,), (2,)]),
])
def test_ctes_in_scope_still_work(con, sql, rows):
    assert con.cursor().execute(sql).fetchall() == rows


def test_the_engine_has_no_python_replacement_scans(con):
    secret = pa.table({"k": ["AKIA"]})     # noqa: F841 - what a replacement scan would find
    with pytest.raises(duckdb.Error, match="does not exist"):
        con.session.engine.con.execute("SELECT * FROM secret").fetchall()


# -- statements of the engine --------------------------------------------------------------------

@pytest.mark.parametrize("sql, message", [
    ("INSTALL httpfs", "NOT_SUPPORTED: INSTALL is not supported"),
    ("LOAD httpfs", "NOT_SUPPORTED: LOAD is not supported"),
    ("LOAD 'httpfs'", "NOT_SUPPORTED: LOAD is not supported"),
    ("PRAGMA version", "NOT_SUPPORTED: PRAGMA is not supported"),
    ("PRAGMA database_list", "NOT_SUPPORTED: PRAGMA is not supported"),
    ("SET threads = 1", "NOT_SUPPORTED: SET is not supported"),
    ("SET enable_external_access = true", "NOT_SUPPORTED: SET is not supported"),
    ("SET SESSION query_max_run_time = '1h'", "NOT_SUPPORTED: SET is not supported"),
    ("RESET threads", "NOT_SUPPORTED: RESET is not supported"),
    ("CALL pragma_version()", "NOT_SUPPORTED: CALL is not supported"),
    ("CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')", "NOT_SUPPORTED: CREATE SECRET is not supported"),
    ("DETACH x", "NOT_SUPPORTED: DETACH is not supported"),
    ("CHECKPOINT", "NOT_SUPPORTED: CHECKPOINT is not supported"),
    ("COPY events FROM '/etc/passwd'", "NOT_SUPPORTED: COPY is not supported"),
    ("SELECT 1; ATTACH '/tmp/x.db' AS x", "SYNTAX_ERROR: line 1:18: mismatched input ''/tmp/x.db''"),
    ("SELECT 1; SELECT 2", "SYNTAX_ERROR: line 1:1: only one statement is allowed here"),
])
def test_engine_statements_are_refused(events, sql, message):
    assert refused(events, sql) == message


def test_copy_writes_nothing(events, tmp_path):
    for target in ("out.csv", "out.parquet"):
        path = tmp_path / target
        assert refused(events, f"COPY (SELECT * FROM events) TO '{path}'") == "NOT_SUPPORTED: COPY is not supported"
        assert refused(events, f"COPY events TO '{path}'") == "NOT_SUPPORTED: COPY is not supported"
        assert not path.exists()


def test_attach_creates_nothing(con, tmp_path):
    path = tmp_path / "x.db"
    assert refused(con, f"ATTACH '{path}' AS x") == f"SYNTAX_ERROR: line 1:8: mismatched input ''{path}''"
    assert refused(con, f"ATTACH DATABASE '{path}' AS x").startswith("SYNTAX_ERROR: line 1:")
    assert not path.exists()


def test_export_and_import_database_write_and_read_nothing(con, tmp_path):
    path = tmp_path / "export"
    assert refused(con, f"EXPORT DATABASE '{path}'") == f"SYNTAX_ERROR: line 1:17: mismatched input ''{path}''"
    assert not path.exists()
    path.mkdir()
    (path / "schema.sql").write_text("CREATE TABLE pwned AS SELECT 1;")
    assert refused(con, f"IMPORT DATABASE '{path}'") == f"SYNTAX_ERROR: line 1:17: mismatched input ''{path}''"
    assert refused(con, "SELECT * FROM pwned") == \
        "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.pwned' does not exist"


def test_refused_settings_and_extensions_change_nothing(con):
    engine = con.session.engine.con
    threads = engine.execute("SELECT current_setting('threads')").fetchone()
    for sql in ("SET threads = 1", "INSTALL httpfs", "LOAD httpfs", "PRAGMA threads=1"):
        with pytest.raises(parthenon.Error):
            con.execute(sql)
    assert engine.execute("SELECT current_setting('threads')").fetchone() == threads
    assert engine.execute("SELECT current_setting('lock_configuration')").fetchone() == (True,)


def test_parameters_cannot_smuggle_statements(events, tmp_path):
    target = tmp_path / "leak.csv"
    cur = events.cursor()
    evil = f"x'); COPY (SELECT 1) TO '{target}'; --"
    cur.execute("SELECT count(*) FROM events WHERE eventname = ?", [evil])
    assert cur.fetchall() == [(0,)]
    cur.execute("SELECT count(*) FROM events WHERE eventname = %(name)s", {"name": "' OR '1'='1"})
    assert cur.fetchall() == [(0,)]
    assert not target.exists()


# -- views cannot carry what a query may not ----------------------------------------------------

def test_create_view_over_a_table_function_is_refused(con):
    # Athena analyses a view's query when it is created: what could not run is not stored.
    assert refused(con, "CREATE VIEW leak AS SELECT * FROM read_text('/etc/passwd')") == \
        TABLE_FUNCTION.format(col=35, name="read_text")
    assert refused(con, "CREATE VIEW settings AS SELECT current_setting('threads') AS t") == \
        "FUNCTION_NOT_FOUND: line 1:32: Function 'current_setting' not registered"
    assert con.execute("SHOW VIEWS").fetchall() == []


def test_create_view_over_an_unknown_table_is_refused(con):
    assert refused(con, "CREATE VIEW v AS SELECT * FROM nosuch") == \
        "TABLE_NOT_FOUND: line 1:32: Table 'awsdatacatalog.default.nosuch' does not exist"
    assert con.execute("SHOW VIEWS").fetchall() == []


@pytest.mark.parametrize("view_sql, name", [
    ("SELECT * FROM read_text('/etc/passwd')", "read_text"),
    ("SELECT current_setting('threads') AS t", "current_setting"),
    ("SELECT * FROM query('SELECT 42')", "query"),
])
def test_a_stored_view_is_checked_like_a_query(con, view_sql, name):
    """A view already in the catalog (written by an older version, or by hand) gains nothing."""
    con.session.store.put_table(Table(database="default", name="leak", columns=[],
                                      table_type=VIRTUAL_VIEW, view_sql=view_sql))
    message = refused(con, "SELECT * FROM leak")
    assert message.startswith(("PERMISSION_DENIED: ", "FUNCTION_NOT_FOUND: ")), message
    assert f"'{name}'" in message


# -- the engine behind the guard -----------------------------------------------------------------

@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "COPY (SELECT 1) TO '{tmp}/engine-copy.csv'",
    "ATTACH '{tmp}/engine.db' AS x",
    "INSTALL httpfs",
])
def test_engine_cannot_reach_local_files_even_without_the_guard(con, tmp_path, sql):
    with pytest.raises(duckdb.Error, match="disabled by configuration|has been disabled"):
        con.session.engine.con.execute(sql.format(tmp=tmp_path))
    assert not (tmp_path / "engine-copy.csv").exists() and not (tmp_path / "engine.db").exists()


def test_the_spill_folder_is_no_way_out(con, tmp_path):
    """The engine may open its spill folder and nothing else: not through `..`, not
    through a symlink planted inside it."""
    spill = con.session.engine.spill
    assert spill is not None and spill.is_dir()
    (spill / "link").symlink_to("/etc/passwd")
    for path in (f"{spill}/../../catalog.db", f"{spill}/link", "/etc/passwd"):
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            con.session.engine.con.execute(f"SELECT * FROM read_text('{path}')")


@pytest.mark.parametrize("setting", ["disabled_filesystems = ''", "enable_external_access = true",
                                     "lock_configuration = false", "autoinstall_known_extensions = true",
                                     "allowed_directories = ['/']", "memory_limit = '100GB'",
                                     "temp_directory = '/tmp'", "threads = 64"])
def test_engine_configuration_is_locked(con, setting):
    with pytest.raises(duckdb.Error, match="configuration has been locked"):
        con.session.engine.con.execute(f"SET {setting}")


# -- and what should work still does --------------------------------------------------------------

def test_queries_on_catalog_tables_still_work(events):
    cur = events.cursor()
    cur.execute("SELECT eventname FROM events ORDER BY n")
    assert cur.fetchall() == [("GetObject",), ("PutObject",)]
    cur.execute("WITH e AS (SELECT * FROM events) SELECT count(*) FROM e JOIN events USING (n)")
    assert cur.fetchall() == [(2,)]
    cur.execute("SELECT x FROM UNNEST(ARRAY['a', 'b']) AS t(x) ORDER BY x")
    assert cur.fetchall() == [("a",), ("b",)]
    cur.execute("CREATE VIEW puts AS SELECT eventname FROM events WHERE eventname LIKE 'Put%'")
    cur.execute("SELECT * FROM default.puts")
    assert cur.fetchall() == [("PutObject",)]
    assert cur.data_scanned_in_bytes > 0


# -- bad input: clear Athena-style messages, nothing half-done ----------------------------------

SERDE = "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'"


@pytest.mark.parametrize("location", ["http://example.com/logs/", "s3://", "relative/path/", "ftp://host/x/"])
def test_bad_location_is_refused_and_creates_nothing(con, location):
    assert refused(con, f"CREATE EXTERNAL TABLE t (a INT) {SERDE} LOCATION '{location}'") == (
        f"HIVE_INVALID_METADATA: Invalid location '{location}': "
        "use s3://bucket/prefix/, file:///abs/path/ or an absolute path")
    assert con.execute("SHOW TABLES").fetchall() == []


def test_bad_partition_location_adds_nothing(con, tmp_path):
    con.execute(f"CREATE EXTERNAL TABLE t (a INT) PARTITIONED BY (dt STRING) {SERDE} LOCATION '{tmp_path}/t/'")
    assert refused(con, f"ALTER TABLE t ADD PARTITION (dt='1') LOCATION '{tmp_path}/t/1/' "
                        "PARTITION (dt='2') LOCATION 'ftp://x/'") == (
        "HIVE_INVALID_METADATA: Invalid location 'ftp://x/': "
        "use s3://bucket/prefix/, file:///abs/path/ or an absolute path")
    assert con.execute("SHOW PARTITIONS t").fetchall() == []


def test_missing_folder_is_an_empty_table(con, tmp_path):
    # Athena: an empty or missing S3 prefix is a table with no rows, not an error.
    con.execute(f"CREATE EXTERNAL TABLE t (a INT) {SERDE} LOCATION '{tmp_path}/nothing/here/'")
    assert con.execute("SELECT count(*) FROM t").fetchall() == [(0,)]


def test_unknown_column_and_partition_key(con, tmp_path):
    con.execute(f"CREATE EXTERNAL TABLE t (a INT) PARTITIONED BY (dt STRING) {SERDE} LOCATION '{tmp_path}/t/'")
    assert refused(con, "SELECT a FROM t WHERE nosuch = 'x'") == \
        "COLUMN_NOT_FOUND: line 1:23: Column 'nosuch' cannot be resolved"
    assert refused(con, "ALTER TABLE t ADD PARTITION (day='1')") == (
        "INVALID_DDL: line 1:30: Partition spec {day=1} contains non-partition column 'day': "
        "the partition columns of default.t are (dt)")


def test_corrupt_gzip_object_in_a_json_table_is_bad_data_naming_it(con, tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    broken = folder / "x.json.gz"
    broken.write_bytes(b"\x1f\x8bnot really gzip")
    con.execute(f"CREATE EXTERNAL TABLE t (a INT) {SERDE} LOCATION '{folder}/'")
    assert refused(con, "SELECT count(*) FROM t").startswith(f"HIVE_BAD_DATA: Error reading {broken}: ")
