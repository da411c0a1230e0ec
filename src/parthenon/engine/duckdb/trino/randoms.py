"""``random(n)``: Trino's bounded random integer, which SQLGlot reads as a seeded
``RANDOM`` (refused by DuckDB).

Trino semantics covered: ``random(n)`` is an integer from 0 to n - 1, of n's type
(``random(1)`` is always 0); n of 0 or less is INVALID_FUNCTION_ARGUMENT ("bound must
be positive").  ``random(m, n)`` is refused (NOT_SUPPORTED).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino import typing as trino_typing
from .nodes import duck, not_supported


def _random(node: exp.Rand) -> exp.Expression | None:
    bound = node.this
    if bound is None:
        return None
    if node.args.get("lower") is not None or not trino_typing.is_a(bound.type, *trino_typing.INTEGER_WIDTH):
        raise not_supported(node, "Function 'random' with these arguments is not supported")
    value = exp.Cast(this=duck("floor(random() * _n)", _n=bound), to=bound.type.copy())
    return duck("CASE WHEN _n <= 0 THEN error('INVALID_FUNCTION_ARGUMENT: bound must be positive') "
                "ELSE _v END", _n=bound, _v=value)


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Rand: _random,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
