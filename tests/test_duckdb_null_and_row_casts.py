"""DuckDB answers that had Trino's values but not its types, or neither, through the DB-API:
exact rows and exact result types (Trino corpus cases of rows, map_operators,
array_operators and math_more)."""
from __future__ import annotations

import pytest


def result(con, sql: str) -> tuple[list[tuple], list[str]]:
    cur = con.cursor()
    cur.execute(sql)
    return cur.fetchall(), [d[1] for d in cur.description]


def assert_error(con, sql: str, error: str) -> None:
    """The query fails with a message starting with `error` (Athena's code and text)."""
    cur = con.cursor()
    with pytest.raises(Exception) as e:
        cur.execute(sql)
        cur.fetchall()
    assert str(e.value).startswith(error), str(e.value)


@pytest.mark.parametrize("sql, typ", [
    # DuckDB's value is its untyped SQLNULL: the column keeps Trino's type
    ("SELECT map_from_entries(NULL)", "map(unknown, unknown)"),
    ("SELECT multimap_from_entries(NULL)", "map(unknown, array(unknown))"),
    ("SELECT concat(ARRAY[], ARRAY[], ARRAY[], NULL, ARRAY[])", "array(unknown)"),
    # unknown binds to truncate's decimal signature (was bigint)
    ("SELECT truncate(NULL, NULL)", "decimal(1,0)"),
    ("SELECT truncate(NULL)", "decimal(1,0)"),
    ("SELECT truncate(CAST(NULL AS DOUBLE), 1)", "double"),
])
def test_null_results_typed_as_trino_types_them(con, sql, typ):
    assert result(con, sql) == ([(None,)], [typ])


def test_anonymous_rows_inside_a_cast_target(con):
    # ARRAY(ROW(DOUBLE, BIGINT)) was DuckDB's syntax error (its STRUCT needs field names)
    assert result(con, "SELECT CAST(ARRAY[] AS ARRAY(ROW(DOUBLE, BIGINT)))") == \
        ([([],)], ["array(row(double, bigint))"])
    assert result(con, "SELECT map_from_entries(CAST(ARRAY[] AS ARRAY(ROW(DOUBLE, BIGINT))))") == \
        ([([],)], ["map(double, bigint)"])
    assert result(con, "SELECT multimap_from_entries(CAST(ARRAY[] AS ARRAY(ROW(DOUBLE, BIGINT))))") == \
        ([([],)], ["map(double, array(bigint))"])
    assert result(con, "SELECT multimap_from_entries(CAST(ARRAY[ROW(1, 2.5), ROW(1, 3)] "
                       "AS ARRAY(ROW(DOUBLE, BIGINT))))") == \
        ([([(1.0, [3, 3])],)], ["map(double, array(bigint))"])
    assert result(con, "SELECT CAST(NULL AS MAP(BIGINT, ROW(BIGINT, ROW(DOUBLE))))") == \
        ([(None,)], ["map(bigint, row(bigint, row(double)))"])


def test_row_fields_cast_as_values_alone_are(con):
    # a JSON string cast to a varchar field is unquoted (it kept its quotes), a double's
    # text is Trino's 1.5E0 (it was 1.5), in place and from a row column
    assert result(con, "SELECT CAST(row(json '2', json '1.5', json 'true', json '\"abc\"', json '[1, 2]') "
                       "AS row(a BIGINT, b DOUBLE, c BOOLEAN, d VARCHAR, e ARRAY(BIGINT)))") == \
        ([({"a": 2, "b": 1.5, "c": True, "d": "abc", "e": [1, 2]},)],
         ["row(a bigint, b double, c boolean, d varchar, e array(bigint))"])
    assert result(con, "SELECT CAST(ROW(1.5e0, 2) AS ROW(a VARCHAR, b VARCHAR))") == \
        ([({"a": "1.5E0", "b": "2"},)], ["row(a varchar, b varchar)"])
    assert result(con, "SELECT CAST(r AS ROW(a VARCHAR, b VARCHAR)) FROM (SELECT ROW(1.5e0, json '\"x\"') r) t") == \
        ([({"a": "1.5E0", "b": "x"},)], ["row(a varchar, b varchar)"])
    assert result(con, "SELECT CAST(ROW(ROW(1.5e0)) AS ROW(a ROW(b VARCHAR)))") == \
        ([({"a": {"b": "1.5E0"}},)], ["row(a row(b varchar))"])


def test_a_json_array_field_to_varchar_fails_as_trino(con):
    cur = con.cursor()
    with pytest.raises(Exception, match="INVALID_CAST_ARGUMENT: Cannot cast JSON object or array to varchar"):
        cur.execute("SELECT CAST(ROW(json '[1]') AS ROW(d VARCHAR))")
        cur.fetchall()


@pytest.mark.parametrize("sql, error", [
    # a NULL field or element met before the order is decided: Trino's NOT_SUPPORTED
    # (DuckDB orders NULL as a value after all others: these were false)
    ("SELECT row(1, CAST(NULL AS INTEGER)) < row(1, 2)",
     "NOT_SUPPORTED: ROW comparison not supported for fields with null elements"),
    ("SELECT ARRAY[1, NULL] < ARRAY[1, 2]",
     "NOT_SUPPORTED: ARRAY comparison not supported for arrays with null elements"),
    ("SELECT ARRAY[ARRAY[1, NULL]] >= ARRAY[ARRAY[1, 3]]",
     "NOT_SUPPORTED: ARRAY comparison not supported for arrays with null elements"),
    ("SELECT a < b FROM (VALUES (ARRAY[1, 2], ARRAY[1, 3]), (ARRAY[1, NULL], ARRAY[1, 2])) t(a, b)",
     "NOT_SUPPORTED: ARRAY comparison not supported for arrays with null elements"),
    # maps are not orderable, in rows too (DuckDB ordered them)
    ("SELECT row(TRUE, ARRAY [1, 2], MAP(ARRAY[1, 3], ARRAY[2.0E0, 4.0E0])) > "
     "row(TRUE, ARRAY [1, 2], MAP(ARRAY[1, 3], ARRAY[2.0E0, 4.0E0]))",
     "TYPE_MISMATCH: line 1:8: Cannot apply operator: row(boolean, array(integer), map(integer, double)) > "
     "row(boolean, array(integer), map(integer, double))"),
    ("SELECT MAP(ARRAY[1], ARRAY[2]) <= MAP(ARRAY[1], ARRAY[2])",
     "TYPE_MISMATCH: line 1:8: Cannot apply operator: map(integer, integer) <= map(integer, integer)"),
])
def test_ordering_refused_as_trino_refuses_it(con, sql, error):
    assert_error(con, sql, error)


@pytest.mark.parametrize("sql, answer", [
    # decided before the NULL: answered, as Trino checks each place as it comes to it
    ("SELECT row(1, NULL) < row(2, 2)", True),
    ("SELECT ARRAY[1, NULL] < ARRAY[2, 2]", True),
    ("SELECT ARRAY[1, 2] < ARRAY[1, 2, NULL]", True),
    ("SELECT ARRAY[ARRAY[1, NULL]] < ARRAY[ARRAY[0, 3]]", False),
    ("SELECT CAST(NULL AS ARRAY(INTEGER)) < ARRAY[1]", None),
    ("SELECT MAP(ARRAY[1], ARRAY[2]) = MAP(ARRAY[1], ARRAY[2])", True),
])
def test_ordering_decided_before_a_null(con, sql, answer):
    assert result(con, sql) == ([(answer,)], ["boolean"])


def test_repeat_past_trinos_size_limit(con):
    # the result's bytes are past 1,000,000 whatever Trino's block layout adds: its error
    # (the array was answered); near the limit NOT_SUPPORTED; well below it answered
    cur = con.cursor()
    with pytest.raises(Exception, match="INVALID_FUNCTION_ARGUMENT: result of repeat function must not take "
                                        "more than 1000000 bytes"):
        cur.execute("SELECT repeat('" + "o" * 110 + "', 9999)")
        cur.fetchall()
    with pytest.raises(Exception, match="NOT_SUPPORTED"):
        cur.execute("SELECT repeat(ARRAY[" + ", ".join(str(i) for i in range(1, 21)) + "], 9999)")
        cur.fetchall()
    assert result(con, "SELECT repeat('ab', 3), cardinality(repeat(BIGINT '1', 10000))") == \
        ([(["ab", "ab", "ab"], 10000)], ["array(varchar(2))", "bigint"])
    assert result(con, "SELECT cardinality(repeat(CAST(NULL AS VARCHAR), 10000))") == ([(10000,)], ["bigint"])


@pytest.mark.parametrize("sql, error", [
    # Trino fuses the cast of json_parse into one cast of the text (json_parse alone is
    # INVALID_FUNCTION_ARGUMENT)
    ("SELECT CAST(json_parse('') AS ARRAY(JSON))", "INVALID_CAST_ARGUMENT: Cannot cast to array(json)."),
    ("SELECT CAST(json_parse('{true: false}') AS MAP(BOOLEAN, BOOLEAN))",
     "INVALID_CAST_ARGUMENT: Cannot cast to map(boolean, boolean)."),
    ("SELECT json_parse('[1')", "INVALID_FUNCTION_ARGUMENT: Cannot convert value to JSON: '[1'"),
])
def test_malformed_json_parse_under_a_container_cast(con, sql, error):
    assert_error(con, sql, error)
    assert result(con, "SELECT CAST(json_parse('[1, 2]') AS ARRAY(BIGINT))") == ([([1, 2],)], ["array(bigint)"])


def test_json_to_an_array_of_rows(con):
    # each element as CAST(json AS ROW): objects by name (missing keys NULL, others
    # ignored), arrays by position, null a NULL row (DuckDB's cast failed on any other key)
    assert result(con, "SELECT CAST(JSON '[{\"k1\": [1, 2], \"used\": 3, \"k2\": [4, 5]}]' AS ARRAY(ROW(used BIGINT)))") == \
        ([([{"used": 3}],)], ["array(row(used bigint))"])
    assert result(con, "SELECT CAST(JSON '[[1, \"two\"], {\"k2\": null, \"K1\": 3}, null]' "
                       "AS ARRAY(ROW(k1 BIGINT, k2 VARCHAR)))") == \
        ([([{"k1": 1, "k2": "two"}, {"k1": 3, "k2": None}, None],)], ["array(row(k1 bigint, k2 varchar))"])
    assert result(con, "SELECT CAST(JSON 'null' AS ARRAY(ROW(a BIGINT)))") == ([(None,)], ["array(row(a bigint))"])


@pytest.mark.parametrize("sql", [
    # a JSON scalar is no row (it was a NULL row)
    "SELECT CAST(JSON '1' AS ROW(a BIGINT))",
    "SELECT CAST(JSON '[1]' AS ARRAY(ROW(a BIGINT)))",
])
def test_json_scalar_to_a_row_fails(con, sql):
    cur = con.cursor()
    with pytest.raises(Exception, match="INVALID_CAST_ARGUMENT: Cannot cast to row\\(a bigint\\)"):
        cur.execute(sql)
        cur.fetchall()


@pytest.mark.parametrize("sql, answer, typ", [
    # ERROR ON ERROR / ON EMPTY directly inside try(): the error is try's NULL (was refused)
    ("SELECT try(json_value('[1, 2, 3]', 'strict $[100]' ERROR ON ERROR))", None, "varchar"),
    ("SELECT try(json_value('[...', 'lax $[0]' ERROR ON ERROR))", None, "varchar"),
    ("SELECT try(json_value('[1, 2, 3]', 'strict $[1]' ERROR ON ERROR))", "2", "varchar"),
    ("SELECT try(json_query('[1, 2, 3]', 'lax $[100]' ERROR ON EMPTY))", None, "varchar"),
    # json_value is varchar: coalesce with a literal is varchar, not varchar(1)
    ("SELECT coalesce(json_value('[1]', 'lax $[0]'), 'd')", "1", "varchar"),
])
def test_sql_json_error_clauses_under_try(con, sql, answer, typ):
    assert result(con, sql) == ([(answer,)], [typ])


def test_sql_json_error_clause_outside_try_stays_refused(con):
    cur = con.cursor()
    with pytest.raises(Exception, match="NOT_SUPPORTED"):
        cur.execute("SELECT coalesce(json_value('[1, 2, 3]', 'strict $[100]' ERROR ON ERROR), 'd')")
        cur.fetchall()


def test_text_with_an_unknown_zone_to_a_zoned_timestamp(con):
    # Trino's INVALID_CAST_ARGUMENT, which try() makes NULL (DuckDB's "Unknown TimeZone" was
    # an internal error, through try() too)
    cur = con.cursor()
    with pytest.raises(Exception, match="INVALID_CAST_ARGUMENT: Value cannot be cast to timestamp with time zone: "
                                        "0000-01-01 ABC"):
        cur.execute("SELECT CAST(a AS TIMESTAMP WITH TIME ZONE) FROM (VALUES '0000-01-01 ABC') t(a)")
        cur.fetchall()
    assert result(con, "SELECT try(CAST(a AS TIMESTAMP WITH TIME ZONE)) FROM (VALUES '0000-01-01 ABC') t(a)") == \
        ([(None,)], ["timestamp(3) with time zone"])
    rows, types = result(con, "SELECT CAST(a AS TIMESTAMP WITH TIME ZONE) FROM (VALUES '2020-01-01 10:00 Asia/Kathmandu') t(a)")
    assert types == ["timestamp(3) with time zone"] and str(rows[0][0]) == "2020-01-01 10:00:00+05:45"


def test_text_to_a_zoned_timestamp_keys_its_zone_as_trino(con):
    # the zone matched case-insensitively, as Trino's key (the text kept 'asia/kathmandu');
    # a NULL text is NULL
    rows, types = result(con, "SELECT CAST(a AS TIMESTAMP WITH TIME ZONE) FROM (VALUES '2020-01-01 10:00 asia/kathmandu', "
                              "'2020-01-01 10:00 GMT', CAST(NULL AS VARCHAR)) t(a)")
    assert [str(r[0]) for r in rows] == ["2020-01-01 10:00:00+05:45", "2020-01-01 10:00:00+00:00", "None"]
    assert str(rows[0][0].tzinfo) == "Asia/Kathmandu"
    assert types == ["timestamp(3) with time zone"]
