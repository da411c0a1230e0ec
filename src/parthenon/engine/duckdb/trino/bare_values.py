"""A query that is only ``VALUES``.

Trino semantics covered: the columns of ``VALUES (1, 2)`` as a whole query are named as
Trino names every unnamed column, ``_col0``, ``_col1`` (DuckDB names them ``col0``,
``col1``); its ``ORDER BY``, ``LIMIT`` and ``OFFSET`` apply to the rows as written.
"""
from __future__ import annotations

from sqlglot import exp


def name_bare_values(tree: exp.Expression) -> exp.Expression:
    """``VALUES ...`` -> ``SELECT * FROM (VALUES ...) AS _values(_col0, ...)``, keeping its
    ORDER BY / LIMIT / OFFSET on the SELECT."""
    if not isinstance(tree, exp.Values) or tree.args.get("alias") is not None or not tree.expressions:
        return tree
    first = tree.expressions[0]
    width = len(first.expressions) if isinstance(first, exp.Tuple) else 1
    moved = {key: tree.args.get(key) for key in ("order", "limit", "offset") if tree.args.get(key) is not None}
    for key in moved:
        tree.set(key, None)
    tree.set("alias", exp.TableAlias(this=exp.to_identifier("_values"),
                                     columns=[exp.to_identifier(f"_col{i}") for i in range(width)]))
    select = exp.select("*").from_(tree, copy=False)
    for key, value in moved.items():
        select.set(key, value)
    return select
