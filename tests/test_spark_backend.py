"""The Spark engine on a real local[2] Spark: every SerDe and format reads the same rows,
types and Data scanned as on DuckDB, partitions prune the same, the CLI runs it, and
workgroups choose it.

One Spark context serves the whole module (starting one costs seconds); each test makes
its own Parthenon sessions on it.  Queries here are written so that Spark SQL and Trino
agree on them; the translation's own cases are the conformance suite's.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pyspark")

import fastavro                                          # noqa: E402
import pyarrow as pa                                     # noqa: E402
import pyarrow.orc as orc                                # noqa: E402

from conftest import CLOUDTRAIL_DDL, TEST_DATA           # noqa: E402
from parthenon.engine.spark import connection            # noqa: E402
from parthenon.engine.spark.reading import balanced_groups  # noqa: E402
from parthenon.errors import NotSupported, TableNotFound  # noqa: E402
from parthenon.session import Session                    # noqa: E402
from spark_live import scanned_while_running              # noqa: E402
from test_server_support import BUCKET                   # noqa: E402
from test_formats_columnar import (AVRO_DDL, AVRO_SCHEMA, ORC_DDL, PARQUET_DDL,  # noqa: E402
                                   _avro_records, _write_parquet_pair)
from test_log_corpus import ddl                          # noqa: E402

MASTER = "local[2]"
INVICTUS = TEST_DATA / "invictus-aws-dataset" / "CloudTrail"
UNPARTITIONED = CLOUDTRAIL_DDL.replace(
    "PARTITIONED BY (region STRING, year STRING, month STRING, day STRING)\n", "")


# Python workers run this interpreter (it has parthenon): set at collection, before any
# module of the run starts the process's one Spark context (the conformance suite's too).
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)


@pytest.fixture(scope="module", autouse=True)
def spark_context():
    """The process's local[2] context, started here unless another module did (it stays up
    for them: one context per process, stopped at exit)."""
    connection.new_session(MASTER)


@pytest.fixture
def engines(parthenon_home):
    duck = Session(home=parthenon_home)
    spark = Session(home=parthenon_home, engine="spark", spark_master=MASTER)
    yield duck, spark
    spark.close()
    duck.close()


def same_on_both(engines, setup: list[str], query: str, ordered: bool = False):
    """Run `setup` once (the catalog is shared), then `query` on both engines: the same
    column names and types, rows, and Data scanned.  Returns the Spark result."""
    duck, spark = engines
    for statement in setup:
        duck.execute(statement)
    expected, got = duck.execute(query), spark.execute(query)
    assert [(c.name, c.type) for c in got.columns] == [(c.name, c.type) for c in expected.columns]
    rows, want = got.table.to_pylist(), expected.table.to_pylist()
    if not ordered:
        rows, want = sorted(rows, key=repr), sorted(want, key=repr)
    assert rows == want
    assert got.data_scanned_bytes == expected.data_scanned_bytes
    return got


def test_cloudtrail_records_exploded_with_every_column(engines):
    got = same_on_both(engines, [UNPARTITIONED.format(location=INVICTUS)],
                       "SELECT * FROM cloudtrail_logs")
    assert got.table.num_rows > 2000
    assert got.data_scanned_bytes == sum(p.stat().st_size for p in INVICTUS.iterdir())


def test_cloudtrail_keys_differing_only_in_case(engines, tmp_path):
    """requestParameters objects with keys equal but for case: one event, read as on DuckDB."""
    record = {"eventVersion": "1.08", "eventName": "PutObject", "eventTime": "2024-01-01T00:00:00Z",
              "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/x"},
              "requestParameters": {"bucketName": "b", "BucketName": "B"}, "readOnly": False}
    folder = tmp_path / "ct"
    folder.mkdir()
    (folder / "x.json.gz").write_bytes(gzip.compress(json.dumps({"Records": [record]}).encode()))
    got = same_on_both(engines, [UNPARTITIONED.format(location=folder)],
                       "SELECT eventname, useridentity.arn, requestparameters, readonly FROM cloudtrail_logs")
    row = got.table.to_pylist()[0]
    assert (row["arn"], json.loads(row["requestparameters"])) == \
        ("arn:aws:iam::1:user/x", {"bucketName": "b", "BucketName": "B"})


@pytest.mark.parametrize("name, folder, query", [
    ("alb_access_logs", "alb", "SELECT * FROM alb_access_logs"),                    # Regex
    ("elb_logs", "elb", "SELECT * FROM elb_logs"),                                  # Regex
    ("cloudfront_standard_logs", "cloudfront", "SELECT * FROM cloudfront_standard_logs"),  # delimited
    ("waf_logs", "waf", "SELECT * FROM waf_logs"),                                  # OpenX JSON, nested
    ("opencsv_test1", "opencsv_doc", "SELECT * FROM test1"),                        # OpenCSV
    ("grok_postfix", "grok", "SELECT * FROM mygroktable"),                          # Grok
])
def test_text_serdes_read_the_same(engines, name, folder, query):
    got = same_on_both(engines, [ddl(name, folder)], query)
    assert got.table.num_rows > 0


def test_parquet_partitioned_and_pruned(engines, tmp_path):
    root = tmp_path / "events"
    _write_parquet_pair(root)
    setup = [PARQUET_DDL.format(location=root), "MSCK REPAIR TABLE events"]
    same_on_both(engines, setup, "SELECT * FROM events")
    got = same_on_both(engines, [], "SELECT info.city, count(*) AS n FROM events WHERE dt = '2024-01-02' GROUP BY 1")
    assert got.table.to_pylist() == [{"city": "Oslo", "n": 1}]
    assert got.data_scanned_bytes == os.path.getsize(root / "dt=2024-01-02" / "part-0.parquet")


def test_parquet_through_sparks_own_reader(engines, tmp_path):
    """spark.parthenon.reader=spark: Parquet read by Spark itself (as with S3A), columns by
    name whatever their case, partition values from the plan; Data scanned is the files'."""
    import pyarrow.parquet as pq
    for day, rows in (("2024-01-01", [(1, "a")]), ("2024-01-02", [(2, "b"), (3, None)])):
        (tmp_path / "p" / f"dt={day}").mkdir(parents=True)
        pq.write_table(pa.table({"ID": [r[0] for r in rows], "Name": [r[1] for r in rows]}),
                       tmp_path / "p" / f"dt={day}" / "part-0.parquet")
    duck, spark = engines
    duck.execute(f"CREATE EXTERNAL TABLE p (id bigint, name string, missing int) PARTITIONED BY (dt string) "
                 f"STORED AS PARQUET LOCATION '{tmp_path / 'p'}'")
    duck.execute("MSCK REPAIR TABLE p")
    sql = "SELECT id, name, missing, dt FROM p WHERE dt >= '2024-01-01' ORDER BY id"
    spark.engine.spark.conf.set("spark.parthenon.reader", "spark")
    got = spark.execute(sql)
    assert got.table.to_pylist() == duck.execute(sql).table.to_pylist() == [
        {"id": 1, "name": "a", "missing": None, "dt": "2024-01-01"},
        {"id": 2, "name": "b", "missing": None, "dt": "2024-01-02"},
        {"id": 3, "name": None, "missing": None, "dt": "2024-01-02"}]
    assert got.data_scanned_bytes == sum(p.stat().st_size for p in (tmp_path / "p").rglob("*.parquet"))


def test_orc_reads_only_the_columns_used(engines, tmp_path):
    table = pa.table({"Id": pa.array(range(3000), pa.int64()),
                      "Name": [None if i % 10 == 1 else f"n{i}" for i in range(3000)],
                      "info": pa.array([{"City": f"c{i % 3}", "zip": i} for i in range(3000)]),
                      "padding": [f"{i:010d}" * 10 for i in range(3000)]})
    path = tmp_path / "orc" / "year=2024" / "data.orc"
    path.parent.mkdir(parents=True)
    orc.write_table(table, path, stripe_size=64 * 1024)
    setup = [ORC_DDL.format(location=tmp_path / "orc"), "MSCK REPAIR TABLE orc_events"]
    got = same_on_both(engines, setup, "SELECT id, info.city FROM orc_events WHERE year = 2024")
    assert 0 < got.data_scanned_bytes < path.stat().st_size


def test_avro(engines, tmp_path):
    root = tmp_path / "avro"
    root.mkdir()
    schema = fastavro.parse_schema(AVRO_SCHEMA)
    for n, codec in enumerate(("deflate", "null")):
        with open(root / f"part-{n}.avro", "wb") as f:
            fastavro.writer(f, schema, _avro_records(10 * n), codec=codec)
    same_on_both(engines, [AVRO_DDL.format(literal=json.dumps(AVRO_SCHEMA), location=root)],
                 "SELECT * FROM avro_events ORDER BY id", ordered=True)


def _partitioned_trail(tmp_path) -> tuple[str, list[str], int]:
    """The real CloudTrail sample laid out by region/year/month/day as delivered."""
    base = tmp_path / "AWSLogs" / "218007301253" / "CloudTrail"
    day10 = 0
    for i, path in enumerate(sorted(INVICTUS.iterdir())):
        day = "10" if i % 3 else "11"
        target = base / "us-east-1" / "2023" / "07" / day / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
        day10 += path.stat().st_size if day == "10" else 0
    location = f"{base}/"
    partitions = "ALTER TABLE cloudtrail_logs ADD " + " ".join(
        f"PARTITION (region='us-east-1', year='2023', month='07', day='{d}') "
        f"LOCATION '{location}us-east-1/2023/07/{d}/'" for d in ("10", "11"))
    return location, [CLOUDTRAIL_DDL.format(location=location), partitions], day10


def test_partition_pruning_reads_the_same_files(engines, tmp_path):
    _, setup, day10 = _partitioned_trail(tmp_path)
    got = same_on_both(engines, setup, """
        SELECT eventname, useridentity.arn, sourceipaddress, count(*) AS count
        FROM cloudtrail_logs WHERE day = '10' AND region = 'us-east-1'
        GROUP BY eventname, useridentity.arn, sourceipaddress
        ORDER BY count DESC, eventname, arn, sourceipaddress LIMIT 20""", ordered=True)
    assert got.data_scanned_bytes == day10
    assert len(got.table) == 20


def test_a_large_result_streams_back_a_window_at_a_time(engines, tmp_path):
    """60,000 rows over four files, more than one Arrow batch: the rows come back exact and
    in order, in several batches; and the first batch is handed out when only the first
    window of tasks (one per core of local[2]: two of the four files) has been read, so
    the result is never gathered whole on the driver."""
    folder = tmp_path / "big"
    folder.mkdir()
    for n in range(4):
        (folder / f"part-{n}.json").write_text(
            "".join(json.dumps({"k": i, "v": f"value {i}"}) + "\n" for i in range(n, 60_000, 4)))
    sizes = sorted(p.stat().st_size for p in folder.iterdir())
    setup = [f"CREATE EXTERNAL TABLE big (k INT, v STRING) ROW FORMAT SERDE "
             f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'"]
    got = same_on_both(engines, setup, "SELECT k, v FROM big ORDER BY k DESC", ordered=True)
    assert got.table.to_pylist()[:2] == [{"k": 59_999, "v": "value 59999"}, {"k": 59_998, "v": "value 59998"}]
    assert got.data_scanned_bytes == sum(sizes)
    # a self-join: Spark scans the table twice, Data scanned counts each file once, as DuckDB
    got = same_on_both(engines, [], "SELECT count(*) AS n FROM big a JOIN big b ON a.k = b.k")
    assert (got.table.to_pylist(), got.data_scanned_bytes) == ([{"n": 60_000}], sum(sizes))

    spark = engines[1]
    with spark.stream("SELECT k, v FROM big") as result:
        batches = iter(result.batches())
        first = next(batches)
        # each file is a task of its own, largest first: the first window read the two largest
        assert spark.engine.scanned_so_far() == sizes[3] + sizes[2]
        rest = list(batches)
    assert len(rest) >= 3 and first.num_rows <= 15_000
    rows = [r for b in [first, *rest] for r in zip(b.column("k").to_pylist(), b.column("v").to_pylist())]
    assert sorted(rows) == [(i, f"value {i}") for i in range(60_000)]
    assert result.data_scanned_bytes == sum(sizes)


def test_empty_scan_and_unknown_table(engines, tmp_path):
    got = same_on_both(engines, [UNPARTITIONED.format(location=tmp_path / "none")],
                       "SELECT eventname, count(*) AS n FROM cloudtrail_logs GROUP BY eventname")
    assert (got.table.num_rows, got.data_scanned_bytes) == (0, 0)
    with pytest.raises(TableNotFound, match="Table 'awsdatacatalog.default.nope' does not exist"):
        engines[1].execute("SELECT * FROM nope")


def test_a_bad_file_fails_with_the_readers_error(engines, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "x.json.gz").write_bytes(b"\x1f\x8bnot gzip at all")
    duck, spark = engines
    duck.execute(UNPARTITIONED.format(location=folder))
    with pytest.raises(Exception) as expected:
        duck.execute("SELECT eventname FROM cloudtrail_logs")
    with pytest.raises(type(expected.value)) as got:
        spark.execute("SELECT eventname FROM cloudtrail_logs")
    assert str(got.value) == str(expected.value)


def test_unknown_master_and_engine_are_refused(parthenon_home):
    with pytest.raises(NotSupported, match="Spark master 'yarn' is not supported"):
        Session(home=parthenon_home, engine="spark", spark_master="yarn")
    with pytest.raises(ValueError, match="Unknown engine 'presto' \\(known: duckdb, spark\\)"):
        Session(home=parthenon_home, engine="presto")


def test_files_are_balanced_across_tasks():
    assert balanced_groups([5, 1, 1, 1, 1, 1], 2) == [[0], [1, 2, 3, 4, 5]]
    assert balanced_groups([1, 1, 1], 8) == [[0], [1], [2]]
    assert balanced_groups([], 4) == []


def test_cli_runs_a_query_on_spark_and_ctrl_c_stops_the_next(tmp_path, parthenon_home):
    """`parthenon query --engine spark --spark-master local[1]`: its own Spark, the same answer
    as DuckDB's, and nothing of Spark's own on stderr; then Ctrl-C (SIGINT to the process group, as a terminal sends it) during a
    five-way self-join that would run for hours: `Query cancelled.`, exit status 130."""
    cli = [sys.executable, "-m", "parthenon.cli", "query", "--format", "csv"]
    env = dict(os.environ, PARTHENON_HOME=str(parthenon_home), PYTHONUNBUFFERED="1")
    slow = tmp_path / "slow"
    slow.mkdir()
    (slow / "part-0.json").write_text("".join(json.dumps({"k": i % 10}) + "\n" for i in range(2000)))
    for ddl in (UNPARTITIONED.format(location=INVICTUS),
                f"CREATE EXTERNAL TABLE slow (k INT) ROW FORMAT SERDE "
                f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{slow}/'"):
        create = subprocess.run(cli + [ddl], env=env, capture_output=True, text=True)
        assert create.returncode == 0, create.stderr
    sql = ("SELECT eventname, count(*) AS n FROM cloudtrail_logs GROUP BY eventname "
           "ORDER BY n DESC, eventname LIMIT 3")
    duck = subprocess.run(cli + [sql], env=env, capture_output=True, text=True)
    join = ("SELECT count(*) FROM slow a JOIN slow b ON a.k = b.k JOIN slow c ON b.k = c.k "
            "JOIN slow d ON c.k = d.k JOIN slow e ON d.k = e.k")
    spark = subprocess.Popen(cli + ["--engine", "spark", "--spark-master", "local[1]", f"{sql}; {join}"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        first = [spark.stdout.readline() for _ in duck.stdout.splitlines()]   # the first result
        assert spark.poll() is None
        os.killpg(spark.pid, signal.SIGINT)
        out, err = spark.communicate(timeout=120)
    finally:
        if spark.poll() is None:
            os.killpg(spark.pid, signal.SIGKILL)
            spark.wait()
    assert "".join(first) + out == duck.stdout
    assert first[0] == '"eventname","n"\n'
    assert spark.returncode == 130, err
    # stderr holds the footer and the cancel, nothing of Spark's: its JVM's own lines (log4j,
    # warnings) go to PARTHENON_HOME/logs/spark-driver.log
    footer, cancelled = err.splitlines()
    assert cancelled == "Query cancelled."
    assert "Data scanned: 3.49 MB" in footer
    assert footer.split("Data scanned")[1] == duck.stderr.splitlines()[-1].split("Data scanned")[1]
    assert (parthenon_home / "logs" / "spark-driver.log").stat().st_size > 0


def test_data_scanned_grows_while_a_query_runs_on_local_spark(parthenon_home, s3, monkeypatch,
                                                              tmp_path):
    """GetQueryExecution through boto3 against `parthenon serve`, a workgroup on local[2]:
    while a four-way self-join runs, Data scanned grows as the scan tasks end (their
    accumulators reach the driver), to every file once."""
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    scanned, total = scanned_while_running(parthenon_home, tmp_path, MASTER)
    assert scanned and scanned == sorted(scanned) and scanned[-1] == total, scanned[-20:]


def test_json_functions_over_a_column_as_trino(engines, tmp_path):
    """json_extract_scalar, json_extract and a cast of json over a text column, as on
    DuckDB: a fraction as written, a value found before a trailing comma (Trino reads
    a stream), malformed text NULL, a missing key NULL (Spark's own reader, then the
    Python UDFs of engine/spark/json_udfs for the rows it is not sure of)."""
    folder = tmp_path / "events"
    folder.mkdir()
    docs = ['{"price": 12.5, "tags": ["a", "b"], "n": 3}', '{"price": 7, "n": 1, }', "not json",
            '{"tags": [], "n": 2}']
    (folder / "part-0.json").write_text("".join(json.dumps({"id": i, "doc": d}) + "\n" for i, d in enumerate(docs)))
    setup = [f"CREATE EXTERNAL TABLE events (id INT, doc STRING) ROW FORMAT SERDE "
             f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'"]
    got = same_on_both(engines, setup,
                       "SELECT id, json_extract_scalar(doc, '$.price') AS price, "
                       "json_format(json_extract(doc, '$.tags')) AS tags, "
                       "CAST(json_extract(doc, '$.n') AS INTEGER) AS n FROM events ORDER BY id", ordered=True)
    assert got.table.to_pylist() == [
        {"id": 0, "price": "12.5", "tags": '["a","b"]', "n": 3},
        {"id": 1, "price": "7", "tags": None, "n": 1},
        {"id": 2, "price": None, "tags": None, "n": None},
        {"id": 3, "price": None, "tags": "[]", "n": 2}]


def test_columns_through_inner_stars_and_with_column_lists_keep_their_types(engines, tmp_path):
    # Through WITH v AS (SELECT * ...) or WITH v(x) AS (...) the translation lost the
    # columns' types, and a / 2 of integers ran as Spark's double division (0.5, not 0)
    folder = tmp_path / "n"
    folder.mkdir()
    (folder / "part-0.json").write_text("".join(json.dumps({"k": k, "d": f"{k}.5"}) + "\n" for k in (1, 3)))
    setup = [f"CREATE EXTERNAL TABLE n (k INT, d DECIMAL(5, 1)) ROW FORMAT SERDE "
             f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'"]
    got = same_on_both(engines, setup, "WITH v AS (SELECT * FROM n) SELECT k / 2 AS h, sum(d) AS s FROM v "
                                       "GROUP BY k / 2 ORDER BY h", ordered=True)
    assert got.table.to_pylist() == [{"h": 0, "s": Decimal("1.5")}, {"h": 1, "s": Decimal("3.5")}]
    assert [c.type for c in got.columns] == ["integer", "decimal(38,1)"]
    got = same_on_both(engines, [], "SELECT x / 2 AS h FROM (SELECT * FROM n) t(x, y) ORDER BY h", ordered=True)
    assert got.table.to_pylist() == [{"h": 0}, {"h": 1}]
    got = same_on_both(engines, [], "WITH w(a, b) AS (VALUES (1, 3), (2, 5)), u(m) AS (SELECT a FROM w) "
                                    "SELECT m / 2 AS h, (SELECT sum(b) / 2 FROM w) AS q FROM u ORDER BY m", ordered=True)
    assert got.table.to_pylist() == [{"h": 0, "q": 4}, {"h": 1, "q": 4}]
