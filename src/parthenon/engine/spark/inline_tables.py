"""``VALUES`` rows Spark cannot hold as an inline table, as a ``UNION ALL`` of selects.

Spark evaluates an inline table's rows while it plans and refuses one that is not
foldable (INVALID_INLINE_TABLE.CANNOT_EVALUATE_EXPRESSION_IN_INLINE_TABLE): a random
number, a lambda, or a rewrite's ``RAISE_ERROR`` branch (Trino's error for a bad
argument, as in ``map(keys, values)`` or ``random(n)``).  Trino evaluates such a row as
any other, so those tables become ``(SELECT row1 UNION ALL SELECT row2 ...) AS t(a, b)``:
the same rows, columns and names (Spark's ``col1``, ``col2``... without aliases), types
coerced across the rows as the inline table coerces them.
"""
from __future__ import annotations

import functools

from sqlglot import exp

_NOT_FOLDABLE = {"RAISE_ERROR", "REFLECT", "TRY_REFLECT", "JAVA_METHOD"}


def _foldable(values: exp.Values) -> bool:
    for node in values.walk():
        if isinstance(node, (exp.Rand, exp.Lambda)):
            return False
        if isinstance(node, exp.Anonymous) and node.name.upper() in _NOT_FOLDABLE:
            return False
    return True


def _select(row: exp.Expression) -> exp.Select:
    items = row.expressions if isinstance(row, exp.Tuple) else [row]
    return exp.Select(expressions=[exp.alias_(item.copy(), f"col{i}") for i, item in enumerate(items, start=1)])


def unfold(tree: exp.Expression) -> exp.Expression:
    """Each VALUES in FROM (or a whole query) that Spark could not fold, as selects."""
    for values in list(tree.find_all(exp.Values)):
        if _foldable(values) or isinstance(values.parent, exp.Insert) or not values.expressions:
            continue
        union = functools.reduce(lambda a, b: exp.Union(this=a, expression=b, distinct=False),
                                 [_select(row) for row in values.expressions])
        alias = values.args.get("alias")
        new = exp.Subquery(this=union, alias=alias.copy()) if alias is not None else union
        if values is tree:
            tree = new
        else:
            values.replace(new)
    return tree
