"""The text of JSON numbers through the DB-API on the DuckDB engine, as Trino writes it.

json_extract_scalar gives a number's token as written (Jackson's getText: 12.50, 1e2),
json_extract the double as Java's Double.toString writes it (12.5, 100.0, 1.0E20), and
CAST(json AS varchar) the double as Trino's varchar of a double (1.25E1).  DuckDB's own
functions write the double they read (12.5, 100.0, 100000000000000000000.0): those rows
take Trino's reader (engine/duckdb/json_numbers)."""
from __future__ import annotations

import pytest

from engines import ENGINES, connect


def one(con, sql: str):
    cur = con.cursor()
    cur.execute(sql)
    rows = cur.fetchall()
    return rows, [d[1] for d in cur.description]


@pytest.mark.parametrize("text, path, expected", [
    ('{"p": 12.50}', "$.p", "12.50"),
    ('{"p": 1e2}', "$.p", "1e2"),
    ('{"p": 1E+2}', "$.p", "1E+2"),
    ('{"p": -0.0}', "$.p", "-0.0"),
    ('{"a": [1, 2.250]}', "$.a[1]", "2.250"),
    ('{"a": {"b": 3.10}}', '$["a"]["b"]', "3.10"),
    ('{"p": 123456789012345678901234.0}', "$.p", "123456789012345678901234.0"),
    ('{"p": 12.50, "p": 3.0}', "$.p", "12.50"),        # the first of duplicate keys, as Trino reads
    ('{"p": 12}', "$.p", "12"),
    ('{"p": -0}', "$.p", "-0"),
    ('{"p": 0, "q": -0}', "$.p", "0"),
    ('{"p": "0"}', "$.p", "0"),
    ('{"p": "12.50"}', "$.p", "12.50"),
    ('{"p": [1.5]}', "$.p", None),
])
def test_json_extract_scalar_gives_the_number_as_written(con, text, path, expected):
    assert one(con, f"SELECT json_extract_scalar('{text}', '{path}')")[0] == [(expected,)]


def test_json_extract_scalar_of_a_column_and_a_runtime_path(con):
    rows, types = one(con, "SELECT json_extract_scalar(j, p) FROM (VALUES ('{\"a\": [1.50]}', '$.a[0]'), "
                           "('[1e5]', '$[0]'), ('{\"a\": 7}', '$.a'), (NULL, '$.a')) t(j, p)")
    assert rows == [("1.50",), ("1e5",), ("7",), (None,)]
    assert types == ["varchar(13)"]      # the VALUES column's type
    rows, _ = one(con, "SELECT json_extract_scalar(j, '$.price') FROM (VALUES '{\"price\": 9.90}', "
                       "'{\"price\": 10}', '{\"price\": null}', 'not json') t(j)")
    assert rows == [("9.90",), ("10",), (None,), (None,)]


def test_json_extract_scalar_of_a_json_value(con):
    rows, types = one(con, "SELECT json_extract_scalar(JSON '{\"p\": 2.50}', '$.p')")
    assert rows == [("2.50",)] and types == ["varchar"]


@pytest.mark.parametrize("text, path, expected", [
    ('{"p": 12.50}', "$.p", "12.5"),
    ('{"p": 1e2}', "$.p", "100.0"),
    ('{"p": 1e20}', "$.p", "1.0E20"),
    ('{"p": -1e-7}', "$.p", "-1.0E-7"),
    ('{"p": 12345678.5}', "$.p", "1.23456785E7"),
    ('{"p": [1e20, "a", 0.0001]}', "$.p", '[1.0E20,"a",1.0E-4]'),
    ('{"p": {"b": 0.5, "c": 1e7}}', "$.p", '{"b":0.5,"c":1.0E7}'),
    ('{"p": "1e20"}', "$.p", '"1e20"'),
    ('{"p": 123456789012345678901234}', "$.p", "123456789012345678901234"),
])
def test_json_extract_writes_numbers_as_jackson(con, text, path, expected):
    rows, types = one(con, f"SELECT json_format(json_extract('{text}', '{path}')), "
                           f"json_extract('{text}', '{path}')")
    assert rows == [(expected, expected)]
    assert types == ["varchar", "json"]


def test_json_extract_of_a_column(con):
    rows, _ = one(con, "SELECT json_format(json_extract(j, '$.a')) FROM (VALUES '{\"a\": [1, 2]}', "
                       "'{\"a\": 1e10}', '{\"a\": {\"x\": 0.001}}') t(j)")
    assert rows == [("[1,2]",), ("1.0E10",), ('{"x":0.001}',)]


def test_cast_json_to_varchar_of_numbers(con):
    rows, _ = one(con, "SELECT CAST(JSON '12.50' AS VARCHAR), CAST(json_extract('{\"p\": 1e2}', '$.p') AS VARCHAR), "
                       "CAST(JSON '12' AS VARCHAR)")
    assert rows == [("1.25E1", "1.0E2", "12")]


@pytest.mark.parametrize("engine", ENGINES)
def test_negative_zero_keeps_its_text_on_every_engine(parthenon_home, engine):
    """json_extract_scalar gives the token '-0' (Spark's reader had read it as the integer 0);
    json_extract and json_parse write the integer Jackson reads, 0."""
    con = connect(engine, parthenon_home)
    rows, types = one(con, """SELECT json_extract_scalar('{"a": -0}', '$.a'), json_extract_scalar('-0', '$'),
                                      json_format(json_extract('{"a": -0}', '$.a'))""")
    assert rows == [("-0", "-0", "0")] and types == ["varchar(9)", "varchar(2)", "varchar"]
