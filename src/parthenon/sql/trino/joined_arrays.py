"""Trino's rule for ``array_join(a, sep [, null_text])``: it joins the elements' varchar
casts, and arrays, maps and rows have none, so an array of them is OPERATOR_NOT_FOUND
("Cannot cast array(integer) to varchar"), before the query runs."""
from __future__ import annotations

from sqlglot import exp

from ...errors import OperatorNotFound
from . import typing as trino_typing
from .positions import position

_UNCASTABLE = (exp.DType.ARRAY, exp.DType.MAP, exp.DType.STRUCT)


def check_elements(node: exp.ArrayToString) -> None:
    """Raise OperatorNotFound when array_join's elements have no cast to varchar."""
    typ = node.this.type
    element = typ.expressions[0] if typ is not None and typ.this == exp.DType.ARRAY and typ.expressions else None
    if element is not None and element.this in _UNCASTABLE:
        raise OperatorNotFound(f"Cannot cast {trino_typing.type_name(element) or 'the elements'} to varchar",
                               *position(node))
