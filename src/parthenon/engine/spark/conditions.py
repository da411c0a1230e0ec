"""Trino's conditions on Spark where Spark refuses what Trino takes.

- A NULL condition (``CASE WHEN NULL THEN ...``, ``IF(NULL, ...)``) is a boolean NULL in
  Trino, a condition that does not hold; Spark refuses a NULL-typed (VOID) one, so it is
  cast to BOOLEAN.
- ``x LIKE p ESCAPE NULL`` is NULL (Spark's parser wants an escape character).
"""
from __future__ import annotations

from sqlglot import exp

FUNCTIONS: frozenset[str] = frozenset()
_BOOLEAN = exp.DataType.build("BOOLEAN")


def _null(node: exp.Expression | None) -> bool:
    return isinstance(node, exp.Null) or (node is not None and node.type is not None
                                          and node.type.this in (exp.DType.NULL, exp.DType.UNKNOWN)
                                          and not isinstance(node, exp.Cast))


def _condition(node: exp.If) -> None:
    if _null(node.this):
        node.set("this", exp.Cast(this=node.this.copy(), to=_BOOLEAN.copy()))
    return None


def _escape(node: exp.Escape) -> exp.Expression | None:
    if isinstance(node.expression, exp.Null):
        return exp.Cast(this=exp.Null(), to=_BOOLEAN.copy())
    return None


CLASS_REWRITES = {exp.If: _condition, exp.Escape: _escape}
ANONYMOUS_REWRITES: dict = {}
