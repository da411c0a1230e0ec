"""Rows compared as Trino compares them, in DuckDB's SQL.

Trino semantics covered:

- Rows compare field by field: a NULL field makes ``=`` NULL unless another field
  differs (DuckDB compares NULL fields as values).

The type checks and NaN rules of every comparison are engine-neutral
(``sql/trino/comparisons.py``); they run first (the rewrites run in turn).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from .nodes import duck
from .rows import struct_width


def _row_equality(node: exp.Binary) -> exp.Expression | None:
    """Rows are equal when every field is: a false field makes them unequal, else a NULL
    field makes the answer NULL."""
    width = struct_width(node.left)
    if width is None or width != struct_width(node.right):
        return None
    fields = [duck(f"struct_extract_at(_a, {i}) = struct_extract_at(_b, {i})", _a=node.left, _b=node.right)
              for i in range(1, width + 1)]
    equal = exp.paren(exp.and_(*fields), copy=False)
    return equal if isinstance(node, exp.EQ) else exp.Not(this=equal)


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.EQ: _row_equality,
    exp.NEQ: _row_equality,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
