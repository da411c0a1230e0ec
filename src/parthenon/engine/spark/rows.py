"""Trino's rows on Spark where their parts need a reading of their own.

- A row written in place (``ROW(...)``, nested rows too) that is an operand of a
  comparison (``=``, ``<>``, ``<``..., ``IS [NOT] DISTINCT FROM``) may hold
  ``timestamp with time zone`` fields: Trino compares their instants, whatever the
  zone, so each zoned field is given as its instant (``zoned.instant``), and the rows
  compare field by field as any others (``equality``).  Other rows holding zoned values
  stay refused (``types``): Spark would compare the wall clock and the zone.
- A cast to a row type with unnamed fields names them col1, col2..., as Spark names a
  row's fields (Spark's parser wants names).
"""
from __future__ import annotations

from sqlglot import exp

DType = exp.DType

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ)


def compared_in_place(node: exp.Expression) -> bool:
    """A row constructor, possibly inside others, that is an operand of a comparison."""
    if not isinstance(node, exp.Struct):
        return False
    parent = node.parent
    while isinstance(parent, (exp.Struct, exp.Paren)):
        parent = parent.parent
    return isinstance(parent, _COMPARISONS)


def _named(typ: exp.DataType) -> exp.DataType:
    """`typ` with each unnamed row field named col1, col2... (Spark's STRUCT type wants
    names; they are the names Spark gives a row's fields, ``equality.row_fields``)."""
    out = typ.copy()
    for struct in out.find_all(exp.DataType):
        if struct.this != DType.STRUCT:
            continue
        struct.set("expressions", [
            f if isinstance(f, exp.ColumnDef) else exp.ColumnDef(this=exp.to_identifier(f"col{i}"), kind=f)
            for i, f in enumerate(struct.expressions, start=1)])
    return out


def _cast_fields(node: exp.Cast) -> None:
    """A cast to a row type with unnamed fields (``CAST(x AS ROW(BIGINT, BIGINT))``): the
    fields named as Spark names a row's (else Spark's parser refuses the type)."""
    if any(t.this == DType.STRUCT and any(not isinstance(f, exp.ColumnDef) for f in t.expressions)
           for t in node.to.find_all(exp.DataType)):
        node.set("to", _named(node.to))
    return None


CLASS_REWRITES = {exp.Cast: _cast_fields, exp.TryCast: _cast_fields}
ANONYMOUS_REWRITES: dict = {}
