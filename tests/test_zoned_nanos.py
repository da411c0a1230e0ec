"""Timestamps and times with time zone of precision 7..9 keep their nanoseconds
(parthenon.engine.duckdb.trino.zoned: a ``nanos`` field), through the DB-API."""
from __future__ import annotations

import datetime
import zoneinfo

import pytest

import parthenon


def _one(con, sql):
    cur = con.cursor()
    cur.execute(sql)
    return cur.fetchall(), [d[1] for d in cur.description]


def test_nanoseconds_leave_as_text_and_microseconds_as_a_datetime(con):
    # Trino's values (tests/trino_cases/datetime.tsv, timestamptz_ops.tsv)
    rows, types = _one(con, "SELECT from_unixtime_nanos(1234567890123456789), "
                            "TIMESTAMP '2020-05-01 12:34:56.123456789 -08:35', "
                            "TIMESTAMP '2020-05-01 12:34:56.123 Asia/Kathmandu'")
    assert types == ["timestamp(9) with time zone", "timestamp(9) with time zone", "timestamp(3) with time zone"]
    assert rows[0][:2] == ("2009-02-13 23:31:30.123456789 UTC", "2020-05-01 12:34:56.123456789 -08:35")
    assert rows[0][2] == datetime.datetime(2020, 5, 1, 12, 34, 56, 123000, tzinfo=zoneinfo.ZoneInfo("Asia/Kathmandu"))


def test_values_apart_by_nanoseconds_compare_and_order_apart(con):
    a, b = "TIMESTAMP '2020-05-01 12:34:56.123456788 UTC'", "TIMESTAMP '2020-05-01 12:34:56.123456789 UTC'"
    rows, _ = _one(con, f"SELECT {a} = {b}, {a} < {b}, {b} = TIMESTAMP '2020-05-01 18:19:56.123456789 Asia/Kathmandu'")
    assert rows == [(False, True, True)]
    rows, _ = _one(con, f"SELECT x FROM (VALUES {b}, {a}) t(x) ORDER BY x")
    assert rows == [("2020-05-01 12:34:56.123456788 UTC",), ("2020-05-01 12:34:56.123456789 UTC",)]
    rows, _ = _one(con, f"SELECT max(x), min(x), count(DISTINCT x) FROM (VALUES {b}, {a}) t(x)")
    assert rows == [("2020-05-01 12:34:56.123456789 UTC", "2020-05-01 12:34:56.123456788 UTC", 2)]


def test_a_span_shorter_by_its_nanoseconds_counts_whole_units(con):
    # 999.002 microseconds elapse: not a millisecond
    rows, _ = _one(con, "SELECT date_diff('millisecond', TIMESTAMP '2020-05-01 12:34:56.000000999 UTC', "
                        "TIMESTAMP '2020-05-01 12:34:56.001000001 UTC')")
    assert rows == [(0,)]


def test_times_with_time_zone_apart_by_nanoseconds(con):
    a, b = "TIME '12:34:56.123456788+08:35'", "TIME '12:34:56.123456789+08:35'"
    rows, types = _one(con, f"SELECT {a} < {b}, {a} = {b}, CAST({b} AS VARCHAR), {b}")
    assert rows == [(True, False, "12:34:56.123456789+08:35", "12:34:56.123456789+08:35")]
    assert types[3] == "time(9) with time zone"


def test_what_does_not_read_the_nanoseconds_is_refused(con):
    with pytest.raises(parthenon.NotSupportedError, match="NOT_SUPPORTED"):
        con.cursor().execute("SELECT TIME '12:34:56.123456789+08:35' + INTERVAL '1' HOUR")



def test_a_set_operation_presents_every_branch(con):
    rows, types = _one(con, "SELECT TIMESTAMP '2020-05-01 12:34:56.123456789 UTC' UNION ALL "
                            "SELECT TIMESTAMP '2020-05-01 12:34:56.123456788 -08:35'")
    assert types == ["timestamp(9) with time zone"]
    assert rows == [("2020-05-01 12:34:56.123456789 UTC",), ("2020-05-01 12:34:56.123456788 -08:35",)]
    with pytest.raises(parthenon.NotSupportedError, match="set operation"):     # its digits would be its own
        con.cursor().execute("SELECT TIMESTAMP '2020-05-01 12:34:56.123456789 UTC' UNION ALL "
                             "SELECT TIMESTAMP '2020-05-01 12:34:56.1 UTC'")


def test_branches_of_different_precision_take_the_finest(con):
    """A set operation, COALESCE or CASE of timestamp(1) and timestamp(3) is timestamp(3)
    (Trino's common super type), so .123 is not shown as .1."""
    rows, types = _one(con, "SELECT TIMESTAMP '2020-01-01 00:00:00.1' UNION ALL "
                            "SELECT TIMESTAMP '2020-01-01 00:00:00.123'")
    assert types == ["timestamp(3)"]
    assert rows == [(datetime.datetime(2020, 1, 1, 0, 0, 0, 100000),),
                    (datetime.datetime(2020, 1, 1, 0, 0, 0, 123000),)]
    assert _one(con, "SELECT coalesce(NULL, TIMESTAMP '2020-01-01 00:00:00.1', "
                     "TIMESTAMP '2020-01-01 00:00:00.123456')")[1] == ["timestamp(6)"]
    assert _one(con, "SELECT CASE WHEN true THEN TIME '01:02:03' ELSE TIME '01:02:03.45' END") == \
        ([(datetime.time(1, 2, 3),)], ["time(2)"])
