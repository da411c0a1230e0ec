"""``=`` and ``<>`` of arrays as Trino compares them: element by element, so that an
element NULL on either side makes the answer NULL unless another element differs
(``ARRAY[1, NULL] = ARRAY[1, NULL]`` is NULL, ``ARRAY[1, 3, NULL] = ARRAY[1, 2, NULL]``
false); arrays of different lengths differ.  DuckDB compares lists as values (NULL equal
to NULL).  Nested arrays compare the same way, level by level; double and real elements
as Trino's ``=`` (NaN equals nothing, itself included; NULL against NaN is NULL); timestamps
with time zone by their instants, whatever their zones.  ``x IN (a, b)``
of arrays is ``x = a OR x = b`` by the same equality (``ARRAY[nan()] IN (ARRAY[nan()])``
is false).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from . import typed_equality
from .nodes import duck, is_type


def _element_type(x: exp.Expression) -> exp.DataType | None:
    typ = x.type
    return typ.expressions[0] if typ is not None and typ.this == exp.DType.ARRAY and typ.expressions else None


def equal(a: exp.Expression, b: exp.Expression, element: exp.DataType | None, depth: int) -> exp.Expression:
    """Trino's a = b (true, false or NULL) for arrays of ``element``."""
    i = f"ae{depth}"
    x, y = duck(f"_a[{i}]", _a=a), duck(f"_b[{i}]", _b=b)
    if element is not None and element.this == exp.DType.ARRAY:
        inner = element.expressions[0] if element.expressions else None
        x.type, y.type = element, element
        each = equal(x, y, inner, depth + 1)
    else:       # doubles (NaN), zoned values (instants), rows of such
        each = typed_equality.equal(x, y, element, depth + 1)
    return duck(
        f"CASE WHEN _a IS NULL OR _b IS NULL THEN NULL WHEN len(_a) <> len(_b) THEN false "
        f"ELSE list_transform([list_transform(range(1, len(_a) + 1), lambda {i}: _each)], lambda r: "
        f"CASE WHEN list_bool_or(list_transform(r, lambda q: q = false)) THEN false "
        f"WHEN list_count(r) < len(r) THEN NULL ELSE true END)[1] END",
        _a=a, _b=b, _each=each)


def _array_equality(node: exp.Binary) -> exp.Expression | None:
    a, b = node.this, node.expression
    if not (is_type(a, exp.DType.ARRAY) and is_type(b, exp.DType.ARRAY)):
        return None
    same = equal(a, b, _element_type(a), 0)
    return same if isinstance(node, exp.EQ) else exp.Not(this=exp.Paren(this=same))


def _array_in(node: exp.In) -> exp.Expression | None:
    items = node.expressions
    if not items or not is_type(node.this, exp.DType.ARRAY) or not all(is_type(i, exp.DType.ARRAY) for i in items):
        return None
    element = _element_type(node.this)
    return exp.paren(exp.or_(*(equal(node.this, i, element, 0) for i in items)), copy=False)


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.EQ: _array_equality,
    exp.NEQ: _array_equality,
    exp.In: _array_in,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
