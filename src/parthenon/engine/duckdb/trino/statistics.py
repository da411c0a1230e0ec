"""Trino's statistical and vector functions (their types are ``typing``'s).

Trino semantics covered:

- ``normal_cdf``, ``inverse_normal_cdf``, ``wilson_interval_lower`` / ``_upper``: the
  engine functions of ``engine/duckdb/statistics_functions`` (Trino's formulas and its
  INVALID_FUNCTION_ARGUMENT checks), their arguments as Trino coerces them (double; the
  counts bigint).
- ``cosine_similarity(x, y)`` of two map(varchar, double): the dot product over the keys
  both maps hold, divided by the product of their L2 norms; NULL when either map is, or
  holds a NULL value (as Trino's mapL2Norm).

- ``corr``, ``covar_pop``, ``covar_samp``, ``regr_slope``, ``regr_intercept`` of arguments
  that coerce to real (``sql.trino.statistics_types``): the real signature (arguments read as
  reals, a real answer), ``corr(DISTINCT x, y)`` over the distinct pairs.
- ``beta_cdf(a, b, v)`` / ``inverse_beta_cdf(a, b, p)``: Trino's checks (v or p within
  [0, 1], a and b > 0, NaN failing them: INVALID_FUNCTION_ARGUMENT) and commons-math's
  answers at the ends of the support (0 and 1).

Knowingly not covered: beta_cdf and inverse_beta_cdf strictly between 0 and 1, refused
when run (NOT_SUPPORTED): Trino's answers there are commons-math's continued fraction and
solver, not reproduced bit for bit; under ``try`` (which would make that refusal a NULL)
they are refused outright.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino import statistics_types
from .nodes import duck, fn, not_supported


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


def _beta(name: str, argument: str, message: str) -> t.Callable[[exp.Anonymous], exp.Expression | None]:
    def rewrite(node: exp.Anonymous) -> exp.Expression | None:
        if len(node.expressions) != 3:
            return None
        if node.find_ancestor(exp.Try) is not None:     # try would make the refusal a NULL
            raise not_supported(node, f"Function '{name}' is not supported under try")
        a, b, x = (exp.Cast(this=v, to=exp.DataType.build("DOUBLE")) for v in node.expressions)
        return duck(
            "list_transform([struct_pack(a := _a, b := _b, x := _x)], lambda p: CASE "
            "WHEN p.a IS NULL OR p.b IS NULL OR p.x IS NULL THEN CAST(NULL AS DOUBLE) "
            f"WHEN isnan(p.x) OR p.x < 0 OR p.x > 1 THEN error('INVALID_FUNCTION_ARGUMENT: {message}') "
            "WHEN isnan(p.a) OR isnan(p.b) OR p.a <= 0 OR p.b <= 0 "
            "THEN error('INVALID_FUNCTION_ARGUMENT: a, b must be > 0') "
            "WHEN p.x = 0 THEN CAST(0 AS DOUBLE) WHEN p.x = 1 THEN CAST(1 AS DOUBLE) "
            f"ELSE error('NOT_SUPPORTED: {name} of {argument} strictly between 0 and 1 is not supported') "
            "END)[1]", _a=a, _b=b, _x=x)
    return rewrite


def _real_signature(node: exp.Expression) -> exp.Expression | None:
    """corr, covar_* and regr_* of arguments that coerce to real: Trino's real signature,
    the arguments read as reals, the answer a real."""
    if node.meta.get("real_signature") or not statistics_types.is_real(node):
        return None
    new = node.copy()
    first = new.this.expressions[0] if isinstance(new.this, exp.Distinct) else new.this
    first.replace(exp.Cast(this=first.copy(), to=exp.DataType.build("REAL")))
    if new.expression is not None:
        new.set("expression", exp.Cast(this=new.expression.copy(), to=exp.DataType.build("REAL")))
    new.meta["real_signature"] = True
    return exp.Cast(this=new, to=exp.DataType.build("REAL"))


CLASS_REWRITES: dict = {cls: _real_signature for cls in statistics_types.CLASSES}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression | None]] = {
    "normal_cdf": _engine("normal_cdf", "DOUBLE", "DOUBLE", "DOUBLE"),
    "inverse_normal_cdf": _engine("inverse_normal_cdf", "DOUBLE", "DOUBLE", "DOUBLE"),
    "wilson_interval_lower": _engine("wilson_interval_lower", "BIGINT", "BIGINT", "DOUBLE"),
    "wilson_interval_upper": _engine("wilson_interval_upper", "BIGINT", "BIGINT", "DOUBLE"),
    "cosine_similarity": _cosine_similarity,
    "beta_cdf": _beta("beta_cdf", "a value", "value must be 0 >= v >= 1"),
    "inverse_beta_cdf": _beta("inverse_beta_cdf", "a probability", "p must be 0 >= p >= 1"),
}
