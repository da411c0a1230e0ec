"""``UNNEST`` in FROM / JOIN.

Trino semantics covered:

- ``CROSS JOIN UNNEST(a)``, ``UNNEST(a, b)`` (zipped, NULL-padded),
  ``WITH ORDINALITY`` (in array order), ``UNNEST`` of an array of rows into
  one column per field, ``UNNEST`` of a map into key/value (when the map type
  is evident from the query or from ``schema``).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from .nodes import MAPS, fn, is_type, not_supported


def _unnest(node: exp.Unnest) -> exp.Expression | None:
    """Trino's UNNEST in FROM/JOIN -> a DuckDB subquery (lateral: it may use the
    columns of the tables before it) when DuckDB's own UNNEST differs: several
    arrays (zipped, NULL-padded), arrays of rows or maps expanded into columns,
    WITH ORDINALITY (numbered in array order)."""
    if not isinstance(node.parent, (exp.From, exp.Join)):
        return None
    arrays = node.expressions
    alias = node.args.get("alias")
    columns = list(alias.columns) if alias is not None else []
    ordinality = node.args.get("offset")
    with_ordinality = ordinality not in (None, False)
    expand = len(arrays) == 1 and len(columns) > 1
    if len(arrays) == 1 and not expand and not with_ordinality:
        return None
    if len(arrays) > 1 and columns and len(columns) != len(arrays):
        raise not_supported(node, "UNNEST of several arrays of rows is not supported")

    def source(array: exp.Expression) -> exp.Expression:
        if is_type(array, *MAPS) or isinstance(array, exp.Map):
            return fn("map_entries", array.copy())
        return array.copy()

    selects: list[exp.Expression] = []
    for array in arrays:
        args = [source(array)]
        if expand:
            args.append(exp.PropertyEQ(this=exp.to_identifier("max_depth"),
                                       expression=exp.Literal.number(2)))
        selects.append(fn("UNNEST", *args))
    if with_ordinality:
        lengths = [fn("len", source(a)) for a in arrays]
        longest = lengths[0] if len(lengths) == 1 else fn("greatest", *lengths)
        selects.append(fn("UNNEST", fn(
            "range", exp.Literal.number(1), exp.Add(this=longest, expression=exp.Literal.number(1)))))
    names = [c.copy() for c in columns]
    if with_ordinality and isinstance(ordinality, exp.Identifier):
        names.append(ordinality.copy())
    table_alias = exp.TableAlias(
        this=alias.this.copy() if alias is not None and alias.this else exp.to_identifier("_unnest"),
        columns=names if len(names) == len(selects) or expand else None)
    return exp.Subquery(this=exp.Select(expressions=selects), alias=table_alias)


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Unnest: _unnest,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
