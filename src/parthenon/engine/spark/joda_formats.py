"""Trino's ``format_datetime`` (Joda patterns) on Spark: Spark's DATE_FORMAT (Java's
DateTimeFormatter) where its letters print as Joda's, the zone parts computed.

The pattern is read as Joda reads it (``sql.trino.joda_patterns``); each letter run
becomes the Java letters that print the same (English names: Spark's locale is
Trino's): ``y``/``Y`` the year (``yy`` two digits; Joda's ``Y`` is the year of era,
Java's the week-based year, so both become ``y``), ``M`` .. ``MMMM``, ``d``, ``D``,
``H``, ``h``, ``m``, ``s``, ``S`` up to 9, ``E`` (``EEEE`` the full name), ``a``.
Text is quoted.  The zone parts are the value's (a timestamp without zone is in
UTC, Trino's zone for it): ``Z`` ``+0709``, ``ZZ`` ``+07:09``, ``ZZZ`` and longer the
zone's id.  The value read is the wall clock: a date at midnight, a timestamp of up
to 6 digits, a zoned one of up to 3.

Refused (NOT_SUPPORTED): a pattern that is not a constant, zone names (``z``: Spark
formats in its session zone), other letters, a zoned value of more than 3 digits
(Trino formats its millisecond instant) and a timestamp of more than 6.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.joda_patterns import tokens
from ...sql.trino.nodes import DATE, is_type, not_supported, string_literal
from ...sql.trino.typing import precision
from . import zoned
from .templates import call, spark

DType = exp.DType
_FIXED = {"d": 2, "H": 2, "h": 2, "m": 2, "s": 2, "D": 3, "S": 9, "a": 1}


def _java(node: exp.Expression, letters: str) -> str:
    ch, n = letters[0], len(letters)
    if ch in "yY":
        return "yy" if n == 2 else "y" * n
    if ch == "M":
        return "M" * min(n, 4)
    if ch == "E":
        return "EEEE" if n >= 4 else "EEE"
    if ch in _FIXED and n <= _FIXED[ch]:
        return letters
    raise not_supported(node, f"Function 'format_datetime' with the pattern letters '{letters}' is not supported "
                              "on the Spark engine")


def _zone_part(x: exp.Expression | None, letters: str) -> exp.Expression:
    colon = ":" if len(letters) == 2 else ""
    if x is None:       # a timestamp without zone: UTC
        return exp.Literal.string("UTC" if len(letters) > 2 else f"+00{colon}00")
    if len(letters) > 2:
        return zoned.zone(x)
    return spark("CONCAT(CASE WHEN _o < 0 THEN '-' ELSE '+' END, LPAD(CAST(ABS(_o) DIV 60 AS STRING), 2, '0'), "
                 f"'{colon}', LPAD(CAST(ABS(_o) % 60 AS STRING), 2, '0'))", _o=zoned.offset_minutes(x))


def _format_datetime(node: exp.Anonymous) -> exp.Expression:
    x, fmt = node.expressions
    pattern = string_literal(fmt)
    if pattern is None:
        raise not_supported(node, "Function 'format_datetime' with a pattern that is not a constant is not "
                                  "supported on the Spark engine")
    if zoned.is_zoned(x):
        if precision(x.type) > 3:
            raise not_supported(node, "Function 'format_datetime' of a zoned timestamp of more than 3 digits is "
                                      "not supported on the Spark engine")
        wall, zoned_value = zoned.wall(x), x
    elif is_type(x, DType.TIMESTAMP) and precision(x.type) <= 6:
        wall, zoned_value = x, None
    elif is_type(x, *DATE):
        wall, zoned_value = exp.Cast(this=x, to=exp.DataType.build("TIMESTAMP")), None
    else:
        raise not_supported(node, "Function 'format_datetime' of this value is not supported on the Spark engine")
    pieces: list[exp.Expression] = []
    java: list[str] = []

    def flush() -> None:
        if java:
            pieces.append(call("DATE_FORMAT", wall.copy(), exp.Literal.string("".join(java))))
            java.clear()
    for kind, value in tokens(pattern):
        if kind == "text":
            if value:
                java.append("'" + value.replace("'", "''") + "'")
        elif value[0] == "Z":
            flush()
            pieces.append(_zone_part(zoned_value, value))
        else:
            java.append(_java(node, value))
    flush()
    out = call("CONCAT", *pieces) if len(pieces) > 1 else pieces[0] if pieces else exp.Literal.string("")
    return spark("CASE WHEN _w IS NOT NULL THEN _s END", _w=wall.copy(), _s=out)


CLASS_REWRITES: dict = {}
ANONYMOUS_REWRITES = {"format_datetime": _format_datetime}
