"""DuckDB gaps the published queries met, through the DB-API: CROSS JOIN UNNEST hands the
elements over in array order (the order array_agg keeps; DuckDB's hash-joined lateral UNNEST
would reverse them), and a bare VALUES query names its columns _col0, _col1 as Trino."""
from __future__ import annotations

import struct


def _real(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def rows(con, sql: str) -> list[tuple]:
    cur = con.cursor()
    cur.execute(sql)
    return cur.fetchall()


def test_filtered_unnest_keeps_array_order(con):
    # Athena's guide (filtering-arrays): [4, 5]
    assert rows(con, "WITH dataset AS (SELECT ARRAY[1,2,3,4,5] AS items) "
                     "SELECT array_agg(i) AS array_items FROM dataset "
                     "CROSS JOIN UNNEST(items) AS t(i) WHERE i > 3") == [([4, 5],)]


def test_each_row_in_order_then_its_elements(con):
    assert rows(con, "SELECT array_agg(x) FROM (VALUES (1, ARRAY[3, 1, 2]), (2, ARRAY[9, 7])) AS s(id, a) "
                     "CROSS JOIN UNNEST(a || ARRAY[id]) AS t(x) WHERE x > 1") == [([3, 2, 9, 7, 2],)]


def test_rows_nested_unnest_and_names(con):
    cur = con.cursor()
    cur.execute("SELECT p.name, s, t.p.age AS age FROM (VALUES ARRAY[CAST(ROW('Amy', 3, ARRAY[12, 13]) AS "
                "ROW(name VARCHAR, age INTEGER, scores ARRAY(INTEGER)))]) AS d(users) "
                "CROSS JOIN UNNEST(users) AS t(p) CROSS JOIN UNNEST(p.scores) AS u(s) WHERE s > 0")
    assert cur.fetchall() == [("Amy", 12, 3), ("Amy", 13, 3)]
    assert [d[:2] for d in cur.description] == [("name", "varchar"), ("s", "integer"), ("age", "integer")]


def test_zipped_unnest_with_ordinality_keeps_order(con):
    assert rows(con, "SELECT array_agg(ROW(x, y, n)) FROM (VALUES 1) AS v(k) "
                     "CROSS JOIN UNNEST(ARRAY[5, 6, 7], ARRAY['a']) WITH ORDINALITY AS t(x, y, n) "
                     "WHERE n > 1") == [([{"x": 6, "y": None, "n": 2}, {"x": 7, "y": None, "n": 3}],)]


def test_bare_values_columns_are_named_as_trino_names_them(con):
    cur = con.cursor()
    cur.execute("VALUES (1, 'a'), (2, 'b') ORDER BY 1 DESC LIMIT 1")
    assert cur.fetchall() == [(2, "b")]
    assert [d[:2] for d in cur.description] == [("_col0", "integer"), ("_col1", "varchar(1)")]


def test_corr_of_integers_is_real_and_takes_distinct_pairs(con):
    cur = con.cursor()
    cur.execute("SELECT corr(DISTINCT x, y), covar_pop(DISTINCT x, y), corr(x, y), corr(x, CAST(y AS DOUBLE)) "
                "FROM (VALUES (1, 1), (1, 2), (2, 2), (2, 2)) t(x, y)")
    # distinct pairs (1,1) (1,2) (2,2): covariance 1/9, as a real
    assert [d[:2] for d in cur.description] == [("_col0", "real"), ("_col1", "real"), ("_col2", "real"),
                                                ("_col3", "double")]
    corr_distinct, covar, corr_all, corr_double = cur.fetchall()[0]
    assert covar == _real((1 / 9))
    assert corr_distinct == _real((0.5))
    assert corr_all == _real((corr_double))


def test_unnamed_unnest_of_rows_names_its_fields_and_refuses_a_shared_name(con):
    import parthenon
    import pytest
    assert rows(con, "SELECT name FROM UNNEST(ARRAY[CAST(ROW('a') AS ROW(name VARCHAR))])") == [("a",)]
    cur = con.cursor()
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT x FROM (VALUES 3) AS t(x) CROSS JOIN UNNEST(ARRAY[CAST(ROW(1, 'a') AS ROW(x int, y varchar))])")
    assert str(err.value) == "AMBIGUOUS_NAME: line 1:8: Column 'x' is ambiguous"


def test_interval_text_is_the_value_whatever_it_holds(con):
    import parthenon
    import pytest
    with pytest.raises(parthenon.Error) as err:
        con.cursor().execute("SELECT INTERVAL '12 X' DAY TO HOUR")
    assert str(err.value) == "INVALID_LITERAL: line 1:17: Invalid INTERVAL DAY TO HOUR value: 12 X"
    assert rows(con, "SELECT INTERVAL '2 3' DAY TO HOUR") == [("2 03:00:00.000",)]


def test_json_value_over_accessor_paths(con):
    doc = '{"a": [{"b": "x"}, {"b": "y"}], "n": 7, "t": true, "z": null}'
    assert rows(con, f"SELECT json_value('{doc}', 'lax $.a[1].b'), json_value('{doc}', 'lax $.n'), "
                     f"json_value('{doc}', 'strict $.t'), json_value('{doc}', 'lax $.z'), "
                     f"json_value('{doc}', 'lax $.a.b'), json_value('{doc}', 'strict $.missing'), "
                     f"json_value('5', 'lax $[0]'), json_value('5', 'strict $[0]'), "
                     "json_value('[...', 'lax $[0]')") == [("y", "7", "true", None, None, None, "5", None, None)]


def test_approx_percentile_weighing_each_value_1_is_the_unweighted_one(con):
    assert rows(con, "SELECT approx_percentile(x, 1, 0.5) FROM (VALUES CAST(NULL AS BIGINT), BIGINT '1', "
                     "BIGINT '2', BIGINT '3') t(x)") == [(2,)]


def test_map_subscript_by_an_integer_key_and_map_concat_of_null(con):
    assert rows(con, "SELECT m[1], m[2], MAP(ARRAY[BIGINT '1', 3], ARRAY[BIGINT '2', 4])[3] "
                     "FROM (VALUES MAP(ARRAY[1, 2], ARRAY[10, 20])) t(m)") == [(10, 20, 4)]
    assert rows(con, "SELECT map_concat(MAP(ARRAY[1], ARRAY[-1]), NULL, MAP(ARRAY[3], ARRAY[-3]))") == [(None,)]
