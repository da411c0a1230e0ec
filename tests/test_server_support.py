"""Fixtures for the server tests: a real `parthenon serve` on a free loopback port.

The server runs in a thread of the test process with SigV4 on, keyed with the same
credentials the `s3` fixture puts in the environment, so boto3, the AWS CLI and
PyAthena sign exactly as they would against AWS.  Test modules import the
fixtures from here (pytest registers imported fixtures).
"""
from __future__ import annotations

import threading
import time

import boto3
import pytest

from conftest import CLOUDTRAIL_DDL
from test_cloudtrail import ACCOUNT, write_trail

BUCKET = "athena-results"
TRAIL_BUCKET = "trail-bucket"
TRAIL = f"s3://{TRAIL_BUCKET}/AWSLogs/{ACCOUNT}/CloudTrail/"


# A table whose four-way self-join runs for hours: a query to watch while RUNNING and stop.
SLOW_TABLE_DDL = ("CREATE EXTERNAL TABLE slow (k INT) ROW FORMAT SERDE "
                  "'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'")
ENDLESS_JOIN = ("SELECT count(*) FROM slow a JOIN slow b ON a.k = b.k "
                "JOIN slow c ON b.k = c.k JOIN slow d ON c.k = d.k")


def write_slow_table(folder) -> int:
    """The slow table's eight JSON files (20,000 rows, 100 keys) in `folder`; their bytes."""
    import json
    folder.mkdir()
    for n in range(8):
        (folder / f"part-{n}.json").write_text(
            "".join(json.dumps({"k": i % 100}) + "\n" for i in range(n, 20_000, 8)))
    return sum(f.stat().st_size for f in folder.iterdir())


def start_server(home, concurrency=4, auth=True, max_active=200, **options):
    from parthenon.server.serve import make_server
    server = make_server("127.0.0.1", 0, concurrency=concurrency, auth=auth, home=home,
                         max_active=max_active, **options)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server


def stop_server(server):
    server.shutdown()
    server.server_close()
    server.service.close()


@pytest.fixture
def athena_server(parthenon_home, s3, monkeypatch):
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    server = start_server(parthenon_home)
    monkeypatch.setenv("AWS_ENDPOINT_URL_ATHENA", server.url)
    yield server
    stop_server(server)


@pytest.fixture
def athena(athena_server):
    return boto3.client("athena", endpoint_url=athena_server.url, region_name="us-east-1")


def wait(athena, query_id, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        q = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        if q["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED") or time.monotonic() > deadline:
            return q
        time.sleep(0.01)


def run(athena, sql, database="default", output=f"s3://{BUCKET}/results/", **kw):
    qid = athena.start_query_execution(
        QueryString=sql, QueryExecutionContext={"Database": database},
        ResultConfiguration={"OutputLocation": output}, **kw)["QueryExecutionId"]
    return qid, wait(athena, qid)


def rows(athena, qid, **kw):
    """Every row of every page, values as text (None for NULL)."""
    out = []
    for page in athena.get_paginator("get_query_results").paginate(QueryExecutionId=qid, **kw):
        out += [tuple(d.get("VarCharValue") for d in r["Data"]) for r in page["ResultSet"]["Rows"]]
    return out


@pytest.fixture
def trail(tmp_path, s3, athena):
    """The CloudTrail test logs in a bucket, with the table and its partitions made through the API."""
    write_trail(tmp_path)
    s3.create_bucket(Bucket=TRAIL_BUCKET)
    for path in sorted((tmp_path / "AWSLogs").rglob("*")):
        if path.is_file():
            s3.put_object(Bucket=TRAIL_BUCKET, Key=str(path.relative_to(tmp_path)), Body=path.read_bytes())
    for sql in (CLOUDTRAIL_DDL.format(location=TRAIL), f"""ALTER TABLE cloudtrail_logs ADD
                  PARTITION (region='us-east-1', year='2017', month='06', day='15')
                    LOCATION '{TRAIL}us-east-1/2017/06/15/'
                  PARTITION (region='us-east-1', year='2017', month='06', day='16')
                    LOCATION '{TRAIL}us-east-1/2017/06/16/'"""):
        qid, q = run(athena, sql)
        assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    return TRAIL
