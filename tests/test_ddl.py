"""DDL, SHOW, DESCRIBE and MSCK against the catalog (parthenon.catalog.ddl / show).

Expected layouts follow Athena.  DESCRIBE / SHOW COLUMNS rows reproduce rules
measured on real Athena by the athena-local project (Hive rows of three fields
left-aligned to 20 characters, blank rows "\\t \\t ", SHOW COLUMNS padded to 20);
MSCK's wording is Hive's ("Partitions not in metastore:" / "Repair: Added
partition to metastore"), which Athena prints as is.
"""
from __future__ import annotations

import pytest

from parthenon.catalog.ddl import execute_ddl
from parthenon.catalog.model import Column, Partition
from parthenon.catalog.store import CatalogStore
from parthenon.errors import SqlSyntaxError
from parthenon.sql.parser import parse_statement

NOW = 1700000000   # Tue Nov 14 22:13:20 UTC 2023

CLOUDTRAIL_COLUMNS = """eventversion STRING,
  useridentity STRUCT<type:STRING, principalid:STRING, arn:STRING, accountid:STRING,
    invokedby:STRING, accesskeyid:STRING, username:STRING,
    sessioncontext:STRUCT<attributes:STRUCT<mfaauthenticated:STRING, creationdate:STRING>,
      sessionissuer:STRUCT<type:STRING, principalid:STRING, arn:STRING, accountid:STRING, username:STRING>>>,
  eventtime STRING, eventsource STRING, eventname STRING, awsregion STRING, sourceipaddress STRING,
  useragent STRING, errorcode STRING, errormessage STRING, requestparameters STRING,
  responseelements STRING, additionaleventdata STRING, requestid STRING, eventid STRING,
  resources ARRAY<STRUCT<arn:STRING, accountid:STRING, type:STRING>>, eventtype STRING,
  apiversion STRING, readonly STRING, recipientaccountid STRING, serviceeventdetails STRING,
  sharedeventid STRING, vpcendpointid STRING"""

# The project's headline statement, exactly as the brief gives it (one line).
CLOUDTRAIL_DDL = (
    "CREATE EXTERNAL TABLE cloudtrail_logs ( eventversion STRING, useridentity STRUCT<type:STRING, "
    "principalid:STRING, arn:STRING, accountid:STRING, invokedby:STRING, accesskeyid:STRING, "
    "username:STRING, sessioncontext:STRUCT<attributes:STRUCT<mfaauthenticated:STRING, "
    "creationdate:STRING>, sessionissuer:STRUCT<type:STRING, principalid:STRING, arn:STRING, "
    "accountid:STRING, username:STRING>>>, eventtime STRING, eventsource STRING, eventname STRING, "
    "awsregion STRING, sourceipaddress STRING, useragent STRING, errorcode STRING, errormessage STRING, "
    "requestparameters STRING, responseelements STRING, additionaleventdata STRING, requestid STRING, "
    "eventid STRING, resources ARRAY<STRUCT<arn:STRING, accountid:STRING, type:STRING>>, eventtype "
    "STRING, apiversion STRING, readonly STRING, recipientaccountid STRING, serviceeventdetails STRING, "
    "sharedeventid STRING, vpcendpointid STRING) PARTITIONED BY (region STRING, year STRING, month "
    "STRING, day STRING) ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' STORED AS "
    "INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat' OUTPUTFORMAT "
    "'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat' LOCATION "
    "'s3://bucket/AWSLogs/123456789012/CloudTrail/';")

USERIDENTITY_TYPE = (
    "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,"
    "accesskeyid:string,username:string,sessioncontext:struct<attributes:struct<"
    "mfaauthenticated:string,creationdate:string>,sessionissuer:struct<type:string,"
    "principalid:string,arn:string,accountid:string,username:string>>>")

CLOUDTRAIL_NAMES = [
    "eventversion", "useridentity", "eventtime", "eventsource", "eventname", "awsregion",
    "sourceipaddress", "useragent", "errorcode", "errormessage", "requestparameters",
    "responseelements", "additionaleventdata", "requestid", "eventid", "resources", "eventtype",
    "apiversion", "readonly", "recipientaccountid", "serviceeventdetails", "sharedeventid",
    "vpcendpointid"]

TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
LAZY = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"

CSV_DDL = ("CREATE EXTERNAL TABLE logs.csv (a INT, B STRING COMMENT 'the b') COMMENT 'a csv' "
           "PARTITIONED BY (dt STRING) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' "
           "ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' LOCATION 's3://bucket/csv/' "
           "TBLPROPERTIES ('skip.header.line.count'='1')")


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setattr("parthenon.catalog.store.time.time", lambda: NOW)
    return CatalogStore(tmp_path / "catalog.db")


def run(store, sql, database="default", **kw):
    return execute_ddl(store, parse_statement(sql), sql, database, **kw)


def lines(result):
    """Each row as one line: a DESCRIBE's three fields joined by tabs, as its .txt file holds them."""
    assert [c.name for c in result.columns] in (
        [result.columns[0].name], ["col_name", "data_type", "comment"])
    return ["\t".join(row) for row in result.rows()]


def error_of(store, sql, database="default", **kw) -> str:
    with pytest.raises(Exception) as info:
        run(store, sql, database, **kw)
    return str(info.value)


def row(name, type_, comment=""):
    return f"{name:<20}\t{type_:<20}\t{comment:<20}"


BLANK = "\t \t "
HEADER = "# col_name            \tdata_type           \tcomment             "


# -- what is not DDL ---------------------------------------------------------------------------

@pytest.mark.parametrize("sql", [
    "SELECT 1", "WITH a AS (SELECT 1) SELECT * FROM a", "SELECT 1 UNION SELECT 2",
    "VALUES 1, 2", "(SELECT 1)", "USE logs",
    # writes are the session's: CTAS, INSERT INTO, UNLOAD
    "CREATE TABLE t AS SELECT 1", "CREATE TABLE t WITH (format='PARQUET') AS SELECT 1",
    "INSERT INTO t SELECT 1", "UNLOAD (SELECT 1) TO 's3://b/x/' WITH (format='PARQUET')"])
def test_queries_writes_and_use_are_left_to_the_caller(store, sql):
    assert run(store, sql) is None


@pytest.mark.parametrize("sql, message", [
    ("ALTER TABLE t RENAME TO u", "NOT_SUPPORTED: ALTER TABLE RENAME TO is not supported"),
    ("ALTER TABLE t SET SERDEPROPERTIES ('a'='b')",
     "NOT_SUPPORTED: ALTER TABLE SET SERDEPROPERTIES (...) is not supported"),
    ("ALTER TABLE t PARTITION (dt='1') TOUCH",
     "NOT_SUPPORTED: ALTER TABLE PARTITION (...) TOUCH is not supported"),
    ("ALTER TABLE t SET FILEFORMAT PARQUET", "NOT_SUPPORTED: ALTER TABLE SET FILEFORMAT is not supported"),
    ("ALTER TABLE t", "NOT_SUPPORTED: ALTER TABLE without an action is not supported"),
    ("EXPLAIN SELECT 1", "NOT_SUPPORTED: EXPLAIN is not supported"),
    ("SHOW ROLES", "NOT_SUPPORTED: SHOW ROLES is not supported"),
    ("DELETE FROM t WHERE a = 1", "NOT_SUPPORTED: DELETE is not supported: Athena runs it on "
                                  "Iceberg tables only, and Parthenon has no Iceberg tables"),
])
def test_other_statements_are_not_supported_by_name(store, sql, message):
    assert error_of(store, sql) == message


# -- databases ----------------------------------------------------------------------------------

def test_create_database_with_every_option(store):
    result = run(store, "CREATE DATABASE IF NOT EXISTS Logs COMMENT 'app logs' "
                        "LOCATION 's3://bucket/logs/' WITH DBPROPERTIES ('creator'='ops', 'team'='sec')")
    assert result.statement_type == "DDL" and result.columns == []
    db = store.get_database("logs")
    assert (db.name, db.comment, db.location, db.properties) == (
        "logs", "app logs", "s3://bucket/logs/", {"creator": "ops", "team": "sec"})
    run(store, "CREATE SCHEMA security")
    assert lines(run(store, "SHOW DATABASES")) == ["default", "logs", "security"]
    assert lines(run(store, "SHOW SCHEMAS LIKE 'l*|sec*'")) == ["logs", "security"]
    assert run(store, "SHOW DATABASES").statement_type == "UTILITY"


def test_create_database_twice(store):
    run(store, "CREATE DATABASE logs")
    assert run(store, "CREATE DATABASE IF NOT EXISTS logs COMMENT 'other'").message == \
        "Database logs already exists"
    assert store.get_database("logs").comment is None
    assert error_of(store, "CREATE SCHEMA logs") == "ALREADY_EXISTS: Database logs already exists"


def test_drop_database_restrict_and_cascade(store):
    run(store, "CREATE DATABASE logs")
    run(store, "CREATE EXTERNAL TABLE logs.t (a int) LOCATION 's3://b/t/'")
    assert error_of(store, "DROP DATABASE logs") == \
        "INVALID_DDL: Database logs is not empty. One or more tables exist."
    assert error_of(store, "DROP SCHEMA logs RESTRICT") == \
        "INVALID_DDL: Database logs is not empty. One or more tables exist."
    run(store, "DROP DATABASE logs CASCADE")
    assert store.get_database("logs") is None and store.get_table("logs", "t") is None
    assert run(store, "DROP DATABASE IF EXISTS logs").message == "Database logs does not exist"
    assert error_of(store, "DROP SCHEMA nope") == "SCHEMA_NOT_FOUND: Database does not exist: nope"


def test_create_database_bad_clause_is_a_syntax_error(store):
    assert error_of(store, "CREATE DATABASE logs OWNER 'me'") == (
        "SYNTAX_ERROR: line 1:22: mismatched input 'OWNER'. "
        "Expecting: COMMENT, LOCATION or WITH DBPROPERTIES")


# -- CREATE EXTERNAL TABLE ------------------------------------------------------------------------

def test_cloudtrail_headline_ddl(store):
    result = run(store, CLOUDTRAIL_DDL)
    assert result.statement_type == "DDL"
    assert result.message == "Table default.cloudtrail_logs created"
    t = store.require_table("default", "cloudtrail_logs")
    assert [c.name for c in t.columns] == CLOUDTRAIL_NAMES
    assert t.columns[1] == Column("useridentity", USERIDENTITY_TYPE)
    assert t.columns[15] == Column("resources", "array<struct<arn:string,accountid:string,type:string>>")
    assert all(c.type == "string" for i, c in enumerate(t.columns) if i not in (1, 15))
    assert t.partition_keys == [Column(k, "string") for k in ("region", "year", "month", "day")]
    assert (t.serde, t.input_format, t.output_format) == (
        "com.amazon.emr.hive.serde.CloudTrailSerde",
        "com.amazon.emr.cloudtrail.CloudTrailInputFormat", TEXT_OUTPUT)
    assert (t.stored_as, t.row_format_delimited, t.serde_properties, t.table_properties) == (
        None, False, {}, {})
    assert (t.location, t.table_type, t.comment, t.created_at) == (
        "s3://bucket/AWSLogs/123456789012/CloudTrail/", "EXTERNAL_TABLE", None, NOW)


def test_cloudtrail_current_doc_form_with_hive_json_serde(store):
    run(store, f"""CREATE EXTERNAL TABLE ct ({CLOUDTRAIL_COLUMNS})
        COMMENT 'CloudTrail table for my-bucket'
        ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
        STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
        OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
        LOCATION 's3://my-bucket/AWSLogs/111122223333/'
        TBLPROPERTIES ('classification'='cloudtrail')""")
    t = store.require_table("default", "ct")
    assert t.columns[1].type == USERIDENTITY_TYPE
    assert (t.serde, t.input_format, t.comment, t.table_properties) == (
        "org.apache.hive.hcatalog.data.JsonSerDe", "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
        "CloudTrail table for my-bucket", {"classification": "cloudtrail"})


def test_cloudtrail_openx_form_with_serde_properties(store):
    run(store, f"""CREATE EXTERNAL TABLE IF NOT EXISTS ct ({CLOUDTRAIL_COLUMNS})
        PARTITIONED BY (account STRING, region STRING, `date` STRING)
        ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
        WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'case.insensitive'='false')
        STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
        OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
        LOCATION 's3://my-bucket/AWSLogs/'""")
    t = store.require_table("default", "ct")
    assert t.serde == "org.openx.data.jsonserde.JsonSerDe"
    assert t.serde_properties == {"ignore.malformed.json": "true", "case.insensitive": "false"}
    assert [k.name for k in t.partition_keys] == ["account", "region", "date"]


def test_blog_typo_in_cloudtrail_ddl_is_a_syntax_error(store):
    # One '>' too many after sessionissuer: the column list is never closed before PARTITIONED BY.
    typo = CLOUDTRAIL_DDL.replace("username:STRING>>>,", "username:STRING>>>>,")
    assert typo != CLOUDTRAIL_DDL
    with pytest.raises(SqlSyntaxError) as info:
        parse_statement(typo)
    assert str(info.value).startswith("SYNTAX_ERROR: line 1:")
    assert store.list_tables("default") == []


def test_row_format_delimited_uses_hive_serde_properties(store):
    run(store, "CREATE DATABASE logs")
    run(store, "CREATE EXTERNAL TABLE logs.t (a int, m map<string,int>, l array<string>) "
               "ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' "
               "COLLECTION ITEMS TERMINATED BY '|' MAP KEYS TERMINATED BY ':' "
               "LINES TERMINATED BY '\\n' NULL DEFINED AS 'NULL' LOCATION '/data/t/'")
    t = store.require_table("logs", "t")
    assert t.serde_properties == {
        "field.delim": "\t", "serialization.format": "\t", "escape.delim": "\\",
        "collection.delim": "|", "mapkey.delim": ":", "line.delim": "\n",
        "serialization.null.format": "NULL"}
    assert (t.serde, t.row_format_delimited, t.stored_as, t.input_format, t.output_format) == (
        LAZY, True, "TEXTFILE", TEXT_INPUT, TEXT_OUTPUT)


def test_no_row_format_and_no_stored_as_is_hive_text(store):
    run(store, "CREATE EXTERNAL TABLE t (a int) LOCATION 'file:///data/t/'")
    t = store.require_table("default", "t")
    assert (t.serde, t.stored_as, t.input_format, t.output_format, t.serde_properties,
            t.row_format_delimited, t.location) == (
        LAZY, "TEXTFILE", TEXT_INPUT, TEXT_OUTPUT, {}, False, "file:///data/t/")


@pytest.mark.parametrize("fmt, serde, input_format, output_format", [
    ("PARQUET", "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
     "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
     "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"),
    ("ORC", "org.apache.hadoop.hive.ql.io.orc.OrcSerde", "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
     "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat"),
    ("AVRO", "org.apache.hadoop.hive.serde2.avro.AvroSerDe",
     "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
     "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat"),
    ("JSON", "org.apache.hive.hcatalog.data.JsonSerDe", TEXT_INPUT, TEXT_OUTPUT),
    ("TEXTFILE", LAZY, TEXT_INPUT, TEXT_OUTPUT),
])
def test_stored_as_sets_hive_classes(store, fmt, serde, input_format, output_format):
    run(store, f"CREATE EXTERNAL TABLE t (a int) STORED AS {fmt.lower()} LOCATION 's3://b/t/'")
    t = store.require_table("default", "t")
    assert (t.stored_as, t.serde, t.input_format, t.output_format) == (
        fmt, serde, input_format, output_format)


def test_explicit_serde_wins_over_stored_as(store):
    run(store, "CREATE EXTERNAL TABLE t (a int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
               "STORED AS TEXTFILE WITH SERDEPROPERTIES ('ignore.malformed.json'='true')")
    t = store.require_table("default", "t")
    assert (t.serde, t.stored_as, t.serde_properties, t.location) == (
        "org.openx.data.jsonserde.JsonSerDe", "TEXTFILE", {"ignore.malformed.json": "true"}, None)


def test_types_and_names_are_normalized(store):
    run(store, "CREATE EXTERNAL TABLE `Mixed` (`EventName` STRING, Amount DECIMAL(10, 2), d DECIMAL, "
               "m MAP<STRING, INT>, r ARRAY<STRUCT<Arn:STRING>>, v VARCHAR(20), c CHAR(3), "
               "n STRUCT<`From`:STRING, Inner:STRUCT<X:BIGINT>>, i INTEGER, f FLOAT, b BOOLEAN, "
               "ts TIMESTAMP, dt DATE, bin BINARY, ti TINYINT, si SMALLINT, db DOUBLE) "
               "LOCATION 's3://b/m/'")
    t = store.require_table("default", "mixed")
    assert [(c.name, c.type) for c in t.columns] == [
        ("eventname", "string"), ("amount", "decimal(10,2)"), ("d", "decimal(10,0)"),
        ("m", "map<string,int>"), ("r", "array<struct<arn:string>>"), ("v", "varchar(20)"),
        ("c", "char(3)"), ("n", "struct<from:string,inner:struct<x:bigint>>"), ("i", "int"),
        ("f", "float"), ("b", "boolean"), ("ts", "timestamp"), ("dt", "date"), ("bin", "binary"),
        ("ti", "tinyint"), ("si", "smallint"), ("db", "double")]


def test_comments_and_table_properties(store):
    run(store, "CREATE EXTERNAL TABLE t (a int COMMENT 'first', b string) COMMENT 'my table' "
               "PARTITIONED BY (dt string COMMENT 'day') STORED AS PARQUET LOCATION 's3://b/t/' "
               "TBLPROPERTIES ('parquet.compression'='SNAPPY', 'projection.enabled'='false')")
    t = store.require_table("default", "t")
    assert t.columns == [Column("a", "int", "first"), Column("b", "string")]
    assert t.partition_keys == [Column("dt", "string", "day")]
    assert t.comment == "my table"
    assert t.table_properties == {"parquet.compression": "SNAPPY", "projection.enabled": "false"}


def test_qualified_and_current_database_names(store):
    run(store, "CREATE DATABASE logs")
    run(store, "CREATE EXTERNAL TABLE Logs.A (x int) LOCATION 's3://b/a/'")
    run(store, "CREATE EXTERNAL TABLE b (x int) LOCATION 's3://b/b/'", database="logs")
    run(store, "CREATE EXTERNAL TABLE awsdatacatalog.logs.c (x int) LOCATION 's3://b/c/'")
    assert [t.qualified_name for t in store.list_tables("logs")] == ["logs.a", "logs.b", "logs.c"]
    assert store.list_tables("default") == []


@pytest.mark.parametrize("sql, message", [
    ("CREATE TABLE t (a int) LOCATION 's3://b/t/'",
     "INVALID_DDL: Only external tables are supported: use CREATE EXTERNAL TABLE "
     "(Iceberg tables, created without EXTERNAL, are not supported)"),
    ("CREATE EXTERNAL TABLE t (a int, b string, A bigint)", "INVALID_DDL: Duplicate column name: a"),
    ("CREATE EXTERNAL TABLE t (a int, dt string) PARTITIONED BY (dt string)",
     "INVALID_DDL: Column repeated in partitioning columns: dt"),
    ("CREATE EXTERNAL TABLE t (a int) PARTITIONED BY (dt)",
     "INVALID_DDL: Column dt needs a type, e.g. dt string"),
    ("CREATE EXTERNAL TABLE t LOCATION 's3://b/t/'",
     "INVALID_DDL: Either list of columns or a custom serializer should be specified"),
    ("CREATE EXTERNAL TABLE t (a int) LOCATION 'bucket/prefix/'",
     "HIVE_INVALID_METADATA: Invalid location 'bucket/prefix/': use s3://bucket/prefix/, "
     "file:///abs/path/ or an absolute path"),
    ("CREATE EXTERNAL TABLE t (a int) LOCATION 's3:///nobucket'",
     "HIVE_INVALID_METADATA: Invalid location 's3:///nobucket': use s3://bucket/prefix/, "
     "file:///abs/path/ or an absolute path"),
    ("CREATE EXTERNAL TABLE t (a json) LOCATION 's3://b/t/'",
     "INVALID_DDL: Unknown type 'json' for column a"),
    ("CREATE EXTERNAL TABLE t (a varchar) LOCATION 's3://b/t/'",
     "INVALID_DDL: varchar needs a length for column a, e.g. varchar(255)"),
    ("CREATE EXTERNAL TABLE t (a decimal(40,2)) LOCATION 's3://b/t/'",
     "INVALID_DDL: Invalid decimal(40,2) for column a: precision must be 1-38 and scale at most "
     "the precision"),
    ("CREATE EXTERNAL TABLE t (a int) STORED AS FANCY",
     "INVALID_DDL: Unrecognized file format in STORED AS clause: 'FANCY' (expected one of AVRO, ION, "
     "JSON, JSONFILE, ORC, PARQUET, RCFILE, SEQUENCEFILE, TEXTFILE)"),
    ("CREATE EXTERNAL TABLE nodb.t (a int)", "SCHEMA_NOT_FOUND: Schema 'nodb' does not exist"),
    ("CREATE EXTERNAL TABLE other.db.t (a int)",
     "NOT_SUPPORTED: Catalog 'other' is not supported: Parthenon has one catalog, awsdatacatalog"),
])
def test_create_table_errors(store, sql, message):
    assert error_of(store, sql) == message
    assert store.list_tables("default") == []


def test_create_existing_table(store):
    run(store, "CREATE EXTERNAL TABLE t (a int) LOCATION 's3://b/t/'")
    assert error_of(store, "CREATE EXTERNAL TABLE t (b int)") == \
        "ALREADY_EXISTS: Table already exists: default.t"
    result = run(store, "CREATE EXTERNAL TABLE IF NOT EXISTS t (b int)")
    assert result.message == "Table default.t already exists"
    assert store.require_table("default", "t").columns == [Column("a", "int")]


# -- views and DROP ------------------------------------------------------------------------------

def test_create_view_keeps_query_text(store):
    sql = "CREATE VIEW v AS\nSELECT eventname, count(*) AS n\n  FROM cloudtrail_logs  -- hot\nGROUP BY 1;"
    assert run(store, sql).message == "View default.v created"
    v = store.require_table("default", "v")
    assert (v.table_type, v.columns, v.view_sql, v.is_view) == (
        "VIRTUAL_VIEW", [], "SELECT eventname, count(*) AS n\n  FROM cloudtrail_logs  -- hot\nGROUP BY 1",
        True)
    assert error_of(store, "CREATE VIEW v AS SELECT 1") == "ALREADY_EXISTS: View already exists: default.v"
    run(store, "CREATE OR REPLACE VIEW default.v AS WITH x AS (SELECT 1 AS a) SELECT a FROM x")
    assert store.require_table("default", "v").view_sql == "WITH x AS (SELECT 1 AS a) SELECT a FROM x"


def test_view_and_table_do_not_replace_each_other(store):
    run(store, "CREATE EXTERNAL TABLE t (a int)")
    run(store, "CREATE VIEW v AS SELECT a FROM t")
    assert error_of(store, "CREATE OR REPLACE VIEW t AS SELECT 1") == \
        "ALREADY_EXISTS: Table already exists: default.t"
    assert error_of(store, "DROP VIEW t") == "TABLE_NOT_FOUND: 'default.t' is not a view"
    assert error_of(store, "DROP TABLE v") == "TABLE_NOT_FOUND: 'default.v' is not a table"
    assert error_of(store, "CREATE VIEW `w` AS SELECT 1") == (
        "SYNTAX_ERROR: line 1:1: cannot read this CREATE VIEW: a view's query is Trino SQL "
        '(quote names with "double quotes", not `backticks`)')
    assert error_of(store, "CREATE VIEW w (x) AS SELECT 1") == (
        "NOT_SUPPORTED: CREATE VIEW with a column list is not supported: "
        "name the columns with aliases in the query")


def test_drop_table_and_view(store):
    run(store, "CREATE EXTERNAL TABLE t (a int) PARTITIONED BY (dt string) LOCATION 's3://b/t/'")
    run(store, "ALTER TABLE t ADD PARTITION (dt='1')")
    run(store, "CREATE VIEW v AS SELECT a FROM t")
    assert run(store, "DROP VIEW v").message == "View default.v dropped"
    assert run(store, "DROP TABLE IF EXISTS default.t").message == "Table default.t dropped"
    assert store.list_tables("default") == [] and store.list_partitions("default", "t") == []
    assert run(store, "DROP TABLE IF EXISTS t").message == "Table default.t does not exist"
    assert run(store, "DROP VIEW IF EXISTS v").message == "View default.v does not exist"
    assert error_of(store, "DROP TABLE t") == "TABLE_NOT_FOUND: Table 'default.t' does not exist"


# -- partitions -----------------------------------------------------------------------------------

@pytest.fixture
def ct(store):
    run(store, CLOUDTRAIL_DDL)
    return store


def test_add_partitions_with_and_without_location(ct):
    result = run(ct, "ALTER TABLE cloudtrail_logs ADD "
                     "PARTITION (region='us-east-1', year='2024', month='01', day='02') "
                     "LOCATION 's3://bucket/AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/' "
                     "PARTITION (day=3, month='01', year=2024, region='eu-west-1')")
    assert result.message == "Added 2 partitions to default.cloudtrail_logs"
    assert ct.list_partitions("default", "cloudtrail_logs") == [
        Partition(("eu-west-1", "2024", "01", "3"),
                  "s3://bucket/AWSLogs/123456789012/CloudTrail/region=eu-west-1/year=2024/month=01/day=3/"),
        Partition(("us-east-1", "2024", "01", "02"),
                  "s3://bucket/AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/")]
    assert lines(run(ct, "SHOW PARTITIONS cloudtrail_logs")) == [
        "region=eu-west-1/year=2024/month=01/day=3", "region=us-east-1/year=2024/month=01/day=02"]


def test_default_partition_location_escapes_path_characters(store):
    run(store, "CREATE EXTERNAL TABLE t (a int) PARTITIONED BY (ts string, n int) LOCATION '/data/t'")
    run(store, "ALTER TABLE t ADD PARTITION (ts='2024-01-02 03:04', n=-5)")
    assert store.list_partitions("default", "t") == [
        Partition(("2024-01-02 03:04", "-5"), "/data/t/ts=2024-01-02 03%3A04/n=-5/")]
    assert lines(run(store, "SHOW PARTITIONS t")) == ["ts=2024-01-02 03%3A04/n=-5"]


def test_add_partition_all_or_nothing(ct):
    run(ct, "ALTER TABLE cloudtrail_logs ADD PARTITION (region='a', year='1', month='1', day='1')")
    sql = ("ALTER TABLE cloudtrail_logs ADD PARTITION (region='b', year='1', month='1', day='1') "
           "PARTITION (region='a', year='1', month='1', day='1')")
    assert error_of(ct, sql) == \
        "ALREADY_EXISTS: Partition already exists: default.cloudtrail_logs ['a', '1', '1', '1']"
    assert len(ct.list_partitions("default", "cloudtrail_logs")) == 1
    assert run(ct, sql.replace("ADD ", "ADD IF NOT EXISTS ")).message == \
        "Added 1 partition to default.cloudtrail_logs"
    assert len(ct.list_partitions("default", "cloudtrail_logs")) == 2


@pytest.mark.parametrize("spec, message", [
    ("(region='a', year='1', month='1', dya='1')",
     "INVALID_DDL: line 1:77: Partition spec {region=a, year=1, month=1, dya=1} contains non-partition "
     "column 'dya': the partition columns of default.cloudtrail_logs are (region, year, month, day)"),
    ("(region='a', year='1', month='1')",
     "INVALID_DDL: Partition spec {region=a, year=1, month=1} is missing partition column 'day': "
     "the partition columns of default.cloudtrail_logs are (region, year, month, day)"),
    ("(region='a', year='1', month='1', day='1', region='b')",
     "INVALID_DDL: line 1:86: Partition spec {region=a, year=1, month=1, day=1, region=b} names "
     "partition column 'region' twice"),
    ("(region='', year='1', month='1', day='1')",
     "INVALID_DDL: line 1:44: Partition spec {region=, year=1, month=1, day=1} has an empty value "
     "for 'region'"),
    ("region='a'", "SYNTAX_ERROR: line 1:43: mismatched input 'region'. Expecting: ("),
    ("(region=a)", "SYNTAX_ERROR: line 1:51: mismatched input 'a'. "
                   "Expecting: a partition value (a quoted string or a number)"),
])
def test_add_partition_spec_errors(ct, spec, message):
    assert error_of(ct, f"ALTER TABLE cloudtrail_logs ADD PARTITION {spec}") == message
    assert ct.list_partitions("default", "cloudtrail_logs") == []


def test_partition_statements_on_wrong_tables(store):
    run(store, "CREATE EXTERNAL TABLE flat (a int) LOCATION 's3://b/flat/'")
    run(store, "CREATE EXTERNAL TABLE nowhere (a int) PARTITIONED BY (dt string)")
    run(store, "CREATE VIEW v AS SELECT 1")
    assert error_of(store, "ALTER TABLE flat ADD PARTITION (dt='1')") == \
        "INVALID_DDL: Table default.flat is not partitioned but partition spec exists: {dt=1}"
    assert error_of(store, "ALTER TABLE nowhere ADD PARTITION (dt='1')") == (
        "INVALID_DDL: Table default.nowhere has no LOCATION: give each partition one with "
        "PARTITION (...) LOCATION '...'")
    assert error_of(store, "ALTER TABLE v ADD PARTITION (dt='1')") == \
        "INVALID_DDL: default.v is a view: views have no partitions"
    assert error_of(store, "ALTER TABLE missing ADD PARTITION (dt='1')") == \
        "TABLE_NOT_FOUND: Table 'default.missing' does not exist"
    assert error_of(store, "ALTER TABLE nodb.t ADD PARTITION (dt='1')") == \
        "SCHEMA_NOT_FOUND: Schema 'nodb' does not exist"
    assert error_of(store, "SHOW PARTITIONS flat") == "INVALID_DDL: Table flat is not a partitioned table"
    assert error_of(store, "ALTER TABLE nowhere ADD PARTITION (dt='1') LOCATION 'x/'") == (
        "HIVE_INVALID_METADATA: Invalid location 'x/': use s3://bucket/prefix/, "
        "file:///abs/path/ or an absolute path")


def test_drop_partitions(ct):
    for region, day in (("a", "1"), ("a", "2"), ("b", "1")):
        run(ct, f"ALTER TABLE cloudtrail_logs ADD PARTITION (region='{region}', year='2024', "
                f"month='01', day='{day}')")
    assert error_of(ct, "ALTER TABLE cloudtrail_logs DROP PARTITION (region='c')") == \
        "INVALID_DDL: Partition not found: default.cloudtrail_logs {region=c}"
    result = run(ct, "ALTER TABLE cloudtrail_logs DROP IF EXISTS PARTITION (region='c'), "
                     "PARTITION (region='b', year='2024', month='01', day='1')")
    assert result.message == "Dropped 1 partition from default.cloudtrail_logs"
    # A partial spec drops every partition it matches, as in Hive.
    assert run(ct, "ALTER TABLE cloudtrail_logs DROP PARTITION (region='a')").message == \
        "Dropped 2 partitions from default.cloudtrail_logs"
    assert ct.list_partitions("default", "cloudtrail_logs") == []


def _touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}\n")


def test_msck_repair_adds_hive_style_folders(store, tmp_path):
    root = tmp_path / "data"
    _touch(root / "year=2024" / "month=01" / "a.json")
    _touch(root / "year=2024" / "month=01" / "b.json")
    _touch(root / "year=2024" / "month=02" / "deeper" / "c.json")
    _touch(root / "year=2024" / "month=03" / "d.json")        # registered below
    _touch(root / "year=2024" / "Month=04" / "e.json")        # camelCase key: not a partition
    _touch(root / "month=05" / "year=2024" / "f.json")        # keys out of order
    _touch(root / "misc" / "g.json")
    _touch(root / "year=2024" / "h.json")                     # not inside a month folder
    _touch(root / "year=2024" / "month=%3A06" / "i.json")     # escaped value
    run(store, f"CREATE EXTERNAL TABLE t (a int) PARTITIONED BY (year string, month string) "
               f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{root}/'")
    run(store, "ALTER TABLE t ADD PARTITION (year='2024', month='03') LOCATION 's3://elsewhere/'")
    result = run(store, "MSCK REPAIR TABLE t")
    assert (result.statement_type, result.message) == (
        "DDL", "Added 3 partitions to default.t (looked at 8 folders)")
    assert lines(result) == [
        "Partitions not in metastore:\tt:year=2024/month=%3A06\tt:year=2024/month=01\tt:year=2024/month=02",
        "Repair: Added partition to metastore t:year=2024/month=%3A06",
        "Repair: Added partition to metastore t:year=2024/month=01",
        "Repair: Added partition to metastore t:year=2024/month=02"]
    assert sorted(store.list_partitions("default", "t"), key=lambda p: p.values) == [
        Partition(("2024", "01"), f"{root}/year=2024/month=01/"),
        Partition(("2024", "02"), f"{root}/year=2024/month=02/"),
        Partition(("2024", "03"), "s3://elsewhere/"),
        Partition(("2024", ":06"), f"{root}/year=2024/month=%3A06/")]
    assert lines(run(store, "MSCK REPAIR TABLE default.t")) == []


def test_msck_repair_edge_cases(store, tmp_path):
    run(store, f"CREATE EXTERNAL TABLE flat (a int) LOCATION 'file://{tmp_path}/flat/'")
    assert lines(run(store, "MSCK REPAIR TABLE flat")) == []
    run(store, f"CREATE EXTERNAL TABLE p (a int) PARTITIONED BY (dt string) LOCATION 'file://{tmp_path}/p'")
    _touch(tmp_path / "p" / "dt=1" / "x.csv")
    assert lines(run(store, "MSCK REPAIR TABLE p")) == [
        "Partitions not in metastore:\tp:dt=1", "Repair: Added partition to metastore p:dt=1"]
    assert store.list_partitions("default", "p") == [Partition(("1",), f"file://{tmp_path}/p/dt=1/")]
    assert error_of(store, "MSCK REPAIR TABLE nope") == "TABLE_NOT_FOUND: Table 'default.nope' does not exist"
    assert error_of(store, "MSCK REPAIR TABLE") == \
        "SYNTAX_ERROR: line 1:18: mismatched input '<EOF>'. Expecting: a name"


# -- SHOW ---------------------------------------------------------------------------------------------

def test_show_tables_and_views(store):
    run(store, "CREATE DATABASE logs")
    for name in ("alb_logs", "cloudtrail", "vpc_flow"):
        run(store, f"CREATE EXTERNAL TABLE logs.{name} (a int)")
    run(store, "CREATE VIEW logs.errors AS SELECT 1")
    assert lines(run(store, "SHOW TABLES", database="logs")) == ["alb_logs", "cloudtrail", "errors", "vpc_flow"]
    assert lines(run(store, "SHOW TABLES IN logs '*log*|vpc.*'")) == ["alb_logs", "vpc_flow"]
    assert lines(run(store, "-- which?\nshow tables from `logs` like 'c*'")) == ["cloudtrail"]
    assert lines(run(store, "SHOW TABLES")) == []
    assert lines(run(store, "SHOW VIEWS IN logs")) == ["errors"]
    result = run(store, "SHOW TABLES IN logs")
    assert (result.statement_type, [c.name for c in result.columns]) == ("UTILITY", ["tab_name"])
    assert error_of(store, "SHOW TABLES IN nodb") == "SCHEMA_NOT_FOUND: Schema 'nodb' does not exist"


def test_show_columns(store):
    run(store, "CREATE DATABASE logs")
    run(store, CSV_DDL)
    expected = ["a                   ", "b                   ", "dt                  "]
    assert lines(run(store, "SHOW COLUMNS IN logs.csv")) == expected
    assert lines(run(store, "SHOW COLUMNS FROM csv IN logs")) == expected
    assert lines(run(store, "SHOW COLUMNS IN csv", database="logs")) == expected
    assert error_of(store, "SHOW COLUMNS IN csv") == "TABLE_NOT_FOUND: Table 'default.csv' does not exist"


def test_show_tblproperties(store):
    run(store, "CREATE DATABASE logs")
    run(store, CSV_DDL)
    assert lines(run(store, "SHOW TBLPROPERTIES logs.csv")) == [
        "EXTERNAL\tTRUE", "comment\ta csv", "skip.header.line.count\t1", f"transient_lastDdlTime\t{NOW}"]
    assert lines(run(store, "SHOW TBLPROPERTIES logs.csv ('skip.header.line.count')")) == ["1"]
    assert error_of(store, "SHOW TBLPROPERTIES logs.csv('nope')") == \
        "INVALID_DDL: Table logs.csv does not have property: nope"


def test_show_create_table_cloudtrail(ct):
    assert lines(run(ct, "SHOW CREATE TABLE cloudtrail_logs")) == [
        "CREATE EXTERNAL TABLE `cloudtrail_logs`(",
        "  `eventversion` string COMMENT 'from deserializer', ",
        f"  `useridentity` {USERIDENTITY_TYPE} COMMENT 'from deserializer', ",
        *[f"  `{name}` string COMMENT 'from deserializer', " for name in CLOUDTRAIL_NAMES[2:15]],
        "  `resources` array<struct<arn:string,accountid:string,type:string>> COMMENT 'from deserializer', ",
        *[f"  `{name}` string COMMENT 'from deserializer', " for name in CLOUDTRAIL_NAMES[16:-1]],
        "  `vpcendpointid` string COMMENT 'from deserializer')",
        "PARTITIONED BY ( ",
        "  `region` string, ",
        "  `year` string, ",
        "  `month` string, ",
        "  `day` string)",
        "ROW FORMAT SERDE ",
        "  'com.amazon.emr.hive.serde.CloudTrailSerde' ",
        "STORED AS INPUTFORMAT ",
        "  'com.amazon.emr.cloudtrail.CloudTrailInputFormat' ",
        "OUTPUTFORMAT ",
        "  'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
        "LOCATION",
        "  's3://bucket/AWSLogs/123456789012/CloudTrail/'",
        "TBLPROPERTIES (",
        f"  'transient_lastDdlTime'='{NOW}')"]


def test_show_create_table_delimited_round_trips(store):
    run(store, "CREATE DATABASE logs")
    run(store, CSV_DDL)
    ddl = lines(run(store, "SHOW CREATE TABLE logs.csv"))
    assert ddl == [
        "CREATE EXTERNAL TABLE `csv`(",
        "  `a` int, ",
        "  `b` string COMMENT 'the b')",
        "COMMENT 'a csv'",
        "PARTITIONED BY ( ",
        "  `dt` string)",
        "ROW FORMAT DELIMITED ",
        "  FIELDS TERMINATED BY ',' ",
        "  ESCAPED BY '\\\\' ",
        "  LINES TERMINATED BY '\\n' ",
        "STORED AS INPUTFORMAT ",
        "  'org.apache.hadoop.mapred.TextInputFormat' ",
        "OUTPUTFORMAT ",
        "  'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
        "LOCATION",
        "  's3://bucket/csv/'",
        "TBLPROPERTIES (",
        "  'skip.header.line.count'='1', ",
        f"  'transient_lastDdlTime'='{NOW}')"]
    run(store, "\n".join(ddl))    # into the current database, default
    original, copy = store.require_table("logs", "csv"), store.require_table("default", "csv")
    copy.database = "logs"
    copy.table_properties.pop("transient_lastDdlTime")
    assert copy == original


def test_show_create_view(store):
    run(store, "CREATE VIEW v AS\nSELECT 1 AS a")
    expected = ['CREATE VIEW "default"."v" AS', "SELECT 1 AS a"]
    assert lines(run(store, "SHOW CREATE VIEW v")) == expected
    assert lines(run(store, "SHOW CREATE TABLE v")) == expected
    run(store, "CREATE EXTERNAL TABLE t (a int)")
    assert error_of(store, "SHOW CREATE VIEW t") == \
        "INVALID_DDL: default.t is a table, not a view: use SHOW CREATE TABLE"


# -- DESCRIBE -------------------------------------------------------------------------------------------

def test_describe_partitioned_table(store):
    run(store, "CREATE DATABASE logs")
    run(store, CSV_DDL)
    result = run(store, "DESCRIBE logs.csv")
    assert (result.statement_type, [c.name for c in result.columns]) == (
        "UTILITY", ["col_name", "data_type", "comment"])
    assert lines(result) == [
        row("a", "int"), row("b", "string", "the b"), row("dt", "string"),
        BLANK, "# Partition Information\t \t ", HEADER, BLANK, row("dt", "string")]


def test_describe_serde_tables_report_columns_from_deserializer(ct):
    got = lines(run(ct, "DESCRIBE cloudtrail_logs"))
    assert got[0] == "eventversion        \tstring              \tfrom deserializer   "
    assert got[1] == f"useridentity        \t{USERIDENTITY_TYPE}\tfrom deserializer   "
    assert got[23] == row("region", "string")
    assert got[27:] == [BLANK, "# Partition Information\t \t ", HEADER, BLANK,
                        row("region", "string"), row("year", "string"), row("month", "string"),
                        row("day", "string")]


def test_describe_comment_stops_at_a_tab(store):
    run(store, "CREATE EXTERNAL TABLE t (n int COMMENT 'a\tb', m int)")
    assert lines(run(store, "DESCRIBE t")) == [
        "n                   \tint                 \ta", row("m", "int")]


def test_describe_formatted(store):
    run(store, "CREATE DATABASE logs")
    run(store, CSV_DDL)
    assert lines(run(store, "DESCRIBE FORMATTED logs.csv")) == [
        HEADER, BLANK, row("a", "int"), row("b", "string", "the b"), BLANK,
        "# Partition Information\t \t ", HEADER, BLANK, row("dt", "string"), BLANK,
        "# Detailed Table Information\t \t ",
        "Database:           \tlogs                \t ",
        "CreateTime:         \tTue Nov 14 22:13:20 UTC 2023\t ",
        "LastAccessTime:     \tUNKNOWN             \t ",
        "Protect Mode:       \tNone                \t ",
        "Retention:          \t0                   \t ",
        "Location:           \ts3://bucket/csv/    \t ",
        "Table Type:         \tEXTERNAL_TABLE      \t ",
        "Table Parameters:\t \t ",
        "\tEXTERNAL            \tTRUE                ",
        "\tcomment             \ta csv               ",
        "\tskip.header.line.count\t1                   ",
        "\ttransient_lastDdlTime\t1700000000          ",
        BLANK,
        "# Storage Information\t \t ",
        f"SerDe Library:      \t{LAZY}\t ",
        f"InputFormat:        \t{TEXT_INPUT}\t ",
        f"OutputFormat:       \t{TEXT_OUTPUT}\t ",
        "Compressed:         \tNo                  \t ",
        "Num Buckets:        \t-1                  \t ",
        "Bucket Columns:     \t[]                  \t ",
        "Sort Columns:       \t[]                  \t ",
        "Storage Desc Params:\t \t ",
        "\tescape.delim        \t\\\\                  ",
        "\tfield.delim         \t,                   ",
        "\tline.delim          \t\\n                  ",
        "\tserialization.format\t,                   "]


def test_describe_extended(store):
    run(store, "CREATE EXTERNAL TABLE t (n int, s string COMMENT 'the s') PARTITIONED BY (p string) "
               "STORED AS PARQUET LOCATION 's3://b/t/'")
    got = lines(run(store, "DESCRIBE EXTENDED t"))
    assert got[:-1] == [row("n", "int"), row("s", "string", "the s"), row("p", "string"), BLANK,
                        "# Partition Information\t \t ", HEADER, BLANK, row("p", "string"), BLANK]
    assert got[-1] == (
        "Detailed Table Information\tTable(tableName:t, dbName:default, createTime:1700000000, "
        "lastAccessTime:0, retention:0, sd:StorageDescriptor(cols:[FieldSchema(name:n, type:int, "
        "comment:null), FieldSchema(name:s, type:string, comment:the s)], location:s3://b/t/, "
        "inputFormat:org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat, "
        "outputFormat:org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat, "
        "compressed:false, numBuckets:-1, serdeInfo:SerDeInfo(name:null, "
        "serializationLib:org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe, parameters:{}), "
        "bucketCols:[], sortCols:[], parameters:{}, storedAsSubDirectories:false), "
        "partitionKeys:[FieldSchema(name:p, type:string, comment:null)], "
        "parameters:{EXTERNAL=TRUE, transient_lastDdlTime=1700000000}, tableType:EXTERNAL_TABLE)\t")


def test_describe_view_needs_the_query_layer(store):
    run(store, "CREATE VIEW v AS SELECT 1 AS n, 'a' AS s")
    resolve = lambda view: [Column("n", "integer"), Column("s", "varchar(1)")]  # noqa: E731
    result = run(store, "DESCRIBE v", view_columns=resolve)
    assert ([c.name for c in result.columns], lines(result)) == (["column"], ["n\tinteger", "s\tvarchar(1)"])
    assert lines(run(store, "SHOW COLUMNS IN v", view_columns=resolve)) == ["n\tinteger", "s\tvarchar(1)"]
    assert lines(run(store, "DESCRIBE VIEW v", view_columns=resolve)) == ["n\tinteger", "s\tvarchar(1)"]
    formatted = lines(run(store, "DESCRIBE FORMATTED v", view_columns=resolve))
    assert formatted[:5] == [HEADER, BLANK, row("n", "integer"), row("s", "varchar(1)"), BLANK]
    assert "Table Type:         \tVIRTUAL_VIEW        \t " in formatted
    assert error_of(store, "DESCRIBE v") == (
        "NOT_SUPPORTED: The columns of view default.v are only known to the query engine, "
        "which this call did not provide")


def test_describe_errors(store):
    run(store, "CREATE EXTERNAL TABLE t (a int)")
    assert error_of(store, "DESCRIBE TABLE t") == \
        "TABLE_NOT_FOUND: Table not found table (the syntax is DESCRIBE t, not DESCRIBE TABLE t)"
    assert error_of(store, "DESCRIBE nope") == "TABLE_NOT_FOUND: Table 'default.nope' does not exist"
    assert error_of(store, "DESCRIBE nodb.t") == "SCHEMA_NOT_FOUND: Schema 'nodb' does not exist"


# -- persistence ---------------------------------------------------------------------------------------

def test_everything_persists_in_the_sqlite_file(store, tmp_path):
    run(store, "CREATE DATABASE logs COMMENT 'kept'")
    run(store, CLOUDTRAIL_DDL.replace("cloudtrail_logs", "logs.cloudtrail_logs"))
    run(store, "ALTER TABLE logs.cloudtrail_logs ADD PARTITION (region='r', year='y', month='m', day='d')")
    run(store, "CREATE VIEW logs.v AS SELECT eventname FROM cloudtrail_logs")
    again = CatalogStore(tmp_path / "catalog.db")
    assert again.get_database("logs").comment == "kept"
    assert again.require_table("logs", "cloudtrail_logs") == store.require_table("logs", "cloudtrail_logs")
    assert again.require_table("logs", "cloudtrail_logs").columns[1].type == USERIDENTITY_TYPE
    assert lines(run(again, "SHOW PARTITIONS logs.cloudtrail_logs")) == ["region=r/year=y/month=m/day=d"]
    assert again.require_table("logs", "v").view_sql == "SELECT eventname FROM cloudtrail_logs"
    assert lines(run(again, "SHOW TABLES IN logs")) == ["cloudtrail_logs", "v"]


def test_syntax_errors_point_at_the_token(ct):
    assert error_of(ct, "ALTER TABLE cloudtrail_logs ADD\n  PARTITION (regoin='a')") == (
        "INVALID_DDL: line 2:14: Partition spec {regoin=a} contains non-partition column 'regoin': "
        "the partition columns of default.cloudtrail_logs are (region, year, month, day)")
    assert error_of(ct, "SHOW TABLES IN default\n  'a*' 'b*'") == \
        "SYNTAX_ERROR: line 2:8: mismatched input 'b*'. Expecting: end of statement"
    assert error_of(ct, "SHOW PARTITIONS ;") == \
        "SYNTAX_ERROR: line 1:16: mismatched input '<EOF>'. Expecting: a name"


def test_adjacent_string_literals_join_as_in_hive(store):
    run(store, "CREATE EXTERNAL TABLE t (a STRING) ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe' "
               "WITH SERDEPROPERTIES ('timestamp.formats'='yyyy-MM-dd''T''HH:mm:ss') LOCATION '/data/t/'")
    assert store.get_table("default", "t").serde_properties == {"timestamp.formats": "yyyy-MM-ddTHH:mm:ss"}
