"""Trino's limit on the size of repeat's result: "result of repeat function must not take
more than 1000000 bytes" (INVALID_FUNCTION_ARGUMENT), its block's size in bytes.

That size is Trino's block layout (per position a null flag, offsets, the values' bytes),
not modelled exactly here.  Two bounds of it are: below, the values' own bytes (a bigint's
8, a string's UTF-8 length) times the count; above, those bytes with a generous allowance
per position.  Above the limit by the lower bound the error is Trino's; below it by the
upper bound the array is answered; between the two it is NOT_SUPPORTED (it is either).
Element types without a known width (json, an untyped value) have no lower bound, and
as upper one four bytes a character of their text.
"""
from __future__ import annotations

from sqlglot import exp

from ....sql.trino import typing as trino_typing
from .nodes import duck

LIMIT = 1_000_000
_ALLOWANCE = 8     # bytes per position above the values' own: Trino's null flag and offsets
_WIDTHS = {exp.DType.TINYINT: 1, exp.DType.SMALLINT: 2, exp.DType.INT: 4, exp.DType.BIGINT: 8,
           exp.DType.FLOAT: 4, exp.DType.DOUBLE: 8, exp.DType.BOOLEAN: 1, exp.DType.DATE: 4,
           exp.DType.UUID: 16, exp.DType.IPADDRESS: 16}
_TEXT = (*trino_typing.TEXT, exp.DType.VARBINARY)


def _width(typ: exp.DataType) -> int | None:
    if typ.this in _WIDTHS:
        return _WIDTHS[typ.this]
    if typ.this == exp.DType.DECIMAL:
        ps = trino_typing.decimal_ps(typ)
        return 8 if ps is not None and ps[0] <= 18 else 16
    if typ.this in (exp.DType.TIMESTAMP, exp.DType.TIMESTAMPTZ, exp.DType.TIME, exp.DType.TIMETZ):
        return 8        # (12 past microseconds: 8 is below either)
    return None


def bounds(x: exp.Expression, typ: exp.DataType | None, depth: int = 0) -> tuple[exp.Expression, exp.Expression] | None:
    """SQL for (lower, upper) bounds of the bytes one value x of Trino type typ takes in a
    block (x not NULL); None where no upper bound is known."""
    if typ is None:
        return None
    width = _width(typ)
    if width is not None:
        return exp.Literal.number(width), exp.Literal.number(width + _ALLOWANCE)
    if typ.this in _TEXT:
        size = duck("octet_length(CAST(_x AS BLOB))" if typ.this == exp.DType.VARBINARY
                    else "strlen(CAST(_x AS VARCHAR))", _x=x.copy())
        return size, duck(f"_s + {_ALLOWANCE}", _s=size.copy())
    if typ.this == exp.DType.ARRAY and typ.expressions:
        e = exp.column(f"rs{depth}")
        inner = bounds(e, typ.expressions[0], depth + 1)
        if inner is None:
            return None
        lo, hi = (duck(f"coalesce(list_sum(list_transform(_x, lambda rs{depth}: "
                       f"CASE WHEN rs{depth} IS NULL THEN {0 if i == 0 else _ALLOWANCE + 16} ELSE _b END)), 0)"
                       + ("" if i == 0 else f" + {_ALLOWANCE}"), _x=x.copy(), _b=b) for i, b in enumerate(inner))
        return lo, hi
    if typ.this == exp.DType.MAP and len(typ.expressions) == 2:
        parts = [bounds(duck(f"{f}(_x)", _x=x.copy()), exp.DataType(this=exp.DType.ARRAY, expressions=[k.copy()]),
                        depth) for f, k in zip(("map_keys", "map_values"), typ.expressions)]
        if None in parts:
            return None
        # (a map block also holds a hash table of its keys: 4 bytes a slot, two slots a key)
        return (duck("_k + _v", _k=parts[0][0], _v=parts[1][0]),
                duck("_k + _v + 16 * cardinality(_x)", _k=parts[0][1], _v=parts[1][1], _x=x.copy()))
    if typ.this == exp.DType.STRUCT and typ.expressions:
        kinds = [f.args.get("kind") if isinstance(f, exp.ColumnDef) else f for f in typ.expressions]
        los, his = [], []
        for i, kind in enumerate(kinds, start=1):
            field = duck(f"struct_extract_at(_x, {i})", _x=x.copy())
            b = bounds(field, kind if isinstance(kind, exp.DataType) else None, depth + 1)
            if b is None:
                return None
            los.append(duck("CASE WHEN _f IS NULL THEN 0 ELSE _b END", _f=field.copy(), _b=b[0]))
            his.append(duck(f"CASE WHEN _f IS NULL THEN {_ALLOWANCE + 16} ELSE _b END", _f=field.copy(), _b=b[1]))
        return (duck(" + ".join(f"_l{i}" for i in range(len(los))), **{f"_l{i}": v for i, v in enumerate(los)}),
                duck(" + ".join(f"_h{i}" for i in range(len(his))) + f" + {_ALLOWANCE}",
                     **{f"_h{i}": v for i, v in enumerate(his)}))
    return None


def checked(x: exp.Expression, count: exp.Expression, result: exp.Expression) -> exp.Expression:
    """repeat's result, or Trino's error where it is past the limit by the lower bound, or
    NOT_SUPPORTED where the bounds leave it open."""
    b = bounds(x, x.type)
    if b is None:
        # a type of no known width (json, an untyped value): no lower bound, and as upper
        # one four bytes a character of the value's text and 64 more
        b = exp.Literal.number(0), duck("4 * strlen(CAST(_x AS VARCHAR)) + 64", _x=x.copy())
    return duck(f"CASE WHEN _x IS NULL THEN _r WHEN _n * (_lo) > {LIMIT} THEN error('INVALID_FUNCTION_ARGUMENT: "
                f"result of repeat function must not take more than 1000000 bytes') "
                f"WHEN _n * (_hi) >= {LIMIT} THEN error('NOT_SUPPORTED: a result of repeat near 1000000 bytes "
                f"(Trino''s limit on its block size, not reproduced) is not supported') ELSE _r END",
                _x=x.copy(), _n=count.copy(), _lo=b[0], _hi=b[1], _r=result)
