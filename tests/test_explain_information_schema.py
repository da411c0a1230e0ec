"""EXPLAIN [ANALYZE] and information_schema, through the DB-API and boto3 against
`parthenon serve` (Athena's shapes: one `Query Plan` column; Trino's catalog tables)."""
from __future__ import annotations

import pytest

import parthenon
from parthenon.errors import NotSupported
from test_server_support import athena, athena_server, rows, run, trail  # noqa: F401


@pytest.fixture()
def con(tmp_path):
    (tmp_path / "data" / "dt=1").mkdir(parents=True)
    (tmp_path / "data" / "dt=1" / "a.csv").write_text("1,x\n2,y\n")
    with parthenon.connect(home=tmp_path / "home") as c:
        c.execute(f"CREATE EXTERNAL TABLE t (a int, b string COMMENT 'the b', s struct<arn:string>) "
                  f"PARTITIONED BY (dt string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' "
                  f"LOCATION '{tmp_path}/data'")
        c.execute("MSCK REPAIR TABLE t")
        c.execute("CREATE VIEW v AS SELECT a FROM t")
        yield c


def test_explain_gives_one_query_plan_row(con):
    cur = con.execute("EXPLAIN SELECT b, count(*) FROM t WHERE dt = '1' GROUP BY b")
    assert [d[:2] for d in cur.description] == [("Query Plan", "varchar")]
    (plan,), = cur.fetchall()
    assert plan.startswith("Parthenon plan (one machine; the engine's physical plan follows)\n"
                           "  Scan 1: default.t: 1 file in 1 partition, 8 bytes stored\n\n")
    assert "Group By" in plan and "Data scanned" not in plan
    assert con.execute("EXPLAIN SELECT b FROM t WHERE dt = '2'").fetchall()[0][0].startswith(
        "Parthenon plan (one machine; the engine's physical plan follows)\n"
        "  Scan 1: default.t: 0 files, 0 bytes stored\n")


def test_explain_analyze_runs_the_query(con, tmp_path):
    cur = con.execute("EXPLAIN ANALYZE SELECT count(*) FROM t")
    (plan,), = cur.fetchall()
    assert "  Data scanned: 8 bytes\n" in plan
    assert f"{tmp_path}/data/dt=1/a.csv" in plan and "parthenon://" not in plan
    assert cur.data_scanned_in_bytes == 8


def test_explain_forms(con):
    cur = con.execute("EXPLAIN (TYPE VALIDATE) SELECT a FROM t")
    assert cur.fetchall() == [(True,)] and cur.description[0][:2] == ("Valid", "boolean")
    cur = con.execute("EXPLAIN (TYPE LOGICAL, FORMAT TEXT) SELECT 1")
    assert cur.description[0][0] == "Query Plan"
    with pytest.raises(NotSupported, match=r"^NOT_SUPPORTED: EXPLAIN \(FORMAT JSON\) is not supported"):
        con.execute("EXPLAIN (FORMAT JSON) SELECT 1")
    with pytest.raises(NotSupported, match=r"^NOT_SUPPORTED: EXPLAIN of CREATE TABLE is not supported"):
        con.execute("EXPLAIN CREATE TABLE x AS SELECT 1")
    with pytest.raises(parthenon.errors.ColumnNotFound) as e:
        con.execute("EXPLAIN (TYPE DISTRIBUTED) SELECT nosuch FROM t")
    assert str(e.value) == "COLUMN_NOT_FOUND: line 1:35: Column 'nosuch' cannot be resolved"


def test_information_schema_tables_columns_schemata_views(con):
    assert con.execute("SELECT * FROM information_schema.schemata").fetchall() == [
        ("awsdatacatalog", "default"), ("awsdatacatalog", "information_schema")]
    assert con.execute("SELECT table_name, table_type FROM information_schema.tables "
                       "WHERE table_schema = 'default' ORDER BY 1").fetchall() == [
        ("t", "BASE TABLE"), ("v", "VIEW")]
    cur = con.execute("SELECT * FROM information_schema.columns WHERE table_name = 't' "
                      "ORDER BY ordinal_position")
    assert [d[:2] for d in cur.description] == [
        ("table_catalog", "varchar"), ("table_schema", "varchar"), ("table_name", "varchar"),
        ("column_name", "varchar"), ("ordinal_position", "bigint"), ("column_default", "varchar"),
        ("is_nullable", "varchar"), ("data_type", "varchar"), ("comment", "varchar"),
        ("extra_info", "varchar")]
    assert cur.fetchall() == [
        ("awsdatacatalog", "default", "t", "a", 1, None, "YES", "integer", None, None),
        ("awsdatacatalog", "default", "t", "b", 2, None, "YES", "varchar", "the b", None),
        ("awsdatacatalog", "default", "t", "s", 3, None, "YES", "row(arn varchar)", None, None),
        ("awsdatacatalog", "default", "t", "dt", 4, None, "YES", "varchar", None, "partition key")]
    assert con.execute("SELECT table_name, view_definition FROM information_schema.views"
                       ).fetchall() == [("v", "SELECT a FROM t")]
    with pytest.raises(parthenon.errors.TableNotFound):
        con.execute("SELECT * FROM information_schema.nosuch")


def test_explain_and_information_schema_over_the_api(athena, trail):
    qid, q = run(athena, "EXPLAIN SELECT eventname FROM cloudtrail_logs WHERE day = '15'")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert q["StatementType"] == "UTILITY"
    page = athena.get_query_results(QueryExecutionId=qid)
    assert [c["Name"] for c in page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]] == ["Query Plan"]
    (plan,), = rows(athena, qid)      # a UTILITY result: no header row, as SHOW's
    assert "Scan 1: default.cloudtrail_logs: 2 files in 1 partition" in plan
    qid, q = run(athena, "SELECT column_name, data_type FROM information_schema.columns WHERE "
                         "table_name = 'cloudtrail_logs' AND column_name IN ('eventname', 'day') "
                         "ORDER BY ordinal_position")
    assert rows(athena, qid) == [("column_name", "data_type"), ("eventname", "varchar"),
                                 ("day", "varchar")]


def test_show_functions_lists_what_runs(con):
    cur = con.execute("SHOW FUNCTIONS LIKE 'regexp_e%'")
    assert [d[0] for d in cur.description] == ["Function", "Return Type", "Argument Types",
                                               "Function Type", "Deterministic", "Description"]
    # one row per signature, with Trino's type text and description
    assert cur.fetchall() == [
        ("regexp_extract", "varchar(x)", "varchar(x), joniregexp", "scalar", "true",
         "String extracted using the given pattern"),
        ("regexp_extract", "varchar(x)", "varchar(x), joniregexp, bigint", "scalar", "true",
         "Returns regex group of extracted string with a pattern"),
        ("regexp_extract_all", "array(varchar(x))", "varchar(x), joniregexp", "scalar", "true",
         "String(s) extracted using the given pattern"),
        ("regexp_extract_all", "array(varchar(x))", "varchar(x), joniregexp, bigint", "scalar",
         "true", "Group(s) extracted using the given pattern")]
    listed = {}
    for r in con.execute("SHOW FUNCTIONS").fetchall():
        listed.setdefault(r[0], []).append(r)
    assert listed["length"] == [
        ("length", "bigint", "char(x)", "scalar", "true", "Count of code points of the given string"),
        ("length", "bigint", "varbinary", "scalar", "true", "Length of the given binary"),
        ("length", "bigint", "varchar(x)", "scalar", "true", "Count of code points of the given string")]
    assert listed["count"] == [("count", "bigint", "", "aggregate", "true", ""),
                               ("count", "bigint", "T", "aggregate", "true", "Counts the non-null values")]
    assert listed["row_number"] == [("row_number", "bigint", "", "window", "true", "")]
    assert {r[4] for r in listed["rand"]} == {"false"}
    assert ("transform", "array(U)", "array(T), function(T,U)", "scalar", "false",
            "Apply lambda to each element of the array") in listed["transform"]
    assert "crc32" in listed and "cast" not in listed
    assert "coalesce" not in listed and "if" not in listed   # special forms, as in Trino
    assert "approx_set" not in listed      # a Trino function Parthenon refuses
    # no overload Trino does not have (a Hive-compatibility distribution's year(varchar))
    assert [r[2] for r in listed["year"]] == ["date", "interval year to month", "timestamp(p)",
                                             "timestamp(p) with time zone"]


def test_show_functions_like_with_an_escape(con):
    names = lambda sql: [r[0] for r in con.execute(sql).fetchall()]      # noqa: E731
    assert names("SHOW FUNCTIONS LIKE 'url#_extract#_p%' ESCAPE '#'") == [
        "url_extract_parameter", "url_extract_path", "url_extract_port", "url_extract_protocol"]
    assert names("SHOW FUNCTIONS LIKE 'to#_base__' ESCAPE '#'") == ["to_base32", "to_base64"]
    assert names("SHOW FUNCTIONS LIKE 'e'") == ["e"]
    with pytest.raises(parthenon.DatabaseError, match="INVALID_FUNCTION_ARGUMENT: Escape string "
                                                      "must be a single character"):
        con.execute("SHOW FUNCTIONS LIKE 'x' ESCAPE '##'")
    with pytest.raises(parthenon.DatabaseError, match="INVALID_FUNCTION_ARGUMENT: Escape character "
                                                      "must be followed by '%', '_' or the escape "
                                                      "character itself"):
        con.execute("SHOW FUNCTIONS LIKE 'a#' ESCAPE '#'")


def test_show_functions_over_the_api(athena):
    qid, q = run(athena, "SHOW FUNCTIONS LIKE 'json_e%'")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert q["StatementType"] == "UTILITY"
    page = athena.get_query_results(QueryExecutionId=qid)
    assert [c["Name"] for c in page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]] == [
        "Function", "Return Type", "Argument Types", "Function Type", "Deterministic", "Description"]
    assert rows(athena, qid) == [
        ("json_extract", "json", "json, jsonpath", "scalar", "true", ""),
        ("json_extract", "json", "varchar(x), jsonpath", "scalar", "true", ""),
        ("json_extract_scalar", "varchar", "json, jsonpath", "scalar", "true", ""),
        ("json_extract_scalar", "varchar(x)", "varchar(x), jsonpath", "scalar", "true", "")]
