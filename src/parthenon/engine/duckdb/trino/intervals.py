"""Intervals as Trino has them: two types, their literals, fields, arithmetic and text.

Representation: a Trino ``interval day to second`` is a DuckDB INTERVAL holding
only microseconds (``to_milliseconds(n)``: Trino counts milliseconds, so no
day or month part that DuckDB would add by the calendar), an ``interval year to
month`` one holding only months (``to_months(n)``).  The Trino type
(``typing.interval``) says which.

Trino semantics covered:

- Literals with any qualifier (``DAY TO SECOND``, ``HOUR TO MINUTE``,
  ``YEAR TO MONTH``...), read by ``sql.trino.intervals`` (INVALID_LITERAL
  for text the qualifier does not allow).
- Text: ``12 10:45:32.123`` (day to second, with ``-`` before a negative
  one), ``124-5`` (year to month), as results and ``CAST(... AS VARCHAR)``.
- Fields: ``hour(i)``, ``EXTRACT(DAY FROM i)``... of the millisecond or month
  count (``hour(INTERVAL '27' HOUR)`` is 3), ``to_milliseconds``.
- ``interval * number``, ``interval / number`` truncated to whole
  milliseconds or months (NaN and division by zero are INVALID_FUNCTION_ARGUMENT);
  ``sum`` and ``avg`` of intervals.
- time(p) - time(p) (p <= 3) is an interval day to second.
- Date and time plus or minus an interval: DATE stays DATE (a day-second interval
  must be whole days); a zoned timestamp adds a day-second interval to its
  instant and a year-month interval to its wall clock, keeping its zone.

Knowingly not covered: intervals inside arrays or rows are shown as DuckDB's.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....errors import InvalidLiteral
from ....sql.trino import intervals as literal
from ....sql.trino.typing import interval_kind, precision
from .nodes import DATE, duck, fn, is_type, not_supported, position, string_literal


is_interval = literal.is_interval


def kind(node: exp.Expression) -> str:
    return interval_kind(node.type)


def millis(x: exp.Expression) -> exp.Expression:
    return duck("epoch_ms(_x)", _x=x)


def months(x: exp.Expression) -> exp.Expression:
    return duck("(datepart('year', _x) * 12 + datepart('month', _x))", _x=x)


def day_to_second(ms: exp.Expression) -> exp.Expression:
    return duck("to_milliseconds(CAST(_m AS BIGINT))", _m=ms)


def year_to_month(m: exp.Expression) -> exp.Expression:
    return duck("to_months(CAST(_m AS INTEGER))", _m=m)


def text(x: exp.Expression, kind_name: str) -> exp.Expression:
    """Trino's text of an interval: ``3 04:05:06.789`` (day to second), ``1-2`` (year to month)."""
    if kind_name.endswith(literal.YEAR_TO_MONTH):
        return duck("list_transform([_m], lambda m: "
                    "CASE WHEN m < 0 THEN '-' ELSE '' END || CAST(abs(m) // 12 AS VARCHAR) || '-' || "
                    "CAST(abs(m) % 12 AS VARCHAR))[1]", _m=months(x))
    return duck(
        "list_transform([_ms], lambda ms: "
        "CASE WHEN ms < 0 THEN '-' ELSE '' END || CAST(abs(ms) // 86400000 AS VARCHAR) || ' ' || "
        "lpad(CAST(abs(ms) // 3600000 % 24 AS VARCHAR), 2, '0') || ':' || "
        "lpad(CAST(abs(ms) // 60000 % 60 AS VARCHAR), 2, '0') || ':' || "
        "lpad(CAST(abs(ms) // 1000 % 60 AS VARCHAR), 2, '0') || '.' || "
        "lpad(CAST(abs(ms) % 1000 AS VARCHAR), 3, '0'))[1]", _ms=millis(x))


# --------------------------------------------------------------------------------------
# Literals
# --------------------------------------------------------------------------------------

def _interval(node: exp.Interval) -> exp.Expression | None:
    unit = node.args.get("unit")
    body = string_literal(node.this)
    if unit is None or body is None:
        return None
    if isinstance(unit, exp.IntervalSpan):
        start, end = unit.this.name, unit.expression.name
    else:
        start, end = unit.name, None
    if start.lower() not in literal.UNITS:
        # SQLGlot reads INTERVAL '12X' DAY as INTERVAL '12' X (aliased DAY)
        parent = node.parent
        qualifier = parent.alias.upper() if isinstance(parent, exp.Alias) else start.upper()
        raise InvalidLiteral(f"Invalid INTERVAL {qualifier} value: {body}{start}", *position(node))
    kind_name, count = literal.read_literal(body, start, end, *position(node))
    if kind_name == literal.YEAR_TO_MONTH:
        return fn("to_months", exp.Literal.number(count))
    return fn("to_milliseconds", exp.Literal.number(count))


# --------------------------------------------------------------------------------------
# Fields
# --------------------------------------------------------------------------------------

_DAY_FIELDS = {"millisecond": "_ms % 1000", "second": "_ms // 1000 % 60", "minute": "_ms // 60000 % 60",
               "hour": "_ms // 3600000 % 24", "day": "_ms // 86400000"}
_MONTH_FIELDS = {"month": "_m % 12", "year": "_m // 12"}


def field(x: exp.Expression, name: str) -> exp.Expression | None:
    """A field of an interval (None when Trino has no such field for its type)."""
    name = name.lower()
    if kind(x) == literal.YEAR_TO_MONTH:
        template = _MONTH_FIELDS.get(name)
        return duck(f"CAST({template} AS BIGINT)", _m=months(x)) if template else None
    template = _DAY_FIELDS.get(name)
    return duck(f"CAST({template} AS BIGINT)", _ms=millis(x)) if template else None


def _to_milliseconds(node: exp.Anonymous) -> exp.Expression:
    return millis(node.expressions[0])


# --------------------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------------------

def _scaled(interval: exp.Expression, factor: exp.Expression, divide: bool) -> exp.Expression:
    """interval * factor or interval / factor, truncated to whole milliseconds or months."""
    if divide:
        checked = duck("CASE WHEN isnan(CAST(_f AS DOUBLE)) THEN "
                       "error('INVALID_FUNCTION_ARGUMENT: Cannot divide by double NaN') "
                       "WHEN CAST(_f AS DOUBLE) = 0 THEN error('INVALID_FUNCTION_ARGUMENT: Cannot divide by zero') "
                       "ELSE 1 / CAST(_f AS DOUBLE) END", _f=factor)
    else:
        checked = duck("CASE WHEN isnan(CAST(_f AS DOUBLE)) THEN "
                       "error('INVALID_FUNCTION_ARGUMENT: Cannot multiply by double NaN') "
                       "ELSE CAST(_f AS DOUBLE) END", _f=factor)
    if kind(interval) == literal.YEAR_TO_MONTH:
        return year_to_month(duck("trunc(_m * _f)", _m=months(interval), _f=checked))
    return day_to_second(duck("trunc(_ms * _f)", _ms=millis(interval), _f=checked))


def multiply(node: exp.Mul) -> exp.Expression | None:
    operands = literal.scaling(node)
    return None if operands is None else _scaled(*operands, divide=False)


def divide(node: exp.Div) -> exp.Expression | None:
    operands = literal.scaling(node)
    return None if operands is None else _scaled(*operands, divide=True)


def plus(node: exp.Binary) -> exp.Expression | None:
    """A date, time or timestamp plus or minus an interval (either order for +)."""
    from .datetime import is_zoned, on_wall_clock
    from . import zoned

    value, interval = node.this, node.expression
    if isinstance(node, exp.Sub) and is_type(value, exp.DType.TIME) and is_type(interval, exp.DType.TIME):
        return _time_difference(node)
    if isinstance(node, exp.Sub) and is_zoned(value) and is_zoned(interval):
        return exp.Sub(this=zoned.instant_part(value), expression=zoned.instant_part(interval))
    if isinstance(node, exp.Add) and is_interval(value) and not is_interval(interval):
        value, interval = interval, value
    if not is_interval(interval):
        return None
    op = type(node)
    year_month = kind(interval) == literal.YEAR_TO_MONTH
    if is_zoned(value):
        if year_month:     # months count on the wall clock of the zone
            return on_wall_clock(value, lambda wall: op(this=wall, expression=interval))
        z = zoned.zone_of(value)
        return zoned.like(value, op(this=zoned.instant_part(value), expression=interval), z)
    if is_type(value, *DATE):
        moved = op(this=value, expression=interval)
        if year_month:
            return exp.Cast(this=moved, to=exp.DataType.build("DATE"))
        return duck("CASE WHEN _ms % 86400000 <> 0 THEN "
                    "error('INVALID_FUNCTION_ARGUMENT: Cannot add hour, minutes or seconds to a date') "
                    "ELSE CAST(_d AS DATE) END", _ms=millis(interval), _d=moved)
    if value is not node.this:
        return op(this=value, expression=interval)
    return None


def _time_difference(node: exp.Sub) -> exp.Expression:
    """time(p) - time(p): the interval day to second between them (``-0 11:11:11.111``
    when negative and under a day).  Kept for p <= 3, whose difference is whole
    milliseconds; Trino's rule for finer digits is not read here, so those are refused."""
    if any(precision(x.type) > 3 for x in (node.this, node.expression)):
        raise not_supported(node, "time(p) - time(p) is supported for p up to 3 only")
    return day_to_second(duck("(epoch_ms(_a) - epoch_ms(_b))", _a=node.this, _b=node.expression))


# --------------------------------------------------------------------------------------
# Aggregates
# --------------------------------------------------------------------------------------

def _aggregate(node: exp.Expression, template: str) -> exp.Expression | None:
    """An aggregate of intervals (``template`` over ``_n``), computed on their counts."""
    x = node.this
    if not is_interval(x):
        return None
    if kind(x) == literal.YEAR_TO_MONTH:
        return year_to_month(duck(template, _n=months(x)))
    return day_to_second(duck(template, _n=millis(x)))


def _sum(node: exp.Sum) -> exp.Expression | None:
    return _aggregate(node, "sum(_n)")


def average(node: exp.Avg) -> exp.Expression | None:
    return _aggregate(node, "trunc(avg(_n))")


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Interval: _interval,
    exp.Mul: multiply,
    exp.Sum: _sum,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "to_milliseconds": _to_milliseconds,
}
