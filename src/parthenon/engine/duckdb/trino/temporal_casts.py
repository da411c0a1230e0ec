"""Casts between dates, times, timestamps (with or without zone) and text, as Trino's.

Trino semantics covered:

- ``TIMESTAMP '...'`` and ``DATE '...'`` literals Trino refuses are INVALID_LITERAL
  (``'2020-13-01' is not a valid timestamp literal``, a precision above 12); a
  zoned literal names a zone Trino knows.
- A cast to a lower precision rounds half up: timestamp(p), timestamp(p) with time
  zone, time(p) (``CAST(TIMESTAMP '... 56.987654' AS TIMESTAMP(0))`` is ``...57``).
- To timestamp with time zone: a literal or text keeps the zone it names (UTC when
  none); a TIMESTAMP or DATE is read in the session zone (UTC).  From it: the wall
  clock in its zone (DATE, TIME, TIMESTAMP) or Trino's text.
- Text that is not a date is INVALID_CAST_ARGUMENT (``Value cannot be cast to date``).

- Precisions 7..9 with a time zone keep their nanoseconds (``zoned.carries_nanos``).

Knowingly not covered: precisions 10..12 are refused with NOT_SUPPORTED rather than
answered with their digits dropped.
"""
from __future__ import annotations

import re

from sqlglot import exp

from ....errors import InvalidLiteral
from ....sql.trino.typing import is_typed_literal, precision
from . import times, zoned
from .nodes import duck, is_type, not_supported, position, string_literal

TEMPORAL = (exp.DType.TIMESTAMP, exp.DType.TIMESTAMPTZ, exp.DType.TIME, exp.DType.DATE)
MAX_PRECISION = 6       # DuckDB keeps microseconds
NANOS = 9               # ...and a TIMESTAMP_NS (no zone) nanoseconds, from 1678 to 2261
_TRINO_MAX_PRECISION = 12

_DATE = r"[+-]?\d{4,6}-\d{1,2}-\d{1,2}"
_TIMESTAMP_TEXT = re.compile(rf"^\s*({_DATE})(?:[ T](\d{{1,2}}):(\d{{1,2}})(?::(\d{{1,2}})(?:\.(\d+))?)?)?\s*(.*?)\s*$")


def applies(node: exp.Cast) -> bool:
    return node.to.this in (*TEMPORAL, exp.DType.TIMETZ) or is_type(node.this, exp.DType.TIMESTAMPTZ)


def cast(node: exp.Cast) -> exp.Expression | None:
    if node.to.this == exp.DType.TIMETZ:
        return times.cast_tz(node)
    times.refuse_nanos_cast(node)
    if is_typed_literal(node) or (string_literal(node.this) is not None and "safe" in node.args):
        _fold_fraction(node)
    _check_precision(node)
    if is_typed_literal(node):
        _check_literal(node)
    to = node.to
    if to.this != exp.DType.TIMESTAMPTZ and is_type(node.this, exp.DType.TIMESTAMPTZ):
        return _from_zoned(node)
    if to.this == exp.DType.TIMESTAMP and precision(to) > MAX_PRECISION:
        return _to_nanos(node)
    if to.this == exp.DType.TIMESTAMPTZ:
        return _to_zoned(node)
    if to.this == exp.DType.TIME and (found := times.cast(node)) is not None:
        return found
    if to.this == exp.DType.TIMESTAMP:
        return _timestamp_cast(node)
    if to.this == exp.DType.TIME and is_type(node.this, exp.DType.TIMESTAMP) and \
            precision(to) < precision(node.this.type):
        return exp.Cast(this=_round(node.this, precision(to)), to=exp.DataType(this=exp.DType.TIME))
    if to.this == exp.DType.DATE and is_type(node.this, exp.DType.VARCHAR, exp.DType.TEXT, exp.DType.CHAR) \
            and "safe" in node.args:
        return duck("CASE WHEN _s IS NOT NULL AND TRY_CAST(_u AS DATE) IS NULL THEN "
                    "error('INVALID_CAST_ARGUMENT: Value cannot be cast to date: ' || _s) "
                    "ELSE TRY_CAST(_u AS DATE) END", _s=node.this, _u=_unsigned_year(node.this))
    if to.this == exp.DType.DATE and is_typed_literal(node):
        return exp.Cast(this=_unsigned_year(node.this), to=node.to)
    return None


def _unsigned_year(text: exp.Expression) -> exp.Expression:
    """Date text with a year signed ``+`` (``'+2013-02-02'``, Trino's and Joda's) as
    DuckDB reads it: without the sign."""
    if (value := string_literal(text)) is not None:
        return exp.Literal.string(re.sub(r"^(\s*)\+(?=\d)", r"\1", value))
    return duck("regexp_replace(_s, '^(\\s*)\\+([0-9])', '\\1\\2')", _s=text)


def _fold_fraction(node: exp.Cast) -> None:
    """A literal with more digits than DuckDB keeps, cast to a precision it keeps
    (``CAST(TIMESTAMP '... 56.123456789' AS TIMESTAMP(3))``), is rounded here, on its
    text, to the precision it is cast to."""
    m = _TIMESTAMP_TEXT.match(node.this.name)
    target = node.parent if is_typed_literal(node) else node
    if m is None or not m.group(5) or not isinstance(target, exp.Cast) or target.to.this not in TEMPORAL:
        return
    digits = m.group(5)
    p = precision(target.to)
    if len(digits) <= p or target.to.this == exp.DType.DATE or not (len(digits) > NANOS or p <= MAX_PRECISION):
        return
    kept = _round_text(m.group(0)[:m.end(5)].strip(), digits, p)
    zone = m.group(6)
    node.this.replace(exp.Literal.string(kept + (f" {zone}" if zone else "")))
    if node is not target:
        node.set("to", exp.DataType(this=node.to.this, expressions=[exp.DataTypeParam(this=exp.Literal.number(p))]))
        node.type = node.to.copy()


def _round_text(text: str, digits: str, p: int) -> str:
    """``2020-05-10 12:34:56.123456789`` rounded half up to p fractional digits."""
    import datetime as dt

    whole = text[:len(text) - len(digits) - 1]
    base = dt.datetime.fromisoformat(whole.replace(" ", "T") if "T" not in whole else whole)
    unit = 10 ** (12 - p)
    carry, fraction = divmod((int(digits.ljust(12, "0")) + unit // 2) // unit, 10 ** p)
    value = base + dt.timedelta(seconds=carry)
    return value.strftime("%Y-%m-%d %H:%M:%S") + (f".{fraction:0{p}d}" if p else "")


def _check_precision(node: exp.Cast) -> None:
    to = node.to
    if to.this == exp.DType.DATE or not to.expressions:
        return
    p = precision(to)
    name = "TIME" if to.this == exp.DType.TIME else "TIMESTAMP"
    if p > _TRINO_MAX_PRECISION:
        raise InvalidLiteral(f"{name} precision must be in range [0, {_TRINO_MAX_PRECISION}]: {p}", *position(node))
    most = NANOS
    if p > most:
        raise not_supported(node, f"{name.lower()}({p}){' with time zone' * (to.this == exp.DType.TIMESTAMPTZ)} "
                                  f"is not supported: Parthenon keeps fractions of a second to precision {most}")


def _check_literal(node: exp.Cast) -> None:
    """A TIMESTAMP literal whose text Trino refuses (INVALID_LITERAL); DATE literals are
    sql.trino.prepare.check_literals' rule, for both engines."""
    text = node.this.name
    if node.to.this not in (exp.DType.TIMESTAMP, exp.DType.TIMESTAMPTZ):
        return
    m = _TIMESTAMP_TEXT.match(text)
    valid = m is not None
    if valid:
        year, month, day = (int(v) for v in m.group(1).lstrip("+-").split("-"))
        hour, minute, second = (int(m.group(i) or 0) for i in (2, 3, 4))
        valid = 1 <= month <= 12 and 1 <= day <= _days_in(year, month) and hour < 24 and minute < 60 \
            and second < 60
    if valid and m.group(6) and len(m.group(1).lstrip("+-").split("-")[0]) > 5:
        valid = False       # a zoned timestamp's instant overflows past 5-digit years, as Trino's
    if not valid:
        raise InvalidLiteral(f"'{text}' is not a valid timestamp literal", *position(node))


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _zoned_literal(node: exp.Cast) -> exp.Expression | None:
    parts = zoned.split_literal(node.this.name)
    if parts is None:
        return None
    local, zone = parts
    if not zoned.known_zone(zone):
        raise InvalidLiteral(f"'{node.this.name}' is not a valid timestamp literal", *position(node))
    z, p = exp.Literal.string(zone), precision(node.to)
    if zoned.carries_nanos(p):      # the digits past the microsecond are the struct's nanos
        fraction = local.partition(".")[2]
        if len(fraction) > p:
            local = _round_text(local, fraction, p)
        whole, _, fraction = local.partition(".")
        wall = exp.Cast(this=exp.Literal.string(f"{whole}.{fraction[:6]}"), to=exp.DataType.build("TIMESTAMP"))
        return zoned.zoned(zoned.instant_of(wall, z), z, exp.Literal.number(int(fraction[6:9].ljust(3, "0"))))
    wall = exp.Cast(this=exp.Literal.string(local), to=exp.DataType.build("TIMESTAMP"))
    if len(local.partition(".")[2]) > p:
        wall = zoned.round_timestamp(wall, p)
    return zoned.zoned(zoned.instant_of(wall, z), z)


def _to_zoned(node: exp.Cast) -> exp.Expression | None:
    """CAST(... AS TIMESTAMP WITH TIME ZONE): a literal or text keeps the zone it names
    (UTC when none); a TIMESTAMP is read in the session zone (UTC); rounded to p."""
    x, p = node.this, precision(node.to)
    if string_literal(x) is not None:
        found = _zoned_literal(node)
        if found is not None:
            return found
        if zoned.carries_nanos(p):
            local = zoned.round_nanos(exp.Cast(this=x, to=exp.DataType(this=exp.DType.TIMESTAMP_NS)), p)
            return zoned.of_wall(local, exp.Literal.string("UTC"), p, nanos_wall=True)
        return zoned.zoned(_rounded(exp.Cast(this=x, to=exp.DataType.build("TIMESTAMP")), p),
                           exp.Literal.string("UTC"))
    if is_type(x, exp.DType.TIMESTAMPTZ):
        return zoned.with_precision(x, p)
    if is_type(x, exp.DType.VARCHAR, exp.DType.TEXT, exp.DType.CHAR):
        parts = duck("regexp_extract(_s, '^\\s*(\\S+(?:[ T][0-9:.]+)?)\\s*(.*?)\\s*$', ['l', 'z'])", _s=x)
        zone = duck("list_transform([struct_extract(_p, 'z')], lambda z: CASE WHEN z = '' OR upper(z) IN "
                    "('Z', 'UTC', '+00:00') THEN 'UTC' ELSE z END)[1]", _p=parts)
        text = duck("struct_extract(_p, 'l')", _p=parts)
        if zoned.carries_nanos(p):
            local = zoned.round_nanos(exp.Cast(this=text, to=exp.DataType(this=exp.DType.TIMESTAMP_NS)), p)
            return zoned.of_wall(local, zone, p, nanos_wall=True)
        local = exp.Cast(this=text, to=exp.DataType.build("TIMESTAMP"))
        # the zone as Trino's key (asia/kathmandu is Asia/Kathmandu); one Trino does not know
        # is INVALID_CAST_ARGUMENT (DuckDB's was an internal error that try() did not catch)
        checked = duck("CASE WHEN _z IS NULL THEN NULL ELSE coalesce(trino_zone_key(_z), error("
                       "'INVALID_CAST_ARGUMENT: Value cannot be cast to timestamp with time zone: ' || _s)) END",
                       _z=zone, _s=x.copy())
        return zoned.zoned(zoned.instant_of(_rounded(local, p), checked), checked.copy())
    utc = exp.Literal.string("UTC")
    source = precision(x.type) if is_type(x, exp.DType.TIMESTAMP) else 0
    if zoned.carries_nanos(p):
        if zoned.carries_nanos(source):     # a TIMESTAMP_NS
            return zoned.of_wall(_round(x, p) if p < source else x, utc, p, nanos_wall=True)
        return zoned.of_wall(exp.Cast(this=x, to=exp.DataType.build("TIMESTAMP")), utc, p)
    if zoned.carries_nanos(source):
        return zoned.zoned(_round(x, p), utc)
    wall = exp.Cast(this=x, to=exp.DataType.build("TIMESTAMP"))
    if p < source:
        wall = zoned.round_timestamp(wall, p)
    return zoned.zoned(wall, utc)


def _rounded(ts: exp.Expression, p: int) -> exp.Expression:
    return zoned.round_timestamp(ts, p) if p < MAX_PRECISION else ts


def _from_zoned(node: exp.Cast) -> exp.Expression | None:
    """A zoned value cast to a type without zone: its wall clock in its zone."""
    x, to = node.this, node.to
    if to.this in (exp.DType.VARCHAR, exp.DType.TEXT):
        return zoned.text(x, precision(x.type))
    q = precision(to)
    if to.this in (exp.DType.TIMESTAMP, exp.DType.TIME):
        rounded = zoned.with_precision(x, min(q, precision(x.type)))
        if zoned.carries_nanos(q) and to.this == exp.DType.TIME:     # a TIME_NS, of any year
            wall = duck("make_timestamp_ns(epoch_us(CAST(_l AS TIME)) * 1000 + _n)", _l=zoned.local(rounded),
                        _n=zoned.nanos_of(rounded))
            kind = exp.DType.TIME_NS
        elif zoned.carries_nanos(q):      # a TIMESTAMP_NS (1678..2262), its digits past p zeros
            wall, kind = exp.Paren(this=zoned.local_nanos(rounded)), exp.DType.TIMESTAMP_NS
        else:   # rounded again on the wall clock: a value DuckDB made may hold more digits than its type
            wall = zoned.round_timestamp(zoned.local(rounded), q)
            kind = exp.DType.TIMESTAMP if to.this == exp.DType.TIMESTAMP else to.this
        return exp.Paren(this=exp.Cast(this=wall, to=exp.DataType(this=kind)))
    if to.this == exp.DType.DATE:
        return exp.Cast(this=zoned.local(x), to=exp.DataType(this=to.this))
    return None


def _round(ts: exp.Expression, p: int) -> exp.Expression:
    """A TIMESTAMP (a TIMESTAMP_NS past 6 digits) rounded to p digits."""
    return zoned.round_nanos(ts, p) if precision(ts.type) > MAX_PRECISION else zoned.round_timestamp(ts, p)


def _to_nanos(node: exp.Cast) -> exp.Expression:
    """timestamp(7..9) is a DuckDB TIMESTAMP_NS (its years 1678 to 2261)."""
    x, p = node.this, precision(node.to)
    literal = string_literal(x)
    if literal is not None:
        m = _TIMESTAMP_TEXT.match(literal)
        if m and not 1678 <= int(m.group(1).lstrip("+-").split("-")[0]) <= 2261 or m and m.group(1)[0] in "+-":
            raise not_supported(node, f"timestamp({p}) is supported from 1678 to 2261 only")
    if is_type(x, exp.DType.TIMESTAMP) and p < precision(x.type):
        return exp.Paren(this=zoned.round_nanos(x, p))
    # in parentheses, so that the node keeps its Trino type (a Cast's is the type it names)
    return exp.Paren(this=exp.Cast(this=x, to=exp.DataType(this=exp.DType.TIMESTAMP_NS)))


def _timestamp_cast(node: exp.Cast) -> exp.Expression | None:
    """CAST to timestamp(p) rounds to p digits, half up (DuckDB keeps microseconds)."""
    x, to = node.this, node.to
    p = precision(node.type or to)
    if is_type(x, exp.DType.TIMESTAMP) and p < precision(x.type):
        return _round(x, p)
    text = string_literal(x)
    if text is not None and "safe" in node.args and (m := _TIMESTAMP_TEXT.match(text)) and m.group(6) \
            and (m.group(2) is not None or text[m.end(1)].isspace()):
        # Trino drops a zone named in text; after a bare date only past a space (its text
        # '2021-06-06-23:38:46' is no timestamp: INVALID_CAST_ARGUMENT, not that day)
        typ, x = x.type, exp.Literal.string(text[:m.start(6)].strip())
        x.type = typ
    if is_type(x, exp.DType.VARCHAR, exp.DType.TEXT) and "safe" in node.args:
        parsed = exp.Cast(this=x, to=exp.DataType.build("TIMESTAMP"))
        if p < MAX_PRECISION:       # rounding DuckDB's microseconds at p is exact
            return zoned.round_timestamp(parsed, p)
        # DuckDB drops the digits past microseconds: the 7th rounds
        return duck("_t + CASE WHEN regexp_extract(_s, '\\.[0-9]{6}([0-9])', 1) >= '5' "
                    "THEN INTERVAL 1 MICROSECOND ELSE INTERVAL 0 MICROSECOND END", _t=parsed, _s=x)
    return None
