"""Times with time zone and times of 7 to 9 digits through the DB-API, on both engines
(tests/engines.py): values that are not constants (read from VALUES), so the Spark
engine computes on its struct (engine/spark/timetz) and nanoseconds (engine/spark/times)
as the query runs, with Trino's answers."""
from __future__ import annotations

import pytest

from engines import ENGINES, engine_connection
from parthenon.errors import InvalidFunctionArgument, NotSupported


@pytest.fixture(params=ENGINES)
def con(request, tmp_path):
    connection = engine_connection(request, tmp_path)
    yield connection
    connection.close()


def _rows(con, sql):
    cur = con.cursor()
    cur.execute(sql)
    return cur.fetchall(), [d[1] for d in cur.description]


def test_time_with_time_zone_text_casts_fields_and_comparison(con):
    rows, types = _rows(con, "SELECT t, CAST(t AS VARCHAR), CAST(t AS TIME(1) WITH TIME ZONE), hour(t), "
                             "millisecond(t), timezone_minute(t), t = TIME '00:00:00.15+00:35' "
                             "FROM (VALUES TIME '10:00:00.15-00:00', TIME '23:59:59.95-00:35', "
                             "TIME '23:25:00.15-00:00') x(t)")
    assert rows == [
        ("10:00:00.15+00:00", "10:00:00.15+00:00", "10:00:00.2+00:00", 10, 150, 0, False),
        # rounding past midnight wraps; the offset is kept
        ("23:59:59.95-00:35", "23:59:59.95-00:35", "00:00:00.0-00:35", 23, 950, -35, False),
        # the same instant of the day as 00:00:00.15+00:35: equal, as in Trino
        ("23:25:00.15+00:00", "23:25:00.15+00:00", "23:25:00.2+00:00", 23, 150, 0, True),
    ]
    assert types == ["time(2) with time zone", "varchar", "time(1) with time zone", "bigint", "bigint", "bigint",
                     "boolean"]


def test_time_with_time_zone_arithmetic_and_extremes(con):
    rows, _ = _rows(con, "SELECT date_add('hour', 3, t), date_trunc('hour', t), "
                         "date_diff('minute', t, TIME '00:00:00+00:00'), "
                         "date_add('hour', CAST(NULL AS BIGINT), t) IS NULL "
                         "FROM (VALUES TIME '22:10:00.5+01:00') x(t)")
    assert rows == [("01:10:00.5+01:00", "22:00:00.0+01:00", -1270, True)]
    rows, _ = _rows(con, "SELECT max(t), min(t) FROM (VALUES TIME '10:00:00+05:00', TIME '06:00:00-01:00', "
                         "TIME '23:00:00+00:00') x(t)")
    assert rows == [("23:00:00+00:00", "10:00:00+05:00")]
    with pytest.raises(InvalidFunctionArgument, match="'day' is not a valid Time field"):
        _rows(con, "SELECT date_diff('day', t, t) FROM (VALUES TIME '22:10:00+01:00') x(t)")


def test_zoned_timestamp_as_time_with_time_zone(con):
    rows, types = _rows(con, "SELECT CAST(ts AS TIME(3) WITH TIME ZONE), CAST(CAST(ts AS TIMESTAMP(3)) AS TIME(3) "
                             "WITH TIME ZONE) FROM (VALUES TIMESTAMP '2020-06-01 12:34:56.789 Asia/Kathmandu') x(ts)")
    assert rows == [("12:34:56.789+05:45", "12:34:56.789+00:00")]
    assert types == ["time(3) with time zone", "time(3) with time zone"]


def test_times_of_nanoseconds(con):
    rows, types = _rows(con, "SELECT CAST(ts AS TIME(7)), CAST(CAST(ts AS TIME(6)) AS TIME(9)), "
                             "CAST(TIME '23:59:59.9999999' AS TIME(7)), CAST(t AS TIME(8)) "
                             "FROM (VALUES (TIMESTAMP '2020-05-01 12:34:56.123456', "
                             "TIME '12:34:56.123456789 +05:00')) x(ts, t)")
    assert rows == [("12:34:56.1234560", "12:34:56.123456000", "23:59:59.9999999", "12:34:56.12345679")]
    assert types == ["time(7)", "time(9)", "time(7)", "time(8)"]


@pytest.mark.parametrize("con", ["spark"], indirect=True)
def test_spark_refuses_grouped_and_nested_times_with_time_zone(con):
    with pytest.raises(NotSupported, match="time with time zone values are not supported here"):
        _rows(con, "SELECT DISTINCT t FROM (VALUES TIME '10:00:00+05:00') x(t)")
    with pytest.raises(NotSupported, match="time with time zone values inside arrays"):
        _rows(con, "SELECT ARRAY[TIME '10:00:00+05:00']")


def test_timestamps_of_nanoseconds(con):
    rows, types = _rows(con, "SELECT ts, CAST(ts AS TIMESTAMP(7)), date_trunc('second', ts), date_add('day', 1, ts), "
                             "millisecond(ts), to_iso8601(ts), ts > TIMESTAMP '2020-05-01 12:34:56.123456', "
                             "CAST(ts AS TIME(9)) FROM (VALUES TIMESTAMP '2020-05-01 12:34:56.123456789') x(ts)")
    assert rows == [("2020-05-01 12:34:56.123456789", "2020-05-01 12:34:56.1234568", "2020-05-01 12:34:56.000000000",
                     "2020-05-02 12:34:56.123456789", 123, "2020-05-01T12:34:56.123456789", True,
                     "12:34:56.123456789")]
    assert types == ["timestamp(9)", "timestamp(7)", "timestamp(9)", "timestamp(9)", "bigint", "varchar(32)",
                     "boolean", "time(9)"]
    rows, _ = _rows(con, "SELECT max(ts), min(ts) FROM (VALUES TIMESTAMP '2020-05-01 12:34:56.123456789', "
                         "TIMESTAMP '2020-05-01 12:34:56.123456788') x(ts)")
    assert rows == [("2020-05-01 12:34:56.123456789", "2020-05-01 12:34:56.123456788")]
