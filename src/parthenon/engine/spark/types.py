"""Trino values Spark SQL cannot hold with Trino's meaning: refused before translation.

- ``timestamp with time zone``: Spark's TIMESTAMP is an instant without a zone.
  A zoned value is accepted where only its instant matters (compared, sorted,
  moved by a day-to-second interval, ``to_unixtime``); anywhere else (in the
  result, its fields, casts, formats) its zone would be lost, so it is refused.
- ``ipaddress``, ``time``, ``char(n)``, ``json``, ``uuid`` and Trino's sketch
  types have no Spark type that behaves like them.
- ``timestamp(p)`` with p > 6: Spark keeps microseconds.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino import naming
from ...sql.trino import typing as trino_typing
from ...sql.trino.nodes import not_supported

DType = exp.DType

_NO_SPARK_TYPE = {
    DType.IPADDRESS: "ipaddress", DType.TIME: "time", DType.TIMETZ: "time with time zone",
    DType.CHAR: "char(n)", DType.JSON: "json", DType.UUID: "uuid",
}

# Where a zoned value's instant is all that counts.
_INSTANT_CONSUMERS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between, exp.In,
                      exp.Ordered, exp.NullSafeEQ, exp.NullSafeNEQ, exp.Is, exp.TimeToUnix, exp.DateDiff)
_INSTANT_FUNCTIONS = {"to_unixtime"}
_PASSING = (exp.Paren, exp.Alias)


def refuse_unrepresentable(tree: exp.Expression) -> None:
    for node in tree.walk():
        typ = node.type
        if typ is None or isinstance(node, exp.DataType):
            continue
        if typ.this in _NO_SPARK_TYPE:
            raise not_supported(node, f"Type {_NO_SPARK_TYPE[typ.this]} is not supported on the Spark engine")
        if typ.this == DType.TIMESTAMPTZ and not _instant_only(node):
            raise not_supported(node, "timestamp with time zone values are supported on the Spark engine only "
                                      "where their instant alone counts (comparisons, ORDER BY, to_unixtime)")
        if typ.this == DType.TIMESTAMP and trino_typing.precision(typ) > 6:
            raise not_supported(node, f"Type timestamp({trino_typing.precision(typ)}) is not supported on the "
                                      "Spark engine (microseconds at most)")


def _instant_only(node: exp.Expression) -> bool:
    parent = node.parent
    while isinstance(parent, _PASSING):
        if isinstance(parent, exp.Alias):
            return False        # a named output: the value itself is shown
        parent = parent.parent
    if isinstance(parent, _INSTANT_CONSUMERS):
        return True
    if isinstance(parent, exp.Anonymous) and parent.name.lower() in _INSTANT_FUNCTIONS:
        return True
    if isinstance(parent, (exp.Add, exp.Sub)) and parent.this is node and _day_to_second(parent.expression):
        return _instant_only(parent)
    return False


def _day_to_second(x: exp.Expression) -> bool:
    if not isinstance(x, exp.Interval):
        return False
    unit = (x.unit.name if x.unit else "").upper()
    return unit in {"DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND"}


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
    return None
