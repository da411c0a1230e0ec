"""Numbers as Trino types them, through the DB-API over catalog tables (CSV files in a
folder): decimal precision and scale, exact decimal division, the published Athena
percentage query, rounding with digits from a column, Trino's numeric errors, CHAR(n)."""
from __future__ import annotations

from decimal import Decimal

import pytest

import parthenon
from parthenon.errors import InvalidCastArgument, NumericValueOutOfRange


@pytest.fixture()
def con(tmp_path):
    events = tmp_path / "events"
    events.mkdir()
    # 29 events, 3 of them errors: the AWS guide's "percentage of errors" gives 10.3
    rows = [f"{i},{'AccessDenied' if i % 9 == 0 else 'ok'},{i}.25,{i % 3},ab" for i in range(1, 30)]
    (events / "part-0.csv").write_text("\n".join(rows) + "\n")
    with parthenon.connect(home=tmp_path / "home") as c:
        c.execute(f"CREATE EXTERNAL TABLE events (id bigint, status string, price decimal(10,2), "
                  f"digits int, code char(4)) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' "
                  f"LOCATION '{events}'")
        yield c


def test_the_published_error_percentage_is_a_decimal_of_scale_one(con):
    cur = con.execute("SELECT count(*) * 100.0 / (SELECT count(*) FROM events) AS pct "
                      "FROM events WHERE status = 'AccessDenied'")
    assert [d[:2] for d in cur.description] == [("pct", "decimal(23,1)")]
    assert cur.fetchall() == [(Decimal("10.3"),)]


def test_decimal_columns_keep_trinos_precision_and_scale(con):
    cur = con.execute("SELECT price * 2, price + 1, price / 3, sum(price) OVER (), price % 2 "
                      "FROM events WHERE id = 7")
    assert [d[1] for d in cur.description] == [
        "decimal(20,2)", "decimal(13,2)", "decimal(10,2)", "decimal(38,2)", "decimal(10,2)"]
    assert cur.fetchall() == [(Decimal("14.50"), Decimal("8.25"), Decimal("2.42"),
                               Decimal("7.25"), Decimal("1.25"))]


def test_decimal_division_is_never_a_double(con):
    cur = con.execute("SELECT sum(price) / count(*), typeof(sum(price) / count(*)) FROM events")
    assert cur.description[0][1] == "decimal(38,2)"
    assert cur.fetchall() == [(Decimal("15.25"), "decimal(38,2)")]


def test_round_takes_its_digits_from_a_column(con):
    cur = con.execute("SELECT id, round(price, digits), round(CAST(price AS double), digits) "
                      "FROM events WHERE id IN (4, 5, 6) ORDER BY id")
    assert [d[1] for d in cur.description] == ["bigint", "decimal(11,2)", "double"]
    assert cur.fetchall() == [(4, Decimal("4.30"), 4.3), (5, Decimal("5.25"), 5.25),
                              (6, Decimal("6.00"), 6.0)]


def test_numeric_errors_have_trinos_codes(con):
    with pytest.raises(NumericValueOutOfRange):
        con.execute("SELECT id * 9223372036854775807 FROM events WHERE id = 2").fetchall()
    with pytest.raises(NumericValueOutOfRange):
        con.execute("SELECT CAST(id * 100 AS TINYINT) FROM events WHERE id = 2").fetchall()
    with pytest.raises(InvalidCastArgument):
        con.execute("SELECT CAST(price AS DECIMAL(2,1)) FROM events WHERE id = 20").fetchall()
    with pytest.raises(InvalidCastArgument):
        con.execute("SELECT CAST(status AS BIGINT) FROM events WHERE id = 1").fetchall()


def test_casts_round_half_away_from_zero(con):
    cur = con.execute("SELECT CAST(price AS BIGINT), CAST(-(CAST(price AS double) + 0.25) AS BIGINT) "
                      "FROM events WHERE id = 2")
    assert cur.fetchall() == [(2, -3)]


def test_char_columns_compare_without_trailing_spaces(con):
    cur = con.execute("SELECT count(*), min(code), length(min(code)) FROM events WHERE code = 'ab'")
    assert [d[1] for d in cur.description] == ["bigint", "char(4)", "bigint"]
    assert cur.fetchall() == [(29, "ab  ", 4)]


def test_values_rows_take_trinos_common_super_type(con):
    """Each VALUES column is of its rows' common super type, not the last row's (2.5
    shows as 2.50 beside 1.25), and a set operation's column of its branches'."""
    cur = con.execute("SELECT x FROM (VALUES 1.25, 2.5) t(x)")
    assert [d[1] for d in cur.description] == ["decimal(3,2)"]
    assert cur.fetchall() == [(Decimal("1.25"),), (Decimal("2.50"),)]
    cur = con.execute("SELECT x FROM (VALUES 1, 2.5) t(x)")
    assert [d[1] for d in cur.description] == ["decimal(11,1)"]
    assert cur.fetchall() == [(Decimal("1.0"),), (Decimal("2.5"),)]
    cur = con.execute("SELECT price FROM events WHERE id = 1 UNION ALL SELECT 7")
    assert [d[1] for d in cur.description] == ["decimal(12,2)"]
    assert sorted(cur.fetchall()) == [(Decimal("1.25"),), (Decimal("7.00"),)]
