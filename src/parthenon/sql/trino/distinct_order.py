"""Trino's check of a SELECT DISTINCT query's ORDER BY keys that name an output column.

In ORDER BY a bare name resolves to a select item's name first (``SELECT DISTINCT -a AS
a ... ORDER BY a`` orders by ``-a``), so inside a larger key such a name is the output
column, not the source's: ``SELECT DISTINCT a, a + b ... ORDER BY a + b`` orders by
(output a) + b, which is no select item, and Trino refuses it with
EXPRESSION_NOT_IN_DISTINCT.  DuckDB binds the name to the source and answers.
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import ExpressionNotInDistinct
from .positions import position


def check_distinct_order(tree: exp.Expression) -> None:
    for select in tree.find_all(exp.Select):
        order = select.args.get("order")
        if not select.args.get("distinct") or order is None:
            continue
        names = _output_names(select)
        for key in order.expressions:
            term = key.this
            if isinstance(term, exp.Column) and not term.table:
                continue        # the output column itself (or a source column)
            if any(_is_output_name(col, names, term) for col in term.find_all(exp.Column)):
                raise ExpressionNotInDistinct(
                    "For SELECT DISTINCT, ORDER BY expressions must appear in select list",
                    *position(select))


def _output_names(select: exp.Select) -> set[str]:
    """Trino's aliases of a select list: an item's alias, else the name of a column it
    just reads (``a``, ``t.a``)."""
    names = set()
    for item in select.expressions:
        if isinstance(item, exp.Alias):
            names.add(item.alias.lower())
        elif isinstance(item, exp.Column) and not isinstance(item.this, exp.Star):
            names.add(item.name.lower())
    return names


def _is_output_name(col: exp.Column, names: set[str], key: exp.Expression) -> bool:
    """Whether `col`, within ORDER BY key `key`, is an unqualified name of an output
    column (not a lambda's parameter, nor a name inside a subquery)."""
    if col.table or col.name.lower() not in names:
        return False
    node = col.parent
    while node is not None and node is not key.parent:
        if isinstance(node, exp.Select):
            return False
        if isinstance(node, exp.Lambda) and col.name.lower() in {
                p.name.lower() for p in node.expressions}:
            return False
        node = node.parent
    return True
