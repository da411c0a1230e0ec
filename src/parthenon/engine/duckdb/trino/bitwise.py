"""bit_count and the bit shifts with Trino's answers (their types are ``typing``'s).

Trino semantics covered (BitwiseFunctions):

- ``bit_count(x, bits)``: the set bits of x as a ``bits``-wide two's complement number;
  ``bits`` outside 2..64, or an x that needs more bits, is INVALID_FUNCTION_ARGUMENT.
- ``bitwise_left_shift`` / ``bitwise_right_shift`` / ``bitwise_right_shift_arithmetic``
  (value, shift) keep the value's type (tinyint..bigint) and shift within its width:
  a left shift drops the bits past it (``TINYINT '1'`` << 7 is -128), a logical right
  shift reads the value unsigned at that width (``TINYINT '-7'`` >>> 2 is 62), and a
  shift by the width or more gives 0 (or -1 for a negative value shifted arithmetically).
  A negative shift counts modulo 64, as Java's shift operators do.

DuckDB refuses to left-shift a negative number and shifts its own width only, so the
value is shifted as an unsigned HUGEINT of the type's width and read back signed.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino.typing import is_a
from .nodes import duck

DType = exp.DType

_WIDTH = {DType.TINYINT: 8, DType.SMALLINT: 16, DType.INT: 32, DType.BIGINT: 64}


def _width(node: exp.Anonymous) -> tuple[exp.Expression, exp.Expression, int, exp.DataType] | None:
    if len(node.expressions) != 2:
        return None
    value, shift = node.expressions
    typ = value.type
    if not is_a(typ, *_WIDTH):
        if typ is not None and typ.this not in (DType.UNKNOWN, DType.NULL):
            return None
        typ = exp.DataType.build("BIGINT")
    return value, shift, _WIDTH[typ.this], typ.copy()


def _signed(unsigned: str, width: int) -> str:
    """The width-bit two's complement reading of an unsigned HUGEINT expression."""
    return (f"CASE WHEN {unsigned} >= {2 ** (width - 1)} THEN {unsigned} - {2 ** width} "
            f"ELSE {unsigned} END")


def _shift(kind: str) -> t.Callable[[exp.Anonymous], exp.Expression | None]:
    def rewrite(node: exp.Anonymous) -> exp.Expression | None:
        parts = _width(node)
        if parts is None:
            return None
        value, shift, w, typ = parts
        s = "(CAST(_s AS BIGINT) & 63)"
        unsigned = f"(CAST(p.v AS HUGEINT) & {2 ** w - 1})"
        if kind == "left":
            body = (f"CASE WHEN p.s >= {w} OR p.e >= {w} THEN 0 ELSE "
                    + _signed(f"(({unsigned} & ((CAST(1 AS HUGEINT) << ({w} - p.e)) - 1)) << p.e)", w)
                    + " END")
        elif kind == "right":
            body = (f"CASE WHEN p.s >= {w} OR p.e >= {w} THEN 0 ELSE "
                    + _signed(f"({unsigned} >> p.e)", w) + " END")
        else:
            body = (f"CASE WHEN p.s >= {w} THEN CASE WHEN p.v >= 0 THEN 0 ELSE -1 END "
                    "ELSE CAST(p.v AS BIGINT) >> p.e END")
        out = duck(f"list_transform([struct_pack(v := _v, s := CAST(_s AS BIGINT), e := {s})], "
                   f"lambda p: {body})[1]", _v=value, _s=shift)
        return exp.Cast(this=out, to=typ)
    return rewrite


def _bit_count(node: exp.Anonymous) -> exp.Expression | None:
    if len(node.expressions) != 2:
        return None
    x, bits = node.expressions
    return duck(
        "list_transform([struct_pack(x := CAST(_x AS BIGINT), b := CAST(_b AS BIGINT))], lambda p: "
        "CASE WHEN p.b = 64 THEN CAST(bit_count(p.x) AS BIGINT) "
        "WHEN p.b <= 1 OR p.b > 64 THEN error('INVALID_FUNCTION_ARGUMENT: Bits specified in bit_count "
        "must be between 2 and 64, got ' || p.b) "
        "WHEN p.x > (CAST(1 AS HUGEINT) << (p.b - 1)) - 1 OR p.x < -(CAST(1 AS HUGEINT) << (p.b - 1)) "
        "THEN error('INVALID_FUNCTION_ARGUMENT: Number must be representable with the bits specified. '"
        " || p.x || ' cannot be represented with ' || p.b || ' bits') "
        "ELSE CAST(bit_count(CAST(CAST(p.x AS HUGEINT) & ((CAST(1 AS HUGEINT) << p.b) - 1) AS BIGINT)) "
        "AS BIGINT) END)[1]", _x=x, _b=bits)


CLASS_REWRITES: dict = {}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression | None]] = {
    "bit_count": _bit_count,
    "bitwise_left_shift": _shift("left"),
    "bitwise_right_shift": _shift("right"),
    "bitwise_right_shift_arithmetic": _shift("arithmetic"),
}
