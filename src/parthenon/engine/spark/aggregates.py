"""Trino's collecting aggregates on Spark: each the values of its group gathered by
COLLECT_LIST (NULLs left out, as Trino leaves them out), then the answer computed
from that array with Spark's higher-order functions.

- ``map_agg(k, v)``: rows with a NULL key are left out; of a key seen again, the
  first value is kept (Trino's); the entries in the order their keys were first seen;
  no row (or only NULL keys): NULL.
- ``histogram(x)``: each non-NULL value and its BIGINT count, in the order values were
  first seen; no non-NULL value: NULL.
- ``approx_most_frequent(buckets, x, capacity)``: Trino's counts are exact while the
  group holds at most ``capacity`` distinct values, so then the ``buckets`` most
  frequent values (ties by the smaller value, as Trino's stream summary gives them);
  with more distinct values Trino's answer is an estimate, refused (NOT_SUPPORTED).
- ``max_by(x, y, n)`` / ``min_by(x, y, n)``: the x of the n largest (smallest) y, in
  that order, x NULL or not; rows with a NULL y are left out; none left: NULL.
- ``listagg(x, sep) WITHIN GROUP (ORDER BY ...)``: the non-NULL x joined in that
  order (NULLs last unless written otherwise, as Trino sorts); none: NULL.  A result
  over Trino's 1,048,576 bytes fails in Trino (ON OVERFLOW ERROR) or is cut with a
  count (TRUNCATE): refused here.

``approx_percentile`` with a weight is refused (Spark's percentile_approx takes none) but for
a constant positive one (every value weighs the same: as without one); with
a constant percentile outside [0, 1] it fails as Trino's does once it reads a value.

Sorting is done with a comparator (Spark's ARRAY_SORT with one is stable), so equal
keys keep the order they came in; runs of equal keys (``<=>``: NULL parts and NaN match
as in Trino's grouping) give the counts and first values in O(n log n).  ``FILTER
(WHERE ...)`` is folded into the collected values; these aggregates over a window and
of maps (Spark cannot order maps) are refused, and so are max_by/min_by with a count and
listagg ordered by arrays or rows (Trino refuses to order one with NULL parts).
"""
from __future__ import annotations

import itertools

from sqlglot import exp

from ...errors import InvalidFunctionArgument
from ...sql.trino.nodes import int_literal, not_supported
from ...sql.trino.positions import position
from . import types
from .templates import spark

DType = exp.DType
FUNCTIONS = frozenset("map_agg histogram approx_most_frequent listagg".split())
_names = itertools.count()
_LISTAGG_BYTES = 1_048_576


def _has_map(x: exp.Expression) -> bool:
    return x.type is not None and any(t.this == DType.MAP for t in x.type.find_all(exp.DataType))


def _collect(node: exp.Expression, value: exp.Expression, keep: exp.Expression | None) -> exp.Expression:
    """COLLECT_LIST(value) of the rows where `keep` holds (and the aggregate's FILTER)."""
    where = node.parent.expression.this if isinstance(node.parent, exp.Filter) else None
    condition = exp.and_(*(c.copy() for c in (keep, where) if c is not None)) if keep or where else None
    if condition is not None:
        value = exp.Case(ifs=[exp.If(this=condition, true=value)])
    return exp.Anonymous(this="COLLECT_LIST", expressions=[value])


def _place(node: exp.Expression, new: exp.Expression, name: str) -> exp.Expression:
    """`new` in the aggregate's place, its FILTER folded in (see ``_collect``)."""
    if isinstance(node.parent, exp.Window) or node.find_ancestor(exp.Window) is not None:
        raise not_supported(node, f"Function '{name}' over a window is not supported on the Spark engine")
    if isinstance(node.parent, exp.Filter):
        new.type = node.type
        new.meta["spark_rewritten"] = True
        for key in ("line", "col", "start", "end"):
            if key in node.meta:
                new.meta[key] = node.meta[key]
        node.parent.replace(new)
        return node     # the walk replaces the detached aggregate: nothing more
    return new


def _bound(value: exp.Expression, name: str, body: exp.Expression) -> exp.Expression:
    """`body` with the lambda variable `name` bound to `value` (computed once)."""
    return spark(f"ELEMENT_AT(TRANSFORM(ARRAY(_v), {name} -> _b), 1)", _v=value, _b=body)


def _comparator(keys: list[tuple[str, bool, bool]]) -> str:
    """A Spark comparator of two structs __l, __r by fields (name, descending, nulls_first)."""
    out = "0"
    for field, desc, nulls_first in reversed(keys):
        lt, gt = ("1", "-1") if desc else ("-1", "1")
        first, last = ("-1", "1") if nulls_first else ("1", "-1")
        a, b = f"__l.{field}", f"__r.{field}"
        out = (f"CASE WHEN {a} IS NULL AND {b} IS NULL THEN {out} WHEN {a} IS NULL THEN {first} "
               f"WHEN {b} IS NULL THEN {last} WHEN {a} < {b} THEN {lt} WHEN {a} > {b} THEN {gt} ELSE {out} END")
    return f"(__l, __r) -> {out}"


def _sorted(array: exp.Expression, keys: list[tuple[str, bool, bool]]) -> exp.Expression:
    return spark(f"ARRAY_SORT(_a, {_comparator(keys)})", _a=array)


def _runs(collected: exp.Expression, fields: tuple[str, ...]) -> exp.Expression:
    """The runs of equal keys ``k`` of an array of structs (k, fields...), each as
    (k, fields of its first element, i: where its key was first seen, n: its length),
    in the order keys were first seen."""
    m = next(_names)
    s, starts = f"__s{m}", f"__p{m}"
    indexed = spark(f"TRANSFORM(_c, (__e{m}, __i{m}) -> NAMED_STRUCT('k', __e{m}.k, "
                    + "".join(f"'{f}', __e{m}.{f}, " for f in fields) + f"'i', __i{m}))", _c=collected)
    by_key = _sorted(indexed, [("k", False, False)])
    first = "".join(f"'{f}', ELEMENT_AT({s}, __q{m}).{f}, " for f in fields)
    runs = spark(
        f"TRANSFORM({starts}, (__q{m}, __j{m}) -> NAMED_STRUCT('k', ELEMENT_AT({s}, __q{m}).k, {first}"
        f"'i', ELEMENT_AT({s}, __q{m}).i, 'n', CAST(CASE WHEN __j{m} + 1 < SIZE({starts}) THEN "
        f"ELEMENT_AT({starts}, __j{m} + 2) ELSE SIZE({s}) + 1 END - __q{m} AS BIGINT)))")
    positions = spark(f"FILTER(SEQUENCE(1, SIZE({s})), __q{m} -> __q{m} = 1 OR NOT (ELEMENT_AT({s}, __q{m} - 1).k "
                      f"<=> ELEMENT_AT({s}, __q{m}).k))")
    in_order = _sorted(_bound(positions, starts, runs), [("i", False, False)])
    return _bound(by_key, s, in_order)


def _map_of(runs: exp.Expression, value: str) -> exp.Expression:
    m = next(_names)
    return _bound(runs, f"__r{m}", spark(f"MAP_FROM_ARRAYS(TRANSFORM(__r{m}, __x{m} -> __x{m}.k), "
                                         f"TRANSFORM(__r{m}, __x{m} -> __x{m}.{value}))"))


def _or_null(collected: exp.Expression, answer) -> exp.Expression:
    """NULL where nothing was collected, else answer(collected array)."""
    m = next(_names)
    c = exp.column(f"__c{m}")
    return _bound(collected, f"__c{m}", spark(f"CASE WHEN SIZE(__c{m}) = 0 THEN NULL ELSE _a END", _a=answer(c)))


def _refuse_unordered(node: exp.Expression, name: str, *keys: exp.Expression) -> None:
    if any(isinstance(k, exp.Distinct) for k in keys):
        raise not_supported(node, f"Function '{name}' of DISTINCT values is not supported on the Spark engine")
    if any(_has_map(k) for k in keys):
        raise not_supported(node, f"Function '{name}' of map values is not supported on the Spark engine")


def _refuse_nested_order(node: exp.Expression, name: str, key: exp.Expression) -> None:
    """Ordered by an array or row: Trino refuses one with NULL parts, Spark orders it."""
    if key.type is not None and key.type.this in (DType.ARRAY, DType.STRUCT):
        raise not_supported(node, f"Function '{name}' ordered by arrays or rows is not supported on the Spark engine")


def _map_agg(node: exp.Anonymous) -> exp.Expression:
    k, v = node.expressions
    _refuse_unordered(node, "map_agg", k)
    collected = _collect(node, spark("NAMED_STRUCT('k', _k, 'v', _v)", _k=k, _v=v),
                         exp.Not(this=exp.Is(this=k.copy(), expression=exp.Null())))
    return _place(node, _or_null(collected, lambda c: _map_of(_runs(c, ("v",)), "v")), "map_agg")


def _histogram(node: exp.Anonymous) -> exp.Expression:
    x = node.expressions[0]
    _refuse_unordered(node, "histogram", x)
    collected = _collect(node, spark("NAMED_STRUCT('k', _x)", _x=x),
                         exp.Not(this=exp.Is(this=x.copy(), expression=exp.Null())))
    return _place(node, _or_null(collected, lambda c: _map_of(_runs(c, ()), "n")), "histogram")


def _approx_most_frequent(node: exp.Anonymous) -> exp.Expression:
    if len(node.expressions) != 3:
        return None
    buckets, x, capacity = node.expressions
    b, cap = int_literal(buckets), int_literal(capacity)
    if b is None or cap is None:
        raise not_supported(node, "Function 'approx_most_frequent' with a bucket count or capacity that is not a "
                                  "constant is not supported on the Spark engine")
    if b <= 0 or cap <= 0:
        raise InvalidFunctionArgument("buckets and capacity must be positive" if b <= 0 else
                                      "capacity must be positive")
    _refuse_unordered(node, "approx_most_frequent", x)
    collected = _collect(node, spark("NAMED_STRUCT('k', _x)", _x=x),
                         exp.Not(this=exp.Is(this=x.copy(), expression=exp.Null())))

    def answer(c: exp.Expression) -> exp.Expression:
        m = next(_names)
        top = spark(f"SLICE(_s, 1, {b})", _s=_sorted(exp.column(f"__t{m}"), [("n", True, False), ("k", False, False)]))
        body = spark(f"CASE WHEN SIZE(__t{m}) > {cap} THEN RAISE_ERROR('NOT_SUPPORTED: approx_most_frequent of more "
                     f"than its capacity of distinct values is not supported on the Spark engine (Trino estimates)') "
                     "ELSE _m END", _m=_map_of(top, "n"))
        return _bound(_runs(c, ()), f"__t{m}", body)
    return _place(node, _or_null(collected, answer), "approx_most_frequent")


def _by(descending: bool, name: str):
    def rewrite(node: exp.Expression) -> exp.Expression | None:
        n = node.args.get("count")
        if n is None:
            return None
        x, y = node.this, node.expression
        count = int_literal(n)
        if count is None:
            raise not_supported(node, f"Function '{name}' with a count that is not a constant is not supported "
                                      "on the Spark engine")
        if count <= 0:
            raise InvalidFunctionArgument("third argument of max_by/min_by must be a positive integer")
        if count > 10000:
            raise InvalidFunctionArgument("third argument of max_by/min_by must be less than or equal to 10000")
        _refuse_unordered(node, name, y)
        _refuse_nested_order(node, name, y)
        collected = _collect(node, spark("NAMED_STRUCT('x', _x, 'y', _y)", _x=x, _y=y),
                             exp.Not(this=exp.Is(this=y.copy(), expression=exp.Null())))
        m = next(_names)
        return _place(node, _or_null(collected, lambda c: spark(
            f"TRANSFORM(SLICE(_s, 1, {count}), __b{m} -> __b{m}.x)", _s=_sorted(c, [("y", descending, False)]))), name)
    return rewrite


def _listagg(node: exp.GroupConcat) -> exp.Expression:
    this = node.this
    order = this if isinstance(this, exp.Order) else None
    x = order.this if order is not None else this
    if isinstance(x, exp.Distinct):
        raise not_supported(node, "Function 'listagg' of DISTINCT values is not supported on the Spark engine")
    separator = node.args.get("separator") or exp.Literal.string("")
    if not isinstance(separator, exp.Literal):
        raise not_supported(node, "Function 'listagg' with a separator that is not a constant is not supported "
                                  "on the Spark engine")
    keys = list(order.expressions) if order is not None else []
    fields, args = [], [exp.Literal.string("x"), x]
    for i, ordered in enumerate(keys):
        key = ordered.this
        if _has_map(key):
            raise not_supported(node, "listagg ordered by a map is not supported on the Spark engine")
        _refuse_nested_order(node, "listagg", key)
        desc = bool(ordered.args.get("desc"))
        nulls_first = bool(ordered.args.get("nulls_first")) if ordered.args.get("nulls_first") is not None else False
        fields.append((f"o{i}", desc, nulls_first))
        args += [exp.Literal.string(f"o{i}"), key]
    collected = _collect(node, exp.Anonymous(this="NAMED_STRUCT", expressions=args),
                         exp.Not(this=exp.Is(this=x.copy(), expression=exp.Null())))
    m = next(_names)

    def answer(c: exp.Expression) -> exp.Expression:
        joined = spark(f"ARRAY_JOIN(TRANSFORM(_s, __g{m} -> __g{m}.x), _sep)",
                       _s=_sorted(c, fields) if fields else c, _sep=separator)
        return _bound(joined, f"__j{m}", spark(
            f"CASE WHEN OCTET_LENGTH(__j{m}) > {_LISTAGG_BYTES} THEN RAISE_ERROR('NOT_SUPPORTED: listagg of more than "
            f"{_LISTAGG_BYTES} bytes is not supported on the Spark engine') ELSE __j{m} END"))
    return _place(node, _or_null(collected, answer), "listagg")


CLASS_REWRITES = {exp.ArgMax: _by(True, "max_by"), exp.ArgMin: _by(False, "min_by"), exp.GroupConcat: _listagg}
ANONYMOUS_REWRITES = {"map_agg": _map_agg, "histogram": _histogram, "approx_most_frequent": _approx_most_frequent}


def _approx_percentile(node: exp.ApproxQuantile) -> exp.Expression | None:
    """Spark's percentile_approx takes no weight (Trino's weighted t-digest); a constant
    percentile outside [0, 1] is Trino's INVALID_FUNCTION_ARGUMENT (Spark: a type error)."""
    weight = node.args.get("weight")
    if isinstance(weight, exp.Literal) and not weight.is_string and float(weight.this) > 0:
        # the same weight on every value: the same distribution, as without one
        node = node.copy()
        node.set("weight", None)
        out = _approx_percentile(node)
        return node if out is None else out
    if weight is not None:
        raise not_supported(node, "Function 'approx_percentile' with a weight is not supported on the Spark engine")
    quantile = node.args.get("quantile")
    values = quantile.expressions if isinstance(quantile, exp.Array) else [quantile]
    if any(isinstance(v, exp.Literal) and not v.is_string and not 0 <= float(v.this) <= 1 for v in values):
        # Trino checks each value it reads: of no (non-NULL) value the answer is NULL
        to = types.spark_type(node.type)
        if to is None:
            raise InvalidFunctionArgument("Percentile must be between 0 and 1", *position(node))
        return exp.Cast(this=spark("CASE WHEN COUNT(_x) > 0 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: Percentile "
                                   "must be between 0 and 1') END", _x=node.this), to=to)
    return None


CLASS_REWRITES[exp.ApproxQuantile] = _approx_percentile
