"""``contains_sequence(x, seq)``, which DuckDB has no function for.

Trino semantics covered: true when ``seq`` occurs in ``x`` as consecutive elements, in
order (an empty ``seq`` always does); elements compare as IS NOT DISTINCT FROM, so a NULL
in ``seq`` matches a NULL in ``x`` (``[1, 2, 3, NULL, 4]`` contains ``[3, NULL, 4]``); a
NULL array is NULL.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from .nodes import duck


def _contains_sequence(node: exp.Anonymous) -> exp.Expression:
    x, seq = node.expressions
    return duck("CASE WHEN _x IS NULL OR _s IS NULL THEN NULL WHEN len(_s) = 0 THEN TRUE "
                "ELSE len(list_filter(range(1, len(_x) - len(_s) + 2), "
                "lambda cs_i: _x[cs_i:cs_i + len(_s) - 1] IS NOT DISTINCT FROM _s)) > 0 END",
                _x=x, _s=seq)


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "contains_sequence": _contains_sequence,
}
