"""CTAS, INSERT INTO and UNLOAD through the DB-API: files, catalog, manifest, errors.

Every format is written and read back with exact rows and types; the files are read
again without Parthenon (DuckDB and pyarrow directly); bad input fails with
Athena's error and leaves no table, no partition and no file behind.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from conftest import CLOUDTRAIL_DDL
from test_cloudtrail import add_partitions, write_trail

# One row of every Hive type, one of NULLs; p is the partition column.
SOURCE = """SELECT * FROM (VALUES
 (1, CAST(10 AS BIGINT), 1.5E0, 'a,b' || chr(9) || 'c\\d' || chr(10) || 'e', true,
  DATE '2024-02-29', TIMESTAMP '2024-01-02 03:04:05.678', CAST(12.34 AS DECIMAL(10,2)),
  ARRAY['x', 'y'], MAP(ARRAY['k'], ARRAY[1]), CAST(ROW(1, 'r') AS ROW(f1 INTEGER, f2 VARCHAR)),
  'p1'),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'p2'))
 AS t(i, b, d, s, bo, dt, ts, m, arr, mp, st, p)"""
FORMATS = ["PARQUET", "ORC", "AVRO", "JSON", "TEXTFILE"]


def results_dir(home: Path) -> Path:
    return home / "query-results"


def visible_files(root: Path) -> list[str]:
    """Files a table would present: no '_' or '.' names anywhere on the path."""
    out = []
    for path in sorted(root.rglob("*")) if root.exists() else []:
        rel = path.relative_to(root)
        if path.is_file() and not any(part[:1] in "_." for part in rel.parts):
            out.append(str(rel))
    return out


def nothing_left(home: Path, location: Path | None = None) -> None:
    assert not list((home / "writes").glob("*.json")) if (home / "writes").exists() else True
    assert not (home / "staging").exists() or not any((home / "staging").iterdir())
    tables = results_dir(home) / "tables"
    assert not tables.exists() or not any(tables.rglob("*")), list(tables.rglob("*"))
    if location is not None:
        assert not location.exists() or not any(location.rglob("*")), list(location.rglob("*"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_ctas_reads_back_exactly_in_every_format(con, parthenon_home, fmt):
    cur = con.cursor()
    cur.execute(SOURCE)
    # the table's columns are Hive types: Trino's varchar(2) and timestamp(3) of the
    # query's literals are string and timestamp columns, read back as varchar, timestamp
    expected, types = cur.fetchall(), [(d[0], re.sub(r"^(varchar|timestamp)\(\d+\)$", r"\1", d[1]))
                                       for d in cur.description]
    cur.execute(f"CREATE TABLE t WITH (format = '{fmt}', partitioned_by = ARRAY['p']) AS {SOURCE}")
    assert cur.rowcount == 2 and cur.description is None
    cur.execute("SELECT * FROM t ORDER BY i")
    assert cur.fetchall() == expected
    assert [d[:2] for d in cur.description] == types
    cur.execute("SHOW PARTITIONS t")
    assert cur.fetchall() == [("p=p1",), ("p=p2",)]


def test_ctas_parquet_registers_what_athena_registers(con, parthenon_home):
    cur = con.cursor()
    cur.execute("CREATE TABLE events WITH (partitioned_by = ARRAY['day']) AS "
                "SELECT x AS n, 'e' || CAST(x AS varchar) AS name, CAST(x % 2 AS varchar) AS day "
                "FROM UNNEST(sequence(1, 5)) AS u(x)")
    assert cur.rowcount == 5
    table = con.session.store.get_table("default", "events")
    location = table.location
    assert location.startswith(str(results_dir(parthenon_home) / "tables") + "/")
    cur.execute("SHOW CREATE TABLE events")
    assert [r[0] for r in cur.fetchall()] == [
        "CREATE EXTERNAL TABLE `events`(",
        "  `n` bigint, ",
        "  `name` string)",
        "PARTITIONED BY ( ",
        "  `day` string)",
        "ROW FORMAT SERDE ",
        "  'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' ",
        "STORED AS INPUTFORMAT ",
        "  'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat' ",
        "OUTPUTFORMAT ",
        "  'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'",
        "LOCATION",
        f"  '{location}'",
        "TBLPROPERTIES (",
        "  'has_encrypted_data'='false', ",
        "  'parquet.compression'='GZIP', ",
        f"  'transient_lastDdlTime'='{int(table.created_at)}')"]
    qid = Path(location).name
    files = visible_files(Path(location))
    assert files == [f"day=0/{qid}_00000.parquet", f"day=1/{qid}_00000.parquet"]
    manifest = results_dir(parthenon_home) / f"{qid}-manifest.csv"
    assert manifest.read_text() == "".join(f"{location}/{f}\n" for f in files)
    # standard files and layout: DuckDB and pyarrow read them without Parthenon
    rows = duckdb.sql(f"SELECT n, name, day FROM read_parquet('{location}/*/*.parquet', "
                      "hive_partitioning = true, hive_types = {'day': VARCHAR}) ORDER BY n").fetchall()
    assert rows == [(1, "e1", "1"), (2, "e2", "0"), (3, "e3", "1"), (4, "e4", "0"), (5, "e5", "1")]
    dataset = ds.dataset(location, format="parquet", partitioning="hive")
    assert sorted(dataset.to_table().to_pylist(), key=lambda r: r["n"])[0] == \
        {"n": 1, "name": "e1", "day": 1}
    assert not (Path(location) / "_parthenon_staging").exists()
    assert not list((parthenon_home / "writes").glob("*.json"))


def test_ctas_with_no_data_external_location_and_compression(con, tmp_path):
    cur = con.cursor()
    target = tmp_path / "out"
    cur.execute(f"CREATE TABLE e WITH (format = 'JSON', write_compression = 'NONE', "
                f"external_location = '{target}/') AS SELECT 1 AS a WITH NO DATA")
    assert cur.rowcount == 0
    cur.execute("SELECT * FROM e")
    assert cur.fetchall() == [] and [d[:2] for d in cur.description] == [("a", "integer")]
    cur.execute("INSERT INTO e VALUES (7), (8)")
    assert cur.rowcount == 2
    files = visible_files(target)
    assert len(files) == 1 and files[0].endswith("_00000.json")
    assert (target / files[0]).read_text() == '{"a":7}\n{"a":8}\n'
    cur.execute("CREATE TABLE IF NOT EXISTS e AS SELECT 2 AS a")
    assert cur.rowcount == 0
    cur.execute("SELECT a FROM e ORDER BY a")
    assert cur.fetchall() == [(7,), (8,)]


def test_text_table_uses_the_field_delimiter(con, tmp_path):
    cur = con.cursor()
    cur.execute(f"CREATE TABLE csvish WITH (format = 'TEXTFILE', field_delimiter = ',', "
                f"write_compression = 'NONE', external_location = '{tmp_path}/t') AS "
                "SELECT 1 AS a, 'x,y' AS b, CAST(NULL AS varchar) AS c")
    [name] = visible_files(tmp_path / "t")
    assert (tmp_path / "t" / name).read_text() == "1,x\\,y,\\N\n"
    cur.execute("SELECT * FROM csvish")
    assert cur.fetchall() == [(1, "x,y", None)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_insert_into_adds_files_and_partitions(con, tmp_path, fmt):
    cur = con.cursor()
    cur.execute(f"CREATE TABLE t WITH (format = '{fmt}', partitioned_by = ARRAY['day'], "
                f"external_location = '{tmp_path}/t/') AS SELECT 1 AS id, 'a' AS v, '01' AS day")
    before = {f: (tmp_path / "t" / f).read_bytes() for f in visible_files(tmp_path / "t")}
    cur.execute("INSERT INTO t SELECT 2, 'b', '01' UNION ALL SELECT 3, 'c', '02'")
    assert cur.rowcount == 2
    cur.execute("INSERT INTO t (day, id) VALUES ('03', 4)")
    assert cur.rowcount == 1
    cur.execute("SELECT id, v, day FROM t ORDER BY id")
    assert cur.fetchall() == [(1, "a", "01"), (2, "b", "01"), (3, "c", "02"), (4, None, "03")]
    cur.execute("SHOW PARTITIONS t")
    assert cur.fetchall() == [("day=01",), ("day=02",), ("day=03",)]
    after = visible_files(tmp_path / "t")
    assert len(after) == 4 and all((tmp_path / "t" / f).read_bytes() == b for f, b in before.items())


def test_insert_into_a_table_made_with_ddl(con, tmp_path):
    cur = con.cursor()
    cur.execute(f"CREATE EXTERNAL TABLE logs (ts timestamp, msg string) PARTITIONED BY (dt string) "
                f"ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LOCATION '{tmp_path}/logs/'")
    (tmp_path / "logs" / "dt=2024-01-01").mkdir(parents=True)
    (tmp_path / "logs" / "dt=2024-01-01" / "old.txt").write_text("2024-01-01 00:00:00\told\n")
    cur.execute(f"ALTER TABLE logs ADD PARTITION (dt='2024-01-01') "
                f"LOCATION '{tmp_path}/logs/dt=2024-01-01/'")
    cur.execute("INSERT INTO logs VALUES (TIMESTAMP '2024-01-01 12:00:00', 'new', '2024-01-01'), "
                "(TIMESTAMP '2024-01-02 00:00:01', 'next', '2024-01-02')")
    cur.execute("SELECT ts, msg, dt FROM logs ORDER BY ts")
    import datetime
    assert cur.fetchall() == [
        (datetime.datetime(2024, 1, 1), "old", "2024-01-01"),
        (datetime.datetime(2024, 1, 1, 12), "new", "2024-01-01"),
        (datetime.datetime(2024, 1, 2, 0, 0, 1), "next", "2024-01-02")]
    assert (tmp_path / "logs" / "dt=2024-01-01" / "old.txt").read_text() == "2024-01-01 00:00:00\told\n"
    cur.execute("SHOW PARTITIONS logs")
    assert cur.fetchall() == [("dt=2024-01-01",), ("dt=2024-01-02",)]


def test_insert_into_a_projected_table_follows_its_location_template(con, tmp_path):
    """Partition projection reads `storage.location.template`: INSERT INTO writes there
    (not `k=v/`), registers no partition, and the rows come back through projection."""
    cur = con.cursor()
    cur.execute(f"""CREATE EXTERNAL TABLE flows (msg string) PARTITIONED BY (day string, hour int)
        STORED AS PARQUET LOCATION '{tmp_path}/flows/'
        TBLPROPERTIES ('projection.enabled' = 'true', 'projection.day.type' = 'date',
          'projection.day.format' = 'yyyy/MM/dd', 'projection.day.range' = '2024/01/01,2024/12/31',
          'projection.hour.type' = 'integer', 'projection.hour.range' = '0,23',
          'projection.hour.digits' = '2',
          'storage.location.template' = '{tmp_path}/flows/${{day}}/${{hour}}/')""")
    cur.execute("INSERT INTO flows VALUES ('a', '2024/03/05', 7), ('b', '2024/03/05', 7), "
                "('c', '2024/03/06', 23)")
    assert cur.rowcount == 3
    files = visible_files(tmp_path / "flows")
    assert [f.rsplit("/", 1)[0] for f in files] == ["2024/03/05/07", "2024/03/06/23"]
    assert all(f.endswith(".parquet") for f in files)
    cur.execute("SHOW PARTITIONS flows")
    assert cur.fetchall() == []
    cur.execute("SELECT msg, day, hour FROM flows WHERE day = '2024/03/05' ORDER BY msg")
    assert cur.fetchall() == [("a", "2024/03/05", 7), ("b", "2024/03/05", 7)]
    cur.execute("SELECT msg FROM flows WHERE day >= '2024/03/01' AND hour = 23")
    assert cur.fetchall() == [("c",)]
    # a value projection cannot produce is refused before anything is written
    with pytest.raises(Exception) as e:
        cur.execute("INSERT INTO flows VALUES ('z', '2025/01/01', 1)")
    assert str(e.value) == ("HIVE_INVALID_PARTITION_VALUE: Invalid partition value for table "
                            "default.flows: day='2025/01/01' is outside its partition projection "
                            "(projection.day.*), so it could not be read back")
    assert visible_files(tmp_path / "flows") == files


def test_the_bootstrap_ctas_to_orc_and_an_insert(con, tmp_path):
    """The AWS security analytics bootstrap's CloudTrail -> ORC CTAS, then a daily INSERT."""
    cur = con.cursor()
    write_trail(tmp_path)
    location = f"{tmp_path}/AWSLogs/123456789012/CloudTrail/"
    cur.execute(CLOUDTRAIL_DDL.format(location=location))
    add_partitions(cur, location)
    select = """SELECT eventversion, useridentity, eventtime, eventsource, eventname,
        sourceipaddress, useragent, errorcode, requestparameters, resources, readonly,
        recipientaccountid, '123456789012' AS account, region, year, month, day
      FROM cloudtrail_logs"""
    cur.execute(f"""CREATE TABLE cloudtrail_orc WITH (format = 'ORC', orc_compression = 'SNAPPY',
        partitioned_by = ARRAY['account','region','year','month','day'],
        external_location = '{tmp_path}/orc/') AS {select} WHERE day = '15'""")
    assert cur.rowcount == 8
    cur.execute(f"INSERT INTO cloudtrail_orc {select} WHERE day = '16'")
    assert cur.rowcount == 50
    cur.execute("SHOW PARTITIONS cloudtrail_orc")
    assert cur.fetchall() == [("account=123456789012/region=us-east-1/year=2017/month=06/day=15",),
                              ("account=123456789012/region=us-east-1/year=2017/month=06/day=16",)]
    query = """SELECT eventname, useridentity.arn, count(*) FROM {t}
               WHERE errorcode = 'RequestLimitExceeded' GROUP BY 1, 2 ORDER BY 3 DESC, 2"""
    cur.execute(query.format(t="cloudtrail_logs"))
    expected = cur.fetchall()
    cur.execute(query.format(t="cloudtrail_orc"))
    assert cur.fetchall() == expected and expected[0][2] == 55
    cur.execute("SHOW TBLPROPERTIES cloudtrail_orc ('orc.compress')")
    assert cur.fetchall() == [("SNAPPY",)]


def test_unload_writes_files_and_the_manifest(con, parthenon_home, tmp_path):
    cur = con.cursor()
    target = tmp_path / "export"
    cur.execute(f"UNLOAD (SELECT x AS n, CAST(x % 2 AS varchar) AS half FROM UNNEST(sequence(1, 4)) "
                f"AS u(x)) TO '{target}/' WITH (format = 'TEXTFILE', compression = 'NONE', "
                "field_delimiter = '|', partitioned_by = ARRAY['half'])")
    assert cur.rowcount == 4
    files = visible_files(target)
    assert [f.split("/")[0] for f in files] == ["half=0", "half=1"]
    assert sorted((target / f).read_text() for f in files) == ["1\n3\n", "2\n4\n"]
    [manifest] = results_dir(parthenon_home).glob("*-manifest.csv")
    assert manifest.read_text() == "".join(f"{target}/{f}\n" for f in files)
    cur.execute(f"UNLOAD (SELECT 1 AS a) TO '{tmp_path}/pq' WITH (format = 'PARQUET')")
    [name] = visible_files(tmp_path / "pq")
    assert duckdb.sql(f"SELECT * FROM '{tmp_path}/pq/{name}'").fetchall() == [(1,)]


@pytest.mark.parametrize("sql, error", [
    ("CREATE TABLE t WITH (format = 'PARQUET', colour = 'red') AS SELECT 1 AS a",
     "INVALID_TABLE_PROPERTY: Catalog 'awsdatacatalog' table property 'colour' does not exist"),
    ("CREATE TABLE t WITH (format = 'XML') AS SELECT 1 AS a",
     "INVALID_TABLE_PROPERTY: format 'XML' is not supported: use one of PARQUET, ORC, AVRO, JSON, TEXTFILE"),
    ("CREATE TABLE t WITH (format = 'ORC', parquet_compression = 'SNAPPY') AS SELECT 1 AS a",
     "INVALID_TABLE_PROPERTY: parquet_compression can only be used with format 'PARQUET', not 'ORC'"),
    ("CREATE TABLE t WITH (write_compression = 'LZO') AS SELECT 1 AS a",
     "INVALID_TABLE_PROPERTY: Compression 'LZO' is not supported for format PARQUET: use one of "
     "GZIP, SNAPPY, ZSTD, NONE"),
    ("CREATE TABLE t WITH (partitioned_by = ARRAY['p']) AS SELECT 'x' AS p, 1 AS a",
     "HIVE_COLUMN_ORDER_MISMATCH: Partition keys must be the last columns in the table and in the "
     "same order as the table properties: [p]"),
    ("CREATE TABLE t AS SELECT current_timestamp AS t",
     "NOT_SUPPORTED: Unsupported Hive type: timestamp(3) with time zone (column t)"),
    ("CREATE TABLE t AS SELECT NULL AS n",
     "COLUMN_TYPE_UNKNOWN: Column type is unknown: n"),
    ("CREATE TABLE t WITH (format = 'JSON') AS SELECT to_utf8('x') AS b",
     "NOT_SUPPORTED: Column 'b' of type varbinary cannot be written as JSON: use PARQUET, ORC or AVRO"),
    ("CREATE TABLE t AS SELECT count(*) FROM (VALUES 1) AS v(a)",
     "MISSING_COLUMN_NAME: Column name not specified at position 1"),
    ("CREATE TABLE t AS SELECT 1 AS a, 2 AS a",
     "SYNTAX_ERROR: Column name 'a' specified more than once"),
    ("CREATE TABLE t AS SELECT 1/0 AS a", "DIVISION_BY_ZERO: Division by zero"),
    ("CREATE TABLE t AS SELECT * FROM nowhere",
     "TABLE_NOT_FOUND: line 1:33: Table 'awsdatacatalog.default.nowhere' does not exist"),
])
def test_bad_ctas_fails_clearly_and_leaves_nothing(con, parthenon_home, sql, error):
    with pytest.raises(Exception) as info:
        con.cursor().execute(sql)
    assert str(info.value) == error
    assert con.session.store.get_table("default", "t") is None
    nothing_left(parthenon_home)


def test_existing_table_or_location_is_refused(con, parthenon_home, tmp_path):
    cur = con.cursor()
    cur.execute(f"CREATE TABLE t WITH (external_location = '{tmp_path}/a/') AS SELECT 1 AS a")
    files = visible_files(tmp_path / "a")
    with pytest.raises(Exception) as info:
        cur.execute(f"CREATE TABLE t WITH (external_location = '{tmp_path}/b/') AS SELECT 2 AS a")
    assert str(info.value) == "TABLE_ALREADY_EXISTS: Table 'awsdatacatalog.default.t' already exists"
    with pytest.raises(Exception) as info:
        cur.execute(f"CREATE TABLE u WITH (external_location = '{tmp_path}/a/') AS SELECT 2 AS a")
    assert str(info.value) == (
        f"HIVE_PATH_ALREADY_EXISTS: Target directory for table 'default.u' already exists: "
        f"{tmp_path}/a/. Athena writes only to an empty location: choose another "
        "external_location, or empty this one")
    with pytest.raises(Exception) as info:
        cur.execute(f"UNLOAD (SELECT 1 AS a) TO '{tmp_path}/a/' WITH (format = 'JSON')")
    assert str(info.value).startswith("HIVE_PATH_ALREADY_EXISTS: Target directory for UNLOAD "
                                      f"already exists: {tmp_path}/a/.")
    assert visible_files(tmp_path / "a") == files and not (tmp_path / "b").exists()
    assert con.session.store.get_table("default", "u") is None


@pytest.mark.parametrize("sql, error", [
    ("INSERT INTO t SELECT 'x', 1",
     "TYPE_MISMATCH: Insert query has mismatched column types: Table: [integer, varchar], "
     "Query: [varchar(1), integer]"),
    ("INSERT INTO t VALUES (1)",
     "TYPE_MISMATCH: Insert query has mismatched column types: Table: [integer, varchar], "
     "Query: [integer]"),
    ("INSERT INTO t (nope) VALUES (1)", "GENERIC_USER_ERROR: Insert column name does not exist: nope"),
    ("INSERT INTO t VALUES (1 / 0, 'x')", "DIVISION_BY_ZERO: Division by zero"),
    ("INSERT INTO missing VALUES (1)", "TABLE_NOT_FOUND: Table 'default.missing' does not exist"),
])
def test_bad_insert_fails_and_adds_nothing(con, tmp_path, sql, error):
    cur = con.cursor()
    cur.execute(f"CREATE TABLE t WITH (external_location = '{tmp_path}/t/') AS SELECT 1 AS a, 'v' AS b")
    before = visible_files(tmp_path / "t")
    with pytest.raises(Exception) as info:
        cur.execute(sql)
    assert str(info.value) == error
    assert visible_files(tmp_path / "t") == before
    assert not (tmp_path / "t" / "_parthenon_staging").exists()


def test_insert_into_a_cloudtrail_table_is_not_supported(con, tmp_path):
    cur = con.cursor()
    cur.execute(CLOUDTRAIL_DDL.format(location=f"{tmp_path}/ct/"))
    with pytest.raises(Exception) as info:
        cur.execute("INSERT INTO cloudtrail_logs (eventname) VALUES ('x')")
    assert str(info.value).startswith("NOT_SUPPORTED: Inserting into tables with SerDe ")


def test_statement_kinds_are_athenas():
    from parthenon.sql.analysis import classify
    assert classify("CREATE TABLE t WITH (format='ORC') AS SELECT 1 AS a") == \
        ("DML", "CREATE_TABLE_AS_SELECT")
    assert classify("INSERT INTO t VALUES (1)") == ("DML", "INSERT")
    assert classify("UNLOAD (SELECT 1) TO 's3://b/x/' WITH (format='JSON')") == ("DML", "UNLOAD")
    assert classify("CREATE EXTERNAL TABLE t (a int) LOCATION 's3://b/'") == ("DDL", "CREATE_TABLE")
    assert classify("SHOW TABLES") == ("UTILITY", "SHOW_TABLES")
    assert classify("WITH a AS (SELECT 1) SELECT * FROM a") == ("DML", "SELECT")


def test_many_partitions_are_written_past_athenas_cap(con, tmp_path):
    """Athena stops at 100 partitions a query; Parthenon lifts the cap."""
    cur = con.cursor()
    cur.execute(f"CREATE TABLE wide WITH (partitioned_by = ARRAY['k'], external_location = "
                f"'{tmp_path}/w/') AS SELECT x AS v, x % 150 AS k FROM UNNEST(sequence(1, 600)) AS u(x)")
    assert cur.rowcount == 600
    cur.execute("SELECT count(*), count(DISTINCT k) FROM wide")
    assert cur.fetchall() == [(600, 150)]
    assert len(os.listdir(tmp_path / "w")) == 150


def test_bucketed_ctas_writes_hive_bucket_files(con, tmp_path):
    cur = con.cursor()
    cur.execute(f"CREATE TABLE b WITH (bucketed_by = ARRAY['id'], bucket_count = 4, external_location = "
                f"'{tmp_path}/b/') AS SELECT x AS id FROM UNNEST(sequence(0, 7)) AS u(x)")
    names = visible_files(tmp_path / "b")
    # Hive's bucket of a bigint is (v ^ v >>> 32) mod the count: ids 0..7 fill buckets 0..3 twice
    assert [n[:8] for n in names] == ["000000_0", "000001_0", "000002_0", "000003_0"]
    cur.execute("SHOW CREATE TABLE b")
    text = "\n".join(r[0] for r in cur.fetchall())
    assert "CLUSTERED BY ( \n  `id`) \nINTO 4 BUCKETS" in text
    cur.execute("SELECT sum(id) FROM b")
    assert cur.fetchall() == [(28,)]
    with pytest.raises(Exception) as info:
        cur.execute("INSERT INTO b VALUES (9)")
    assert str(info.value) == "NOT_SUPPORTED: Inserting into bucketed tables is not supported (table default.b)"


def test_ctas_and_insert_from_the_cli(tmp_path):
    from test_cli import ok, parthenon
    out = ok("query", "--format", "table",
             f"CREATE TABLE t WITH (format = 'ORC', partitioned_by = ARRAY['k'], "
             f"external_location = '{tmp_path}/t/') AS SELECT x AS v, x % 2 AS k "
             "FROM UNNEST(sequence(1, 4)) AS u(x)")
    assert out.splitlines()[0] == f"Table default.t created: 4 rows written to {tmp_path}/t/", out
    inserted = ok("query", "--format", "table", "INSERT INTO t VALUES (9, 3)")
    assert inserted.splitlines()[0] == "1 row inserted into default.t"
    assert ok("query", "--format", "csv", "SELECT v, k FROM t ORDER BY v") == \
        '"v","k"\n"1","1"\n"2","0"\n"3","1"\n"4","0"\n"9","3"\n'
    failed = parthenon("query", "CREATE TABLE t AS SELECT 1 AS a")
    assert failed.returncode == 1
    assert failed.stderr.strip() == "TABLE_ALREADY_EXISTS: Table 'awsdatacatalog.default.t' already exists"


def test_a_write_over_the_scan_limit_is_cancelled_before_its_commit(con, parthenon_home, tmp_path):
    from parthenon.writes import WriteContext
    cur = con.cursor()
    cur.execute(f"CREATE TABLE src WITH (external_location = '{tmp_path}/src/') AS SELECT 1 AS a")
    with pytest.raises(Exception) as info:
        con.session.execute(f"CREATE TABLE dst WITH (external_location = '{tmp_path}/dst/') AS "
                            "SELECT * FROM src", context=WriteContext(bytes_cutoff=10))
    assert str(info.value).startswith("USER_CANCELLED: Query cancelled: it scanned ")
    assert str(info.value).endswith("bytes, more than the workgroup's data usage limit of 10 "
                                    "bytes per query")
    assert con.session.store.get_table("default", "dst") is None
    assert not (tmp_path / "dst").exists()
    assert not list((parthenon_home / "writes").glob("*.json"))
