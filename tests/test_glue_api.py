"""The Glue Data Catalog API through boto3's glue client, against a real `parthenon serve`
(SigV4 scoped to `glue`), over the same catalog as the DDL: a DDL table reads back from
GetTable as Athena leaves it in Glue, a Glue-made table answers SQL and SHOW CREATE TABLE."""
from __future__ import annotations

import base64
import json

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest
import urllib3

from conftest import CLOUDTRAIL_DDL
from test_server_support import BUCKET, athena, rows, run, start_server, stop_server, trail  # noqa: F401

TEXT_IN = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
LAZY = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"


@pytest.fixture
def data(tmp_path):
    """The server's data root (tmp_path itself holds PARTHENON_HOME, never table data)."""
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def athena_server(parthenon_home, s3, monkeypatch, data):
    """test_server_support's server, allowed to read tables under `data`."""
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    server = start_server(parthenon_home, data_roots=[str(data)])
    monkeypatch.setenv("AWS_ENDPOINT_URL_ATHENA", server.url)
    yield server
    stop_server(server)


@pytest.fixture
def glue(athena_server):
    return boto3.client("glue", endpoint_url=athena_server.url, region_name="us-east-1")


def ok(athena, sql, database="default"):
    qid, q = run(athena, sql, database=database)
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    return rows(athena, qid)


def csv_table(location, name="events", partition_keys=(("dt", "string"),), **extra):
    return {"Name": name, "TableType": "EXTERNAL_TABLE",
            "Parameters": {"classification": "csv", "EXTERNAL": "TRUE"},
            "StorageDescriptor": {
                "Columns": [{"Name": "id", "Type": "int"}, {"Name": "who", "Type": "string",
                                                           "Comment": "user name"}],
                "Location": location, "InputFormat": TEXT_IN, "OutputFormat": TEXT_OUT,
                "SerdeInfo": {"SerializationLibrary": LAZY, "Parameters": {"field.delim": ","}}},
            "PartitionKeys": [{"Name": k, "Type": t} for k, t in partition_keys], **extra}


def error_of(call, **kw):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(**kw)
    return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]


def test_ddl_table_reads_back_from_get_table(glue, trail):
    table = glue.get_table(DatabaseName="default", Name="cloudtrail_logs")["Table"]
    sd = table["StorageDescriptor"]
    assert sd["Columns"][:2] == [
        {"Name": "eventversion", "Type": "string"},
        {"Name": "useridentity", "Type": "struct<type:string,principalid:string,arn:string,"
         "accountid:string,invokedby:string,accesskeyid:string,username:string,sessioncontext:"
         "struct<attributes:struct<mfaauthenticated:string,creationdate:string>,sessionissuer:"
         "struct<type:string,principalid:string,arn:string,accountid:string,username:string>>>"}]
    assert [c["Name"] for c in sd["Columns"]][-3:] == ["serviceeventdetails", "sharedeventid",
                                                       "vpcendpointid"]
    assert {k: v for k, v in sd.items() if k != "Columns"} == {
        "Location": trail,
        "InputFormat": "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
        "OutputFormat": TEXT_OUT,
        "Compressed": False, "NumberOfBuckets": -1,
        "SerdeInfo": {"SerializationLibrary": "com.amazon.emr.hive.serde.CloudTrailSerde",
                      "Parameters": {}},
        "BucketColumns": [], "SortColumns": [], "Parameters": {}, "StoredAsSubDirectories": False}
    assert table["PartitionKeys"] == [{"Name": k, "Type": "string"}
                                      for k in ("region", "year", "month", "day")]
    assert table["TableType"] == "EXTERNAL_TABLE"
    assert table["Parameters"] == {"EXTERNAL": "TRUE",
                                   "transient_lastDdlTime": str(int(table["CreateTime"].timestamp()))}
    assert (table["Name"], table["DatabaseName"], table["VersionId"]) == \
        ("cloudtrail_logs", "default", "0")
    parts = glue.get_partitions(DatabaseName="default", TableName="cloudtrail_logs")["Partitions"]
    assert [(p["Values"], p["StorageDescriptor"]["Location"]) for p in parts] == [
        (["us-east-1", "2017", "06", "15"], f"{trail}us-east-1/2017/06/15/"),
        (["us-east-1", "2017", "06", "16"], f"{trail}us-east-1/2017/06/16/")]
    assert parts[0]["StorageDescriptor"]["SerdeInfo"] == sd["SerdeInfo"]


def test_glue_table_answers_sql_and_show_create(glue, athena, data):
    for day, lines in (("2024-01-01", "1,alice\n2,bob\n"), ("2024-01-02", "3,carol\n")):
        (data / f"dt={day}").mkdir()
        (data / f"dt={day}" / "part.csv").write_text(lines)
    glue.create_database(DatabaseInput={"Name": "Lake", "Description": "from Glue"})
    glue.create_table(DatabaseName="lake", TableInput=csv_table(f"{data}/"))
    assert glue.batch_create_partition(DatabaseName="lake", TableName="events", PartitionInputList=[
        {"Values": ["2024-01-01"]},
        {"Values": ["2024-01-02"], "StorageDescriptor": {"Location": f"{data}/dt=2024-01-02/"}},
    ])["Errors"] == []
    assert ok(athena, "SELECT dt, id, who FROM events ORDER BY id", database="lake") == [
        ("dt", "id", "who"), ("2024-01-01", "1", "alice"), ("2024-01-01", "2", "bob"),
        ("2024-01-02", "3", "carol")]
    assert ok(athena, "SELECT count(*) FROM lake.events WHERE dt = '2024-01-02'") == \
        [("_col0",), ("1",)]
    created = glue.get_table(DatabaseName="lake", Name="events")["Table"]
    ddl_time = created["Parameters"]["transient_lastDdlTime"]
    assert [r[0] for r in ok(athena, "SHOW CREATE TABLE lake.events")] == [
        "CREATE EXTERNAL TABLE `events`(",
        "  `id` int, ",
        "  `who` string COMMENT 'user name')",
        "PARTITIONED BY ( ",
        "  `dt` string)",
        "ROW FORMAT SERDE ",
        f"  '{LAZY}' ",
        "WITH SERDEPROPERTIES ( ",
        "  'field.delim'=',') ",
        "STORED AS INPUTFORMAT ",
        f"  '{TEXT_IN}' ",
        "OUTPUTFORMAT ",
        f"  '{TEXT_OUT}'",
        "LOCATION",
        f"  '{data}/'",
        "TBLPROPERTIES (",
        "  'classification'='csv', ",
        f"  'transient_lastDdlTime'='{ddl_time}')"]
    assert ok(athena, "SHOW PARTITIONS lake.events") == [("dt=2024-01-01",), ("dt=2024-01-02",)]
    assert created["Parameters"] == {"EXTERNAL": "TRUE", "classification": "csv",
                                     "transient_lastDdlTime": ddl_time}
    assert created["StorageDescriptor"]["Columns"][1] == \
        {"Name": "who", "Type": "string", "Comment": "user name"}


def test_databases(glue, athena):
    glue.create_database(DatabaseInput={"Name": "Sales", "Description": "d", "LocationUri": "s3://b/sales/",
                                        "Parameters": {"owner": "team"}})
    assert glue.get_database(Name="sales")["Database"] == {
        "Name": "sales", "Description": "d", "LocationUri": "s3://b/sales/",
        "Parameters": {"owner": "team"}, "CatalogId": "123456789012",
        "CreateTableDefaultPermissions": []}
    assert error_of(glue.create_database, DatabaseInput={"Name": "sales"}) == \
        ("AlreadyExistsException", "Database already exists.")
    for i in range(3):
        ok(athena, f"CREATE DATABASE db{i}")
    first = glue.get_databases(MaxResults=2)
    assert [d["Name"] for d in first["DatabaseList"]] == ["db0", "db1"]
    second = glue.get_databases(MaxResults=2, NextToken=first["NextToken"])
    assert [d["Name"] for d in second["DatabaseList"]] == ["db2", "default"]
    names = [d["Name"] for page in glue.get_paginator("get_databases").paginate(
        PaginationConfig={"PageSize": 1}) for d in page["DatabaseList"]]
    assert names == ["db0", "db1", "db2", "default", "sales"]
    glue.update_database(Name="sales", DatabaseInput={"Name": "sales", "Description": "new"})
    assert glue.get_database(Name="sales")["Database"]["Description"] == "new"
    assert ok(athena, "SHOW DATABASES LIKE 'sal*'") == [("sales",)]
    assert error_of(glue.update_database, Name="sales", DatabaseInput={"Name": "other"})[0] == \
        "InvalidInputException"
    ok(athena, "CREATE EXTERNAL TABLE sales.t (a int) LOCATION 's3://b/t/'")
    glue.delete_database(Name="sales")                  # with its tables, as Glue does
    assert error_of(glue.get_database, Name="sales") == \
        ("EntityNotFoundException", "Database sales not found.")
    assert error_of(glue.delete_database, Name="sales") == \
        ("EntityNotFoundException", "Database sales not found.")
    assert error_of(glue.delete_database, Name="default") == \
        ("InvalidInputException", "Cannot delete the default database.")
    assert error_of(glue.get_databases, MaxResults=101) == (      # botocore's model, Glue's type
        "InvalidInputException", "1 validation error detected: Value '101' at 'maxResults' failed "
        "to satisfy constraint: Member must have value less than or equal to 100")
    assert error_of(glue.get_databases, NextToken="garbage") == \
        ("InvalidInputException", "Invalid NextToken")


def test_tables_listing_updates_versions_and_deletes(glue, athena, data):
    for name in ("alb_logs", "alb_errors", "vpc_flow"):
        glue.create_table(DatabaseName="default", TableInput=csv_table(f"{data}/", name=name,
                                                                      partition_keys=()))
    ok(athena, f"CREATE EXTERNAL TABLE cloudfront (a string) LOCATION '{data}/'")

    def names(**kw):
        return [t["Name"] for t in glue.get_tables(DatabaseName="default", **kw)["TableList"]]
    assert names() == ["alb_errors", "alb_logs", "cloudfront", "vpc_flow"]
    assert names(Expression="alb.*") == ["alb_errors", "alb_logs"]
    assert names(Expression="*log*") == ["alb_logs"]                 # awswrangler's name_contains
    assert names(Expression="alb_logs|vpc.*") == ["alb_logs", "vpc_flow"]
    assert names(Expression="ALB_LOGS") == ["alb_logs"]
    page = glue.get_tables(DatabaseName="default", MaxResults=3)
    assert len(page["TableList"]) == 3
    assert [t["Name"] for t in glue.get_tables(DatabaseName="default", MaxResults=3,
                                               NextToken=page["NextToken"])["TableList"]] == ["vpc_flow"]
    assert error_of(glue.get_tables, DatabaseName="default", Expression="(") [0] == "InvalidInputException"
    assert error_of(glue.get_tables, DatabaseName="nope") == \
        ("EntityNotFoundException", "Database nope not found.")

    changed = csv_table(f"{data}/", name="alb_logs", partition_keys=())
    changed["StorageDescriptor"]["Columns"].append({"Name": "status", "Type": "INT"})
    changed["Parameters"] = {"classification": "csv", "note": "v1"}
    glue.update_table(DatabaseName="default", TableInput=changed)
    current = glue.get_table(DatabaseName="default", Name="alb_logs")["Table"]
    assert current["VersionId"] == "1"
    assert current["StorageDescriptor"]["Columns"][-1] == {"Name": "status", "Type": "int"}
    assert current["Parameters"]["note"] == "v1"
    assert current["UpdateTime"] >= current["CreateTime"]
    versions = glue.get_table_versions(DatabaseName="default", TableName="alb_logs")["TableVersions"]
    assert [(v["VersionId"], len(v["Table"]["StorageDescriptor"]["Columns"])) for v in versions] == \
        [("1", 3), ("0", 2)]
    assert ok(athena, "DESCRIBE alb_logs")[-1] == ("status              ", "int                 ",
                                                   "                    ")
    assert error_of(glue.update_table, DatabaseName="default",
                    TableInput=csv_table("/x/", name="nope")) == \
        ("EntityNotFoundException", "Table nope not found.")
    assert error_of(glue.create_table, DatabaseName="default",
                    TableInput=csv_table(f"{data}/", name="vpc_flow")) == \
        ("AlreadyExistsException", "Table already exists.")
    bad = csv_table(f"{data}/", name="bad")
    bad["StorageDescriptor"]["Columns"][0]["Type"] = "integr"
    assert error_of(glue.create_table, DatabaseName="default", TableInput=bad) == \
        ("InvalidInputException", "Column id: Unknown type 'integr' in 'integr'")
    assert error_of(glue.create_table, DatabaseName="nope", TableInput=bad) == \
        ("EntityNotFoundException", "Database nope not found.")

    # what Terraform's aws_glue_catalog_table and _database read besides the table itself
    assert glue.get_partition_indexes(DatabaseName="default", TableName="alb_logs")[
        "PartitionIndexDescriptorList"] == []
    assert glue.get_tags(ResourceArn="arn:aws:glue:us-east-1:123456789012:table/default/alb_logs")[
        "Tags"] == {}
    assert error_of(glue.get_tags, ResourceArn="arn:aws:glue:us-east-1:1:database/nope") == \
        ("EntityNotFoundException", "Database nope not found.")
    glue.delete_table(DatabaseName="default", Name="cloudfront")
    result = glue.batch_delete_table(DatabaseName="default", TablesToDelete=["alb_errors", "ghost"])
    assert result["Errors"] == [{"TableName": "ghost", "ErrorDetail": {
        "ErrorCode": "EntityNotFoundException", "ErrorMessage": "Table ghost not found."}}]
    assert names() == ["alb_logs", "vpc_flow"]
    assert ok(athena, "SHOW TABLES") == [("alb_logs",), ("vpc_flow",)]
    assert error_of(glue.delete_table, DatabaseName="default", Name="cloudfront") == \
        ("EntityNotFoundException", "Table cloudfront not found.")


@pytest.fixture
def partitioned(glue, data):
    glue.create_table(DatabaseName="default", TableInput=csv_table(
        f"{data}/", name="p", partition_keys=(("region", "string"), ("year", "int"))))
    values = [(r, y) for r in ("eu-west-1", "us-east-1", "us-west-2") for y in ("9", "10", "2024")]
    assert glue.batch_create_partition(DatabaseName="default", TableName="p", PartitionInputList=[
        {"Values": list(v)} for v in values])["Errors"] == []
    return values


@pytest.mark.parametrize("expression, expected", [
    ("region = 'us-east-1'", [("us-east-1", "9"), ("us-east-1", "10"), ("us-east-1", "2024")]),
    ("year > 9 AND region <> 'us-east-1'",              # integer keys compare as numbers
     [("eu-west-1", "10"), ("eu-west-1", "2024"), ("us-west-2", "10"), ("us-west-2", "2024")]),
    ("year < '10'", [("eu-west-1", "9"), ("us-east-1", "9"), ("us-west-2", "9")]),
    ("region = 'eu-west-1' OR year >= 2024",
     [("eu-west-1", "9"), ("eu-west-1", "10"), ("eu-west-1", "2024"), ("us-east-1", "2024"),
      ("us-west-2", "2024")]),
    ("region IN ('eu-west-1', 'us-west-2') AND year BETWEEN 10 AND 2000",
     [("eu-west-1", "10"), ("us-west-2", "10")]),
    ("region LIKE 'us-%' AND NOT (year <= 10)", [("us-east-1", "2024"), ("us-west-2", "2024")]),
    ("region LIKE 'us_west_2' AND 2024 = year", [("us-west-2", "2024")]),
    ("region != 'us-east-1' AND region != 'us-west-2' AND year != 9",
     [("eu-west-1", "10"), ("eu-west-1", "2024")]),
])
def test_get_partitions_expression(glue, partitioned, expression, expected):
    pages = glue.get_paginator("get_partitions").paginate(
        DatabaseName="default", TableName="p", Expression=expression)
    got = [tuple(p["Values"]) for page in pages for p in page["Partitions"]]
    assert sorted(got) == sorted(expected)


def test_partition_expression_errors(glue, partitioned):
    def message(expression):
        return error_of(glue.get_partitions, DatabaseName="default", TableName="p",
                        Expression=expression)
    assert message("zone = 'a'") == ("InvalidInputException", "Unsupported expression 'zone = 'a'': "
                                     "'zone' is not a partition key (the keys are region, year)")
    assert message("year = 'x'") == ("InvalidInputException", "Unsupported expression 'year = 'x'': "
                                     "'x' is not a value of key year (int)")
    assert message("region = ")[0] == "InvalidInputException"
    assert message("upper(region) = 'A'")[0] == "InvalidInputException"


def test_partitions_paging_and_batch_actions(glue, partitioned, data):
    first = glue.get_partitions(DatabaseName="default", TableName="p", MaxResults=4)
    assert len(first["Partitions"]) == 4 and "NextToken" in first
    rest = glue.get_partitions(DatabaseName="default", TableName="p", MaxResults=4,
                               NextToken=first["NextToken"])
    last = glue.get_partitions(DatabaseName="default", TableName="p", MaxResults=4,
                               NextToken=rest["NextToken"])
    assert "NextToken" not in last
    seen = [tuple(p["Values"]) for page in (first, rest, last) for p in page["Partitions"]]
    assert sorted(seen) == sorted(partitioned)
    segments = [[tuple(p["Values"]) for p in glue.get_partitions(
        DatabaseName="default", TableName="p", Segment={"SegmentNumber": n, "TotalSegments": 4}
    )["Partitions"]] for n in range(4)]
    assert [len(s) for s in segments] == [3, 2, 2, 2]
    assert sorted(v for s in segments for v in s) == sorted(partitioned)
    assert error_of(glue.get_partitions, DatabaseName="default", TableName="p",
                    Segment={"SegmentNumber": 4, "TotalSegments": 4})[0] == "InvalidInputException"
    slim = glue.get_partitions(DatabaseName="default", TableName="p", ExcludeColumnSchema=True)
    assert "Columns" not in slim["Partitions"][0]["StorageDescriptor"]

    one = glue.get_partition(DatabaseName="default", TableName="p", PartitionValues=["us-east-1", "10"])
    assert one["Partition"]["StorageDescriptor"]["Location"] == f"{data}/region=us-east-1/year=10/"
    assert (one["Partition"]["DatabaseName"], one["Partition"]["TableName"]) == ("default", "p")
    got = glue.batch_get_partition(DatabaseName="default", TableName="p", PartitionsToGet=[
        {"Values": ["us-east-1", "10"]}, {"Values": ["mars", "1"]}])
    assert [p["Values"] for p in got["Partitions"]] == [["us-east-1", "10"]]

    assert error_of(glue.create_partition, DatabaseName="default", TableName="p",
                    PartitionInput={"Values": ["us-east-1", "10"]}) == \
        ("AlreadyExistsException", "Partition already exists.")
    errors = glue.batch_create_partition(DatabaseName="default", TableName="p", PartitionInputList=[
        {"Values": ["us-east-1", "10"]}, {"Values": ["ap-south-1"]}, {"Values": ["ap-south-1", "1"]}])["Errors"]
    assert errors == [
        {"PartitionValues": ["us-east-1", "10"], "ErrorDetail": {
            "ErrorCode": "AlreadyExistsException", "ErrorMessage": "Partition already exists."}},
        {"PartitionValues": ["ap-south-1"], "ErrorDetail": {
            "ErrorCode": "InvalidInputException", "ErrorMessage":
            "The number of partition values (1) does not match the number of partition keys "
            "of default.p (2)"}}]
    glue.create_partition(DatabaseName="default", TableName="p", PartitionInput={
        "Values": ["sa-east-1", "1"], "StorageDescriptor": {"Location": "s3://elsewhere/sa/"}})

    glue.update_partition(DatabaseName="default", TableName="p", PartitionValueList=["sa-east-1", "1"],
                          PartitionInput={"Values": ["sa-east-1", "1"],
                                          "StorageDescriptor": {"Location": "s3://moved/sa/"}})
    assert glue.get_partition(DatabaseName="default", TableName="p", PartitionValues=["sa-east-1", "1"]
                              )["Partition"]["StorageDescriptor"]["Location"] == "s3://moved/sa/"
    result = glue.batch_update_partition(DatabaseName="default", TableName="p", Entries=[
        {"PartitionValueList": ["sa-east-1", "1"],
         "PartitionInput": {"Values": ["sa-east-1", "2"], "StorageDescriptor": {"Location": "s3://m/2/"}}},
        {"PartitionValueList": ["mars", "1"], "PartitionInput": {"Values": ["mars", "1"]}}])
    assert result["Errors"] == [{"PartitionValueList": ["mars", "1"], "ErrorDetail": {
        "ErrorCode": "EntityNotFoundException", "ErrorMessage": "Cannot find partition."}}]
    assert error_of(glue.get_partition, DatabaseName="default", TableName="p",
                    PartitionValues=["sa-east-1", "1"]) == \
        ("EntityNotFoundException", "Cannot find partition.")

    glue.delete_partition(DatabaseName="default", TableName="p", PartitionValues=["sa-east-1", "2"])
    result = glue.batch_delete_partition(DatabaseName="default", TableName="p", PartitionsToDelete=[
        {"Values": ["us-east-1", "9"]}, {"Values": ["us-east-1", "9"]}])
    assert result["Errors"] == [{"PartitionValues": ["us-east-1", "9"], "ErrorDetail": {
        "ErrorCode": "EntityNotFoundException", "ErrorMessage": "Cannot find partition."}}]
    left = [tuple(p["Values"]) for p in
            glue.get_partitions(DatabaseName="default", TableName="p")["Partitions"]]
    assert sorted(left) == sorted([("ap-south-1", "1")] +
                                  [v for v in partitioned if v != ("us-east-1", "9")])
    assert error_of(glue.get_partitions, DatabaseName="default", TableName="nope") == \
        ("EntityNotFoundException", "Table nope not found.")
    assert error_of(glue.get_partitions, DatabaseName="default", TableName="p", MaxResults=1001)[0] == \
        "InvalidInputException"


def test_partition_parameters_are_kept(glue, athena, partitioned, data):
    """A partition's Parameters (awswrangler's and Spark's statistics, dbt's markers) read back
    from every Glue read; a DDL change of location keeps them; dropping forgets them."""
    def params(values):
        return glue.get_partition(DatabaseName="default", TableName="p",
                                  PartitionValues=values)["Partition"]["Parameters"]
    glue.create_partition(DatabaseName="default", TableName="p", PartitionInput={
        "Values": ["sa-east-1", "1"], "Parameters": {"numRows": "3", "source": "glue"}})
    assert glue.batch_create_partition(DatabaseName="default", TableName="p", PartitionInputList=[
        {"Values": ["sa-east-1", "2"], "Parameters": {"numRows": "5"}}])["Errors"] == []
    assert params(["sa-east-1", "1"]) == {"numRows": "3", "source": "glue"}
    assert params(["us-east-1", "10"]) == {}
    listed = glue.get_partitions(DatabaseName="default", TableName="p",
                                 Expression="region = 'sa-east-1'")["Partitions"]
    assert [(p["Values"], p["Parameters"]) for p in listed] == [
        (["sa-east-1", "1"], {"numRows": "3", "source": "glue"}), (["sa-east-1", "2"], {"numRows": "5"})]
    got = glue.batch_get_partition(DatabaseName="default", TableName="p",
                                   PartitionsToGet=[{"Values": ["sa-east-1", "2"]}])["Partitions"]
    assert got[0]["Parameters"] == {"numRows": "5"}
    ok(athena, f"ALTER TABLE p PARTITION (region='sa-east-1', year=1) SET LOCATION '{data}/sa1/'")
    assert params(["sa-east-1", "1"]) == {"numRows": "3", "source": "glue"}
    glue.update_partition(DatabaseName="default", TableName="p", PartitionValueList=["sa-east-1", "2"],
                          PartitionInput={"Values": ["sa-east-1", "3"], "Parameters": {"numRows": "6"}})
    assert params(["sa-east-1", "3"]) == {"numRows": "6"}
    glue.delete_partition(DatabaseName="default", TableName="p", PartitionValues=["sa-east-1", "3"])
    glue.create_partition(DatabaseName="default", TableName="p",
                          PartitionInput={"Values": ["sa-east-1", "3"]})
    assert params(["sa-east-1", "3"]) == {}


def test_views_both_ways(glue, athena, data):
    (data / "d.csv").write_text("1,alice\n2,bob\n")
    glue.create_table(DatabaseName="default", TableInput=csv_table(f"{data}/", name="people",
                                                                  partition_keys=()))
    ok(athena, "CREATE VIEW named AS SELECT id, upper(who) AS who FROM people WHERE id > 1")
    view = glue.get_table(DatabaseName="default", Name="named")["Table"]
    assert view["TableType"] == "VIRTUAL_VIEW"
    assert view["Parameters"] == {"presto_view": "true", "comment": "Presto View"}
    assert view["ViewExpandedText"] == "/* Presto View */"
    encoded = view["ViewOriginalText"].removeprefix("/* Presto View: ").removesuffix(" */")
    assert json.loads(base64.b64decode(encoded)) == {
        "originalSql": "SELECT id, upper(who) AS who FROM people WHERE id > 1",
        "catalog": "awsdatacatalog", "schema": "default",
        "columns": [{"name": "id", "type": "integer"}, {"name": "who", "type": "varchar"}]}
    assert view["StorageDescriptor"]["Columns"] == [{"Name": "id", "Type": "int"},
                                                    {"Name": "who", "Type": "string"}]

    # A view as Terraform or CloudFormation writes one: Presto View JSON with its columns.
    doc = {"originalSql": "SELECT who FROM people WHERE id = 1", "catalog": "awsdatacatalog",
           "schema": "default", "columns": [{"name": "who", "type": "varchar"}]}
    glue.create_table(DatabaseName="default", TableInput={
        "Name": "first_person", "TableType": "VIRTUAL_VIEW", "Parameters": {"presto_view": "true"},
        "ViewOriginalText": f"/* Presto View: {base64.b64encode(json.dumps(doc).encode()).decode()} */",
        "StorageDescriptor": {"Columns": [{"Name": "who", "Type": "string"}],
                              "SerdeInfo": {"Name": "-", "SerializationLibrary": "-"}}})
    assert ok(athena, "SELECT * FROM first_person") == [("who",), ("alice",)]
    assert ok(athena, "SHOW CREATE VIEW first_person") == [
        ('CREATE VIEW "default"."first_person" AS',), ("SELECT who FROM people WHERE id = 1",)]
    assert glue.get_table(DatabaseName="default", Name="first_person")["Table"][
        "StorageDescriptor"]["Columns"] == [{"Name": "who", "Type": "string"}]
    broken = {"Name": "broken", "TableType": "VIRTUAL_VIEW",
              "ViewOriginalText": "SELECT nope FROM people"}
    code, message = error_of(glue.create_table, DatabaseName="default", TableInput=broken)
    assert code == "InvalidInputException" and message.startswith(
        "Invalid view default.broken: COLUMN_NOT_FOUND")
    glue.delete_table(DatabaseName="default", Name="named")
    assert ok(athena, "SHOW VIEWS") == [("first_person",)]


def test_table_versions_read_one_and_expire(glue, data):
    """dbt-athena expires old table versions (versions_to_keep) with DeleteTableVersion."""
    glue.create_table(DatabaseName="default", TableInput=csv_table(f"{data}/", partition_keys=()))
    for note in ("v1", "v2"):
        changed = csv_table(f"{data}/", partition_keys=())
        changed["Parameters"] = {"classification": "csv", "note": note}
        glue.update_table(DatabaseName="default", TableInput=changed)

    def versions():
        return [v["VersionId"] for v in
                glue.get_table_versions(DatabaseName="default", TableName="events")["TableVersions"]]
    assert versions() == ["2", "1", "0"]
    latest = glue.get_table_version(DatabaseName="default", TableName="events")["TableVersion"]
    assert (latest["VersionId"], latest["Table"]["Parameters"]["note"]) == ("2", "v2")
    first = glue.get_table_version(DatabaseName="default", TableName="events", VersionId="0")
    assert "note" not in first["TableVersion"]["Table"]["Parameters"]
    assert error_of(glue.delete_table_version, DatabaseName="default", TableName="events",
                    VersionId="2") == (
        "InvalidInputException",
        "Cannot delete the current version 2 of table events: delete the table instead.")
    glue.delete_table_version(DatabaseName="default", TableName="events", VersionId="0")
    assert versions() == ["2", "1"]
    assert error_of(glue.get_table_version, DatabaseName="default", TableName="events",
                    VersionId="0") == ("EntityNotFoundException",
                                       "Table version 0 of table events not found.")
    errors = glue.batch_delete_table_version(DatabaseName="default", TableName="events",
                                             VersionIds=["1", "7", "2", "x"])["Errors"]
    assert [(e["VersionId"], e["ErrorDetail"]["ErrorCode"]) for e in errors] == [
        ("7", "EntityNotFoundException"), ("2", "InvalidInputException"),
        ("x", "InvalidInputException")]
    assert versions() == ["2"]
    glue.update_table(DatabaseName="default", TableInput=csv_table(f"{data}/", partition_keys=()))
    assert versions() == ["3", "2"]                  # a number is never given out twice
    assert glue.get_table(DatabaseName="default", Name="events")["Table"]["VersionId"] == "3"


def test_sts_get_caller_identity(athena_server, monkeypatch):
    """STS GetCallerIdentity on the same endpoint (dbt-athena asks it for the account)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", athena_server.url)
    sts = boto3.client("sts", region_name="us-east-1")
    identity = sts.get_caller_identity()
    del identity["ResponseMetadata"]
    assert identity == {"UserId": "testing", "Account": "123456789012",
                        "Arn": "arn:aws:iam::123456789012:user/testing"}
    glue = boto3.client("glue", region_name="us-east-1")   # Glue's CatalogId is that account
    assert glue.get_database(Name="default")["Database"]["CatalogId"] == identity["Account"]
    assert error_of(sts.assume_role, RoleArn="arn:aws:iam::123456789012:role/r",
                    RoleSessionName="s1") == (
        "InvalidAction", "Could not find operation AssumeRole for version 2011-06-15 "
        "(Parthenon serves STS GetCallerIdentity only)")
    forged = boto3.client("sts", region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="wrong")
    assert error_of(forged.get_caller_identity)[0] == "SignatureDoesNotMatch"
    stranger = boto3.client("sts", region_name="us-east-1", aws_access_key_id="nobody",
                            aws_secret_access_key="x")
    assert error_of(stranger.get_caller_identity)[0] == "InvalidClientTokenId"


def test_signing_scope_and_one_endpoint(athena_server, monkeypatch):
    """AWS_ENDPOINT_URL alone points boto3's athena and glue clients at Parthenon; each
    request must be signed for its own service."""
    monkeypatch.delenv("AWS_ENDPOINT_URL_ATHENA")
    monkeypatch.setenv("AWS_ENDPOINT_URL", athena_server.url)
    glue = boto3.client("glue", region_name="us-east-1")
    athena = boto3.client("athena", region_name="us-east-1")
    assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == ["default"]
    assert [d["Name"] for d in athena.list_databases(CatalogName="AwsDataCatalog")["DatabaseList"]] == \
        ["default"]

    def send(service, target):
        request = botocore.awsrequest.AWSRequest(
            method="POST", url=athena_server.url + "/", data=b"{}",
            headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials("testing", "testing"),
                                service, "us-east-1").add_auth(request)
        prepared = request.prepare()
        response = urllib3.request("POST", prepared.url, body=prepared.body, headers=dict(prepared.headers))
        return response.status, json.loads(response.data)
    assert send("athena", "AWSGlue.GetDatabases") == (400, {
        "__type": "InvalidSignatureException",
        "message": "Credential should be scoped to correct service: 'glue'."})
    assert send("glue", "AmazonAthena.ListWorkGroups") == (400, {
        "__type": "InvalidSignatureException",
        "message": "Credential should be scoped to correct service: 'athena'."})
    assert send("glue", "AWSGlue.GetDatabases")[0] == 200
    status, body = send("glue", "AWSGlue.GetJobs")
    assert (status, body["__type"]) == (400, "UnknownOperationException")
    assert body["Message"].startswith("Glue operation GetJobs is not supported by Parthenon")


def test_awswrangler_catalog(athena_server, trail, monkeypatch):
    """awswrangler's catalog functions, unchanged, with only AWS_ENDPOINT_URL_GLUE set."""
    wr = pytest.importorskip("awswrangler")
    monkeypatch.setenv("AWS_ENDPOINT_URL_GLUE", athena_server.url)
    databases = wr.catalog.databases()
    assert list(databases["Database"]) == ["default"]
    tables = wr.catalog.tables(database="default")
    assert list(tables["Table"]) == ["cloudtrail_logs"]
    assert tables["Columns"][0].startswith("eventversion, useridentity, eventtime")
    assert tables["Partitions"][0] == "region, year, month, day"
    assert list(wr.catalog.tables(database="default", name_contains="trail")["Table"]) == \
        ["cloudtrail_logs"]
    assert wr.catalog.tables(database="default", name_contains="nothing").empty
    types = wr.catalog.get_table_types(database="default", table="cloudtrail_logs")
    assert list(types.items())[:3] == [
        ("eventversion", "string"),
        ("useridentity", "struct<type:string,principalid:string,arn:string,accountid:string,"
         "invokedby:string,accesskeyid:string,username:string,sessioncontext:struct<attributes:"
         "struct<mfaauthenticated:string,creationdate:string>,sessionissuer:struct<type:string,"
         "principalid:string,arn:string,accountid:string,username:string>>>"),
        ("eventtime", "string")]
    assert list(types)[-4:] == ["region", "year", "month", "day"]
    assert wr.catalog.get_table_location(database="default", table="cloudtrail_logs") == trail
    assert wr.catalog.does_table_exist(database="default", table="cloudtrail_logs")
    assert not wr.catalog.does_table_exist(database="default", table="nope")
    parts = wr.catalog.get_partitions(database="default", table="cloudtrail_logs",
                                      expression="day = '16'")
    assert parts == {f"{trail}us-east-1/2017/06/16/": ["us-east-1", "2017", "06", "16"]}
    wr.catalog.create_database("from_wrangler", description="made by awswrangler")
    wr.catalog.create_csv_table(database="from_wrangler", table="t", path="s3://bucket/t/",
                                columns_types={"a": "int", "b": "string"},
                                partitions_types={"dt": "string"})
    wr.catalog.add_csv_partitions(database="from_wrangler", table="t",
                                  partitions_values={"s3://bucket/t/dt=1/": ["1"]})
    assert wr.catalog.get_table_types(database="from_wrangler", table="t") == \
        {"a": "int", "b": "string", "dt": "string"}
    assert wr.catalog.get_partitions(database="from_wrangler", table="t") == \
        {"s3://bucket/t/dt=1/": ["1"]}
    assert wr.catalog.delete_table_if_exists(database="from_wrangler", table="t")
    assert wr.catalog.delete_database("from_wrangler") is None
    assert list(wr.catalog.databases()["Database"]) == ["default"]


def test_awswrangler_parquet_datasets(athena_server, s3, monkeypatch):
    """wr.s3.to_parquet(dataset=True, database=, table=) writes Parquet to S3 and the table and
    its partitions through Glue; each mode's rows then read back through Athena."""
    wr = pytest.importorskip("awswrangler")
    import pandas as pd
    monkeypatch.setenv("AWS_ENDPOINT_URL_GLUE", athena_server.url)
    s3.create_bucket(Bucket="lake")
    path, out = "s3://lake/events/", f"s3://{BUCKET}/wr/"

    def write(mode, *rows):
        df = pd.DataFrame(rows, columns=["id", "name", "day"])
        wr.s3.to_parquet(df, path=path, dataset=True, database="default", table="events",
                         mode=mode, partition_cols=["day"])

    def read():
        df = wr.athena.read_sql_query("SELECT * FROM events ORDER BY id", database="default",
                                      s3_output=out, ctas_approach=False)
        return [tuple(r) for r in df.itertuples(index=False)]

    write("overwrite", (1, "a", "2024-01-01"), (2, "b", "2024-01-01"), (3, "c", "2024-01-02"))
    assert wr.catalog.get_table_types(database="default", table="events") == \
        {"id": "bigint", "name": "string", "day": "string"}
    assert read() == [(1, "a", "2024-01-01"), (2, "b", "2024-01-01"), (3, "c", "2024-01-02")]
    write("append", (4, "d", "2024-01-03"))
    table = wr.athena.read_sql_table("events", database="default", s3_output=out)   # CTAS
    assert sorted(tuple(r) for r in table.itertuples(index=False)) == [
        (1, "a", "2024-01-01"), (2, "b", "2024-01-01"), (3, "c", "2024-01-02"), (4, "d", "2024-01-03")]
    assert [str(t) for t in table.dtypes] == ["Int64", "string", "string"]
    write("overwrite_partitions", (5, "e", "2024-01-01"))
    assert read() == [(3, "c", "2024-01-02"), (4, "d", "2024-01-03"), (5, "e", "2024-01-01")]
    write("overwrite", (6, "f", "2024-02-01"))
    assert read() == [(6, "f", "2024-02-01")]
    assert wr.catalog.get_partitions(database="default", table="events") == \
        {f"{path}day=2024-02-01/": ["2024-02-01"]}
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="lake")["Contents"]]
    assert [k.rsplit("/", 1)[0] for k in keys] == ["events/day=2024-02-01"]
