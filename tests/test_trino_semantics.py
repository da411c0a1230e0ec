"""Trino (Athena engine v3) semantics of parthenon.engine.duckdb.trino.

Each case parses a Trino query with Parthenon's parser, translates it, runs it
on a fresh DuckDB connection over literal data, and checks Trino's answer:
the value and, where it matters, the type.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from parthenon.engine.duckdb.functions import register
from parthenon.errors import NotSupported
from parthenon.sql.parser import parse_statement
from parthenon.engine.duckdb.trino import to_duckdb_sql, translate

UTC = dt.timezone.utc


def run(sql: str):
    con = duckdb.connect()
    register(con)       # the Trino functions the engine's connections carry
    con.execute("SET TimeZone = 'UTC'")
    cur = con.execute(to_duckdb_sql(parse_statement(sql)))
    rows = cur.fetchall()
    names = [d[0] for d in cur.description]
    types = [str(d[1]) for d in cur.description]
    return rows, names, types


def value(sql: str):
    """The single value of a one-row, one-column query, and its DuckDB type."""
    rows, _, types = run(sql)
    assert len(rows) == 1 and len(rows[0]) == 1, rows
    return rows[0][0], types[0]


def scalar(sql: str):
    return value(sql)[0]


# --------------------------------------------------------------------------- arithmetic

@pytest.mark.parametrize("sql, expected, typ", [
    ("SELECT 7/2", 3, "INTEGER"),
    ("SELECT -7/2", -3, "INTEGER"),
    ("SELECT 7/-2", -3, "INTEGER"),
    ("SELECT CAST(7 AS bigint)/2", 3, "BIGINT"),
    ("SELECT 7.0/2", 3.5, None),
    ("SELECT 7/2.0", 3.5, None),
    ("SELECT DOUBLE '7'/2", 3.5, "DOUBLE"),
    ("SELECT 7e0/2", 3.5, "DOUBLE"),
    ("SELECT 1e0/0", float("inf"), "DOUBLE"),
    ("SELECT -7 % 3", -1, "INTEGER"),
    ("SELECT mod(-7, 3)", -1, "INTEGER"),
    ("SELECT x / y FROM (VALUES (9, 4)) AS t(x, y)", 2, "INTEGER"),
    ("SELECT x / y FROM (VALUES (9e0, 4)) AS t(x, y)", 2.25, "DOUBLE"),
])
def test_division(sql, expected, typ):
    got, got_type = value(sql)
    assert got == expected
    if typ:
        assert got_type == typ


def test_integer_division_by_zero_fails():
    with pytest.raises(duckdb.Error, match="Division by zero"):
        run("SELECT 1/0")


def test_try_turns_errors_into_null():
    assert run("SELECT try(1/0), try(CAST('x' AS integer)), try_cast('x' AS integer), "
               "try_cast('12' AS integer)")[0] == [(None, None, None, 12)]


# --------------------------------------------------------------------------- element_at / subscripts

@pytest.mark.parametrize("sql, expected", [
    ("SELECT element_at(ARRAY[1, 2, 3], 2)", 2),
    ("SELECT element_at(ARRAY[1, 2, 3], 5)", None),
    ("SELECT element_at(ARRAY[1, 2, 3], -1)", 3),
    ("SELECT element_at(ARRAY[1, 2, 3], -4)", None),
    ("SELECT element_at(MAP(ARRAY['a', 'b'], ARRAY[1, 2]), 'b')", 2),
    ("SELECT element_at(MAP(ARRAY['a', 'b'], ARRAY[1, 2]), 'z')", None),
    ("SELECT ARRAY[10, 20, 30][1]", 10),
    ("SELECT MAP(ARRAY['a'], ARRAY[1])['a']", 1),
])
def test_element_at(sql, expected):
    assert scalar(sql) == expected


# --------------------------------------------------------------------------- JSON

@pytest.mark.parametrize("sql, expected", [
    ("""SELECT json_extract_scalar('{"a":{"b":1}}', '$.a.b')""", "1"),
    ("""SELECT json_extract_scalar('{"a":{"b":1}}', '$.a')""", None),
    ("""SELECT json_extract_scalar('{"a":[1,2]}', '$.a')""", None),
    ("""SELECT json_extract_scalar('{"a":[1,2]}', '$.a[0]')""", "1"),
    ("""SELECT json_extract_scalar('{"k y":"v"}', '$["k y"]')""", "v"),
    ("""SELECT json_extract_scalar('{"a":"x"}', '$.a')""", "x"),
    ("""SELECT json_extract_scalar('{"a":true}', '$.a')""", "true"),
    ("""SELECT json_extract_scalar('{"a":null}', '$.a')""", None),
    ("""SELECT json_extract_scalar('{"a":1}', '$.missing')""", None),
    ("""SELECT json_extract_scalar('not json', '$.a')""", None),
    ("""SELECT json_extract_scalar('[1, 2, 3]', '$[2]')""", "3"),
    ("""SELECT json_extract_scalar(json_parse('{"a":"x"}'), '$.a')""", "x"),
    ("""SELECT json_extract('{"a":{"b":1}}', '$.a')""", '{"b":1}'),
    ("""SELECT json_extract('{"a":"x"}', '$.a')""", '"x"'),
    ("""SELECT json_extract('{"a":[1,2]}', '$.a[1]')""", "2"),
    ("""SELECT json_extract('{"a":1}', '$.b')""", None),
    ("""SELECT json_extract('bad', '$.a')""", None),
    ("""SELECT json_format(json_parse('{"a": 1, "b": [1, 2]}'))""", '{"a":1,"b":[1,2]}'),
    ("""SELECT json_format(json_parse('"a"'))""", '"a"'),
    ("""SELECT json_array_length('[1, 2, 3]')""", 3),
    ("""SELECT json_array_length('{"a": 1}')""", None),
    ("""SELECT json_size('{"x": {"a": 1, "b": 2}}', '$.x')""", 2),
    ("""SELECT json_size('{"x": [1, 2, 3]}', '$.x')""", 3),
    ("""SELECT json_size('{"x": {"a": 1, "b": 2}}', '$.x.a')""", 0),
    ("""SELECT json_size('{"x": 1}', '$.y')""", None),
    ("""SELECT json_size('{"k y": [1, 2]}', '$["k y"]')""", 2),
    ("""SELECT json_array_get('["a", [3, 9], "c"]', 1)""", "[3,9]"),
    ("""SELECT json_array_get('["c", [3, 9], "a"]', -2)""", "[3,9]"),
    ("""SELECT json_array_get('[]', 0)""", None),
    ("""SELECT json_array_get('["a", "b", "c"]', 10)""", None),
    ("""SELECT json_array_contains('[1, 2, 3]', 2)""", True),
    ("""SELECT json_array_contains('["a", "b"]', 'c')""", False),
    ("""SELECT is_json_scalar('1')""", True),
    ("""SELECT is_json_scalar('[1, 2, 3]')""", False),
    ("""SELECT CAST('abc' AS JSON)""", '"abc"'),
    ("""SELECT CAST(ARRAY[1, 23, 456] AS JSON)""", "[1,23,456]"),
    ("""SELECT CAST(json_parse('"abc"') AS varchar)""", "abc"),
    ("""SELECT CAST(json_parse('42') AS varchar)""", "42"),
    ("""SELECT CAST(JSON '[1,23,456]' AS ARRAY(INTEGER))""", [1, 23, 456]),
])
def test_json(sql, expected):
    assert scalar(sql) == expected


def test_json_types():
    assert value("""SELECT json_extract_scalar('{"a":1}', '$.a')""")[1] == "VARCHAR"
    assert value("""SELECT json_array_length('[1]')""")[1] == "BIGINT"
    assert value("""SELECT json_size('{"x": [1]}', '$.x')""")[1] == "BIGINT"


def test_cast_json_object_to_varchar_fails():
    with pytest.raises(duckdb.Error, match="Cannot cast JSON"):
        run("""SELECT CAST(json_parse('{"a": 1}') AS varchar)""")


def test_json_parse_rejects_malformed_json():
    with pytest.raises(duckdb.Error):
        run("SELECT json_parse('not_json')")


# --------------------------------------------------------------------------- date and time

def test_from_iso8601_timestamp_is_timestamp_with_time_zone():
    # a zoned value leaves the engine as Trino's text (see parthenon.engine.duckdb.trino.zoned)
    sql = "SELECT from_iso8601_timestamp('2017-06-15T12:00:00Z')"
    assert scalar(sql) == "2017-06-15 12:00:00.000 UTC"
    assert translate(parse_statement(sql)).types == ["timestamp(3) with time zone"]
    got = scalar("SELECT from_iso8601_timestamp('2017-06-15T12:00:00.123+02:00')")
    assert got == "2017-06-15 12:00:00.123 +02:00"
    assert scalar("SELECT from_iso8601_date('2017-06-15')") == dt.date(2017, 6, 15)


@pytest.mark.parametrize("sql, expected", [
    ("SELECT date_parse('2017-06-15 12:34:56', '%Y-%m-%d %H:%i:%s')", dt.datetime(2017, 6, 15, 12, 34, 56)),
    ("SELECT date_parse('2017-06-15T12:34:56Z', '%Y-%m-%dT%H:%i:%sZ')", dt.datetime(2017, 6, 15, 12, 34, 56)),
    ("SELECT date_parse('15/06/2017', '%d/%m/%Y')", dt.datetime(2017, 6, 15)),
    ("SELECT date_format(TIMESTAMP '2017-06-15 12:34:56', '%Y-%m-%d %H:%i:%s')", "2017-06-15 12:34:56"),
    ("SELECT date_format(TIMESTAMP '2017-06-05 08:04:05', '%b %e %W %a %p %h %T')", "Jun 5 Monday Mon AM 08 08:04:05"),
    ("SELECT format_datetime(TIMESTAMP '2017-06-15 12:34:56.789', 'yyyy-MM-dd HH:mm:ss.SSS')", "2017-06-15 12:34:56.789"),
    ("SELECT format_datetime(TIMESTAMP '2017-06-15 12:34:56', 'EEE, dd MMM yyyy')", "Thu, 15 Jun 2017"),
    ("SELECT parse_datetime('2017-06-15 12:34', 'yyyy-MM-dd HH:mm')", "2017-06-15 12:34:00.000 UTC"),
    ("SELECT date_trunc('hour', TIMESTAMP '2017-06-15 12:34:56')", dt.datetime(2017, 6, 15, 12, 0)),
    ("SELECT date_trunc('day', TIMESTAMP '2017-06-15 12:34:56')", dt.datetime(2017, 6, 15)),
    ("SELECT date_trunc('month', DATE '2017-06-15')", dt.date(2017, 6, 1)),
    ("SELECT date_trunc('week', DATE '2017-06-15')", dt.date(2017, 6, 12)),
    ("SELECT date_trunc('quarter', TIMESTAMP '2017-06-15 12:00:00')", dt.datetime(2017, 4, 1)),
    ("SELECT date_trunc('year', DATE '2017-06-15')", dt.date(2017, 1, 1)),
    ("SELECT date_trunc('second', TIMESTAMP '2017-06-15 12:34:56.789')", dt.datetime(2017, 6, 15, 12, 34, 56)),
    ("SELECT date_trunc('day', from_iso8601_timestamp('2017-06-15T12:00:00Z'))", "2017-06-15 00:00:00.000 UTC"),
    ("SELECT date_diff('day', TIMESTAMP '2017-06-15 23:00:00', TIMESTAMP '2017-06-16 01:00:00')", 0),
    ("SELECT date_diff('day', DATE '2017-06-15', DATE '2017-07-01')", 16),
    ("SELECT date_diff('day', DATE '2017-06-20', DATE '2017-06-15')", -5),
    ("SELECT date_diff('hour', TIMESTAMP '2017-06-15 12:00:00', TIMESTAMP '2017-06-15 14:59:59')", 2),
    ("SELECT date_diff('month', DATE '2017-01-31', DATE '2017-02-28')", 1),
    ("SELECT date_diff('month', DATE '2017-01-15', DATE '2017-02-14')", 0),
    ("SELECT date_diff('year', DATE '2016-06-15', DATE '2017-06-14')", 0),
    ("SELECT date_add('day', 3, DATE '2017-06-15')", dt.date(2017, 6, 18)),
    ("SELECT date_add('month', 1, DATE '2017-01-31')", dt.date(2017, 2, 28)),
    ("SELECT date_add('hour', 3, TIMESTAMP '2017-06-15 12:00:00')", dt.datetime(2017, 6, 15, 15)),
    ("SELECT date_add('day', -1, TIMESTAMP '2017-06-15 12:00:00')", dt.datetime(2017, 6, 14, 12)),
    ("SELECT from_unixtime(1497528000)", "2017-06-15 12:00:00.000 UTC"),
    ("SELECT from_unixtime(1497528000.5)", "2017-06-15 12:00:00.500 UTC"),
    ("SELECT to_unixtime(TIMESTAMP '2017-06-15 12:00:00')", 1497528000.0),
    ("SELECT to_unixtime(from_iso8601_timestamp('2017-06-15T12:00:00Z'))", 1497528000.0),
    ("SELECT to_iso8601(TIMESTAMP '2017-06-15 12:34:56.789')", "2017-06-15T12:34:56.789"),
    ("SELECT to_iso8601(DATE '2017-06-15')", "2017-06-15"),
    ("SELECT to_iso8601(from_iso8601_timestamp('2017-06-15T12:00:00Z'))", "2017-06-15T12:00:00.000Z"),
    ("SELECT millisecond(TIMESTAMP '2017-01-01 00:00:05.123')", 123),
    ("SELECT second(TIMESTAMP '2017-01-01 00:00:05.123')", 5),
    ("SELECT year(DATE '2017-06-15')", 2017),
    ("SELECT month(DATE '2017-06-15')", 6),
    ("SELECT day(DATE '2017-06-15')", 15),
    ("SELECT day_of_week(DATE '2017-06-18')", 7),
    ("SELECT day_of_year(DATE '2017-02-01')", 32),
    ("SELECT week(DATE '2017-01-01')", 52),
    ("SELECT quarter(DATE '2017-06-15')", 2),
    ("SELECT hour(TIMESTAMP '2017-06-15 12:34:56')", 12),
    ("SELECT EXTRACT(YEAR FROM DATE '2017-06-15')", 2017),
    ("SELECT date(TIMESTAMP '2017-06-15 12:34:56')", dt.date(2017, 6, 15)),
    ("SELECT last_day_of_month(DATE '2017-02-10')", dt.date(2017, 2, 28)),
    ("SELECT TIMESTAMP '2017-06-15 12:00:00' AT TIME ZONE 'America/New_York'",
     "2017-06-15 08:00:00 America/New_York"),
    ("SELECT hour(from_iso8601_timestamp('2017-06-15T12:00:00Z') AT TIME ZONE 'Asia/Tokyo')", 21),
    ("SELECT hour(at_timezone(from_unixtime(1497528000), 'Asia/Tokyo'))", 21),
    ("SELECT hour(from_unixtime(1497528000, 'America/New_York'))", 8),
])
def test_date_time(sql, expected):
    assert scalar(sql) == expected


@pytest.mark.parametrize("sql, typ", [
    ("SELECT date_trunc('month', DATE '2017-06-15')", "DATE"),
    ("SELECT date_trunc('hour', TIMESTAMP '2017-06-15 12:34:56')", "TIMESTAMP"),
    ("SELECT date_add('day', 1, DATE '2017-06-15')", "DATE"),
    ("SELECT date_add('day', 1, current_date)", "DATE"),
    ("SELECT date_diff('day', DATE '2017-06-15', DATE '2017-06-16')", "BIGINT"),

    ("SELECT current_date", "DATE"),

    ("SELECT to_unixtime(TIMESTAMP '2017-06-15 12:00:00')", "DOUBLE"),
    ("SELECT year(DATE '2017-06-15')", "BIGINT"),
])
def test_date_time_types(sql, typ):
    assert value(sql)[1] == typ


@pytest.mark.parametrize("sql", ["SELECT current_timestamp", "SELECT now()", "SELECT from_unixtime(0)"])
def test_zoned_results_are_typed_timestamp_with_time_zone(sql):
    assert translate(parse_statement(sql)).types == ["timestamp(3) with time zone"]


def test_current_timestamp_is_now():
    got = dt.datetime.strptime(scalar("SELECT current_timestamp"), "%Y-%m-%d %H:%M:%S.%f UTC")
    assert abs((dt.datetime.now(UTC) - got.replace(tzinfo=UTC)).total_seconds()) < 60


# --------------------------------------------------------------------------- regular expressions

@pytest.mark.parametrize("sql, expected", [
    ("SELECT regexp_extract('abc123', '[0-9]+')", "123"),
    ("SELECT regexp_extract('1a 2b 14m', '\\d+')", "1"),
    ("SELECT regexp_extract('abc', 'x')", None),
    ("SELECT regexp_extract('1a 2b 14m', '(\\d+)([a-z]+)', 2)", "a"),
    ("SELECT regexp_extract('abc', '(x)?b', 1)", None),
    ("SELECT regexp_extract('abc', 'b', 0)", "b"),
    ("SELECT regexp_like('1a 2b 14m', '\\d+b')", True),
    ("SELECT regexp_like('abc', '^b')", False),
    ("SELECT regexp_replace('1a 2b 14m', '\\d+[ab] ')", "14m"),
    ("SELECT regexp_replace('1a 2b 14m', '(\\d+)([ab]) ', '3c$2 ')", "3ca 3cb 14m"),
    ("SELECT regexp_replace('abc', 'b', '\\$')", "a$c"),
    ("SELECT regexp_replace('abc', 'b', 'x\\y')", "axyc"),  # Java: \ escapes the next char
    ("SELECT regexp_replace('aaa', 'a', 'b')", "bbb"),
    ("SELECT regexp_extract_all('1a 2b 14m', '\\d+')", ["1", "2", "14"]),
    ("SELECT regexp_extract_all('1a 2b 14m', '(\\d+)([a-z]+)', 2)", ["a", "b", "m"]),
    ("SELECT regexp_extract_all('abc', 'x')", []),
    ("SELECT regexp_split('1a 2b 14m', '\\s*[a-z]+\\s*')", ["1", "2", "14", ""]),
    ("SELECT regexp_count('1a 2b 14m', '\\s*[a-z]+\\s*')", 3),
    ("SELECT regexp_position('I have 23 apples, 5 pears', '\\b\\d+\\b')", 8),
    ("SELECT regexp_position('abc', 'x')", -1),
])
def test_regexp(sql, expected):
    assert scalar(sql) == expected


# --------------------------------------------------------------------------- aggregates

def test_aggregates():
    rows, _, types = run(
        "SELECT count_if(x > 2), arbitrary(x) IS NOT NULL, max_by(y, x), min_by(y, x), "
        "array_agg(x ORDER BY x), map_agg(y, x)['a'], histogram(y), approx_distinct(x), "
        "approx_percentile(x, 0.5), approx_percentile(x, ARRAY[0.5, 1.0]), count(*), "
        "sum(x), avg(x), bool_and(x > 0), every(x > 1) "
        "FROM (VALUES (1, 'a'), (2, 'b'), (3, 'b')) AS t(x, y)")
    assert rows == [(1, True, "b", "a", [1, 2, 3], 1, {"a": 1, "b": 2}, 3, 2, [2, 3], 3, 6, 2.0,
                     True, False)]
    assert types[0] == "BIGINT"                       # count_if
    assert types[6] == "MAP(VARCHAR, BIGINT)"         # histogram
    assert types[7] == "BIGINT"                       # approx_distinct


def test_map_agg_skips_null_keys_and_keeps_one_value_per_key():
    got = scalar("SELECT map_agg(k, v) FROM (VALUES ('a', 1), ('a', 2), (NULL, 3), ('b', 4)) AS t(k, v)")
    assert set(got) == {"a", "b"} and got["a"] in (1, 2) and got["b"] == 4


def test_array_agg_keeps_nulls():
    assert scalar("SELECT array_agg(x) FROM (VALUES 1, NULL) AS t(x)") == [1, None]


def test_listagg():
    assert scalar("SELECT listagg(x, ',') WITHIN GROUP (ORDER BY x) FROM (VALUES 'b', 'a', 'c') t(x)") == "a,b,c"


# --------------------------------------------------------------------------- UNNEST

def test_cross_join_unnest():
    rows, names, _ = run(
        "SELECT id, x FROM (VALUES (1, ARRAY[10, 20]), (2, ARRAY[]), (3, NULL)) AS s(id, arr) "
        "CROSS JOIN UNNEST(arr) AS t(x) ORDER BY id, x")
    assert rows == [(1, 10), (1, 20)]
    assert names == ["id", "x"]


def test_unnest_with_ordinality_numbers_in_array_order():
    rows, names, _ = run(
        "SELECT x, n FROM (VALUES ARRAY[30, 10, 20]) AS s(arr) "
        "CROSS JOIN UNNEST(arr) WITH ORDINALITY AS t(x, n)")
    assert sorted(rows, key=lambda r: r[1]) == [(30, 1), (10, 2), (20, 3)]
    assert names == ["x", "n"]


def test_unnest_array_of_rows_into_columns():
    rows, names, _ = run(
        "SELECT name, age FROM (VALUES ARRAY[CAST(ROW('Bob', 38) AS ROW(name VARCHAR, age INTEGER)), "
        "CAST(ROW('Alice', 35) AS ROW(name VARCHAR, age INTEGER))]) AS s(users) "
        "CROSS JOIN UNNEST(users) AS t(name, age) ORDER BY age")
    assert rows == [("Alice", 35), ("Bob", 38)]
    assert names == ["name", "age"]


def test_unnest_array_of_rows_as_one_column_keeps_the_row():
    rows, _, _ = run(
        "SELECT u.name FROM (VALUES ARRAY[CAST(ROW('Bob', 38) AS ROW(name VARCHAR, age INTEGER))]) "
        "AS s(users) CROSS JOIN UNNEST(users) AS t(u)")
    assert rows == [("Bob",)]


def test_unnest_array_of_rows_with_ordinality():
    rows, _, _ = run(
        "SELECT a, b, n FROM (VALUES ARRAY[ROW(1, 'x'), ROW(2, 'y')]) AS s(arr) "
        "CROSS JOIN UNNEST(arr) WITH ORDINALITY AS t(a, b, n) ORDER BY n")
    assert rows == [(1, "x", 1), (2, "y", 2)]


def test_unnest_several_arrays_zips_and_pads_with_null():
    rows, _, _ = run(
        "SELECT n, a FROM (VALUES (ARRAY[2, 5], ARRAY['dog', 'cat', 'bird'])) AS x(numbers, animals) "
        "CROSS JOIN UNNEST(numbers, animals) AS t(n, a)")
    assert sorted(rows, key=lambda r: r[1]) == [(None, "bird"), (5, "cat"), (2, "dog")]


def test_unnest_in_from():
    assert run("SELECT x FROM UNNEST(ARRAY[1, 2]) AS t(x) ORDER BY x")[0] == [(1,), (2,)]
    rows = run("SELECT x, y FROM UNNEST(ARRAY[1, 2], ARRAY['a']) AS t(x, y) ORDER BY x")[0]
    assert rows == [(1, "a"), (2, None)]


def test_unnest_map():
    rows, _, _ = run(
        "SELECT k, v FROM (VALUES 1) AS s(i) "
        "CROSS JOIN UNNEST(MAP(ARRAY['a', 'b'], ARRAY[1, 2])) AS t(k, v) ORDER BY k")
    assert rows == [("a", 1), ("b", 2)]


def test_left_join_unnest_keeps_rows_with_empty_arrays():
    rows, _, _ = run(
        "SELECT id, x FROM (VALUES (1, ARRAY[7]), (2, ARRAY[])) AS s(id, arr) "
        "LEFT JOIN UNNEST(arr) AS t(x) ON true ORDER BY id")
    assert rows == [(1, 7), (2, None)]


# --------------------------------------------------------------------------- strings

@pytest.mark.parametrize("sql, expected", [
    ("SELECT strpos('hello', 'l')", 3),
    ("SELECT strpos('hello', 'z')", 0),
    ("SELECT position('l' IN 'hello')", 3),
    ("SELECT substr('hello', 2)", "ello"),
    ("SELECT substr('hello', 2, 2)", "el"),
    ("SELECT substr('hello', -3)", "llo"),
    ("SELECT substr('hello', -3, 2)", "ll"),
    ("SELECT substr('hello', 0)", ""),
    ("SELECT substr('hello', -10)", ""),
    ("SELECT substr('hello', 6)", ""),
    ("SELECT substring('hello' FROM 2 FOR 3)", "ell"),
    ("SELECT substr(x, i) FROM (VALUES ('hello', 0)) AS t(x, i)", ""),
    ("SELECT length('héllo')", 5),
    ("SELECT lower('ABC')", "abc"),
    ("SELECT upper('abc')", "ABC"),
    ("SELECT concat('a', 'b', 'c')", "abc"),
    ("SELECT concat('a', NULL)", None),
    ("SELECT 'a' || NULL", None),
    ("SELECT 'a' || 'b'", "ab"),
    ("SELECT concat_ws(',', 'a', NULL, 'b')", "a,b"),
    ("SELECT split('a,b,c', ',')", ["a", "b", "c"]),
    ("SELECT split('a,b,c', ',', 2)", ["a", "b,c"]),
    ("SELECT split_part('a,b,c', ',', 2)", "b"),
    ("SELECT split_part('a,b,c', ',', 5)", None),
    ("SELECT replace('abc', 'b')", "ac"),
    ("SELECT replace('abc', 'b', 'x')", "axc"),
    ("SELECT reverse('abc')", "cba"),
    ("SELECT lpad('a', 3, 'x')", "xxa"),
    ("SELECT rpad('abcd', 2, 'x')", "ab"),
    ("SELECT trim('  a ')", "a"),
    ("SELECT starts_with('abc', 'a')", True),
    ("SELECT chr(65)", "A"),
    ("SELECT codepoint('a')", 97),
    ("SELECT levenshtein_distance('kitten', 'sitting')", 3),
    ("SELECT hamming_distance('abc', 'abd')", 1),
    ("SELECT to_hex(to_utf8('a'))", "61"),
    ("SELECT from_utf8(to_utf8('a'))", "a"),
    ("SELECT to_base64(to_utf8('a'))", "YQ=="),
    ("SELECT url_encode('a b*~')", "a+b*%7E"),
    ("SELECT url_decode('a+b%20c')", "a b c"),
    ("SELECT 'a_c' LIKE 'a\\_c' ESCAPE '\\'", True),
    ("SELECT 'abc' LIKE 'a\\_c' ESCAPE '\\'", False),
    ("SELECT 'a%c' LIKE 'a!%c' ESCAPE '!'", True),
])
def test_strings(sql, expected):
    assert scalar(sql) == expected


@pytest.mark.parametrize("sql, expected", [
    ("SELECT url_extract_host('https://www.example.com:8080/path?q=1#f')", "www.example.com"),
    ("SELECT url_extract_host('https://user:pw@example.com/')", "example.com"),
    ("SELECT url_extract_host('not a url')", None),
    ("SELECT url_extract_path('https://www.example.com/path/x?q=1')", "/path/x"),
    ("SELECT url_extract_port('https://x.com:81/')", 81),
    ("SELECT url_extract_port('https://x.com/')", None),
    ("SELECT url_extract_protocol('https://x.com/')", "https"),
    ("SELECT url_extract_query('https://x.com/p?q=1&r=2#f')", "q=1&r=2"),
    ("SELECT url_extract_query('https://x.com/p')", ""),     # Trino: URI.getQuery() through nullToEmpty
    ("SELECT url_extract_fragment('https://x.com/p?q=1#frag')", "frag"),
    ("SELECT url_extract_parameter('https://x.com/p?q=1&r=2', 'r')", "2"),
    ("SELECT url_extract_parameter('https://x.com/p?q=1&r=2', 'z')", None),
    ("SELECT url_extract_parameter('https://x.com/p?flag&r=2', 'flag')", ""),
])
def test_url_functions(sql, expected):
    assert scalar(sql) == expected


@pytest.mark.parametrize("sql, expected", [
    ("SELECT CAST(1.5e0 AS varchar)", "1.5E0"),
    ("SELECT CAST(DOUBLE '1.0' AS varchar)", "1.0E0"),
    ("SELECT CAST(1e20 AS varchar)", "1.0E20"),
    ("SELECT CAST(0.0001e0 AS varchar)", "1.0E-4"),
    ("SELECT CAST(123.4e0 AS varchar)", "1.234E2"),
    ("SELECT CAST(-0.5e0 AS varchar)", "-5.0E-1"),
    ("SELECT CAST(0e0 AS varchar)", "0E0"),
    ("SELECT CAST(REAL '1.5' AS varchar)", "1.5E0"),
    ("SELECT CAST(nan() AS varchar)", "NaN"),
    ("SELECT CAST(infinity() AS varchar)", "Infinity"),
    ("SELECT CAST(x AS varchar) FROM (VALUES DOUBLE '2.5') AS t(x)", "2.5E0"),
    ("SELECT CAST(true AS varchar)", "true"),
    ("SELECT CAST(x AS varchar) FROM (VALUES false) AS t(x)", "false"),
    ("SELECT CAST(1.50 AS varchar)", "1.50"),
    ("SELECT CAST(42 AS varchar)", "42"),
    ("SELECT CAST(x AS varchar) FROM (VALUES 42) AS t(x)", "42"),
    ("SELECT CAST(x AS varchar) FROM (VALUES 'abc') AS t(x)", "abc"),
    ("SELECT CAST(DATE '2017-01-02' AS varchar)", "2017-01-02"),
    ("SELECT CAST(TIMESTAMP '2017-01-02 03:04:05' AS varchar)", "2017-01-02 03:04:05"),
    ("SELECT CAST(TIMESTAMP '2017-01-02 03:04:05.120' AS varchar)", "2017-01-02 03:04:05.120"),
    ("SELECT CAST(date_parse('2017-01-02', '%Y-%m-%d') AS varchar)", "2017-01-02 00:00:00.000"),
])
def test_cast_to_varchar(sql, expected):
    assert scalar(sql) == expected


# --------------------------------------------------------------------------- arrays and maps

@pytest.mark.parametrize("sql, expected", [
    ("SELECT cardinality(ARRAY[1, 2, 3])", 3),
    ("SELECT cardinality(MAP(ARRAY['a'], ARRAY[1]))", 1),
    ("SELECT array_join(ARRAY['a', NULL, 'c'], '-')", "a-c"),
    ("SELECT array_join(ARRAY['a', NULL, 'c'], '-', 'N')", "a-N-c"),
    ("SELECT contains(ARRAY[1, 2], 2)", True),
    ("SELECT contains(ARRAY[1, 2], 3)", False),
    ("SELECT contains(ARRAY[1, NULL], 3)", None),
    ("SELECT contains(ARRAY[1, NULL], 1)", True),
    ("SELECT contains(ARRAY['a', 'b'], 'b')", True),
    ("SELECT array_distinct(ARRAY[3, 1, 3, NULL, 2, 1, NULL])", [3, 1, None, 2]),
    ("SELECT array_position(ARRAY[5, 6], 6)", 2),
    ("SELECT array_position(ARRAY[5, 6], 7)", 0),
    ("SELECT array_max(ARRAY[1, 3, 2])", 3),
    ("SELECT array_min(ARRAY[1, 3, 2])", 1),
    ("SELECT array_sort(ARRAY[3, NULL, 1])", [1, 3, None]),
    ("SELECT array_remove(ARRAY[1, 2, 1], 1)", [2]),
    ("SELECT array_union(ARRAY[1, 2], ARRAY[2, 3])", [1, 2, 3]),
    ("SELECT array_except(ARRAY[3, 1, 2, 3], ARRAY[2])", [3, 1]),
    ("SELECT array_intersect(ARRAY[3, 1, 2, 3], ARRAY[2, 3])", [3, 2]),
    ("SELECT arrays_overlap(ARRAY[1, 2], ARRAY[2, 3])", True),
    ("SELECT arrays_overlap(ARRAY[1, 2], ARRAY[3])", False),
    ("SELECT slice(ARRAY[1, 2, 3, 4, 5], 2, 3)", [2, 3, 4]),
    ("SELECT slice(ARRAY[1, 2, 3, 4, 5], -2, 2)", [4, 5]),
    ("SELECT repeat('a', 3)", ["a", "a", "a"]),
    ("SELECT trim_array(ARRAY[1, 2, 3], 1)", [1, 2]),
    ("SELECT flatten(ARRAY[ARRAY[1], ARRAY[2, 3]])", [1, 2, 3]),
    ("SELECT sequence(1, 4)", [1, 2, 3, 4]),
    ("SELECT transform(ARRAY[1, 2], x -> x * 2)", [2, 4]),
    ("SELECT filter(ARRAY[1, 2, 3], x -> x > 1)", [2, 3]),
    ("SELECT reduce(ARRAY[1, 2, 3], 0, (s, x) -> s + x, s -> s)", 6),
    ("SELECT any_match(ARRAY[1, 2], x -> x > 1)", True),
    ("SELECT any_match(ARRAY[1, NULL], x -> x > 1)", None),
    ("SELECT all_match(ARRAY[1, 2], x -> x > 1)", False),
    ("SELECT all_match(ARRAY[2, 3], x -> x > 1)", True),
    ("SELECT none_match(ARRAY[1, 2], x -> x > 5)", True),
    ("SELECT zip(ARRAY[1, 2], ARRAY['a'])", [(1, "a"), (2, None)]),
    ("SELECT map_keys(MAP(ARRAY['a', 'b'], ARRAY[1, 2]))", ["a", "b"]),
    ("SELECT map_values(MAP(ARRAY['a', 'b'], ARRAY[1, 2]))", [1, 2]),
    ("SELECT map_filter(MAP(ARRAY['a', 'b'], ARRAY[1, 2]), (k, v) -> v > 1)", {"b": 2}),
    ("SELECT transform_values(MAP(ARRAY['a'], ARRAY[1]), (k, v) -> v * 10)", {"a": 10}),
    ("SELECT transform_keys(MAP(ARRAY['a'], ARRAY[1]), (k, v) -> upper(k))", {"A": 1}),
    ("SELECT split_to_map('a=1,b=2', ',', '=')", {"a": "1", "b": "2"}),
    ("SELECT map_from_entries(ARRAY[ROW('a', 1)])", {"a": 1}),
])
def test_arrays_and_maps(sql, expected):
    assert scalar(sql) == expected


# --------------------------------------------------------------------------- conditionals, math

@pytest.mark.parametrize("sql, expected", [
    ("SELECT if(1 > 0, 'y', 'n')", "y"),
    ("SELECT if(1 < 0, 'y')", None),
    ("SELECT coalesce(NULL, 1, 2)", 1),
    ("SELECT nullif(1, 1)", None),
    ("SELECT greatest(1, NULL)", None),
    ("SELECT greatest(1, 5, 3)", 5),
    ("SELECT least(4, 2)", 2),
    ("SELECT CASE WHEN 1 = 1 THEN 'a' ELSE 'b' END", "a"),
    ("SELECT round(2.5e0)", 3.0),
    ("SELECT round(-2.5e0)", -3.0),
    ("SELECT round(1.2345e0, 2)", 1.23),
    ("SELECT round(2.5)", Decimal("3")),
    ("SELECT truncate(2.7e0)", 2.0),
    ("SELECT power(2, 10)", 1024.0),
    ("SELECT log(2, 8)", 3.0),
    ("SELECT log10(100)", 2.0),
    ("SELECT ln(1)", 0.0),
    ("SELECT abs(-2)", 2),
    ("SELECT ceil(1.2e0)", 2.0),
    ("SELECT floor(-1.2e0)", -2.0),
    ("SELECT sqrt(16)", 4.0),
    ("SELECT is_nan(nan())", True),
    ("SELECT is_infinite(infinity())", True),
    ("SELECT is_finite(1e0)", True),
    ("SELECT e() > 2.71", True),
    ("SELECT bitwise_and(12, 10)", 8),
])
def test_conditionals_and_math(sql, expected):
    assert scalar(sql) == expected


# --------------------------------------------------------------------------- query shape

def test_row_field_access():
    sql = "SELECT s.a.b FROM (SELECT CAST(ROW(ROW(1)) AS ROW(a ROW(b integer))) AS s) AS q"
    rows, names, _ = run(sql)
    assert rows == [(1,)] and names == ["b"]


def test_identifiers_are_case_insensitive_and_result_names_lower_case():
    rows, names, _ = run(
        'SELECT EventName, "EVENTNAME", "eventName" AS "MyCol", 1 + 1, lower(\'A\') AS Mixed '
        "FROM (SELECT 1 AS eventname) AS t")
    assert rows == [(1, 1, 1, 2, "a")]
    assert names == ["eventname", "eventname", "mycol", "_col3", "mixed"]


def test_unnamed_columns_are_numbered_from_zero():
    assert run("SELECT 1, 'a', x FROM (VALUES 5) AS t(x)")[1] == ["_col0", "_col1", "x"]
    assert run("SELECT count(*) FROM (VALUES 1) AS t(x)")[1] == ["_col0"]
    assert run("SELECT 1 UNION ALL SELECT 2")[1] == ["_col0"]


def test_order_by_puts_nulls_last_both_ways():
    assert run("SELECT x FROM (VALUES 1, NULL, 3) AS t(x) ORDER BY x")[0] == [(1,), (3,), (None,)]
    assert run("SELECT x FROM (VALUES 1, NULL, 3) AS t(x) ORDER BY x DESC")[0] == [(3,), (1,), (None,)]
    assert run("SELECT x FROM (VALUES 1, NULL, 3) AS t(x) ORDER BY x NULLS FIRST")[0] == [(None,), (1,), (3,)]


def test_limit_offset():
    assert run("SELECT x FROM (VALUES 1, 2, 3, 4) AS t(x) ORDER BY x OFFSET 1 LIMIT 2")[0] == [(2,), (3,)]
    assert run("SELECT x FROM (VALUES 1, 2, 3, 4) AS t(x) ORDER BY x LIMIT 3")[0] == [(1,), (2,), (3,)]


def test_values_and_with():
    assert sorted(run("VALUES 1, 2")[0]) == [(1,), (2,)]
    rows = run("WITH a AS (SELECT 1 AS x) SELECT x FROM a")[0]
    assert rows == [(1,)]


def test_window_functions():
    rows, _, _ = run(
        "SELECT x, row_number() OVER (ORDER BY x), "
        "sum(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), "
        "lag(x) OVER (ORDER BY x), rank() OVER (ORDER BY x DESC) "
        "FROM (VALUES 1, 2, 3) AS t(x) ORDER BY x")
    assert rows == [(1, 1, 1, None, 3), (2, 2, 3, 1, 2), (3, 3, 5, 2, 1)]


def test_group_by_and_having():
    rows, _, _ = run(
        "SELECT y, count(*) AS c FROM (VALUES (1, 'a'), (2, 'b'), (3, 'b')) AS t(x, y) "
        "GROUP BY y HAVING count(*) > 1")
    assert rows == [("b", 2)]


# --------------------------------------------------------------------------- refusals

@pytest.mark.parametrize("sql, message", [
    ("SELECT approx_set(x) FROM (VALUES 1) AS t(x)",
     "NOT_SUPPORTED: line 1:8: Function 'approx_set' is not supported"),
    ("SELECT ST_Point(1, 2)", "NOT_SUPPORTED: line 1:8: Function 'st_point' is not supported"),
    ("SELECT regexp_replace('abc', '(b)', x -> x[length('a')])",
     "NOT_SUPPORTED: line 1:8: regexp_replace with a lambda subscripting its groups other than "
     "by a constant is not supported"),
    ("SELECT approx_percentile(x, 2, 0.5) FROM (VALUES 1) AS t(x)",
     "NOT_SUPPORTED: line 1:8: approx_percentile with weight or accuracy is not supported"),
])
def test_unmappable_functions_are_refused(sql, message):
    with pytest.raises(NotSupported) as err:
        to_duckdb_sql(parse_statement(sql))
    assert str(err.value) == message


def test_sha512_runs_on_the_engines_own_function():
    assert "TRINO_SHA512(" in to_duckdb_sql(parse_statement("SELECT sha512(to_utf8('a'))"))


def test_input_ast_is_not_modified():
    ast = parse_statement("SELECT 7/2, regexp_extract('a', 'b')")
    before = ast.sql(dialect="trino")
    to_duckdb_sql(ast)
    assert ast.sql(dialect="trino") == before


# --------------------------------------------------------------------------- integration with the query layer

def test_scans_put_in_by_the_query_layer_pass_through():
    """The query layer replaces catalog tables by engine scans before translation;
    DuckDB-only functions inside those scans are left alone."""
    import sqlglot
    from sqlglot import exp

    ast = parse_statement(
        "SELECT EventName, count(*) FROM cloudtrail WHERE regexp_extract(EventName, 'x') IS NULL "
        "GROUP BY 1")
    scan = sqlglot.parse_one(
        "SELECT * FROM (SELECT * FROM range(3) AS r(i)) AS s(i) "
        "CROSS JOIN (VALUES ('GetObject')) AS v(\"EventName\")", read="duckdb").subquery("cloudtrail")
    ast.find(exp.Table).replace(scan)
    sql = to_duckdb_sql(ast)
    assert "range(" in sql.lower()
    con = duckdb.connect()
    cur = con.execute(sql)
    assert cur.fetchall() == [("GetObject", 3)]
    assert [d[0] for d in cur.description] == ["eventname", "_col1"]


def test_schema_gives_column_types_to_type_dependent_rewrites():
    schema = {"t": {"m": "MAP(VARCHAR, INTEGER)", "d": "DATE"}}
    sql = to_duckdb_sql(parse_statement(
        "SELECT k, v, date_add('day', 1, t.d) FROM t CROSS JOIN UNNEST(t.m) AS u(k, v)"), schema=schema)
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT MAP(['a'], [1]) AS m, DATE '2017-06-15' AS d")
    assert con.execute(sql).fetchall() == [("a", 1, dt.date(2017, 6, 16))]
