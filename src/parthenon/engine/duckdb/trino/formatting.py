"""Functions that format numbers and durations, or parse them from text.

Trino semantics covered:

- ``format(fmt, args...)`` (Java's ``%s``, ``%d``, ``%.2f``... through
  DuckDB's printf), ``format_number(x)`` (three significant digits and a
  K/M/B/T/Q suffix: ``1.23M``, ``123K``, ``999``).
- ``human_readable_seconds(x)`` (``1 hour, 2 minutes, 42 seconds``),
  ``parse_duration('1.5h')`` (interval day to second),
  ``parse_data_size('2.3MB')`` (decimal(38,0), powers of 1024, truncated).
- ``to_base(x, radix)`` / ``from_base(text, radix)`` for radix 2 to 36; a text past a bigint is
  not a valid number (INVALID_FUNCTION_ARGUMENT), -9223372036854775808 is.
- ``width_bucket(x, bound1, bound2, n)``.

Knowingly not covered: Java-only format conversions (``%,d``, ``%tY``).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from .nodes import duck

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _format(node: exp.Format) -> exp.Expression:
    return exp.Anonymous(this="printf", expressions=[node.this, *node.expressions])


def _format_number(node: exp.Anonymous) -> exp.Expression:
    x = node.expressions[0]
    units = ["", "K", "M", "B", "T", "Q"]
    unit = ("CASE " + " ".join(f"WHEN abs(_x) >= 1e{3 * i} THEN {i}" for i in range(5, 0, -1))
            + " ELSE 0 END")
    names = "[" + ", ".join(f"'{u}'" for u in units) + "]"
    return duck(
        f"list_transform([{unit}], lambda u: list_transform([CAST(_x AS DOUBLE) / pow(1000, u)], lambda v: "
        "list_transform([round(v, CAST(greatest(0, 3 - length(CAST(CAST(trunc(abs(v)) AS BIGINT) AS VARCHAR))) "
        "AS INTEGER))], "
        "lambda r: CASE WHEN r = trunc(r) THEN CAST(CAST(r AS BIGINT) AS VARCHAR) "
        "ELSE rtrim(rtrim(printf('%.2f', r), '0'), '.') END)[1])[1] "
        f"|| {names}[u + 1])[1]", _x=x)


def _human_readable_seconds(node: exp.Anonymous) -> exp.Expression:
    parts = []
    for name, seconds, modulo in (("week", 604800, None), ("day", 86400, 7), ("hour", 3600, 24),
                                  ("minute", 60, 60), ("second", 1, 60)):
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


_SIZE_UNITS = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]


def _parse_data_size(node: exp.Anonymous) -> exp.Expression:
    power = "CASE p.u " + " ".join(f"WHEN '{u}' THEN {i}" for i, u in enumerate(_SIZE_UNITS)) + " END"
    return duck(
        "list_transform([regexp_extract(trim(_s), '^([0-9]+(?:\\.[0-9]+)?)\\s*([a-zA-Z]+)$', ['n', 'u'])], "
        f"lambda p: CASE WHEN p.n = '' OR ({power}) IS NULL "
        "THEN error('INVALID_FUNCTION_ARGUMENT: Invalid data size: ''' || _s || '''') "
        f"ELSE CAST(floor(CAST(p.n AS DOUBLE) * pow(1024, {power})) AS DECIMAL(38, 0)) END)[1]",
        _s=node.expressions[0])


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


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Format: _format,
    exp.WidthBucket: _width_bucket,
    exp.FromBase: _from_base,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "format_number": _format_number,
    "human_readable_seconds": _human_readable_seconds,
    "parse_duration": _parse_duration,
    "parse_data_size": _parse_data_size,
    "to_base": _to_base,
    "from_base": _from_base,
}
