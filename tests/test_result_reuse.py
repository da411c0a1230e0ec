"""Query result reuse (ResultReuseConfiguration) through boto3 and PyAthena against a real
`parthenon serve`: what is reused, what it reports, and every case that runs again."""
from __future__ import annotations

import pytest

from test_cloudtrail import AUTOSCALER, SEED_QUERY
from test_server_support import BUCKET, athena, athena_server, rows, run, trail, wait  # noqa: F401

REUSE = {"ResultReuseByAgeConfiguration": {"Enabled": True}}
SEED_ROWS = [("eventname", "arn", "sourceipaddress", "count"),
             ("DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.7", "5"),
             ("DescribeAutoScalingGroups", "arn:aws:iam::123456789012:user/alice", "198.51.100.1", "2")]


def _reused(q: dict) -> bool:
    return q["Statistics"]["ResultReuseInformation"]["ReusedPreviousResult"]


def test_a_repeated_select_reuses_the_newest_result(athena, trail, s3):
    first_id, first = run(athena, SEED_QUERY)
    assert first["Status"]["State"] == "SUCCEEDED" and not _reused(first)
    assert first["ResultReuseConfiguration"] == {"ResultReuseByAgeConfiguration": {"Enabled": False}}
    scanned = first["Statistics"]["DataScannedInBytes"]
    assert scanned > 0

    second_id, second = run(athena, SEED_QUERY, ResultReuseConfiguration=REUSE)
    assert second_id != first_id
    assert second["Status"]["State"] == "SUCCEEDED"
    assert _reused(second) is True
    assert second["Statistics"]["DataScannedInBytes"] == 0
    assert second["ResultReuseConfiguration"] == {
        "ResultReuseByAgeConfiguration": {"Enabled": True, "MaxAgeInMinutes": 60}}
    # it points at the previous result, as Athena's does
    assert second["ResultConfiguration"]["OutputLocation"] == f"s3://{BUCKET}/results/{first_id}.csv"
    assert rows(athena, second_id) == SEED_ROWS
    stats = athena.get_query_runtime_statistics(QueryExecutionId=second_id)["QueryRuntimeStatistics"]
    assert stats["Rows"]["OutputRows"] == 2 and stats["Rows"]["InputBytes"] == 0
    assert not any(o["Key"].startswith(f"results/{second_id}")
                   for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="results/")["Contents"])

    # a run of its own in between is the newest result; a reuse of a reuse names the source
    third_id, third = run(athena, SEED_QUERY)
    assert not _reused(third) and third["Statistics"]["DataScannedInBytes"] == scanned
    fourth_id, fourth = run(athena, SEED_QUERY, ResultReuseConfiguration=REUSE)
    assert fourth["ResultConfiguration"]["OutputLocation"] == f"s3://{BUCKET}/results/{third_id}.csv"
    fifth_id, fifth = run(athena, SEED_QUERY, ResultReuseConfiguration=REUSE)
    assert _reused(fifth) and fifth["ResultConfiguration"]["OutputLocation"].endswith(f"/{third_id}.csv")
    assert rows(athena, fifth_id) == SEED_ROWS
    listed = athena.list_query_executions()["QueryExecutionIds"]
    assert listed[:5] == [fifth_id, fourth_id, third_id, second_id, first_id]


RESULTS = {"OutputLocation": f"s3://{BUCKET}/results/"}


@pytest.mark.parametrize("sql, change", [
    ("SELECT 1 AS x", {"ResultReuseConfiguration": {"ResultReuseByAgeConfiguration": {"Enabled": False}}}),
    ("SELECT 1 AS x", {"ResultReuseConfiguration": {
        "ResultReuseByAgeConfiguration": {"Enabled": True, "MaxAgeInMinutes": 0}}}),
    ("SELECT 1 AS x", {"QueryExecutionContext": {"Database": "other"}}),
    ("SELECT 1 AS x", {"ResultConfiguration": {"OutputLocation": f"s3://{BUCKET}/elsewhere/"}}),
    ("SELECT 1 AS x", {"ResultConfiguration": {**RESULTS, "EncryptionConfiguration": {
        "EncryptionOption": "SSE_S3"}}}),
    ("SELECT 1 AS x", {"WorkGroup": "other"}),
    ("SELECT 1 AS x", {"QueryString": "SELECT 1  AS x"}),       # the query strings differ
    ("SELECT rand() > 2 AS x", {}),
    ("SELECT x FROM UNNEST(ARRAY[1, 2]) AS t(x) LIMIT 1", {}),
    ("SELECT uuid() IS NULL AS x", {}),
    ("SELECT current_date IS NULL AS x", {}),
    ("SHOW DATABASES", {}),
    ("SHOW TABLES", {}),
])
def test_what_runs_again(athena, sql, change):
    athena.create_work_group(Name="other", Configuration={})
    run(athena, "CREATE DATABASE IF NOT EXISTS other")
    request = {"QueryString": sql, "QueryExecutionContext": {"Database": "default"},
               "ResultConfiguration": RESULTS}
    first = wait(athena, athena.start_query_execution(**request)["QueryExecutionId"])
    assert first["Status"]["State"] == "SUCCEEDED", first["Status"]
    qid = athena.start_query_execution(**{**request, "ResultReuseConfiguration": REUSE, **change}
                                       )["QueryExecutionId"]
    again = wait(athena, qid)
    assert again["Status"]["State"] == "SUCCEEDED", again["Status"]
    assert _reused(again) is False
    assert again["ResultConfiguration"]["OutputLocation"].rsplit("/", 1)[1].startswith(qid)


def test_ordered_limit_and_execute_are_reused(athena):
    sql = "SELECT x FROM UNNEST(ARRAY[3, 1, 2]) AS t(x) ORDER BY x LIMIT 2"
    first_id, _ = run(athena, sql)
    qid, q = run(athena, sql, ResultReuseConfiguration=REUSE)
    assert _reused(q) and rows(athena, qid) == [("x",), ("1",), ("2",)]

    athena.create_prepared_statement(StatementName="pick", WorkGroup="primary",
                                     QueryStatement="SELECT ? + 1 AS y")
    first_id, first = run(athena, "EXECUTE pick USING 41")
    qid, q = run(athena, "EXECUTE pick USING 41", ResultReuseConfiguration=REUSE)
    assert _reused(q) and q["ResultConfiguration"]["OutputLocation"].endswith(f"/{first_id}.csv")
    assert rows(athena, qid) == [("y",), ("42",)]
    # the same text with other parameters is another query
    run(athena, "EXECUTE pick", ExecutionParameters=["41"])
    qid, q = run(athena, "EXECUTE pick", ExecutionParameters=["1"], ResultReuseConfiguration=REUSE)
    assert not _reused(q) and rows(athena, qid) == [("y",), ("2",)]
    qid, q = run(athena, "EXECUTE pick", ExecutionParameters=["1"], ResultReuseConfiguration=REUSE)
    assert _reused(q) and rows(athena, qid) == [("y",), ("2",)]
    # the prepared statement changed: the same EXECUTE text runs the new one
    athena.update_prepared_statement(StatementName="pick", WorkGroup="primary",
                                     QueryStatement="SELECT ? + 2 AS y")
    qid, q = run(athena, "EXECUTE pick USING 41", ResultReuseConfiguration=REUSE)
    assert not _reused(q) and rows(athena, qid) == [("y",), ("43",)]


def test_a_deleted_result_is_not_reused(athena, s3):
    first_id, _ = run(athena, "SELECT 7 AS x")
    s3.delete_object(Bucket=BUCKET, Key=f"results/{first_id}.csv")
    qid, q = run(athena, "SELECT 7 AS x", ResultReuseConfiguration=REUSE)
    assert not _reused(q) and rows(athena, qid) == [("x",), ("7",)]
    assert q["Statistics"]["DataScannedInBytes"] == 0      # a constant query scans nothing anyway
    # the newer result is there: the next one reuses it
    again_id, again = run(athena, "SELECT 7 AS x", ResultReuseConfiguration=REUSE)
    assert _reused(again) and again["ResultConfiguration"]["OutputLocation"].endswith(f"/{qid}.csv")


def test_reuse_survives_a_restart_of_the_server(parthenon_home, s3, monkeypatch):
    import boto3
    from test_server_support import start_server, stop_server
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    found = []
    for _ in range(2):
        server = start_server(parthenon_home)
        try:
            athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1")
            qid, q = run(athena, "SELECT 'kept' AS x", ResultReuseConfiguration=REUSE)
            found.append((qid, _reused(q), q["ResultConfiguration"]["OutputLocation"], rows(athena, qid)))
        finally:
            stop_server(server)
    first, second = found
    assert first[1:] == (False, f"s3://{BUCKET}/results/{first[0]}.csv", [("x",), ("kept",)])
    assert second[1:] == (True, f"s3://{BUCKET}/results/{first[0]}.csv", [("x",), ("kept",)])


def test_pyathena_result_reuse(athena_server, trail):
    from pyathena import connect
    with connect(s3_staging_dir=f"s3://{BUCKET}/pyathena/", region_name="us-east-1",
                 endpoint_url=athena_server.url, schema_name="default",
                 result_reuse_enable=True, result_reuse_minutes=5) as conn:
        cur = conn.cursor()
        cur.execute(SEED_QUERY)
        assert cur.fetchall() == [tuple(int(v) if v.isdigit() else v for v in r) for r in SEED_ROWS[1:]]
        assert cur.reused_previous_result is False and cur.data_scanned_in_bytes > 0
        first = cur.output_location
        cur.execute(SEED_QUERY)
        assert cur.reused_previous_result is True and cur.data_scanned_in_bytes == 0
        assert cur.result_reuse_enabled is True and cur.result_reuse_minutes == 5
        assert cur.output_location == first
        assert cur.fetchall() == [tuple(int(v) if v.isdigit() else v for v in r) for r in SEED_ROWS[1:]]
