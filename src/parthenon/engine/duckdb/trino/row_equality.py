"""Rows compared as Trino compares them, in DuckDB's SQL.

Trino semantics covered:

- Rows compare field by field: a NULL field makes ``=`` NULL unless another field
  differs (DuckDB compares NULL fields as values).

The type checks and NaN rules of every comparison are engine-neutral
(``sql/trino/comparisons.py``); they run first (the rewrites run in turn).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino.typing import precision
from . import times, typed_equality, zoned
from .nodes import duck
from .rows import struct_width


def fields_equal(a: exp.Expression, b: exp.Expression, types: list[exp.DataType | None],
                 depth: int = 0) -> exp.Expression:
    """Rows are equal when every field is (as Trino compares its type: a time with time
    zone by its instant, an array element by element): a false field makes them unequal,
    else a NULL field makes the answer NULL."""
    fields = [typed_equality.equal(duck(f"struct_extract_at(_a, {i})", _a=a.copy()),
                                   duck(f"struct_extract_at(_b, {i})", _b=b.copy()), typ, depth)
              for i, typ in enumerate(types, start=1)]
    return exp.paren(exp.and_(*fields), copy=False)


def _same_kind(a: exp.DataType | None, b: exp.DataType | None) -> exp.DataType | None:
    """The type a field is compared as: both sides' (a NULL field's is unknown, and then
    DuckDB's own ``=`` gives NULL); a time or timestamp with time zone of precisions held
    in different shapes (with nanoseconds or not) is compared as DuckDB does."""
    if a is None or b is None or a.this != b.this:
        return None
    if a.this in (exp.DType.TIMETZ, exp.DType.TIMESTAMPTZ) and \
            zoned.carries_nanos(precision(a)) != zoned.carries_nanos(precision(b)):
        return None
    return a


def _types(a: exp.Expression, b: exp.Expression, width: int) -> list[exp.DataType | None]:
    sides = [typed_equality.field_types(x) for x in (a, b)]
    sides = [s if s is not None and len(s) == width else [None] * width for s in sides]
    return [_same_kind(x, y) for x, y in zip(*sides)]


def _row_equality(node: exp.Binary) -> exp.Expression | None:
    width = struct_width(node.left)
    if width is None or width != struct_width(node.right):
        return None
    equal = fields_equal(node.left, node.right, _types(node.left, node.right, width))
    return equal if isinstance(node, exp.EQ) else exp.Not(this=equal)


def _row_in(node: exp.In) -> exp.Expression | None:
    """``r IN (a, b)`` of rows is ``r = a OR r = b`` by the equality above (DuckDB's IN
    compares rows as values)."""
    items, width = node.expressions, struct_width(node.this)
    if not items or width is None or any(struct_width(i) != width for i in items):
        return None
    return exp.paren(exp.or_(*(fields_equal(node.this, i, _types(node.this, i, width)) for i in items)),
                     copy=False)


_ZONED = (exp.DType.TIMETZ, exp.DType.TIMESTAMPTZ)


def _holds_zoned(typ: exp.DataType | None) -> bool:
    return typ is not None and any(isinstance(n, exp.DataType) and n.this in _ZONED for n in typ.walk())


def _row_of(values: list[exp.Expression]) -> exp.Expression:
    return duck("row(" + ", ".join(f"_f{i}" for i in range(len(values))) + ")",
                **{f"_f{i}": v for i, v in enumerate(values)})


def _distinct_key(x: exp.Expression, typ: exp.DataType | None, depth: int) -> exp.Expression:
    """What IS DISTINCT FROM compares of a value: a time or timestamp with time zone's
    instant, in place within rows and arrays (the value itself otherwise)."""
    if not _holds_zoned(typ):
        return x
    if typ.this == exp.DType.TIMETZ:
        x.type = typ        # (its precision tells whether it keeps nanoseconds)
        return times.comparable(x)
    if typ.this == exp.DType.TIMESTAMPTZ:
        return zoned.comparable(x, zoned.carries_nanos(precision(typ)))
    if typ.this == exp.DType.ARRAY and typ.expressions:
        e = f"de{depth}"
        return duck(f"list_transform(_x, lambda {e}: _k)", _x=x,
                    _k=_distinct_key(exp.column(e), typ.expressions[0], depth + 1))
    kinds = typed_equality.field_kinds(typ)
    if not kinds:
        return x
    r = f"dr{depth}"
    fields = [_distinct_key(duck(f"struct_extract_at({r}, {i})"), k, depth + 1) for i, k in enumerate(kinds, 1)]
    return duck(f"list_transform([_x], lambda {r}: CASE WHEN {r} IS NULL THEN NULL ELSE _s END)[1]",
                _x=x, _s=_row_of(fields))


def _row_distinct(node: exp.Binary) -> exp.Expression | None:
    """IS [NOT] DISTINCT FROM of rows holding times or timestamps with time zone compares
    their instants (DuckDB compares a TIMETZ's wall clock and offset, a zoned struct's zone)."""
    a, b = node.this, node.expression
    width = struct_width(a)
    if width is None or width != struct_width(b):
        return None
    types = _types(a, b, width)
    if not any(_holds_zoned(t) for t in types):
        return None
    keys = [duck("CASE WHEN _x IS NULL THEN NULL ELSE _k END", _x=x.copy(), _k=_row_of(
        [_distinct_key(duck(f"struct_extract_at(_x, {i})", _x=x.copy()), t, 0) for i, t in enumerate(types, 1)]))
        for x in (a, b)]
    return type(node)(this=keys[0], expression=keys[1])


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.EQ: _row_equality,
    exp.NEQ: _row_equality,
    exp.In: _row_in,
    exp.NullSafeEQ: _row_distinct,
    exp.NullSafeNEQ: _row_distinct,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
