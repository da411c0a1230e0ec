"""Trino's timestamp(7..9) (without a zone) on Spark: microseconds and the nanoseconds past them.

Spark's TIMESTAMP keeps microseconds, so a ``timestamp(p)`` of p 7..9 is the struct
``NAMED_STRUCT('ts', TIMESTAMP, 'nanos', INT)``: the value cut to microseconds and the
nanoseconds past them (0..999), rounded to the type's p digits.  Spark compares
structs field by field, so two such values compare as Trino's (``=``, ``<``,
``ORDER BY``); a timestamp of fewer digits compared with one is widened (nanos 0).

Kept as Trino has them: literals and casts from text (rounded half up to p digits),
casts from a date or a timestamp of fewer digits, ``+``/``-`` an interval, casts to timestamp(q) (rounding
half up, carrying into the microsecond), to DATE, to time(q), to text
(``2020-05-01 12:34:56.123456789``), ``date_trunc`` and ``date_add`` (units of a
millisecond and more keep the nanoseconds past them, or drop them when truncating),
the fields (``year`` .. ``second``, ``millisecond``: read on the microseconds,
Trino floors), ``to_iso8601``, an array's elements (``nano_arrays``).  Any other use is refused (NOT_SUPPORTED), as is a
timestamp(7..9) with time zone (``types``).
"""
from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from sqlglot import exp

from ...sql.trino import units
from ...sql.trino.nodes import DATE, is_type, not_supported, string_literal
from ...sql.trino.typing import TEXT, precision
from .templates import call, spark

DType = exp.DType
_TEXT = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?)?\s*$")


def is_nano(node: exp.Expression | None) -> bool:
    """A timestamp(7..9) without a zone."""
    return is_type(node, DType.TIMESTAMP) and 6 < precision(node.type) <= 9


def make(ts: exp.Expression, nanos: exp.Expression | int, constant=None) -> exp.Expression:
    n = exp.Literal.number(nanos) if isinstance(nanos, int) else nanos
    if not (isinstance(ts, exp.Cast) and ts.to.this == DType.TIMESTAMP):
        ts = exp.Cast(this=ts, to=exp.DataType.build("TIMESTAMP"))
    node = call("NAMED_STRUCT", exp.Literal.string("ts"), ts,
                exp.Literal.string("nanos"), exp.Cast(this=n, to=exp.DataType.build("INT")))
    if constant is not None:
        node.meta["nano_constant"] = constant
    elif not (isinstance(ts, exp.Cast) and string_literal(ts.this) is not None and isinstance(n, exp.Literal)):
        node = spark("CASE WHEN _t IS NOT NULL AND _n IS NOT NULL THEN _s END", _t=ts, _n=n, _s=node)
    node.meta["nano_parts"] = (ts, n)
    return node


def _part(x: exp.Expression, index: int, name: str) -> exp.Expression:
    parts = x.meta.get("nano_parts")
    if parts is not None:
        return parts[index].copy()
    return exp.Dot(this=exp.Paren(this=x.copy()) if not isinstance(x, exp.Column) else x.copy(),
                   expression=exp.to_identifier(name))


def micros(x: exp.Expression) -> exp.Expression:
    """The value cut to microseconds (a Spark TIMESTAMP)."""
    out = _part(x, 0, "ts")
    out.type = exp.DataType.build("TIMESTAMP(6)", dialect="trino")
    return out


def nanos(x: exp.Expression) -> exp.Expression:
    return _part(x, 1, "nanos")


# --------------------------------------------------------------------------------------
# Constants (literals): read and rounded at translation
# --------------------------------------------------------------------------------------


def read(text: str, p: int) -> tuple[datetime.datetime, int] | None:
    """(the value cut to microseconds, the nanoseconds past them) of a timestamp's text,
    rounded half up to p digits; None: not of the plain form."""
    m = _TEXT.match(text)
    if not m:
        return None
    try:
        base = datetime.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4) or 0),
                                 int(m.group(5) or 0), int(m.group(6) or 0))
    except ValueError:
        return None
    fraction = Decimal("0." + (m.group(7) or "0")).quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP)
    total = int(fraction * 10**9)
    try:
        return base + datetime.timedelta(microseconds=total // 1000), total % 1000
    except OverflowError:
        return None


def _round_constant(value: tuple[datetime.datetime, int], p: int) -> tuple[datetime.datetime, int]:
    moment, n = value
    unit = 10 ** (9 - p)
    total = (moment.microsecond * 1000 + n + unit // 2) // unit * unit
    return moment.replace(microsecond=0) + datetime.timedelta(microseconds=total // 1000), total % 1000


def clock(moment: datetime.datetime) -> str:
    return (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {moment.hour:02d}:{moment.minute:02d}:"
            f"{moment.second:02d}.{moment.microsecond:06d}")


def _constant_node(value: tuple[datetime.datetime, int]) -> exp.Expression:
    literal = exp.Cast(this=exp.Literal.string(clock(value[0])), to=exp.DataType.build("TIMESTAMP"))
    return make(literal, value[1], constant=value)


def _text_of(value: tuple[datetime.datetime, int], p: int) -> str:
    return (clock(value[0]) + f"{value[1]:03d}")[:20 + p]


# --------------------------------------------------------------------------------------
# Rewrites
# --------------------------------------------------------------------------------------


def text(x: exp.Expression, p: int, pattern: str = "yyyy-MM-dd HH:mm:ss.SSSSSS") -> exp.Expression:
    """Trino's text, ``2020-05-01 12:34:56.123456789`` (p digits)."""
    constant = x.meta.get("nano_constant")
    if constant is not None and pattern.startswith("yyyy-MM-dd "):
        return exp.Literal.string(_text_of(constant, p))
    return spark(f"CONCAT(DATE_FORMAT(_t, _f), SUBSTR(LPAD(CAST(_n AS STRING), 3, '0'), 1, {p - 6}))",
                 _t=micros(x), _n=nanos(x), _f=exp.Literal.string(pattern))


def _rounded_micros(x: exp.Expression, q: int) -> exp.Expression:
    """A timestamp(7..9) rounded half up to q <= 6 digits: a Spark TIMESTAMP."""
    unit = 10 ** (6 - q)
    return spark(f"TIMESTAMP_MICROS(UNIX_MICROS(_t) - PMOD(UNIX_MICROS(_t), {unit}) + CASE WHEN "
                 f"PMOD(UNIX_MICROS(_t), {unit}) * 1000 + _n >= {unit * 500} THEN {unit} ELSE 0 END)",
                 _t=micros(x), _n=nanos(x))


def _cast(node: exp.Cast) -> exp.Expression | None:
    x, to = node.this, node.to
    if to.this == DType.TIMESTAMP and 6 < precision(to) <= 9:
        q = precision(to)
        written = string_literal(x)
        if written is not None:
            value = read(written, q)
            if value is None:
                raise not_supported(node, "This cast of text to a timestamp of more than 6 digits is not "
                                          "supported on the Spark engine")
            return _constant_node(value)
        if is_nano(x):
            constant = x.meta.get("nano_constant")
            if constant is not None:
                return _constant_node(_round_constant(constant, q))
            if q >= precision(x.type):
                return x
            unit = 10 ** (9 - q)
            r = spark(f"(_n + {unit // 2}) DIV {unit} * {unit}", _n=nanos(x))
            return make(spark("TIMESTAMPADD(MICROSECOND, _r DIV 1000, _t)", _r=r, _t=micros(x)),
                        spark("_r % 1000", _r=r))
        if is_type(x, DType.TIMESTAMP, *DATE):
            return make(x, 0)
        from . import zoned
        if zoned.is_nano_zoned(x):      # its wall clock
            return cast(zoned.nano_wall(x), to)
        if zoned.is_zoned(x):
            return make(zoned.wall(x), 0)
        raise not_supported(node, "This cast to a timestamp of more than 6 digits is not supported on the Spark "
                                  "engine")
    if not is_nano(x) or to.this == DType.TIMESTAMPTZ:      # (to a zoned one: ``zoned``)
        return None
    p = precision(x.type)
    if to.this in TEXT:
        return text(x, p)
    if to.this in DATE:
        return exp.Cast(this=micros(x), to=exp.DataType.build("DATE"))
    if to.this == DType.TIMESTAMP:          # q <= 6
        constant = x.meta.get("nano_constant")
        if constant is not None:
            moment, _ = _round_constant(constant, precision(to))
            return exp.Cast(this=exp.Literal.string(clock(moment)), to=exp.DataType.build("TIMESTAMP"))
        return _rounded_micros(x, precision(to))
    if to.this == DType.TIME:
        from .times import of_nanos
        return of_nanos(spark("PMOD(UNIX_MICROS(_t), 86400000000) * 1000 + _n", _t=micros(x), _n=nanos(x)),
                        precision(to))
    raise not_supported(node, f"A cast of a timestamp({p}) to {to.sql('trino').lower()} is not supported on the "
                              "Spark engine")


def cast(x: exp.Expression, to: exp.DataType) -> exp.Expression:
    """`x` (a timestamp(7..9)) cast to `to` as Trino casts it."""
    node = exp.Cast(this=x, to=to.copy())
    node.type = to.copy()
    out = _cast(node)
    out = node if out is None else out
    if out.type is None:
        out.type = to.copy()
    return out


def _unit(node: exp.Expression, function: str) -> str:
    unit = node.args.get("unit")
    name = unit.name.lower() if isinstance(unit, (exp.Var, exp.Literal)) else ""
    if name not in units.UNITS:
        raise not_supported(node, f"Function '{function}' of a timestamp of more than 6 digits with this unit is "
                                  "not supported on the Spark engine")
    return name


def _trunc(node: exp.Expression) -> exp.Expression | None:
    x = node.this
    if not is_nano(x):
        return None
    unit = _unit(node, "date_trunc")
    return make(call("DATE_TRUNC", exp.Literal.string(unit.upper()), micros(x)), 0)


def _date_add(node: exp.DateAdd) -> exp.Expression | None:
    x = node.this
    if not is_nano(x):
        return None
    unit = _unit(node, "date_add")
    return make(call("TIMESTAMPADD", exp.Var(this=unit.upper()), node.expression, micros(x)), nanos(x))


def _to_iso8601(node: exp.Anonymous) -> exp.Expression | None:
    x = node.expressions[0]
    if not is_nano(x):
        return None
    return text(x, precision(x.type), "yyyy-MM-dd'T'HH:mm:ss.SSSSSS")


def _plus(node: exp.Binary) -> exp.Expression | None:
    """A timestamp(7..9) plus or minus an interval: its microseconds moved, the nanoseconds
    past them kept (Trino's intervals are whole milliseconds or months)."""
    from .intervals import is_interval
    x, interval = node.this, node.expression
    if isinstance(node, exp.Add) and is_nano(interval):
        x, interval = interval, x
    if not is_nano(x) and not is_nano(interval):
        return None
    if not is_nano(x) or not is_interval(interval):
        raise not_supported(node, "This arithmetic on a timestamp of more than 6 digits is not supported on the "
                                  "Spark engine")
    moved = type(node)(this=micros(x), expression=interval.copy())
    out = make(moved, nanos(x))
    out.type = x.type.copy()
    return out


CLASS_REWRITES = {
    exp.Add: _plus,
    exp.Sub: _plus,
    exp.Cast: _cast,
    exp.TimestampTrunc: _trunc,
    exp.DateTrunc: _trunc,
    exp.DateAdd: _date_add,
}
ANONYMOUS_REWRITES = {
    "to_iso8601": _to_iso8601,
}

# --------------------------------------------------------------------------------------
# Other nodes: the microseconds, the value compared whole, or passed on
# --------------------------------------------------------------------------------------

_COMPARING = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between, exp.In, exp.NullSafeEQ,
              exp.NullSafeNEQ)
_FIELDS = (exp.Hour, exp.Minute, exp.Second, exp.Day, exp.DayOfMonth, exp.Month, exp.Year, exp.Quarter,
           exp.Week, exp.WeekOfYear, exp.DayOfWeek, exp.DayOfWeekIso, exp.DayOfYear, exp.YearOfWeek,
           exp.Extract, exp.LastDay)
_FIELD_FUNCTIONS = {"millisecond", "day_of_week", "dow", "doy", "day_of_year", "year_of_week", "yow",
                    "last_day_of_month", "week_of_year"}
# (Spark orders the struct as Trino orders the value: max, min and ORDER BY read it whole)
_PASSING = (exp.Paren, exp.Alias, exp.Coalesce, exp.Case, exp.If, exp.Nullif, exp.Subquery, exp.Typeof,
            exp.Is, exp.Ordered, exp.Tuple, exp.Values, exp.Max, exp.Min, exp.Try)


def _handled(node: exp.Expression) -> bool:
    if isinstance(node, exp.Anonymous):
        return node.name.lower() in ("to_iso8601", "typeof")
    return type(node) in CLASS_REWRITES


def adapt(node: exp.Expression) -> None:
    """Give `node` the reading of each timestamp(7..9) argument it needs."""
    if _handled(node):
        return
    children = [c for v in node.args.values() for c in (v if isinstance(v, list) else [v])
                if isinstance(c, exp.Expression) and not isinstance(c, exp.DataType)]
    if not any(is_nano(c) for c in children):
        return
    name = node.name.lower() if isinstance(node, exp.Anonymous) else None
    for child in children:
        if isinstance(node, _COMPARING):
            if is_nano(child):
                continue
            if is_type(child, DType.TIMESTAMP):       # widened: no nanoseconds past its microseconds
                child.replace(make(child.copy(), 0))
                continue
            if isinstance(child, exp.Null) or child.type is not None and child.type.this in (DType.NULL,
                                                                                           DType.UNKNOWN):
                continue
            raise not_supported(node, "This comparison of a timestamp of more than 6 digits is not supported on "
                                      "the Spark engine")
        if not is_nano(child):
            continue
        from . import nano_arrays
        if nano_arrays.takes_whole(node, child):     # an array's element, or the value it is searched for
            continue
        if isinstance(node, _FIELDS) or name in _FIELD_FUNCTIONS:
            child.replace(micros(child))
        elif not (isinstance(node, _PASSING) or isinstance(node, exp.Select) and not node.args.get("distinct")):
            raise not_supported(child, f"This use of a timestamp({precision(child.type)}) is not supported on the "
                                       "Spark engine")
