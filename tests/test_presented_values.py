"""Values an engine shows as Trino's text (intervals, addresses, decimals as Trino types
them) keep Trino's order and text where a query sorts or nests them: ORDER BY an interval
sorts by its length on both engines (not by its text, where '10 ...' sorts before
'2 ...'), also by an aggregate's alias and under DISTINCT; a value read through an
unnamed subquery is shown as Trino shows it (it was DuckDB's MonthDayNano or an
address's integer)."""
from __future__ import annotations

from decimal import Decimal

import pytest

import parthenon

pytest.importorskip("pyspark")

from parthenon.errors import NotSupported   # noqa: E402
from test_spark_backend import engines, spark_context  # noqa: E402,F401 - the fixtures

DAYS = "(VALUES (1, INTERVAL '2' DAY), (2, INTERVAL '10' DAY), (3, INTERVAL '-3' DAY)) t(g, x)"


@pytest.mark.parametrize("query, rows", [
    (f"SELECT x FROM {DAYS} ORDER BY x", ["-3 00:00:00.000", "2 00:00:00.000", "10 00:00:00.000"]),
    (f"SELECT x y FROM {DAYS} ORDER BY y DESC", ["10 00:00:00.000", "2 00:00:00.000", "-3 00:00:00.000"]),
    (f"SELECT x + INTERVAL '1' DAY y FROM {DAYS} ORDER BY 1", ["-2 00:00:00.000", "3 00:00:00.000",
                                                              "11 00:00:00.000"]),
    (f"SELECT max(x) m FROM {DAYS} GROUP BY g ORDER BY m", ["-3 00:00:00.000", "2 00:00:00.000",
                                                           "10 00:00:00.000"]),
    ("SELECT x FROM (VALUES INTERVAL '2' MONTH, INTERVAL '10' MONTH, INTERVAL '-3' YEAR) t(x) ORDER BY x",
     ["-3-0", "0-2", "0-10"]),
])
def test_order_by_an_interval_is_by_its_length(engines, query, rows):
    for engine in engines:
        assert [r[0] for r in engine.execute(query).table.to_pylist() for r in [list(r.values())]] == rows


def test_order_by_intervals_spark_cannot_sort_again_is_refused(engines):
    duck, spark = engines
    distinct = f"SELECT DISTINCT x FROM {DAYS} ORDER BY x"
    assert [r["x"] for r in duck.execute(distinct).table.to_pylist()] == [
        "-3 00:00:00.000", "2 00:00:00.000", "10 00:00:00.000"]
    windowed = f"SELECT max(x) OVER (PARTITION BY g) m FROM {DAYS} ORDER BY m"
    assert [r["m"] for r in duck.execute(windowed).table.to_pylist()] == [
        "-3 00:00:00.000", "2 00:00:00.000", "10 00:00:00.000"]
    for query, column in ((distinct, 120), (windowed, 140)):
        with pytest.raises(NotSupported, match=rf"^NOT_SUPPORTED: line 1:{column}: ORDER BY this interval "
                                               r"column is not supported on the Spark engine \(it would order by the text\)$"):
            spark.execute(query)


def test_values_through_an_unnamed_subquery_are_shown_as_trino_shows_them(parthenon_home):
    cursor = parthenon.connect(home=parthenon_home).cursor()
    cursor.execute("SELECT x, ip, d FROM (SELECT INTERVAL '2' DAY x, CAST('10.0.0.1' AS IPADDRESS) ip, "
                   "count(*) * 100.0 / 3 d)")
    assert [(c[0], c[1]) for c in cursor.description] == [
        ("x", "interval day to second"), ("ip", "ipaddress"), ("d", "decimal(23,1)")]
    assert cursor.fetchall() == [("2 00:00:00.000", "10.0.0.1", Decimal("33.3"))]
    cursor.execute("SELECT * FROM (SELECT TIMESTAMP '2020-01-01 00:00:00.1234567' n)")
    assert [(c[0], c[1]) for c in cursor.description] == [("n", "timestamp(7)")]
    assert cursor.fetchall() == [("2020-01-01 00:00:00.1234567",)]     # was cut to microseconds


@pytest.mark.parametrize("query, types, rows", [
    ("WITH a AS (SELECT INTERVAL '2' DAY t, CAST('10.0.0.1' AS IPADDRESS) ip, 1 n) SELECT * FROM a",
     ["interval day to second", "ipaddress", "integer"], [("2 00:00:00.000", "10.0.0.1", 1)]),
    ("SELECT s.*, 5 FROM (SELECT CAST('::1' AS IPADDRESS) ip) s", ["ipaddress", "integer"], [("::1", 5)]),
    ("WITH a AS (SELECT CAST('10.0.0.2' AS IPADDRESS) ip UNION ALL SELECT CAST('9.0.0.1' AS IPADDRESS)) "
     "SELECT * FROM a ORDER BY 1", ["ipaddress"], [("9.0.0.1",), ("10.0.0.2",)]),
    ("SELECT * FROM (SELECT INTERVAL '10' DAY x UNION ALL SELECT INTERVAL '2' DAY) ORDER BY x",
     ["interval day to second"], [("2 00:00:00.000",), ("10 00:00:00.000",)]),
])
def test_a_star_over_derived_values_shows_them_as_trino_does(engines, query, types, rows):
    """Through `*`: DuckDB gave MonthDayNano(...), an address's integer, a timestamp(7) cut
    to microseconds."""
    for engine in engines:
        got = engine.execute(query)
        assert [c.type for c in got.columns] == types
        assert [tuple(r.values()) for r in got.table.to_pylist()] == rows


def test_time_with_time_zone_literals_without_seconds_or_with_a_space(engines):
    """Trino reads TIME '10:00 +05:00' (DuckDB failed with GENERIC_INTERNAL_ERROR), and
    orders such values by their instant."""
    query = ("SELECT x, TIME '1:2:3.5+05:00' y FROM (VALUES TIME '10:00 +05:00', TIME '09:00 +00:00') t(x) "
             "ORDER BY x")
    for engine in engines:
        got = engine.execute(query)
        assert [c.type for c in got.columns] == ["time(0) with time zone", "time(1) with time zone"]
        assert [tuple(r.values()) for r in got.table.to_pylist()] == [
            ("10:00:00+05:00", "01:02:03.5+05:00"), ("09:00:00+00:00", "01:02:03.5+05:00")]


def test_a_set_operation_of_presented_values(engines):
    """Every branch shows its values as Trino's text (Spark failed with
    INCOMPATIBLE_COLUMN_TYPE, a later branch's interval against the first one's text); the
    set operation's ORDER BY of such a column sorts by the value on DuckDB, and Spark,
    which would sort by the text, refuses it."""
    duck, spark = engines
    united = "SELECT INTERVAL '10' DAY x, 1 n UNION ALL SELECT INTERVAL '2' DAY, 2"
    for engine in engines:
        got = engine.execute(united)
        assert [c.type for c in got.columns] == ["interval day to second", "integer"]
        assert sorted(tuple(r.values()) for r in got.table.to_pylist()) == [
            ("10 00:00:00.000", 1), ("2 00:00:00.000", 2)]
    by_value = [("2 00:00:00.000", 2), ("10 00:00:00.000", 1)]
    for order, rows in (("x", by_value), ("1 DESC", by_value[::-1])):
        assert [tuple(r.values()) for r in duck.execute(f"{united} ORDER BY {order}").table.to_pylist()] == rows
        with pytest.raises(NotSupported, match=r"^NOT_SUPPORTED: line 1:\d+: ORDER BY this interval column of a "
                                               r"set operation is not supported on the Spark engine \(it would "
                                               r"order by the text\)$"):
            spark.execute(f"{united} ORDER BY {order}")
