"""Data scanned while a query runs on Spark, through boto3 against `parthenon serve`: the
shared steps of the Connect and classic tests (a four-way self-join that runs for hours,
polled while RUNNING until every file is counted, then stopped)."""
from __future__ import annotations

import time

import boto3

from test_server_support import (BUCKET, ENDLESS_JOIN, SLOW_TABLE_DDL, start_server, stop_server,
                                 wait, write_slow_table)


def scanned_while_running(home, tmp_path, spark_master: str) -> tuple[list[int], int]:
    """DataScannedInBytes as polled while the join is RUNNING, until it reaches every
    file's bytes (or 600 s pass: Spark's start and the scans); and those bytes."""
    folder = tmp_path / "slow"
    total = write_slow_table(folder)
    server = start_server(home, concurrency=1, data_roots=[str(tmp_path)], spark_master=spark_master)
    try:
        athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1")
        athena.create_work_group(Name="spark", Tags=[{"Key": "parthenon:engine", "Value": "spark"}],
                                 Configuration={"ResultConfiguration": {
                                     "OutputLocation": f"s3://{BUCKET}/spark/"}})
        ddl = athena.start_query_execution(
            QueryString=SLOW_TABLE_DDL.format(folder=folder), WorkGroup="spark")["QueryExecutionId"]
        assert wait(athena, ddl, timeout=600)["Status"]["State"] == "SUCCEEDED"
        qid = athena.start_query_execution(
            QueryString=ENDLESS_JOIN, WorkGroup="spark")["QueryExecutionId"]
        scanned: list[int] = []
        deadline = time.monotonic() + 600      # a bound, not a measure: the join never ends
        while time.monotonic() < deadline and (not scanned or scanned[-1] < total):
            q = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            assert q["Status"]["State"] in ("QUEUED", "RUNNING"), q["Status"]
            if q["Status"]["State"] == "RUNNING":
                scanned.append(q["Statistics"]["DataScannedInBytes"])
            time.sleep(0.1)
        # counted while it runs, not at its end
        assert athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]["Status"]["State"] \
            == "RUNNING"
        athena.stop_query_execution(QueryExecutionId=qid)
        final = wait(athena, qid, timeout=600)
        assert final["Status"]["State"] == "CANCELLED", final["Status"]
        return scanned, total
    finally:
        stop_server(server)
