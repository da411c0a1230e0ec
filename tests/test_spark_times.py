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


def test_zoned_timestamps_of_nanoseconds(con):
    # Spark: the zoned struct with the nanoseconds past the wall's microseconds (engine/spark/zoned)
    rows, types = _rows(con, "SELECT ts, CAST(ts AS TIMESTAMP(9) WITH TIME ZONE), CAST(ts AS TIMESTAMP(7) WITH TIME ZONE), "
                             "CAST(CAST(ts AS TIMESTAMP(3) WITH TIME ZONE) AS VARCHAR), CAST(ts AS TIMESTAMP(8)), CAST(ts AS VARCHAR), "
                             "date_trunc('second', ts), date_add('millisecond', 1, ts), "
                             "at_timezone(ts, 'America/Los_Angeles'), to_iso8601(ts), millisecond(ts), "
                             "ts = TIMESTAMP '2020-05-01 01:49:56.12345678 UTC', "
                             "ts < TIMESTAMP '2020-05-01 01:49:56.123 UTC' "
                             "FROM (VALUES TIMESTAMP '2020-05-01 07:34:56.12345678 Asia/Kathmandu') x(ts)")
    assert rows == [("2020-05-01 07:34:56.12345678 Asia/Kathmandu", "2020-05-01 07:34:56.123456780 Asia/Kathmandu",
                     "2020-05-01 07:34:56.1234568 Asia/Kathmandu", "2020-05-01 07:34:56.123 Asia/Kathmandu",
                     "2020-05-01 07:34:56.12345678", "2020-05-01 07:34:56.12345678 Asia/Kathmandu",
                     "2020-05-01 07:34:56.00000000 Asia/Kathmandu", "2020-05-01 07:34:56.12445678 Asia/Kathmandu",
                     "2020-04-30 18:49:56.12345678 America/Los_Angeles", "2020-05-01T07:34:56.12345678+05:45",
                     123, True, False)]
    assert types == ["timestamp(8) with time zone", "timestamp(9) with time zone", "timestamp(7) with time zone",
                     "varchar", "timestamp(8)", "varchar", "timestamp(8) with time zone",
                     "timestamp(8) with time zone", "timestamp(8) with time zone", "varchar(37)", "bigint",
                     "boolean", "boolean"]
    # rounding carries into the second; max and greatest by instant, whatever the zone
    rows, _ = _rows(con, "SELECT CAST(ts AS TIMESTAMP(7) WITH TIME ZONE) FROM (VALUES "
                         "TIMESTAMP '2020-01-01 00:00:00.99999995 UTC') x(ts)")
    assert rows == [("2020-01-01 00:00:01.0000000 UTC",)]
    rows, _ = _rows(con, "SELECT max(ts), greatest(max(ts), TIMESTAMP '2020-01-01 09:00:01.00000001 +09:00') "
                         "FROM (VALUES TIMESTAMP '2020-01-01 00:00:00.99999995 UTC', "
                         "TIMESTAMP '2020-01-01 05:45:00.50000000 Asia/Kathmandu') x(ts)")
    assert rows == [("2020-01-01 00:00:00.99999995 UTC", "2020-01-01 09:00:01.00000001 +09:00")]
    rows, types = _rows(con, "SELECT from_unixtime_nanos(n) FROM (VALUES BIGINT '-1', BIGINT '1234567890123456789') x(n)")
    assert rows == [("1969-12-31 23:59:59.999999999 UTC",), ("2009-02-13 23:31:30.123456789 UTC",)]
    assert types == ["timestamp(9) with time zone"]


def test_times_with_time_zone_compared_in_arrays(con):
    rows, _ = _rows(con, "SELECT ARRAY[t, TIME '10:20:30.456-08:00'] = ARRAY[TIME '02:02:03.456-07:00', t], "
                         "ARRAY[t] < ARRAY[TIME '10:00:00+00:00'] "
                         "FROM (VALUES TIME '01:02:03.456-08:00') x(t)")
    assert rows == [(False, True)]


@pytest.mark.parametrize("con", ["spark"], indirect=True)
def test_spark_compares_times_with_time_zone_in_rows_as_instants(con):
    # Trino: the same instant of the day (DuckDB's engine answers false today)
    rows, _ = _rows(con, "SELECT ROW(t, 1) = ROW(TIME '09:02:03.456+00:00', 1) "
                         "FROM (VALUES TIME '01:02:03.456-08:00') x(t)")
    assert rows == [(True,)]


def test_format_datetime(con):
    rows, types = _rows(con, "SELECT format_datetime(ts, 'yyyy-MM-dd''T''HH:mm:ss.SSS Z ZZ ZZZ'), "
                             "format_datetime(ts, 'EEE EEEE MMM MMMM a hh h H D YYYY yy'), "
                             "format_datetime(CAST(ts AS TIMESTAMP(6)), 'SSSSSS Z'), format_datetime(d, 'yyyy/M/d') "
                             "FROM (VALUES (TIMESTAMP '2001-01-09 13:04:05.321 -07:09', DATE '2001-02-03')) x(ts, d)")
    assert rows == [("2001-01-09T13:04:05.321 -0709 -07:09 -07:09", "Tue Tuesday Jan January PM 01 1 13 9 2001 01",
                     "321000 +0000", "2001/2/3")]
    assert types == ["varchar", "varchar", "varchar", "varchar"]


@pytest.mark.parametrize("con", ["spark"], indirect=True)
def test_spark_refuses_what_it_cannot_format_or_diff_exactly(con):
    with pytest.raises(NotSupported, match="pattern letters 'z'"):
        _rows(con, "SELECT format_datetime(ts, 'z') FROM (VALUES TIMESTAMP '2001-01-09 13:04:05.321 UTC') x(ts)")
    with pytest.raises(NotSupported, match="more than 3 digits"):
        _rows(con, "SELECT format_datetime(ts, 'yyyy') FROM (VALUES TIMESTAMP '2001-01-09 13:04:05.3214 UTC') x(ts)")
    with pytest.raises(NotSupported, match="difference of zoned timestamps of more than 6 digits"):
        _rows(con, "SELECT ts - ts FROM (VALUES TIMESTAMP '2001-01-09 13:04:05.3214567 UTC') x(ts)")


def test_zoned_timestamps_of_mixed_digits(con):
    rows, types = _rows(con, "SELECT ts, CASE WHEN ts > TIMESTAMP '2020-01-01 00:00:00 UTC' THEN ts "
                             "ELSE TIMESTAMP '2000-01-01 00:00:00.5 UTC' END FROM (VALUES "
                             "TIMESTAMP '2020-01-01 00:00:00.12345678 UTC', TIMESTAMP '2020-01-01 00:00:00.5 +01:00') "
                             "x(ts) ORDER BY ts")
    assert rows == [("2020-01-01 00:00:00.50000000 +01:00", "2000-01-01 00:00:00.50000000 UTC"),
                    ("2020-01-01 00:00:00.12345678 UTC", "2020-01-01 00:00:00.12345678 UTC")]
    assert types == ["timestamp(8) with time zone", "timestamp(8) with time zone"]
