"""bit_count and the bit shifts on Spark, with Trino's answers (their types: ``typing``).

Trino semantics kept (BitwiseFunctions):

- ``bit_count(x, bits)``: the set bits of x as a ``bits``-wide two's complement number;
  ``bits`` outside 2..64, or an x that needs more bits, is INVALID_FUNCTION_ARGUMENT.
- ``bitwise_left_shift`` / ``bitwise_right_shift`` / ``bitwise_right_shift_arithmetic``
  keep the value's type and shift within its width: a left shift drops the bits past
  it, a logical right shift reads the value unsigned at that width, a shift by the width
  or more gives 0 (-1 for a negative value shifted arithmetically); a negative shift
  counts modulo 64.  Spark's SHIFTLEFT/SHIFTRIGHT(UNSIGNED) shift a 64-bit value, so a
  narrower one is masked to its width and read back signed.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ...sql.trino.nodes import not_supported
from ...sql.trino.typing import is_a
from .templates import spark

DType = exp.DType
_WIDTH = {DType.TINYINT: 8, DType.SMALLINT: 16, DType.INT: 32, DType.BIGINT: 64}
FUNCTIONS = frozenset("bit_count bitwise_left_shift bitwise_right_shift bitwise_right_shift_arithmetic".split())


def _signed(unsigned: str, width: int) -> str:
    if width == 64:
        return unsigned
    return f"CASE WHEN {unsigned} >= {2 ** (width - 1)} THEN {unsigned} - {2 ** width} ELSE {unsigned} END"


def _shift(kind: str) -> t.Callable[[exp.Anonymous], exp.Expression]:
    def rewrite(node: exp.Anonymous) -> exp.Expression:
        value, shift = node.expressions
        typ = value.type
        if not is_a(typ, *_WIDTH):
            if typ is not None and typ.this not in (DType.UNKNOWN, DType.NULL):
                raise not_supported(node, f"Function '{node.name.lower()}' of this type is not supported "
                                          "on the Spark engine")
            typ = exp.DataType.build("BIGINT")
        w = _WIDTH[typ.this]
        mask = "" if w == 64 else f" & {2 ** w - 1}"
        if kind == "left":
            body = f"CASE WHEN p.s >= {w} OR p.e >= {w} THEN 0 ELSE " + \
                _signed(f"(SHIFTLEFT(p.v, p.e){mask})", w) + " END"
        elif kind == "right":
            body = f"CASE WHEN p.s >= {w} OR p.e >= {w} THEN 0 ELSE " + \
                _signed(f"SHIFTRIGHTUNSIGNED(p.v{mask}, p.e)", w) + " END"
        else:
            body = f"CASE WHEN p.s >= {w} THEN CASE WHEN p.v >= 0 THEN 0 ELSE -1 END ELSE SHIFTRIGHT(p.v, p.e) END"
        out = spark(f"ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT('v', CAST(_v AS BIGINT), 's', CAST(_s AS BIGINT), "
                    f"'e', CAST(CAST(_s AS BIGINT) & 63 AS INT))), p -> {body}), 1)", _v=value, _s=shift)
        return exp.Cast(this=out, to=typ.copy())
    return rewrite


def _bit_count(node: exp.Anonymous) -> exp.Expression:
    x, bits = node.expressions
    return spark(
        "ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT('x', CAST(_x AS BIGINT), 'b', CAST(_b AS BIGINT))), p -> "
        "CASE WHEN p.b <= 1 OR p.b > 64 THEN RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: Bits specified in "
        "bit_count must be between 2 and 64, got ', p.b)) "
        "WHEN SHIFTRIGHT(p.x, CAST(p.b - 1 AS INT)) NOT IN (0, -1) THEN RAISE_ERROR(CONCAT("
        "'INVALID_FUNCTION_ARGUMENT: Number must be representable with the bits specified. ', p.x, "
        "' cannot be represented with ', p.b, ' bits')) "
        "WHEN p.b = 64 THEN CAST(BIT_COUNT(p.x) AS BIGINT) "
        "ELSE CAST(BIT_COUNT(p.x & ~SHIFTLEFT(CAST(-1 AS BIGINT), CAST(p.b AS INT))) AS BIGINT) END), 1)",
        _x=x, _b=bits)


CLASS_REWRITES: dict = {}
ANONYMOUS_REWRITES = {
    "bit_count": _bit_count,
    "bitwise_left_shift": _shift("left"),
    "bitwise_right_shift": _shift("right"),
    "bitwise_right_shift_arithmetic": _shift("arithmetic"),
}
