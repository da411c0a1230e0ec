"""Comparisons Trino refuses, where DuckDB would cast one side.

Trino semantics covered:

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
from .nodes import position
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


def _comparison(node: exp.Binary) -> None:
    found = _mismatch(node.left, node.right)
    if found:
        raise TypeMismatch(f"Cannot apply operator: {found[0]} {_OPERATORS[type(node)]} {found[1]}",
                           *position(node))
    return None


def _in(node: exp.In) -> None:
    for item in node.expressions:
        found = _mismatch(node.this, item)
        if found:
            raise TypeMismatch(f"IN value and list items must be the same type: {found[1]}",
                               *position(node))
    return None


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    **{cls: _comparison for cls in _OPERATORS},
    exp.In: _in,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
