"""Window functions on Spark with Trino's types.

Trino's ranking functions (``row_number``, ``rank``, ``dense_rank``, ``ntile``) return
BIGINT; Spark's return INT.  Beyond the type shown, INT arithmetic on them overflows
(ANSI mode fails) where Trino's BIGINT does not, e.g. ``row_number() OVER () * 3000000``.
So each such window is cast to BIGINT where it stands; the cast wraps the whole window
(``CAST(row_number() OVER (...) AS BIGINT)``), since Spark takes no cast inside OVER.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.nodes import int_literal, not_supported
from .templates import spark

_RANKINGS = (exp.RowNumber, exp.Rank, exp.DenseRank, exp.Ntile)


def bigint_rankings(tree: exp.Expression) -> None:
    """Cast every ranking window of ``tree`` to BIGINT, in place."""
    for window in list(tree.find_all(exp.Window)):
        if isinstance(window.this, _RANKINGS) and not isinstance(window.parent, exp.Cast):
            window.replace(exp.Cast(this=window.copy(), to=exp.DataType.build("BIGINT")))


def ntile_buckets(tree: exp.Expression) -> None:
    """Trino's ntile(n) as Spark can run it, in place.

    Spark's NTILE wants a constant n > 0 (checked before any row is read) and an ordered
    window; Trino takes any window and fails with "Buckets must be greater than 0" on
    the first row of a partition when n <= 0 (so not on no rows).  A constant n <= 0 is
    that error raised per row; a window without ORDER BY is ordered by a constant (the
    rows' buckets in the order they come, as Trino's); another n is refused."""
    for window in list(tree.find_all(exp.Window)):
        if not isinstance(window.this, exp.Ntile):
            continue
        buckets = window.this.this
        n = int_literal(buckets)
        if n is None:
            raise not_supported(window, "ntile with a bucket count that is not a constant integer is not "
                                        "supported on the Spark engine")
        if n <= 0:
            error = spark("RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: Buckets must be greater than 0')")
            window.replace(exp.Cast(this=error, to=exp.DataType.build("BIGINT")))
            continue
        if not window.args.get("order"):
            window.set("order", exp.Order(expressions=[exp.Ordered(this=exp.Literal.number(1))]))
