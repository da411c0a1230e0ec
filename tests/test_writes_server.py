"""CTAS and INSERT INTO through boto3 against `parthenon serve`, data and results on moto S3:
the table's files, the manifest, UpdateCount, DataManifestLocation, DATA_MANIFEST pages."""
from __future__ import annotations

import gzip
import io

import pyarrow.parquet as pq

from test_server_support import BUCKET, athena, athena_server, rows, run, trail, wait  # noqa: F401


def keys(s3, prefix):
    listing = s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(o["Key"] for o in listing.get("Contents", []))


def test_ctas_and_insert_over_the_api(athena, trail, s3):
    qid, q = run(athena, """CREATE TABLE autoscaling WITH (format = 'PARQUET',
            write_compression = 'SNAPPY', partitioned_by = ARRAY['day']) AS
        SELECT eventname, useridentity.arn AS arn, errorcode, day FROM cloudtrail_logs
        WHERE day = '15'""")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert (q["StatementType"], q["SubstatementType"]) == ("DML", "CREATE_TABLE_AS_SELECT")
    manifest = f"s3://{BUCKET}/results/{qid}-manifest.csv"
    assert q["Statistics"]["DataManifestLocation"] == manifest
    assert q["Statistics"]["DataScannedInBytes"] > 0
    data = keys(s3, f"results/tables/{qid}/")
    assert data == [f"results/tables/{qid}/day=15/{qid}_00000.parquet"]
    body = s3.get_object(Bucket=BUCKET, Key=f"results/{qid}-manifest.csv")["Body"].read().decode()
    assert body == f"s3://{BUCKET}/{data[0]}\n"
    assert keys(s3, f"results/{qid}") == [f"results/{qid}-manifest.csv", f"results/{qid}.csv",
                                           f"results/{qid}.csv.metadata"]
    result = athena.get_query_results(QueryExecutionId=qid)
    assert result["UpdateCount"] == 8 and result["ResultSet"]["Rows"] == []
    page = athena.get_query_results(QueryExecutionId=qid, QueryResultType="DATA_MANIFEST")
    assert [r["Data"] for r in page["ResultSet"]["Rows"]] == [[{"VarCharValue": f"s3://{BUCKET}/{data[0]}"}]]
    parquet = pq.read_table(io.BytesIO(s3.get_object(Bucket=BUCKET, Key=data[0])["Body"].read()))
    assert parquet.schema.names == ["eventname", "arn", "errorcode"] and parquet.num_rows == 8

    qid2, q2 = run(athena, "INSERT INTO autoscaling SELECT eventname, useridentity.arn, errorcode, day "
                           "FROM cloudtrail_logs WHERE day = '16'")
    assert q2["Status"]["State"] == "SUCCEEDED", q2["Status"]
    assert (q2["StatementType"], q2["SubstatementType"]) == ("DML", "INSERT")
    assert athena.get_query_results(QueryExecutionId=qid2)["UpdateCount"] == 50
    assert keys(s3, f"results/tables/{qid}/day=16/") == [f"results/tables/{qid}/day=16/{qid2}_00000.parquet"]

    qid3, q3 = run(athena, "SELECT day, count(*) AS n FROM autoscaling GROUP BY day ORDER BY day")
    assert rows(athena, qid3) == [("day", "n"), ("15", "8"), ("16", "50")]
    qid4, _ = run(athena, "SHOW PARTITIONS autoscaling")
    assert rows(athena, qid4) == [("day=15",), ("day=16",)]


def test_a_failed_ctas_leaves_nothing_in_the_bucket(athena, trail, s3):
    s3.put_object(Bucket=BUCKET, Key="taken/data.txt", Body=b"x")
    qid, q = run(athena, f"CREATE TABLE t WITH (external_location = 's3://{BUCKET}/taken/') AS "
                         "SELECT eventname FROM cloudtrail_logs")
    assert q["Status"]["State"] == "FAILED"
    assert q["Status"]["StateChangeReason"].startswith(
        f"HIVE_PATH_ALREADY_EXISTS: Target directory for table 'default.t' already exists: "
        f"s3://{BUCKET}/taken/.")
    qid, q = run(athena, "CREATE TABLE t AS SELECT eventname, 1 / 0 AS boom FROM cloudtrail_logs")
    assert q["Status"]["State"] == "FAILED"
    assert q["Status"]["StateChangeReason"] == "DIVISION_BY_ZERO: Division by zero"
    assert keys(s3, f"results/tables/{qid}/") == [] and keys(s3, "taken/") == ["taken/data.txt"]
    qid, q = run(athena, "SHOW TABLES")
    assert rows(athena, qid) == [("cloudtrail_logs",)]


def test_an_enforced_workgroup_refuses_a_ctas_location(athena, trail, s3):
    """Athena: a workgroup that enforces its output location writes every CTAS table under
    `<output>/tables/<query-id>/`, and refuses a CTAS that names its own external_location."""
    import pytest
    athena.create_work_group(Name="central", Configuration={
        "ResultConfiguration": {"OutputLocation": f"s3://{BUCKET}/central/"},
        "EnforceWorkGroupConfiguration": True})
    for props in (f"external_location = 's3://{BUCKET}/central/mine/'",
                  f"format = 'JSON', external_location = 's3://{BUCKET}/elsewhere/'"):
        with pytest.raises(athena.exceptions.InvalidRequestException) as e:
            athena.start_query_execution(
                QueryString=f"CREATE TABLE t WITH ({props}) AS SELECT eventname FROM cloudtrail_logs",
                WorkGroup="central")
        assert e.value.response["Error"]["Message"] == (
            "The Create Table As Select query failed because it was submitted with an "
            "'external_location' property to an Athena Workgroup that enforces a centralized "
            "output location for all queries. Please remove the 'external_location' property "
            "and resubmit the query.")
    assert athena.list_query_executions(WorkGroup="central")["QueryExecutionIds"] == []
    assert keys(s3, "central/") == [] and keys(s3, "elsewhere/") == []
    qid, q = run(athena, "CREATE TABLE t WITH (format = 'JSON') AS SELECT eventname FROM "
                         "cloudtrail_logs WHERE day = '15'", WorkGroup="central",
                 output=f"s3://{BUCKET}/mine/")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert keys(s3, f"central/tables/{qid}/") == [f"central/tables/{qid}/{qid}_00000.json.gz"]
    assert keys(s3, "mine/") == []
    # a workgroup that does not enforce its configuration takes the client's external_location
    athena.update_work_group(WorkGroup="central", ConfigurationUpdates={
        "EnforceWorkGroupConfiguration": False})
    qid, q = run(athena, f"CREATE TABLE t2 WITH (external_location = 's3://{BUCKET}/elsewhere/') "
                         "AS SELECT eventname FROM cloudtrail_logs WHERE day = '15'", WorkGroup="central")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert len(keys(s3, "elsewhere/")) == 1


def test_a_cancelled_ctas_leaves_nothing(athena, s3, parthenon_home):
    import time
    qid = athena.start_query_execution(
        QueryString="CREATE TABLE big WITH (partitioned_by = ARRAY['k']) AS "
                    "SELECT a.x * 10000 + b.y AS v, b.y % 20 AS k FROM UNNEST(sequence(1, 3000)) "
                    "AS a(x) CROSS JOIN UNNEST(sequence(1, 10000)) AS b(y)",
        ResultConfiguration={"OutputLocation": f"s3://{BUCKET}/results/"})["QueryExecutionId"]
    staging = parthenon_home / "staging" / qid
    deadline = time.time() + 120
    while time.time() < deadline and not (staging.exists() and any(staging.iterdir())):
        time.sleep(0.05)
    athena.stop_query_execution(QueryExecutionId=qid)
    q = wait(athena, qid)
    assert q["Status"]["State"] == "CANCELLED"
    deadline = time.time() + 30        # the worker rolls back once the engine lets go
    while time.time() < deadline and (staging.exists() or list((parthenon_home / "writes").glob("*.json"))):
        time.sleep(0.1)
    assert not staging.exists() and not list((parthenon_home / "writes").glob("*.json"))
    assert keys(s3, f"results/tables/{qid}/") == []
    qid2, _ = run(athena, "SHOW TABLES")
    assert rows(athena, qid2) == []


def test_unload_over_the_api(athena, trail, s3):
    qid, q = run(athena, f"UNLOAD (SELECT eventname, day FROM cloudtrail_logs WHERE day = '15') "
                         f"TO 's3://{BUCKET}/unload-api/' WITH (format = 'JSON', "
                         "partitioned_by = ARRAY['day'])")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert (q["StatementType"], q["SubstatementType"]) == ("DML", "UNLOAD")
    [data] = keys(s3, "unload-api/")
    assert data == f"unload-api/day=15/{qid}_00000.json.gz"
    lines = gzip.decompress(s3.get_object(Bucket=BUCKET, Key=data)["Body"].read()).decode().splitlines()
    assert sorted(lines) == ['{"eventname":"DescribeAutoScalingGroups"}'] * 7 + \
        ['{"eventname":"UpdateAutoScalingGroup"}']
    assert q["Statistics"]["DataManifestLocation"] == f"s3://{BUCKET}/results/{qid}-manifest.csv"
    assert athena.get_query_results(QueryExecutionId=qid)["UpdateCount"] == 8
