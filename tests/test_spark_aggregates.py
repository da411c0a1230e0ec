"""Trino's collecting aggregates on the Spark engine, grouped, through the engines fixture
(a DuckDB and a Spark session over one catalog): map_agg, histogram, max_by/min_by with a
count, listagg and approx_most_frequent give Trino's rows and types on both engines, and
what Spark cannot answer as Trino does is refused."""
from __future__ import annotations

import pytest

pytest.importorskip("pyspark")

from parthenon.errors import NotSupported   # noqa: E402
from test_spark_backend import engines, spark_context  # noqa: E402,F401 - the fixtures

DATA = ("(VALUES ('a', 'x', 3, 30), ('a', 'y', 1, 10), ('a', 'x', 2, 20), ('a', NULL, 5, 50), "
        "('b', 'z', 7, NULL), ('b', 'z', 8, 80), ('c', NULL, 9, 90)) t(g, k, v, w)")


def test_collecting_aggregates_grouped_answer_as_trino(engines):
    query = ("SELECT g, map_agg(k, v) m, histogram(k) h, max_by(k, w, 2) top, min_by(v, w, 1) low, "
             "listagg(k, ',') WITHIN GROUP (ORDER BY w DESC) l, approx_most_frequent(1, k, 10) f, "
             f"histogram(k) FILTER (WHERE v > 1) hf FROM {DATA} GROUP BY g ORDER BY g")
    duck, spark = engines
    got = spark.execute(query)
    assert [(c.name, c.type) for c in got.columns] == [
        ("g", "varchar(1)"), ("m", "map(varchar(1), integer)"), ("h", "map(varchar(1), bigint)"),
        ("top", "array(varchar(1))"), ("low", "array(integer)"), ("l", "varchar"),
        ("f", "map(varchar(1), bigint)"), ("hf", "map(varchar(1), bigint)")]
    assert got.table.to_pylist() == [
        # a key seen again keeps its first value; NULL keys and values are left out
        {"g": "a", "m": [("x", 3), ("y", 1)], "h": [("x", 2), ("y", 1)], "top": [None, "x"], "low": [1],
         "l": "x,x,y", "f": [("x", 2)], "hf": [("x", 2)]},
        # a NULL y is passed over by max_by / min_by
        {"g": "b", "m": [("z", 7)], "h": [("z", 2)], "top": ["z"], "low": [8], "l": "z,z", "f": [("z", 2)],
         "hf": [("z", 2)]},
        # only NULLs: NULL, not an empty map or string
        {"g": "c", "m": None, "h": None, "top": [None], "low": [9], "l": None, "f": None, "hf": None},
    ]
    want = duck.execute(query.replace(", histogram(k) FILTER (WHERE v > 1) hf", ""))   # DuckDB's FILTER fails there
    assert [(c.name, c.type) for c in want.columns] == [(c.name, c.type) for c in got.columns][:-1]


def test_what_the_collecting_aggregates_cannot_keep_is_refused(engines):
    _, spark = engines
    with pytest.raises(NotSupported, match="approx_most_frequent of more than its capacity of distinct values"):
        spark.execute(f"SELECT approx_most_frequent(1, v, 2) FROM {DATA}")
    with pytest.raises(NotSupported, match="Function 'map_agg' over a window is not supported on the Spark engine"):
        spark.execute(f"SELECT map_agg(k, v) OVER (PARTITION BY g) FROM {DATA}")
    with pytest.raises(NotSupported, match="Function 'approx_percentile' with a weight is not supported"):
        spark.execute(f"SELECT approx_percentile(v, w, 0.5) FROM {DATA}")


def test_ranking_windows_are_bigint_on_both_engines(engines):
    """Trino's row_number/rank/dense_rank/ntile are BIGINT (Spark's INT): the type shown, and
    arithmetic past INT's range, which Spark's INT would fail in ANSI mode."""
    query = ("SELECT g, row_number() OVER (ORDER BY v) r, rank() OVER (PARTITION BY g ORDER BY k) k, "
             "dense_rank() OVER (ORDER BY g) d, ntile(2) OVER (ORDER BY v) n, "
             f"row_number() OVER (ORDER BY v) * 3000000000 big FROM {DATA} ORDER BY v")
    for engine in engines:
        got = engine.execute(query)
        assert [(c.name, c.type) for c in got.columns] == [
            ("g", "varchar(1)"), ("r", "bigint"), ("k", "bigint"), ("d", "bigint"), ("n", "bigint"),
            ("big", "bigint")]
        assert [tuple(row.values()) for row in got.table.to_pylist()] == [
            ("a", 1, 3, 1, 1, 3000000000), ("a", 2, 1, 1, 1, 6000000000), ("a", 3, 1, 1, 1, 9000000000),
            ("a", 4, 4, 1, 1, 12000000000), ("b", 5, 1, 2, 2, 15000000000), ("b", 6, 1, 2, 2, 18000000000),
            ("c", 7, 1, 3, 2, 21000000000)]
