"""The scan cache behind `parthenon serve`, driven by boto3: CloudTrail in S3 (moto), objects
known by their ETag, statistics in GetQueryExecution, and a workgroup that switches it off."""
from __future__ import annotations

import gzip
import json

from test_cloudtrail import ACCOUNT, AUTOSCALER, SEED_QUERY, event
from test_server_support import BUCKET, TRAIL_BUCKET, athena, athena_server, rows, run, trail  # noqa: F401

DAY15 = f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2017/06/15/"
SEED = SEED_QUERY        # over day 15: two log files


def raw_statistics(athena, qid: str) -> dict:
    """Statistics as the server sent them: boto3 drops members its model does not know."""
    seen = {}

    def keep(http_response, **_):
        seen.update(json.loads(http_response.text)["QueryExecution"]["Statistics"])
    athena.meta.events.register("after-call.athena.GetQueryExecution", keep)
    try:
        athena.get_query_execution(QueryExecutionId=qid)
    finally:
        athena.meta.events.unregister("after-call.athena.GetQueryExecution", keep)
    return seen


def seed(athena, **kw) -> tuple[list, dict]:
    qid, q = run(athena, SEED, **kw)
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    stats = raw_statistics(athena, qid)
    assert stats["DataScannedInBytes"] == q["Statistics"]["DataScannedInBytes"]
    return rows(athena, qid), stats


def trail_bytes(s3) -> int:
    """What the seed query reads: day 15's log files (not README)."""
    listed = s3.list_objects_v2(Bucket=TRAIL_BUCKET, Prefix=DAY15)
    return sum(o["Size"] for o in listed["Contents"] if o["Key"].endswith(".json.gz"))


EXPECTED = [("eventname", "arn", "sourceipaddress", "count"),
            ("DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.7", "5"),
            ("DescribeAutoScalingGroups", "arn:aws:iam::123456789012:user/alice", "198.51.100.1", "2")]


def test_second_run_is_answered_from_the_cache_and_an_overwritten_object_read_again(
        athena, trail, s3, parthenon_home):
    size = trail_bytes(s3)
    first, stats = seed(athena)
    assert first == EXPECTED
    assert stats["DataScannedInBytes"] == stats["ParthenonSourceScannedInBytes"] == size
    second, stats = seed(athena)
    assert second == EXPECTED
    assert stats["DataScannedInBytes"] == size         # what Athena would bill, cache or not
    assert stats["ParthenonSourceScannedInBytes"] == 0 and stats["ParthenonCacheScannedInBytes"] > 0

    # one object overwritten in place (same key, new ETag): only it is read again
    body = gzip.compress(json.dumps({"Records": [
        event("DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.9", "RequestLimitExceeded")] * 3}).encode())
    key = DAY15 + f"{ACCOUNT}_CloudTrail_us-east-1_20170615T0005Z_bbbb.json.gz"
    s3.put_object(Bucket=TRAIL_BUCKET, Key=key, Body=body)
    third, stats = seed(athena)
    assert third == [EXPECTED[0], ("DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.7", "4"),
                     ("DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.9", "3")]
    assert stats["ParthenonSourceScannedInBytes"] == len(body)
    assert stats["DataScannedInBytes"] == trail_bytes(s3)


def test_a_workgroup_tagged_off_never_uses_the_cache(athena, trail, s3, parthenon_home):
    athena.create_work_group(Name="nocache", Tags=[{"Key": "parthenon:scan-cache", "Value": "off"}],
                             Configuration={"ResultConfiguration": {"OutputLocation": f"s3://{BUCKET}/nc/"}})
    size = trail_bytes(s3)
    for _ in range(2):
        answer, stats = seed(athena, WorkGroup="nocache")
        assert answer == EXPECTED
        assert stats["ParthenonSourceScannedInBytes"] == size and stats["ParthenonCacheScannedInBytes"] == 0
    assert not list((parthenon_home / "scan-cache").rglob("*.parquet"))
    seed(athena)                                       # primary keeps it on
    assert seed(athena)[1]["ParthenonSourceScannedInBytes"] == 0


def test_a_bad_switch_value_is_refused(athena):
    import botocore.exceptions
    import pytest
    with pytest.raises(botocore.exceptions.ClientError) as e:
        athena.create_work_group(Name="odd", Tags=[{"Key": "parthenon:scan-cache", "Value": "maybe"}])
    assert e.value.response["Error"]["Message"] == "Tag parthenon:scan-cache must be 'on' or 'off', not 'maybe'"
