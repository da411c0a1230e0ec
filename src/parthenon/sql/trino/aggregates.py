"""Aggregate functions.

Trino semantics covered:

- ``approx_distinct``, ``approx_percentile`` (value or array of
  percentiles), ``count_if`` (BIGINT), ``arbitrary``, ``max_by/min_by``,
  ``array_agg``, ``every``.

Not supported (raises NotSupported): ``approx_percentile`` with a weight or
an accuracy.

Knowingly not covered:

- Result types differ in places: ``sum`` of integers is HUGEINT, ``approx_*``
  algorithms differ from Trino's.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from .nodes import not_supported


def _approx_quantile(node: exp.ApproxQuantile) -> exp.Expression | None:
    if node.args.get("weight") is not None or node.args.get("accuracy") is not None:
        raise not_supported(node, "approx_percentile with weight or accuracy is not supported")
    return None


def _count_if(node: exp.CountIf) -> exp.Expression:
    """bigint, as in Trino (DuckDB's count_if is HUGEINT)."""
    return exp.Cast(this=node.copy(), to=exp.DataType.build("BIGINT"))


def _every(node: exp.Anonymous) -> exp.Expression:
    return exp.LogicalAnd(this=node.expressions[0])


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.ApproxQuantile: _approx_quantile,
    exp.CountIf: _count_if,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "every": _every,
}
