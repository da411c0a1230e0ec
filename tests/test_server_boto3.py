"""The Athena API through boto3, against a real `parthenon serve`: the article's program
(start, poll, page results, read the CSV from the bucket), errors, and the other actions."""
from __future__ import annotations

import botocore.exceptions
import pytest

from parthenon.errors import SqlSyntaxError
from parthenon.sql.parser import parse_statement

from test_cloudtrail import AUTOSCALER, SEED_QUERY
from test_server_support import BUCKET, athena, athena_server, rows, run, trail, wait  # noqa: F401


def test_the_articles_program(athena, trail, s3):
    qid = athena.start_query_execution(
        QueryString=SEED_QUERY, QueryExecutionContext={"Database": "default"},
        ResultConfiguration={"OutputLocation": f"s3://{BUCKET}/seed"})["QueryExecutionId"]
    q = wait(athena, qid)
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert q["StatementType"] == "DML"
    assert q["ResultConfiguration"]["OutputLocation"] == f"s3://{BUCKET}/seed/{qid}.csv"
    assert q["QueryExecutionContext"] == {"Database": "default", "Catalog": "AwsDataCatalog"}
    stats = q["Statistics"]
    assert stats["DataScannedInBytes"] > 0
    assert stats["TotalExecutionTimeInMillis"] >= stats["EngineExecutionTimeInMillis"]
    assert q["Status"]["CompletionDateTime"] >= q["Status"]["SubmissionDateTime"]

    result = athena.get_query_results(QueryExecutionId=qid)
    info = result["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]
    assert [(c["Name"], c["Type"]) for c in info] == [
        ("eventname", "varchar"), ("arn", "varchar"), ("sourceipaddress", "varchar"), ("count", "bigint")]
    assert info[0]["Precision"] == 2147483647 and info[3]["Precision"] == 19
    assert [[d.get("VarCharValue") for d in r["Data"]] for r in result["ResultSet"]["Rows"]] == [
        ["eventname", "arn", "sourceipaddress", "count"],
        ["DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.7", "5"],
        ["DescribeAutoScalingGroups", "arn:aws:iam::123456789012:user/alice", "198.51.100.1", "2"],
    ]
    csv = s3.get_object(Bucket=BUCKET, Key=f"seed/{qid}.csv")["Body"].read().decode()
    assert csv == ('"eventname","arn","sourceipaddress","count"\n'
                   f'"DescribeAutoScalingGroups","{AUTOSCALER}","10.0.0.7","5"\n'
                   '"DescribeAutoScalingGroups","arn:aws:iam::123456789012:user/alice","198.51.100.1","2"\n')
    meta = s3.get_object(Bucket=BUCKET, Key=f"seed/{qid}.csv.metadata")["Body"].read()
    assert qid.encode() in meta and b"eventname" in meta and b"bigint" in meta


def test_nulls_empty_strings_types_and_csv(athena, s3):
    qid, q = run(athena, "SELECT 1 AS i, 'a\"b' AS s, NULL AS n, '' AS e, CAST(2.5 AS DOUBLE) AS d, "
                         "true AS b, DATE '2024-02-29' AS dt, CAST(1.25 AS DECIMAL(10,2)) AS m, "
                         "ARRAY[1, 2] AS arr")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    result = athena.get_query_results(QueryExecutionId=qid)
    data = result["ResultSet"]["Rows"][1]["Data"]
    assert data == [{"VarCharValue": "1"}, {"VarCharValue": 'a"b'}, {}, {"VarCharValue": ""},
                    {"VarCharValue": "2.5"}, {"VarCharValue": "true"}, {"VarCharValue": "2024-02-29"},
                    {"VarCharValue": "1.25"}, {"VarCharValue": "[1, 2]"}]
    info = result["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]
    assert [c["Type"] for c in info] == ["integer", "varchar", "unknown", "varchar", "double",
                                         "boolean", "date", "decimal", "array"]
    assert (info[7]["Precision"], info[7]["Scale"]) == (10, 2)
    body = s3.get_object(Bucket=BUCKET, Key=f"results/{qid}.csv")["Body"].read().decode()
    assert body.splitlines()[1] == '"1","a""b",,"","2.5","true","2024-02-29","1.25","[1, 2]"'


def test_paging_header_only_on_first_page(athena):
    qid, q = run(athena, "SELECT x FROM UNNEST(sequence(1, 2500)) AS t(x) ORDER BY x")
    first = athena.get_query_results(QueryExecutionId=qid)
    assert len(first["ResultSet"]["Rows"]) == 1000
    assert first["ResultSet"]["Rows"][0]["Data"] == [{"VarCharValue": "x"}]
    assert first["ResultSet"]["Rows"][999]["Data"] == [{"VarCharValue": "999"}]
    second = athena.get_query_results(QueryExecutionId=qid, NextToken=first["NextToken"])
    assert second["ResultSet"]["Rows"][0]["Data"] == [{"VarCharValue": "1000"}]
    assert rows(athena, qid, PaginationConfig={"PageSize": 300}) == \
        [("x",)] + [(str(i),) for i in range(1, 2501)]
    small = athena.get_query_results(QueryExecutionId=qid, MaxResults=2)
    assert [r["Data"][0]["VarCharValue"] for r in small["ResultSet"]["Rows"]] == ["x", "1"]


def test_show_and_ddl_have_no_header_and_write_txt(athena, trail, s3):
    qid, q = run(athena, "SHOW TABLES")
    assert q["StatementType"] == "UTILITY"
    assert q["ResultConfiguration"]["OutputLocation"].endswith(f"{qid}.txt")
    assert rows(athena, qid) == [("cloudtrail_logs",)]
    assert s3.get_object(Bucket=BUCKET, Key=f"results/{qid}.txt")["Body"].read() == b"cloudtrail_logs\n"
    qid, q = run(athena, "CREATE DATABASE IF NOT EXISTS audit")
    assert (q["StatementType"], q["Status"]["State"]) == ("DDL", "SUCCEEDED")
    assert athena.get_query_results(QueryExecutionId=qid)["ResultSet"]["Rows"] == []


def test_failed_query_reports_athenas_error(athena):
    qid, q = run(athena, "SELECT * FROM no_such_table")
    assert q["Status"]["State"] == "FAILED"
    message = "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.no_such_table' does not exist"
    assert q["Status"]["StateChangeReason"] == message
    assert q["Status"]["AthenaError"] == {"ErrorCategory": 2, "ErrorType": 1301, "Retryable": False,
                                          "ErrorMessage": message}
    with pytest.raises(athena.exceptions.InvalidRequestException) as e:
        athena.get_query_results(QueryExecutionId=qid)
    assert e.value.response["Error"]["Message"] == \
        "Query did not finish successfully. Final query state: FAILED"
    # the context database is looked up only when a name needs it, as Trino's session schema
    qid, q = run(athena, "SELECT 1", database="nowhere")
    assert q["Status"]["State"] == "SUCCEEDED"
    qid, q = run(athena, "SELECT * FROM t", database="nowhere")
    assert q["Status"]["StateChangeReason"] == \
        "SCHEMA_NOT_FOUND: line 1:15: Schema 'nowhere' does not exist"


def test_syntax_error_is_refused_at_start(athena):
    with pytest.raises(athena.exceptions.InvalidRequestException) as e:
        athena.start_query_execution(QueryString="SELECT 1 +", ResultConfiguration={
            "OutputLocation": f"s3://{BUCKET}/x/"})
    assert e.value.response["AthenaErrorCode"] == "MALFORMED_QUERY"
    # Athena's text without the SYNTAX_ERROR prefix: "line 1:11: mismatched input ..."
    with pytest.raises(SqlSyntaxError) as expected:
        parse_statement("SELECT 1 +")
    assert e.value.response["Error"]["Message"] == str(expected.value).removeprefix("SYNTAX_ERROR: ")
    assert e.value.response["Error"]["Message"].startswith("line 1:")
    assert athena.list_query_executions()["QueryExecutionIds"] == []


def test_unknown_ids_and_actions(athena, athena_server):
    with pytest.raises(athena.exceptions.ResourceNotFoundException) as e:
        athena.get_query_execution(QueryExecutionId="00000000-0000-0000-0000-000000000000")
    assert e.value.response["Error"]["Message"] == \
        "QueryExecution 00000000-0000-0000-0000-000000000000 was not found"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        athena.list_capacity_reservations()
    assert e.value.response["Error"]["Code"] == "UnknownOperationException"


def test_idempotency_token(athena):
    token = "t" * 40
    args = dict(QueryString="SELECT 1", ClientRequestToken=token,
                ResultConfiguration={"OutputLocation": f"s3://{BUCKET}/r/"})
    a = athena.start_query_execution(**args)["QueryExecutionId"]
    assert athena.start_query_execution(**args)["QueryExecutionId"] == a
    with pytest.raises(athena.exceptions.InvalidRequestException) as e:
        athena.start_query_execution(**{**args, "QueryString": "SELECT 2"})
    assert e.value.response["Error"]["Message"] == "Idempotent parameters do not match"


def test_execution_parameters_and_prepared_statements(athena):
    qid, q = run(athena, "SELECT ? + 1 AS n, ? AS s", ExecutionParameters=["41", "'it''s'"])
    assert rows(athena, qid)[1] == ("42", "it's")
    athena.create_prepared_statement(StatementName="plus", WorkGroup="primary",
                                     QueryStatement="SELECT ? * 2 AS doubled, '?' AS q")
    assert athena.get_prepared_statement(StatementName="plus", WorkGroup="primary")[
        "PreparedStatement"]["QueryStatement"] == "SELECT ? * 2 AS doubled, '?' AS q"
    qid, q = run(athena, "EXECUTE plus USING 21")
    assert rows(athena, qid) == [("doubled", "q"), ("42", "?")]
    qid, q = run(athena, "EXECUTE plus", ExecutionParameters=["5"])
    assert rows(athena, qid)[1] == ("10", "?")
    assert [s["StatementName"] for s in athena.list_prepared_statements(WorkGroup="primary")[
        "PreparedStatements"]] == ["plus"]
    athena.delete_prepared_statement(StatementName="plus", WorkGroup="primary")
    with pytest.raises(athena.exceptions.ResourceNotFoundException):
        athena.get_prepared_statement(StatementName="plus", WorkGroup="primary")


def test_workgroups(athena, s3):
    names = [w["Name"] for w in athena.list_work_groups()["WorkGroups"]]
    assert names == ["primary"]
    athena.create_work_group(Name="analysts", Description="team", Configuration={
        "ResultConfiguration": {"OutputLocation": f"s3://{BUCKET}/analysts/"},
        "EnforceWorkGroupConfiguration": True})
    wg = athena.get_work_group(WorkGroup="analysts")["WorkGroup"]
    assert wg["Configuration"]["ResultConfiguration"]["OutputLocation"] == f"s3://{BUCKET}/analysts/"
    assert wg["State"] == "ENABLED" and wg["Description"] == "team"
    # the enforced workgroup location wins over the client's
    qid, q = run(athena, "SELECT 1", WorkGroup="analysts", output=f"s3://{BUCKET}/mine/")
    assert q["ResultConfiguration"]["OutputLocation"] == f"s3://{BUCKET}/analysts/{qid}.csv"
    assert athena.list_query_executions(WorkGroup="analysts")["QueryExecutionIds"] == [qid]
    # no OutputLocation from the client: primary's configured one is used
    athena.update_work_group(WorkGroup="primary", ConfigurationUpdates={
        "ResultConfigurationUpdates": {"OutputLocation": f"s3://{BUCKET}/primary/"}})
    qid = athena.start_query_execution(QueryString="SELECT 2")["QueryExecutionId"]
    assert wait(athena, qid)["ResultConfiguration"]["OutputLocation"] == f"s3://{BUCKET}/primary/{qid}.csv"
    athena.update_work_group(WorkGroup="analysts", State="DISABLED")
    with pytest.raises(athena.exceptions.InvalidRequestException) as e:
        athena.start_query_execution(QueryString="SELECT 1", WorkGroup="analysts")
    assert e.value.response["Error"]["Message"] == "WorkGroup analysts is disabled."
    with pytest.raises(athena.exceptions.InvalidRequestException):
        athena.delete_work_group(WorkGroup="primary")
    athena.delete_work_group(WorkGroup="analysts")
    with pytest.raises(athena.exceptions.InvalidRequestException) as e:
        athena.get_work_group(WorkGroup="analysts")
    assert e.value.response["Error"]["Message"] == "WorkGroup analysts is not found."


def test_bytes_scanned_cutoff_cancels(athena, athena_server, trail):
    athena.create_work_group(Name="tight", Configuration={"BytesScannedCutoffPerQuery": 10_000_000})
    # boto3 refuses limits under 10 MB (Athena's minimum); the test data is smaller
    athena_server.service.update_work_group(
        {"WorkGroup": "tight", "ConfigurationUpdates": {"BytesScannedCutoffPerQuery": 10}})
    qid, q = run(athena, "SELECT count(*) FROM cloudtrail_logs", WorkGroup="tight")
    assert q["Status"]["State"] == "CANCELLED"
    assert "data usage limit" in q["Status"]["StateChangeReason"]


def test_named_queries(athena):
    nid = athena.create_named_query(Name="top", Database="default", QueryString="SELECT 1",
                                    Description="d")["NamedQueryId"]
    assert athena.get_named_query(NamedQueryId=nid)["NamedQuery"] == {
        "Name": "top", "Description": "d", "Database": "default", "QueryString": "SELECT 1",
        "NamedQueryId": nid, "WorkGroup": "primary"}
    athena.update_named_query(NamedQueryId=nid, Name="top2", QueryString="SELECT 2")
    got = athena.batch_get_named_query(NamedQueryIds=[nid, "missing"])
    assert [n["Name"] for n in got["NamedQueries"]] == ["top2"]
    assert got["UnprocessedNamedQueryIds"][0]["NamedQueryId"] == "missing"
    assert athena.list_named_queries()["NamedQueryIds"] == [nid]
    athena.delete_named_query(NamedQueryId=nid)
    assert athena.list_named_queries()["NamedQueryIds"] == []


def test_catalog_metadata(athena, trail):
    assert athena.list_data_catalogs()["DataCatalogsSummary"][0]["CatalogName"] == "AwsDataCatalog"
    assert athena.get_data_catalog(Name="AwsDataCatalog")["DataCatalog"]["Type"] == "GLUE"
    assert [d["Name"] for d in athena.list_databases(CatalogName="AwsDataCatalog")["DatabaseList"]] == ["default"]
    assert athena.get_database(CatalogName="AwsDataCatalog", DatabaseName="default")["Database"]["Name"] == "default"
    t = athena.get_table_metadata(CatalogName="AwsDataCatalog", DatabaseName="default",
                                  TableName="cloudtrail_logs")["TableMetadata"]
    assert t["TableType"] == "EXTERNAL_TABLE"
    assert t["Columns"][0] == {"Name": "eventversion", "Type": "string"}
    assert [k["Name"] for k in t["PartitionKeys"]] == ["region", "year", "month", "day"]
    assert t["Parameters"]["serde.serialization.lib"] == "com.amazon.emr.hive.serde.CloudTrailSerde"
    assert t["Parameters"]["location"].startswith("s3://trail-bucket/")
    listed = athena.list_table_metadata(CatalogName="AwsDataCatalog", DatabaseName="default")
    assert [x["Name"] for x in listed["TableMetadataList"]] == ["cloudtrail_logs"]
    with pytest.raises(athena.exceptions.MetadataException):
        athena.get_table_metadata(CatalogName="AwsDataCatalog", DatabaseName="default", TableName="nope")


def test_history_listing_batch_and_runtime_statistics(athena):
    ids = [run(athena, f"SELECT {i}")[0] for i in range(3)]
    listed = athena.list_query_executions(MaxResults=2)
    assert listed["QueryExecutionIds"] == ids[::-1][:2]
    assert athena.list_query_executions(NextToken=listed["NextToken"])["QueryExecutionIds"] == [ids[0]]
    got = athena.batch_get_query_execution(QueryExecutionIds=ids + ["nope"])
    assert sorted(q["QueryExecutionId"] for q in got["QueryExecutions"]) == sorted(ids)
    assert got["UnprocessedQueryExecutionIds"][0]["QueryExecutionId"] == "nope"
    stats = athena.get_query_runtime_statistics(QueryExecutionId=ids[0])["QueryRuntimeStatistics"]
    assert stats["Rows"]["OutputRows"] == 1
    assert stats["Timeline"]["TotalExecutionTimeInMillis"] >= 0


def test_alter_table_through_the_api(athena, trail):
    """ALTER TABLE is DDL: GetTableMetadata and the next query see the change at once."""
    qid, q = run(athena, "ALTER TABLE cloudtrail_logs ADD COLUMNS (tlsdetails string COMMENT 'new')")
    assert (q["StatementType"], q["Status"]["State"]) == ("DDL", "SUCCEEDED"), q["Status"]
    t = athena.get_table_metadata(CatalogName="AwsDataCatalog", DatabaseName="default",
                                  TableName="cloudtrail_logs")["TableMetadata"]
    assert t["Columns"][-1] == {"Name": "tlsdetails", "Type": "string", "Comment": "new"}
    assert [k["Name"] for k in t["PartitionKeys"]] == ["region", "year", "month", "day"]
    qid, q = run(athena, "SELECT count(*), count(tlsdetails) FROM cloudtrail_logs")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    count = rows(athena, qid)[1]
    assert int(count[0]) > 0 and count[1] == "0"
    qid, q = run(athena, "ALTER TABLE cloudtrail_logs PARTITION (region='nowhere', year='1', "
                         "month='1', day='1') SET LOCATION 's3://b/x/'")
    assert q["Status"]["State"] == "FAILED"
    assert q["Status"]["StateChangeReason"] == (
        "INVALID_DDL: Partition not found: default.cloudtrail_logs "
        "{region=nowhere, year=1, month=1, day=1}")
