"""Trino values Spark SQL cannot hold with Trino's meaning: refused before translation.

- ``timestamp with time zone`` inside arrays, maps and rows (a zoned value is a
  struct on Spark, ``zoned``; there Spark would compare the struct, not the instant),
  but in a row compared where it is written (``rows``).
- ``char(n)`` outside casts, comparisons and ``length`` (``chars``).
- ``time with time zone`` inside arrays, maps and rows (a struct too, ``timetz``), but
  in one compared where it is written (``rows``).
- ``time`` outside comparisons, fields and its own rewrites (``times``).
- ``ipaddress`` outside casts, comparisons, grouping and ``contains`` (``ipaddress``).
- ``json``, ``uuid`` and Trino's sketch
  types have no Spark type that behaves like them (a JSON literal some json functions
  answer at translation is let through, ``json``).
- ``timestamp(p) [with time zone]`` with p > 9: Spark keeps microseconds (a zoneless
  timestamp(7..9) is ``nano_timestamps``' struct, a zoned one ``zoned``'s with its nanoseconds).
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino import typing as trino_typing
from ...sql.trino.nodes import not_supported
from . import chars, ipaddress, json, rows, times

DType = exp.DType

_NO_SPARK_TYPE = {
    DType.JSON: "json", DType.UUID: "uuid",
}


def refuse_unrepresentable(tree: exp.Expression) -> None:
    chars.refuse_other_uses(tree)
    times.refuse_other_uses(tree)
    ipaddress.refuse_other_uses(tree)
    for node in tree.walk():
        typ = node.type
        if typ is None or isinstance(node, exp.DataType):
            continue
        if typ.this in _NO_SPARK_TYPE and not json.answered_in_python(node):
            raise not_supported(node, f"Type {_NO_SPARK_TYPE[typ.this]} is not supported on the Spark engine")
        if typ.this in (DType.ARRAY, DType.MAP, DType.STRUCT) and any(
                t.this == DType.TIMESTAMPTZ for t in typ.find_all(exp.DataType)) and not rows.compared_in_place(node):
            raise not_supported(node, "timestamp with time zone values inside arrays, maps and rows are not "
                                      "supported on the Spark engine")
        if typ.this in (DType.ARRAY, DType.MAP, DType.STRUCT) and any(
                t.this == DType.TIMETZ for t in typ.find_all(exp.DataType)) and not rows.operand_of_comparison(node):
            raise not_supported(node, "time with time zone values inside arrays, maps and rows are not "
                                      "supported on the Spark engine")
        if typ.this in (DType.TIMESTAMP, DType.TIMESTAMPTZ) and trino_typing.precision(typ) > 9:
            raise not_supported(node, f"Type timestamp({trino_typing.precision(typ)}) is not supported on the "
                                      "Spark engine (microseconds at most)")


_SAME = {DType.TINYINT, DType.SMALLINT, DType.INT, DType.BIGINT, DType.DOUBLE, DType.FLOAT, DType.BOOLEAN,
         DType.DATE}


def spark_type(typ: exp.DataType | None) -> exp.DataType | None:
    """The Spark type holding a Trino type's values as Trino shows them, for a result
    column (None: leave Spark's own)."""
    if typ is None:
        return None
    if typ.this in _SAME:
        return exp.DataType.build(typ.this)
    if typ.this == DType.DECIMAL:
        return typ.copy() if typ.expressions else None
    if typ.this in trino_typing.TEXT:
        return exp.DataType.build("STRING", dialect="spark")
    if typ.this == DType.TIMESTAMP:
        return exp.DataType.build("TIMESTAMP_NTZ", dialect="spark")
    if typ.this in (DType.VARBINARY, DType.BINARY):
        return exp.DataType.build("BINARY", dialect="spark")
    if typ.this == DType.ARRAY and len(typ.expressions) == 1:
        inner = spark_type(typ.expressions[0])
        return exp.DataType(this=DType.ARRAY, expressions=[inner], nested=True) if inner is not None else None
    if typ.this == DType.MAP and len(typ.expressions) == 2:
        key, value = (spark_type(e) for e in typ.expressions)
        return exp.DataType(this=DType.MAP, expressions=[key, value], nested=True) \
            if key is not None and value is not None else None
    if typ.this == DType.STRUCT and typ.expressions:
        fields = []
        for i, field in enumerate(typ.expressions, start=1):
            kind = field.args.get("kind") if isinstance(field, exp.ColumnDef) else field
            inner = spark_type(kind) if isinstance(kind, exp.DataType) else None
            if inner is None:
                return None
            name = field.name if isinstance(field, exp.ColumnDef) and field.name else f"col{i}"
            fields.append(exp.ColumnDef(this=exp.to_identifier(name, quoted=True), kind=inner))
        return exp.DataType(this=DType.STRUCT, expressions=fields, nested=True)
    if typ.this in (DType.UNKNOWN, DType.NULL):
        # only NULLs: as text (Spark's VOID inside an array or map does not reach Arrow intact)
        return exp.DataType.build("STRING", dialect="spark")
    return None


def _leaves(typ: exp.DataType) -> set:
    return {t.this for t in typ.find_all(exp.DataType)}


def needs_own_type(typ: exp.DataType | None) -> bool:
    """An array, map or row Spark would hand out otherwise than Trino types it: holding
    only NULLs (VOID), rows (Spark may mark a field NOT NULL that a NULL row breaks in
    Arrow) or timestamps (Spark's are instants).  Decimals are left alone (a cast would
    round to a scale the typing may not know for certain)."""
    if typ is None or typ.this not in (DType.ARRAY, DType.MAP, DType.STRUCT):
        return False
    leaves = _leaves(typ)
    return bool(leaves & {DType.UNKNOWN, DType.NULL, DType.STRUCT, DType.TIMESTAMP}) and DType.DECIMAL not in leaves


def void_unknowns(tree: exp.Expression) -> None:
    """Trino's UNKNOWN (the type of a bare NULL) in a cast's target is Spark's VOID:
    ``CAST(NULL AS ARRAY(UNKNOWN))`` is a NULL array of NULLs, which Spark's parser
    would refuse as an unsupported data type ``UNKNOWN``."""
    for cast in tree.find_all(exp.Cast):
        for typ in list(cast.to.find_all(exp.DataType)):
            if typ.this == DType.UNKNOWN:
                typ.replace(exp.DataType.build("VOID", udt=True))
