"""Map functions whose NULL handling DuckDB's differ from.

Trino semantics covered: ``map_concat(m1, m2, ...)`` is NULL when any of its maps is
(DuckDB's map_concat skips a NULL map and merges the others).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp


def _map_concat(node: exp.Anonymous) -> exp.Expression | None:
    if node.meta.get("null_checked") or len(node.expressions) < 2:
        return None
    call = node.copy()
    call.meta["null_checked"] = True
    any_null = exp.or_(*[exp.Is(this=m.copy(), expression=exp.Null()) for m in node.expressions])
    return exp.Case(ifs=[exp.If(this=any_null, true=exp.Null())], default=call)


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression | None]] = {
    "map_concat": _map_concat,
}
