"""Casts between numbers, and between numbers and text, as Trino rounds and checks them.

Trino semantics covered:

- double / real -> integer types rounds half away from zero (``CAST(12.5e0 AS BIGINT)``
  is 13, -12.5 is -13; DuckDB rounds half to even); NaN, infinities and values out of
  range are INVALID_CAST_ARGUMENT (``numeric_errors``).
- varchar -> integer types takes only an optional sign and digits (Java's
  ``Long.parseLong``): ``'1.5'`` and ``' 1'`` are INVALID_CAST_ARGUMENT, where DuckDB
  rounds or trims.
- integer / decimal -> varchar(n) or char(n) whose text is longer than n is
  INVALID_CAST_ARGUMENT (``Value 123 cannot be represented as varchar(2)``), never
  truncated; char(n) pads the text with spaces.
- decimal -> varchar writes Trino's text (``decimals.text``).
- TRY_CAST takes the same rules, a failure being NULL.
- Casts that leave a decimal's range (``CAST(DECIMAL '123' AS DECIMAL(2,1))``,
  ``CAST(BIGINT '10' AS DECIMAL(38,37))``) are INVALID_CAST_ARGUMENT and casts that
  narrow an integer (``CAST(300 AS TINYINT)``) NUMERIC_VALUE_OUT_OF_RANGE: DuckDB's
  errors, in Trino's codes (``numeric_errors``); decimal -> integer rounds half away
  from zero natively.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino.typing import INTEGER_WIDTH, TEXT, is_a, params
from . import decimals
from .nodes import duck

DType = exp.DType
_INTEGERS = tuple(INTEGER_WIDTH)
_TRINO_NAMES = {DType.TINYINT: "TINYINT", DType.SMALLINT: "SMALLINT", DType.INT: "INT",
                DType.BIGINT: "BIGINT"}


def _cast(node: exp.Cast) -> exp.Expression | None:
    to, x = node.to, node.this
    source = x.type
    if source is None:
        return None
    if to.this in _INTEGERS and is_a(source, DType.DOUBLE, DType.FLOAT):
        return type(node)(this=exp.Round(this=x), to=to.copy())     # (TRY_CAST stays one)
    if to.this in _INTEGERS and is_a(source, *TEXT):
        return _parsed_integer(x, to, type(node))
    if to.this in (DType.VARCHAR, DType.CHAR) and (is_a(source, *_INTEGERS, DType.DECIMAL)):
        return _number_text(x, to)
    return None


def _parsed_integer(x: exp.Expression, to: exp.DataType, cast: type = exp.Cast) -> exp.Expression:
    name = _TRINO_NAMES[to.this]
    out = duck("CASE WHEN _x IS NULL OR regexp_full_match(_x, '[+-]?[0-9]+') THEN CAST(_x AS _to) "
               f"ELSE error('INVALID_CAST_ARGUMENT: Cannot cast ''' || _x || ''' to {name}') END",
               _x=x)
    for inner in out.find_all(exp.Cast):
        if inner.to.this == DType.USERDEFINED:
            inner.replace(cast(this=inner.this, to=to.copy()))
    return out


def _number_text(x: exp.Expression, to: exp.DataType) -> exp.Expression | None:
    shown = decimals.text(x) or exp.Cast(this=x, to=exp.DataType.build("VARCHAR"))
    length = params(to)
    if not length:
        return shown if shown is not None and not isinstance(shown, exp.Cast) else None
    n = length[0]
    kind = "char" if to.this == DType.CHAR else "varchar"
    padded = f"rpad(_t, {n}, ' ')" if kind == "char" else "_t"
    return duck(f"CASE WHEN length(_t) > {n} THEN error('INVALID_CAST_ARGUMENT: Value ' || _t || "
                f"' cannot be represented as {kind}({n})') ELSE {padded} END", _t=shown)


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Cast: _cast,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
