"""Spark Connect (`sc://`): a Connect server started from PySpark's own jars on loopback,
the Spark backend as its client.  Rows, types and Data scanned equal DuckDB's; results
stream back in batches."""
from __future__ import annotations

import json
import os
import threading

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("grpc")

from conftest import CLOUDTRAIL_DDL, TEST_DATA           # noqa: E402
from parthenon.engine.spark.standalone import LocalConnectServer  # noqa: E402
from parthenon.errors import QueryCancelled              # noqa: E402
from parthenon.session import Session                    # noqa: E402
from spark_live import scanned_while_running              # noqa: E402
from test_server_support import BUCKET                   # noqa: E402

INVICTUS = TEST_DATA / "invictus-aws-dataset" / "CloudTrail"


@pytest.fixture(scope="module")
def connect_url(tmp_path_factory):
    with LocalConnectServer("local[2]", logs=tmp_path_factory.mktemp("spark-connect")) as url:
        yield url
    # PySpark marks the whole process as Connect-only once a remote session exists; the
    # other Spark tests of this process run classic sessions
    for name in ("SPARK_CONNECT_MODE_ENABLED", "SPARK_REMOTE"):
        os.environ.pop(name, None)


@pytest.fixture
def duck_and_spark(connect_url, parthenon_home):
    """A DuckDB and a Spark Connect session on one catalog holding the unpartitioned trail."""
    duck = Session(home=parthenon_home)
    spark = Session(home=parthenon_home, engine="spark", spark_master=connect_url)
    try:
        duck.execute(CLOUDTRAIL_DDL.replace(
            "PARTITIONED BY (region STRING, year STRING, month STRING, day STRING)\n", "")
            .format(location=INVICTUS))
        yield duck, spark
    finally:
        spark.close()
        duck.close()


def test_a_query_over_spark_connect_answers_as_duckdb(duck_and_spark):
    duck, spark = duck_and_spark
    sql = ("SELECT eventname, useridentity.arn, count(*) AS count FROM cloudtrail_logs "
           "GROUP BY eventname, useridentity.arn ORDER BY count DESC, eventname, arn LIMIT 10")
    expected, got = duck.execute(sql), spark.execute(sql)
    assert [(c.name, c.type) for c in got.columns] == [(c.name, c.type) for c in expected.columns]
    assert got.table.to_pylist() == expected.table.to_pylist()
    assert len(got.table) == 10
    trail_bytes = sum(p.stat().st_size for p in INVICTUS.iterdir())
    assert got.data_scanned_bytes == expected.data_scanned_bytes == trail_bytes

    # every event, in more than one batch, as they come off the stream
    every = "SELECT eventid, eventname, eventtime FROM cloudtrail_logs"
    with spark.stream(every) as result:
        batches = list(result.batches())
    assert len(batches) > 1
    rows = sorted(r for b in batches for r in zip(*(c.to_pylist() for c in b.columns)))
    assert rows == sorted(tuple(r.values()) for r in duck.execute(every).table.to_pylist())
    assert result.data_scanned_bytes == trail_bytes

    # a self-join reads the trail twice in Spark; Data scanned counts it once, as DuckDB
    join = ("SELECT count(*) AS n FROM cloudtrail_logs a JOIN cloudtrail_logs b "
            "ON a.eventid = b.eventid AND a.eventname = b.eventname")
    expected, got = duck.execute(join), spark.execute(join)
    assert got.table.to_pylist() == expected.table.to_pylist()
    assert got.data_scanned_bytes == expected.data_scanned_bytes == trail_bytes


def test_ip_address_queries_over_spark_connect_answer_as_duckdb(duck_and_spark):
    """CloudTrail's sourceIPAddress read as IPADDRESS, as incident-response queries do:
    TRY_CAST makes a service name ('AWS Internal', 's3.amazonaws.com') NULL, contains()
    matches private ranges, and addresses order by their bytes (3.x before 10.x before
    192.168.x), not their text -- all in Spark SQL, so Spark Connect runs it."""
    duck, spark = duck_and_spark
    by_address = ("SELECT ip, n, contains('10.0.0.0/8', ip) AS private FROM (SELECT TRY_CAST(sourceipaddress "
                  "AS IPADDRESS) AS ip, count(*) AS n FROM cloudtrail_logs GROUP BY 1) s "
                  "WHERE ip IS NOT NULL ORDER BY ip")
    ranges = ("SELECT min(TRY_CAST(sourceipaddress AS IPADDRESS)) AS low, "
              "max(TRY_CAST(sourceipaddress AS IPADDRESS)) AS high, "
              "count_if(contains('10.0.0.0/8', TRY_CAST(sourceipaddress AS IPADDRESS))) AS ten, "
              "count_if(contains('192.168.0.0/16', TRY_CAST(sourceipaddress AS IPADDRESS))) AS lan, "
              "count(*) - count(TRY_CAST(sourceipaddress AS IPADDRESS)) AS services FROM cloudtrail_logs")
    for sql in (by_address, ranges):
        expected, got = duck.execute(sql), spark.execute(sql)
        assert [(c.name, c.type) for c in got.columns] == [(c.name, c.type) for c in expected.columns]
        assert got.table.to_pylist() == expected.table.to_pylist()
    rows = spark.execute(by_address).table.to_pylist()
    addresses = [r["ip"] for r in rows]
    assert addresses[0] == "3.225.16.109" and addresses[-1] == "192.168.10.20"
    assert addresses.index("10.8.8.10") < addresses.index("52.45.102.28")    # by bytes, not text
    assert {r["ip"]: r["n"] for r in rows}["192.168.10.20"] == 2154
    assert [c.type for c in spark.execute(ranges).columns] == ["ipaddress", "ipaddress", "bigint", "bigint",
                                                              "bigint"]


def test_a_cancel_interrupts_the_job_on_the_connect_server(connect_url, parthenon_home, tmp_path):
    """A five-way self-join (3.2e12 rows: hours) in four files, whose tasks hold both cores
    of the server's local[2]: interrupted once the server reports its tasks running, the
    query ends with QueryCancelled and the job stops, so the next query runs (FIFO: it
    would wait behind the join's tasks for hours)."""
    folder = tmp_path / "slow"
    folder.mkdir()
    for n in range(4):
        (folder / f"part-{n}.json").write_text(
            "".join(json.dumps({"k": i % 10}) + "\n" for i in range(n, 2000, 4)))
    spark = Session(home=parthenon_home, engine="spark", spark_master=connect_url)
    running = threading.Event()
    spark.engine.spark.registerProgressHandler(
        lambda stages, inflight_tasks, operation_id, done: inflight_tasks and running.set())
    outcome: list = []

    def run(sql):
        try:
            outcome.append(spark.execute(sql).table.to_pylist())
        except Exception as e:      # noqa: BLE001 - the test looks at it
            outcome.append(e)
    try:
        spark.execute(f"CREATE EXTERNAL TABLE slow (k INT) ROW FORMAT SERDE "
                      f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'")
        join = threading.Thread(target=run, args=(
            "SELECT count(*) FROM slow a JOIN slow b ON a.k = b.k JOIN slow c ON b.k = c.k "
            "JOIN slow d ON c.k = d.k JOIN slow e ON d.k = e.k",))
        join.start()
        assert running.wait(600), "the join never ran"
        while join.is_alive():
            spark.engine.interrupt()
            join.join(0.1)
        assert isinstance(outcome[0], QueryCancelled) and str(outcome[0]) == \
            "USER_CANCELLED: Query cancelled by user"
        after = threading.Thread(target=run, args=("SELECT count(*) AS n FROM slow",))
        after.start()
        after.join(600)
        assert not after.is_alive(), "the next query waited: the join kept running"
        assert outcome[1] == [{"n": 2000}]
    finally:
        spark.close()



def test_data_scanned_grows_while_a_query_runs_on_spark_connect(connect_url, parthenon_home, s3,
                                                                monkeypatch, tmp_path):
    """GetQueryExecution through boto3 against `parthenon serve`, a workgroup on Spark
    Connect: while a four-way self-join runs, Data scanned grows, as on DuckDB, from what
    the scan tasks report as they read (live_bytes.py), to every file once."""
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    scanned, total = scanned_while_running(parthenon_home, tmp_path, connect_url)
    assert scanned and scanned == sorted(scanned) and scanned[-1] == total, scanned[-20:]
