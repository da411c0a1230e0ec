"""Trino's grouping sets of a GROUP BY, written out (``GROUP BY [ALL | DISTINCT] e, ...``).

Each grouping element stands for a list of sets: a plain expression for the one set of
it, ``ROLLUP(a, b)`` for (a, b), (a), (), ``CUBE(a, b)`` for every subset, ``GROUPING
SETS (...)`` for those listed.  The GROUP BY's sets are the cross product of its
elements' lists, each the union of its parts (a column once); ``ALL`` (the default)
keeps a set that comes more than once, and so its groups twice, ``DISTINCT`` keeps it
once.  An engine without ``GROUP BY DISTINCT`` runs the written-out sets.
"""
from __future__ import annotations

import itertools

from sqlglot import exp

_ELEMENTS = (exp.Rollup, exp.Cube, exp.GroupingSets)


def _columns(node: exp.Expression) -> list[exp.Expression]:
    if isinstance(node, exp.Paren):
        return [node.this]
    if isinstance(node, exp.Tuple):
        return list(node.expressions)
    return [node]


def _sets(element: exp.Expression) -> list[list[exp.Expression]]:
    if isinstance(element, exp.Rollup):
        columns = [c for e in element.expressions for c in _columns(e)]
        return [columns[:n] for n in range(len(columns), -1, -1)]
    if isinstance(element, exp.Cube):
        columns = [c for e in element.expressions for c in _columns(e)]
        return [[c for c, keep in zip(columns, mask) if keep]
                for mask in itertools.product((True, False), repeat=len(columns))]
    if isinstance(element, exp.GroupingSets):
        return [_columns(e) for e in element.expressions]
    return [[element]]


def has_sets(group: exp.Group) -> bool:
    return any(isinstance(e, _ELEMENTS) for e in group.expressions)


def written_out(group: exp.Group, distinct: bool) -> list[list[exp.Expression]]:
    """The GROUP BY's grouping sets, in Trino's order of the cross product."""
    out: list[list[exp.Expression]] = []
    seen: set[frozenset[str]] = set()
    for parts in itertools.product(*(_sets(e) for e in group.expressions)):
        columns: dict[str, exp.Expression] = {}
        for part in parts:
            for c in part:
                columns.setdefault(c.sql("trino"), c)
        key = frozenset(columns)
        if distinct and key in seen:
            continue
        seen.add(key)
        out.append(list(columns.values()))
    return out
