"""Aggregate functions.

Trino semantics covered:

- ``approx_distinct``, ``approx_percentile`` (value or array of
  percentiles), ``count_if`` (BIGINT), ``arbitrary``, ``max_by/min_by``,
  ``array_agg``, ``every``, ``approx_most_frequent(buckets, value, capacity)``
  (exact counts of the most frequent values: a map of at most ``buckets``
  entries, ties broken by value).
- ``max_by/min_by(x, y[, n])`` keep a NULL x of the largest (smallest) y.
- ``listagg(x) WITHIN GROUP (ORDER BY ...)`` without a separator joins with the
  empty string (DuckDB's default is a comma).
- ``array_agg(DISTINCT x)`` lists each value once where it first came, as Trino (its
  distinct rows are grouped in the order they come); DuckDB's distinct aggregate
  lists them in its hash table's order ([2, 5, 1, 3, 4] for 1, 2, 2, 3, 3, 4, 5).

Not supported (raises NotSupported): ``approx_percentile`` with a weight (other than the
literal 1, the unweighted percentile) or an accuracy.

Knowingly not covered:

- Result types differ in places: ``sum`` of integers is HUGEINT, ``approx_*``
  algorithms differ from Trino's.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from . import datetime
from .arrays import first_seen
from .nodes import duck, not_supported


def _approx_quantile(node: exp.ApproxQuantile) -> exp.Expression | None:
    weight = node.args.get("weight")
    if isinstance(weight, exp.Literal) and not weight.is_string and weight.this == "1" \
            and node.args.get("accuracy") is None:
        new = node.copy()       # every value weighing 1: the unweighted percentile
        new.set("weight", None)
        return new
    if weight is not None or node.args.get("accuracy") is not None:
        raise not_supported(node, "approx_percentile with weight or accuracy is not supported")
    return None


def _count_if(node: exp.CountIf) -> exp.Expression:
    """bigint, as in Trino (DuckDB's count_if is HUGEINT)."""
    return exp.Cast(this=node.copy(), to=exp.DataType.build("BIGINT"))


def _every(node: exp.Anonymous) -> exp.Expression:
    return exp.LogicalAnd(this=node.expressions[0])


def _approx_most_frequent(node: exp.Anonymous) -> exp.Expression:
    buckets, value = node.expressions[0], node.expressions[1]
    result = duck(
        "map_from_entries(list_transform(list_slice(list_sort(list_transform(map_entries(histogram(_v)), "
        "lambda e: struct_pack(n := -CAST(e.value AS BIGINT), key := e.key))), 1, _b), "
        "lambda e: struct_pack(key := e.key, value := -e.n)))", _v=value, _b=buckets)
    result.type = exp.DataType(this=exp.DType.MAP)
    return result


def _by(name: str):
    def rewrite(node: exp.Expression) -> exp.Expression | None:
        """max_by(x, y[, n]) keeps the x of the largest y even when that x is NULL (DuckDB's
        arg_max skips NULL x: x is wrapped in a struct, never NULL); no row is NULL."""
        x, y, n = node.this, node.expression, node.args.get("count")
        if n is None:
            return duck(f"{name}(struct_pack(v := _x), _y).v", _x=x, _y=y)
        return duck(f"CASE WHEN count(_y) = 0 THEN NULL ELSE list_transform({name}(struct_pack(v := _x), _y, _n), "
                    "lambda e: e.v) END", _x=x, _y=y, _n=n)
    return rewrite


def _array_agg(node: exp.ArrayAgg) -> exp.Expression | None:
    distinct = node.this
    if not isinstance(distinct, exp.Distinct) or len(distinct.expressions) != 1 or \
            isinstance(node.parent, (exp.Filter, exp.Window)) or datetime.is_zoned(distinct.expressions[0]):
        return None
    values = exp.ArrayAgg(this=distinct.expressions[0].copy())     # NULL over no row
    result = duck("CASE WHEN _v IS NULL THEN NULL ELSE _d END", _v=values, _d=first_seen(values.copy()))
    result.type = node.type
    return result


def _listagg(node: exp.GroupConcat) -> exp.Expression | None:
    if node.args.get("separator") is not None:
        return None
    node.set("separator", exp.Literal.string(""))
    return node


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.ApproxQuantile: _approx_quantile,
    exp.ArrayAgg: _array_agg,
    exp.CountIf: _count_if,
    exp.GroupConcat: _listagg,
    exp.ArgMax: _by("arg_max"),
    exp.ArgMin: _by("arg_min"),
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "every": _every,
    "approx_most_frequent": _approx_most_frequent,
}
