"""Unmodified clients against `parthenon serve`: the AWS CLI (a subprocess, reaching the
server through AWS_ENDPOINT_URL_ATHENA) and PyAthena (DB-API cursor, pandas cursor,
SQLAlchemy + pandas.read_sql), all returning the same rows."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_cloudtrail import AUTOSCALER, SEED_QUERY
from test_server_support import BUCKET, athena, athena_server, trail  # noqa: F401

EXPECTED = [("DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.7", 5),
            ("DescribeAutoScalingGroups", "arn:aws:iam::123456789012:user/alice", "198.51.100.1", 2)]
AWS = Path(sys.executable).parent / "aws"


def aws(*args):
    env = {**os.environ, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
    done = subprocess.run([str(AWS), "athena", *args, "--output", "json"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else None


@pytest.mark.skipif(not AWS.exists(), reason="the AWS CLI is not installed (pip install awscli)")
def test_aws_cli(athena_server, trail):
    qid = aws("start-query-execution", "--query-string", SEED_QUERY,
              "--query-execution-context", "Database=default",
              "--result-configuration", f"OutputLocation=s3://{BUCKET}/cli/")["QueryExecutionId"]
    for _ in range(300):
        q = aws("get-query-execution", "--query-execution-id", qid)["QueryExecution"]
        if q["Status"]["State"] not in ("QUEUED", "RUNNING"):
            break
        time.sleep(0.05)
    assert q["Status"]["State"] == "SUCCEEDED"
    result = aws("get-query-results", "--query-execution-id", qid)
    got = [tuple(d.get("VarCharValue") for d in r["Data"]) for r in result["ResultSet"]["Rows"]]
    assert got == [("eventname", "arn", "sourceipaddress", "count")] + \
        [tuple(str(v) for v in row) for row in EXPECTED]
    assert [w["Name"] for w in aws("list-work-groups")["WorkGroups"]] == ["primary"]
    err = subprocess.run([str(AWS), "athena", "get-query-execution", "--query-execution-id", "nope"],
                         env={**os.environ, "AWS_CONFIG_FILE": os.devnull}, capture_output=True, text=True)
    assert err.returncode != 0
    assert "ResourceNotFoundException" in err.stderr and "QueryExecution nope was not found" in err.stderr


def _connect(url, **kw):
    """`url` None: the endpoint from AWS_ENDPOINT_URL_ATHENA (the fixture sets it).  PyAthena
    before 4.0 gives `endpoint_url` to its S3 client too, so a cursor that reads the result
    file from S3 (Pandas, Arrow, dbt-athena's pin <3.35) is pointed at Athena by the variable."""
    from pyathena import connect
    endpoint = {"endpoint_url": url} if url else {}
    return connect(s3_staging_dir=f"s3://{BUCKET}/pyathena/", region_name="us-east-1",
                   schema_name="default", **endpoint, **kw)


def test_pyathena_cursor(athena_server, trail):
    with _connect(athena_server.url) as conn:
        cur = conn.cursor()
        cur.execute(SEED_QUERY)
        assert cur.fetchall() == EXPECTED
        assert [(d[0], d[1]) for d in cur.description] == [
            ("eventname", "varchar"), ("arn", "varchar"), ("sourceipaddress", "varchar"), ("count", "bigint")]
        assert cur.data_scanned_in_bytes > 0
        cur.execute("SELECT %(n)s AS n, NULL AS z, '' AS e", {"n": 3})
        assert cur.fetchall() == [(3, None, "")]
        from pyathena.error import OperationalError
        with pytest.raises(OperationalError) as e:
            cur.execute("SELECT * FROM missing_table")
        assert str(e.value) == \
            "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.missing_table' does not exist"


def test_pyathena_dict_cursor(athena_server, trail):
    from pyathena.cursor import DictCursor
    with _connect(athena_server.url, cursor_class=DictCursor) as conn:
        cur = conn.cursor()
        cur.execute(SEED_QUERY)
        assert cur.fetchone() == dict(zip(("eventname", "arn", "sourceipaddress", "count"), EXPECTED[0]))
        assert cur.fetchall() == [dict(zip(("eventname", "arn", "sourceipaddress", "count"), EXPECTED[1]))]
        cur.execute("SELECT CAST(NULL AS integer) AS n, DATE '2024-02-29' AS d")
        import datetime
        assert cur.fetchall() == [{"n": None, "d": datetime.date(2024, 2, 29)}]


def test_pyathena_async_cursor(athena_server, trail):
    """AsyncCursor: execute returns (query id, future); several run at once; cancel stops one."""
    from pyathena.async_cursor import AsyncCursor
    with _connect(athena_server.url, cursor_class=AsyncCursor) as conn:
        cur = conn.cursor()
        submitted = [cur.execute(SEED_QUERY), cur.execute("SELECT 1 AS one")]
        assert len({qid for qid, _ in submitted}) == 2
        first, second = (future.result(timeout=60) for _, future in submitted)
        assert (first.state, first.fetchall()) == ("SUCCEEDED", EXPECTED)
        assert (second.state, second.fetchall()) == ("SUCCEEDED", [(1,)])
        assert first.query_id == submitted[0][0] and first.data_scanned_in_bytes > 0
        failed = cur.execute("SELECT * FROM missing_table")[1].result(timeout=60)
        assert (failed.state, failed.state_change_reason) == (
            "FAILED", "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.missing_table' "
            "does not exist")
        slow, future = cur.execute("SELECT count(*) FROM UNNEST(sequence(1, 100000)) a(x) CROSS "
                                   "JOIN UNNEST(sequence(1, 100000)) b(y) CROSS JOIN "
                                   "UNNEST(sequence(1, 1000)) c(z)")     # 10^13 rows: hours
        cur.cancel(slow).result(timeout=60)
        assert future.result(timeout=60).state == "CANCELLED"


def test_pyathena_pandas_cursor(athena_server, trail):
    from pyathena.pandas.cursor import PandasCursor
    with _connect(None, cursor_class=PandasCursor) as conn:
        df = conn.cursor().execute(SEED_QUERY).as_pandas()
    assert list(df.columns) == ["eventname", "arn", "sourceipaddress", "count"]
    assert [tuple(r) for r in df.itertuples(index=False)] == EXPECTED
    assert str(df["count"].dtype) == "Int64"


def test_pyathena_sqlalchemy_read_sql(athena_server, trail):
    import pandas as pd
    import sqlalchemy
    engine = sqlalchemy.create_engine(
        f"awsathena+rest://testing:testing@athena.us-east-1.amazonaws.com:443/default"
        f"?s3_staging_dir=s3%3A%2F%2F{BUCKET}%2Fsqla%2F",
        connect_args={"endpoint_url": athena_server.url})
    with engine.connect() as conn:
        df = pd.read_sql(sqlalchemy.text(SEED_QUERY), conn)
        assert [tuple(r) for r in df.itertuples(index=False)] == EXPECTED
        assert sqlalchemy.inspect(conn).get_table_names(schema="default") == ["cloudtrail_logs"]
    engine.dispose()
