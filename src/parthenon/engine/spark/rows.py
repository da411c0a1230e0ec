"""Trino's rows on Spark where their parts need a reading of their own.

- A row, array or map written in place (``ROW(...)``, ``ARRAY[...]``, ``MAP(ARRAY[...],
  ARRAY[...])``, nested too) that is an operand of a comparison (``=``, ``<>``, ``<``...,
  ``IS [NOT] DISTINCT FROM``) may hold ``timestamp with time zone`` parts: Trino compares
  their instants, whatever the zone, so each zoned part is given as its instant
  (``zoned.instant``), and the values compare part by part as any others
  (``equality``).  So are the keys of a map written in place and looked up
  (``MAP(ARRAY[from_unixtime(1)], ARRAY[1.0])[from_unixtime(1)]``), with the key, when
  its values are not zoned.  Other values holding zoned parts stay refused (``types``):
  Spark would compare the wall clock and the zone.  So, in a constructor that is an
  operand of a comparison, is a ``time with time zone`` part: its instant of the day
  (``timetz.day_nanos``), as Trino compares them (``operand_of_comparison``).
- A cast to a row type with unnamed fields names them col1, col2..., as Spark names a
  row's fields (Spark's parser wants names); NULL cast to a type with unknown parts
  (``ROW(UNKNOWN)``) has STRING parts (Spark's parser has no unknown).
- A row subscript (``r[2]``) whose row SQLGlot's parser could not type (a column, another
  subscript: ``row(row('aa'))[1][1]``) had its literal made 0-based there, as for an
  array; ``mark_subscripts`` notes, before the query is typed again, which literals are
  as written, so that ``functions`` reads the field number right.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.nodes import not_supported

DType = exp.DType

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ)


_CONSTRUCTORS = (exp.Struct, exp.Array, exp.Map)


def _zoned(typ: exp.DataType | None) -> bool:
    return typ is not None and any(t.this == DType.TIMESTAMPTZ for t in typ.find_all(exp.DataType))


def _looked_up(node: exp.Expression) -> bool:
    """A subscript (``m[k]``, ``element_at(m, k)``) of a map written in place, whose
    value is not zoned: its keys and the key looked up compare as instants."""
    if node.meta.get("instant_lookup"):     # seen before its map was rewritten
        return True
    found = isinstance(node, exp.Bracket) and isinstance(node.this, exp.Map) and not _zoned(node.type)
    if found:
        node.meta["instant_lookup"] = True
    return found


def compared_in_place(node: exp.Expression) -> bool:
    """A row, array or map constructor, possibly inside others, that is an operand of a
    comparison or the map of a lookup (``_looked_up``); or such a lookup itself."""
    if _looked_up(node):
        return True
    if not isinstance(node, _CONSTRUCTORS):
        return False
    parent, child = node.parent, node
    while isinstance(parent, (*_CONSTRUCTORS, exp.Paren)):
        parent, child = parent.parent, parent
    return isinstance(parent, _COMPARISONS) or _looked_up(parent) and parent.this is child


def operand_of_comparison(node: exp.Expression) -> bool:
    """A row, array or map constructor, possibly inside others, that is an operand of a
    comparison (not of a lookup: a map's values may be returned)."""
    if not isinstance(node, _CONSTRUCTORS):
        return False
    parent = node.parent
    while isinstance(parent, (*_CONSTRUCTORS, exp.Paren)):
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
    _unknown_parts(node)
    return None


def _unknown_parts(node: exp.Cast) -> None:
    """``CAST(NULL AS ROW(UNKNOWN))``: Spark's parser has no unknown type; a NULL holds no
    value of it, so its parts are STRING (as a result of only NULLs is, ``types.spark_type``).
    A value cast to such a type is refused: Spark would cast it to text."""
    unknown = {id(t): t for struct in node.to.find_all(exp.DataType) if struct.this == DType.STRUCT
               for t in struct.find_all(exp.DataType) if t.this == DType.UNKNOWN}.values()
    if not unknown:
        return      # (a NULL array(unknown) is the arrays family's)
    if not isinstance(node.this, exp.Null):
        raise not_supported(node, "A cast to a type with unknown parts is not supported on the Spark engine")
    for t in unknown:
        t.replace(exp.DataType.build("STRING", dialect="spark"))


def mark_subscripts(tree: exp.Expression) -> None:
    """Note on each subscript with a literal index whether SQLGlot's parser made it
    0-based (its base untyped then, or an array); run on the parsed tree, before any
    typing (a base without a parse-time type is left unmarked)."""
    for node in tree.find_all(exp.Bracket):
        base = node.this
        if len(node.expressions) != 1 or not isinstance(node.expressions[0], exp.Literal) or base.type is None:
            continue
        node.meta["parsed_zero_based"] = base.type.this in (DType.UNKNOWN, DType.ARRAY)


def restore_row_subscripts(tree: exp.Expression) -> bool:
    """Once typed: a row subscript whose literal the parser made 0-based gets its literal
    as written back (the typing and ``functions`` read a row's field number 1-based).
    True if any changed (the tree is then typed again)."""
    changed = False
    for node in tree.find_all(exp.Bracket):
        typ = node.this.type
        if node.meta.get("parsed_zero_based") and typ is not None and typ.this == DType.STRUCT:
            literal = node.expressions[0]
            if literal.is_int:
                node.set("expressions", [exp.Literal.number(int(literal.this) + 1)])
                node.meta["parsed_zero_based"] = False
                changed = True
    return changed


def field_number(node: exp.Bracket, literal: int) -> int | None:
    """The 1-based field number a row subscript's literal stands for, None if unknown."""
    if isinstance(node.this, (exp.Struct, exp.Cast)) or node.meta.get("parsed_zero_based") is False:
        return literal
    return None


CLASS_REWRITES = {exp.Cast: _cast_fields, exp.TryCast: _cast_fields}
ANONYMOUS_REWRITES: dict = {}
