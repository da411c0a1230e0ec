"""Trino's array, map, JSON and lambda functions over a catalog table (a JSON SerDe table
with an array<struct> column and a column of JSON text), through the DB-API: exact values
and Trino's result types."""
from __future__ import annotations

import json

import pytest

import parthenon
from parthenon.output import athena_text


@pytest.fixture
def orders(con, tmp_path):
    rows = [
        {"id": 1, "items": [{"sku": "a", "qty": 2}, {"sku": "b", "qty": 0}],
         "doc": json.dumps({"tags": ["x", "y"], "n": 1.5})},
        {"id": 2, "items": [{"sku": "c", "qty": 5}], "doc": json.dumps({"tags": [], "n": 2})},
        {"id": 3, "items": [], "doc": "not json"},
    ]
    folder = tmp_path / "orders"
    folder.mkdir()
    (folder / "a.json").write_text("".join(json.dumps(r) + "\n" for r in rows))
    cur = con.cursor()
    cur.execute(f"""CREATE EXTERNAL TABLE orders (id INT, items ARRAY<STRUCT<sku:STRING, qty:INT>>,
                    doc STRING) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
                    LOCATION '{folder}/'""")
    return cur


def test_lambdas_over_an_array_of_structs(orders):
    orders.execute("""SELECT id, transform(items, i -> i.sku), filter(items, i -> i.qty > 0),
                             reduce(items, 0, (s, i) -> s + i.qty, s -> s * 10)
                      FROM orders ORDER BY id""")
    assert [d[1] for d in orders.description] == [
        "integer", "array(varchar)", "array(row(sku varchar, qty integer))", "integer"]
    assert orders.fetchall() == [
        (1, ["a", "b"], [{"sku": "a", "qty": 2}], 20),
        (2, ["c"], [{"sku": "c", "qty": 5}], 50),
        (3, [], [], 0),
    ]


def test_array_sort_with_a_comparator_over_a_column(orders):
    orders.execute("""SELECT id, array_sort(transform(items, i -> i.qty), (x, y) -> IF(x < y, 1, IF(x = y, 0, -1)))
                      FROM orders WHERE id = 1""")
    assert orders.description[1][1] == "array(integer)"
    assert orders.fetchall() == [(1, [2, 0])]


def test_json_functions_over_a_text_column(orders):
    orders.execute("""SELECT id, json_extract_scalar(doc, '$.n'), json_array_length(json_extract(doc, '$.tags')),
                             json_array_get(json_extract(doc, '$.tags'), 0), json_extract(doc, '$.tags')
                      FROM orders ORDER BY id""")
    assert [d[1] for d in orders.description] == ["integer", "varchar", "bigint", "json", "json"]
    assert orders.fetchall() == [(1, "1.5", 2, "x", '["x","y"]'), (2, "2", 0, None, "[]"),
                                 (3, None, None, None, None)]


def test_maps_and_aggregates_of_the_table(orders):
    orders.execute("""SELECT map_agg(id, cardinality(items)), array_agg(id ORDER BY id DESC),
                             map_zip_with(map_agg(id, id), map_agg(id, cardinality(items)),
                                          (k, a, b) -> a + b)
                      FROM orders""")
    assert [d[1] for d in orders.description] == [
        "map(integer, bigint)", "array(integer)", "map(integer, bigint)"]
    (row,) = orders.fetchall()
    assert row == ([(1, 2), (2, 1), (3, 0)], [3, 2, 1], [(1, 3), (2, 3), (3, 3)])    # maps as pairs
    types = [d[1] for d in orders.description]
    assert [athena_text(v, t) for v, t in zip(row, types)] == ["{1=2, 2=1, 3=0}", "[3, 2, 1]", "{1=3, 2=3, 3=3}"]


def test_an_empty_map_is_shown_as_a_map(orders):
    orders.execute("""SELECT map_filter(map_agg(id, id), (k, v) -> v > 5),
                             ARRAY[map_filter(map_agg(id, id), (k, v) -> v > 5), map_agg(id, id)]
                      FROM orders""")
    (row,) = orders.fetchall()
    types = [d[1] for d in orders.description]
    assert types == ["map(integer, integer)", "array(map(integer, integer))"]
    assert [athena_text(v, t) for v, t in zip(row, types)] == ["{}", "[{}, {1=1, 2=2, 3=3}]"]


def test_trino_errors_not_engine_text(orders):
    with pytest.raises(parthenon.Error) as err:
        orders.execute("SELECT sequence(1, id * 100000) FROM orders")
    assert str(err.value).startswith("INVALID_FUNCTION_ARGUMENT: result of sequence function "
                                     "must not have more than 10000 entries")
    with pytest.raises(parthenon.Error) as err:
        orders.execute("SELECT CAST(json_extract(doc, '$.tags') AS BIGINT) FROM orders WHERE id = 1")
    assert str(err.value).startswith("INVALID_CAST_ARGUMENT: ")


def test_a_lambda_parameter_is_not_captured_by_a_rewrite(con):
    """A user's v inside to_base (whose DuckDB rewrite has a lambda of its own) stays the
    user's: the sign of -10 is kept."""
    cur = con.cursor()
    cur.execute("SELECT transform_values(map(ARRAY[1, 2], ARRAY[-10, 10]), (k, v) -> to_base(v, 2)), "
                "transform(ARRAY[-5], v -> to_base(v, 10))")
    assert [d[1] for d in cur.description] == ["map(integer, varchar(64))", "array(varchar(64))"]
    row = cur.fetchall()[0]
    assert athena_text(row[0], cur.description[0][1]) == "{1=-1010, 2=1010}"
    assert row[1] == ["-5"]


def test_anonymous_rows_are_shown_as_athena_shows_them(con):
    cur = con.cursor()
    cur.execute("SELECT zip(ARRAY[1, 2], ARRAY['a', 'b']), ROW(1, ROW(2.5E0, 'x'))")
    assert [d[1] for d in cur.description] == ["array(row(integer, varchar(1)))",
                                               "row(integer, row(double, varchar(1)))"]
    row = cur.fetchall()[0]
    assert athena_text(row[0], cur.description[0][1]) == "[{field0=1, field1=a}, {field0=2, field1=b}]"
    assert athena_text(row[1], cur.description[1][1]) == "{field0=1, field1={field0=2.5, field1=x}}"
