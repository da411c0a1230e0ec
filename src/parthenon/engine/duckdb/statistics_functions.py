"""Trino's statistical functions the engine has none of, as scalar functions on its connection.

- ``normal_cdf(mean, sd, v)``: ``0.5 * (1 + erf((v - mean) / (sd * sqrt(2))))`` as Trino's
  MathFunctions computes it (with commons-math's erf; the C library's agrees on Trino's
  test values); sd must be > 0.
- ``inverse_normal_cdf(mean, sd, p)``: ``mean + sd * sqrt(2) * erfinv(2p - 1)``, erfinv
  found by Newton's method on erf from the AS241 quantile (Trino calls commons-math's
  erfInv; the two agree on Trino's test values); 0 < p < 1 and sd > 0.
- ``wilson_interval_lower`` / ``_upper(successes, trials, z)``: Trino's WilsonInterval
  formula, term for term.

Each returns its double as text (``repr``: exact), which the translator casts back: the
engine turns a NaN a Python function returns into NULL.

(beta_cdf and inverse_beta_cdf are the translator's: ``trino/statistics``.)  Bad arguments raise
"INVALID_FUNCTION_ARGUMENT: <Trino's message>".
"""
from __future__ import annotations

import functools
import math
from statistics import NormalDist

_INVALID = "INVALID_FUNCTION_ARGUMENT: "


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(_INVALID + message)


def normal_cdf(mean: float, sd: float, value: float) -> float:
    _check(sd > 0, "standardDeviation must be > 0")
    return 0.5 * (1 + math.erf((value - mean) / (sd * math.sqrt(2))))


def _erfinv(y: float) -> float:
    x = NormalDist().inv_cdf((y + 1) / 2) / math.sqrt(2)
    for _ in range(3):
        x -= (math.erf(x) - y) / (2 / math.sqrt(math.pi) * math.exp(-x * x))
    return x


def inverse_normal_cdf(mean: float, sd: float, p: float) -> float:
    _check(0 < p < 1, "p must be 0 > p > 1")
    _check(sd > 0, "sd must be > 0")
    return mean + sd * 1.4142135623730951 * _erfinv(2 * p - 1)


def _wilson(successes: int, trials: int, z: float, bound: int) -> float:
    _check(successes >= 0, "number of successes must not be negative")
    _check(trials > 0, "number of trials must be positive")
    _check(successes <= trials, "number of successes must not be larger than number of trials")
    _check(z >= 0, "z-score must not be negative")
    p = successes * 1.0 / trials
    n = float(trials)
    return (p + (z * z) / (2 * n) + bound * z * math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) \
        / (1 + (z * z) / n)


def _as_text(function):
    @functools.wraps(function)      # the engine reads the parameters from the signature
    def text(*args):
        return repr(function(*args))
    return text


_D, _B, _T = "DOUBLE", "BIGINT", "VARCHAR"

# name -> (function, argument types, result type)
FUNCTIONS = {
    "trino_normal_cdf": (_as_text(normal_cdf), [_D, _D, _D], _T),
    "trino_inverse_normal_cdf": (_as_text(inverse_normal_cdf), [_D, _D, _D], _T),
    "trino_wilson_interval_lower": (_as_text(lambda s, n, z: _wilson(s, n, z, -1)), [_B, _B, _D], _T),
    "trino_wilson_interval_upper": (_as_text(lambda s, n, z: _wilson(s, n, z, 1)), [_B, _B, _D], _T),
}
