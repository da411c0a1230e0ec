"""Typed literals Spark would read otherwise: checked, and rounded as Trino casts.

``DATE 'x'``, ``TIMESTAMP '2020-13-01'``, ``TIME '25:00:00'``, ``DECIMAL 'x'`` are
INVALID_LITERAL at translation, as in Trino (Spark's cast fails as the query runs, INVALID_CAST_ARGUMENT).

Timestamp literals of more fractional digits than Spark keeps are rounded:
Spark's TIMESTAMP holds microseconds; Trino's timestamp(p) up to picoseconds.  A
literal cast to p <= 6 digits (``CAST(TIMESTAMP '... .123456789' AS TIMESTAMP(3))``,
``CAST('... .123456789' AS TIMESTAMP(6))``) is rounded here, half up as Trino
rounds, before Spark reads it (Spark would cut the digits).  Zoned literals keep
their zone.  A value that stays of p > 6 digits is refused (``types``).
"""
from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from sqlglot import exp

from ...errors import InvalidLiteral
from ...sql.trino import prepare
from ...sql.trino.nodes import not_supported, string_literal
from ...sql.trino.positions import position
from ...sql.trino.typing import is_typed_literal, precision

_TEXT = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}:\d{2})\.(\d+)(\s+\S.*)?\s*$")
_TIMESTAMPS = (exp.DType.TIMESTAMP, exp.DType.TIMESTAMPTZ)


def rounded_text(text: str, p: int, zoned: bool) -> str | None:
    """The literal's text rounded to p fractional digits (None: it has no more than p, or
    a zone where the target has none)."""
    m = _TEXT.match(text)
    if not m or len(m.group(2)) <= p or m.group(3) and not zoned:
        return None
    base = datetime.datetime.strptime(m.group(1).replace("T", " "), "%Y-%m-%d %H:%M:%S")
    fraction = Decimal("0." + m.group(2)).quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP)
    moved = base + datetime.timedelta(microseconds=int(fraction * 1_000_000))
    out = moved.strftime("%Y-%m-%d %H:%M:%S")
    if p:
        out += "." + f"{moved.microsecond:06d}"[:p]
    return out + (m.group(3) or "")


def round_timestamp_literals(tree: exp.Expression) -> None:
    for cast in list(tree.find_all(exp.Cast)):
        to = cast.to
        if to.this not in _TIMESTAMPS or precision(to) > 6:
            continue
        inner = cast.this
        if isinstance(inner, exp.Cast) and inner.to.this == to.this and string_literal(inner.this) is not None:
            inner = inner.this          # a typed literal cast again: round its text once, to p
        text = string_literal(inner)
        new = rounded_text(text, precision(to), to.this == exp.DType.TIMESTAMPTZ) if text is not None else None
        if new is not None:
            literal = exp.Literal.string(new)
            literal.type = inner.type
            cast.set("this", literal)


# Trino reads a DATE as Joda's ISO date: a signed year of up to 9 digits ('13-2-2' is the
# year 13, '02013' is 2013), month and day of one or two digits
_DATE = re.compile(r"^\s*([+-]?\d{1,9})-(\d{1,2})-(\d{1,2})\s*$")
# Trino's reading: a signed year of 4 digits or more, minutes and seconds of one or two
# digits, a zone right after the time
_TIMESTAMP = re.compile(r"^\s*([+-]?\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,12}))?)?)?"
                        r"(\s*[^\s\d.:].*)?\s*$")
# Spark's TIMESTAMP holds the years -290308 .. 294247 (its DATE more): further ones are refused
_SPARK_YEARS = 290308
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?\s*$")
_DECIMAL = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$")


def check_typed_literals(tree: exp.Expression) -> None:
    """INVALID_LITERAL for a DATE, TIMESTAMP, DECIMAL or integer literal Trino cannot read (an
    integer out of its type's range: ``TINYINT '128'``; a timestamp of more than 12
    fractional digits)."""
    for cast in tree.find_all(exp.Cast):
        if not is_typed_literal(cast):
            continue
        kind, text = cast.to.this, cast.this.name
        if kind in prepare.INTEGER_LITERALS:
            if not prepare.integer_literal_valid(kind, text):
                raise InvalidLiteral(f"'{text}' is not a valid {prepare.INTEGER_LITERALS[kind][0]} literal",
                                     *position(cast))
            continue
        if kind == exp.DType.DECIMAL:
            ok = bool(_DECIMAL.match(text))
        elif kind == exp.DType.TIME:
            m = _TIME.match(text)
            ok = m is not None and int(m.group(1)) < 24 and int(m.group(2)) < 60 and int(m.group(3) or 0) < 60
        elif kind in (exp.DType.DATE, *_TIMESTAMPS):
            m = (_DATE if kind == exp.DType.DATE else _TIMESTAMP).match(text)
            ok = m is not None and _valid_date(m)
            if ok:
                _spark_year(cast, m)
        else:
            continue
        if not ok:
            name = {exp.DType.DATE: "date", exp.DType.DECIMAL: "decimal",
                    exp.DType.TIME: "time"}.get(kind, "timestamp")
            raise InvalidLiteral(f"'{text}' is not a valid {name} literal", *position(cast))


def _valid_date(m: re.Match) -> bool:
    """A day of the proleptic Gregorian calendar (Joda's ISO chronology, Spark's: year 0
    and negative years too), and a time of the day."""
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if not (1 <= month <= 12 and 1 <= day <= (29 if leap and month == 2 else _DAYS[month - 1])):
        return False
    groups = m.groups()
    if len(groups) > 3 and groups[3] is not None:
        return int(groups[3]) < 24 and int(groups[4]) < 60 and int(groups[5] or 0) < 60
    return True


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _spark_year(cast: exp.Cast, m: re.Match) -> None:
    """The literal's text with the year as Spark reads it (four digits or more, a sign on
    a longer one: ``+123001``, ``-0013``), where Trino's text has another form (``13-2-2``,
    ``+2013``, ``02013``); a year Spark cannot hold is refused."""
    written = m.group(1)
    year = int(written)
    if cast.to.this == exp.DType.DATE and not -2**31 <= _epoch_day(year, int(m.group(2)), int(m.group(3))) < 2**31:
        # Trino's DATE is days since 1970 in an int
        raise InvalidLiteral(f"'{cast.this.name}' is not a valid date literal", *position(cast))
    if abs(year) > _SPARK_YEARS:
        raise not_supported(cast, f"The year {year} is not supported on the Spark engine")
    if re.fullmatch(r"\d{4}", written) and cast.to.this != exp.DType.DATE:
        return
    if cast.to.this == exp.DType.TIMESTAMPTZ:     # (zones.split_literal reads four digits)
        if abs(_epoch_day(year, int(m.group(2)), int(m.group(3)))) * 86_400_000 >= 2**51:
            # Trino packs a zoned timestamp's UTC millis in 52 bits: beyond them the literal is invalid
            raise InvalidLiteral(f"'{cast.this.name}' is not a valid timestamp literal", *position(cast))
        raise not_supported(cast, "A zoned timestamp literal of this year is not supported on the Spark engine")
    sign = "-" if year < 0 else "+" if year > 9999 else ""
    text = cast.this.name
    rest = text[m.end(1):].strip() if cast.to.this != exp.DType.DATE else \
        f"-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    new = f"{sign}{abs(year):04d}{rest}"
    if new != text:
        literal = exp.Literal.string(new)
        literal.type = cast.this.type
        cast.set("this", literal)


def _epoch_day(y: int, m: int, d: int) -> int:
    """Days from 1970-01-01 to a day of the proleptic Gregorian calendar."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
