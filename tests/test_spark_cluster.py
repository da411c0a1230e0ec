"""A real Spark standalone cluster on loopback: a master and two workers started from
PySpark's own distribution, a `parthenon serve` whose `spark` workgroup runs on it, and
the CloudTrail story through boto3 (table, partitions, the seed query), with rows and
Data scanned equal to DuckDB's.  The executors read the trail from S3 (moto) through
Parthenon's readers; the cluster is stopped at the end of the module."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

pytest.importorskip("pyspark")

import boto3                                              # noqa: E402

from conftest import CLOUDTRAIL_DDL                       # noqa: E402
from parthenon.demo.cloudtrail_table import SEED_QUERY   # noqa: E402
from parthenon.engine.spark.standalone import LocalCluster  # noqa: E402
from test_cloudtrail import AUTOSCALER, write_trail       # noqa: E402
from test_server_support import (BUCKET, TRAIL, TRAIL_BUCKET, athena, athena_server,  # noqa: E402,F401
                                 rows, wait)

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def cluster(s3_server, tmp_path_factory):
    """spark://127.0.0.1:<port> with two one-core workers, their executors pointed at moto's
    S3 (the standard AWS variables); the daemons' logs in a temporary folder."""
    with LocalCluster(workers=2, cores=1, env={"AWS_ENDPOINT_URL_S3": s3_server, **CREDENTIALS},
                      logs=tmp_path_factory.mktemp("spark-cluster")) as url:
        yield url


@pytest.fixture
def server(cluster, parthenon_home, s3, s3_server, tmp_path):
    """`parthenon serve --spark-master <cluster>` in a process of its own (its Spark driver;
    this process may hold another Spark context)."""
    s3.create_bucket(Bucket=BUCKET)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, PARTHENON_HOME=str(parthenon_home), PARTHENON_ACCESS_KEYS="testing:testing",
               AWS_ENDPOINT_URL_S3=s3_server, PYSPARK_PYTHON=sys.executable, **CREDENTIALS)
    with open(tmp_path / "serve.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "parthenon.cli", "serve", "--port", str(port),
                                 "--spark-master", cluster, "--no-scheduler"],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_the_cloudtrail_story_on_a_two_worker_cluster(server, s3, tmp_path):
    athena = boto3.client("athena", endpoint_url=server, region_name="us-east-1")
    athena.create_work_group(Name="cluster", Tags=[{"Key": "parthenon:engine", "Value": "spark"}],
                             Configuration={"ResultConfiguration": {"OutputLocation": f"s3://{BUCKET}/cluster/"}})
    day15_bytes = write_trail(tmp_path)
    s3.create_bucket(Bucket=TRAIL_BUCKET)
    for path in sorted((tmp_path / "AWSLogs").rglob("*")):
        if path.is_file():
            s3.put_object(Bucket=TRAIL_BUCKET, Key=str(path.relative_to(tmp_path)), Body=path.read_bytes())

    def run(sql, workgroup):
        qid = athena.start_query_execution(QueryString=sql, WorkGroup=workgroup,
                                           QueryExecutionContext={"Database": "default"})["QueryExecutionId"]
        q = wait(athena, qid, timeout=900)     # a Spark query on a loaded 2-core machine: minutes
        assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
        return qid, q

    run(CLOUDTRAIL_DDL.format(location=TRAIL), "cluster")
    run(f"""ALTER TABLE cloudtrail_logs ADD
              PARTITION (region='us-east-1', year='2017', month='06', day='15')
                LOCATION '{TRAIL}us-east-1/2017/06/15/'
              PARTITION (region='us-east-1', year='2017', month='06', day='16')
                LOCATION '{TRAIL}us-east-1/2017/06/16/'""", "cluster")
    on_spark, q_spark = run(SEED_QUERY.format(predicates="\n  AND day = '15'"), "cluster")
    on_duckdb, q_duckdb = run(SEED_QUERY.format(predicates="\n  AND day = '15'"), "primary")
    expected = [("eventname", "arn", "sourceipaddress", "count"),
                ("DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.7", "5"),
                ("DescribeAutoScalingGroups", "arn:aws:iam::123456789012:user/alice", "198.51.100.1", "2")]
    assert rows(athena, on_spark) == rows(athena, on_duckdb) == expected
    assert q_spark["Statistics"]["DataScannedInBytes"] == q_duckdb["Statistics"]["DataScannedInBytes"] \
        == day15_bytes
    info = athena.get_query_results(QueryExecutionId=on_spark)["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]
    assert [(c["Name"], c["Type"]) for c in info] == [
        ("eventname", "varchar"), ("arn", "varchar"), ("sourceipaddress", "varchar"), ("count", "bigint")]
    csv = s3.get_object(Bucket=BUCKET, Key=f"cluster/{on_spark}.csv")["Body"].read().decode()
    assert csv.splitlines()[1] == f'"DescribeAutoScalingGroups","{AUTOSCALER}","10.0.0.7","5"'

    # the whole trail, both days: the two workers' executors each read a share of the files
    whole, q_whole = run(SEED_QUERY.format(predicates=""), "cluster")
    assert rows(athena, whole)[1] == ("DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.7", "55")
    assert q_whole["Statistics"]["DataScannedInBytes"] > day15_bytes


def test_a_workgroup_engine_tag_is_checked(athena):
    with pytest.raises(athena.exceptions.InvalidRequestException,
                       match="Tag parthenon:engine must be one of duckdb, spark, not 'presto'"):
        athena.create_work_group(Name="bad", Tags=[{"Key": "parthenon:engine", "Value": "presto"}])
