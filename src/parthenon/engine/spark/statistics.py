"""Trino's statistical functions on Spark, with Trino's own arithmetic.

Trino computes them with Apache Commons Math 3, which Spark ships too: its static methods
are called through Spark's ``reflect`` (a double's text, read back exactly), so the digits
are Trino's.  NULL arguments give NULL; NaN fails a check as Java's comparisons do (Spark
orders NaN above every number, so each check says it).

- ``normal_cdf(mean, sd, v)``: ``0.5 * (1 + erf((v - mean) / (sd * sqrt(2))))``;
  ``inverse_normal_cdf(mean, sd, p)``: ``mean + sd * sqrt(2) * erfInv(2p - 1)``;
- ``beta_cdf(a, b, v)``: the regularized incomplete beta function (0 at v = 0, 1 at 1);
  ``inverse_beta_cdf(a, b, p)`` at p = 0 and 1 (its bounds); another p is refused as
  the query runs (Trino's solver is an object, not a static method);
- ``wilson_interval_lower``/``wilson_interval_upper(successes, trials, z)``, Trino's formula
  operation for operation (the digits depend on the order);
- ``cosine_similarity(map, map)``: the dot product over the left map's keys, in its order,
  by the product of the L2 norms (NULL if a value is NULL).
"""
from __future__ import annotations

from sqlglot import exp

from .templates import spark

FUNCTIONS = frozenset("normal_cdf inverse_normal_cdf beta_cdf inverse_beta_cdf wilson_interval_lower "
                      "wilson_interval_upper cosine_similarity".split())

_MATH3 = "org.apache.commons.math3.special"
_BAD = "RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: {}')"
_INFINITY = "CAST('Infinity' AS DOUBLE)"


def _double(x: exp.Expression) -> exp.Expression:
    return exp.Cast(this=x, to=exp.DataType.build("DOUBLE"))


def _call(cls: str, method: str, *args: str) -> str:
    return f"CAST(REFLECT('{_MATH3}.{cls}', '{method}', {', '.join(args)}) AS DOUBLE)"


def _nulls(names: str, body: str) -> str:
    tests = " OR ".join(f"{n} IS NULL" for n in names.split())
    return f"CASE WHEN {tests} THEN CAST(NULL AS DOUBLE) {body} END"


def _not_positive(x: str) -> str:
    return f"(ISNAN({x}) OR {x} <= 0)"


def _normal_cdf(node: exp.Anonymous) -> exp.Expression:
    m, sd, v = map(_double, node.expressions)
    return spark(_nulls("_m _sd _v", f"WHEN {_not_positive('_sd')} THEN {_BAD.format('standardDeviation must be > 0')} "
                 f"ELSE 0.5D * (1 + {_call('Erf', 'erf', '(_v - _m) / (_sd * SQRT(2D))')})"), _m=m, _sd=sd, _v=v)


def _inverse_normal_cdf(node: exp.Anonymous) -> exp.Expression:
    m, sd, p = map(_double, node.expressions)
    return spark(_nulls("_m _sd _p", f"WHEN ISNAN(_p) OR _p <= 0 OR _p >= 1 THEN {_BAD.format('p must be 0 > p > 1')} "
                 f"WHEN {_not_positive('_sd')} THEN {_BAD.format('sd must be > 0')} "
                 f"ELSE _m + _sd * SQRT(2D) * {_call('Erf', 'erfInv', '2D * _p - 1D')}"), _m=m, _sd=sd, _p=p)


def _beta_checks(x: str, name: str) -> str:
    return (f"WHEN {_not_positive('_a')} OR {_not_positive('_b')} THEN {_BAD.format('a, b must be > 0')} "
            f"WHEN ISNAN({x}) OR {x} < 0 OR {x} > 1 THEN {_BAD.format(f'{name} must be in the interval [0, 1]')} ")


def _beta_cdf(node: exp.Anonymous) -> exp.Expression:
    a, b, v = map(_double, node.expressions)
    return spark(_nulls("_a _b _v", _beta_checks("_v", "value") + "WHEN _v = 0 THEN 0D WHEN _v = 1 THEN 1D "
                 f"ELSE {_call('Beta', 'regularizedBeta', '_v', '_a', '_b')}"), _a=a, _b=b, _v=v)


def _inverse_beta_cdf(node: exp.Anonymous) -> exp.Expression:
    a, b, p = map(_double, node.expressions)
    return spark(_nulls("_a _b _p", _beta_checks("_p", "p") + "WHEN _p = 0 THEN 0D WHEN _p = 1 THEN 1D "
                 "ELSE _x"), _a=a, _b=b, _p=p, _x=exp.Anonymous(this="RAISE_ERROR", expressions=[exp.Literal.string(
                 "NOT_SUPPORTED: Function 'inverse_beta_cdf' of a probability other than 0 or 1 is not supported on "
                 "the Spark engine")]))


def _wilson(bound: str):
    def rewrite(node: exp.Anonymous) -> exp.Expression:
        s, n, z = node.expressions
        return spark(_nulls("_s _n _z",
                     f"WHEN _s < 0 THEN {_BAD.format('number of successes must not be negative')} "
                     f"WHEN _n <= 0 THEN {_BAD.format('number of trials must be positive')} "
                     f"WHEN _s > _n THEN {_BAD.format('number of successes must not be larger than number of trials')} "
                     f"WHEN ISNAN(_z) OR _z < 0 THEN {_BAD.format('z-score must not be negative')} "
                     "ELSE ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT('p', CAST(_s AS DOUBLE) * 1D / CAST(_n AS DOUBLE), "
                     "'n', CAST(_n AS DOUBLE))), __w -> (__w.p + (_z * _z) / (2D * __w.n) + "
                     f"{bound}D * _z * SQRT((__w.p * (1D - __w.p)) / __w.n + (_z * _z) / (4D * __w.n * __w.n))) / "
                     "(1D + (_z * _z) / __w.n)), 1)"), _s=s, _n=n, _z=_double(z))
    return rewrite


def _cosine_similarity(node: exp.Anonymous) -> exp.Expression:
    left, right = node.expressions
    if isinstance(left, exp.Null) or isinstance(right, exp.Null):
        return exp.Cast(this=exp.Null(), to=exp.DataType.build("DOUBLE"))
    norm = ("CASE WHEN EXISTS(MAP_VALUES({m}), v -> v IS NULL) THEN CAST(NULL AS DOUBLE) ELSE "
            "SQRT(AGGREGATE(MAP_VALUES({m}), 0D, (a, v) -> a + v * v)) END")
    dot = ("AGGREGATE(MAP_ENTRIES(_l), 0D, (a, e) -> CASE WHEN MAP_CONTAINS_KEY(_r, e.key) THEN "
           "a + e.value * ELEMENT_AT(_r, e.key) ELSE a END)")
    # Java's division: x / 0 is infinite or NaN (Spark's ANSI division fails)
    return spark(f"ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT('d', {dot}, 'n', ({norm.format(m='_l')}) * "
                 f"({norm.format(m='_r')}))), __c -> CASE WHEN __c.n = 0 THEN CASE WHEN ISNAN(__c.d) OR __c.d = 0 "
                 f"THEN CAST('NaN' AS DOUBLE) WHEN __c.d > 0 THEN {_INFINITY} ELSE -{_INFINITY} END "
                 "ELSE __c.d / __c.n END), 1)", _l=left, _r=right)


ANONYMOUS_REWRITES = {
    "normal_cdf": _normal_cdf,
    "inverse_normal_cdf": _inverse_normal_cdf,
    "beta_cdf": _beta_cdf,
    "inverse_beta_cdf": _inverse_beta_cdf,
    "wilson_interval_lower": _wilson("-1"),
    "wilson_interval_upper": _wilson("1"),
    "cosine_similarity": _cosine_similarity,
}
CLASS_REWRITES: dict = {}
