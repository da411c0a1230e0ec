"""CHAR(n) as Trino compares it: values are padded with spaces to n (``casts``), and two
values compare as if padded to one length, so that trailing spaces never count
(``CAST('foo' AS CHAR(3)) = CAST('foo' AS CHAR(5))``, ``CAST('bar' AS CHAR(5)) = 'bar'``).

Trino semantics covered: = <> < <= > >=, IS [NOT] DISTINCT FROM and BETWEEN with a
char(n) operand (the other one char or varchar), compared after padding both sides to
the longer one's length (a character below the space still sorts before the padding:
``'abc\\0' < 'abc '``); ``length`` of a char(n) is n, and the outermost query shows
a char(n) value padded to n (``text``).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino.typing import is_a, params
from .nodes import duck

DType = exp.DType


def _is_char(x: exp.Expression) -> bool:
    return is_a(x.type, DType.CHAR)


def _padded(a: exp.Expression, b: exp.Expression) -> tuple[exp.Expression, exp.Expression]:
    pad = "rpad(_a, CAST(greatest(length(_a), length(_b)) AS INTEGER), ' ')"
    return duck(pad, _a=a, _b=b), duck(pad, _a=b, _b=a)


def _compare(node: exp.Binary) -> exp.Expression | None:
    left, right = node.left, node.right
    if not (_is_char(left) or _is_char(right)):
        return None
    a, b = _padded(left, right)
    out = type(node)(this=a, expression=b)
    out.type = node.type
    return out


def _between(node: exp.Between) -> exp.Expression | None:
    x, low, high = node.this, node.args.get("low"), node.args.get("high")
    if not any(_is_char(e) for e in (x, low, high) if e is not None):
        return None
    lo_x, lo = _padded(x, low)
    hi_x, hi = _padded(x, high)
    return exp.and_(exp.GTE(this=lo_x, expression=lo), exp.LTE(this=hi_x, expression=hi))


def _length(node: exp.Length) -> exp.Expression | None:
    """length(char(n)) is n, whatever trailing spaces the value holds (a table's char
    column is read as its text)."""
    x = node.this
    if not _is_char(x) or not params(x.type):
        return None
    return duck(f"CASE WHEN _x IS NULL THEN NULL ELSE CAST({params(x.type)[0]} AS BIGINT) END", _x=x)


def text(x: exp.Expression) -> exp.Expression | None:
    """A char(n) value as Trino shows it: padded with spaces to n."""
    if not _is_char(x) or not params(x.type):
        return None
    return duck(f"rpad(CAST(_x AS VARCHAR), {params(x.type)[0]}, ' ')", _x=x)


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    **{cls: _compare for cls in (exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE,
                                 exp.NullSafeEQ, exp.NullSafeNEQ)},
    exp.Between: _between,
    exp.Length: _length,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
