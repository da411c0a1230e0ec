"""Date and time functions, time zones.

Trino semantics covered:

- ``from_iso8601_timestamp`` (timestamp with time zone), ``from_iso8601_timestamp_nanos``
  and ``from_unixtime_nanos`` (an integer; timestamp(9) with time zone),
  ``from_iso8601_date``, ``date_parse`` / ``date_format`` (MySQL specifiers),
  ``format_datetime`` / ``parse_datetime`` (Joda patterns, common letters),
  ``date_trunc`` (keeps DATE for a DATE argument), ``date_diff`` (whole units
  elapsed, not boundaries crossed), ``date_add`` (DATE stays DATE when the
  argument is evidently a DATE), ``from_unixtime``, ``to_unixtime``,
  ``to_iso8601``, ``millisecond``, ``AT TIME ZONE`` / ``at_timezone``,
  ``current_timestamp`` / ``now()``.

- TIMESTAMP WITH TIME ZONE keeps its zone (represented as ``zoned`` says):
  zoned literals (``Asia/Kathmandu``, ``+04:44``), ``AT TIME ZONE`` /
  ``at_timezone`` / ``with_timezone``, ``from_iso8601_timestamp`` with its
  offset, ``current_timestamp``, ``from_unixtime(x, zone)``; fields, EXTRACT,
  ``date_format`` / ``format_datetime`` read the zone's wall clock;
  ``timezone_hour`` / ``timezone_minute``, ``to_iso8601`` with its offset,
  ``date_trunc`` in the zone, ``to_unixtime`` of the instant.  As Joda counts:
  ``date_add`` of hours and shorter moves the instant, of days and longer the
  wall clock; ``date_diff`` of days and longer counts on the first argument's
  wall clock.  A literal zone Trino does not know is INVALID_FUNCTION_ARGUMENT;
  ``AT TIME ZONE INTERVAL '2' HOUR`` is the zone +02:00.

- EXTRACT's Trino names (``day_of_month``, ``year_of_week``...), ``yow``,
  ``current_timezone()`` (UTC), ``from_unixtime(x, hours, minutes)``, fields of
  intervals (``intervals``).

Knowingly not covered:

- The session zone is UTC (the engine must ``SET TimeZone='UTC'``).
- A zone inside an array or row is shown as DuckDB's struct.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from . import datetime_patterns as patterns, intervals, times, zoned
from ....errors import InvalidFunctionArgument
from .nodes import DATE, duck, fn, int_literal, is_type, not_supported, position, string_literal
from ....sql.trino.typing import precision
from ....sql.trino.units import UNITS


def is_zoned(node: exp.Expression | None) -> bool:
    """Whether a node's Trino type is timestamp with time zone (a ``zoned`` struct)."""
    return node is not None and node.type is not None and node.type.this == exp.DType.TIMESTAMPTZ


def wall_clock(x: exp.Expression) -> exp.Expression:
    """What a field or format function reads: the zone's wall clock for a zoned value
    (a time with time zone's TIMETZ, whose fields are its wall clock's)."""
    if is_type(x, exp.DType.TIMETZ):
        return times.timetz(x)
    return zoned.local(x) if is_zoned(x) else x


def zone_argument(z: exp.Expression) -> exp.Expression:
    """A zone as Trino keys it; a zone from an interval (``AT TIME ZONE INTERVAL '2'
    HOUR``) is that offset.  A literal zone Trino does not know is refused."""
    if intervals.is_interval(z):
        return duck("list_transform([_ms // 60000], lambda m: CASE WHEN m = 0 THEN 'UTC' ELSE "
                    "CASE WHEN m < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(m) // 60 AS VARCHAR), 2, '0') "
                    "|| ':' || lpad(CAST(abs(m) % 60 AS VARCHAR), 2, '0') END)[1]", _ms=intervals.millis(z))
    name = string_literal(z)
    if name is None:
        return z
    key = zoned.canonical_zone(name)
    if not zoned.known_zone(key):
        raise InvalidFunctionArgument(f"'{name}' is not a valid time zone", *position(z))
    return exp.Literal.string(key)


def _unit(node: exp.Expression) -> str | None:
    unit = node.args.get("unit")
    if unit is None:
        return None
    if isinstance(unit, (exp.Var, exp.Literal, exp.Identifier, exp.Column)):
        return unit.name.lower()
    return None


def check_unit(node: exp.Expression) -> None:
    """A constant unit its argument's type has no field for fails as in Trino
    (``date_trunc('century', d)``, ``date_add('hour', 1, DATE ..)``): a DATE has the
    calendar units, a TIME the ones shorter than a day.  A unit held in a column is
    not read here (DuckDB would take its name as the unit)."""
    unit = _unit(node)
    if unit is None:
        return
    x = node.this
    if is_type(x, *DATE):
        kind, allowed = "DATE", UNITS[4:]
    elif is_type(x, exp.DType.TIME, exp.DType.TIMETZ):
        kind, allowed = "TIME", UNITS[:4]
    else:
        kind, allowed = "TIMESTAMP", UNITS
    if unit not in allowed:
        raise InvalidFunctionArgument(f"'{unit}' is not a valid {kind} field", *position(node))


_BUCKET_WIDTHS = {
    "millisecond": "1 millisecond", "second": "1 second", "minute": "1 minute",
    "hour": "1 hour", "day": "1 day", "week": "7 days", "month": "1 month",
    "quarter": "3 months", "year": "1 year",
}


def in_zone(node: exp.Expression, compute, truncates: bool = False) -> exp.Expression:
    """A zoned argument (``node.this``) computed on its wall clock, then read back in its zone."""
    return on_wall_clock(node.this, compute, truncates)


def on_wall_clock(x: exp.Expression, compute, truncates: bool = False) -> exp.Expression:
    """A zoned value computed on its wall clock, then read back in its zone; its
    nanoseconds kept, or zero when ``compute`` truncates (to a millisecond or more)."""
    z = zoned.zone_of(x)
    return zoned.like(x, zoned.instant_of(compute(zoned.local(x)), z), z,
                      exp.Literal.number(0) if truncates else None)


def _date_trunc(node: exp.TimestampTrunc) -> exp.Expression | None:
    """``date_trunc`` keeps its argument's type in Trino (DATE stays DATE);
    DuckDB's ``time_bucket`` does the same, date_trunc would give TIMESTAMP.
    Weeks start on Monday (time_bucket's default origin is a Monday)."""
    check_unit(node)
    unit = _unit(node)
    if unit is None or unit not in _BUCKET_WIDTHS:
        return None
    width = exp.Cast(this=exp.Literal.string(_BUCKET_WIDTHS[unit]), to=exp.DataType.build("INTERVAL"))
    if is_zoned(node.this):
        return in_zone(node, lambda t: fn("time_bucket", width, t), truncates=True)
    if is_type(node.this, exp.DType.TIMETZ):
        return times.on_wall_clock(node.this, lambda t: fn("time_bucket", width, t))
    return fn("time_bucket", width, node.this)


_DIFF_UNITS = UNITS       # shortest first: [:4] move an instant, [4:] count on the calendar


def _date_diff(node: exp.DateDiff) -> exp.Expression | None:
    """Trino counts whole units elapsed (Joda); DuckDB's date_diff counts boundaries
    crossed, its date_sub counts whole units.  A unit that is not a constant (a
    column) is chosen row by row."""
    if (found := times.date_diff(node, _unit(node) or "day")) is not None:
        return found
    a, b = (zoned.instant_part(x) if is_zoned(x) else x for x in (node.expression, node.this))
    if is_zoned(node.expression) and is_zoned(node.this):
        b = _whole_micros(b, a, zoned.nanos_of(node.this), zoned.nanos_of(node.expression))
    if is_zoned(node.expression) and (_unit(node) or "day") in _DIFF_UNITS[4:]:
        # days and longer count on the wall clock, in the first argument's zone (Joda)
        z = zoned.zone_of(node.expression)
        a, b = zoned.local_of(a, z), zoned.local_of(b, z)
    unit = node.args.get("unit")
    if isinstance(unit, exp.Var) and unit.name.lower() not in _DIFF_UNITS:
        unit = exp.column(unit.name.lower())    # not a unit: the column holding one
    if unit is not None and not isinstance(unit, (exp.Var, exp.Literal, exp.Identifier)):
        cases = " ".join(f"WHEN '{u}' THEN date_sub('{u}', _a, _b)" for u in _DIFF_UNITS)
        return duck(f"CASE lower(_u) {cases} ELSE error('INVALID_FUNCTION_ARGUMENT: ' || _u || "
                    "' is not a valid Timestamp field') END", _u=unit, _a=a, _b=b)
    return fn("date_sub", exp.Literal.string(_unit(node) or "day"), a, b)


def _whole_micros(b: exp.Expression, a: exp.Expression, nb: exp.Expression, na: exp.Expression) -> exp.Expression:
    """The end instant whose whole microseconds from ``a`` count the units elapsed:
    one microsecond less (more) when the nanoseconds past them make the span shorter."""
    if isinstance(nb, exp.Literal) and isinstance(na, exp.Literal):
        return b
    return duck("_b + to_microseconds(CASE WHEN _b > _a AND _nb < _na THEN -1 "
                "WHEN _b < _a AND _nb > _na THEN 1 ELSE 0 END)", _b=b, _a=a, _nb=nb, _na=na)


def _date_add(node: exp.DateAdd) -> exp.Expression | None:
    """DATE + interval is a TIMESTAMP in DuckDB; Trino keeps DATE for day units and up."""
    check_unit(node)
    unit = _unit(node) or "day"
    if is_zoned(node.this) and unit in _DIFF_UNITS[:4]:
        # units shorter than a day are durations: the instant moves (Joda)
        x = node.this
        moved = exp.DateAdd(this=zoned.instant_part(x), expression=node.expression, unit=node.args.get("unit"))
        return zoned.like(x, moved, zoned.zone_of(x))
    if is_zoned(node.this):
        return in_zone(node, lambda t: exp.DateAdd(this=t, expression=node.expression, unit=node.args.get("unit")))
    if is_type(node.this, *DATE) and unit in ("day", "week", "month", "quarter", "year"):
        return exp.Cast(this=node.copy(), to=exp.DataType.build("DATE"))
    return None


def _millisecond(node: exp.Anonymous) -> exp.Expression:
    if intervals.is_interval(node.expressions[0]):
        return intervals.field(node.expressions[0], "millisecond")
    return duck("CAST(millisecond(_t) % 1000 AS BIGINT)", _t=wall_clock(node.expressions[0]))


def _field(node: exp.Expression) -> exp.Expression | None:
    """hour(), year(), day_of_week()...: the wall clock of a zoned value; an interval's
    field of its milliseconds or months."""
    if intervals.is_interval(node.this):
        return intervals.field(node.this, node.key)
    if is_zoned(node.this) or is_type(node.this, exp.DType.TIMETZ):
        node.set("this", wall_clock(node.this))
        return node
    return None


# EXTRACT fields Trino names otherwise than DuckDB
_EXTRACT_FIELDS = {"day_of_month": "day", "day_of_year": "doy", "year_of_week": "isoyear", "yow": "isoyear",
                   "week_of_year": "week"}


def _extract(node: exp.Extract) -> exp.Expression | None:
    x = node.expression
    unit = node.this.name.lower() if node.this is not None else ""
    if unit in _EXTRACT_FIELDS:
        node.set("this", exp.Var(this=_EXTRACT_FIELDS[unit].upper()))
    if unit in ("timezone_hour", "timezone_minute"):
        return _timezone_part(x, unit)
    if intervals.is_interval(x):
        return intervals.field(x, unit)
    if unit in ("dow", "day_of_week"):    # Trino's day of week is ISO's: Monday 1 ... Sunday 7
        node.set("this", exp.Var(this="ISODOW"))
    if is_zoned(x) or is_type(x, exp.DType.TIMETZ):
        node.set("expression", wall_clock(x))
        return node
    return None


def _timezone_part(x: exp.Expression, part: str) -> exp.Expression:
    if is_type(x, exp.DType.TIMETZ):
        minutes = times.offset_minutes(x)
    elif not is_zoned(x):     # read in the session zone, UTC
        return exp.Cast(this=exp.Literal.number(0), to=exp.DataType.build("BIGINT"))
    else:
        minutes = zoned.offset_minutes(x)
    if part == "timezone_hour":
        return duck("CAST(trunc(_m / 60) AS BIGINT)", _m=minutes)
    return duck("CAST(_m - trunc(_m / 60) * 60 AS BIGINT)", _m=minutes)


def _timezone_hour(node: exp.Anonymous) -> exp.Expression:
    return _timezone_part(node.expressions[0], "timezone_hour")


def _timezone_minute(node: exp.Anonymous) -> exp.Expression:
    return _timezone_part(node.expressions[0], "timezone_minute")


def _to_unixtime(node: exp.TimeToUnix) -> exp.Expression | None:
    if is_zoned(node.this):
        if not zoned.has_nanos(node.this):
            return duck("epoch(_i)", _i=zoned.instant_part(node.this))
        return duck("epoch(_i) + _n / 1e9", _i=zoned.instant_part(node.this), _n=zoned.nanos_of(node.this))
    return None


def _current_timezone(node: exp.Expression) -> exp.Expression:
    return exp.Literal.string("UTC")     # the session zone (see the module's docstring)


def _yow(node: exp.Anonymous) -> exp.Expression:
    return duck("CAST(isoyear(_t) AS BIGINT)", _t=wall_clock(node.expressions[0]))


def _current_timestamp(node: exp.Expression) -> exp.Expression:
    return zoned.zoned(exp.CurrentTimestamp(), exp.Literal.string("UTC"))


def _from_iso8601_timestamp(node: exp.Expression, nanos: bool = False) -> exp.Expression:
    """The instant, and the text's own offset as its zone (``Z`` and none are UTC; the
    offset follows a time).  Text that is not ISO 8601 is INVALID_FUNCTION_ARGUMENT.
    ``nanos`` (from_iso8601_timestamp_nanos): the digits past microseconds too."""
    s = node.this if isinstance(node, (exp.FromISO8601Timestamp, exp.FromISO8601TimestampNanos)) \
        else node.expressions[0]
    s = duck("CASE WHEN _s IS NOT NULL AND TRY_CAST(_s AS TIMESTAMPTZ) IS NULL THEN "
             "error('INVALID_FUNCTION_ARGUMENT: Invalid format: \"' || _s || '\"') ELSE _s END", _s=s)
    zone = duck(
        "list_transform([regexp_extract(_s, 'T[0-9:.,]*([+-][0-9][0-9])(?::?([0-9][0-9]))?$', ['h', 'm'])], "
        "lambda o: CASE WHEN o.h = '' OR (o.h IN ('+00', '-00') AND o.m IN ('', '00')) THEN 'UTC' "
        "ELSE o.h || ':' || CASE WHEN o.m = '' THEN '00' ELSE o.m END END)[1]", _s=s)
    if nanos:       # DuckDB's TIMESTAMPTZ drops the digits past microseconds (they do not round)
        digits = duck("rpad(regexp_extract(_s, '[.,][0-9]{6}([0-9]{1,3})', 1), 3, '0')", _s=s)
        return zoned.zoned(duck("CAST(_s AS TIMESTAMPTZ)", _s=s), zone, exp.Cast(
            this=digits, to=exp.DataType.build("SMALLINT")))
    return zoned.zoned(duck("CAST(_s AS TIMESTAMPTZ)", _s=s), zone)


def _from_iso8601_timestamp_nanos(node: exp.Expression) -> exp.Expression:
    return _from_iso8601_timestamp(node, nanos=True)


def _from_unixtime_nanos(node: exp.Anonymous) -> exp.Expression:
    """from_unixtime_nanos(n): the instant n nanoseconds from the epoch, in UTC."""
    if not is_type(node.expressions[0], exp.DType.BIGINT, exp.DType.INT, exp.DType.SMALLINT, exp.DType.TINYINT):
        raise not_supported(node, "from_unixtime_nanos of a value other than an integer is not supported")
    n = exp.Cast(this=node.expressions[0], to=exp.DataType.build("BIGINT"))
    below = duck("((_n % 1000) + 1000) % 1000", _n=n)
    return zoned.zoned(duck("make_timestamp((_n - _b) // 1000)", _n=n, _b=below), exp.Literal.string("UTC"), below)


def _unix_to_time(node: exp.UnixToTime) -> exp.Expression | None:
    zone = node.args.get("zone")
    hours, minutes = node.args.get("hours"), node.args.get("minutes")
    if hours is not None or minutes is not None:
        zone = _offset_zone(node, hours, minutes)
    if zone is not None:
        base = exp.UnixToTime(this=node.this)
        return _at_zone(base, zone)
    return zoned.zoned(node, exp.Literal.string("UTC"))


def _offset_zone(node: exp.Expression, hours: exp.Expression | None, minutes: exp.Expression | None):
    """from_unixtime(x, hours, minutes): the zone of that offset (constants only)."""
    h, m = int_literal(hours) if hours is not None else 0, int_literal(minutes) if minutes is not None else 0
    if h is None or m is None:
        raise not_supported(node, "from_unixtime with a non-constant offset is not supported")
    total = h * 60 + m
    if not -14 * 60 <= total <= 14 * 60:
        raise InvalidFunctionArgument(f"Invalid offset minutes {total}", *position(node))
    sign = "-" if total < 0 else "+"
    return exp.Literal.string(zoned.canonical_zone(f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"))


def _at_zone(value: exp.Expression, zone: exp.Expression) -> exp.Expression:
    """The same instant shown in another zone.  A TIMESTAMP without zone is read in the
    session zone (UTC), as Trino does."""
    if is_type(value, exp.DType.TIMESTAMP) and zoned.carries_nanos(precision(value.type)):    # a TIMESTAMP_NS
        value = zoned.of_wall(value, exp.Literal.string("UTC"), precision(value.type), nanos_wall=True)
    if is_zoned(value):
        return zoned.like(value, zoned.instant_part(value), zone_argument(zone))
    return zoned.zoned(duck("CAST(_v AS TIMESTAMPTZ)", _v=value), zone_argument(zone))


def _at_time_zone(node: exp.AtTimeZone) -> exp.Expression:
    return _at_zone(node.this, node.args["zone"])


def _at_timezone_fn(node: exp.Anonymous) -> exp.Expression:
    value, zone = node.expressions
    return _at_zone(value, zone)


def _with_timezone(node: exp.Anonymous) -> exp.Expression:
    """with_timezone(timestamp, zone): the naive timestamp read in that zone."""
    value, zone = node.expressions
    z = zone_argument(zone)
    if is_type(value, exp.DType.TIMESTAMP) and zoned.carries_nanos(precision(value.type)):    # a TIMESTAMP_NS
        return zoned.of_wall(value, z, precision(value.type), nanos_wall=True)
    return zoned.zoned(zoned.instant_of(value, z), z)


def _to_iso8601(node: exp.Anonymous) -> exp.Expression:
    x = node.expressions[0]
    if is_zoned(x):
        minutes = zoned.offset_minutes(x)
        offset = duck("CASE WHEN _z = 'UTC' THEN 'Z' ELSE CASE WHEN _m < 0 THEN '-' ELSE '+' END || "
                      "lpad(CAST(abs(_m) // 60 AS VARCHAR), 2, '0') || ':' || "
                      "lpad(CAST(abs(_m) % 60 AS VARCHAR), 2, '0') END",
                      _z=zoned.zone_of(x), _m=minutes)
        text = zoned.wall_text(x, precision(x.type), sep="T")
        return duck("_t || _o", _t=text, _o=offset)
    if is_type(x, *DATE):
        return fn("strftime", x, exp.Literal.string("%Y-%m-%d"))
    if is_type(x, exp.DType.TIMESTAMP):
        return zoned.timestamp_text(x, precision(x.type), sep="T")
    return duck(
        "CASE WHEN typeof(_x) = 'DATE' THEN CAST(_x AS VARCHAR) "
        "WHEN typeof(_x) = 'TIMESTAMP WITH TIME ZONE' "
        "THEN strftime(CAST(CAST(_x AS VARCHAR) AS TIMESTAMPTZ), '%Y-%m-%dT%H:%M:%S.%gZ') "
        "ELSE strftime(CAST(CAST(_x AS VARCHAR) AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%g') END",
        _x=x)


def _format_datetime(node: exp.Anonymous) -> exp.Expression:
    value, pattern = node.expressions
    text = string_literal(pattern)
    if text is None:
        raise not_supported(node, "format_datetime with a non-literal format is not supported")
    return patterns.format_datetime(node, wall_clock(value), value if is_zoned(value) else None, text)


def _parse_datetime(node: exp.ParseDatetime) -> exp.Expression:
    text = string_literal(node.args.get("format") or node.expression)
    if text is None:
        raise not_supported(node, "parse_datetime with a non-literal format is not supported")
    return patterns.parse_datetime(node, node.this, text)


def _date_format(node: exp.TimeToStr) -> exp.Expression:
    fmt = string_literal(node.args.get("format"))
    if fmt is None:
        raise not_supported(node, "date_format with a non-literal format is not supported")
    value = wall_clock(node.this)
    if is_zoned(node.this) and precision(node.this.type) > 3:
        value = zoned.round_timestamp(value, 3)     # Trino formats a zoned value's milliseconds
    return patterns.date_format(node, value, fmt)


def _date_parse(node: exp.StrToTime) -> exp.Expression | None:
    fmt = string_literal(node.args.get("format"))
    if fmt is None:
        raise not_supported(node, "date_parse with a non-literal format is not supported")
    return patterns.date_parse(node, node.this, fmt)


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.TimestampTrunc: _date_trunc,
    exp.DateTrunc: _date_trunc,
    exp.DateDiff: _date_diff,
    exp.DateAdd: _date_add,
    exp.UnixToTime: _unix_to_time,
    exp.AtTimeZone: _at_time_zone,
    exp.ParseDatetime: _parse_datetime,
    exp.Extract: _extract,
    exp.TimeToStr: _date_format,
    exp.StrToTime: _date_parse,
    exp.TimeToUnix: _to_unixtime,
    exp.CurrentTimestamp: _current_timestamp,
    exp.FromISO8601Timestamp: _from_iso8601_timestamp,
    exp.FromISO8601TimestampNanos: _from_iso8601_timestamp_nanos,
    exp.CurrentTimezone: _current_timezone,
    **{cls: _field for cls in (
        exp.Year, exp.Month, exp.Day, exp.Hour, exp.Minute, exp.Second, exp.Quarter, exp.Week,
        exp.WeekOfYear, exp.DayOfWeek, exp.DayOfWeekIso, exp.DayOfMonth, exp.DayOfYear,
        exp.YearOfWeek, exp.LastDay, exp.Date)},
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "millisecond": _millisecond,
    "at_timezone": _at_timezone_fn,
    "with_timezone": _with_timezone,
    "to_iso8601": _to_iso8601,
    "format_datetime": _format_datetime,
    "timezone_hour": _timezone_hour,
    "timezone_minute": _timezone_minute,
    "from_iso8601_timestamp": _from_iso8601_timestamp,
    "now": _current_timestamp,
    "yow": _yow,
    "from_unixtime_nanos": _from_unixtime_nanos,
}

# Nodes whose rewrites above read a zoned argument themselves: the walk does not
# unwrap it to its instant first (as it does for every other function and operator).
ZONE_AWARE = frozenset(CLASS_REWRITES) - {exp.UnixToTime, exp.CurrentTimestamp, exp.ParseDatetime,
                                          exp.FromISO8601Timestamp, exp.CurrentTimezone, exp.StrToTime,
                                          exp.FromISO8601TimestampNanos}
ZONE_AWARE_NAMES = frozenset(ANONYMOUS_REWRITES)
