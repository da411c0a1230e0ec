"""Arithmetic and math constants.

Trino semantics covered:

- ``/`` on integers truncates toward zero (``7/2 = 3``, ``-7/2 = -3``) and
  fails on division by zero; on REAL/DOUBLE it divides exactly.
- ``/`` on decimals gives Trino's decimal(p,s) (``typing``), computed exactly on
  the unscaled integers (128-bit) and rounded half up (``10.0 / 3`` is 3.3),
  failing on division by zero; where the scaled dividend may pass 38 digits (Trino
  computes on 256 bits) through Python's decimal (``trino_decimal_divide``), overflow
  being NUMERIC_VALUE_OUT_OF_RANGE; ``avg`` of a decimal keeps its type.
- ``-9223372036854775808`` is the bigint Long.MIN_VALUE (its digits alone are a
  decimal), so that ``-9223372036854775808 / -1`` overflows as Trino's bigint does.
- ``infinity()``, ``nan()``, ``e()``, ``is_finite``, ``is_infinite`` through
  DuckDB's equivalents.

Knowingly not covered:

- DOUBLE division by zero fails in DuckDB where Trino returns Infinity/NaN,
  when the operand types are not evident.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from . import intervals
from .nodes import REALS, duck, fn, int_literal, is_type
from ....sql.trino.typing import MIN_BIGINT, decimal_ps


def _division(node: exp.Div) -> exp.Expression:
    """Trino divides integers with truncation toward zero; DuckDB's ``//`` does the
    same for integers and divides exactly for DOUBLE/DECIMAL, so it is Trino's ``/``
    for any operand types.  Known non-integer operands keep ``/`` (so that a DOUBLE
    division by zero gives Infinity as in Trino)."""
    left, right = node.this, node.expression
    by_interval = intervals.divide(node)
    if by_interval is not None:
        return by_interval
    exact = _decimal_division(node, left, right)
    if exact is not None:
        return exact
    if is_type(left, *REALS) or is_type(right, *REALS):
        node.set("typed", False)
        return node
    return exp.IntDiv(this=left, expression=right)


_EXACT_DIVISION = (
    "list_transform([struct_pack(n := _n, d := _d)], lambda v: CASE WHEN v.d = 0 "
    "THEN error('Division by zero') ELSE CAST(CAST(v.n // v.d + CASE WHEN abs(v.n % v.d) "
    ">= abs(v.d) - abs(v.n % v.d) THEN sign(v.n) * sign(v.d) ELSE 0 END AS DECIMAL(38, 0)) * _unit AS _type) END)[1]")


def _decimal_division(node: exp.Div, left: exp.Expression, right: exp.Expression):
    """decimal(p1,s1) / decimal(p2,s2) (an integer is a decimal of scale 0) as Trino
    computes it: the unscaled dividend times 10^(s + s2 - s1), divided by the unscaled
    divisor, rounded half away from zero, is the result's unscaled value at scale s."""
    if not is_type(node, exp.DType.DECIMAL) or not (is_type(left, exp.DType.DECIMAL) or
                                                     is_type(right, exp.DType.DECIMAL)):
        return None
    sides = [decimal_ps(left.type), decimal_ps(right.type)]
    result = decimal_ps(node.type)
    if None in sides or result is None:
        return None
    (p1, s1), (_, s2), (p, s) = *sides, result
    # (the unscaled values below are DuckDB decimals times 10^scale: p + s digits at most)
    p2 = sides[1][0]
    if p1 + s + s2 - s1 > 38 or p1 + s1 > 38 or p2 + s2 > 38:
        # the scaled dividend may pass 128 bits: Trino divides on 256, Python's decimal here
        quotient = fn("trino_decimal_divide", exp.Cast(this=left, to=exp.DataType.build("VARCHAR")),
                      exp.Cast(this=right, to=exp.DataType.build("VARCHAR")),
                      exp.Literal.number(p), exp.Literal.number(s))
        return exp.Cast(this=quotient, to=node.type.copy())

    def unscaled(x: exp.Expression, scale: int, times: int = 0) -> exp.Expression:
        value = duck(f"CAST(CAST(_x AS DECIMAL(38, {scale})) * {10 ** scale} AS HUGEINT)", _x=x)
        return duck(f"_v * CAST('{10 ** times}' AS HUGEINT)", _v=value) if times else value
    unit = exp.Cast(this=exp.Literal.string(f"{10 ** -s:.{s}f}" if s else "1"),
                    to=exp.DataType.build(f"DECIMAL({max(s, 1)}, {s})"))
    out = duck(_EXACT_DIVISION, _n=unscaled(left, s1, s + s2 - s1), _d=unscaled(right, s2),
               _unit=unit)
    for cast in out.find_all(exp.Cast):
        if cast.to.this == exp.DType.USERDEFINED and cast.to.args.get("kind") == "_type":
            cast.set("to", node.type.copy())
    return out


def _decimal_avg(node: exp.Avg) -> exp.Expression | None:
    by_interval = intervals.average(node)
    if by_interval is not None:
        return by_interval
    if is_type(node, exp.DType.DECIMAL) and not isinstance(node.parent, exp.Window):
        return exp.Cast(this=node.copy(), to=node.type.copy())
    return None


def _date_plus_interval(node: exp.Binary) -> exp.Expression | None:
    """Dates, times and timestamps plus intervals are the ``intervals`` module's."""
    return intervals.plus(node)


def _round(node: exp.Round) -> exp.Expression | None:
    """round(x, n) with n from a column (DuckDB wants a constant): rounded as a double,
    then given x's Trino type back."""
    digits = node.args.get("decimals")
    if digits is None or isinstance(digits, exp.Literal) or (isinstance(digits, exp.Neg) and
                                                              isinstance(digits.this, exp.Literal)):
        return None
    rounded = duck("round(CAST(_x AS DOUBLE), CAST(_n AS INTEGER))", _x=node.this, _n=digits)
    typ = node.type
    if typ is not None and typ.this not in (exp.DType.DOUBLE, exp.DType.UNKNOWN):
        return exp.Cast(this=rounded, to=typ.copy())
    return rounded


def _min_bigint(node: exp.Neg) -> exp.Expression | None:
    """``-9223372036854775808``: typed bigint (``typing``), a BIGINT for DuckDB too."""
    if int_literal(node) != MIN_BIGINT:
        return None
    return exp.Cast(this=exp.Literal.string(str(MIN_BIGINT)), to=exp.DataType.build("BIGINT"))


def _infinity(node: exp.Anonymous) -> exp.Expression:
    return exp.Cast(this=exp.Literal.string("inf"), to=exp.DataType.build("DOUBLE"))


def _nan(node: exp.Anonymous) -> exp.Expression:
    return exp.Cast(this=exp.Literal.string("nan"), to=exp.DataType.build("DOUBLE"))


def _e(node: exp.Anonymous) -> exp.Expression:
    return exp.Exp(this=exp.Literal.number(1))


def _is_finite(node: exp.Anonymous) -> exp.Expression:
    return fn("isfinite", node.expressions[0])


def _is_infinite(node: exp.Anonymous) -> exp.Expression:
    return fn("isinf", node.expressions[0])


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Div: _division,
    exp.Avg: _decimal_avg,
    exp.Round: _round,
    exp.Add: _date_plus_interval,
    exp.Sub: _date_plus_interval,
    exp.Neg: _min_bigint,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "infinity": _infinity,
    "nan": _nan,
    "e": _e,
    "is_finite": _is_finite,
    "is_infinite": _is_infinite,
}
