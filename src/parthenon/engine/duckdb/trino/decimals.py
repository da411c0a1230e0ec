"""DECIMAL arithmetic and text as Trino's (precision and scale come from ``typing``).

Trino semantics covered:

- ``*`` of decimals (an integer is a decimal of scale 0) is decimal(p1+p2, s1+s2),
  exact up to 38 digits: DuckDB computes a product of small decimals in 64 bits and
  fails where Trino's 128 bits hold it, so both operands are widened to 38 digits of
  their own scale first (DuckDB's product then has scale s1+s2 and fails past 38
  digits, NUMERIC_VALUE_OUT_OF_RANGE as in Trino).
- ``+ - *`` overflow past 38 digits is NUMERIC_VALUE_OUT_OF_RANGE (``numeric_errors``),
  also where an operand of a decimal(38,s) sum cannot take the scale s.
- ``%`` of decimals is exact at any size (through Python's decimal where an operand at
  the common scale passes 38 digits).
- A decimal's text: DuckDB writes decimal(p,p) without its leading zero (``.5``);
  Trino writes ``0.5``.

Division and ``avg`` are ``arithmetic``'s; casts between numbers ``numeric_casts``.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino.typing import decimal_ps, is_a
from .nodes import duck, fn

DType = exp.DType


def _widened(x: exp.Expression) -> exp.Expression:
    p_s = decimal_ps(x.type)
    if p_s is None:
        return x
    return exp.Cast(this=x, to=exp.DataType.build(f"DECIMAL(38, {p_s[1]})"))


def _multiply(node: exp.Mul) -> exp.Expression | None:
    if not is_a(node.type, DType.DECIMAL):
        return None
    left, right = node.left, node.right
    if decimal_ps(left.type) is None or decimal_ps(right.type) is None:
        return None
    p = decimal_ps(node.type)[0]
    if p <= 18:     # DuckDB's own 64-bit product holds it
        return None
    out = exp.Mul(this=_widened(left), expression=_widened(right))
    out.type = node.type
    return out


def _rescaled(x: exp.Expression, scale: int) -> exp.Expression:
    """x at 38 digits of ``scale``; a value that does not fit is Trino's overflow (DuckDB's
    own rescale fails as a cast)."""
    return duck(f"CASE WHEN _x IS NOT NULL AND TRY_CAST(_x AS DECIMAL(38, {scale})) IS NULL "
                "THEN error('NUMERIC_VALUE_OUT_OF_RANGE: Decimal overflow') "
                f"ELSE CAST(_x AS DECIMAL(38, {scale})) END", _x=x)


def _add_subtract(node: exp.Binary) -> exp.Expression | None:
    """decimal(38, s) results: an operand of a smaller scale is rescaled to s first, and
    one that cannot be is NUMERIC_VALUE_OUT_OF_RANGE (as Trino), not DuckDB's cast error."""
    if not is_a(node.type, DType.DECIMAL):
        return None
    sides = [decimal_ps(node.left.type), decimal_ps(node.right.type)]
    p, s = decimal_ps(node.type)
    if None in sides or p < 38 or all(side[1] == s for side in sides):
        return None
    left, right = (_rescaled(x, s) if side[1] < s else x
                   for x, side in zip((node.left, node.right), sides))
    out = type(node)(this=left, expression=right)
    out.type = node.type
    return out


def _remainder(node: exp.Mod) -> exp.Expression | None:
    """decimal % decimal: DuckDB's is exact while both operands fit 38 digits at the common
    scale, and goes through a double past that; there Python's decimal computes it."""
    if not is_a(node.type, DType.DECIMAL):
        return None
    sides = [decimal_ps(node.left.type), decimal_ps(node.right.type)]
    if None in sides:
        return None
    s = decimal_ps(node.type)[1]
    if all(p - scale + s <= 38 for p, scale in sides):
        return None
    varchar = exp.DataType.build("VARCHAR")
    out = fn("trino_decimal_remainder", exp.Cast(this=node.left, to=varchar),
             exp.Cast(this=node.right, to=varchar.copy()), exp.Literal.number(s))
    return exp.Cast(this=out, to=node.type.copy())


def text(x: exp.Expression) -> exp.Expression | None:
    """CAST(decimal AS VARCHAR) as Trino writes it: a leading 0 before the point."""
    p_s = decimal_ps(x.type) if is_a(x.type, DType.DECIMAL) else None
    if p_s is None or p_s[0] != p_s[1]:
        return None
    return duck("regexp_replace(CAST(_x AS VARCHAR), '^(-?)\\.', '\\10.')", _x=x)


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Mul: _multiply,
    exp.Mod: _remainder,
    exp.Add: _add_subtract,
    exp.Sub: _add_subtract,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
