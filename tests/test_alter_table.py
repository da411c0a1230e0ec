"""ALTER TABLE through the DB-API and the CLI, over real files: columns, location, properties,
partitions, and Athena's errors for bad input.  The boto3 test is in test_server_boto3.py.

Queries read the new schema over the old files as Athena does: Parquet and JSON map columns
by name (a renamed column reads NULL from files written before), text files by position.
"""
from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import parthenon

from test_cli import ok, parthenon as cli

JSON_SERDE = "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'"


def refused(con, sql: str) -> str:
    with pytest.raises(parthenon.Error) as err:
        con.execute(sql)
    return str(err.value)


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def describe(con, table: str) -> list[tuple[str, str, str]]:
    """DESCRIBE's rows as (name, type, comment), the padding stripped."""
    return [tuple(field.strip() for field in row) for row in rows(con, f"DESCRIBE {table}")]


@pytest.fixture
def orders(con, tmp_path):
    """A Parquet table over one file written before any change: (id int, area string)."""
    folder = tmp_path / "orders"
    folder.mkdir()
    pq.write_table(pa.table({"id": pa.array([1, 2], pa.int32()), "area": ["north", "south"]}),
                   folder / "old.parquet")
    con.execute(f"CREATE EXTERNAL TABLE orders (id INT, area STRING) STORED AS PARQUET "
                f"LOCATION '{folder}/'")
    return folder


@pytest.fixture
def csv_table(con, tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "a.csv").write_text("1,x\n2,y\n")
    con.execute("CREATE EXTERNAL TABLE names (id INT, name STRING) ROW FORMAT DELIMITED "
                f"FIELDS TERMINATED BY ',' LOCATION '{folder}/'")
    return folder


@pytest.fixture
def logs(con, tmp_path):
    """A JSON table partitioned by day, with two registered partitions."""
    root = tmp_path / "logs"
    for day, names in (("1", ["a", "b"]), ("2", ["c"])):
        (root / f"day={day}").mkdir(parents=True)
        (root / f"day={day}" / "part.json").write_text(
            "".join(json.dumps({"name": n, "n": i}) + "\n" for i, n in enumerate(names)))
    con.execute(f"CREATE EXTERNAL TABLE logs (name STRING, n INT) PARTITIONED BY (day STRING) "
                f"{JSON_SERDE} LOCATION '{root}/'")
    con.execute("ALTER TABLE logs ADD PARTITION (day='1') PARTITION (day='2')")
    return root


# -- columns -------------------------------------------------------------------------------------

def test_add_columns_reads_null_from_old_files_and_values_from_new_ones(con, orders):
    con.execute("ALTER TABLE orders ADD COLUMNS (total bigint COMMENT 'in cents', tags array<string>)")
    assert describe(con, "orders") == [("id", "int", ""), ("area", "string", ""),
                                       ("total", "bigint", "in cents"), ("tags", "array<string>", "")]
    pq.write_table(pa.table({"id": pa.array([3], pa.int32()), "area": ["east"],
                             "total": pa.array([700], pa.int64()), "tags": [["x", "y"]]}),
                   orders / "new.parquet")
    assert rows(con, "SELECT id, area, total, tags FROM orders ORDER BY id") == [
        (1, "north", None, None), (2, "south", None, None), (3, "east", 700, ["x", "y"])]
    assert rows(con, "SHOW CREATE TABLE orders")[:6] == [
        ("CREATE EXTERNAL TABLE `orders`(",), ("  `id` int, ",), ("  `area` string, ",),
        ("  `total` bigint COMMENT 'in cents', ",), ("  `tags` array<string>)",), ("ROW FORMAT SERDE ",)]


def test_add_columns_goes_before_the_partition_columns(con, logs):
    con.execute("ALTER TABLE logs ADD COLUMNS (level string)")
    assert [c[0] for c in describe(con, "logs")[:4]] == ["name", "n", "level", "day"]
    assert rows(con, "SELECT * FROM logs ORDER BY name") == [
        ("a", 0, None, "1"), ("b", 1, None, "1"), ("c", 0, None, "2")]


def test_change_column_renames_retypes_and_moves(con, orders):
    con.execute("ALTER TABLE orders CHANGE COLUMN area zone string COMMENT 'renamed' FIRST")
    assert describe(con, "orders") == [("zone", "string", "renamed"), ("id", "int", "")]
    # Parquet maps columns by name: the old files have no "zone".
    assert rows(con, "SELECT zone, id FROM orders ORDER BY id") == [(None, 1), (None, 2)]
    con.execute("ALTER TABLE orders CHANGE zone area string AFTER id")
    con.execute("ALTER TABLE orders CHANGE id id bigint")
    assert describe(con, "orders") == [("id", "bigint", ""), ("area", "string", "")]
    assert con.execute("SELECT * FROM orders ORDER BY id").fetchall() == [(1, "north"), (2, "south")]
    assert [d[1] for d in con.execute("SELECT * FROM orders").description] == ["bigint", "varchar"]


def test_text_tables_read_by_position(con, csv_table):
    con.execute("ALTER TABLE names CHANGE name label string")
    con.execute("ALTER TABLE names ADD COLUMNS (extra string)")
    assert rows(con, "SELECT id, label, extra FROM names ORDER BY id") == [(1, "x", None), (2, "y", None)]
    con.execute("ALTER TABLE names REPLACE COLUMNS (k int)")
    assert describe(con, "names") == [("k", "int", "")]
    assert rows(con, "SELECT * FROM names ORDER BY k") == [(1,), (2,)]


def test_json_tables_read_by_name(con, logs):
    con.execute("ALTER TABLE logs CHANGE n count int")
    assert rows(con, "SELECT name, count FROM logs ORDER BY name") == [("a", None), ("b", None), ("c", None)]
    con.execute("ALTER TABLE logs CHANGE count n int")
    assert rows(con, "SELECT name, n FROM logs ORDER BY name") == [("a", 0), ("b", 1), ("c", 0)]


@pytest.mark.parametrize("sql, message", [
    ("ALTER TABLE logs ADD COLUMNS (extra string, name int)", "INVALID_DDL: Duplicate column name: name"),
    ("ALTER TABLE logs ADD COLUMNS (day string)",
     "INVALID_DDL: Column repeated in partitioning columns: day"),
    ("ALTER TABLE logs CHANGE nope other string", "INVALID_DDL: Invalid column reference nope"),
    ("ALTER TABLE logs CHANGE day other string",
     "INVALID_DDL: Invalid column reference day (a partition column cannot be changed)"),
    ("ALTER TABLE logs CHANGE n name int", "INVALID_DDL: Duplicate column name: name"),
    ("ALTER TABLE logs CHANGE n n int AFTER nope", "INVALID_DDL: Invalid column reference nope"),
    ("ALTER TABLE logs REPLACE COLUMNS (a string)",
     "INVALID_DDL: Replace columns is not supported for table default.logs. SerDe may be "
     "incompatible (org.openx.data.jsonserde.JsonSerDe)"),
    ("ALTER TABLE logs ADD COLUMNS (x int,\n  y nosuch)",
     "SYNTAX_ERROR: line 2:5: mismatched input 'nosuch'. Expecting: ')'"),
    ("ALTER TABLE logs CHANGE n m nosuch<int>",
     "SYNTAX_ERROR: line 1:29: mismatched input 'nosuch'. Expecting: ')'"),
    ("ALTER TABLE logs ADD COLUMNS (x int", "SYNTAX_ERROR: line 1:36: mismatched input '<EOF>'. "
                                            "Expecting: ')'"),
    ("ALTER TABLE logs ADD COLUMNS ()",
     "SYNTAX_ERROR: line 1:30: mismatched input '('. Expecting: a column definition"),
    ("ALTER TABLE logs PARTITION (day='1') ADD COLUMNS (x int)",
     "NOT_SUPPORTED: ALTER TABLE PARTITION (...) ADD COLUMNS is not supported: Parthenon's "
     "partitions have no schema of their own, they read with the table's columns "
     "(alter the table instead)"),
    ("ALTER TABLE nope ADD COLUMNS (x int)", "TABLE_NOT_FOUND: Table 'default.nope' does not exist"),
    ("ALTER TABLE nodb.logs ADD COLUMNS (x int)", "SCHEMA_NOT_FOUND: Schema 'nodb' does not exist"),
])
def test_bad_column_changes_are_refused_and_change_nothing(con, logs, sql, message):
    before = describe(con, "logs"), rows(con, "SHOW CREATE TABLE logs")
    assert refused(con, sql) == message
    assert (describe(con, "logs"), rows(con, "SHOW CREATE TABLE logs")) == before


def test_a_view_is_not_altered_as_a_table(con, logs):
    con.execute("CREATE VIEW v AS SELECT name FROM logs")
    assert refused(con, "ALTER TABLE v ADD COLUMNS (x int)") == (
        "INVALID_DDL: default.v is a view: ALTER TABLE cannot change a view's columns "
        "(use CREATE OR REPLACE VIEW)")
    assert refused(con, "ALTER TABLE v SET LOCATION 's3://b/x/'") == \
        "INVALID_DDL: default.v is a view: views have no location"


# -- location and properties ------------------------------------------------------------------------

def test_set_location_reads_the_new_folder_and_keeps_partition_locations(con, orders, logs, tmp_path):
    moved = tmp_path / "moved"
    moved.mkdir()
    pq.write_table(pa.table({"id": pa.array([9], pa.int32()), "area": ["west"]}), moved / "x.parquet")
    con.execute(f"ALTER TABLE orders SET LOCATION '{moved}/'")
    assert rows(con, "SELECT * FROM orders") == [(9, "west")]
    assert ("Location:           ", f"{moved}/") in [
        row[:2] for row in rows(con, "DESCRIBE FORMATTED orders")]
    con.execute(f"ALTER TABLE logs SET LOCATION '{tmp_path}/elsewhere/'")
    assert rows(con, "SELECT count(*) FROM logs") == [(3,)]   # registered partitions keep theirs
    assert refused(con, "ALTER TABLE orders SET LOCATION 'ftp://x/'") == (
        "HIVE_INVALID_METADATA: Invalid location 'ftp://x/': "
        "use s3://bucket/prefix/, file:///abs/path/ or an absolute path")


def test_set_tblproperties_widens_a_projection_range(con, tmp_path):
    root = tmp_path / "proj"
    for hour in (1, 2, 3):
        (root / f"hour={hour}").mkdir(parents=True)
        (root / f"hour={hour}" / "a.json").write_text(json.dumps({"v": f"h{hour}"}) + "\n")
    con.execute(f"""CREATE EXTERNAL TABLE proj (v STRING) PARTITIONED BY (hour INT) {JSON_SERDE}
        LOCATION '{root}/' TBLPROPERTIES ('projection.enabled'='true',
        'projection.hour.type'='integer', 'projection.hour.range'='1,2')""")
    assert rows(con, "SELECT v FROM proj ORDER BY v") == [("h1",), ("h2",)]
    con.execute("ALTER TABLE proj SET TBLPROPERTIES ('projection.hour.range'='1,3', 'owner'='ops')")
    assert rows(con, "SELECT v FROM proj ORDER BY v") == [("h1",), ("h2",), ("h3",)]
    assert rows(con, "SHOW TBLPROPERTIES proj ('projection.hour.range')") == [("1,3",)]
    assert ("  'owner'='ops', ",) in rows(con, "SHOW CREATE TABLE proj")


# -- partitions ----------------------------------------------------------------------------------

def test_partition_set_location(con, logs, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "p.json").write_text(json.dumps({"name": "z", "n": 5}) + "\n")
    con.execute(f"ALTER TABLE logs PARTITION (day='2') SET LOCATION '{other}/'")
    assert rows(con, "SELECT name, n, day FROM logs ORDER BY name") == [
        ("a", 0, "1"), ("b", 1, "1"), ("z", 5, "2")]
    assert rows(con, "SHOW PARTITIONS logs") == [("day=1",), ("day=2",)]
    assert refused(con, "ALTER TABLE logs PARTITION (day='9') SET LOCATION 's3://b/x/'") == \
        "INVALID_DDL: Partition not found: default.logs {day=9}"
    assert refused(con, "ALTER TABLE logs PARTITION (dy='2') SET LOCATION 's3://b/x/'") == (
        "INVALID_DDL: line 1:29: Partition spec {dy=2} contains non-partition column 'dy': "
        "the partition columns of default.logs are (day)")


def test_rename_partition_keeps_its_files(con, logs):
    con.execute("ALTER TABLE logs PARTITION (day='2') RENAME TO PARTITION (day='3')")
    assert rows(con, "SHOW PARTITIONS logs") == [("day=1",), ("day=3",)]
    assert rows(con, "SELECT name, day FROM logs ORDER BY name") == [("a", "1"), ("b", "1"), ("c", "3")]
    assert refused(con, "ALTER TABLE logs PARTITION (day='3') RENAME TO PARTITION (day='1')") == \
        "ALREADY_EXISTS: Partition already exists: default.logs {day=1}"
    assert refused(con, "ALTER TABLE logs PARTITION (day='7') RENAME TO PARTITION (day='8')") == \
        "INVALID_DDL: Partition not found: default.logs {day=7}"
    assert rows(con, "SHOW PARTITIONS logs") == [("day=1",), ("day=3",)]


def test_drop_several_partitions_at_once(con, logs):
    con.execute("ALTER TABLE logs ADD PARTITION (day='3')")
    assert refused(con, "ALTER TABLE logs DROP PARTITION (day='1'), PARTITION (day='9')") == \
        "INVALID_DDL: Partition not found: default.logs {day=9}"
    assert rows(con, "SHOW PARTITIONS logs") == [("day=1",), ("day=2",), ("day=3",)]
    con.execute("ALTER TABLE logs DROP IF EXISTS PARTITION (day='1'), PARTITION (day='9'), "
                "PARTITION (day='3')")
    assert rows(con, "SHOW PARTITIONS logs") == [("day=2",)]
    assert rows(con, "SELECT name FROM logs") == [("c",)]


def test_drop_table_keeps_the_data_files(con, orders, logs):
    con.execute("DROP TABLE orders")
    con.execute("DROP TABLE logs")
    assert sorted(p.name for p in orders.iterdir()) == ["old.parquet"]
    assert sorted(str(p.relative_to(logs)) for p in logs.rglob("*.json")) == [
        "day=1/part.json", "day=2/part.json"]
    assert rows(con, "SHOW TABLES") == []


# -- the CLI -------------------------------------------------------------------------------------

def test_cli_alters_and_describes(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.json").write_text('{"a": 1, "b": "x"}\n')
    ok("query", f"CREATE EXTERNAL TABLE t (a INT) {JSON_SERDE} LOCATION '{folder}/'")
    assert ok("query", "ALTER TABLE t ADD COLUMNS (b STRING)").splitlines()[0] == \
        "Added 1 column to default.t"
    assert ok("query", "--format", "csv", "SELECT a, b FROM t") == '"a","b"\n"1","x"\n'
    proc = cli("query", "ALTER TABLE t PARTITION (d='1') SET LOCATION 's3://b/x/'")
    assert proc.returncode != 0
    assert proc.stderr.strip() == \
        "INVALID_DDL: Table default.t is not partitioned but partition spec exists: {d=1}"
