"""Arrays, maps and rows on the Spark engine through the DB-API (tests/engines.py): what the
collection rewrites answer as Trino does, row by row and with Trino's types."""
from __future__ import annotations

import pytest

from engines import connect

pytest.importorskip("pyspark")


@pytest.fixture(scope="module")
def spark_con(tmp_path_factory):
    con = connect("spark", tmp_path_factory.mktemp("home"))
    yield con
    con.close()


def answer(con, sql: str):
    cur = con.cursor()
    cur.execute(sql)
    return cur.fetchall(), [d[1] for d in cur.description]


def test_zip_pads_the_shorter_array_with_nulls(spark_con):
    rows, types = answer(spark_con, "SELECT zip(ARRAY[1, 2], ARRAY['a']), zip(ARRAY[1], CAST(NULL AS ARRAY(INTEGER)))")
    assert rows == [([{"col1": 1, "col2": "a"}, {"col1": 2, "col2": None}], None)]
    assert types == ["array(row(integer, varchar(1)))", "array(row(integer, integer))"]


def test_zoned_timestamps_in_rows_and_maps_compare_as_instants(spark_con):
    rows, _ = answer(spark_con, "SELECT row(1, TIMESTAMP '2020-01-01 10:00:00 +02:00') = row(1, from_unixtime(1577865600)), "
                                "MAP(ARRAY[from_unixtime(1)], ARRAY[5])[TIMESTAMP '1970-01-01 01:00:01 +01:00'], "
                                "row(from_unixtime(1)) < row(from_unixtime(2))")
    assert rows == [(True, 5, True)]


def test_sequence_near_bigints_ends_counts_its_entries(spark_con):
    rows, _ = answer(spark_con, "SELECT sequence(9223372036854775807, -9223372036854775808, -9223372036854775807)")
    assert rows == [([9223372036854775807, 0, -9223372036854775807],)]
    with pytest.raises(Exception, match="INVALID_FUNCTION_ARGUMENT: result of sequence function must not have more "
                                        "than 10000 entries"):
        answer(spark_con, "SELECT sequence(0, 9223372036854775807, 1)")


def test_a_null_condition_does_not_hold(spark_con):
    rows, types = answer(spark_con, "SELECT CASE WHEN NULL THEN 1 WHEN TRUE THEN 33 END, 'a' LIKE 'a' ESCAPE NULL")
    assert rows == [(33, None)] and types == ["integer", "boolean"]
