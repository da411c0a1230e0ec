"""Small helpers shared by the rewrites: DuckDB templates and calls, literals, types, positions.

``duck(sql, _x=...)`` builds a DuckDB expression from a template whose
``_name`` placeholders take expressions; ``fn(name, ...)`` a plain function
call.  ``type_of`` / ``is_type`` read the type SQLGlot inferred for the Trino
query (``None`` when unknown: type-dependent rewrites then fall back to
DuckDB's behaviour); ``DATE``, ``TIMESTAMPS``, ``REALS``... name the type
groups they test for.  ``position`` and ``not_supported`` give errors the
line:column of the offending token, as Athena reports them.
"""
from __future__ import annotations

import functools

import sqlglot
from sqlglot import exp

# the engine-neutral helpers (sql/trino/nodes.py), imported by the rewrites from here
from ....sql.trino.nodes import (  # noqa: F401
    DATE, FLOATS, INTEGERS, JSON, MAPS, REALS, TIMESTAMPS, fill_placeholders, fn, int_literal,
    is_type, not_supported, position, string_literal, type_of)


@functools.lru_cache(maxsize=None)
def _template(sql: str) -> exp.Expression:
    return sqlglot.parse_one(sql, read="duckdb")


def duck(sql: str, **args: exp.Expression | None) -> exp.Expression:
    """A DuckDB expression from a template; ``_name`` placeholders take ``args``."""
    tree = _template(sql).copy()
    for bracket in tree.find_all(exp.Bracket):
        # A placeholder index is DuckDB's own (1-based): keep SQLGlot from shifting a
        # literal put in its place (literal indexes of the template were shifted on parse).
        if any(isinstance(e, exp.Column) and e.name in args for e in bracket.expressions):
            bracket.set("offset", 1)
    return fill_placeholders(tree, args)


