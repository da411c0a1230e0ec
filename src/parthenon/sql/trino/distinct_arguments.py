"""``DISTINCT`` before the arguments of an aggregate of two or more arguments.

Trino reads ``corr(DISTINCT x, y)`` as corr over the distinct (x, y) pairs; SQLGlot reads
``DISTINCT x, y`` as one argument and then misses the second (a SYNTAX_ERROR: "Required
keyword: 'expression' missing").  The aggregates SQLGlot builds from two arguments (corr,
covar_pop, covar_samp, max_by, min_by, regr_*) get back their arguments, the DISTINCT on
the first (SQL prints it ``corr(DISTINCT x, y)`` again, which is DuckDB's meaning too).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp
from sqlglot.parsers.athena import AthenaTrinoParser


def _split_distinct(builder: t.Callable) -> t.Callable:
    def build(args: list, *rest: t.Any) -> exp.Expression:
        if len(args) == 1 and isinstance(args[0], exp.Distinct) and len(args[0].expressions) > 1:
            first, *others = args[0].expressions
            args = [exp.Distinct(expressions=[first]), *others]
        return builder(args, *rest)
    return build


_TWO_ARGUMENTS = (exp.Corr, exp.CovarPop, exp.CovarSamp, exp.RegrSlope, exp.RegrIntercept, exp.ArgMax,
                  exp.ArgMin)


def install() -> None:
    """Teach the Athena dialect's Trino parser the split (once)."""
    functions = dict(AthenaTrinoParser.FUNCTIONS)
    for name, builder in functions.items():
        cls = getattr(builder, "__self__", None)
        if cls in _TWO_ARGUMENTS:
            functions[name] = _split_distinct(builder)
    AthenaTrinoParser.FUNCTIONS = functions


install()
