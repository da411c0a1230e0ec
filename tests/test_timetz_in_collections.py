"""Times with time zone inside rows and arrays compare by their instant, as Trino
compares them (TIME '10:00 +01:00' = TIME '09:00 +00:00'): DuckDB compares a TIMETZ's
wall clock and offset, and answered false.  Also under IN and IS DISTINCT FROM, and for
rows of zoned timestamps; a NULL field still makes = NULL."""
from __future__ import annotations

import pytest

A, B = "TIME '10:00:00 +01:00'", "TIME '09:00:00 +00:00'"


@pytest.mark.parametrize("expression, value", [
    (f"ROW({A}) = ROW({B})", True),
    (f"ROW({A}) <> ROW({B})", False),
    ("ROW(TIME '01:02:03.456-08:00', 1) = ROW(TIME '09:02:03.456+00:00', 1)", True),
    (f"ROW({A}, 2) = ROW({B}, 1)", False),
    (f"ROW(NULL, 1) = ROW({B}, 1)", None),
    (f"ROW({A}) IN (ROW(TIME '08:00:00 +00:00'), ROW({B}))", True),
    (f"ROW({A}) IS DISTINCT FROM ROW({B})", False),
    (f"ROW({A}) IS DISTINCT FROM ROW(TIME '10:00:00 +00:00')", True),
    (f"ROW({A}, ARRAY[{A}]) IS NOT DISTINCT FROM ROW({B}, ARRAY[{B}])", True),
    (f"ARRAY[{A}] = ARRAY[{B}]", True),
    (f"ARRAY[ROW({A}, ARRAY[{A}])] = ARRAY[ROW({B}, ARRAY[{B}])]", True),
    ("row(TIMESTAMP '2002-01-02 03:04:05.321 +08:10') = row(TIMESTAMP '2002-01-02 02:04:05.321 +07:10')", True),
])
def test_times_with_time_zone_in_rows_and_arrays_compare_by_instant(con, expression, value):
    cursor = con.cursor()
    cursor.execute(f"SELECT {expression}")
    assert [d[1] for d in cursor.description] == ["boolean"]
    assert cursor.fetchall() == [(value,)]


def test_rows_of_table_values_compare_by_instant(con):
    cursor = con.cursor()
    cursor.execute(f"SELECT x = y, x IS DISTINCT FROM y FROM (VALUES (ROW({A}), ROW({B}))) t(x, y)")
    assert cursor.fetchall() == [(True, False)]
