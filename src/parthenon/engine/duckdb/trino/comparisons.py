"""Comparisons Trino refuses, where DuckDB would cast one side, and comparisons of doubles.

Trino semantics covered:

- NaN compares unequal to everything, itself included, and neither less nor greater
  than any number; ``NaN IN (...)`` is false (DuckDB orders NaN above every number and
  makes it equal to itself).  IS [NOT] DISTINCT FROM, ordering and grouping keep NaN
  as one value, as Trino does.

- ``varchar = integer`` (and ``<``, ``<>``, ``IN``..., any text against any
  number or boolean) is TYPE_MISMATCH, ``Cannot apply operator: varchar(1) =
  integer``: DuckDB would cast the text and compare, or fail on the cast.
  So is an ``ipaddress`` compared with text or a number (Trino has no implicit
  cast from varchar to ipaddress).  Only operands whose types are certain are checked: columns of known type,
  literals and casts.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....errors import TypeMismatch
from .nodes import duck, position
from ....sql.trino.typing import INTEGER_WIDTH, TEXT, type_name

_NUMBERS = (*INTEGER_WIDTH, exp.DType.DECIMAL, exp.DType.DOUBLE, exp.DType.FLOAT, exp.DType.BOOLEAN)
_OPERATORS = {exp.EQ: "=", exp.NEQ: "<>", exp.LT: "<", exp.LTE: "<=", exp.GT: ">", exp.GTE: ">="}


def _certain(node: exp.Expression) -> exp.DataType | None:
    if isinstance(node, exp.Paren):
        return _certain(node.this)
    if node.type is not None and node.type.this == exp.DType.IPADDRESS:
        return node.type    # only an address is typed so (a cast, a literal, a column)
    if isinstance(node, (exp.Column, exp.Literal, exp.Cast, exp.Boolean)) and node.type is not None:
        if node.type.this in (*TEXT, *_NUMBERS, exp.DType.IPADDRESS):
            return node.type
    return None


def _mismatch(left: exp.Expression, right: exp.Expression) -> tuple[str, str] | None:
    a, b = _certain(left), _certain(right)
    if a is None or b is None:
        return None
    if (a.this in TEXT) != (b.this in TEXT) or \
            (a.this == exp.DType.IPADDRESS) != (b.this == exp.DType.IPADDRESS):
        return type_name(a) or "varchar", type_name(b) or "varchar"
    return None


def _comparison(node: exp.Binary) -> exp.Expression | None:
    found = _mismatch(node.left, node.right)
    if found:
        raise TypeMismatch(f"Cannot apply operator: {found[0]} {_OPERATORS[type(node)]} {found[1]}",
                           *position(node))
    return _nan_aware(node)


def _floating(node: exp.Expression) -> bool:
    if isinstance(node, exp.Cast) and node.to.this in (exp.DType.DOUBLE, exp.DType.FLOAT):
        return True
    return node.type is not None and node.type.this in (exp.DType.DOUBLE, exp.DType.FLOAT)


# Which operand being NaN makes the comparison false (DuckDB orders NaN above every
# number and makes it equal to itself; in Trino NaN is neither)
_NAN_SIDES = {exp.EQ: "left", exp.LT: "right", exp.LTE: "right", exp.GT: "left", exp.GTE: "left"}


def _nan_aware(node: exp.Binary) -> exp.Expression | None:
    """A comparison of doubles as Trino's: NaN is unequal to everything, itself included,
    and neither less nor greater than any number.  Written as the comparison AND a
    condition, so that an equality still joins by hash."""
    left, right = node.left, node.right
    if not (_floating(left) or _floating(right)):
        return None
    if isinstance(node, exp.NEQ):
        nan = [duck("isnan(_x) AND _y IS NOT NULL", _x=a, _y=b)
               for a, b in ((left, right), (right, left)) if _floating(a)]
        return exp.paren(exp.or_(node.copy(), *nan), copy=False)
    if type(node) not in _NAN_SIDES:
        return None
    sides = (left, right) if type(node) in (exp.EQ,) else \
        ((right,) if _NAN_SIDES[type(node)] == "right" else (left,))
    checks = [duck("NOT isnan(_x)", _x=x) for x in sides if _floating(x)]
    if not checks:
        return None
    return exp.paren(exp.and_(node.copy(), *checks), copy=False)


def _in_nan(node: exp.In) -> exp.Expression | None:
    """NaN IN (...) is false (NaN equals nothing)."""
    if not _floating(node.this) or not node.expressions:
        return None
    return exp.paren(exp.and_(node.copy(), duck("NOT isnan(_x)", _x=node.this)), copy=False)


def _in(node: exp.In) -> exp.Expression | None:
    for item in node.expressions:
        found = _mismatch(node.this, item)
        if found:
            raise TypeMismatch(f"IN value and list items must be the same type: {found[1]}",
                               *position(node))
    return _in_nan(node)


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    **{cls: _comparison for cls in _OPERATORS},
    exp.In: _in,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
