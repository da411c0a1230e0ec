"""A real Spark standalone cluster on loopback: a master and two workers started from
PySpark's own distribution, a `parthenon serve` whose `spark` workgroup runs on it, and
the CloudTrail story through boto3 (table, partitions, the seed query), with rows and
Data scanned equal to DuckDB's.  The executors read the trail from S3 (moto) through
Parthenon's readers; the cluster is stopped at the end of the module."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark")

import boto3                                              # noqa: E402

from conftest import CLOUDTRAIL_DDL                       # noqa: E402
from parthenon.demo.cloudtrail_table import SEED_QUERY   # noqa: E402
from parthenon.engine.spark import connection             # noqa: E402
from test_cloudtrail import AUTOSCALER, write_trail       # noqa: E402
from test_server_support import BUCKET, TRAIL, TRAIL_BUCKET, rows, start_server, stop_server, wait  # noqa: E402

SPARK_HOME = Path(pyspark.__file__).resolve().parent
WORKERS = 2
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive_workers(ui_port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/json/", timeout=2) as r:
            return int(json.load(r).get("aliveworkers", 0))
    except OSError:
        return 0


@pytest.fixture(scope="module")
def cluster(s3_server, tmp_path_factory):
    """spark://127.0.0.1:<port> with two one-core workers; the daemons' logs in a temp folder."""
    connection.stop_classic()              # another module's local[N] context
    logs = tmp_path_factory.mktemp("spark-cluster")
    env = dict(os.environ, SPARK_HOME=str(SPARK_HOME), SPARK_LOCAL_IP="127.0.0.1",
               PYSPARK_PYTHON=sys.executable, AWS_ENDPOINT_URL_S3=s3_server, **CREDENTIALS)
    spark_class = str(SPARK_HOME / "bin" / "spark-class")
    port, ui = _free_port(), _free_port()
    daemons = [subprocess.Popen(
        [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
         "--port", str(port), "--webui-port", str(ui)],
        env=env, stdout=open(logs / "master.log", "wb"), stderr=subprocess.STDOUT)]
    url = f"spark://127.0.0.1:{port}"
    try:
        for n in range(WORKERS):
            daemons.append(subprocess.Popen(
                [spark_class, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1",
                 "--cores", "1", "--memory", "2g", "--webui-port", str(_free_port()),
                 "--work-dir", str(logs / f"work-{n}")],
                env=env, stdout=open(logs / f"worker-{n}.log", "wb"), stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 180
        while _alive_workers(ui) < WORKERS:
            assert time.monotonic() < deadline, (logs / "master.log").read_text()[-2000:]
            assert all(d.poll() is None for d in daemons), "a Spark daemon exited; logs in " + str(logs)
            time.sleep(0.5)
        yield url
    finally:
        connection.stop_classic()          # the server's driver, before its cluster goes
        for d in reversed(daemons):
            d.terminate()
        for d in daemons:
            try:
                d.wait(timeout=30)
            except subprocess.TimeoutExpired:
                d.kill()
                d.wait()


@pytest.fixture
def server(cluster, parthenon_home, s3, monkeypatch):
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    server = start_server(parthenon_home, spark_master=cluster)
    yield server
    stop_server(server)


def test_the_cloudtrail_story_on_a_two_worker_cluster(server, s3, tmp_path):
    athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1")
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
        q = wait(athena, qid, timeout=300)
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


def test_a_workgroup_engine_tag_is_checked(server):
    athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1")
    with pytest.raises(athena.exceptions.InvalidRequestException,
                       match="Tag parthenon:engine must be one of duckdb, spark, not 'presto'"):
        athena.create_work_group(Name="bad", Tags=[{"Key": "parthenon:engine", "Value": "presto"}])
