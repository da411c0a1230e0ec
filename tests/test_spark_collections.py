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


def test_rows_with_unnamed_fields_cast_to_json_with_empty_names(spark_con):
    rows, types = answer(spark_con, "SELECT CAST(ROW(1, NULL) AS JSON), "
                                    "CAST(ROW(ROW(1, 2), CAST(ROW(null, null) AS ROW(INTEGER, INTEGER)), null) AS JSON), "
                                    "CAST(ROW(MAP(ARRAY['b', 'a'], ARRAY[2, 1]), MAP()) AS JSON), "
                                    "CAST(CAST(ROW(1, 2) AS ROW(a INTEGER, \"b c\" INTEGER)) AS JSON)")
    assert rows == [('{"":1,"":null}', '{"":{"":1,"":2},"":{"":null,"":null},"":null}', '{"":{"a":1,"b":2},"":{}}',
                     '{"a":1,"b c":2}')]
    assert types == ["json"] * 4


def test_dates_timestamps_and_nulls_inside_arrays_cast_to_json(spark_con):
    rows, types = answer(spark_con, "SELECT CAST(ARRAY[TIMESTAMP '1970-01-01 00:00:01', null] AS JSON), "
                                    "CAST(ARRAY[TIMESTAMP '1970-01-01 00:00:01.120'] AS JSON), "
                                    "CAST(ROW(DATE '2001-08-22', null) AS JSON), CAST(ARRAY[] AS JSON), "
                                    "CAST(ARRAY[null, null] AS JSON)")
    assert rows == [('["1970-01-01 00:00:01",null]', '["1970-01-01 00:00:01.120"]', '{"":"2001-08-22","":null}',
                     "[]", "[null,null]")]
    assert types == ["json"] * 5


def test_json_cast_to_rows_with_unnamed_fields_reads_arrays_by_position(spark_con):
    rows, types = answer(spark_con, "SELECT CAST(JSON '[1, \"a\"]' AS ROW(BIGINT, VARCHAR)), "
                                    "CAST(JSON '[1, \"a\"]' AS ROW(BIGINT, VARCHAR))[2], CAST(JSON 'null' AS ROW(BIGINT)), "
                                    "CAST(CAST(NULL AS JSON) AS ROW(BIGINT)), CAST(CAST(NULL AS JSON) AS ARRAY(BIGINT))")
    assert rows == [({"col1": 1, "col2": "a"}, "a", None, None, None)]
    assert types == ["row(bigint, varchar)", "varchar", "row(bigint)", "row(bigint)", "array(bigint)"]
    with pytest.raises(Exception, match="NOT_SUPPORTED"):   # an object for unnamed fields: refused
        answer(spark_con, "SELECT CAST(JSON '{\"a\": 1}' AS ROW(BIGINT))")


def test_a_value_failing_inside_a_json_cast_to_an_array_is_an_invalid_cast(spark_con):
    with pytest.raises(Exception, match="INVALID_CAST_ARGUMENT: Cannot cast to array\\(integer\\)"):
        answer(spark_con, "SELECT CAST(JSON '[1234567890123.456]' AS ARRAY(INTEGER))")


def test_subscripts_of_rows_not_written_in_place(spark_con):
    rows, types = answer(spark_con, "SELECT row(row('aa', 2))[1][2], "
                                    "row(1.0E0, ARRAY[row(31, 4.1E0), row(32, 4.2E0)])[2][2][1], a[2], x[1][2] "
                                    "FROM (VALUES (ROW(1, 'x'), ARRAY[ROW(5, 'y')])) t(a, x)")
    assert rows == [(2, 32, "x", "y")]
    assert types == ["integer", "integer", "varchar(1)", "varchar(1)"]


def test_arrays_of_nanosecond_timestamps_are_read_whole(spark_con):
    """timestamp(9) elements are nano_timestamps' structs: Spark compares and orders them as
    Trino does the values (nano_arrays)."""
    a = "ARRAY[TIMESTAMP '2020-05-10 12:34:56.123456789', NULL, TIMESTAMP '2020-05-10 12:34:56.1']"
    rows, types = answer(spark_con, f"SELECT {a}, contains({a}, TIMESTAMP '2020-05-10 12:34:56.1'), {a}[1], "
                                    f"array_join({a}, '|'), array_sort({a}), array_max({a})")
    assert rows == [(["2020-05-10 12:34:56.123456789", None, "2020-05-10 12:34:56.100000000"], True,
                     "2020-05-10 12:34:56.123456789", "2020-05-10 12:34:56.123456789|2020-05-10 12:34:56.100000000",
                     ["2020-05-10 12:34:56.100000000", "2020-05-10 12:34:56.123456789", None], None)]
    assert types == ["array(timestamp(9))", "boolean", "timestamp(9)", "varchar", "array(timestamp(9))",
                     "timestamp(9)"]
    with pytest.raises(Exception, match="This use of an array\\(timestamp\\(9\\)\\) is not supported"):
        answer(spark_con, f"SELECT transform({a}, x -> year(x))")


def test_arrays_of_unknown_and_empty_arrays_take_trino_types(spark_con):
    rows, types = answer(spark_con, "SELECT repeat(NULL, 2), CAST(NULL AS ARRAY(UNKNOWN)) IS DISTINCT FROM NULL, "
                                    "array_except(ARRAY[1], NULL), concat(ARRAY[], ARRAY[1]), "
                                    "ARRAY[1.5] < ARRAY[2]")
    assert rows == [([None, None], False, None, [1], True)]
    assert types == ["array(unknown)", "boolean", "array(integer)", "array(integer)", "boolean"]


def test_arrays_of_json_written_in_place_cast_to_json_and_join(spark_con):
    rows, types = answer(spark_con, "SELECT CAST(ARRAY[JSON '{\"b\": 1, \"a\": 2}', JSON 'null', NULL] AS JSON), "
                                    "array_join(ARRAY[JSON '\"a\"', JSON 'null', JSON 'true'], ',', 'N/A')")
    assert rows == [('[{"a":2,"b":1},null,null]', "a,N/A,true")]
    assert types == ["json", "varchar"]
