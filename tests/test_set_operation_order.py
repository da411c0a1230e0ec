"""ORDER BY of a set operation (UNION [ALL], INTERSECT, EXCEPT) over values the DuckDB
engine presents as Trino's text sorts by the value, as Trino does: an interval by its
length ('10 ...' sorted before '2 ...'), an address by its 128 bits, a zoned timestamp or
time by its instant.  A later branch's unnamed address or time with time zone is shown as
Trino shows it (it was the address's integer, DuckDB's '06:00:00+00')."""
from __future__ import annotations

import pytest


DAY = "interval day to second"


@pytest.mark.parametrize("query, types, rows", [
    ("SELECT INTERVAL '10' DAY x UNION ALL SELECT INTERVAL '2' DAY UNION ALL SELECT INTERVAL '-3' DAY "
     "ORDER BY x", [DAY], [("-3 00:00:00.000",), ("2 00:00:00.000",), ("10 00:00:00.000",)]),
    ("SELECT INTERVAL '10' DAY x UNION SELECT INTERVAL '2' DAY UNION SELECT INTERVAL '10' DAY "
     "UNION SELECT NULL ORDER BY x DESC", [DAY], [("10 00:00:00.000",), ("2 00:00:00.000",), (None,)]),
    ("SELECT 1 n, INTERVAL '1 00:00:00.001' DAY TO SECOND x UNION ALL SELECT 2, INTERVAL '1' DAY "
     "ORDER BY 2 LIMIT 1", ["integer", DAY], [(2, "1 00:00:00.000")]),
    ("SELECT INTERVAL '10' MONTH x UNION ALL SELECT INTERVAL '2' MONTH UNION ALL SELECT INTERVAL '-1' YEAR "
     "ORDER BY x", ["interval year to month"], [("-1-0",), ("0-2",), ("0-10",)]),
    ("(SELECT INTERVAL '10' DAY) UNION ALL (SELECT INTERVAL '2' DAY) ORDER BY 1", [DAY],
     [("2 00:00:00.000",), ("10 00:00:00.000",)]),
    ("SELECT INTERVAL '10' DAY x UNION ALL SELECT INTERVAL '2' DAY ORDER BY x + INTERVAL '1' DAY", [DAY],
     [("2 00:00:00.000",), ("10 00:00:00.000",)]),
    ("SELECT INTERVAL '10' DAY x INTERSECT SELECT INTERVAL '10' DAY ORDER BY x", [DAY], [("10 00:00:00.000",)]),
    ("SELECT CAST('10.0.0.2' AS IPADDRESS) ip UNION ALL SELECT CAST('9.0.0.1' AS IPADDRESS) "
     "UNION ALL SELECT IPADDRESS '::1' ORDER BY ip", ["ipaddress"], [("::1",), ("9.0.0.1",), ("10.0.0.2",)]),
    ("SELECT TIME '10:00 +05:00' x UNION ALL SELECT TIME '06:00 +00:00' ORDER BY x",
     ["time(0) with time zone"], [("10:00:00+05:00",), ("06:00:00+00:00",)]),
])
def test_a_set_operation_orders_by_the_value(con, query, types, rows):
    cursor = con.cursor()
    cursor.execute(query)
    assert [c[1] for c in cursor.description] == types
    assert cursor.fetchall() == rows


def test_a_set_operation_orders_zoned_timestamps_by_their_instant(con):
    cursor = con.cursor()
    cursor.execute("SELECT TIMESTAMP '2020-01-01 06:00:00 UTC' x UNION ALL "
                   "SELECT TIMESTAMP '2020-01-01 10:00:00 +05:00' ORDER BY x")
    assert [c[1] for c in cursor.description] == ["timestamp(0) with time zone"]
    assert [str(r[0]) for r in cursor.fetchall()] == ["2020-01-01 10:00:00+05:00", "2020-01-01 06:00:00+00:00"]
