"""Functions that format numbers and durations, or parse them from text.

Trino semantics covered:

- ``format(fmt, args...)``: Java's Formatter (``engine/duckdb/java_format``) over the
  arguments as Trino hands them to it; a row, array or map is NOT_SUPPORTED, a first
  argument of another type than varchar TYPE_MISMATCH. ``format_number(x)`` (three significant digits and a
  K/M/B/T/Q suffix: ``1.23M``, ``123K``, ``999``: java_format.format_number).
- ``human_readable_seconds(x)`` (``1 hour, 2 minutes, 42 seconds``),
  ``parse_duration('1.5h')`` (interval day to second),
  ``parse_data_size('2.3MB')`` (decimal(38,0), powers of 1024, truncated).
- ``to_base(x, radix)`` / ``from_base(text, radix)`` for radix 2 to 36; a text past a bigint is
  not a valid number (INVALID_FUNCTION_ARGUMENT), -9223372036854775808 is.
- ``width_bucket(x, bound1, bound2, n)``.

Knowingly not covered: see java_format.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....errors import TypeMismatch
from ....sql.trino import typing as trino_typing
from ....sql.trino.java_format_specs import not_varchar_message
from ....sql.trino.units import READABLE_UNITS
from . import chars, datetime, intervals, ipaddress, times, zoned
from .nodes import DATE, INTEGERS, duck, fn, is_type, not_supported, position, type_of

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _format(node: exp.Format) -> exp.Expression:
    """format(fmt, args...): Java's Formatter over each argument as the Java object Trino
    makes of its type (``java_format``), passed as ``{k: kind, v: text}``."""
    fmt = node.this
    if type_of(fmt) is not None and not is_type(fmt, exp.DType.VARCHAR, exp.DType.TEXT):
        raise TypeMismatch(not_varchar_message(trino_typing.type_name(fmt.type)), *position(fmt))
    args = [duck("{'k': _k, 'v': _v}", _k=exp.Literal.string(kind), _v=text)
            for kind, text in (_format_argument(x) for x in node.expressions)]
    return fn("trino_format", fmt, exp.Array(expressions=args))


def _format_argument(x: exp.Expression) -> tuple[str, exp.Expression]:
    """(kind, text) of a format() argument: the kind of Java object Trino passes for its
    type, and the text it is rebuilt from."""
    typ = type_of(x)
    varchar = exp.DataType.build("VARCHAR")
    if typ is None:     # NULL is Java's null; a value of a type not known here, its text
        null = isinstance(x, exp.Null) or (x.type is not None and x.type.this == exp.DType.NULL)
        return ("null", exp.Null()) if null else ("string", exp.Cast(this=x, to=varchar))
    p = trino_typing.precision(typ)
    kinds = {exp.DType.BOOLEAN: "boolean", exp.DType.FLOAT: "float", exp.DType.DOUBLE: "double",
             **{t: "long" for t in INTEGERS}, **{t: "date" for t in DATE}}
    if typ.this in kinds:
        value = duck("CAST(CAST(_x AS DOUBLE) AS VARCHAR)", _x=x) if typ.this == exp.DType.FLOAT else \
            exp.Cast(this=x, to=varchar)
        return kinds[typ.this], value
    if typ.this == exp.DType.DECIMAL:
        return "decimal", exp.Cast(this=exp.Cast(this=x, to=typ.copy()), to=varchar)
    if datetime.is_zoned(x):
        return "zoned", duck("_t || '|' || CAST(_o AS VARCHAR)", _t=zoned.text(x, min(p, 9)),
                             _o=zoned.offset_minutes(x))
    if typ.this == exp.DType.TIMESTAMP:
        return "timestamp", zoned.timestamp_text(x, min(p, 9))
    if typ.this == exp.DType.TIME:
        return "time", times.text(x, min(p, 9))
    if typ.this == exp.DType.TIMETZ:
        return "string", times.zoned_text(x, p)
    if typ.this == exp.DType.CHAR:
        return "string", chars.text(x) or exp.Cast(this=x, to=varchar)
    if typ.this == exp.DType.INTERVAL or isinstance(typ.this, exp.Interval):
        return "string", intervals.text(x, trino_typing.interval_kind(typ))
    if ipaddress.is_ipaddress(x):
        return "string", ipaddress.text(x)
    if typ.this in (exp.DType.VARCHAR, exp.DType.TEXT, exp.DType.JSON, exp.DType.UUID):
        return "string", exp.Cast(this=x, to=varchar)
    raise not_supported(x, f"Type not supported for formatting: {trino_typing.type_name(typ) or typ.sql('trino').lower()}")


def _format_number(node: exp.Anonymous) -> exp.Expression:
    return fn("trino_format_number", exp.Cast(this=node.expressions[0], to=exp.DataType.build("DOUBLE")))


def _human_readable_seconds(node: exp.Anonymous) -> exp.Expression:
    parts = []
    for name, seconds, modulo in READABLE_UNITS:
        amount = f"(s // {seconds})" + (f" % {modulo}" if modulo else "")
        parts.append(f"CASE WHEN {amount} > 0 THEN CAST({amount} AS VARCHAR) || ' {name}' || "
                     f"CASE WHEN {amount} > 1 THEN 's' ELSE '' END END")
    # Trino reads the magnitude (-61 is "1 minute, 1 second"); NaN and infinities are refused
    return duck(
        "CASE WHEN isnan(CAST(_x AS DOUBLE)) OR isinf(CAST(_x AS DOUBLE)) THEN "
        "error('INVALID_FUNCTION_ARGUMENT: Invalid argument found: ' || CAST(_x AS VARCHAR)) ELSE "
        "list_transform([CAST(round(abs(_x)) AS BIGINT)], lambda s: CASE WHEN s IS NULL THEN NULL "
        "WHEN s = 0 THEN '0 seconds' ELSE "
        f"array_to_string(list_filter([{', '.join(parts)}], lambda p: p IS NOT NULL), ', ') END)[1] END",
        _x=node.expressions[0])


_DURATION_MICROS = {"ns": "0.001", "us": "1", "ms": "1000", "s": "1000000", "m": "60000000",
                    "h": "3600000000", "d": "86400000000"}


def _parse_duration(node: exp.Anonymous) -> exp.Expression:
    factor = "CASE p.u " + " ".join(f"WHEN '{u}' THEN {f}" for u, f in _DURATION_MICROS.items()) + " END"
    return duck(
        "list_transform([regexp_extract(trim(_s), '^([0-9]+(?:\\.[0-9]+)?)\\s*([a-z]+)$', ['n', 'u'])], "
        f"lambda p: CASE WHEN p.n = '' OR ({factor}) IS NULL "
        "THEN error('INVALID_FUNCTION_ARGUMENT: duration is not a valid data duration string: ' || _s) "
        # whole milliseconds, rounded half up (Trino's Duration.toMillis): 1234.567 ms is 1.235 s
        f"ELSE to_microseconds(CAST(round(CAST(p.n AS DOUBLE) * {factor} / 1000) AS BIGINT) * 1000) END)[1]",
        _s=node.expressions[0])


def _parse_data_size(node: exp.Anonymous) -> exp.Expression:
    return exp.Cast(this=fn("trino_parse_data_size", node.expressions[0]), to=exp.DataType.build("DECIMAL(38, 0)"))


def _to_base(node: exp.Anonymous) -> exp.Expression:
    x, radix = node.expressions     # (the template's lambda names are its own: x may hold a user's v)
    return duck(
        "list_transform([CAST(abs(_x) AS HUGEINT)], lambda tb_v: CASE WHEN _x IS NULL OR _r IS NULL THEN NULL "
        "WHEN _r < 2 OR _r > 36 THEN error('INVALID_FUNCTION_ARGUMENT: Radix must be between 2 and 36') "
        "WHEN tb_v = 0 THEN '0' ELSE CASE WHEN _x < 0 THEN '-' ELSE '' END || array_to_string("
        "list_reverse(list_transform(list_filter(range(64), lambda tb_i: pow(_r, tb_i) <= tb_v), "
        f"lambda tb_i: substr('{_DIGITS}', CAST((tb_v // CAST(pow(_r, tb_i) AS HUGEINT)) % _r AS INTEGER) + 1, 1))), '') "
        "END)[1]", _x=x, _r=radix)


def _from_base(node: exp.Expression) -> exp.Expression:
    text, radix = (node.this, node.expression) if isinstance(node, exp.FromBase) else node.expressions
    return duck(
        "list_transform([list_transform(string_split(lower(ltrim(_s, '-')), ''), "
        f"lambda c: strpos('{_DIGITS}', c) - 1)], lambda ds: CASE WHEN _s IS NULL OR _r IS NULL THEN NULL "
        "WHEN _r < 2 OR _r > 36 THEN error('INVALID_FUNCTION_ARGUMENT: Radix must be between 2 and 36') "
        "WHEN _s IN ('', '-') OR list_bool_or(list_transform(ds, lambda d: d < 0 OR d >= _r)) "
        "THEN error('INVALID_FUNCTION_ARGUMENT: Not a valid base-' || _r || ' number: ' || _s) "
        "ELSE list_transform([CASE WHEN _s LIKE '-%' THEN -1 ELSE 1 END * list_reduce(list_transform(ds, "
        "lambda d: CAST(d AS HUGEINT)), lambda a, b: CASE WHEN a > 18446744073709551616 THEN a ELSE a * _r + b END)], "
        "lambda v: CASE WHEN v > 9223372036854775807 OR v < -9223372036854775808 "
        "THEN error('INVALID_FUNCTION_ARGUMENT: Not a valid base-' || _r || ' number: ' || _s) "
        "ELSE CAST(v AS BIGINT) END)[1] END)[1]",
        _s=text, _r=radix)


def _width_bucket(node: exp.WidthBucket) -> exp.Expression:
    """Trino's MathFunctions.widthBucket, check for check: the bucket of the ascending range,
    mirrored (n - bucket + 1) when bound1 > bound2."""
    x, low, high, n = (node.this, node.args.get("min_value"), node.args.get("max_value"),
                       node.args.get("num_buckets"))
    fail = "error('INVALID_FUNCTION_ARGUMENT: {}')".format
    ascending = ("CASE WHEN _x < least(_lo, _hi) THEN 0 WHEN _x >= greatest(_lo, _hi) THEN _n + 1 "
                 "ELSE CAST(floor(_n * (_x - least(_lo, _hi)) / (greatest(_lo, _hi) - least(_lo, _hi)) + 1) "
                 "AS BIGINT) END")
    return duck(
        f"CAST(CASE WHEN _n <= 0 THEN {fail('bucketCount must be greater than 0')} "
        f"WHEN isnan(_x) THEN {fail('operand must not be NaN')} "
        f"WHEN NOT isfinite(_lo) THEN {fail('first bound must be finite')} "
        f"WHEN NOT isfinite(_hi) THEN {fail('second bound must be finite')} "
        f"WHEN _lo = _hi THEN {fail('bounds cannot equal each other')} "
        f"WHEN _lo > _hi THEN _n - ({ascending}) + 1 ELSE {ascending} END AS BIGINT)",
        _x=exp.cast(x, "double"), _lo=exp.cast(low, "double"), _hi=exp.cast(high, "double"), _n=n)


def _concat_ws(node: exp.ConcatWs) -> exp.Expression | None:
    """concat_ws(sep, array): NULL for a NULL array (DuckDB's is '')."""
    args = node.expressions
    if len(args) != 2 or not is_type(args[1], exp.DType.ARRAY):
        return None
    return duck("CASE WHEN _a IS NULL THEN NULL ELSE concat_ws(_s, _a) END", _s=args[0], _a=args[1])


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Format: _format,
    exp.WidthBucket: _width_bucket,
    exp.FromBase: _from_base,
    exp.ConcatWs: _concat_ws,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "format_number": _format_number,
    "human_readable_seconds": _human_readable_seconds,
    "parse_duration": _parse_duration,
    "parse_data_size": _parse_data_size,
    "to_base": _to_base,
    "from_base": _from_base,
}

# Nodes whose rewrites above read a zoned argument themselves (its wall clock and zone).
ZONE_AWARE = frozenset({exp.Format})
