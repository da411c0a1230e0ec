"""Math functions with Trino's answers where DuckDB's differ (their types are ``typing``'s).

Trino semantics covered:

- ``round(x, d)`` of a double or real rounds half away from zero at d digits as Trino
  computes it (``Math.round(x * 10^d) / 10^d`` on the absolute value: ``round(-3.55e0, 1)``
  is -3.6, where DuckDB's exact rounding gives -3.5); NaN and infinities unchanged.  The
  scaled value is rounded exactly, as Java's Math.round (0.49999999999999994 is 0, where
  floor(y + 0.5) would make it 1).
- ``round(x, d)`` of a decimal with d from a column (DuckDB wants a constant) rounds
  the unscaled 128-bit integer half away from zero: exact at any precision.
- ``sign(x)`` is of x's type: a double's sign is a double (NaN's is NaN), a decimal's
  decimal(1,0).
- ``cbrt`` of a perfect cube is exact (as Java's ``Math.cbrt``: ``cbrt(27)`` is 3.0).
- ``width_bucket(x, bins)``: the number of bins (sorted ascending) at most x.
- ``grouping(...)`` is an integer.
- ``greatest`` / ``least`` of doubles or reals pass over NaN (NaN only when all are);
  more than 127 arguments are TOO_MANY_ARGUMENTS.

Knowingly not covered: ``round(x, d)`` of a double for |d| past 308 (Trino's own
special cases).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino.typing import INTEGER_WIDTH, decimal_ps, is_a
from ....errors import check_argument_count
from .nodes import duck, int_literal, position

DType = exp.DType


def _round(node: exp.Round) -> exp.Expression | None:
    digits = node.args.get("decimals")
    x = node.this
    if digits is None:
        return None
    if is_a(x.type, DType.DOUBLE, DType.FLOAT):
        out = duck("CASE WHEN isnan(_x) OR isinf(_x) THEN _x WHEN _x < 0 "
                   "THEN -(round(-_x * pow(10, _d)) / pow(10, _d)) "
                   "ELSE round(_x * pow(10, _d)) / pow(10, _d) END", _x=x, _d=digits)
        return exp.Cast(this=out, to=x.type.copy()) if is_a(x.type, DType.FLOAT) else out
    if is_a(x.type, *INTEGER_WIDTH) and is_a(node.type, *INTEGER_WIDTH):
        return _integer_round(x, digits, node.type)
    constant = int_literal(digits) is not None or (isinstance(digits, exp.Neg) and
                                                    int_literal(digits.this) is not None)
    if is_a(x.type, DType.DECIMAL) and (not constant or decimal_ps(x.type)[0] == 38):
        # DuckDB's round takes a constant only; at 38 digits it may overflow (Trino's code)
        return _decimal_round(node, x, digits)
    return None


_RANGE = {DType.TINYINT: 2 ** 7, DType.SMALLINT: 2 ** 15, DType.INT: 2 ** 31, DType.BIGINT: 2 ** 63}


def _integer_round(x: exp.Expression, digits: exp.Expression, typ: exp.DataType) -> exp.Expression:
    """round(n, d) of an integer: n itself for d >= 0; else rounded half away from zero
    at 10^-d, exactly, and NUMERIC_VALUE_OUT_OF_RANGE when 10^-d is past a bigint (d < -18)
    or the result past n's type (``round(TINYINT '127', -1)``)."""
    bound = _RANGE[typ.this]
    out = duck(
        "list_transform([struct_pack(v := CAST(_x AS HUGEINT), d := CAST(_d AS BIGINT))], lambda p: "
        "CASE WHEN p.d >= 0 OR p.v IS NULL THEN p.v "
        "WHEN p.d < -18 THEN error('NUMERIC_VALUE_OUT_OF_RANGE: round(' || p.v || ', ' || p.d || ') is out of range') "
        "ELSE list_transform([sign(p.v) * ((abs(p.v) + CAST(pow(10, -p.d) AS HUGEINT) // 2) "
        "// CAST(pow(10, -p.d) AS HUGEINT)) * CAST(pow(10, -p.d) AS HUGEINT)], lambda r: "
        f"CASE WHEN r >= {bound} OR r < -{bound} THEN error('NUMERIC_VALUE_OUT_OF_RANGE: round(' || p.v "
        "|| ', ' || p.d || ') is out of range') ELSE r END)[1] END)[1]", _x=x, _d=digits)
    return exp.Cast(this=out, to=typ.copy())


def _unscaled_text(r: str, s: int) -> str:
    """DuckDB SQL of the DECIMAL(38, s) whose unscaled value is the HUGEINT ``r``, read
    from its text: scaling by 10^-s would overflow at 38 digits."""
    if not s:
        return f"CAST({r} AS DECIMAL(38, 0))"
    digits = f"CAST(abs({r}) AS VARCHAR)"
    padded = f"lpad({digits}, CAST(greatest(len({digits}), {s + 1}) AS INTEGER), '0')"
    return (f"list_transform([{padded}], lambda t: CAST(CASE WHEN {r} < 0 THEN '-' ELSE '' END "
            f"|| t[1:len(t) - {s}] || '.' || t[len(t) - {s - 1}:] AS DECIMAL(38, {s})))[1]")


def _decimal_round(node: exp.Round | exp.Trunc, x: exp.Expression, digits: exp.Expression,
                   half: bool = True) -> exp.Expression:
    """The unscaled value u of x (scale s), rounded at d digits: with k = s - d digits
    dropped, (|u| + 10^k / 2) // 10^k * 10^k, signed (truncated, ``half`` False: without
    the 10^k / 2); 10^k is built from its text (a double power of ten past 10^22 is not
    exact).  A result past 38 digits (rounding up 99..9.9) is NUMERIC_VALUE_OUT_OF_RANGE,
    as Trino's, not a failed cast."""
    s = decimal_ps(x.type)[1]
    half_up = "CAST('5' || repeat('0', v.k - 1) AS HUGEINT)" if half else "0"
    out = duck(
        "list_transform([struct_pack(u := CAST(replace(CAST(CAST(_x AS DECIMAL(38, " + str(s) + ")) "
        "AS VARCHAR), '.', '') AS HUGEINT), k := " + str(s) + " - CAST(_d AS INTEGER))], lambda v: "
        "CASE WHEN v.k <= 0 THEN CAST(_x AS DECIMAL(38, " + str(s) + ")) WHEN v.k > 38 "
        "THEN CAST(0 AS DECIMAL(38, " + str(s) + ")) ELSE list_transform([sign(v.u) * ((abs(v.u) + "
        + half_up + ") // CAST('1' || repeat('0', v.k) AS HUGEINT)) * "
        "CAST('1' || repeat('0', v.k) AS HUGEINT)], lambda r: CASE WHEN abs(r) >= "
        "CAST('1' || repeat('0', 38) AS HUGEINT) THEN error('NUMERIC_VALUE_OUT_OF_RANGE: decimal "
        "overflow') ELSE " + _unscaled_text("r", s) + " END)[1] END)[1]", _x=x, _d=digits)
    return exp.Cast(this=out, to=node.type.copy()) if node.type is not None else out


def _truncate(node: exp.Trunc) -> exp.Expression | None:
    """truncate(x, d) of a decimal with d from a column (DuckDB's trunc wants a constant):
    the unscaled value cut at d digits, as round's."""
    digits = node.args.get("decimals")
    constant = digits is None or int_literal(digits) is not None or (
        isinstance(digits, exp.Neg) and int_literal(digits.this) is not None)
    if constant or not is_a(node.this.type, DType.DECIMAL):
        return None
    return _decimal_round(node, node.this, digits, half=False)


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


def _extremum(node: exp.Greatest | exp.Least) -> exp.Expression | None:
    """greatest / least: at most 127 arguments (TOO_MANY_ARGUMENTS); of doubles or reals,
    NaN counts only when every value is NaN (``greatest(nan(), 5)`` is 5.0, where DuckDB
    orders NaN above all); NULL if any value is."""
    values = [node.this, *node.expressions]
    check_argument_count("greatest" if isinstance(node, exp.Greatest) else "least", len(values),
                         *position(node))
    if not is_a(node.type, DType.DOUBLE, DType.FLOAT):
        return None
    listed = exp.Array(expressions=[exp.Cast(this=v, to=node.type.copy()) for v in values])
    pick = "list_max" if isinstance(node, exp.Greatest) else "list_min"
    return duck("list_transform([_l], lambda l: CASE WHEN list_bool_or(list_transform(l, lambda v: v IS NULL)) "
                "THEN NULL WHEN list_bool_and(list_transform(l, lambda v: isnan(v))) THEN l[1] "
                f"ELSE {pick}(list_filter(l, lambda v: NOT isnan(v))) END)[1]", _l=listed)


def _grouping(node: exp.Grouping) -> exp.Expression:
    """grouping(...) is an integer in Trino (up to 31 arguments), DuckDB's a BIGINT."""
    return exp.Cast(this=node.copy(), to=exp.DataType.build("INTEGER"))


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Round: _round,
    exp.Sign: _sign,
    exp.Trunc: _truncate,
    exp.Cbrt: _cbrt,
    exp.WidthBucket: _width_bucket,
    exp.Grouping: _grouping,
    exp.Greatest: _extremum,
    exp.Least: _extremum,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
