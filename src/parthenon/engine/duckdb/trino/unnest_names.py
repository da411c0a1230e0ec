"""Names an UNNEST of rows gives without a column list.

Trino semantics covered: ``UNNEST(array of rows)`` without column names gives one column
per row field, named as the field; a name written unqualified that two sources give (a
field and another relation's column, or the fields of two unnested arrays) is
AMBIGUOUS_NAME (``Column 'x' is ambiguous``), where DuckDB would pick one.
"""
from __future__ import annotations

from sqlglot import exp

from ....errors import AmbiguousName
from .nodes import position, type_of


def field_names(array: exp.Expression) -> list[str] | None:
    """The field names of an array of rows (None when not known or not rows)."""
    typ = type_of(array)
    if typ is None or typ.this != exp.DType.ARRAY or not typ.expressions:
        return None
    element = typ.expressions[0]
    if element.this != exp.DType.STRUCT:
        return None
    names = [f.name for f in element.expressions if isinstance(f, exp.ColumnDef)]
    return names if len(names) == len(element.expressions) and all(names) else None


def refuse_ambiguous(node: exp.Unnest, arrays: list[exp.Expression]) -> None:
    """An UNNEST without column names, of arrays of rows: a select's unqualified name that
    its fields give twice, or that a field and another source give, is ambiguous."""
    select = node.parent.parent if isinstance(node.parent, (exp.From, exp.Join)) else None
    if not isinstance(select, exp.Select):
        return
    names: list[str] = []
    for array in arrays:
        fields = field_names(array)
        if fields is None:
            return
        names += [f.lower() for f in fields]
    alias = node.args.get("alias")
    own = alias.name.lower() if alias is not None and alias.this else None
    for column in select.find_all(exp.Column):
        if column.parent_select is not select or isinstance(column.this, exp.Star):
            continue
        name = column.name.lower()
        if name not in names:
            continue
        written_bare = not column.table or column.meta.get("implicit_table")
        if not written_bare:
            continue
        other = column.table and column.table.lower() != own
        if names.count(name) > 1 or other:
            raise AmbiguousName(f"Column '{column.name}' is ambiguous", *position(column))
