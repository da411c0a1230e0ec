"""Trino's lambdas on Spark, where Spark's reading differs.

- A lambda passed to a function that takes none is FUNCTION_NOT_FOUND
  (``sql.trino.lambda_arguments``, the DuckDB engine's rule too).
- ``cardinality`` and ``length`` are BIGINT in Trino (Spark: INT); inside a lambda the
  result type is Spark's, so they are cast there (``transform_values(m, (k, v) -> k +
  length(v))`` is a map of bigint values, as in Trino).
- ``reduce``'s state has the type Trino's binder gives it (``sql.trino.reduce_state``):
  Spark's ``aggregate`` wants the input function's result of the initial state's type
  exactly, so an initial state that Trino widens (``reduce(a, 0, (s, x) -> s + x, s ->
  s)`` of a bigint array) is cast to the wider state; a narrower result is
  FUNCTION_NOT_FOUND, as in Trino.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino import lambda_arguments, reduce_state
from .types import spark_type

FUNCTIONS: frozenset[str] = frozenset()


def _bigint_in_lambda(node: exp.Expression) -> exp.Expression | None:
    if node.find_ancestor(exp.Lambda) is None or node.meta.get("spark_bigint"):
        return None
    inner = node.copy()
    inner.meta["spark_bigint"] = True
    return exp.Cast(this=inner, to=exp.DataType.build("BIGINT"))


def _reduce(node: exp.Reduce) -> None:
    reduce_state.check(node)
    merge, initial = node.args.get("merge"), node.args.get("initial")
    if not isinstance(merge, exp.Lambda) or initial is None:
        return None
    wider = reduce_state.widened(initial.type, merge.this.type)
    target = spark_type(wider)
    if target is not None:
        cast = exp.Cast(this=initial.copy(), to=target)
        cast.type = wider.copy()
        initial.replace(cast)
    return None


CLASS_REWRITES = {exp.Reduce: _reduce, exp.Lambda: lambda_arguments.check, exp.ArraySize: _bigint_in_lambda, exp.Length: _bigint_in_lambda}
ANONYMOUS_REWRITES: dict = {}
