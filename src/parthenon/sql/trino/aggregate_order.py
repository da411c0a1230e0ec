"""Trino's checks of an aggregate's own ORDER BY (``array_agg(x ORDER BY y)``).

- With DISTINCT, every ORDER BY key is one of the arguments
  (``array_agg(DISTINCT x ORDER BY y)`` is EXPRESSION_NOT_IN_DISTINCT: which y orders
  a distinct x is undefined), where DuckDB fails with an internal error.
- An aggregate with ORDER BY is no window function (``array_agg(z ORDER BY z) OVER
  (...)`` is NOT_SUPPORTED), where DuckDB answers.
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import ExpressionNotInDistinct, NotSupported
from .positions import position


def check_aggregate_order(tree: exp.Expression) -> None:
    for order in tree.find_all(exp.Order):
        call = order.parent
        if not isinstance(call, (exp.AggFunc, exp.Anonymous)) or order.arg_key != "this":
            continue        # a query's or a window's ORDER BY
        window = call.parent
        if isinstance(window, exp.Window) and window.this is call:
            raise NotSupported("Window function with ORDER BY is not supported", *position(call))
        if isinstance(order.this, exp.Distinct):
            arguments = {a.sql(dialect="trino") for a in order.this.expressions}
            for key in order.expressions:
                if key.this.sql(dialect="trino") not in arguments:
                    raise ExpressionNotInDistinct(
                        "For aggregate function with DISTINCT, ORDER BY expressions must appear "
                        "in arguments", *position(key))
