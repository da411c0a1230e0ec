"""Trino's array functions and array equality on Spark, where Spark's own differ or are named otherwise.

- ``=``, ``<>``, ``IS DISTINCT FROM`` of arrays, maps and rows, and ``contains`` /
  ``array_position`` of nested elements, are ``equality``'s; ``contains(a, NULL)`` and
  ``array_position(a, NULL)`` are NULL.
- ``array_distinct``, ``array_except``, ``arrays_overlap``, ``array_sort`` (with or
  without a comparator), ``zip_with`` are Spark's own with Trino's answers (first
  occurrences kept in order, one NULL; NULLs sorted last); ``array_except`` and ``arrays_overlap`` of a NULL are NULL.
- ``trim_array(a, n)`` (n in 0..cardinality, else INVALID_FUNCTION_ARGUMENT) and
  ``ngrams(a, n)`` (n > 0; the whole array when n exceeds it) as SLICEs.
- ``contains_sequence(a, s)``: some SLICE of a equals s, NULL elements matching NULL
  (Spark's array ``=`` is Trino's IS NOT DISTINCT FROM here); an empty s is contained.
- ``combinations(a, n)`` for a literal n in 0..5 (else INVALID_FUNCTION_ARGUMENT, as is a
  result of more than 100,000 arrays): nested TRANSFORMs over ascending indices, the last
  index outermost, which is Trino's order; another n is refused.
- ``array_histogram(a)``: a map of each non-NULL element, first seen first, to its BIGINT
  count; elements of maps (not map keys on Spark), of unknown type, or temporal but dates and
  timestamps of up to 6 digits are refused.
- ``array_intersect`` (in the order of the longer array, the first when both are as long:
  Trino looks the longer one's elements up in the other) and ``array_union`` are Spark's
  set functions (NULL and NaN each one element, rows compared field by field with NULL
  fields matching, as in Trino), both arrays cast to the result's type first.
- ``array_remove(a, x)`` keeps NULL and NaN elements (NaN equals nothing in Trino; Spark's
  removes NaN); of arrays of arrays it compares with Trino's array equality, an
  indeterminate comparison (a NULL inside) failing with NOT_SUPPORTED as in Trino.
- ``||`` and ``concat`` of arrays, and of an array and an element (appended or
  prepended; a NULL element makes the result NULL), all cast to the result's type;
  element types with no common type are FUNCTION_NOT_FOUND, an array of NULLs beside
  nested arrays AMBIGUOUS_FUNCTION_CALL, as in Trino.
- ``array_join`` of arrays, maps or rows is OPERATOR_NOT_FOUND (``sql.trino.joined_arrays``).
- ``zip(a, b...)``: rows of the arrays' i-th elements, NULL fields past a shorter
  array's end (Spark's ARRAYS_ZIP names the fields otherwise).
- ``flatten`` skips NULL arrays (Spark's is NULL then); ``repeat(x, n)`` is ARRAY_REPEAT
  with Trino's bounds (0 <= n <= 10,000; a result over Trino's 1,000,000 bytes fails;
  one that may be near that limit is refused).
"""
from __future__ import annotations

import itertools
import typing as t

from sqlglot import exp

from ...errors import AmbiguousFunctionCall, FunctionNotFound, check_argument_count
from ...sql.trino import joined_arrays
from ...sql.trino.collection_types import elements_type
from ...sql.trino.nodes import FLOATS, not_supported
from ...sql.trino.positions import position
from ...sql.trino.typing import precision as trino_precision, type_name
from ...sql.trino.typing import INTEGER_WIDTH, NUMBERS, TEXT
from . import equality, types
from .templates import spark

DType = exp.DType
FUNCTIONS = frozenset("array_distinct array_except arrays_overlap array_sort zip_with trim_array ngrams "
                      "contains_sequence combinations array_histogram array_intersect array_union array_remove "
                      "flatten repeat zip".split())
_names = itertools.count()


_element = equality.element     # an array type's element type (None for another type)


def _search(kind: str) -> t.Callable[[exp.Expression], exp.Expression | None]:
    """contains / array_position: of nested elements by Trino's equality (``equality``);
    of a NULL value NULL (Spark refuses a NULL-typed argument)."""
    def rewrite(node: exp.Expression) -> exp.Expression | None:
        a, x = node.this, node.expression
        if x.type is not None and x.type.this in (DType.UNKNOWN, DType.NULL):
            return exp.Cast(this=exp.Null(), to=exp.DataType.build("BOOLEAN" if kind == "contains" else "BIGINT"))
        found = equality.search(kind, a, x, node)
        if found is not None:
            return found
        elem = _element(a.type)
        if elem is not None and x.type is not None and elem != x.type and DType.DECIMAL in (elem.this, x.type.this):
            # decimals of other scales (or an integer): both as their common type (Spark wants one)
            target = types.spark_type(elements_type([a.type, x.type]))
            if target is None:
                raise not_supported(node, f"{'contains' if kind == 'contains' else 'array_position'} of these types "
                                          "is not supported on the Spark engine")
            return node.__class__(this=exp.Cast(this=a, to=target), expression=exp.Cast(this=x, to=target.expressions[0]))
        return None
    return rewrite


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
    # dates and timestamps of up to 6 digits are Spark's own (a timestamp(7..9), a zoned value
    # or a time is a struct or number of Parthenon's: not a map key Spark presents as Trino)
    plain_time = elem is not None and (elem.this == DType.DATE or elem.this == DType.TIMESTAMP
                                       and trino_precision(elem) <= 6)
    if elem is None or elem.this in (DType.UNKNOWN, DType.MAP, DType.JSON) or \
            elem.this in exp.DataType.TEMPORAL_TYPES and not plain_time:
        raise not_supported(node, "array_histogram of this element type is not supported on the Spark engine")
    return spark("TRANSFORM(ARRAY(FILTER(_a, __x -> __x IS NOT NULL)), __f -> MAP_FROM_ARRAYS(ARRAY_DISTINCT(__f), "
                 "TRANSFORM(ARRAY_DISTINCT(__f), __k -> CAST(SIZE(FILTER(__f, __y -> __y = __k)) AS BIGINT))))[0]",
                 _a=a)


def _as_result(x: exp.Expression, node: exp.Expression) -> exp.Expression:
    """`x` cast to the Spark type of `node`'s Trino type (Spark's set functions want one
    element type; a decimal's scale as Trino gives it)."""
    target = types.spark_type(node.type)
    return exp.Cast(this=x, to=target) if target is not None and _element(node.type) is not None \
        and _element(node.type).this != DType.UNKNOWN else x


def _array_intersect(node: exp.ArrayIntersect) -> exp.Expression:
    a, b = (node.expressions if node.expressions else [node.this, node.expression])[:2]
    a, b = _as_result(a, node), _as_result(b, node)
    return spark("CASE WHEN SIZE(_a) < SIZE(_b) THEN ARRAY_INTERSECT(_b, _a) ELSE ARRAY_INTERSECT(_a, _b) END",
                 _a=a, _b=b)


def _bare_null(x: exp.Expression) -> bool:
    return x.type is not None and x.type.this in (DType.UNKNOWN, DType.NULL)


def _array_except(node: exp.ArrayExcept) -> exp.Expression | None:
    """A NULL argument (Trino's array(unknown)) makes the answer NULL; Spark refuses an
    untyped NULL beside an array."""
    args = [node.this, node.expression]
    target = types.spark_type(node.type)
    if any(_bare_null(a) for a in args) and target is not None:
        return exp.Cast(this=exp.Null(), to=target)
    return None


def _arrays_overlap(node: exp.Anonymous) -> exp.Expression | None:
    """arrays_overlap with a NULL argument is NULL (Spark refuses the untyped NULL)."""
    if any(_bare_null(a) for a in node.expressions):
        return exp.Cast(this=exp.Null(), to=exp.DataType.build("BOOLEAN"))
    return None


def _array_union(node: exp.Anonymous) -> exp.Expression:
    a, b = node.expressions
    return spark("ARRAY_UNION(_a, _b)", _a=_as_result(a, node), _b=_as_result(b, node))


def _array_remove(node: exp.ArrayRemove) -> exp.Expression:
    a, x = node.this, node.expression
    elem = _element(a.type)
    if elem is not None and elem.this in (DType.STRUCT, DType.MAP) or elem is None:
        raise not_supported(node, "array_remove of this element type is not supported on the Spark engine")
    if elem.this == DType.ARRAY:
        n = next(_names)
        e = exp.column(f"__r{n}")
        eq = equality.equal(e, x, elem, node, x.type)
        return spark(f"CASE WHEN _x IS NULL THEN NULL WHEN EXISTS(_a, __r{n} -> __r{n} IS NOT NULL AND (_eq) IS NULL) "
                     "THEN RAISE_ERROR('NOT_SUPPORTED: ARRAY comparison not supported for arrays with null elements') "
                     f"ELSE FILTER(_a, __r{n} -> __r{n} IS NULL OR NOT (_eq)) END", _a=a, _x=x, _eq=eq)
    nan = " OR ISNAN(__e)" if elem.this in FLOATS else ""
    return spark(f"CASE WHEN _x IS NULL THEN NULL ELSE FILTER(_a, __e -> __e IS NULL OR __e <> _x{nan}) END",
                 _a=a, _x=x)


def _zip(node: exp.Anonymous) -> exp.Expression:
    """zip(a, b...): rows of the i-th elements, NULL past a shorter array's end; NULL when an
    array is NULL."""
    arrays = node.expressions
    if any(isinstance(a, exp.Null) or isinstance(a, exp.Cast) and isinstance(a.this, exp.Null) for a in arrays):
        return exp.Null()       # a NULL array (Spark has no array(unknown) to cast it to)
    n = next(_names)
    i = f"__z{n}"
    args = {f"_a{k}": a for k, a in enumerate(arrays)}
    fields = ", ".join(f"TRY_ELEMENT_AT(_a{k}, {i}) AS col{k + 1}" for k in range(len(arrays)))
    sizes = ", ".join(f"SIZE(_a{k})" for k in range(len(arrays)))
    null = " OR ".join(f"_a{k} IS NULL" for k in range(len(arrays)))
    return spark(f"CASE WHEN {null} THEN NULL ELSE TRANSFORM(FILTER(SEQUENCE(0, GREATEST({sizes})), {i} -> {i} >= 1), "
                 f"{i} -> STRUCT({fields})) END", **args)


def _depth(typ: exp.DataType | None) -> int:
    return 1 + _depth(_element(typ)) if _element(typ) is not None else 0


def _unknown_leaf(typ: exp.DataType | None) -> bool:
    return typ is not None and (typ.this in (DType.UNKNOWN, DType.NULL) or _unknown_leaf(_element(typ)))


def _leaf(typ: exp.DataType) -> exp.DataType:
    return _leaf(_element(typ)) if _element(typ) is not None else typ


def _leaf_group(typ: exp.DataType) -> object:
    leaf = _leaf(typ).this
    return "number" if leaf in NUMBERS else "text" if leaf in TEXT else leaf


def _widest_integers(parts: list[exp.Expression], depth: int) -> exp.DataType | None:
    """``ARRAY[2] || BIGINT '1'``: integers of several widths join as the widest."""
    leaves = [_leaf(p.type).this for p in parts]
    if not all(leaf in INTEGER_WIDTH for leaf in leaves):
        return None
    widest = exp.DataType.build(max(leaves, key=INTEGER_WIDTH.get))
    for _ in range(depth):
        widest = exp.DataType(this=DType.ARRAY, expressions=[widest], nested=True)
    return widest


def _concat(node: exp.DPipe | exp.Concat) -> exp.Expression | None:
    parts = [node.this, node.expression] if isinstance(node, exp.DPipe) else list(node.expressions)
    arrays = [p for p in parts if p.type is not None and p.type.this == DType.ARRAY]
    if not arrays or any(p.type is None for p in parts):
        return None
    check_argument_count("concat", len(parts), *position(node))
    depth = max(_depth(p.type) for p in arrays)
    if depth >= 2 and any(_element(p.type).this in (DType.UNKNOWN, DType.NULL) for p in arrays):
        raise AmbiguousFunctionCall("Could not choose a best candidate operator for concat", *position(node))
    target = elements_type([p.type for p in parts]) or _widest_integers(parts, depth)
    if target is None and all(_unknown_leaf(p.type) for p in parts):
        target = next(p.type for p in arrays if _depth(p.type) == depth)   # only NULLs
    if target is None:
        if len({_leaf_group(p.type) for p in parts if not _unknown_leaf(p.type)}) > 1 \
                or min(_depth(p.type) for p in parts) < depth - 1:
            shown = ", ".join(type_name(p.type) or "unknown" for p in parts)
            raise FunctionNotFound(f"Unexpected parameters ({shown}) for function concat", *position(node))
        # empty or NULL-only arrays (array(unknown)) take the others' type, as Trino coerces them
        known = [p for p in parts if not _unknown_leaf(p.type)]
        target = elements_type([p.type for p in known]) or _widest_integers(known, depth)
        if target is None or _depth(target) != depth:
            raise not_supported(node, "This concatenation of arrays is not supported on the Spark engine")
    to = types.spark_type(target)
    if to is None:
        return None
    pieces, elements = [], []
    for p in parts:
        if p.type.this in (DType.UNKNOWN, DType.NULL) or (p.type.this == DType.ARRAY and _depth(p.type) == depth):
            pieces.append(exp.Cast(this=p, to=to.copy()))
        else:
            elements.append(p)
            pieces.append(exp.Cast(this=exp.Array(expressions=[p.copy()]), to=to.copy()))
    joined = exp.Anonymous(this="CONCAT", expressions=pieces)
    if not elements:
        return joined
    null = exp.or_(*(exp.Is(this=e.copy(), expression=exp.Null()) for e in elements))
    return exp.Case(ifs=[exp.If(this=null, true=exp.Null())], default=joined)


def _array_sort(node: exp.ArraySort) -> exp.Expression | None:
    """A comparator must answer -1, 0 or 1 (else INVALID_FUNCTION_ARGUMENT, NULL too); Spark
    takes any integer, and only an INT."""
    lam = node.args.get("expression")
    if not isinstance(lam, exp.Lambda) or lam.meta.get("spark_checked"):
        return None
    body = lam.this
    checked = spark("CASE WHEN _r IN (-1, 0, 1) THEN CAST(_r AS INT) ELSE RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: "
                    "Lambda comparator must return either -1, 0, or 1') END", _r=body)
    new = node.copy()
    new.expression.set("this", checked)
    new.expression.meta["spark_checked"] = True
    return new


def _array_join(node: exp.ArrayToString) -> None:
    """Elements with no cast to varchar are OPERATOR_NOT_FOUND, as in Trino (Spark: a type mismatch)."""
    joined_arrays.check_elements(node)


def _flatten(node: exp.Flatten) -> exp.Expression:
    return spark("FLATTEN(FILTER(_a, __x -> __x IS NOT NULL))", _a=node.this)


# Trino's repeat: at most 10,000 entries, and a result of at most 1,000,000 bytes
_REPEAT_BYTES = 1_000_000


def _repeat(node: exp.Repeat) -> exp.Expression:
    x, n = node.this, node.args.get("times")
    typ = x.type
    checks = ("CASE WHEN _n < 0 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: count argument of repeat function "
              "must be greater than or equal to 0') WHEN _n > 10000 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: "
              "count argument of repeat function must be less than or equal to 10000') ")
    if typ is not None and typ.this in TEXT:
        # each entry takes its bytes and 5 more (offset, null flag): over the limit for certain
        # on its bytes alone, under it for certain with the 5; between, Trino's exact accounting decides
        checks += (f"WHEN CAST(_n AS BIGINT) * OCTET_LENGTH(_x) > {_REPEAT_BYTES} THEN RAISE_ERROR("
                   "'INVALID_FUNCTION_ARGUMENT: result of repeat function must not take more than "
                   f"{_REPEAT_BYTES} bytes') WHEN CAST(_n AS BIGINT) * (OCTET_LENGTH(_x) + 5) > {_REPEAT_BYTES - 1024} "
                   "THEN RAISE_ERROR('NOT_SUPPORTED: repeat with a result near 1000000 bytes is not supported "
                   "on the Spark engine') ")
    elif typ is None or typ.this in (DType.ARRAY, DType.MAP, DType.STRUCT, DType.VARBINARY, DType.BINARY):
        checks += ("WHEN _n > 1000 AND _x IS NOT NULL THEN RAISE_ERROR('NOT_SUPPORTED: repeat of this value "
                   "more than 1000 times is not supported on the Spark engine') ")
    return spark(checks + "ELSE ARRAY_REPEAT(_x, _n) END", _x=x, _n=n)


CLASS_REWRITES = {**{cls: equality.comparison for cls in (exp.EQ, exp.NEQ, exp.NullSafeEQ, exp.NullSafeNEQ)},
                  **{cls: equality.ordering for cls in (exp.LT, exp.LTE, exp.GT, exp.GTE)},
                  exp.ArrayContains: _search("contains"), exp.ArrayPosition: _search("position"),
                  exp.ArrayIntersect: _array_intersect, exp.ArrayExcept: _array_except,
                  exp.ArrayRemove: _array_remove, exp.Flatten: _flatten, exp.Repeat: _repeat,
                  exp.ArraySort: _array_sort, exp.ArrayToString: _array_join,
                  exp.DPipe: _concat, exp.Concat: _concat}
ANONYMOUS_REWRITES = {"array_union": _array_union, "arrays_overlap": _arrays_overlap, "trim_array": _trim_array, "ngrams": _ngrams, "contains_sequence": _contains_sequence,
                       "combinations": _combinations, "array_histogram": _array_histogram, "zip": _zip}
