"""StopQueryExecution stops a query read by the fast CloudTrail scan at once, even while chdb
decodes a batch (engine/duckdb/fast_cloudtrail.py): the wait for the batch ends with the
cancel, and no chdb query starts after it."""
from __future__ import annotations

import threading
import time

import pytest

from conftest import cloudtrail_file
from test_server_support import BUCKET, athena, athena_server, rows, run, wait  # noqa: F401

fast_cloudtrail = pytest.importorskip("parthenon.engine.duckdb.fast_cloudtrail")
if not fast_cloudtrail.HAVE_CHDB:
    pytest.skip("chdb (the `fast` extra) is not installed", allow_module_level=True)

DATA = "fast-cancel-bucket"


def test_stop_query_execution_ends_a_fast_scan_mid_batch(athena, s3, tmp_path, monkeypatch):
    folder = tmp_path / "ct"
    s3.create_bucket(Bucket=DATA)
    for i in range(4):
        path = cloudtrail_file(folder / f"{i}.json.gz", [{"eventName": f"e{i}", "errorCode": "x"}] * 3)
        s3.put_object(Bucket=DATA, Key=f"ct/{path.name}", Body=path.read_bytes())
    monkeypatch.setattr(fast_cloudtrail, "BATCH_FILES", 1)         # a batch per file
    assert run(athena, "CREATE EXTERNAL TABLE ct (eventname STRING, errorcode STRING) "
                       "ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' "
                       f"LOCATION 's3://{DATA}/ct/' TBLPROPERTIES ('parthenon.scan_cache'='false')"
               )[1]["Status"]["State"] == "SUCCEEDED"
    qid, q = run(athena, "SELECT count(*) FROM ct")           # the fast scan as it is
    assert q["Status"]["State"] == "SUCCEEDED" and rows(athena, qid)[1] == ("12",)

    decoding, release = threading.Event(), threading.Event()
    queries: list[float] = []
    real = fast_cloudtrail._Decoder._query

    def slow_query(self, *args):          # chdb busy with a batch for long
        queries.append(time.monotonic())
        decoding.set()
        release.wait(20)
        return real(self, *args)
    monkeypatch.setattr(fast_cloudtrail._Decoder, "_query", slow_query)
    try:
        qid = athena.start_query_execution(
            QueryString="SELECT count(*) FROM ct",
            ResultConfiguration={"OutputLocation": f"s3://{BUCKET}/results/"})["QueryExecutionId"]
        assert decoding.wait(30)
        stopped = time.monotonic()
        athena.stop_query_execution(QueryExecutionId=qid)
        final = wait(athena, qid)
        took = time.monotonic() - stopped
        assert final["Status"]["State"] == "CANCELLED"
        assert final["Status"]["StateChangeReason"] == "Query cancelled by user"
        # well before the batch's 20 s (a loaded machine delays threads; bench/cancel.py
        # measures the latency)
        assert took < 5, took
    finally:
        release.set()
    time.sleep(0.5)          # the batch under way ends; no other chdb query started
    assert len(queries) == 1
