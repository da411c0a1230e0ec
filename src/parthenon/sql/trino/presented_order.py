"""ORDER BY a column an engine presents as text (an address, an instant) orders by its
value, not by that text: one rule for every engine's translator."""
from __future__ import annotations

import typing as t

from sqlglot import exp


def _not_aggregated(value: exp.Expression) -> bool:
    return value.find(exp.AggFunc, exp.Window) is None


def order_by_values(select: exp.Select, originals: dict, presented: set[int], *,
                    sortable: t.Callable[[exp.Expression], bool] = _not_aggregated) -> list[exp.Ordered]:
    """Sort keys naming a presented output column (by name or position) become the
    value's expression (qualified, so that the engine does not read a name as the output
    alias).  ``originals``: output name / position -> the value before it became text.
    A value is put back only where ``sortable`` says the engine can sort by that
    expression again (DuckDB cannot by an aggregate's or a window's).  Returns the keys
    left ordering by the text (an unqualified column's name would be read as the alias)."""
    order = select.args.get("order")
    if order is None or not presented:
        return []
    left: list[exp.Ordered] = []
    names = {name for name, v in originals.items() if isinstance(name, str)
             and any(originals.get(i) is v for i in presented)}
    for ordered in order.expressions:
        key = ordered.this
        original = None
        if isinstance(key, exp.Literal) and key.is_int and int(key.name) in presented:
            original = originals[int(key.name)]
        elif isinstance(key, exp.Column) and not key.table and key.name.lower() in names:
            original = originals[key.name.lower()]
        if original is None:
            continue
        if (isinstance(original, exp.Column) and not original.table) \
                or not sortable(original):
            left.append(ordered)
            continue
        ordered.set("this", original.copy())
    return left
