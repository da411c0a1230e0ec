"""Trino's ``parse_duration('1.5h')`` on Spark: airlift's Duration.valueOf read as Trino
does (a decimal number and one of ns, us, ms, s, m, h, d; spaces around), its
milliseconds as Duration.toMillis computes them in doubles (``floor(value * millis per
unit + 0.5)``), an interval day to second.  Other text is INVALID_FUNCTION_ARGUMENT; more
milliseconds than Spark's day-second interval holds (about 2^53) are refused
(NOT_SUPPORTED)."""
from __future__ import annotations

from sqlglot import exp

from . import intervals
from .templates import spark

FUNCTIONS = frozenset({"parse_duration"})

_PATTERN = r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$"
# airlift's millisPerTimeUnit, as Java computes each factor
_MILLIS_PER_UNIT = {"ns": "1.0E0 / 1000000.0E0", "us": "1.0E0 / 1000.0E0", "ms": "1.0E0", "s": "1000.0E0",
                    "m": "60000.0E0", "h": "3600000.0E0", "d": "86400000.0E0"}
_MAX_MILLIS = 9007199254740992     # 2^53: whole milliseconds a double holds exactly, and Spark's interval


def _parse_duration(node: exp.Anonymous) -> exp.Expression:
    factor = "CASE REGEXP_EXTRACT(__s, _p, 2) " + " ".join(
        f"WHEN '{u}' THEN {f}" for u, f in _MILLIS_PER_UNIT.items()) + " END"
    millis = spark(
        "ELEMENT_AT(TRANSFORM(ARRAY(_x), __s -> CASE WHEN __s IS NULL THEN NULL "
        f"WHEN NOT __s RLIKE _p OR ({factor}) IS NULL THEN CAST(RAISE_ERROR(CONCAT(_message, __s)) AS BIGINT) "
        f"WHEN CAST(REGEXP_EXTRACT(__s, _p, 1) AS DOUBLE) * ({factor}) + 0.5E0 >= {_MAX_MILLIS} THEN "
        "CAST(RAISE_ERROR('NOT_SUPPORTED: parse_duration of more than 2^53 milliseconds is not supported on the "
        f"Spark engine') AS BIGINT) ELSE CAST(FLOOR(CAST(REGEXP_EXTRACT(__s, _p, 1) AS DOUBLE) * ({factor}) "
        "+ 0.5E0) AS BIGINT) END), 1)",
        _x=node.expressions[0], _p=exp.Literal.string(_PATTERN),
        _message=exp.Literal.string("INVALID_FUNCTION_ARGUMENT: duration is not a valid data duration string: "))
    return intervals.day_to_second(millis)


CLASS_REWRITES: dict = {}
ANONYMOUS_REWRITES = {"parse_duration": _parse_duration}
