"""Arrays and maps, and the lambdas over them.

Trino semantics covered:

- ``element_at(array, i)``: 1-based, negative counts from the end, NULL out of
  range; ``element_at(map, k)``: NULL for a missing key.
- ``cardinality``, ``contains`` (NULL when not found and the
  array holds NULL), ``array_join``, ``array_distinct`` (keeps first-seen
  order and one NULL), ``array_position`` (0 when absent), ``slice``,
  ``repeat``, ``any_match/all_match/none_match`` (three-valued), ``map_agg``
  (NULL keys skipped, duplicate keys keep the first), ``histogram`` (bigint
  counts), ``split_to_map``, ``map_filter``, ``transform_keys/values``.
- ``array_except``, ``array_intersect``, ``array_union``, ``arrays_overlap``,
  ``trim_array``, ``zip``; the set functions (and ``array_distinct``,
  ``array_histogram``) sort rather than search, n log n (``first_seen``).
- ``array_min/max`` of doubles skip NaN unless all are NaN; ``reverse(array)``;
  ``array || element`` and ``element || array``; ``array_join`` of arrays, maps or rows
  is OPERATOR_NOT_FOUND; ``slice`` with a negative length or start 0 fails, a start
  before the array is empty.
- ``sequence`` of dates (a date array) and timestamps; a step that goes away from
  stop is INVALID_FUNCTION_ARGUMENT, as is a result of more than 10,000 entries.

``array_sort`` with a comparator and ``reduce`` with an output function other than
``s -> s`` are ``lambdas``'s.
"""
from __future__ import annotations

import math
import typing as t

from sqlglot import exp

from ....errors import TypeMismatch
from ....sql.trino import joined_arrays, typing as trino_typing
from ....sql.trino.positions import position
from . import array_operators, ipaddress
from .nodes import INTEGERS, MAPS, TIMESTAMPS, duck, fn, int_literal, is_type, not_supported


# --------------------------------------------------------------------------------------
# Arrays
# --------------------------------------------------------------------------------------


def _array_contains(node: exp.ArrayContains) -> exp.Expression:
    """Trino's contains: NULL (not false) when the value is absent and the array
    holds a NULL, or when the value is NULL.  ``contains(network, ipaddress)`` is
    the network's, in ``ipaddress``."""
    network = ipaddress.contains(node)
    if network is not None:
        return network
    nested = array_operators.nested_search("contains", node)
    if nested is not None:
        return nested
    return duck(
        "CASE WHEN _a IS NULL OR _v IS NULL THEN NULL WHEN list_contains(_a, _v) THEN TRUE "
        "WHEN list_count(_a) < len(_a) THEN NULL ELSE FALSE END",
        _a=node.this, _v=node.expression)


_FLOATS = (exp.DType.DOUBLE, exp.DType.FLOAT)


def _nan_test(element: exp.DataType) -> str | None:
    """A test that an element ``x`` (a double, an array of doubles, a row with double
    fields) holds NaN; None for other elements."""
    if element.this in _FLOATS:
        return "isnan(x)"
    inner = element.expressions
    if element.this == exp.DType.ARRAY and inner and inner[0].this in _FLOATS:
        return "coalesce(list_bool_or(list_transform(x, lambda y: isnan(y))), false)"
    if element.this == exp.DType.STRUCT and inner:
        kinds = [f.args.get("kind") if isinstance(f, exp.ColumnDef) else f for f in inner]
        tests = [f"coalesce(isnan(struct_extract_at(x, {i})), false)"
                 for i, k in enumerate(kinds, start=1) if k is not None and k.this in _FLOATS]
        return " OR ".join(tests) or None
    return None


def _array_extreme(name: str):
    def rewrite(node: exp.Expression) -> exp.Expression:
        """NULL when the array holds a NULL, as in Trino (DuckDB skips NULLs); an element
        holding NaN (a double, or one inside an array or row) only when all do (DuckDB
        orders NaN above every number, Trino's array_min/max pass it over)."""
        element = node.this.type.expressions[0] if is_type(node.this, exp.DType.ARRAY) and \
            node.this.type.expressions else None
        nan = _nan_test(element) if element is not None else None
        if nan is not None:
            return duck(f"CASE WHEN list_count(_a) < len(_a) THEN NULL ELSE coalesce({name}("
                        f"list_filter(_a, lambda x: NOT ({nan}))), {name}(_a)) END", _a=node.this)
        return duck(f"CASE WHEN list_count(_a) < len(_a) THEN NULL ELSE {name}(_a) END", _a=node.this)
    return rewrite


def _reverse(node: exp.Reverse) -> exp.Expression | None:
    return fn("list_reverse", node.this) if is_type(node.this, exp.DType.ARRAY) else None


def _concat_element(node: exp.DPipe | exp.Concat) -> exp.Expression | None:
    """``ARRAY[1] || 2`` and ``concat(ARRAY[1], 2)`` append, ``2 || ARRAY[1]`` prepends; a
    NULL element makes the result NULL (Trino's concat(array(E), E) is null on null)."""
    parts = [node.this, node.expression] if isinstance(node, exp.DPipe) else list(node.expressions)
    if len(parts) != 2:
        return None
    a, b = parts
    left, right = is_type(a, exp.DType.ARRAY), is_type(b, exp.DType.ARRAY)
    if left and not right and _element_of(a, b):
        joined, element = fn("list_append", a, b), b
    elif right and not left and _element_of(b, a):
        joined, element = fn("list_prepend", a, b), a
    else:
        return None     # (two arrays: DuckDB's ||; an element of another type: FUNCTION_NOT_FOUND)
    return exp.If(this=exp.Is(this=element.copy(), expression=exp.Null()), true=exp.Null(), false=joined)


def _element_of(array: exp.Expression, x: exp.Expression) -> bool:
    """x can join the array's elements: both numbers, both text, or of one type."""
    element = array.type.expressions[0] if array.type.expressions else None
    if element is None or x.type is None or x.type.this == exp.DType.UNKNOWN:
        return False
    groups = (trino_typing.NUMBERS, trino_typing.TEXT)
    return element.this == x.type.this or any(element.this in g and x.type.this in g for g in groups)


def _row_subscript(node: exp.Bracket) -> exp.Expression | None:
    """``row(1, 2)[2]``: a row's field by its 1-based position; ``array[i]`` fails
    outside the array, and ``map[k]`` for a missing key, as in Trino."""
    index = node.expressions[0] if len(node.expressions) == 1 else None
    if is_type(node.this, exp.DType.STRUCT) and isinstance(index, exp.Literal) and index.is_int:
        # SQLGlot made the index 0-based where it did not see a row at parse time (a column)
        shift = 1 if node.meta.get("zero_based_index") and not node.args.get("offset") else 0
        field = fn("struct_extract_at", node.this, exp.Literal.number(int(index.name) + shift))
        field.type = node.type      # a row inside a row is subscripted in turn (``r[1][1]``)
        return field
    if is_type(node.this, exp.DType.ARRAY) and index is not None and not isinstance(index, exp.Slice) \
            and not node.args.get("safe") and is_type(index, exp.DType.DOUBLE, exp.DType.FLOAT, exp.DType.DECIMAL):
        raise TypeMismatch(f"Cannot use {trino_typing.type_name(index.type)} for subscript of "
                           f"{trino_typing.type_name(node.this.type)}", *position(node))
    if is_type(node.this, exp.DType.ARRAY) and index is not None and not isinstance(index, exp.Slice) \
            and not node.args.get("safe"):
        # a[i] outside the array is an error in Trino (element_at gives NULL).  SQLGlot keeps
        # a literal index 0-based (offset 0) and any other index as written (1-based).
        if isinstance(index, exp.Literal) and index.is_int and not node.args.get("offset"):
            index = exp.Literal.number(int(index.name) + 1)
        return duck(
            "CASE WHEN _i = 0 THEN error('INVALID_FUNCTION_ARGUMENT: SQL array indices start at 1') "
            "WHEN _i < 0 THEN error('INVALID_FUNCTION_ARGUMENT: Array subscript is negative: ' || _i) "
            "WHEN _i > len(_a) THEN error('INVALID_FUNCTION_ARGUMENT: Array subscript must be less than "
            "or equal to array length: ' || _i || ' > ' || len(_a)) ELSE _a[_i] END", _a=node.this, _i=index)
    if is_type(node.this, *MAPS) and index is not None and not node.args.get("safe"):
        # m[k] of a missing key fails (element_at(m, k) is NULL); the key as written (SQLGlot
        # made a literal 0-based where it did not see the map), looked up without a subscript
        # (which SQLGlot would shift again for DuckDB)
        if isinstance(index, exp.Literal) and index.is_int and node.meta.get("zero_based_index") \
                and not node.args.get("offset"):
            index = exp.Literal.number(int(index.name) + 1)
        return duck("CASE WHEN _m IS NULL OR _k IS NULL THEN NULL WHEN NOT map_contains(_m, _k) "
                    "THEN error('INVALID_FUNCTION_ARGUMENT: Key not present in map: ' || CAST(_k AS VARCHAR)) "
                    "ELSE map_extract_value(_m, _k) END", _m=node.this, _k=index)
    if is_type(node.this, exp.DType.ARRAY) and index is not None and node.args.get("safe") and \
            not isinstance(index, exp.Slice) and not (isinstance(index, exp.Literal) and index.name != "0"):
        # element_at(a, 0) fails (any other index outside the array is NULL)
        return duck("CASE WHEN _i = 0 THEN error('INVALID_FUNCTION_ARGUMENT: SQL array indices start at 1') "
                    "ELSE _x END", _i=index, _x=node.copy())
    return None


MAX_SEQUENCE = 10_000


_DIRECTION = ("error('INVALID_FUNCTION_ARGUMENT: sequence stop value should be greater than or equal to "
              "start value if step is greater than zero otherwise stop should be less than or equal to start')")
_TOO_LONG = (f"error('INVALID_FUNCTION_ARGUMENT: result of sequence function must not have more than "
             f"{MAX_SEQUENCE} entries')")


def _sequence(node: exp.GenerateSeries) -> exp.Expression | None:
    """sequence(start, stop[, step]) of integers, dates or timestamps: counts down when
    stop < start and no step is given, fails when the step goes away from stop, and has at
    most 10,000 entries (INVALID_FUNCTION_ARGUMENT beyond)."""
    start, end, step = node.args.get("start"), node.args.get("end"), node.args.get("step")
    if node.find_ancestor(exp.From, exp.Join, exp.Table) is not None:
        return None     # a table function in FROM (an engine scan's own SQL), not Trino's sequence
    if all(is_type(x, exp.DType.DATE, *TIMESTAMPS) for x in (start, end)):
        return _temporal_sequence(start, end, step)
    if not all(is_type(x, *INTEGERS) for x in (start, end)) or (step is not None and not is_type(step, *INTEGERS)):
        return None
    if step is None:
        step = duck("CASE WHEN _s <= _e THEN 1 ELSE -1 END", _s=start, _e=end)
    return duck(
        "CASE WHEN _st = 0 THEN error('INVALID_FUNCTION_ARGUMENT: step must not be zero') "
        f"WHEN (_st > 0 AND _e < _s) OR (_st < 0 AND _e > _s) THEN {_DIRECTION} "
        f"WHEN (abs(CAST(_e AS HUGEINT) - _s) // abs(CAST(_st AS HUGEINT))) + 1 > {MAX_SEQUENCE} "
        f"THEN {_TOO_LONG} "
        "ELSE generate_series(_s, _e, _st) END", _s=start, _e=end, _st=step)


def _temporal_sequence(start: exp.Expression, end: exp.Expression, step: exp.Expression | None) -> exp.Expression:
    """Dates stay dates (DuckDB's series of dates is of timestamps); the length is checked
    on the series DuckDB generates."""
    dates = is_type(start, exp.DType.DATE) and is_type(end, exp.DType.DATE)
    if step is None:
        step = duck("CASE WHEN _s <= _e THEN INTERVAL 1 DAY ELSE INTERVAL -1 DAY END", _s=start, _e=end)
    series = duck("generate_series(CAST(_s AS TIMESTAMP), CAST(_e AS TIMESTAMP), _st)", _s=start, _e=end, _st=step)
    if dates:
        series = exp.Cast(this=series, to=exp.DataType.build("DATE[]", dialect="duckdb"))
    day_steps = "WHEN datepart('year', _st) = 0 AND datepart('month', _st) = 0 AND " \
        "epoch(_st) % 86400 <> 0 THEN error('INVALID_FUNCTION_ARGUMENT: sequence step " \
        "must be a day interval if start and end values are dates') " if dates else ""
    return duck(
        f"CASE {day_steps}WHEN (_s + _st > _s AND _e < _s) OR (_s + _st < _s AND _e > _s) THEN {_DIRECTION} "
        f"ELSE list_transform([_q], lambda q: CASE WHEN len(q) > {MAX_SEQUENCE} THEN {_TOO_LONG} ELSE q END)[1] END",
        _s=start, _e=end, _st=step, _q=series)


def _array_distinct(node: exp.ArrayDistinct) -> exp.Expression:
    """First occurrences in order, NULL kept once (DuckDB's list_distinct reorders
    and drops NULL)."""
    return first_seen(node.this)


def first_seen(a: exp.Expression) -> exp.Expression:
    """The distinct elements of ``a`` in first-seen order, NULL kept once (n log n)."""
    return duck(_SET_TEMPLATE.format(keep=_KEEP["distinct"]), _a=a, _b=exp.Array(expressions=[]))


# The set functions sort instead of searching (n log n, where a list_position per element
# was quadratic): the elements of both arrays as (v, s, i) -- value, source (0 for the
# second array, 1 for the first) and position -- sorted, so that equal values are together
# with the second array's first.  An element of the first array is kept by ``keep`` (of
# S, the sorted list, and j, its place there), then the kept ones are put back in order.
_SET_TEMPLATE = (
    "list_transform(list_sort(list_transform(list_transform([list_sort(list_concat("
    "list_transform(_b, lambda x, i: struct_pack(v := x, s := 0, i := i)), "
    "list_transform(_a, lambda x, i: struct_pack(v := x, s := 1, i := i))))], "
    "lambda S: list_filter(S, lambda e, j: e.s = 1 AND ({keep})))[1], "
    "lambda e: struct_pack(i := e.i, v := e.v))), lambda e: e.v)")
_FIRST = "j = 1 OR S[j - 1].v IS DISTINCT FROM e.v"
_KEEP = {
    "distinct": _FIRST,
    "except": _FIRST,       # the first of its value, and no element of the second array before it
    "intersect": "j > 1 AND S[j - 1].v IS NOT DISTINCT FROM e.v AND S[j - 1].s = 0",
}


def _set_function(kind: str, a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return duck(f"CASE WHEN _a IS NULL OR _b IS NULL THEN NULL ELSE {_SET_TEMPLATE.format(keep=_KEEP[kind])} END",
                _a=a, _b=b)


def _array_except(node: exp.ArrayExcept) -> exp.Expression:
    """Distinct elements of the first array not in the second, in first-seen order."""
    return _set_function("except", node.this, node.expression)


def _array_intersect(node: exp.ArrayIntersect) -> exp.Expression:
    """Distinct elements in both arrays, in the order of the longer (of the first when
    both are as long), as Trino's, which looks the longer one's elements up in the other."""
    a, b = (node.expressions if node.expressions else [node.this, node.expression])[:2]
    return duck("CASE WHEN len(_a) < len(_b) THEN _ba ELSE _ab END", _a=a, _b=b,
                _ab=_set_function("intersect", a, b), _ba=_set_function("intersect", b, a))


def _array_union(node: exp.Anonymous) -> exp.Expression:
    a, b = node.expressions
    return _set_function("distinct", exp.func("list_concat", a, b), exp.Array(expressions=[]))


def _array_position(node: exp.ArrayPosition) -> exp.Expression:
    nested = array_operators.nested_search("position", node)
    if nested is not None:
        return nested
    return duck(
        "CASE WHEN _a IS NULL OR _v IS NULL THEN NULL "
        "ELSE CAST(COALESCE(list_position(_a, _v), 0) AS BIGINT) END",
        _a=node.this, _v=node.expression)


def _arrays_overlap(node: exp.Anonymous) -> exp.Expression:
    a, b = node.expressions
    return duck(
        "CASE WHEN _a IS NULL OR _b IS NULL THEN NULL WHEN list_has_any(_a, _b) THEN TRUE "
        "WHEN (list_count(_a) < len(_a) OR list_count(_b) < len(_b)) AND len(_a) > 0 "
        "AND len(_b) > 0 THEN NULL ELSE FALSE END", _a=a, _b=b)


def _array_slice(node: exp.ArraySlice) -> exp.Expression:
    """Trino slice(a, start, length); DuckDB array_slice takes an end index."""
    start, length = node.args.get("start"), node.args.get("end")
    return duck(
        "CASE WHEN _i = 0 THEN error('INVALID_FUNCTION_ARGUMENT: SQL array indices start at 1') "
        "WHEN _n < 0 THEN error('INVALID_FUNCTION_ARGUMENT: length must be greater than or equal to 0') "
        "WHEN _i > 0 THEN _a[_i:_i + _n - 1] "
        "WHEN len(_a) + _i < 0 THEN list_filter(_a, lambda x: false) "
        "ELSE _a[len(_a) + _i + 1:len(_a) + _i + _n] END",
        _a=node.this, _i=start, _n=length)


def _repeat(node: exp.Repeat) -> exp.Expression:
    """Trino's repeat(element, count) builds an array, of 0 to 10,000 elements, of at most
    1,000,000 bytes (``repeat_size``)."""
    from .repeat_size import checked

    times = node.args.get("times")
    result = checked(node.this, times, fn("repeat", exp.Array(expressions=[node.this.copy()]), times.copy()))
    return duck("CASE WHEN _n < 0 THEN error('INVALID_FUNCTION_ARGUMENT: count argument of repeat function "
                "must be greater than or equal to 0') WHEN _n > 10000 THEN error('INVALID_FUNCTION_ARGUMENT: "
                "count argument of repeat function must be less than or equal to 10000') ELSE _r END",
                _n=times, _r=result)


def _array_join(node: exp.ArrayToString) -> None:
    """Elements that have no cast to varchar (arrays, maps, rows): OPERATOR_NOT_FOUND."""
    joined_arrays.check_elements(node)
    return None


def _trim_array(node: exp.Anonymous) -> exp.Expression:
    """trim_array(a, n): n elements off the end; n negative or past the cardinality is
    INVALID_FUNCTION_ARGUMENT, as in Trino."""
    a, n = node.expressions
    return duck("CASE WHEN _n < 0 THEN error('INVALID_FUNCTION_ARGUMENT: size must not be negative: ' || _n) "
                "WHEN _n > len(_a) THEN error('INVALID_FUNCTION_ARGUMENT: size must not exceed array "
                "cardinality ' || len(_a) || ': ' || _n) ELSE _a[1:len(_a) - _n] END", _a=a, _n=n)


def _match(kind: str) -> t.Callable[[exp.Anonymous], exp.Expression]:
    # three-valued: any_match true if any true, else NULL if any NULL, else false
    templates = {
        "any_match": "CASE WHEN list_bool_or(_r) THEN TRUE "
                     "WHEN list_count(_r) < len(_r) THEN NULL ELSE FALSE END",
        "all_match": "CASE WHEN NOT list_bool_and(_r) THEN FALSE "
                     "WHEN list_count(_r) < len(_r) THEN NULL ELSE TRUE END",
        "none_match": "CASE WHEN list_bool_or(_r) THEN FALSE "
                      "WHEN list_count(_r) < len(_r) THEN NULL ELSE TRUE END",
    }

    def rewrite(node: exp.Anonymous) -> exp.Expression:
        array, fn = node.expressions
        applied = exp.Transform(this=array, expression=fn)
        return duck(templates[kind], _r=applied)

    rewrite.__name__ = f"_{kind}"
    return rewrite


def _as_map(rewritten: exp.Expression) -> exp.Expression:
    """Mark a rewrite's result as a map: SQLGlot cannot type anonymous functions such as
    map_agg, and cardinality() of a map is a different engine function than of an array."""
    rewritten.type = exp.DataType(this=exp.DType.MAP)
    return rewritten


def _cardinality(node: exp.ArraySize) -> exp.Expression:
    if is_type(node.this, *MAPS):
        return exp.Cast(this=fn("cardinality", node.this), to=exp.DataType.build("BIGINT"))
    return exp.Cast(this=fn("len", node.this), to=exp.DataType.build("BIGINT"))


def _zip(node: exp.Anonymous) -> exp.Expression:
    """zip(a, b...): NULL when an array is NULL (DuckDB's list_zip reads it as empty)."""
    nulls = exp.or_(*[exp.Is(this=a.copy(), expression=exp.Null()) for a in node.expressions])
    return exp.If(this=nulls, true=exp.Null(), false=fn("list_zip", *node.expressions))


def _ngrams(node: exp.Anonymous) -> exp.Expression:
    """ngrams(array, n): every run of n consecutive elements; the whole array when shorter."""
    a, n = node.expressions
    return duck("CASE WHEN _n <= 0 THEN error('INVALID_FUNCTION_ARGUMENT: N must be positive') "
                "WHEN len(_a) <= _n THEN [_a] "
                "ELSE list_transform(range(1, len(_a) - _n + 2), lambda i: _a[i:i + _n - 1]) END",
                _a=a, _n=n)


def _combinations(node: exp.Anonymous) -> exp.Expression:
    """combinations(array, n): every n-element subset, in Trino's order (the lowest index
    moves first: [1,2], [1,3], [2,3], [1,4]...); n from 0 to 5, a constant."""
    a, n = node.expressions
    k = int_literal(n)
    if k is None:
        raise not_supported(node, "combinations with a combination size that is not a constant "
                                  "is not supported")
    if k < 0 or k > 5:
        reason = f"must not be negative: {k}" if k < 0 else f"must not exceed 5: {k}"
        return duck(f"CASE WHEN _a IS NULL THEN NULL ELSE "
                    f"error('INVALID_FUNCTION_ARGUMENT: combination size {reason}') END", _a=a)
    if k == 0:
        return duck("CASE WHEN _a IS NULL THEN NULL ELSE [list_filter(_a, lambda e: false)] END", _a=a)
    # nested over the indexes, the last outermost: i1 < i2 < ... < ik
    names = [f"cmb_i{j}" for j in range(1, k + 1)]
    body = "[" + ", ".join(f"_a[{v}]" for v in names) + "]"
    sql = body
    for j in range(1, k + 1):
        upper = f"{names[j]}" if j < k else "len(_a) + 1"
        sql = f"list_transform(range({j}, {upper}), lambda {names[j - 1]}: {sql})"
    for _ in range(k - 1):
        sql = f"flatten({sql})"
    # Trino refuses a result of more than 100,000 elements (count * k), before making it
    count = " * ".join(f"(len(_a)::HUGEINT - {j})" for j in range(k)) + f" // {math.factorial(k)}"
    return duck(f"CASE WHEN ({count}) * {k} > 100000 THEN "
                f"error('INVALID_FUNCTION_ARGUMENT: combinations exceed max size') ELSE {sql} END", _a=a)


def binder(node: exp.Expression, name: str) -> exp.Lambda | None:
    """The innermost lambda around node that has a parameter called name."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, exp.Lambda) and any(e.name == name for e in parent.expressions):
            return parent
        parent = parent.parent
    return None


def _substitute(body: exp.Expression, names: list[str], values: list[exp.Expression]) -> exp.Expression:
    """A lambda's body with its parameters (parsed as bare identifiers or columns) replaced;
    ``s.f``, a field of a row parameter, becomes the field of the value.  A name that a
    lambda inside the body binds again is that lambda's own (the rewrites' templates have
    lambdas of their own)."""
    body = body.copy()
    by_name = dict(zip(names, values))

    def value(name: str) -> exp.Expression:
        return by_name[name].copy()

    def shadowed(node: exp.Expression, name: str) -> bool:
        return binder(node, name) is not None

    if isinstance(body, exp.Column) and body.table in by_name and not body.args.get("db"):
        return exp.Dot(this=exp.Paren(this=value(body.table)), expression=body.this.copy())
    if isinstance(body, (exp.Column, exp.Identifier)) and body.name in by_name and \
            not (isinstance(body, exp.Column) and body.table):
        return value(body.name)
    for node in list(body.find_all(exp.Column, exp.Identifier)):
        if isinstance(node, exp.Identifier) and isinstance(node.parent, (exp.Column, exp.Dot, exp.Alias,
                                                                          exp.TableAlias)) \
                and not (isinstance(node.parent, exp.Dot) and node is node.parent.this):
            continue        # a name, not a reference (but the row of ``s.f`` is one)
        if isinstance(node, exp.Column) and node.table:
            if node.table in by_name and not node.args.get("db") and not shadowed(node, node.table):
                node.replace(exp.Dot(this=exp.Paren(this=value(node.table)), expression=node.this.copy()))
            continue
        if node.name in by_name and not shadowed(node, node.name):
            node.replace(value(node.name))
    return body


def _zip_with(node: exp.Anonymous) -> exp.Expression:
    """zip_with(a, b, (x, y) -> f): f of the elements at each position, NULL past the shorter;
    NULL when an array is NULL."""
    a, b, fn_ = node.expressions
    if not isinstance(fn_, exp.Lambda) or len(fn_.expressions) != 2:
        raise not_supported(node, "zip_with needs a lambda of two arguments")
    names = [e.name for e in fn_.expressions]
    i = exp.column("zip_i")
    body = _substitute(fn_.this, names, [duck("_a[_i]", _a=a, _i=i), duck("_b[_i]", _b=b, _i=i)])
    return duck("CASE WHEN _a IS NULL OR _b IS NULL THEN NULL ELSE "
                "list_transform(range(1, greatest(len(_a), len(_b)) + 1), lambda zip_i: _f) END",
                _a=a, _b=b, _f=body)


def _array_histogram(node: exp.Anonymous) -> exp.Expression:
    """array_histogram(a): each distinct non-NULL element and how often it occurs (bigint),
    in first-seen order as Trino builds it."""
    a = node.expressions[0]
    return _as_map(duck(
        "list_transform([list_histogram(_a)], lambda h: map_from_entries(list_transform("
        "list_filter(_k, lambda k: k IS NOT NULL), "
        "lambda k: struct_pack(key := k, value := CAST(h[k] AS BIGINT)))))[1]",
        _a=a, _k=first_seen(a)))


def _split_to_multimap(node: exp.Anonymous) -> exp.Expression:
    """split_to_multimap(text, entry delimiter, key delimiter): each key's values in order,
    from Trino's checked entries (engine/duckdb/text_functions)."""
    text, entry, key = node.expressions
    return _as_map(duck(
        "list_transform([trino_split_entries(_t, _e, _kd)], lambda es: map_from_entries("
        "list_transform(list_filter(es, lambda e, i: list_position(list_transform(es, lambda x: x.key), "
        "e.key) = i), lambda e: struct_pack(key := e.key, value := list_transform(list_filter(es, "
        "lambda x: x.key = e.key), lambda x: x.value)))))[1]",
        _t=text, _e=entry, _kd=key))


def _reduce(node: exp.Reduce) -> exp.Expression | None:
    """``s -> s`` as the output function is DuckDB's reduce; another is ``lambdas``'s."""
    finish = node.args.get("finish")
    if finish is not None:
        if not (isinstance(finish, exp.Lambda) and len(finish.expressions) == 1
                and isinstance(finish.this, (exp.Identifier, exp.Column))
                and finish.this.name == finish.expressions[0].name):
            return None
        node.set("finish", None)
    return node


# --------------------------------------------------------------------------------------
# Maps
# --------------------------------------------------------------------------------------


def _map_agg(node: exp.Anonymous) -> exp.Expression:
    """NULL keys are skipped and a repeated key keeps one value (DuckDB's map
    constructors fail on duplicates).  The entries are sorted so that each key's
    first entry is found by looking one back: n log n, where a search per entry
    was quadratic (16 s and 1.7 GB for 21k rows)."""
    key, value = node.expressions
    return _as_map(duck(
        "list_transform([list_sort(list(struct_pack(key := _k, value := _v)) FILTER (WHERE _k IS NOT NULL))],"
        " lambda l: map_from_entries(list_filter(l, lambda e, i: "
        "i = 1 OR l[i - 1].key IS DISTINCT FROM e.key)))[1]",
        _k=key, _v=value))


def _histogram(node: exp.Anonymous) -> exp.Expression:
    return _as_map(duck(
        "map_from_entries(list_transform(map_entries(histogram(_x)), "
        "lambda e: struct_pack(key := e.key, value := CAST(e.value AS BIGINT))))",
        _x=node.expressions[0]))


def _split_to_map(node: exp.StrToMap) -> exp.Expression:
    """Trino's checked entries (engine/duckdb/text_functions) into a map; a repeated key is
    the engine's unique-key error."""
    return duck("map_from_entries(trino_split_entries(_s, _e, _k))",
                _s=node.this, _e=node.args.get("pair_delim"), _k=node.args.get("key_value_delim"))


def _map_lambda(template: str) -> t.Callable[[exp.Anonymous], exp.Expression]:
    """map_filter / transform_keys / transform_values: a (k, v) lambda over map_entries."""

    def rewrite(node: exp.Anonymous) -> exp.Expression:
        m, fn = node.expressions
        if not isinstance(fn, exp.Lambda) or len(fn.expressions) != 2:
            raise not_supported(node, f"Function '{node.name.lower()}' needs a (k, v) lambda")
        body = _substitute(fn.this, [p.name for p in fn.expressions],
                           [exp.column("key", table="__e"), exp.column("value", table="__e")])
        return duck(template, _m=m, _body=body)

    return rewrite


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.ArrayContains: _array_contains,
    exp.GenerateSeries: _sequence,
    exp.Bracket: _row_subscript,
    exp.ArrayMin: _array_extreme("list_min"),
    exp.ArrayMax: _array_extreme("list_max"),
    exp.ArrayDistinct: _array_distinct,
    exp.ArrayExcept: _array_except,
    exp.ArrayIntersect: _array_intersect,
    exp.ArrayPosition: _array_position,
    exp.ArraySlice: _array_slice,
    exp.ArraySize: _cardinality,
    exp.Repeat: _repeat,
    exp.Reverse: _reverse,
    exp.ArrayToString: _array_join,
    exp.DPipe: _concat_element,
    exp.Concat: _concat_element,
    exp.StrToMap: _split_to_map,
    exp.Reduce: _reduce,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "array_union": _array_union,
    "arrays_overlap": _arrays_overlap,
    "trim_array": _trim_array,
    "any_match": _match("any_match"),
    "all_match": _match("all_match"),
    "none_match": _match("none_match"),
    "map_agg": _map_agg,
    "histogram": _histogram,
    "map_filter": _map_lambda(
        "map_from_entries(list_filter(map_entries(_m), lambda __e: _body))"),
    "transform_keys": _map_lambda(
        "map_from_entries(list_transform(map_entries(_m), "
        "lambda __e: struct_pack(key := _body, value := __e.value)))"),
    "transform_values": _map_lambda(
        "map_from_entries(list_transform(map_entries(_m), "
        "lambda __e: struct_pack(key := __e.key, value := _body)))"),
    "zip": _zip,
    "ngrams": _ngrams,
    "combinations": _combinations,
    "zip_with": _zip_with,
    "array_histogram": _array_histogram,
    "split_to_multimap": _split_to_multimap,
}
