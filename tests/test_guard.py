"""parthenon.sql.guard: a query may read catalog tables with Trino functions, nothing else."""
from __future__ import annotations

import pytest

from parthenon.errors import NotSupported, PermissionDenied, SqlSyntaxError
from parthenon.errors import FunctionNotFound
from parthenon.sql.guard import check_query, statement_name
from parthenon.sql.parser import parse_statement


def refuse(sql: str, *, with_text: bool = True) -> Exception:
    with pytest.raises((PermissionDenied, NotSupported)) as err:
        check_query(parse_statement(sql), text=sql if with_text else None)
    return err.value


TABLE_FUNCTION = "Access Denied: Table function '{}' is not allowed: queries may read only catalog tables"


@pytest.mark.parametrize("sql, name, col", [
    ("SELECT * FROM read_csv('/etc/passwd')", "read_csv", 15),
    ("SELECT * FROM read_text('/etc/passwd')", "read_text", 15),
    ("SELECT * FROM read_blob('/etc/passwd')", "read_blob", 15),
    ("SELECT * FROM read_json('/x.json')", "read_json", 15),
    ("SELECT * FROM read_json_auto('/x.json')", "read_json_auto", 15),
    ("SELECT * FROM read_parquet('x.parquet')", "read_parquet", 15),
    ("SELECT * FROM parquet_scan('x.parquet')", "parquet_scan", 15),
    ("SELECT * FROM range(10)", "range", 15),
    ("SELECT * FROM generate_series(1, 10)", "generate_series", 15),
    ("SELECT * FROM sqlite_scan('x.db', 't')", "sqlite_scan", 15),
    ("SELECT * FROM query_table('t')", "query_table", 15),
    ("SELECT * FROM query('SELECT 1')", "query", 15),
    ("SELECT * FROM duckdb_settings()", "duckdb_settings", 15),
    ("SELECT * FROM TABLE(system.query(query => 'x'))", "system.query", 15),
    ("SELECT * FROM t, LATERAL (SELECT * FROM read_csv('/x'))", "read_csv", 41),
    ("SELECT * FROM t JOIN read_csv('/x') AS r ON true", "read_csv", 22),
    ("SELECT (SELECT max(a) FROM read_csv('x'))", "read_csv", 28),
    ("SELECT 1 WHERE EXISTS (SELECT 1 FROM read_csv('x'))", "read_csv", 38),
    ("WITH a AS (SELECT * FROM read_csv('x')) SELECT * FROM a", "read_csv", 26),
    ("SELECT 1 UNION ALL SELECT * FROM read_text('/etc/shadow')", "read_text", 34),
])
def test_table_functions_are_refused(sql, name, col):
    err = refuse(sql)
    assert type(err) is PermissionDenied
    assert str(err) == f"PERMISSION_DENIED: line 1:{col}: " + TABLE_FUNCTION.format(name)


@pytest.mark.parametrize("sql, name, col", [
    ("SELECT * FROM '/etc/passwd'", "/etc/passwd", 15),
    ("SELECT * FROM 'data.parquet'", "data.parquet", 15),
    ('SELECT * FROM "data.parquet"', "data.parquet", 15),
    ("SELECT * FROM 's3://bucket/key.csv'", "s3://bucket/key.csv", 15),
    ("SELECT * FROM t JOIN 'x.csv' ON true", "x.csv", 22),
    ("SELECT * FROM db.'/etc/passwd'", "/etc/passwd", 18),
    ("SELECT * FROM '~/secrets'", "~/secrets", 15),
])
def test_paths_used_as_tables_are_refused(sql, name, col):
    err = refuse(sql)
    assert type(err) is PermissionDenied
    assert str(err) == (f"PERMISSION_DENIED: line 1:{col}: Access Denied: Cannot read '{name}': "
                        "only catalog tables can be queried")


@pytest.mark.parametrize("sql, name, line, col", [
    ("SELECT getenv('HOME')", "getenv", 1, 8),
    ("SELECT current_setting('threads')", "current_setting", 1, 8),
    ("SELECT read_blob('x')", "read_blob", 1, 8),
    ("SELECT read_text('y')", "read_text", 1, 8),
    ("SELECT\n  lower(x), read_text('y') FROM t", "read_text", 2, 13),
    ("SELECT list_value(1)", "list_value", 1, 8),
    ("SELECT array_has(ARRAY[1], 1)", "array_has", 1, 8),
    ("SELECT json_execute_serialized_sql('x')", "json_execute_serialized_sql", 1, 8),
    ("SELECT duckdb_settings()", "duckdb_settings", 1, 8),
    ("SELECT x FROM t WHERE getvariable('x') = 1", "getvariable", 1, 23),
    ("SELECT count(*) FROM t GROUP BY no_such_function(x)", "no_such_function", 1, 33),
])
def test_unknown_functions_are_not_registered(sql, name, line, col):
    err = refuse(sql)
    assert type(err) is FunctionNotFound
    assert str(err) == f"FUNCTION_NOT_FOUND: line {line}:{col}: Function '{name}' not registered"


@pytest.mark.parametrize("sql", [
    "SELECT getenv('HOME')",
    "SELECT current_setting('threads')",
    "SELECT x FROM t WHERE read_text('y') IS NULL",
])
def test_unknown_functions_are_refused_without_the_text_too(sql):
    assert type(refuse(sql, with_text=False)) is FunctionNotFound


def test_read_csv_as_scalar_is_refused_without_the_text():
    # SQLGlot parses read_csv into a typed node; no Trino function maps to it.
    err = refuse("SELECT read_csv('/etc/passwd')", with_text=False)
    assert str(err) == "FUNCTION_NOT_FOUND: line 1:8: Function 'read_csv' not registered"


ENGINE = "PERMISSION_DENIED: line 1:1: Access Denied: Cannot execute {}: only queries over catalog tables are allowed"


@pytest.mark.parametrize("sql, name", [
    ("COPY t TO '/tmp/x.csv'", "COPY"),
    ("COPY (SELECT 1) TO '/tmp/x.csv'", "COPY"),
    ("DETACH x", "DETACH"),
    ("INSTALL httpfs", "INSTALL"),
    ("LOAD httpfs", "LOAD"),
    ("PRAGMA version", "PRAGMA"),
    ("SET threads=1", "SET"),
    ("SET SESSION query_max_run_time = '1h'", "SET"),
    ("RESET threads", "RESET"),
    ("RESET SESSION x", "RESET SESSION"),
    ("CALL pragma_version()", "CALL"),
    ("CALL system.sync_partition_metadata('a', 'b', 'FULL')", "CALL"),
    ("CREATE SECRET s (TYPE s3)", "CREATE SECRET"),
    ("CHECKPOINT", "CHECKPOINT"),
    ("FORCE CHECKPOINT", "FORCE"),
    ("USE db", "USE"),
    ("SUMMARIZE t", "SUMMARIZE"),
    ("VACUUM t", "VACUUM"),
])
def test_engine_statements_are_refused(sql, name):
    err = refuse(sql)
    assert type(err) is PermissionDenied
    assert str(err) == ENGINE.format(name)


@pytest.mark.parametrize("sql", [
    "ATTACH '/tmp/x.db' AS x",
    "EXPORT DATABASE '/tmp/x'",
    "IMPORT DATABASE '/tmp/x'",
])
def test_duckdb_only_file_statements_do_not_even_parse(sql):
    with pytest.raises(SqlSyntaxError):
        parse_statement(sql)


@pytest.mark.parametrize("sql, name", [
    ("INSERT INTO t SELECT 1", "INSERT"),
    ("DELETE FROM t", "DELETE"),
    ("UPDATE t SET a = 1", "UPDATE"),
    ("CREATE TABLE t AS SELECT 1", "CREATE TABLE"),
    ("EXPLAIN SELECT 1", "EXPLAIN"),
    ("PREPARE p FROM SELECT 1", "PREPARE"),
    ("EXECUTE p", "EXECUTE"),
    ("SHOW TABLES", "SHOW"),
    ("DESCRIBE t", "DESCRIBE"),
    ("UNLOAD (SELECT 1) TO 's3://x/' WITH (format = 'CSV')", "UNLOAD"),
    ("START TRANSACTION", "START TRANSACTION"),
])
def test_other_statements_are_not_queries(sql, name):
    err = refuse(sql)
    assert type(err) is NotSupported
    assert str(err) == (f"NOT_SUPPORTED: line 1:1: {name} is not a query: "
                        "only SELECT, WITH and VALUES can run here")


def test_statement_name():
    assert statement_name(parse_statement("COPY t TO 'x'")) == "COPY"
    assert statement_name(parse_statement("CHECKPOINT")) == "CHECKPOINT"


ALLOWED = [
    "SELECT 1",
    "VALUES 1, 2",
    "(SELECT 1)",
    "SELECT 1 UNION SELECT 2",
    "SELECT * FROM (SELECT 1) AS t(x) INTERSECT SELECT 1 EXCEPT SELECT 2",
    "WITH a AS (SELECT 1 AS x) SELECT * FROM a",
    "SELECT * FROM cloudtrail_logs",
    "SELECT * FROM db.t",
    "SELECT * FROM awsdatacatalog.db.t",
    'SELECT * FROM "awsdatacatalog"."my-db"."my_table"',
    "SELECT * FROM t AS a JOIN u AS b USING (id) LEFT JOIN v ON a.id = v.id",
    "SELECT * FROM UNNEST(ARRAY[1]) AS t(x)",
    "SELECT * FROM t CROSS JOIN UNNEST(arr) WITH ORDINALITY AS u(x, n)",
    "SELECT * FROM t, UNNEST(a, b) AS u(x, y)",
    "SELECT * FROM t TABLESAMPLE BERNOULLI (10)",
    "SELECT eventname, count(*) FROM cloudtrail WHERE json_extract_scalar(requestparameters, "
    "'$.bucketName') = 'x' GROUP BY 1 ORDER BY 2 DESC LIMIT 10",
    "SELECT useridentity.arn, sourceipaddress, count(*) AS n FROM cloudtrail "
    "WHERE eventtime > to_iso8601(current_timestamp - INTERVAL '1' DAY) "
    "AND errorcode = 'ThrottlingException' GROUP BY 1, 2 HAVING count(*) > 10",
    "SELECT x FROM t WHERE x IN (SELECT y FROM u) AND x = ANY (SELECT y FROM u) "
    "OR NOT x > ALL (SELECT 1) GROUP BY GROUPING SETS ((x), ())",
    "SELECT max(x) FROM t GROUP BY ROLLUP (x), CUBE (y)",
    "SELECT x % 2, x * 2, x - 1, x || 'a', -x, ~x FROM t",
    'SELECT a.b.c, t."x", "$path" FROM t',
    "SELECT x FROM t ORDER BY x NULLS FIRST OFFSET 2 LIMIT 10",     # Trino: OFFSET before LIMIT
    "SELECT x FROM t WHERE x LIKE '%a%' ESCAPE '!' AND x BETWEEN 1 AND 2 AND x IS NOT NULL",
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM t)",
    "SELECT CAST(x AS varchar), TRY_CAST(x AS int), ROW(1, 2), ARRAY[1], MAP(ARRAY[1], ARRAY[2]), "
    "x[1], current_timestamp, current_date, current_time, localtimestamp, localtime, "
    "EXTRACT(year FROM x), CASE WHEN x THEN 1 END, if(x, 1), coalesce(x, 1), nullif(x, 1), "
    "try(x), x AT TIME ZONE 'UTC', json_parse('1'), JSON '1', DATE '2017-01-01', "
    "TIMESTAMP '2017-01-01 00:00:00', INTERVAL '1' DAY, position('a' IN x), "
    "substring(x FROM 1 FOR 2), trim(BOTH ' ' FROM x), count(*) FILTER (WHERE x), "
    "row_number() OVER (PARTITION BY x ORDER BY y), transform(a, v -> v + 1), greatest(1, 2), "
    "x IS DISTINCT FROM y, CAST(ROW(1) AS ROW(a int)), element_at(m, 'k'), "
    "array_agg(DISTINCT x), sum(x) OVER w FROM t WINDOW w AS (ORDER BY x)",
    "SELECT date_diff('day', a, b), date_add('day', 1, d), date_trunc('hour', t), "
    "date_format(t, '%Y'), date_parse(s, '%Y'), from_iso8601_timestamp(s), from_unixtime(1), "
    "to_unixtime(t), regexp_extract(s, 'a'), regexp_like(s, 'a'), regexp_replace(s, 'a', 'b'), "
    "approx_distinct(x), approx_percentile(x, 0.5), max_by(a, b), min_by(a, b), arbitrary(x), "
    "count_if(x), map_agg(k, v), histogram(x), split(s, ','), array_join(a, ','), "
    "contains(a, 1), strpos(s, 'a'), substr(s, 1), length(s), url_extract_host(u), "
    "split_part(s, ',', 1), json_extract(j, '$.a'), json_format(j), json_array_length(j), "
    "json_size(j, '$.a'), now(), year(t), day_of_week(t), format_datetime(t, 'yyyy'), "
    "concat('a', 'b'), lower(s), upper(s), listagg(s, ',') WITHIN GROUP (ORDER BY s) FROM t",
    # Trino functions Parthenon cannot run pass the guard: the translator says NOT_SUPPORTED
    "SELECT soundex(x), ST_Point(1, 2), version() FROM t",
]


@pytest.mark.parametrize("sql", ALLOWED)
def test_allowed_queries_pass(sql):
    check_query(parse_statement(sql), text=sql)
    check_query(parse_statement(sql))


def test_errors_are_permission_denied_subclasses():
    # callers that catch PermissionDenied also catch an unknown function
    assert issubclass(FunctionNotFound, PermissionDenied)
    assert FunctionNotFound.code == "FUNCTION_NOT_FOUND"
