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
rounded, modulo a day); the literal is rounded to q digits here, then cast.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.typing import is_typed_literal, precision
from .literals import _TEXT, rounded_text

_TIMESTAMPS = (exp.DType.TIMESTAMP, exp.DType.TIMESTAMPTZ)
_FLOORED_BY = (exp.Year, exp.Month, exp.Day, exp.DayOfMonth, exp.Week, exp.WeekOfYear, exp.Quarter,
               exp.DayOfWeek, exp.DayOfWeekIso, exp.DayOfYear, exp.Hour, exp.Minute, exp.Second,
               exp.LastDay, exp.DateDiff)


def narrow_literals(tree: exp.Expression) -> None:
    for cast in list(tree.find_all(exp.Cast)):
        if not is_typed_literal(cast) or cast.to.this not in _TIMESTAMPS or precision(cast.to) <= 6:
            continue
        parent, text = cast.parent, cast.this.name
        zoned = cast.to.this == exp.DType.TIMESTAMPTZ
        if isinstance(parent, _FLOORED_BY) or _is_cast_to(parent, exp.DType.DATE):
            new = _floored(text)
        elif _is_cast_to(parent, exp.DType.TIME) and precision(parent.to) <= 6:
            new = rounded_text(text, precision(parent.to), zoned)
        else:
            continue
        if new is None:
            continue
        typ = exp.DataType.build(f"{'TIMESTAMP WITH TIME ZONE' if zoned else 'TIMESTAMP'}(6)", dialect="trino")
        literal = exp.Literal.string(new)
        literal.type = cast.this.type
        cast.set("this", literal)
        cast.set("to", typ)
        cast.type = typ.copy()


def _is_cast_to(node: exp.Expression | None, kind: exp.DType) -> bool:
    return isinstance(node, exp.Cast) and not isinstance(node, exp.TryCast) and node.to.this == kind


def _floored(text: str) -> str | None:
    """The literal's text cut to 6 fractional digits (None: not of the plain form)."""
    m = _TEXT.match(text)
    if not m:
        return None
    return f"{m.group(1)}.{m.group(2)[:6]}{m.group(3) or ''}"
