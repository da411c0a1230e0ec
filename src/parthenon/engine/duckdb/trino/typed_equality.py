"""Trino's ``=`` of two values of one type, where the values are fields of rows or
elements of arrays (read with struct_extract_at or a subscript, after the rewrites that
see a comparison's operands have run): DuckDB's own ``=`` of such values is not Trino's
for a time or timestamp with time zone (DuckDB compares a TIMETZ's wall clock and offset,
Trino its instant: TIME '10:00 +01:00' = TIME '09:00 +00:00'), a double (NaN), an array
(NULL elements) or a row holding one of those.
"""
from __future__ import annotations

from sqlglot import exp

from ....sql.trino import typing as trino_typing
from . import times, zoned
from .nodes import duck


def field_types(x: exp.Expression) -> list[exp.DataType | None] | None:
    """The Trino types of a row's fields, in order (None where unknown; None for no row)."""
    if isinstance(x, exp.Struct):
        return [(e.expression if isinstance(e, exp.PropertyEQ) else e).type for e in x.expressions]
    return field_kinds(x.type)


def field_kinds(typ: exp.DataType | None) -> list[exp.DataType | None] | None:
    if typ is None or typ.this != exp.DType.STRUCT or not typ.expressions:
        return None
    kinds = [e.args.get("kind") if isinstance(e, exp.ColumnDef) else e for e in typ.expressions]
    return [k if isinstance(k, exp.DataType) else None for k in kinds]


def equal(x: exp.Expression, y: exp.Expression, typ: exp.DataType | None, depth: int = 0) -> exp.Expression:
    """Trino's x = y (true, false or NULL) of two values of type ``typ``; ``depth`` names
    the lambdas of nested arrays apart."""
    from . import array_equality, row_equality      # (they compare their parts here)
    if typ is None:
        return exp.EQ(this=x, expression=y)
    if typ.this == exp.DType.ARRAY:
        x.type, y.type = typ, typ
        return array_equality.equal(x, y, typ.expressions[0] if typ.expressions else None, depth)
    if typ.this == exp.DType.STRUCT and field_kinds(typ) is not None:
        return row_equality.fields_equal(x, y, field_kinds(typ), depth)
    if typ.this in (exp.DType.DOUBLE, exp.DType.FLOAT):
        return duck("CASE WHEN _x IS NULL OR _y IS NULL THEN NULL ELSE _x = _y AND NOT isnan(_x) "
                    "AND NOT isnan(_y) END", _x=x, _y=y)
    if typ.this == exp.DType.TIMESTAMPTZ:
        nanos = zoned.carries_nanos(trino_typing.precision(typ))     # zoned values: their instants
        return exp.EQ(this=zoned.comparable(x, nanos), expression=zoned.comparable(y, nanos))
    if typ.this == exp.DType.TIMETZ:
        x.type, y.type = typ, typ       # (its precision tells whether it keeps nanoseconds)
        return exp.EQ(this=times.comparable(x), expression=times.comparable(y))
    return exp.EQ(this=x, expression=y)
