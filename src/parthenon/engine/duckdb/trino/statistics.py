"""Trino's statistical and vector functions (their types are ``typing``'s).

Trino semantics covered:

- ``normal_cdf``, ``inverse_normal_cdf``, ``wilson_interval_lower`` / ``_upper``: the
  engine functions of ``engine/duckdb/statistics_functions`` (Trino's formulas and its
  INVALID_FUNCTION_ARGUMENT checks), their arguments as Trino coerces them (double; the
  counts bigint).
- ``cosine_similarity(x, y)`` of two map(varchar, double): the dot product over the keys
  both maps hold, divided by the product of their L2 norms; NULL when either map is, or
  holds a NULL value (as Trino's mapL2Norm).

Knowingly not covered: beta_cdf and inverse_beta_cdf (refused as not supported:
commons-math's BetaDistribution is not reproduced).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from .nodes import duck, fn


def _engine(name: str, *types: str) -> t.Callable[[exp.Anonymous], exp.Expression | None]:
    def rewrite(node: exp.Anonymous) -> exp.Expression | None:
        if len(node.expressions) != len(types):
            return None
        args = [exp.Cast(this=a, to=exp.DataType.build(typ)) for a, typ in zip(node.expressions, types)]
        return exp.Cast(this=fn(f"trino_{name}", *args), to=exp.DataType.build("DOUBLE"))   # its text
    return rewrite


def _cosine_similarity(node: exp.Anonymous) -> exp.Expression | None:
    if len(node.expressions) != 2:
        return None
    x, y = node.expressions
    return duck(
        "list_transform([struct_pack(x := _x, y := _y)], lambda p: CASE "
        "WHEN p.x IS NULL OR p.y IS NULL "
        "OR list_bool_or(list_transform(map_values(p.x), lambda v: v IS NULL)) "
        "OR list_bool_or(list_transform(map_values(p.y), lambda v: v IS NULL)) THEN NULL "
        "ELSE CAST(coalesce(list_sum(list_transform(map_keys(p.x), lambda k: CAST(p.x[k] AS DOUBLE) "
        "* coalesce(CAST(p.y[k] AS DOUBLE), 0))), 0) AS DOUBLE) "
        "/ (sqrt(coalesce(list_sum(list_transform(map_values(p.x), lambda v: CAST(v AS DOUBLE) * v)), 0)) "
        "* sqrt(coalesce(list_sum(list_transform(map_values(p.y), lambda v: CAST(v AS DOUBLE) * v)), 0))) "
        "END)[1]", _x=x, _y=y)


CLASS_REWRITES: dict = {}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression | None]] = {
    "normal_cdf": _engine("normal_cdf", "DOUBLE", "DOUBLE", "DOUBLE"),
    "inverse_normal_cdf": _engine("inverse_normal_cdf", "DOUBLE", "DOUBLE", "DOUBLE"),
    "wilson_interval_lower": _engine("wilson_interval_lower", "BIGINT", "BIGINT", "DOUBLE"),
    "wilson_interval_upper": _engine("wilson_interval_upper", "BIGINT", "BIGINT", "DOUBLE"),
    "cosine_similarity": _cosine_similarity,
}
