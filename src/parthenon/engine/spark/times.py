"""Trino's TIME(p) on Spark: a TIMESTAMP on 1970-01-01 (UTC, the session zone).

Spark has no time-of-day type; a TIMESTAMP whose date is 1970-01-01 holds one
with its fields (``hour``, ``EXTRACT``), comparisons and ``date_trunc`` as Trino
has them.  Rewritten here: literals and casts (``CAST(ts AS TIME)`` keeps the
time of day), arithmetic and ``date_add`` wrap around midnight (Trino's), a time less
a time is a day-second interval, the
text ``03:04:05.321`` with p fractional digits (a result column, ``CAST(... AS
VARCHAR)``).  Any other use of a TIME value is refused (``refuse_other_uses``).

A time(7..9) (nanoseconds, ``is_nanos``) is a BIGINT on Spark: its nanoseconds since
midnight.  It is made by literals and casts (from a time, a timestamp, a time with
time zone: its wall clock, rounded half up to p digits and wrapping at midnight),
cast to time(q) or text (``12:34:56.123456700``), and shown; any other use of it is
refused.  Time with time zone is ``timetz``.
"""
from __future__ import annotations

import re

from sqlglot import exp

from ...sql.trino import units
from ...errors import InvalidLiteral
from ...sql.trino.nodes import is_type, not_supported, string_literal
from ...sql.trino.positions import position
from ...sql.trino.typing import TEXT, precision
from .intervals import millis
from .templates import call, spark

DType = exp.DType
_DAY_MICROS = 86_400_000_000
_DAY_NANOS = _DAY_MICROS * 1000
_TEXT = re.compile(r"^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?\s*$")
_ALLOWED_PARENTS = (exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE, exp.Between, exp.NullSafeEQ,
                    exp.NullSafeNEQ, exp.Hour, exp.Minute, exp.Second, exp.Extract, exp.Select, exp.Tuple,
                    exp.Values, exp.Paren, exp.Alias, exp.Subquery, exp.Cast, exp.Ordered, exp.Add, exp.Sub,
                    exp.TimestampTrunc, exp.DateTrunc, exp.DateAdd, exp.DateDiff, exp.Typeof,
                    exp.Format)   # formatting reads its wall clock
_ALLOWED_FUNCTIONS = {"millisecond", "typeof"}


def is_time(node: exp.Expression | None) -> bool:
    return is_type(node, DType.TIME)


def is_nanos(node: exp.Expression | None) -> bool:
    """A time(7..9): nanoseconds since midnight (a BIGINT on Spark)."""
    return is_time(node) and precision(node.type) > 6


_NANOS_PARENTS = (exp.Select, exp.Alias, exp.Paren, exp.Subquery, exp.Cast, exp.Typeof)


def refuse_other_uses(tree: exp.Expression) -> None:
    for node in tree.walk():
        if not is_time(node) or isinstance(node, exp.DataType):
            continue
        parent = node.parent
        if is_nanos(node) and not isinstance(parent, _NANOS_PARENTS) and not (
                isinstance(parent, exp.Anonymous) and parent.name.lower() == "typeof"):
            raise not_supported(node, f"This use of a time({precision(node.type)}) value is not supported on the "
                                      "Spark engine")
        if isinstance(parent, exp.Anonymous) and parent.name.lower() in _ALLOWED_FUNCTIONS:
            continue
        if parent is not None and not isinstance(parent, _ALLOWED_PARENTS):
            raise not_supported(node, "This use of a time value is not supported on the Spark engine")


def text(x: exp.Expression, p: int) -> exp.Expression:
    if p > 6:
        if isinstance(x, exp.Literal):
            return exp.Literal.string(_clock(int(x.name), p))
        return spark(f"CONCAT(DATE_FORMAT(TIMESTAMP_MICROS(_n DIV 1000), 'HH:mm:ss'), '.', "
                     f"SUBSTR(LPAD(CAST(_n % 1000000000 AS STRING), 9, '0'), 1, {p}))", _n=x)
    return call("DATE_FORMAT", x, exp.Literal.string("HH:mm:ss" + (f".{'S' * p}" if p else "")))


def _clock(n: int, p: int) -> str:
    """``12:34:56.123`` of nanoseconds since midnight, p fractional digits."""
    seconds, fraction = divmod(n, 10**9)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" + (f".{fraction:09d}"[:p + 1] if p else "")


def read_literal(node: exp.Expression, written: str) -> tuple[int, int]:
    """(nanoseconds since midnight, digits written) of a time's text; INVALID_LITERAL
    for what Trino refuses, NOT_SUPPORTED past nanoseconds."""
    m = _TEXT.match(written)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59 or int(m.group(3) or 0) > 59 \
            or len(m.group(4) or "") > 12:
        raise InvalidLiteral(f"'{written}' is not a valid time literal", *position(node))
    digits = m.group(4) or ""
    if len(digits) > 9 and digits[9:].strip("0"):
        raise not_supported(node, "A time with more than 9 fractional digits is not supported on the Spark engine")
    seconds = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)
    return seconds * 10**9 + int(digits[:9].ljust(9, "0")), len(digits)


def round_nanos(n, p: int):
    """Nanoseconds since midnight (an int or an expression) rounded half up to p digits,
    wrapped at midnight."""
    unit = 10 ** (9 - p)
    if unit == 1:
        return n
    if isinstance(n, int):
        return (n + unit // 2) // unit * unit % _DAY_NANOS
    return spark(f"PMOD((_n + {unit // 2}) DIV {unit} * {unit}, {_DAY_NANOS})", _n=n)


def of_nanos(n, p: int) -> exp.Expression:
    """The time(p) of nanoseconds since midnight (an int or an expression), rounded to p
    digits: a BIGINT past 6 digits, else a TIMESTAMP on 1970-01-01."""
    n = round_nanos(n, p)
    if p > 6:
        # in parentheses: the node keeps its Trino type (a Cast's is the type it names)
        return exp.Literal.number(n) if isinstance(n, int) else exp.Paren(this=spark("CAST(_n AS BIGINT)", _n=n))
    if isinstance(n, int):
        return spark(f"TIMESTAMP_MICROS({n // 1000})")
    return spark("TIMESTAMP_MICROS(_n DIV 1000)", _n=n)


def nanos_of_day(x: exp.Expression) -> exp.Expression:
    """A time's (or a timestamp's wall clock's) nanoseconds since midnight."""
    if is_nanos(x):
        return x
    return spark("_m * 1000", _m=_of_day(x))


def _wrapped(micros: exp.Expression) -> exp.Expression:
    """A time of day from microseconds since midnight, wrapped into one day."""
    return spark(f"TIMESTAMP_MICROS(PMOD(_m, {_DAY_MICROS}))", _m=micros)


def _of_day(t: exp.Expression) -> exp.Expression:
    return spark(f"PMOD(UNIX_MICROS(CAST(_t AS TIMESTAMP)), {_DAY_MICROS})", _t=t)


def rounded(t: exp.Expression, source: int, p: int) -> exp.Expression:
    """A timestamp of `source` fractional digits rounded (half up) to p, as Trino casts."""
    if p >= source or p >= 6:
        return t
    unit = 10 ** (6 - p)
    return spark(f"TIMESTAMP_MICROS(CAST(ROUND(UNIX_MICROS(_t) / {unit}) * {unit} AS BIGINT))", _t=t)


def of_wall_clock(t: exp.Expression) -> exp.Expression:
    """The time of day of a timestamp (a wall clock)."""
    return _wrapped(_of_day(t))


def _cast(node: exp.Cast) -> exp.Expression | None:
    x, to = node.this, node.to
    if to.this == DType.TIME and (precision(to) > 6 or is_nanos(x) or string_literal(x) is not None):
        value = string_literal(x)
        if value is not None:
            return of_nanos(read_literal(node, value)[0], precision(to))
        if isinstance(x, exp.Literal) and is_nanos(x):
            return of_nanos(int(x.name), precision(to))
        if is_time(x) or is_type(x, DType.TIMESTAMP):
            return of_nanos(nanos_of_day(x), precision(to))
        raise not_supported(node, "This cast to time is not supported on the Spark engine")
    if to.this == DType.TIME:
        if is_time(x):     # the value rounded to p, shown with p digits (the target's type)
            held = x if precision(to) >= precision(x.type) else _wrapped(_of_day(
                rounded(x, precision(x.type), precision(to))))      # rounding past midnight wraps
            held.type = to.copy()
            return held
        if is_type(x, DType.TIMESTAMP):
            return _wrapped(_of_day(rounded(x, precision(x.type), precision(to))))
        raise not_supported(node, "This cast to time is not supported on the Spark engine")
    if is_time(x):
        if to.this in TEXT:
            return text(x, precision(x.type))
        raise not_supported(node, "A cast of a time value is not supported on the Spark engine")
    return None


def _plus(node: exp.Binary) -> exp.Expression | None:
    value, interval = node.this, node.expression
    if isinstance(node, exp.Add) and is_time(interval):
        value, interval = interval, value
    if not is_time(value):
        return None
    if isinstance(node, exp.Sub) and is_time(interval) and not is_nanos(value) and not is_nanos(interval):
        return exp.Sub(this=value, expression=interval)     # a day-second interval, as Trino's
    if not is_type(interval, DType.INTERVAL):
        raise not_supported(node, "This arithmetic on time values is not supported on the Spark engine")
    sign = "-" if isinstance(node, exp.Sub) else "+"
    return _wrapped(spark(f"_t {sign} _ms * 1000", _t=_of_day(value), _ms=millis(interval)))


_MICROS = {"millisecond": 1000, "second": 1_000_000, "minute": 60_000_000, "hour": 3_600_000_000}


def _duration(node: exp.Expression, function: str) -> str:
    """The constant unit of a function over times: one shorter than a day, or refused."""
    unit = node.args.get("unit")
    name = unit.name.lower() if isinstance(unit, (exp.Var, exp.Literal)) else ""
    if name not in units.DURATIONS:
        raise not_supported(node, f"Function '{function}' of a time with this unit is not supported on the "
                                  "Spark engine")
    return name


def _date_add(node: exp.DateAdd) -> exp.Expression | None:
    if not is_time(node.this):
        return None
    name = _duration(node, "date_add")
    return _wrapped(spark(f"_t + CAST(_n AS BIGINT) * {_MICROS[name]}", _t=_of_day(node.this), _n=node.expression))


def _date_diff(node: exp.DateDiff) -> exp.Expression | None:
    a, b = node.expression, node.this
    if not (is_time(a) or is_time(b)):
        return None
    name = _duration(node, "date_diff")
    return exp.Cast(this=call("TIMESTAMPDIFF", exp.Var(this=name.upper()), a, b), to=exp.DataType.build("BIGINT"))


def _trunc(node: exp.Expression) -> exp.Expression | None:
    if not is_time(node.this):
        return None
    return call("DATE_TRUNC", exp.Literal.string(_duration(node, "date_trunc").upper()), node.this)


CLASS_REWRITES = {
    exp.Cast: _cast,
    exp.Add: _plus,
    exp.Sub: _plus,
    exp.DateAdd: _date_add,
    exp.DateDiff: _date_diff,
    exp.TimestampTrunc: _trunc,
    exp.DateTrunc: _trunc,
}
ANONYMOUS_REWRITES: dict = {}
