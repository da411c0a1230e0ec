"""Timestamp literals of 7 to 9 digits whose use reads no digit beyond microseconds.

Spark's TIMESTAMP holds microseconds, so a ``timestamp(p)`` value of p > 6 is
refused (``types``).  Some uses of such a literal read nothing beyond the
microsecond, and are answered exactly from the literal cut to 6 digits:

- the fields ``year``, ``month``, ``day``, ``week``, ... and ``CAST(... AS DATE)``,
  ``last_day_of_month``: Trino floors, and flooring twice is flooring once;
- ``date_diff``: Trino diffs the epoch microseconds floored to milliseconds
  (``DateDiff`` on a ``LongTimestamp`` drops its picoseconds).

``CAST(literal AS TIME(q))`` with q <= 6 rounds half up to q digits, as Trino's cast
does (23:59:59.9999999 to TIME(0) wraps to 00:00:00: the time is the timestamp
rounded, modulo a day); the literal is rounded to q digits here, then cast.  To
time(7..9), or to a time with time zone (a zone that is a fixed offset or UTC), the
cast reads the literal's time of day as text (``times``, ``timetz`` round it).

``date_format`` of a ``timestamp(p) with time zone`` formats the instant rounded half
up to milliseconds (Trino's: 12:34:56.5555 shows ``%f`` as 556000, and so would every
field of 23:59:59.9995 show the next second).  A zoned literal there is rounded to 3
digits here; another zoned value of p > 3 is refused, Spark would show its digits.
"""
from __future__ import annotations

import re

from sqlglot import exp

from ...sql.trino.nodes import not_supported
from ...sql.trino.zones import split_literal
from ...sql.trino.typing import is_typed_literal, precision
from .literals import _TEXT, rounded_text

_TIMESTAMPS = (exp.DType.TIMESTAMP, exp.DType.TIMESTAMPTZ)
_FLOORED_BY = (exp.Year, exp.Month, exp.Day, exp.DayOfMonth, exp.Week, exp.WeekOfYear, exp.Quarter,
               exp.DayOfWeek, exp.DayOfWeekIso, exp.DayOfYear, exp.Hour, exp.Minute, exp.Second,
               exp.LastDay, exp.DateDiff)


def narrow_literals(tree: exp.Expression) -> None:
    _zoned_date_formats(tree)
    for cast in list(tree.find_all(exp.Cast)):
        if not is_typed_literal(cast) or cast.to.this not in _TIMESTAMPS or precision(cast.to) <= 6:
            continue
        parent, text = cast.parent, cast.this.name
        zoned = cast.to.this == exp.DType.TIMESTAMPTZ
        if isinstance(parent, _FLOORED_BY) or _is_cast_to(parent, exp.DType.DATE):
            new = _floored(text)
        elif _is_cast_to(parent, exp.DType.TIME) and precision(parent.to) <= 6:
            new = rounded_text(text, precision(parent.to), zoned)
        elif _is_cast_to(parent, exp.DType.TIME) or _is_cast_to(parent, exp.DType.TIMETZ):
            clock = _clock_text(text, zoned, parent.to.this == exp.DType.TIMETZ)
            if clock is not None:     # the time's text, which the cast reads (times, timetz)
                literal = exp.Literal.string(clock)
                literal.type = exp.DataType.build("VARCHAR")
                cast.replace(literal)
            continue
        else:
            continue
        if new is not None:
            _set_literal(cast, new, 6)


def _zoned_date_formats(tree: exp.Expression) -> None:
    for node in list(tree.find_all(exp.TimeToStr)):
        value = node.this
        typ = value.type
        if typ is None or typ.this != exp.DType.TIMESTAMPTZ or precision(typ) <= 3:
            continue
        if not is_typed_literal(value):
            raise not_supported(node, "date_format of a timestamp with time zone of more than 3 fractional "
                                      "digits is not supported on the Spark engine")
        new = rounded_text(value.this.name, 3, True)
        if new is not None:
            _set_literal(value, new, 3)


def _set_literal(cast: exp.Cast, text: str, p: int) -> None:
    """The typed literal `cast` as `text`, of type timestamp(p) (with its zone if it has one)."""
    zoned = cast.to.this == exp.DType.TIMESTAMPTZ
    typ = exp.DataType.build(f"TIMESTAMP({p}){' WITH TIME ZONE' if zoned else ''}",
                             dialect="trino")
    literal = exp.Literal.string(text)
    literal.type = cast.this.type
    cast.set("this", literal)
    cast.set("to", typ)
    cast.type = typ.copy()


def _clock_text(text: str, zoned: bool, with_offset: bool) -> str | None:
    """The time of day of a timestamp literal's text (with its offset: a fixed one only;
    None: not of the plain form, or a named zone)."""
    local, zone = split_literal(text) if zoned else (text, None)
    m = _TEXT.match(local)
    if not m or m.group(3):
        return None
    clock = f"{m.group(1).replace('T', ' ').split(' ')[1]}.{m.group(2)}"
    if not with_offset:
        return clock
    if zone == "UTC" or not zoned:
        return clock + "+00:00"
    return clock + zone if re.fullmatch(r"[+-]\d{2}:\d{2}", zone) else None


def _is_cast_to(node: exp.Expression | None, kind: exp.DType) -> bool:
    return isinstance(node, exp.Cast) and not isinstance(node, exp.TryCast) and node.to.this == kind


def _floored(text: str) -> str | None:
    """The literal's text cut to 6 fractional digits (None: not of the plain form)."""
    m = _TEXT.match(text)
    if not m:
        return None
    return f"{m.group(1)}.{m.group(2)[:6]}{m.group(3) or ''}"
