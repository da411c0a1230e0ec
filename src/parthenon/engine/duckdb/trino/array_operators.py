"""Array functions whose DuckDB counterparts treat NULL and NaN elements otherwise than Trino
(the cases of Trino's TestArrayOperators, family ``array_operators``).

Trino semantics covered:

- ``array_remove(a, x)`` keeps NULL elements (DuckDB's filter ``e <> x`` drops them) and
  NaN ones (NaN equals nothing in Trino, itself in DuckDB); NULL for a NULL array or x.
- ``array_join(a, sep[, null_replacement])`` joins the elements' Trino text (a double is
  ``1.0E0``, NaN ``NaN``, a JSON string its value, JSON null a NULL): NULL elements are
  skipped (or replaced), and an array of only NULLs gives '' (DuckDB: NULL).
- ``contains``, ``array_position`` and ``array_remove`` of arrays of arrays compare with
  Trino's array equality; one that is indeterminate (a NULL inside) is NOT_SUPPORTED.
- ``CAST(json AS ARRAY(VARCHAR))`` writes a fractional JSON number as its double's text.
- an array constructor of more than 254 elements is NOT_SUPPORTED, as in Trino.
- ``array || array`` and ``element || array`` of nested arrays (``ARRAY[2, 8] ||
  ARRAY[ARRAY[3]]`` prepends the element).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....errors import AmbiguousFunctionCall, FunctionNotFound, check_array_elements
from ....sql.trino import typing as trino_typing
from ....sql.trino.collection_types import elements_type
from ....sql.trino.positions import position
from . import array_equality, casts
from .nodes import FLOATS, duck, is_type


def _element(x: exp.Expression) -> exp.DataType | None:
    typ = x.type
    return typ.expressions[0] if is_type(x, exp.DType.ARRAY) and typ.expressions else None


# Searching an array of arrays compares with Trino's array equality, element after element
# (NULL elements skipped): an indeterminate comparison (``ARRAY[1, NULL] = ARRAY[1, 2]``)
# before a match is NOT_SUPPORTED, as in Trino.  r holds, per element: 0 NULL, 1 equal,
# 2 indeterminate, 3 different.
_OUTCOMES = ("list_transform(range(1, len(_a) + 1), lambda ix: CASE WHEN _a[ix] IS NULL THEN 0 "
             "WHEN _eq IS NULL THEN 2 WHEN _eq THEN 1 ELSE 3 END)")
_INDETERMINATE = "error('NOT_SUPPORTED: ARRAY comparison not supported for arrays with null elements')"
_FIRST_HIT = "coalesce(list_position(list_transform(r, lambda q: q IN (1, 2)), true), 0)"
_SEARCH = {
    "contains": f"CASE WHEN {_FIRST_HIT} = 0 THEN CASE WHEN list_contains(r, 0) THEN NULL ELSE false END "
                f"WHEN r[{_FIRST_HIT}] = 2 THEN {_INDETERMINATE} ELSE true END",
    "position": f"CASE WHEN {_FIRST_HIT} = 0 THEN CAST(0 AS BIGINT) WHEN r[{_FIRST_HIT}] = 2 "
                f"THEN {_INDETERMINATE} ELSE CAST({_FIRST_HIT} AS BIGINT) END",
    "remove": f"CASE WHEN list_contains(r, 2) THEN {_INDETERMINATE} "
              "ELSE list_filter(_a, lambda e, k: r[k] <> 1) END",
}


def nested_search(kind: str, node: exp.Expression) -> exp.Expression | None:
    """contains / array_position / array_remove (``kind``) of an array of arrays; None for
    other arrays."""
    element = _element(node.this)
    if element is None or element.this != exp.DType.ARRAY:
        return None
    x = duck("_a[ix]", _a=node.this)
    x.type = element
    eq = array_equality.equal(x, node.expression, element.expressions[0] if element.expressions else None, 1)
    return duck(f"CASE WHEN _a IS NULL OR _v IS NULL THEN NULL ELSE list_transform([{_OUTCOMES}], "
                f"lambda r: {_SEARCH[kind]})[1] END", _a=node.this, _v=node.expression, _eq=eq)


def _array_remove(node: exp.ArrayRemove) -> exp.Expression:
    nested = nested_search("remove", node)
    if nested is not None:
        return nested
    element = _element(node.this)
    nan = " OR isnan(e)" if element is not None and element.this in FLOATS else ""
    return duck(f"CASE WHEN _a IS NULL OR _v IS NULL THEN NULL "
                f"ELSE list_filter(_a, lambda e: e IS NULL OR e <> _v{nan}) END",
                _a=node.this, _v=node.expression)


def _text(x: exp.Expression, element: exp.DataType | None) -> exp.Expression:
    """An element as Trino's CAST(x AS VARCHAR) writes it."""
    if element is not None and element.this in FLOATS:
        return casts.float_to_varchar(x, element.this == exp.DType.FLOAT)
    if element is not None and element.this == exp.DType.JSON:
        return casts.json_to_varchar(x)
    return exp.Cast(this=x, to=exp.DataType.build("VARCHAR"))


def _array_join(node: exp.ArrayToString) -> exp.Expression | None:
    element = _element(node.this)
    if element is None or element.this in (exp.DType.ARRAY, exp.DType.MAP, exp.DType.STRUCT):
        return None     # (arrays' own rule refuses those)
    text = _text(exp.column("e"), element)
    replacement = node.args.get("null")
    if replacement is not None:
        text = exp.func("coalesce", text, replacement)
    return duck("CASE WHEN _a IS NULL OR _sep IS NULL THEN NULL ELSE coalesce(array_to_string("
                "list_filter(list_transform(_a, lambda e: _t), lambda s: s IS NOT NULL), _sep), '') END",
                _a=node.this, _sep=node.expression, _t=text)


def _depth(typ: exp.DataType | None) -> int:
    return 1 + _depth(typ.expressions[0]) if typ is not None and typ.this == exp.DType.ARRAY \
        and typ.expressions else 0


def _concat_nested(node: exp.DPipe) -> exp.Expression | None:
    """``ARRAY[2, 8] || ARRAY[ARRAY[3, 6]]``: an array one level less deep than the other is
    its element (arrays' rule joins flat elements only)."""
    a, b = node.this, node.expression
    if not (is_type(a, exp.DType.ARRAY) and is_type(b, exp.DType.ARRAY)):
        return None
    da, db = _depth(a.type), _depth(b.type)
    if max(da, db) < 2:
        return None
    if _ambiguous(a, b):
        raise AmbiguousFunctionCall("Could not choose a best candidate operator for concat", *position(node))
    if elements_type([a.type, b.type]) is None:
        shown = ", ".join(trino_typing.type_name(x.type) or "unknown" for x in (a, b))
        raise FunctionNotFound(f"Unexpected parameters ({shown}) for function concat", *position(node))
    if da + 1 == db:
        return exp.func("list_prepend", a, b)
    if db + 1 == da:
        return exp.func("list_append", a, b)
    return None


def _json_to_texts(node: exp.Cast) -> exp.Expression | None:
    """CAST(json AS ARRAY(VARCHAR)): a JSON number with a fraction or exponent is the text of
    its double (``12.3`` is '1.23E1'), as Trino converts it; other elements as CAST(json AS
    VARCHAR)."""
    to, x = node.to, node.this
    if not (to.this == exp.DType.ARRAY and to.expressions and to.expressions[0].this in
            (exp.DType.VARCHAR, exp.DType.TEXT) and not to.expressions[0].expressions
            and x.type is not None and x.type.this == exp.DType.JSON):
        return None
    e = exp.column("e")
    number = casts.float_to_varchar(exp.Cast(this=e.copy(), to=exp.DataType.build("DOUBLE")), False)
    return duck("list_transform(CAST(_x AS JSON[]), lambda e: CASE WHEN json_type(e) = 'DOUBLE' THEN _n "
                "ELSE _t END)", _x=x, _n=number, _t=casts.json_to_varchar(e.copy()))


def _cast(node: exp.Cast) -> exp.Expression | None:
    return _json_to_texts(node) or _unknown_elements(node)


def _unknown_elements(node: exp.Cast) -> exp.Expression | None:
    """``CAST(NULL AS ARRAY(UNKNOWN))``: DuckDB's name of Trino's unknown type is "NULL"."""
    unknown = [d for d in node.to.find_all(exp.DataType) if d.this == exp.DType.UNKNOWN and d is not node.to]
    for d in unknown:
        d.replace(exp.DataType(this=exp.DType.USERDEFINED, kind='"NULL"'))
    return node if unknown else None


def _constructor(node: exp.Array) -> None:
    """Trino's array constructor takes at most 254 elements."""
    check_array_elements(len(node.expressions), *position(node))
    return None


def _ambiguous(a: exp.Expression, b: exp.Expression) -> bool:
    """``ARRAY[ARRAY[1]] || ARRAY[NULL]``: [[1], NULL] or [[1], [NULL]] (Trino refuses it)."""
    return any(_element(x) is not None and _element(x).this in (exp.DType.UNKNOWN, exp.DType.NULL)
               for x in (a, b))


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.ArrayRemove: _array_remove,
    exp.ArrayToString: _array_join,
    exp.DPipe: _concat_nested,
    exp.Cast: _cast,
    exp.Array: _constructor,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
