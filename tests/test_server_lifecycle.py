"""Query lifecycle through boto3: a bounded pool, queueing, cancel, the queue limit,
and history and results that survive a server restart."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from test_server_support import (BUCKET, athena, athena_server, rows, run, start_server,  # noqa: F401
                                 stop_server, wait, ENDLESS_JOIN, SLOW_TABLE_DDL, write_slow_table)

LONG = ("SELECT count(*) FROM UNNEST(sequence(1, 100000)) AS a(x) "
        "CROSS JOIN UNNEST(sequence(1, 100000)) AS b(y) WHERE (x * y) % 7 = 3")
OUT = {"OutputLocation": f"s3://{BUCKET}/c/"}


def test_twenty_queries_at_once_with_concurrency_four(athena, athena_server):
    assert len(athena_server.service.executor.workers) == 4

    def one(i):
        qid = athena.start_query_execution(
            QueryString=f"SELECT {i} AS i, count(*) AS n FROM UNNEST(sequence(1, {1000 + i})) AS t(x)",
            ResultConfiguration=OUT)["QueryExecutionId"]
        return i, qid
    with ThreadPoolExecutor(20) as pool:
        started = list(pool.map(one, range(20)))
    states = set()
    for i, qid in started:
        q = wait(athena, qid)
        states.add(q["Status"]["State"])
        assert rows(athena, qid) == [("i", "n"), (str(i), str(1000 + i))]
    assert states == {"SUCCEEDED"}
    assert athena_server.service.executor.active == 0


def test_cancel_a_long_query_frees_its_slot(parthenon_home, s3, monkeypatch):
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    server = start_server(parthenon_home, concurrency=1)
    try:
        athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1")
        long_id = athena.start_query_execution(QueryString=LONG, ResultConfiguration=OUT)["QueryExecutionId"]
        queued_id = athena.start_query_execution(QueryString="SELECT 'next'", ResultConfiguration=OUT)["QueryExecutionId"]
        deadline = time.monotonic() + 10
        while athena.get_query_execution(QueryExecutionId=long_id)["QueryExecution"]["Status"]["State"] != "RUNNING":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        # one slot: the second query waits
        assert athena.get_query_execution(QueryExecutionId=queued_id)["QueryExecution"]["Status"]["State"] == "QUEUED"
        with pytest.raises(athena.exceptions.InvalidRequestException) as e:
            athena.get_query_results(QueryExecutionId=queued_id)
        assert e.value.response["Error"]["Message"] == "Query has not yet finished. Current state: QUEUED"
        t0 = time.monotonic()
        athena.stop_query_execution(QueryExecutionId=long_id)
        q = wait(athena, long_id)
        assert q["Status"]["State"] == "CANCELLED"
        assert wait(athena, queued_id)["Status"]["State"] == "SUCCEEDED"
        assert time.monotonic() - t0 < 5          # the slot came back at once, not after the query
        assert rows(athena, queued_id) == [("_col0",), ("next",)]
        athena.stop_query_execution(QueryExecutionId=long_id)   # idempotent
        assert wait(athena, long_id)["Status"]["State"] == "CANCELLED"
    finally:
        stop_server(server)


def test_cancel_while_queued(parthenon_home, s3, monkeypatch):
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    server = start_server(parthenon_home, concurrency=1)
    try:
        athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1")
        long_id = athena.start_query_execution(QueryString=LONG, ResultConfiguration=OUT)["QueryExecutionId"]
        queued = athena.start_query_execution(QueryString="SELECT 1", ResultConfiguration=OUT)["QueryExecutionId"]
        athena.stop_query_execution(QueryExecutionId=queued)
        athena.stop_query_execution(QueryExecutionId=long_id)
        assert wait(athena, queued)["Status"]["State"] == "CANCELLED"
        assert wait(athena, long_id)["Status"]["State"] == "CANCELLED"
    finally:
        stop_server(server)


def test_queue_limit_is_too_many_requests(parthenon_home, s3, monkeypatch):
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    server = start_server(parthenon_home, concurrency=1, max_active=2)
    try:
        from botocore.config import Config
        athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1",
                              config=Config(retries={"max_attempts": 1, "mode": "standard"}))
        ids = [athena.start_query_execution(QueryString=LONG, ResultConfiguration=OUT)["QueryExecutionId"]
               for _ in range(2)]
        with pytest.raises(athena.exceptions.TooManyRequestsException) as e:
            athena.start_query_execution(QueryString="SELECT 1", ResultConfiguration=OUT)
        assert e.value.response["Reason"] == "CONCURRENT_QUERY_LIMIT_EXCEEDED"
        for qid in ids:
            athena.stop_query_execution(QueryExecutionId=qid)
    finally:
        stop_server(server)


def test_history_and_results_survive_a_restart(parthenon_home, s3, monkeypatch, tmp_path):
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    local = tmp_path / "local-results"
    server = start_server(parthenon_home, result_roots=[local])
    athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1")
    sql = "SELECT x, CASE WHEN x = 2 THEN NULL ELSE 'v,\"' || CAST(x AS varchar) END AS s " \
          "FROM UNNEST(sequence(1, 3)) AS t(x) ORDER BY x"
    s3_id, _ = run(athena, sql)
    local_id, q = run(athena, sql, output=str(local))
    assert q["ResultConfiguration"]["OutputLocation"] == f"{local}/{local_id}.csv"
    assert (local / f"{local_id}.csv").read_text().splitlines()[1] == '"1","v,""1"'
    assert not [p for p in local.iterdir() if p.name.endswith(".tmp")]
    before = rows(athena, s3_id)
    stop_server(server)

    server = start_server(parthenon_home)
    try:
        athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1")
        assert server.service.cache.get(s3_id) is None
        for qid in (s3_id, local_id):
            q = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            assert q["Status"]["State"] == "SUCCEEDED"
            assert rows(athena, qid) == before == [("x", "s"), ("1", 'v,"1'), ("2", None), ("3", 'v,"3')]
        assert set(athena.list_query_executions()["QueryExecutionIds"]) == {s3_id, local_id}
    finally:
        stop_server(server)


def test_a_running_query_shows_live_statistics_and_stops_at_once(parthenon_home, s3, monkeypatch,
                                                                 tmp_path):
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    folder = tmp_path / "slow"
    total = write_slow_table(folder)
    server = start_server(parthenon_home, concurrency=1, data_roots=[str(tmp_path)])
    try:
        athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1")
        _, q = run(athena, SLOW_TABLE_DDL.format(folder=folder))
        assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
        qid = athena.start_query_execution(
            QueryString=ENDLESS_JOIN, ResultConfiguration=OUT)["QueryExecutionId"]
        running = []          # (DataScannedInBytes, EngineExecutionTime, TotalExecutionTime)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (len(running) < 3 or running[-1][0] < total):
            q = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            assert q["Status"]["State"] in ("QUEUED", "RUNNING")
            stats = q["Statistics"]
            if q["Status"]["State"] == "RUNNING":
                running.append((stats["DataScannedInBytes"], stats["EngineExecutionTimeInMillis"],
                                stats["TotalExecutionTimeInMillis"]))
            time.sleep(0.2)
        scanned, engine, elapsed = zip(*running)
        assert list(scanned) == sorted(scanned) and scanned[-1] == total    # it grows to every file
        assert list(elapsed) == sorted(elapsed) and elapsed[-1] - elapsed[0] >= 300
        assert all(0 < e <= t for e, t in zip(engine, elapsed))
        stopped = time.monotonic()
        athena.stop_query_execution(QueryExecutionId=qid)
        assert wait(athena, qid)["Status"]["State"] == "CANCELLED"
        # the engine let go at once: a query after it runs on the one worker
        _, q = run(athena, "SELECT 'next'")
        assert q["Status"]["State"] == "SUCCEEDED"
        assert time.monotonic() - stopped < 5
        final = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
        assert final["Status"]["StateChangeReason"] == "Query cancelled by user"
    finally:
        stop_server(server)
