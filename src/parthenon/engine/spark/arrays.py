"""Trino's array functions and array equality on Spark, where Spark's own differ or are named otherwise.

- ``=`` / ``<>`` of arrays is three-valued element by element, as in Trino: false where
  the lengths or an element differ, else NULL where an element comparison is NULL
  (Spark compares NULL elements as equal, NaN as equal to NaN); arrays of rows or maps
  are refused.
- ``array_distinct``, ``array_except``, ``arrays_overlap``, ``array_sort`` (with or
  without a comparator), ``zip_with`` are Spark's own with Trino's answers (first
  occurrences kept in order, one NULL; NULLs sorted last).
- ``trim_array(a, n)`` (n in 0..cardinality, else INVALID_FUNCTION_ARGUMENT) and
  ``ngrams(a, n)`` (n > 0; the whole array when n exceeds it) as SLICEs.
- ``contains_sequence(a, s)``: some SLICE of a equals s, NULL elements matching NULL
  (Spark's array ``=`` is Trino's IS NOT DISTINCT FROM here); an empty s is contained.
- ``combinations(a, n)`` for a literal n in 0..5 (else INVALID_FUNCTION_ARGUMENT, as is a
  result of more than 100,000 arrays): nested TRANSFORMs over ascending indices, the last
  index outermost, which is Trino's order; another n is refused.
- ``array_histogram(a)``: a map of each non-NULL element, first seen first, to its BIGINT
  count; elements of maps (not map keys on Spark), temporal (Spark types the map as zoned) or unknown type are refused.
"""
from __future__ import annotations

import itertools

from sqlglot import exp

from ...sql.trino.nodes import FLOATS, not_supported
from .templates import spark

DType = exp.DType
FUNCTIONS = frozenset("array_distinct array_except arrays_overlap array_sort zip_with trim_array ngrams contains_sequence combinations array_histogram".split())
_names = itertools.count()


def _element(typ: exp.DataType | None) -> exp.DataType | None:
    return typ.expressions[0] if typ is not None and typ.this == DType.ARRAY and typ.expressions else None


def _equal(a: exp.Expression, b: exp.Expression, typ: exp.DataType | None, node: exp.Expression) -> exp.Expression:
    """Trino's three-valued a = b for values of type `typ`."""
    if typ is None or typ.this in (DType.STRUCT, DType.MAP):
        raise not_supported(node, "Comparing arrays of rows or maps is not supported on the Spark engine")
    if typ.this == DType.ARRAY:
        n = next(_names)
        x, y = exp.column(f"__x{n}"), exp.column(f"__y{n}")
        inner = _equal(x, y, _element(typ), node)
        return spark(f"CASE WHEN SIZE(_a) <> SIZE(_b) THEN FALSE ELSE AGGREGATE(ZIP_WITH(_a, _b, (__x{n}, __y{n}) -> _e), "
                     f"TRUE, (__acc{n}, __v{n}) -> __acc{n} AND __v{n}) END", _a=a, _b=b, _e=inner)
    if typ.this in FLOATS:
        return spark("CASE WHEN _a = _b THEN NOT ISNAN(_a) ELSE _a = _b END", _a=a, _b=b)   # NaN vs NULL: NULL
    return exp.EQ(this=a, expression=b)


def _comparison(node: exp.Binary) -> exp.Expression | None:
    left, right = node.this, node.expression
    if not (left.type is not None and left.type.this == DType.ARRAY and right.type is not None
            and right.type.this == DType.ARRAY):
        return None
    elem = _element(left.type) if _element(left.type) is not None and _element(left.type).this != DType.UNKNOWN \
        else _element(right.type)
    equal = _equal(left, right, exp.DataType(this=DType.ARRAY, expressions=[elem]) if elem is not None else None, node)
    return exp.Not(this=exp.Paren(this=equal)) if isinstance(node, exp.NEQ) else equal


def _trim_array(node: exp.Anonymous) -> exp.Expression:
    a, n = node.expressions
    return spark("CASE WHEN _n < 0 OR _n > SIZE(_a) THEN RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: size must "
                 "not be negative or greater than the array cardinality ', _n)) ELSE SLICE(_a, 1, SIZE(_a) - _n) END",
                 _a=a, _n=n)


def _ngrams(node: exp.Anonymous) -> exp.Expression:
    a, n = node.expressions
    return spark("CASE WHEN _n <= 0 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: N must be positive') "
                 "ELSE TRANSFORM(SEQUENCE(1, GREATEST(SIZE(_a) - _n + 1, 1)), __i -> SLICE(_a, __i, _n)) END",
                 _a=a, _n=n)


def _contains_sequence(node: exp.Anonymous) -> exp.Expression:
    a, s = node.expressions
    if any(_element(arg.type) is not None and _element(arg.type).this == DType.MAP for arg in (a, s)):
        raise not_supported(node, "contains_sequence of arrays of maps is not supported on the Spark engine")
    return spark("CASE WHEN SIZE(_s) = 0 THEN TRUE WHEN SIZE(_s) > SIZE(_a) THEN FALSE ELSE "
                 "EXISTS(SEQUENCE(1, SIZE(_a) - SIZE(_s) + 1), __i -> SLICE(_a, __i, SIZE(_s)) = _s) END",
                 _a=a, _s=s)


def _combinations(node: exp.Anonymous) -> exp.Expression:
    a, n = node.expressions
    try:
        k = int(n.sql())
    except ValueError:
        raise not_supported(node, "combinations with a computed size is not supported on the Spark engine") from None
    if _element(a.type) is None or _element(a.type).this == DType.UNKNOWN:
        raise not_supported(node, "combinations of an array(unknown) is not supported on the Spark engine")
    if not 0 <= k <= 5:
        return spark(f"RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: combination size must be between 0 and 5: {k}')")
    if k == 0:
        return spark("CASE WHEN _a IS NULL THEN NULL ELSE ARRAY(SLICE(_a, 1, 0)) END", _a=a)
    m = next(_names)
    idx = [f"__j{m}_{i}" for i in range(k)]
    body = "ARRAY(" + ", ".join(f"ELEMENT_AT(_a, {j})" for j in idx) + ")"
    for i in range(k):  # innermost (first index) outwards
        bound = "SIZE(_a)" if i == k - 1 else f"{idx[i + 1]} - 1"
        seq = f"FILTER(SEQUENCE(0, {bound}), __x -> __x >= 1)"
        body = f"{'FLATTEN(' if i else ''}TRANSFORM({seq}, {idx[i]} -> {body}){')' if i else ''}"
    count = " * ".join(f"CAST(SIZE(_a) - {i} AS BIGINT)" for i in range(k))
    fact = 1
    for i in range(2, k + 1):
        fact *= i
    return spark(f"CASE WHEN _a IS NULL THEN NULL WHEN SIZE(_a) >= {k} AND {count} / {fact} > 100000 "
                 "THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: combinations exceed max size') "
                 f"ELSE {body} END", _a=a)


def _array_histogram(node: exp.Anonymous) -> exp.Expression:
    a = node.expressions[0]
    elem = _element(a.type)
    if elem is None or elem.this in (DType.UNKNOWN, DType.MAP, DType.JSON) or elem.this in exp.DataType.TEMPORAL_TYPES:
        raise not_supported(node, "array_histogram of this element type is not supported on the Spark engine")
    return spark("TRANSFORM(ARRAY(FILTER(_a, __x -> __x IS NOT NULL)), __f -> MAP_FROM_ARRAYS(ARRAY_DISTINCT(__f), "
                 "TRANSFORM(ARRAY_DISTINCT(__f), __k -> CAST(SIZE(FILTER(__f, __y -> __y = __k)) AS BIGINT))))[0]",
                 _a=a)


CLASS_REWRITES = {exp.EQ: _comparison, exp.NEQ: _comparison}
ANONYMOUS_REWRITES = {"trim_array": _trim_array, "ngrams": _ngrams, "contains_sequence": _contains_sequence,
                       "combinations": _combinations, "array_histogram": _array_histogram}
