"""What real clients send and expect, against a real `parthenon serve` (issue 10's compatibility
fixes): awswrangler's backticked database, PyAthena's SQLAlchemy reflection of missing tables
and of views, Athena's wording of a missing table."""
from __future__ import annotations

import re

import pytest

from test_server_support import BUCKET, athena, athena_server, rows, run, trail  # noqa: F401


# -- awswrangler: QueryExecutionContext.Database = "`default`" ----------------------------------

def test_awswrangler_describe_show_create_and_repair(athena_server, trail, s3, tmp_path):
    import awswrangler as wr
    out = f"s3://{BUCKET}/wr/"
    described = wr.athena.describe_table(table="cloudtrail_logs", database="default", s3_output=out)
    assert list(described.columns) == ["Column Name", "Type", "Partition", "Comment"]
    assert described.iloc[0].tolist() == ["eventversion", "string", False, "from deserializer"]
    assert described[described["Partition"]]["Column Name"].tolist() == ["region", "year", "month", "day"]
    created = wr.athena.show_create_table(table="cloudtrail_logs", database="default", s3_output=out)
    assert created.startswith("CREATE EXTERNAL TABLE `cloudtrail_logs`(")
    # MSCK on a table whose folders are not key=value finds nothing to add, and succeeds.
    assert wr.athena.repair_table(table="cloudtrail_logs", database="default", s3_output=out) == \
        "SUCCEEDED"


def test_backticked_database_in_the_context(athena, trail):
    qid, q = run(athena, "SELECT count(*) FROM cloudtrail_logs", database="`default`")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert q["QueryExecutionContext"]["Database"] == "default"
    qid, q = run(athena, "DESCRIBE `default`.`cloudtrail_logs`")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert rows(athena, qid)[0][0].strip() == "eventversion"


# -- missing tables in Athena's words ------------------------------------------------------------

def test_missing_table_is_glues_entity_not_found(athena):
    with pytest.raises(athena.exceptions.MetadataException) as e:
        athena.get_table_metadata(CatalogName="AwsDataCatalog", DatabaseName="default", TableName="nope")
    assert re.fullmatch(r"Entity Not Found \(Service: AmazonDataCatalog; Status Code: 400; Error Code: "
                        r"EntityNotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\)",
                        e.value.response["Error"]["Message"])


def _engine(url):
    import sqlalchemy
    return sqlalchemy.create_engine(
        f"awsathena+rest://testing:testing@athena.us-east-1.amazonaws.com:443/default"
        f"?s3_staging_dir=s3%3A%2F%2F{BUCKET}%2Fsqla%2F", connect_args={"endpoint_url": url})


def test_sqlalchemy_has_table_and_view_columns(athena_server, athena, trail):
    import sqlalchemy
    qid, q = run(athena, "CREATE VIEW calls AS SELECT eventname, count(*) AS n "
                         "FROM cloudtrail_logs GROUP BY eventname")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    engine = _engine(athena_server.url)
    with engine.connect() as conn:
        inspector = sqlalchemy.inspect(conn)
        assert inspector.has_table("nope") is False
        assert inspector.has_table("cloudtrail_logs") is True
        assert [(c["name"], str(c["type"])) for c in inspector.get_columns("calls")] == [
            ("eventname", "VARCHAR"), ("n", "BIGINT")]
        assert inspector.get_table_names() == ["cloudtrail_logs"]
        assert inspector.get_view_names() == ["calls"]
    engine.dispose()
    listed = athena.list_table_metadata(CatalogName="AwsDataCatalog", DatabaseName="default")
    view = next(t for t in listed["TableMetadataList"] if t["Name"] == "calls")
    assert (view["TableType"], view["Columns"]) == (
        "VIRTUAL_VIEW", [{"Name": "eventname", "Type": "varchar"}, {"Name": "n", "Type": "bigint"}])


# -- ListEngineVersions and tags ----------------------------------------------------------------

WG_ARN = "arn:aws:athena:us-east-1:123456789012:workgroup/{}"
CATALOG_ARN = "arn:aws:athena:us-east-1:123456789012:datacatalog/AwsDataCatalog"


def test_engine_versions_and_tags_with_boto3(athena):
    assert athena.list_engine_versions()["EngineVersions"] == [
        {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"},
        {"SelectedEngineVersion": "Athena engine version 3",
         "EffectiveEngineVersion": "Athena engine version 3"}]
    athena.create_work_group(Name="analysts", Tags=[{"Key": "team", "Value": "sec"}])
    arn = WG_ARN.format("analysts")
    assert athena.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "sec"}]
    athena.tag_resource(ResourceARN=arn, Tags=[{"Key": "cost", "Value": "42"},
                                               {"Key": "team", "Value": "ops"}])
    assert athena.list_tags_for_resource(ResourceARN=arn)["Tags"] == [
        {"Key": "cost", "Value": "42"}, {"Key": "team", "Value": "ops"}]
    athena.untag_resource(ResourceARN=arn, TagKeys=["cost", "absent"])
    assert athena.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "ops"}]

    athena.tag_resource(ResourceARN=CATALOG_ARN, Tags=[{"Key": f"k{i:03}", "Value": "v"} for i in range(50)])
    pages = list(athena.get_paginator("list_tags_for_resource").paginate(
        ResourceARN=CATALOG_ARN, PaginationConfig={"PageSize": 75}))
    assert [t["Key"] for p in pages for t in p["Tags"]] == [f"k{i:03}" for i in range(50)]
    with pytest.raises(athena.exceptions.InvalidRequestException) as e:
        athena.tag_resource(ResourceARN=CATALOG_ARN, Tags=[{"Key": "one-too-many", "Value": "v"}])
    assert e.value.response["Error"]["Message"] == "A resource can have at most 50 tags"

    with pytest.raises(athena.exceptions.ResourceNotFoundException) as e:
        athena.list_tags_for_resource(ResourceARN=WG_ARN.format("nope"))
    assert e.value.response["Error"]["Message"] == "WorkGroup nope is not found."
    with pytest.raises(athena.exceptions.InvalidRequestException) as e:
        athena.tag_resource(ResourceARN="arn:aws:s3:::bucket", Tags=[{"Key": "a", "Value": "b"}])
    assert e.value.response["Error"]["Message"].startswith("Invalid ARN: 'arn:aws:s3:::bucket'")
    with pytest.raises(athena.exceptions.InvalidRequestException):
        athena.create_work_group(Name="bad", Tags=[{"Key": "aws:x", "Value": "v"}])
    assert "bad" not in [w["Name"] for w in athena.list_work_groups()["WorkGroups"]]
    athena.delete_work_group(WorkGroup="analysts")
    athena.create_work_group(Name="analysts")
    assert athena.list_tags_for_resource(ResourceARN=arn)["Tags"] == []


def test_engine_versions_and_tags_with_the_aws_cli(athena_server):
    from test_server_clients import AWS, aws
    if not AWS.exists():
        pytest.skip("the AWS CLI is not installed (pip install awscli)")
    assert aws("list-engine-versions")["EngineVersions"][0] == \
        {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"}
    aws("tag-resource", "--resource-arn", WG_ARN.format("primary"), "--tags", "Key=env,Value=dev")
    assert aws("list-tags-for-resource", "--resource-arn", WG_ARN.format("primary"))["Tags"] == [
        {"Key": "env", "Value": "dev"}]
    aws("untag-resource", "--resource-arn", WG_ARN.format("primary"), "--tag-keys", "env")
    assert aws("list-tags-for-resource", "--resource-arn", WG_ARN.format("primary"))["Tags"] == []
    aws("tag-resource", "--resource-arn", CATALOG_ARN, "--tags", "Key=a,Value=1", "Key=b,Value=2")
    assert aws("list-tags-for-resource", "--resource-arn", CATALOG_ARN)["Tags"] == [
        {"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]


# -- the output location, checked at StartQueryExecution ----------------------------------------

def test_unusable_output_bucket_is_refused_before_any_scan(athena, trail):
    before = athena.list_query_executions()["QueryExecutionIds"]
    with pytest.raises(athena.exceptions.InvalidRequestException) as e:
        athena.start_query_execution(QueryString="SELECT count(*) FROM cloudtrail_logs",
                                     ResultConfiguration={"OutputLocation": "s3://no-such-bucket/x/"})
    assert e.value.response["Error"]["Message"] == "Unable to verify/create output bucket no-such-bucket"
    assert athena.list_query_executions()["QueryExecutionIds"] == before
    qid, q = run(athena, "SELECT 1", output=f"s3://{BUCKET}/fine/")
    assert q["Status"]["State"] == "SUCCEEDED"


def test_local_output_folder_must_be_writable(athena, parthenon_home):
    blocker = parthenon_home / "query-results" / "a-file"      # inside the server's result root
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")
    with pytest.raises(athena.exceptions.InvalidRequestException) as e:
        athena.start_query_execution(QueryString="SELECT 1",
                                     ResultConfiguration={"OutputLocation": f"{blocker}/results/"})
    message = e.value.response["Error"]["Message"]
    assert message.startswith("Unable to verify/create output location ") and \
        f"{blocker}/results/" in message, message


def test_the_check_is_cached_per_location(s3):
    from parthenon.service.errors import InvalidRequest
    from parthenon.service.output_check import FAILED_TTL_S, OK_TTL_S, OutputCheck
    now = [0.0]
    check = OutputCheck(clock=lambda: now[0])
    with pytest.raises(InvalidRequest):
        check.require("s3://late-bucket/out/")
    s3.create_bucket(Bucket="late-bucket")
    with pytest.raises(InvalidRequest):        # the failure is remembered a few seconds
        check.require("s3://late-bucket/out/")
    now[0] += FAILED_TTL_S
    check.require("s3://late-bucket/out/")
    assert s3.list_objects_v2(Bucket="late-bucket").get("KeyCount") == 0   # the probe is gone
    s3.delete_bucket(Bucket="late-bucket")
    check.require("s3://late-bucket/out/")     # a usable answer is kept for a minute
    now[0] += OK_TTL_S
    with pytest.raises(InvalidRequest):
        check.require("s3://late-bucket/out/")
