"""Lambda functions over maps and arrays that DuckDB has no function for.

Trino semantics covered:

- ``map_zip_with(m1, m2, (k, v1, v2) -> f)``: every key of either map, the first map's
  keys first (in order) then the second's others; a value missing from one map is NULL.
- ``multimap_from_entries(array(row(k, v)))``: each key's values in order (keys in
  first-seen order); a NULL key is INVALID_FUNCTION_ARGUMENT.
- ``multimap_agg(k, v [ORDER BY ...])``: multimap_from_entries of the rows' (k, v) in the
  aggregate's order; a row with a NULL key is skipped (Trino's key channel is not
  nullable), no row at all is NULL; the keys in first-seen order.
- ``array_sort(a, (x, y) -> c)``: ``a`` ordered by the comparator as a stable sort
  orders it: each element's place is the number of elements that go before it, the
  comparator called with the earlier of two elements first.
- ``reduce(a, s, (s, x) -> f, s -> g)`` with any output function ``g``; an input function
  narrower than the state (tinyint for an integer) is FUNCTION_NOT_FOUND.
- A lambda is an argument of the functions that take one only: ``count(x -> x)``,
  ``pow(123, x -> x)`` are FUNCTION_NOT_FOUND (no signature has a function parameter).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino import typing as trino_typing
from ....sql.trino import lambda_arguments, reduce_state
from .arrays import _substitute, binder, first_seen
from .nodes import duck, not_supported, position


def _lambda(node: exp.Expression, fn: exp.Expression, arity: int) -> list[str]:
    if not isinstance(fn, exp.Lambda) or len(fn.expressions) != arity:
        raise not_supported(node, f"Function '{node.name.lower()}' needs a lambda of {arity} arguments")
    return [p.name for p in fn.expressions]


def _map_zip_with(node: exp.Anonymous) -> exp.Expression:
    a, b, fn = node.expressions
    names = _lambda(node, fn, 3)
    key = exp.column("zk")
    body = _substitute(fn.this, names, [key, duck("_a[_k]", _a=a, _k=key), duck("_b[_k]", _b=b, _k=key)])
    result = duck(
        "map_from_entries(list_transform(list_concat(map_keys(_a), list_filter(map_keys(_b), "
        "lambda bk: NOT list_contains(map_keys(_a), bk))), lambda zk: struct_pack(key := zk, value := _f)))",
        _a=a, _b=b, _f=body)
    result.type = exp.DataType(this=exp.DType.MAP)
    return result


def _multimap_from_entries(node: exp.Anonymous) -> exp.Expression:
    entries = node.expressions[0]
    if isinstance(entries, exp.Null) or trino_typing.is_a(entries.type, exp.DType.NULL):
        # of NULL (Trino's unknown): NULL, which DuckDB holds untyped (its SQLNULL), so that
        # the column keeps Trino's type map(unknown, array(unknown)), not DuckDB's empty MAP's
        return exp.Null()
    # the entry's fields by position (struct_extract_at): a cast's row type names its
    # fields _0, _1 (casts._named_row_fields), where e[1] reads only unnamed structs
    result = duck(
        "CASE WHEN _e IS NULL THEN NULL "
        "WHEN list_count(list_transform(_e, lambda e: struct_extract_at(e, 1))) < len(_e) "
        "THEN error('INVALID_FUNCTION_ARGUMENT: map key cannot be null') "
        "ELSE map_from_entries(list_transform(_keys, "
        "lambda mk: struct_pack(key := mk, value := list_transform(list_filter(_e, lambda e: struct_extract_at(e, 1) = mk), "
        "lambda e: struct_extract_at(e, 2))))) END",
        _e=entries, _keys=first_seen(duck("list_transform(_e, lambda e: struct_extract_at(e, 1))", _e=entries)))
    result.type = exp.DataType(this=exp.DType.MAP)
    return result


def _multimap_agg(node: exp.Anonymous) -> exp.Expression:
    key, value = node.expressions
    entry = duck("row(_k, _v)", _k=key, _v=value.this if isinstance(value, exp.Order) else value)
    if isinstance(value, exp.Order):     # multimap_agg(k, v ORDER BY z): the entries' order,
        # keys of tied entries in key order (each key's own values keep Trino's free order)
        entry = exp.Order(this=entry, expressions=[*value.expressions, exp.Ordered(this=key.copy())])
    entries = duck("list(_e) FILTER (WHERE _k IS NOT NULL)", _e=entry, _k=key.copy())
    return _multimap_from_entries(exp.Anonymous(this="multimap_from_entries", expressions=[entries]))


def _checked(comparison: exp.Expression) -> exp.Expression:
    """A comparator's answer other than -1, 0 or 1 (NULL too) fails, as in Trino (every pair
    is compared here, where Trino's sort compares those it needs)."""
    return duck("CASE WHEN (_c) IN (-1, 0, 1) THEN (_c) ELSE error('INVALID_FUNCTION_ARGUMENT: Lambda "
                "comparator must return either -1, 0, or 1') END", _c=comparison)


def _array_sort(node: exp.ArraySort) -> exp.Expression | None:
    fn = node.expression
    if fn is None:
        return None
    names = _lambda(node, fn, 2)
    a = node.this
    # the place of element si: the elements sj that go before it, the comparator called with
    # the earlier element first, as a stable sort calls it (so that a comparator that is -1
    # for two NULLs either way still gives each its place)
    earlier = _checked(_substitute(fn.this, names, [duck("_a[sj]", _a=a), duck("_a[si]", _a=a)]))
    later = _checked(_substitute(fn.this, names, [duck("_a[si]", _a=a), duck("_a[sj]", _a=a)]))
    rank = duck("len(list_filter(range(1, len(_a) + 1), lambda sj: (sj < si AND NOT (_c1) > 0) "
                "OR (sj > si AND (_c2) > 0)))", _a=a, _c1=earlier, _c2=later)
    return duck("list_transform(list_sort(list_transform(range(1, len(_a) + 1), "
                "lambda si: struct_pack(r := _rank, i := si, v := _a[si]))), lambda e: e.v)", _a=a, _rank=rank)


def _reduce(node: exp.Reduce) -> exp.Expression | None:
    """The output function applied to DuckDB's reduce (which has none)."""
    reduce_state.check(node)
    finish = node.args.get("finish")
    if not isinstance(finish, exp.Lambda) or len(finish.expressions) != 1:
        return None
    name = finish.expressions[0].name
    if isinstance(finish.this, (exp.Identifier, exp.Column)) and finish.this.name == name:
        return None     # s -> s: arrays' reduce
    state = exp.Reduce(this=node.this, initial=node.args["initial"], merge=node.args["merge"])
    return duck("list_transform([_s], lambda rs: _g)[1]", _s=state,
                _g=_substitute(finish.this, [name], [exp.column("rs")]))


def rename_parameters(tree: exp.Expression) -> None:
    """Each lambda's parameters get names of their own (``x`` -> ``x__l1``), in place, before
    the rewrites: a rewrite's template has lambdas too (``lambda v: ...``), and a user's ``v``
    put inside one would be read as the template's (DuckDB binds the innermost name).
    Lambdas written alike get alike names, so that a select item still matches its GROUP BY
    expression (``GROUP BY cardinality(filter(a, x -> x > 0))``)."""
    lambdas = list(tree.find_all(exp.Lambda))
    numbers: dict[str, int] = {}
    keys = [numbers.setdefault(fn_.sql(), len(numbers) + 1) for fn_ in lambdas]    # before renaming
    for number, fn_ in zip(keys, lambdas):
        names = {p.name: f"{p.name}__l{number}" for p in fn_.expressions}
        for node in list(fn_.this.find_all(exp.Column, exp.Identifier)):
            if isinstance(node, exp.Column):
                part = node.args.get("table") if node.table else node.this
                name = node.table or node.name
            elif isinstance(node.parent, (exp.Column, exp.Dot, exp.Alias, exp.TableAlias)) and \
                    not (isinstance(node.parent, exp.Dot) and node is node.parent.this):
                continue    # a field's or alias's name, not a reference
            else:
                part, name = node, node.name
            if name in names and not node.args.get("db") and binder(node, name) is fn_:
                part.set("this", names[name])
        for p in fn_.expressions:
            p.set("this", names[p.name])


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.ArraySort: _array_sort,
    exp.Reduce: _reduce,
    exp.Lambda: lambda_arguments.check,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "map_zip_with": _map_zip_with,
    "multimap_from_entries": _multimap_from_entries,
    "multimap_agg": _multimap_agg,
}
