"""Data scanned while a query runs on Spark, through boto3 against `parthenon serve`: the
shared steps of the Connect and classic tests (a four-way self-join that runs for hours,
polled while RUNNING until every file is counted, then stopped)."""
from __future__ import annotations

import json
import time

import boto3

from test_server_support import BUCKET, start_server, stop_server, wait


def scanned_while_running(home, tmp_path, spark_master: str) -> tuple[list[int], int]:
    """DataScannedInBytes as polled while the join is RUNNING, until it reaches every
    file's bytes (or 600 s pass: Spark's start and the scans); and those bytes."""
    folder = tmp_path / "slow"
    folder.mkdir()
    for n in range(8):
        (folder / f"part-{n}.json").write_text(
            "".join(json.dumps({"k": i % 100}) + "\n" for i in range(n, 20_000, 8)))
    total = sum(f.stat().st_size for f in folder.iterdir())
    server = start_server(home, concurrency=1, data_roots=[str(tmp_path)], spark_master=spark_master)
    try:
        athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1")
        athena.create_work_group(Name="spark", Tags=[{"Key": "parthenon:engine", "Value": "spark"}],
                                 Configuration={"ResultConfiguration": {
                                     "OutputLocation": f"s3://{BUCKET}/spark/"}})
        ddl = athena.start_query_execution(
            QueryString=f"CREATE EXTERNAL TABLE slow (k INT) ROW FORMAT SERDE "
                        f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'",
            WorkGroup="spark")["QueryExecutionId"]
        assert wait(athena, ddl, timeout=600)["Status"]["State"] == "SUCCEEDED"
        qid = athena.start_query_execution(
            QueryString="SELECT count(*) FROM slow a JOIN slow b ON a.k = b.k "
                        "JOIN slow c ON b.k = c.k JOIN slow d ON c.k = d.k",
            WorkGroup="spark")["QueryExecutionId"]
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
