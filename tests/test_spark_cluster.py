"""A real Spark standalone cluster on loopback: a master and two workers started from
PySpark's own distribution, one `parthenon serve` whose Spark workgroups run on it, and
through boto3: the CloudTrail story (table, partitions, the seed query), with rows and
Data scanned equal to DuckDB's, the executors reading the trail from S3 (moto) through
Parthenon's readers; and StopQueryExecution stopping a Spark job that would run for hours.
The cluster and the server are stopped at the end of the module."""
from __future__ import annotations

import json
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


@pytest.fixture(scope="module")
def local_data(tmp_path_factory):
    """A folder the server may read local tables from (the workers run on this machine)."""
    return tmp_path_factory.mktemp("local-data")


@pytest.fixture(scope="module")
def server(cluster, s3_server, local_data, tmp_path_factory):
    """`parthenon serve --spark-master <cluster>` in a process of its own (its Spark driver;
    this process may hold another Spark context), for the whole module: starting it costs
    its Spark driver's start."""
    boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=BUCKET)
    home, logs = tmp_path_factory.mktemp("serve-home"), tmp_path_factory.mktemp("serve-log")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, PARTHENON_HOME=str(home), PARTHENON_ACCESS_KEYS="testing:testing",
               AWS_ENDPOINT_URL_S3=s3_server, PYSPARK_PYTHON=sys.executable, **CREDENTIALS)
    with open(logs / "serve.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "parthenon.cli", "serve", "--port", str(port),
                                 "--spark-master", cluster, "--no-scheduler", "--data-root", str(local_data)],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, (logs / "serve.log").read_text()
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def spark_workgroup(athena, name: str) -> None:
    athena.create_work_group(Name=name, Tags=[{"Key": "parthenon:engine", "Value": "spark"}],
                             Configuration={"ResultConfiguration": {"OutputLocation": f"s3://{BUCKET}/{name}/"}})


def test_the_cloudtrail_story_on_a_two_worker_cluster(server, s3, tmp_path):
    athena = boto3.client("athena", endpoint_url=server, region_name="us-east-1")
    spark_workgroup(athena, "cluster")
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


def test_stop_query_execution_stops_the_spark_job(server, s3, local_data):
    """A five-way self-join of 200 rows per key (3.2e12 rows: hours) in four files, so its
    tasks hold both workers' cores.  Stopped once Spark has read its scans, it is CANCELLED
    and its job stops: the next query on the same cores then runs (FIFO: it would wait
    behind the join's tasks for hours)."""
    athena = boto3.client("athena", endpoint_url=server, region_name="us-east-1")
    spark_workgroup(athena, "stoppable")
    folder = local_data / "slow"
    folder.mkdir()
    for n in range(4):
        (folder / f"part-{n}.json").write_text(
            "".join(json.dumps({"k": i % 10, "v": i}) + "\n" for i in range(n, 2000, 4)))

    def start(sql):
        return athena.start_query_execution(QueryString=sql, WorkGroup="stoppable",
                                            QueryExecutionContext={"Database": "default"})["QueryExecutionId"]
    created = wait(athena, start(f"CREATE EXTERNAL TABLE slow (k INT, v INT) ROW FORMAT SERDE "
                                 f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'"), timeout=300)
    assert created["Status"]["State"] == "SUCCEEDED", created["Status"]
    join = start("SELECT count(*) FROM slow a JOIN slow b ON a.k = b.k JOIN slow c ON b.k = c.k "
                 "JOIN slow d ON c.k = d.k JOIN slow e ON d.k = e.k")
    deadline = time.monotonic() + 600
    while True:     # running on Spark: its scans read (bytes counted), the join under way
        q = athena.get_query_execution(QueryExecutionId=join)["QueryExecution"]
        assert q["Status"]["State"] in ("QUEUED", "RUNNING"), q["Status"]
        if q["Statistics"].get("DataScannedInBytes"):
            break
        assert time.monotonic() < deadline
        time.sleep(0.2)
    athena.stop_query_execution(QueryExecutionId=join)
    stopped = wait(athena, join, timeout=120)
    assert (stopped["Status"]["State"], stopped["Status"]["StateChangeReason"]) == \
        ("CANCELLED", "Query cancelled by user")
    after = start("SELECT count(*) AS n, sum(v) AS total FROM slow")
    done = wait(athena, after, timeout=900)
    assert done["Status"]["State"] == "SUCCEEDED", done["Status"]
    assert rows(athena, after) == [("n", "total"), ("2000", str(sum(range(2000))))]
