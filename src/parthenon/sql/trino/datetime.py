"""Date and time functions, time zones.

Trino semantics covered:

- ``from_iso8601_timestamp`` (timestamp with time zone),
  ``from_iso8601_date``, ``date_parse`` / ``date_format`` (MySQL specifiers),
  ``format_datetime`` / ``parse_datetime`` (Joda patterns, common letters),
  ``date_trunc`` (keeps DATE for a DATE argument), ``date_diff`` (whole units
  elapsed, not boundaries crossed), ``date_add`` (DATE stays DATE when the
  argument is evidently a DATE), ``from_unixtime``, ``to_unixtime``,
  ``to_iso8601``, ``millisecond``, ``AT TIME ZONE`` / ``at_timezone``,
  ``current_timestamp`` / ``now()``.

Knowingly not covered:

- Time zones: values carry no zone of their own in DuckDB; a session zone of
  UTC is assumed (the engine should ``SET TimeZone='UTC'``).  ``AT TIME ZONE``
  yields the wall-clock TIMESTAMP in that zone.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from .nodes import DATE, duck, fn, is_type, not_supported, string_literal


def _unit(node: exp.Expression) -> str | None:
    unit = node.args.get("unit")
    if unit is None:
        return None
    if isinstance(unit, (exp.Var, exp.Literal, exp.Identifier, exp.Column)):
        return unit.name.lower()
    return None


_BUCKET_WIDTHS = {
    "millisecond": "1 millisecond", "second": "1 second", "minute": "1 minute",
    "hour": "1 hour", "day": "1 day", "week": "7 days", "month": "1 month",
    "quarter": "3 months", "year": "1 year",
}


def _date_trunc(node: exp.TimestampTrunc) -> exp.Expression | None:
    """``date_trunc`` keeps its argument's type in Trino (DATE stays DATE);
    DuckDB's ``time_bucket`` does the same, date_trunc would give TIMESTAMP.
    Weeks start on Monday (time_bucket's default origin is a Monday)."""
    unit = _unit(node)
    if unit is None or unit not in _BUCKET_WIDTHS:
        return None
    width = exp.Cast(this=exp.Literal.string(_BUCKET_WIDTHS[unit]), to=exp.DataType.build("INTERVAL"))
    return fn("time_bucket", width, node.this)


def _date_diff(node: exp.DateDiff) -> exp.Expression | None:
    """Trino counts whole units elapsed (Joda); DuckDB's date_diff counts boundaries
    crossed, its date_sub counts whole units."""
    unit = _unit(node) or "day"
    return fn("date_sub", exp.Literal.string(unit), node.expression, node.this)


def _date_add(node: exp.DateAdd) -> exp.Expression | None:
    """DATE + interval is a TIMESTAMP in DuckDB; Trino keeps DATE for day units and up."""
    unit = _unit(node) or "day"
    if is_type(node.this, *DATE) and unit in ("day", "week", "month", "quarter", "year"):
        return exp.Cast(this=node.copy(), to=exp.DataType.build("DATE"))
    return None


def _millisecond(node: exp.Anonymous) -> exp.Expression:
    return duck("CAST(millisecond(_t) % 1000 AS BIGINT)", _t=node.expressions[0])


def _unix_to_time(node: exp.UnixToTime) -> exp.Expression | None:
    zone = node.args.get("zone")
    extra = [k for k in ("hours", "minutes") if node.args.get(k) is not None]
    if extra:
        raise not_supported(node, "from_unixtime with an hours/minutes offset is not supported")
    if zone is not None:
        name = string_literal(zone)
        base = exp.UnixToTime(this=node.this)
        if name is not None and name.upper() in ("UTC", "Z", "GMT", "ETC/UTC", "+00:00"):
            return base
        return _at_zone(base, zone)
    return None


def _at_zone(value: exp.Expression, zone: exp.Expression) -> exp.Expression:
    """The wall-clock time of an instant in a zone.  A TIMESTAMP without zone is read
    as UTC (Trino's session zone here), as Trino does."""
    return duck("timezone(_z, CAST(_v AS TIMESTAMPTZ))", _z=zone, _v=value)


def _at_time_zone(node: exp.AtTimeZone) -> exp.Expression:
    return _at_zone(node.this, node.args["zone"])


def _at_timezone_fn(node: exp.Anonymous) -> exp.Expression:
    value, zone = node.expressions
    return _at_zone(value, zone)


def _with_timezone(node: exp.Anonymous) -> exp.Expression:
    """with_timezone(timestamp, zone): the naive timestamp read in that zone."""
    value, zone = node.expressions
    return duck("timezone(_z, CAST(_v AS TIMESTAMP))", _z=zone, _v=value)


def _to_iso8601(node: exp.Anonymous) -> exp.Expression:
    x = node.expressions[0]
    if is_type(x, *DATE):
        return fn("strftime", x, exp.Literal.string("%Y-%m-%d"))
    return duck(
        "CASE WHEN typeof(_x) = 'DATE' THEN CAST(_x AS VARCHAR) "
        "WHEN typeof(_x) = 'TIMESTAMP WITH TIME ZONE' "
        "THEN strftime(CAST(CAST(_x AS VARCHAR) AS TIMESTAMPTZ), '%Y-%m-%dT%H:%M:%S.%gZ') "
        "ELSE strftime(CAST(CAST(_x AS VARCHAR) AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%g') END",
        _x=x)


# Joda-Time pattern letters -> strftime (format_datetime / parse_datetime)
_JODA = [
    ("yyyy", "%Y"), ("YYYY", "%Y"), ("xxxx", "%G"), ("yy", "%y"), ("y", "%Y"),
    ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"), ("M", "%-m"),
    ("dd", "%d"), ("d", "%-d"), ("DDD", "%j"),
    ("HH", "%H"), ("H", "%-H"), ("hh", "%I"), ("h", "%-I"),
    ("mm", "%M"), ("m", "%-M"), ("ss", "%S"), ("s", "%-S"),
    ("SSSSSS", "%f"), ("SSS", "%g"),
    ("EEEE", "%A"), ("EEE", "%a"), ("a", "%p"),
    ("ZZ", "%z"), ("Z", "%z"), ("zzzz", "%Z"), ("z", "%Z"),
]


def _joda_to_strftime(node: exp.Expression, pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            end = pattern.find("'", i + 1)
            if end == -1:
                raise not_supported(node, f"Invalid format: '{pattern}'")
            literal = pattern[i + 1:end] if end > i + 1 else "'"
            out.append(literal.replace("%", "%%"))
            i = end + 1
            continue
        if ch.isalpha():
            run = len(pattern[i:]) - len(pattern[i:].lstrip(ch))
            letters = pattern[i:i + run]
            for joda, fmt in _JODA:
                if letters == joda:
                    out.append(fmt)
                    break
            else:
                raise not_supported(node, f"Joda pattern '{letters}' is not supported")
            i += run
            continue
        out.append("%%" if ch == "%" else ch)
        i += 1
    return "".join(out)


def _format_datetime(node: exp.Anonymous) -> exp.Expression:
    value, pattern = node.expressions
    text = string_literal(pattern)
    if text is None:
        raise not_supported(node, "format_datetime with a non-literal format is not supported")
    return fn("strftime", value, exp.Literal.string(_joda_to_strftime(node, text)))


def _parse_datetime(node: exp.ParseDatetime) -> exp.Expression:
    text = string_literal(node.args.get("format") or node.expression)
    if text is None:
        raise not_supported(node, "parse_datetime with a non-literal format is not supported")
    fmt = _joda_to_strftime(node, text)
    parsed = fn("strptime", node.this, exp.Literal.string(fmt))
    return exp.Cast(this=parsed, to=exp.DataType.build("TIMESTAMPTZ"))


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.TimestampTrunc: _date_trunc,
    exp.DateTrunc: _date_trunc,
    exp.DateDiff: _date_diff,
    exp.DateAdd: _date_add,
    exp.UnixToTime: _unix_to_time,
    exp.AtTimeZone: _at_time_zone,
    exp.ParseDatetime: _parse_datetime,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "millisecond": _millisecond,
    "at_timezone": _at_timezone_fn,
    "with_timezone": _with_timezone,
    "to_iso8601": _to_iso8601,
    "format_datetime": _format_datetime,
}
