"""Math functions with Trino's answers where DuckDB's differ (their types are ``typing``'s).

Trino semantics covered:

- ``round(x, d)`` of a double or real rounds half away from zero at d digits as Trino
  computes it (``round(x * 10^d) / 10^d`` on the absolute value: ``round(-3.55e0, 1)``
  is -3.6, where DuckDB's exact rounding gives -3.5); NaN and infinities unchanged.
- ``round(x, d)`` of a decimal with d from a column (DuckDB wants a constant) rounds
  the unscaled 128-bit integer half away from zero: exact at any precision.
- ``sign(x)`` is of x's type: a double's sign is a double (NaN's is NaN), a decimal's
  decimal(1,0).
- ``cbrt`` of a perfect cube is exact (as Java's ``Math.cbrt``: ``cbrt(27)`` is 3.0).
- ``width_bucket(x, bins)``: the number of bins (sorted ascending) at most x.
- ``grouping(...)`` is an integer.

Knowingly not covered: ``round(x, d)`` of a double for |d| past 308 (Trino's own
special cases).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino.typing import decimal_ps, is_a
from .nodes import duck, int_literal

DType = exp.DType


def _round(node: exp.Round) -> exp.Expression | None:
    digits = node.args.get("decimals")
    x = node.this
    if digits is None:
        return None
    if is_a(x.type, DType.DOUBLE, DType.FLOAT):
        out = duck("CASE WHEN isnan(_x) OR isinf(_x) THEN _x WHEN _x < 0 "
                   "THEN -(floor(-_x * pow(10, _d) + 0.5) / pow(10, _d)) "
                   "ELSE floor(_x * pow(10, _d) + 0.5) / pow(10, _d) END", _x=x, _d=digits)
        return exp.Cast(this=out, to=x.type.copy()) if is_a(x.type, DType.FLOAT) else out
    if is_a(x.type, DType.DECIMAL) and int_literal(digits) is None and \
            not (isinstance(digits, exp.Neg) and int_literal(digits.this) is not None):
        return _decimal_round(node, x, digits)
    return None


def _decimal_round(node: exp.Round, x: exp.Expression, digits: exp.Expression) -> exp.Expression:
    """The unscaled value u of x (scale s), rounded at d digits: with k = s - d digits
    dropped, (|u| + 10^k / 2) // 10^k * 10^k, signed; 10^k is built from its text (a
    double power of ten past 10^22 is not exact)."""
    s = decimal_ps(x.type)[1]
    unit = exp.Cast(this=exp.Literal.string(f"{10 ** -s:.{s}f}" if s else "1"),
                    to=exp.DataType.build(f"DECIMAL({max(s, 1)}, {s})"))
    out = duck(
        "list_transform([struct_pack(u := CAST(CAST(_x AS DECIMAL(38, " + str(s) + ")) * "
        + str(10 ** s) + " AS HUGEINT), k := " + str(s) + " - CAST(_d AS INTEGER))], lambda v: "
        "CASE WHEN v.k <= 0 THEN CAST(_x AS DECIMAL(38, " + str(s) + ")) WHEN v.k > 38 "
        "THEN CAST(0 AS DECIMAL(38, " + str(s) + ")) ELSE CAST(CAST(sign(v.u) * ((abs(v.u) + "
        "CAST('5' || repeat('0', v.k - 1) AS HUGEINT)) // CAST('1' || repeat('0', v.k) AS HUGEINT)) * "
        "CAST('1' || repeat('0', v.k) AS HUGEINT) AS DECIMAL(38, 0)) * _unit AS DECIMAL(38, "
        + str(s) + ")) END)[1]", _x=x, _d=digits, _unit=unit)
    return exp.Cast(this=out, to=node.type.copy()) if node.type is not None else out


def _sign(node: exp.Sign) -> exp.Expression | None:
    x = node.this
    if is_a(x.type, DType.DOUBLE, DType.FLOAT):
        return exp.Cast(this=duck("CASE WHEN isnan(_x) THEN _x ELSE sign(_x) END", _x=x),
                        to=x.type.copy())
    if is_a(x.type, DType.DECIMAL):
        return exp.Cast(this=duck("sign(_x)", _x=x), to=exp.DataType.build("DECIMAL(1, 0)"))
    return None


def _cbrt(node: exp.Cbrt) -> exp.Expression:
    return duck("list_transform([cbrt(_x)], lambda c: CASE WHEN round(c) * round(c) * round(c) = _x "
                "THEN round(c) ELSE c END)[1]", _x=node.this)


def _width_bucket(node: exp.WidthBucket) -> exp.Expression | None:
    bins = node.args.get("min_value")
    if node.args.get("max_value") is not None or bins is None:
        return None     # width_bucket(x, bound1, bound2, n): formatting's
    return duck("CAST(len(list_filter(_b, lambda b: b <= _x)) AS BIGINT)", _x=node.this, _b=bins)


def _grouping(node: exp.Grouping) -> exp.Expression:
    """grouping(...) is an integer in Trino (up to 31 arguments), DuckDB's a BIGINT."""
    return exp.Cast(this=node.copy(), to=exp.DataType.build("INTEGER"))


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Round: _round,
    exp.Sign: _sign,
    exp.Cbrt: _cbrt,
    exp.WidthBucket: _width_bucket,
    exp.Grouping: _grouping,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
