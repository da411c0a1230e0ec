"""Trino's SQL/JSON json_query through the DB-API on the DuckDB engine (the answers of
Trino's TestJsonQueryFunction): varchar, lax and strict accessor paths, array wrappers,
KEEP / OMIT QUOTES, NULL ON EMPTY / ON ERROR; other clauses are NOT_SUPPORTED."""
from __future__ import annotations

import pytest

import parthenon

INPUT = '["a", "b", "c"]'


def one(con, sql: str):
    cur = con.cursor()
    cur.execute(sql)
    rows = cur.fetchall()
    assert [d[1] for d in cur.description] == ["varchar"]
    return rows[0][0]


@pytest.mark.parametrize("path, clauses, expected", [
    ("lax $", "", '["a","b","c"]'),
    ("strict $", "", '["a","b","c"]'),
    ("strict $[100]", "", None),
    ("strict $[100]", "NULL ON ERROR", None),
    ("lax $[100]", "", None),
    ("lax $[100]", "NULL ON EMPTY", None),
    ("lax $[1]", "", '"b"'),
    ("lax $[1]", "OMIT QUOTES ON SCALAR STRING", "b"),
    ("lax $[1]", "KEEP QUOTES ON SCALAR STRING", '"b"'),
    ("lax $", "OMIT QUOTES ON SCALAR STRING", '["a","b","c"]'),
    ("lax $[*]", "", None),                        # several items, no wrapper: NULL ON ERROR
    ("lax $[0]", "WITH UNCONDITIONAL ARRAY WRAPPER", '["a"]'),
    ("lax $", "WITH UNCONDITIONAL ARRAY WRAPPER", '[["a","b","c"]]'),
    ("lax $[*]", "WITH ARRAY WRAPPER", '["a","b","c"]'),
    ("lax $", "WITHOUT ARRAY WRAPPER", '["a","b","c"]'),
])
def test_json_query(con, path, clauses, expected):
    assert one(con, f"SELECT json_query('{INPUT}', '{path}' {clauses})") == expected


def test_json_query_of_objects_and_bad_input(con):
    assert one(con, "SELECT json_query('{\"key\" : 1, \"b\": {\"z\": [true, null]}}', 'lax $')") == \
        '{"key":1,"b":{"z":[true,null]}}'
    assert one(con, "SELECT json_query('{\"key\" : 1}', 'lax $' WITH UNCONDITIONAL ARRAY WRAPPER)") == '[{"key":1}]'
    assert one(con, "SELECT json_query('{\"a\": [{\"b\": 1}, {\"b\": 2}]}', 'lax $.a.b' WITH ARRAY WRAPPER)") == "[1,2]"
    assert one(con, "SELECT json_query('{\"a\": [1, 2]}', 'strict $.a.b')") is None
    assert one(con, "SELECT json_query('[...', 'lax $[1]')") is None
    assert one(con, "SELECT json_query(j, 'lax $.k') FROM (VALUES '{\"k\": [1, 2]}', '{}', NULL) t(j) "
                    "WHERE j IS NOT NULL AND j <> '{}'") == "[1,2]"


@pytest.mark.parametrize("sql", [
    f"SELECT json_query('{INPUT}', 'lax $[100]' ERROR ON EMPTY)",
    f"SELECT json_query('{INPUT}', 'lax $[0 to 1]')",
    "SELECT json_query('[1.5]', 'lax $[0]')",
])
def test_json_query_refused(con, sql):
    with pytest.raises(parthenon.Error) as err:
        one(con, sql)
    assert str(err.value).startswith("NOT_SUPPORTED: ")
