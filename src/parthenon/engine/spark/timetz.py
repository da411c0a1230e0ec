"""Trino's TIME(p) WITH TIME ZONE on Spark: the wall clock's nanoseconds and the offset.

Spark has no time type, so a ``time(p) with time zone`` is the Spark struct
``NAMED_STRUCT('nanos', BIGINT, 'offset', INT)``:

- ``nanos``: the wall clock's nanoseconds since midnight (0 .. 86399999999999),
  already rounded to the type's p digits (p up to 9; 10..12 are refused: picoseconds);
- ``offset``: the fixed offset from UTC in minutes (-840 .. 840).

Every expression whose Trino type is a time with time zone has this form (``make``).
Kept as Trino has them:

- literals (``TIME '12:34:56.123+08:35'``) checked at translation (an hour past 23,
  an offset past +-14:00: INVALID_LITERAL);
- casts to time(q) with time zone round half up to q digits and wrap at midnight;
  from a time or a timestamp their wall clock in the session zone (UTC, offset 0);
  from a timestamp with time zone its wall clock and the zone's offset at its instant;
- casts to time(q) (``times``) keep the wall clock, rounded; to text
  Trino's ``12:34:56.1+08:35`` (p digits), as is a result column;
- comparisons (``=``, ``<``, ``IS DISTINCT FROM``, ``BETWEEN``, ``IN``, ``ORDER BY``,
  ``min``/``max``) read the instant of the day modulo 24 hours, as Trino does
  (``TIME '00:00:00+14:00' = TIME '00:00:00-10:00'``);
- ``hour``, ``minute``, ``second``, ``millisecond``, ``EXTRACT`` read the wall clock,
  ``timezone_hour``/``timezone_minute`` the offset; ``date_diff`` of units up to an
  hour counts whole units between the instants (a day or more is
  INVALID_FUNCTION_ARGUMENT, as Trino's); ``date_trunc`` and ``date_add`` of units up
  to an hour move the wall clock (wrapping at midnight), keeping the offset;
- ``current_time``: the session's (UTC) time of day, to milliseconds.

Arrays, maps and rows written in place as operands of a comparison hold the instants
of the day (``rows``).  Any other use is refused (NOT_SUPPORTED): grouping, DISTINCT,
other values inside arrays, maps and rows (Spark would compare the struct, ``types``),
casts to other types.
"""
from __future__ import annotations

import re

from sqlglot import exp

from ...errors import InvalidFunctionArgument, InvalidLiteral
from ...sql.trino.nodes import is_type, not_supported, string_literal
from ...sql.trino.positions import position
from ...sql.trino.typing import TEXT, precision
from . import rows
from .templates import call, spark
from .times import nanos_of_day, of_nanos, round_nanos as _round

DType = exp.DType
DAY_NANOS = 86_400_000_000_000
MAX_PRECISION = 9           # nanoseconds: Trino's 10..12 digits are refused
_MINUTE_NANOS = 60_000_000_000
_LITERAL = re.compile(r"^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?\s*([+-])(\d{1,2}):(\d{1,2})\s*$")
_NANOS_PER = {"millisecond": 10**6, "second": 10**9, "minute": 60 * 10**9, "hour": 3600 * 10**9}


def is_timetz(node: exp.Expression | None) -> bool:
    return is_type(node, DType.TIMETZ)


# --------------------------------------------------------------------------------------
# The value
# --------------------------------------------------------------------------------------


def make(nanos: exp.Expression | int, offset: exp.Expression | int) -> exp.Expression:
    """The struct of a wall clock's nanoseconds of the day and an offset in minutes (ints:
    a constant, folded at translation where read)."""
    constant = (nanos, offset) if isinstance(nanos, int) and isinstance(offset, int) else None
    n = exp.Literal.number(nanos) if isinstance(nanos, int) else nanos
    o = exp.Literal.number(offset) if isinstance(offset, int) else offset
    node = call("NAMED_STRUCT", exp.Literal.string("nanos"), exp.Cast(this=n, to=exp.DataType.build("BIGINT")),
                exp.Literal.string("offset"), exp.Cast(this=o, to=exp.DataType.build("INT")))
    if constant is not None:
        node.meta["timetz_constant"] = constant
    elif not isinstance(n, exp.Literal) or not isinstance(o, exp.Literal):     # NULL parts: a NULL value
        node = spark("CASE WHEN _n IS NOT NULL AND _o IS NOT NULL THEN _s END", _n=n, _o=o, _s=node)
    node.meta["timetz_parts"] = (n, o)
    return node


def _constant(x: exp.Expression) -> tuple[int, int] | None:
    return x.meta.get("timetz_constant")


def _part(x: exp.Expression, index: int, name: str) -> exp.Expression:
    parts = x.meta.get("timetz_parts")
    if parts is not None:
        return parts[index].copy()
    return exp.Dot(this=exp.Paren(this=x.copy()) if not isinstance(x, exp.Column) else x.copy(),
                   expression=exp.to_identifier(name))


def nanos(x: exp.Expression) -> exp.Expression:
    """The wall clock's nanoseconds since midnight (BIGINT)."""
    return _part(x, 0, "nanos")


def offset(x: exp.Expression) -> exp.Expression:
    """The offset from UTC, in minutes (INT)."""
    return _part(x, 1, "offset")


def _typed(node: exp.Expression, typ: str) -> exp.Expression:
    node.type = exp.DataType.build(typ)
    return node


def day_nanos(x: exp.Expression) -> exp.Expression:
    """The instant of the day in UTC, nanoseconds modulo 24 hours: what Trino compares."""
    constant = _constant(x)
    if constant is not None:
        return _typed(exp.Literal.number((constant[0] - constant[1] * _MINUTE_NANOS) % DAY_NANOS), "BIGINT")
    return _typed(spark(f"PMOD(_n - CAST(_o AS BIGINT) * {_MINUTE_NANOS}, {DAY_NANOS})", _n=nanos(x), _o=offset(x)),
                  "BIGINT")


def _utc_nanos(x: exp.Expression) -> exp.Expression:
    """The wall clock less the offset (from -14 to +38 hours): the instant on day 0."""
    return spark(f"_n - CAST(_o AS BIGINT) * {_MINUTE_NANOS}", _n=nanos(x), _o=offset(x))


def wall_time(x: exp.Expression) -> exp.Expression:
    """The wall clock as a Spark time of day (``times``: a TIMESTAMP on 1970-01-01),
    cut to microseconds (fields floor)."""
    return _typed(spark("TIMESTAMP_MICROS(_n DIV 1000)", _n=nanos(x)), "TIMESTAMP")


def _offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def text(x: exp.Expression, p: int) -> exp.Expression:
    """Trino's text: ``12:34:56.123+08:35`` (p fractional digits)."""
    constant = _constant(x)
    if constant is not None:
        n, o = constant
        seconds, fraction = divmod(n, 10**9)
        clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        return exp.Literal.string(clock + (f".{fraction:09d}"[:p + 1] if p else "") + _offset_text(o))
    fraction = f", '.', SUBSTR(LPAD(CAST(_n % 1000000000 AS STRING), 9, '0'), 1, {p})" if p else ""
    return spark("CONCAT(DATE_FORMAT(TIMESTAMP_MICROS(_n DIV 1000), 'HH:mm:ss')" + fraction +
                 ", CASE WHEN _o < 0 THEN '-' ELSE '+' END, LPAD(CAST(ABS(_o) DIV 60 AS STRING), 2, '0'), ':', "
                 "LPAD(CAST(ABS(_o) % 60 AS STRING), 2, '0'))", _n=nanos(x), _o=offset(x))


# --------------------------------------------------------------------------------------
# Literals and casts
# --------------------------------------------------------------------------------------


def read_literal(node: exp.Expression, written: str) -> tuple[int, int, int]:
    """(nanoseconds of the day, offset minutes, digits written) of Trino's time with time
    zone text ``12:34:56.123+08:35``; INVALID_LITERAL for what Trino refuses."""
    m = _LITERAL.match(written)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59 or int(m.group(3) or 0) > 59 \
            or int(m.group(7)) > 59 or int(m.group(6)) * 60 + int(m.group(7)) > 14 * 60 \
            or len(m.group(4) or "") > 12:
        raise InvalidLiteral(f"'{written}' is not a valid TIME literal", *position(node))
    digits = m.group(4) or ""
    if len(digits) > MAX_PRECISION:
        raise not_supported(node, f"time({len(digits)}) with time zone is not supported on the Spark engine "
                                  f"(nanoseconds at most)")
    seconds = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)
    minutes = int(m.group(6)) * 60 + int(m.group(7))
    return seconds * 10**9 + int(digits.ljust(9, "0")), -minutes if m.group(5) == "-" else minutes, len(digits)


def _check_precision(node: exp.Expression, p: int) -> None:
    if p > 12:
        raise InvalidLiteral(f"TIME WITH TIME ZONE precision must be in range [0, 12]: {p}", *position(node))
    if p > MAX_PRECISION:
        raise not_supported(node, f"time({p}) with time zone is not supported on the Spark engine "
                                  f"(nanoseconds at most)")


def _cast_to(node: exp.Cast) -> exp.Expression:
    from . import times, zoned          # times and zoned read this module's values too
    x, p = node.this, precision(node.to)
    _check_precision(node, p)
    written = string_literal(x)
    if written is not None:
        n, o, _ = read_literal(node, written)
        return make(_round(n, p), o)
    if is_timetz(x):
        constant = _constant(x)
        if constant is not None:
            return make(_round(constant[0], p), constant[1])
        if p >= precision(x.type):
            return x
        return make(_round(nanos(x), p), offset(x))
    if zoned.is_zoned(x):
        return make(_round(nanos_of_day(zoned.wall(x)), p), zoned.offset_minutes(x))
    if times.is_time(x) or is_type(x, DType.TIMESTAMP):   # the wall clock in the session zone (UTC)
        return make(_round(nanos_of_day(x), p), 0)
    raise not_supported(node, "This cast to time with time zone is not supported on the Spark engine")


def _cast(node: exp.Cast) -> exp.Expression | None:
    if node.to.this == DType.TIMETZ:
        return _cast_to(node)
    x = node.this
    if not is_timetz(x):
        return None
    to = node.to
    if to.this in TEXT:
        return text(x, precision(x.type))
    if to.this == DType.TIME:      # the wall clock, rounded
        constant = _constant(x)
        return of_nanos(constant[0] if constant is not None else nanos(x), precision(to))
    raise not_supported(node, f"A cast of a time with time zone to {to.sql('trino').lower()} is not supported on "
                              "the Spark engine")


# --------------------------------------------------------------------------------------
# Functions
# --------------------------------------------------------------------------------------


def _unit(node: exp.Expression) -> str:
    unit = node.args.get("unit")
    return unit.name.lower() if isinstance(unit, (exp.Var, exp.Literal)) else ""


def _date_diff(node: exp.DateDiff) -> exp.Expression | None:
    a, b = node.expression, node.this
    if not (is_timetz(a) or is_timetz(b)):
        return None
    if not (is_timetz(a) and is_timetz(b)):
        raise not_supported(node, "Function 'date_diff' of a time with time zone and another type is not "
                                  "supported on the Spark engine")
    unit = _unit(node)
    if unit not in _NANOS_PER:
        if not unit:
            raise not_supported(node, "Function 'date_diff' with a unit that is not a constant is not supported "
                                      "on the Spark engine")
        raise InvalidFunctionArgument(f"'{unit}' is not a valid Time field", *position(node))
    return spark(f"CAST((_b - _a) DIV {_NANOS_PER[unit]} AS BIGINT)", _a=_utc_nanos(a), _b=_utc_nanos(b))


def _on_wall_clock(node: exp.Expression, function: str, compute) -> exp.Expression | None:
    x = node.this
    if not is_timetz(x):
        return None
    unit = _unit(node)
    if unit not in _NANOS_PER:
        if not unit:
            raise not_supported(node, f"Function '{function}' with a unit that is not a constant is not "
                                      "supported on the Spark engine")
        raise InvalidFunctionArgument(f"'{unit}' is not a valid Time field", *position(node))
    return make(compute(nanos(x), _NANOS_PER[unit]), offset(x))


def _trunc(node: exp.Expression) -> exp.Expression | None:
    return _on_wall_clock(node, "date_trunc", lambda n, unit: spark(f"_n - _n % {unit}", _n=n))


def _date_add(node: exp.DateAdd) -> exp.Expression | None:
    return _on_wall_clock(node, "date_add", lambda n, unit: spark(
        f"PMOD(_n + CAST(_k AS BIGINT) * {unit}, {DAY_NANOS})", _n=n, _k=node.expression))


def _timezone_field(name: str):
    def rewrite(node: exp.Expression) -> exp.Expression | None:
        x = node.expressions[0] if isinstance(node, exp.Anonymous) else node.expression
        if not is_timetz(x):
            return None
        field = "_o DIV 60" if name == "timezone_hour" else "_o % 60"
        return spark(f"CAST({field} AS BIGINT)", _o=offset(x))
    return rewrite


def _extract(node: exp.Extract) -> exp.Expression | None:
    unit = node.this.name.lower() if isinstance(node.this, (exp.Var, exp.Identifier, exp.Column)) else ""
    if unit in ("timezone_hour", "timezone_minute") and is_timetz(node.expression):
        return _timezone_field(unit)(node)
    return None


def _extreme(name: str):
    def rewrite(node: exp.Expression) -> exp.Expression | None:
        if not is_timetz(node.this):
            return None
        return call(name, node.this, day_nanos(node.this))
    return rewrite


def _now(node: exp.Expression) -> exp.Expression:
    p = precision(node.type) if node.type is not None else 3
    return make(_round(spark("PMOD(UNIX_MILLIS(CURRENT_TIMESTAMP()), 86400000) * 1000000"), min(p, 3)), 0)


CLASS_REWRITES = {
    exp.Cast: _cast,
    exp.DateDiff: _date_diff,
    exp.DateAdd: _date_add,
    exp.TimestampTrunc: _trunc,
    exp.DateTrunc: _trunc,
    exp.Extract: _extract,
    exp.Min: _extreme("MIN_BY"),
    exp.Max: _extreme("MAX_BY"),
    exp.CurrentTime: _now,
}
ANONYMOUS_REWRITES = {
    "timezone_hour": _timezone_field("timezone_hour"),
    "timezone_minute": _timezone_field("timezone_minute"),
}

# --------------------------------------------------------------------------------------
# Other nodes: the instant of the day, the wall clock, or the value passed on
# --------------------------------------------------------------------------------------

_COMPARING = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between, exp.In, exp.NullSafeEQ,
              exp.NullSafeNEQ, exp.Ordered)
_WALL_READERS = (exp.Hour, exp.Minute, exp.Second)
_PASSING = (exp.Paren, exp.Alias, exp.Coalesce, exp.Case, exp.If, exp.Nullif, exp.Tuple, exp.Values,
            exp.Subquery, exp.Typeof, exp.Is)


def _handled(node: exp.Expression) -> bool:
    if isinstance(node, exp.Anonymous):
        return node.name.lower() in ANONYMOUS_REWRITES or node.name.lower() == "typeof"
    if isinstance(node, exp.Extract):
        unit = node.this.name.lower() if isinstance(node.this, (exp.Var, exp.Identifier, exp.Column)) else ""
        return unit in ("timezone_hour", "timezone_minute")
    return type(node) in CLASS_REWRITES


def adapt(node: exp.Expression) -> None:
    """Give `node` the reading of each time with time zone argument it needs (see the
    module's docstring)."""
    if _handled(node):
        return
    for value in list(node.args.values()):
        for child in (value if isinstance(value, list) else [value]):
            if not isinstance(child, exp.Expression) or isinstance(child, exp.DataType) or not is_timetz(child):
                continue
            child.replace(_reading(node, child))


def _reading(node: exp.Expression, child: exp.Expression) -> exp.Expression:
    if isinstance(node, _COMPARING) or rows.operand_of_comparison(node):
        return day_nanos(child)
    if isinstance(node, (*_WALL_READERS, exp.Extract)) or \
            isinstance(node, exp.Anonymous) and node.name.lower() == "millisecond":
        return wall_time(child)
    if isinstance(node, _PASSING) or isinstance(node, exp.Select) and not node.args.get("distinct"):
        return child
    if isinstance(node, exp.Format):     # Trino passes format() its cast to varchar
        shown = text(child, precision(child.type))
        shown.type = exp.DataType.build("VARCHAR")
        return shown
    raise not_supported(child, "time with time zone values are not supported here on the Spark engine")
