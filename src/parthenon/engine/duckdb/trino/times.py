"""TIME(p) as Trino has it: literals checked, casts that round, nanoseconds kept.

Trino semantics covered:

- A ``TIME '...'`` literal Trino refuses (``25:00:00``, ``12:65:00``, ``xxx``) is
  INVALID_LITERAL (``'25:00:00' is not a valid time literal``), not DuckDB's
  conversion error.
- A cast to a lower precision rounds half up and wraps at midnight, as Trino's
  (``CAST(TIME '12:34:56.5' AS TIME(0))`` is ``12:34:57``, ``23:59:59.9`` to
  ``TIME(0)`` is ``00:00:00``); DuckDB truncates.
- time(7..9) is a DuckDB TIME_NS (nanoseconds), leaving as Trino's text with p
  digits (``12:34:56.123456700``), from a literal, a TIME or a TIMESTAMP.
- TIME WITH TIME ZONE is DuckDB's TIMETZ (a wall-clock time and a fixed offset),
  leaving as Trino's text ``12:34:56.1+08:35``; its literals are checked (offset
  within +-14:00); a cast to TIME keeps the wall clock, rounding as above.
  Two compare by their instant of the day modulo 24 hours, as Trino's
  (``TIME '00:00:00+14:00' = TIME '00:00:00-10:00'``); DuckDB's order does not wrap.
- time(7..9) with time zone (``zoned.carries_nanos``) is the struct ``{'timetz':
  TIMETZ, 'nanos': SMALLINT}``: the TIMETZ's microseconds and the nanoseconds past
  them (0..999), which its text, casts and comparisons read.

The precision ``p`` lives in the Trino type (``typing``), not in the value; a time
of precision up to 6 is DuckDB's TIME (microseconds).

Knowingly not covered: a cast of text to time(7..9) with time zone is refused with
NOT_SUPPORTED, and so are the functions of its value but fields and date_trunc
(``refuse_nanos_arguments``); VALUES mixing time(p) with time zone of p up to 6
and of 7..9 fail (DuckDB cannot unify TIMETZ and the struct); ORDER BY, min and max of times with time zone
use DuckDB's order (by UTC time, not wrapping at midnight).
"""
from __future__ import annotations

import re
import typing as t

from sqlglot import exp

from ....errors import InvalidFunctionArgument, InvalidLiteral
from ....sql.trino.functions import function_name
from ....sql.trino.typing import is_typed_literal, precision
from . import zoned
from .nodes import duck, is_type, not_supported, position

MICROS = 6
_TIME_TEXT = re.compile(r"^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?\s*$")
_DAY_NS = 86_400_000_000_000
_TIMETZ_TEXT = re.compile(r"^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?\s*[+-](\d{1,2}):(\d{1,2})\s*$")
_MAX_PRECISION = 12


def check_literal(node: exp.Cast) -> None:
    """TIME '...' that Trino refuses is INVALID_LITERAL."""
    text = node.this.name
    m = _TIME_TEXT.match(text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59 or int(m.group(3) or 0) > 59:
        raise InvalidLiteral(f"'{text}' is not a valid time literal", *position(node))


def _nanos_of_day(x: exp.Expression) -> exp.Expression:
    """A TIME, TIME_NS or TIMESTAMP(_NS)'s nanoseconds since midnight."""
    if is_type(x, exp.DType.TIMESTAMP):
        return duck("(epoch_ns(CAST(_x AS TIMESTAMP_NS)) - epoch_ns(date_trunc('day', CAST(_x AS TIMESTAMP_NS))))",
                    _x=x)
    if precision(x.type) > MICROS:
        return duck("epoch_ns(_x)", _x=x)
    return duck("(epoch_us(_x) * 1000)", _x=x)


def _of_nanos(ns: exp.Expression, p: int) -> exp.Expression:
    """The time(p) of a count of nanoseconds since midnight (rounded half up to p digits
    and wrapped at midnight): a TIME_NS past 6 digits, else a TIME."""
    unit = 10 ** (9 - p)
    ticks = duck(f"((((_n + {unit // 2}) // {unit}) * {unit}) % {_DAY_NS})", _n=ns)
    if p > MICROS:
        return duck("CAST(make_timestamp_ns(_t) AS TIME_NS)", _t=ticks)
    return duck("CAST(make_timestamp(_t // 1000) AS TIME)", _t=ticks)


def cast(node: exp.Cast) -> exp.Expression | None:
    """A cast to time(p) from a literal, a time (with time zone: its wall clock) or a
    timestamp; None: DuckDB's own."""
    x, p = node.this, precision(node.to)
    if is_typed_literal(node):
        check_literal(node)
        if p <= MICROS:
            return None
        return exp.Paren(this=exp.Cast(this=x, to=exp.DataType(this=exp.DType.TIME_NS)))
    wall_clock = is_type(x, exp.DType.TIMETZ)
    if wall_clock:
        x = _wall(x)
        x.type = exp.DataType(this=exp.DType.TIME, expressions=[e.copy() for e in node.this.type.expressions])
    if not is_type(x, exp.DType.TIME) and not (is_type(x, exp.DType.TIMESTAMP) and p > MICROS):
        return None
    source = precision(x.type)
    if p >= source and p <= MICROS:
        return exp.Paren(this=x) if wall_clock else None
    if p >= source and is_type(x, exp.DType.TIME):
        return exp.Paren(this=exp.Cast(this=x, to=exp.DataType(this=exp.DType.TIME_NS)))
    # in parentheses, so that the node keeps its Trino type (a Cast's is the type it names)
    return exp.Paren(this=_of_nanos(_nanos_of_day(x), p))


def cast_tz(node: exp.Cast) -> exp.Expression | None:
    """TIME '...+08:35' and casts to time(p) with time zone: checked, p up to 6."""
    p = precision(node.to)
    if p > _MAX_PRECISION:
        raise InvalidLiteral(f"TIME WITH TIME ZONE precision must be in range [0, {_MAX_PRECISION}]: {p}",
                             *position(node))
    if p > 9:
        raise not_supported(node, f"time({p}) with time zone is not supported: Parthenon keeps fractions "
                                  f"of a second to precision 9")
    if is_type(node.this, exp.DType.TIMESTAMPTZ):
        return _of_zoned(node.this, p)
    if is_typed_literal(node):
        written = node.this.name
        m = _TIMETZ_TEXT.match(written)
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59 or int(m.group(3) or 0) > 59 \
                or int(m.group(5)) > 59 or int(m.group(4)) * 60 + int(m.group(5)) > 14 * 60:
            raise InvalidLiteral(f"'{written}' is not a valid TIME literal", *position(node))
        written = _normal_timetz_text(written)
        if zoned.carries_nanos(p):
            return _nanos_literal(written)
        if written != node.this.name:
            return exp.Cast(this=exp.Literal.string(written), to=node.to.copy())
        return None
    if is_type(node.this, exp.DType.TIMETZ):
        return _of_timetz(node.this, p)
    if zoned.carries_nanos(p) and is_type(node.this, exp.DType.TIME, exp.DType.TIMESTAMP):
        # its wall clock in the session zone (UTC), as Trino reads it in its own
        return _of_day(_nanos_of_day(node.this), exp.Literal.string("+00:00"), p)
    if zoned.carries_nanos(p):
        raise not_supported(node, f"a cast of {node.this.type.sql('trino') if node.this.type else 'a value'} to "
                                  f"time({p}) with time zone is not supported")
    return None


_TIMETZ_PARTS = re.compile(r"^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(\.\d+)?)?\s*([+-])(\d{1,2}):(\d{1,2})\s*$")


def _normal_timetz_text(written: str) -> str:
    """A valid time with time zone literal as DuckDB reads it: Trino also takes no seconds,
    one-digit fields and a space before the offset ('1:2 +05:00'); DuckDB wants
    'HH:MM:SS[.f]+HH:MM'."""
    h, m, sec, fraction, sign, oh, om = _TIMETZ_PARTS.match(written).groups()
    return f"{int(h):02}:{int(m):02}:{int(sec or 0):02}{fraction or ''}{sign}{int(oh):02}:{int(om):02}"


_FRACTION = re.compile(r"^(\s*\d{1,2}:\d{1,2}:\d{1,2}\.)(\d+)(.*)$")


def _nanos_literal(written: str) -> exp.Expression:
    """TIME '12:34:56.123456789+08:35': its TIMETZ (microseconds) and its nanoseconds."""
    head, digits, offset = _FRACTION.match(written).groups()
    tz = exp.Cast(this=exp.Literal.string(head + digits[:MICROS] + offset), to=exp.DataType(this=exp.DType.TIMETZ))
    return _with_nanos(tz, exp.Literal.number(int(digits[MICROS:9].ljust(3, "0"))))


def refuse_nanos_cast(node: exp.Cast) -> None:
    """A time(7..9) with time zone casts to time(p) or text only (NOT_SUPPORTED otherwise)."""
    if is_type(node.this, exp.DType.TIMETZ) and _has_nanos(node.this) and \
            node.to.this not in (exp.DType.TIME, exp.DType.TIMETZ, exp.DType.VARCHAR, exp.DType.TEXT):
        raise not_supported(node, f"a cast of time({precision(node.this.type)}) with time zone to "
                                  f"{node.to.sql('trino').lower()} is not supported")


def _of_timetz(x: exp.Expression, p: int) -> exp.Expression | None:
    """A time with time zone as time(p) with time zone: its wall clock rounded half up
    to p digits (wrapping at midnight), its offset kept; None: DuckDB's own cast."""
    source = precision(x.type)
    if p >= source and not zoned.carries_nanos(p) and not _has_nanos(x):
        return None
    return _of_day(duck("(epoch_us(CAST(_t AS TIME)) * 1000 + _n)", _t=timetz(x), _n=_nanos(x)), _offset_of(x), p)


def _of_day(ns: exp.Expression, offset: exp.Expression, p: int) -> exp.Expression:
    """The time(p) with time zone of a wall clock's nanoseconds since midnight (rounded
    half up to p digits, wrapping at midnight) and an offset (``+08:35``)."""
    unit = 10 ** (9 - p)
    wall = duck(f"((((_ns + {unit // 2}) // {unit}) * {unit}) % {_DAY_NS})", _ns=ns)
    tz = exp.Paren(this=duck("CAST(CAST(CAST(make_timestamp(_w // 1000) AS TIME) AS VARCHAR) || _o AS TIMETZ)",
                             _w=wall, _o=offset))
    return _with_nanos(tz, duck("_w % 1000", _w=wall)) if zoned.carries_nanos(p) else tz


def _with_nanos(tz: exp.Expression, nanos: exp.Expression) -> exp.Expression:
    """The struct of a time(7..9) with time zone."""
    node = duck("{'timetz': _t, 'nanos': CAST(_n AS SMALLINT)}", _t=tz, _n=nanos)
    node.meta["timetz_nanos"] = True
    return exp.Paren(this=node)


def _has_nanos(x: exp.Expression) -> bool:
    """Whether a time with time zone is the struct with nanoseconds (zoned.carries_nanos)."""
    inner = x.this if isinstance(x, exp.Paren) else x
    return bool(inner.meta.get("timetz_nanos")) or (x.type is not None and zoned.carries_nanos(precision(x.type)))


def timetz(x: exp.Expression) -> exp.Expression:
    """A time with time zone's TIMETZ (its microseconds)."""
    return duck("struct_extract(_x, 'timetz')", _x=x) if _has_nanos(x) else x


def _nanos(x: exp.Expression) -> exp.Expression:
    """The nanoseconds past a time with time zone's microsecond (0 when it keeps none)."""
    return duck("struct_extract(_x, 'nanos')", _x=x) if _has_nanos(x) else exp.Literal.number(0)


def _wall(x: exp.Expression) -> exp.Expression:
    """A time with time zone's wall clock: a TIME, a TIME_NS when it keeps nanoseconds."""
    wall = exp.Cast(this=timetz(x), to=exp.DataType(this=exp.DType.TIME))
    if not _has_nanos(x):
        return wall
    return exp.Paren(this=duck("CAST(make_timestamp_ns(epoch_us(_w) * 1000 + _n) AS TIME_NS)", _w=wall, _n=_nanos(x)))


def _of_zoned(x: exp.Expression, p: int) -> exp.Expression:
    """A timestamp with time zone as a time(p) with time zone: its wall clock (rounded
    to p digits) and its zone's offset at that instant."""
    rounded = zoned.with_precision(x, min(p, precision(x.type)))
    # in parentheses, so that the node keeps its Trino type (a Cast's is the type it names)
    tz = exp.Paren(this=duck("CAST(CAST(CAST(_w AS TIME) AS VARCHAR) || _o AS TIMETZ)", _w=zoned.local(rounded),
                             _o=_offset_text(zoned.offset_minutes(x))))
    return _with_nanos(tz, zoned.nanos_of(rounded)) if zoned.carries_nanos(p) else tz


def on_wall_clock(x: exp.Expression, compute) -> exp.Expression:
    """A time with time zone computed on its wall clock (a TIME), keeping its offset;
    ``compute`` truncates (to a millisecond or more: no nanoseconds left)."""
    offset = _offset_of(x)
    wall = compute(exp.Cast(this=timetz(x.copy()), to=exp.DataType(this=exp.DType.TIME)))
    tz = exp.Paren(this=duck("CAST(CAST(_w AS VARCHAR) || _o AS TIMETZ)", _w=wall, _o=offset))
    return _with_nanos(tz, exp.Literal.number(0)) if _has_nanos(x) else tz


def offset_minutes(x: exp.Expression) -> exp.Expression:
    """A time with time zone's offset, in minutes."""
    return duck("CAST(extract(timezone FROM _t) // 60 AS BIGINT)", _t=timetz(x))


def _offset_of(x: exp.Expression) -> exp.Expression:
    """``+08:35``, a time with time zone's offset."""
    return _offset_text(offset_minutes(x))


def _offset_text(minutes: exp.Expression) -> exp.Expression:
    """``+08:35`` of an offset in minutes."""
    return duck("list_transform([_m], lambda m: CASE WHEN m < 0 THEN '-' ELSE '+' END || "
                "lpad(CAST(abs(m) // 60 AS VARCHAR), 2, '0') || ':' || lpad(CAST(abs(m) % 60 AS VARCHAR), 2, '0'))[1]",
                _m=minutes)


def text(x: exp.Expression, p: int) -> exp.Expression:
    """Trino's text of a time(p), a TIME or a TIME_NS: ``12:34:56.123456700`` (p = 9)."""
    if p <= 0:
        return duck("substr(CAST(_t AS VARCHAR), 1, 8)", _t=x)
    return duck(f"substr(CAST(_t AS VARCHAR), 1, 8) || '.' || "
                f"rpad(coalesce(nullif(substr(CAST(_t AS VARCHAR), 10), ''), ''), {p}, '0')", _t=x)


def zoned_text(x: exp.Expression, p: int) -> exp.Expression:
    """Trino's text of a time(p) with time zone (a TIMETZ): ``12:34:56.1+08:35``."""
    offset = _offset_of(x)
    return duck("_c || _o", _c=text(_wall(x), p), _o=offset)


def _utc_nanos(x: exp.Expression) -> exp.Expression:
    """A time with time zone's wall-clock nanoseconds of the day less its offset (so
    from -14 to +38 hours): the instant, on day 0, that Trino compares and subtracts."""
    return duck("((epoch_us(CAST(_t AS TIME)) - extract(timezone FROM _t) * 1000000) * 1000 + _n)",
                _t=timetz(x), _n=_nanos(x))


def _day_nanos(x: exp.Expression) -> exp.Expression:
    """A time with time zone's instant of the day in UTC, in nanoseconds modulo 24 hours."""
    day = _DAY_NS
    return duck(f"((_u % {day}) + {day}) % {day}", _u=_utc_nanos(x))


def comparable(x: exp.Expression) -> exp.Expression:
    """What a comparison reads of a time with time zone (also as an element or a field,
    typed_equality): its instant of the day."""
    return _day_nanos(x)


_NANOS_PER = {"millisecond": 10**6, "second": 10**9, "minute": 60 * 10**9, "hour": 3600 * 10**9}


def date_diff(node: exp.DateDiff, unit: str) -> exp.Expression | None:
    """date_diff(unit, a, b) of times with time zone: the whole units (truncated toward
    zero, as Trino's Joda fields) between their instants; a unit of a day or more is
    INVALID_FUNCTION_ARGUMENT (``'day' is not a valid Time field``)."""
    a, b = node.expression, node.this
    if not (is_type(a, exp.DType.TIMETZ) and is_type(b, exp.DType.TIMETZ)):
        return None
    if unit not in _NANOS_PER:
        raise InvalidFunctionArgument(f"'{unit}' is not a valid Time field", *position(node))
    return duck(f"CAST((_b - _a) // {_NANOS_PER[unit]} AS BIGINT)", _a=_utc_nanos(a), _b=_utc_nanos(b))


def _comparison(node: exp.Expression) -> exp.Expression | None:
    """A comparison of times with time zone compares their instants of the day."""
    operands = [node.this, *(node.args[k] for k in ("expression", "low", "high") if node.args.get(k) is not None)]
    if not any(is_type(o, exp.DType.TIMETZ) for o in operands):
        return None
    for operand in operands:
        if is_type(operand, exp.DType.TIMETZ):
            operand.replace(_day_nanos(operand.copy()))
    return node


# What reads a time(7..9) with time zone (its struct) as Trino does: the rewrites above,
# casts, fields, date_trunc, and what passes a value through or only compares it whole.
_READS_NANOS = (exp.Cast, exp.TryCast, exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE, exp.NullSafeEQ,
                exp.NullSafeNEQ, exp.Between, exp.In, exp.Is, exp.Hour, exp.Minute, exp.Second, exp.Extract,
                exp.TimestampTrunc, exp.DateTrunc, exp.Count, exp.Max, exp.Min, exp.AnyValue, exp.ArrayAgg,
                exp.Coalesce, exp.Case, exp.If, exp.Nullif, exp.Alias, exp.Paren, exp.Distinct, exp.Ordered,
                exp.Typeof)
_READS_NANOS_NAMES = ("millisecond", "timezone_hour", "timezone_minute")


_COMBINING = (exp.Case, exp.If, exp.Coalesce, exp.Nullif, exp.Array, exp.Greatest, exp.Least)


def _refuse_mixed_shapes(node: exp.Expression) -> None:
    """Values that DuckDB unifies (VALUES rows, CASE branches...) are all TIMETZ or all
    structs with nanoseconds: a mix is NOT_SUPPORTED (DuckDB cannot unify them)."""
    if isinstance(node, exp.Values):
        columns = list(zip(*(row.expressions for row in node.expressions if isinstance(row, exp.Tuple))))
    elif isinstance(node, _COMBINING):
        columns = [[c for c in node.iter_expressions() if not isinstance(c, exp.Tuple)]
                   + [e for c in node.args.get("ifs") or [] for e in (c.args.get("true"),) if e is not None]]
    else:
        return
    for values in columns:
        shapes = {_has_nanos(v) for v in values if is_type(v, exp.DType.TIMETZ)}
        if len(shapes) > 1:
            raise not_supported(node, "time(p) with time zone of precisions up to 6 and of 7..9 together "
                                      "is not supported")


def refuse_nanos_arguments(node: exp.Expression) -> None:
    """A function or operator of a time(7..9) with time zone that no rewrite reads is
    NOT_SUPPORTED (DuckDB would see its struct)."""
    _refuse_mixed_shapes(node)
    if isinstance(node, _READS_NANOS) or not isinstance(node, (exp.Func, exp.Binary, exp.Unary, exp.Predicate)) \
            or (isinstance(node, exp.Anonymous) and node.name.lower() in _READS_NANOS_NAMES):
        return
    for child in node.iter_expressions():
        if is_type(child, exp.DType.TIMETZ) and _has_nanos(child):
            name = function_name(node) if isinstance(node, exp.Func) else f"operator {node.key}"
            raise not_supported(node, f"{name} of time({precision(child.type)}) with time zone is not supported")


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    cls: _comparison for cls in (exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE, exp.NullSafeEQ,
                                 exp.NullSafeNEQ, exp.Between)}
ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
