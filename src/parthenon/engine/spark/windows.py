"""Window functions on Spark with Trino's types.

Trino's ranking functions (``row_number``, ``rank``, ``dense_rank``, ``ntile``) return
BIGINT; Spark's return INT.  Beyond the type shown, INT arithmetic on them overflows
(ANSI mode fails) where Trino's BIGINT does not, e.g. ``row_number() OVER () * 3000000``.
So each such window is cast to BIGINT where it stands; the cast wraps the whole window
(``CAST(row_number() OVER (...) AS BIGINT)``), since Spark takes no cast inside OVER.
"""
from __future__ import annotations

from sqlglot import exp

_RANKINGS = (exp.RowNumber, exp.Rank, exp.DenseRank, exp.Ntile)


def bigint_rankings(tree: exp.Expression) -> None:
    """Cast every ranking window of ``tree`` to BIGINT, in place."""
    for window in list(tree.find_all(exp.Window)):
        if isinstance(window.this, _RANKINGS) and not isinstance(window.parent, exp.Cast):
            window.replace(exp.Cast(this=window.copy(), to=exp.DataType.build("BIGINT")))
