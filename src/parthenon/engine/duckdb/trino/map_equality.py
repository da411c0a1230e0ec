"""``=`` and ``<>`` of maps as Trino compares them: as sets of entries, whatever their
order (``MAP(ARRAY[1, 3], ARRAY[2, 4]) = MAP(ARRAY[3, 1], ARRAY[4, 2])`` is true), with
NULL values making the answer NULL unless some entry differs (Trino's MapEqualOperator:
a missing key or an unequal value is false, a NULL comparison is remembered as
indeterminate).  DuckDB compares maps as lists of entries, in order, NULL equal to NULL.
Values compare with Trino's ``=`` (arrays through array_equality.equal)."""
from __future__ import annotations

import typing as t

from sqlglot import exp

from . import array_equality
from .nodes import duck, is_type


def _value_type(x: exp.Expression) -> exp.DataType | None:
    typ = x.type
    return typ.expressions[1] if typ is not None and typ.this == exp.DType.MAP and len(typ.expressions) > 1 else None


def _map_equality(node: exp.Binary) -> exp.Expression | None:
    a, b = node.this, node.expression
    if not (is_type(a, exp.DType.MAP) and is_type(b, exp.DType.MAP)):
        return None
    value = _value_type(a)
    x, y = duck("map_extract_value(_a, mk)", _a=a), duck("map_extract_value(_b, mk)", _b=b)
    if value is not None and value.this == exp.DType.ARRAY:
        x.type, y.type = value, value
        inner = value.expressions[0] if value.expressions else None
        each = array_equality.equal(x, y, inner, 0)
    else:
        each = exp.EQ(this=x, expression=y)
    same = duck(
        "CASE WHEN _a IS NULL OR _b IS NULL THEN NULL WHEN cardinality(_a) <> cardinality(_b) THEN false "
        "ELSE list_transform([list_transform(map_keys(_a), lambda mk: CASE WHEN NOT map_contains(_b, mk) "
        "THEN false ELSE _each END)], lambda r: CASE WHEN list_bool_or(list_transform(r, lambda q: q = false)) "
        "THEN false WHEN list_count(r) < len(r) THEN NULL ELSE true END)[1] END",
        _a=a, _b=b, _each=each)
    return same if isinstance(node, exp.EQ) else exp.Not(this=exp.Paren(this=same))


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.EQ: _map_equality,
    exp.NEQ: _map_equality,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
