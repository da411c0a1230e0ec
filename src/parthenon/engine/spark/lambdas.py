"""Trino's lambdas on Spark, where Spark's reading differs.

- A lambda passed to a function that takes none is FUNCTION_NOT_FOUND
  (``sql.trino.lambda_arguments``, the DuckDB engine's rule too).
- ``cardinality`` and ``length`` are BIGINT in Trino (Spark: INT); inside a lambda the
  result type is Spark's, so they are cast there (``transform_values(m, (k, v) -> k +
  length(v))`` is a map of bigint values, as in Trino).
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino import lambda_arguments

FUNCTIONS: frozenset[str] = frozenset()


def _bigint_in_lambda(node: exp.Expression) -> exp.Expression | None:
    if node.find_ancestor(exp.Lambda) is None or node.meta.get("spark_bigint"):
        return None
    inner = node.copy()
    inner.meta["spark_bigint"] = True
    return exp.Cast(this=inner, to=exp.DataType.build("BIGINT"))


CLASS_REWRITES = {exp.Lambda: lambda_arguments.check, exp.ArraySize: _bigint_in_lambda, exp.Length: _bigint_in_lambda}
ANONYMOUS_REWRITES: dict = {}
