"""The result type of Trino's two-variable statistics aggregates.

``corr``, ``covar_pop``, ``covar_samp``, ``regr_slope`` and ``regr_intercept`` have a
``(double, double)`` and a ``(real, real)`` signature; Trino picks the closer one, so
arguments that all coerce to real (integers, reals, decimals) give a real, and a double
argument a double: ``corr(DISTINCT x, y)`` over integers is ``REAL '1.0'``.
"""
from __future__ import annotations

from sqlglot import exp
from sqlglot.optimizer.annotate_types import TypeAnnotator



_TO_REAL = (exp.DType.TINYINT, exp.DType.SMALLINT, exp.DType.INT, exp.DType.BIGINT, exp.DType.FLOAT,
            exp.DType.DECIMAL, exp.DType.NULL, exp.DType.UNKNOWN)
CLASSES = (exp.Corr, exp.CovarPop, exp.CovarSamp, exp.RegrSlope, exp.RegrIntercept)


def arguments(node: exp.Expression) -> list[exp.Expression]:
    """The aggregate's two arguments (the first without its DISTINCT)."""
    first = node.this
    if isinstance(first, exp.Distinct) and first.expressions:
        first = first.expressions[0]
    return [first, node.expression] if node.expression is not None else [first]


def is_real(node: exp.Expression) -> bool:
    """True when Trino answers the real signature: no argument is a double (or of a type
    that does not coerce to real), one at least is typed."""
    types = [a.type for a in arguments(node)]
    return all(t is not None and t.this in _TO_REAL for t in types) and \
        any(t.this not in (exp.DType.NULL, exp.DType.UNKNOWN) for t in types)


def _annotate(self: TypeAnnotator, node: exp.Expression) -> exp.Expression:
    self._set_type(node, exp.DataType.build("real" if is_real(node) else "double"))
    return node


def install(metadata: dict) -> None:
    for cls in CLASSES:
        metadata[cls] = {"annotator": _annotate}

