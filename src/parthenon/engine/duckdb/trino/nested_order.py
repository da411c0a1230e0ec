"""Ordering of arrays and rows (``<``, ``<=``, ``>``, ``>=``) as Trino orders them.

Trino semantics covered:

- Two arrays are ordered element by element up to the shorter one's length, then by
  length; two rows field by field.  A NULL element or field met before the order is
  decided (at or before the first place where they differ) is NOT_SUPPORTED: "ARRAY
  comparison not supported for arrays with null elements", "ROW comparison not supported
  for fields with null elements" (Trino checks each place as it comes to it, so
  ``row(1, NULL) < row(2, 2)`` is true).  DuckDB orders a NULL part as a value, after
  every other: ``row(1, CAST(NULL AS INTEGER)) < row(1, 2)`` was false.
- The same inside nested parts: an array element that is itself an array or row is
  ordered by the same rule.

Knowingly not covered: arrays and rows holding zoned times or timestamps (left to the
rewrites of those; their parts' equality is not DuckDB's IS NOT DISTINCT FROM).  Ordering
a type that holds a map is TYPE_MISMATCH in the shared typing (``sql/trino/typing``).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from .nodes import duck
from .typed_equality import field_kinds

_ARRAY = "NOT_SUPPORTED: ARRAY comparison not supported for arrays with null elements"
_ROW = "NOT_SUPPORTED: ROW comparison not supported for fields with null elements"
_ZONED = (exp.DType.TIMETZ, exp.DType.TIMESTAMPTZ)


def _nested(typ: exp.DataType | None) -> bool:
    return typ is not None and typ.this in (exp.DType.ARRAY, exp.DType.STRUCT)


def _element(typ: exp.DataType) -> exp.DataType | None:
    return typ.expressions[0] if typ.expressions and isinstance(typ.expressions[0], exp.DataType) else None


def _stops(a: exp.Expression, b: exp.Expression, typ: exp.DataType | None, depth: int) -> exp.Expression:
    """Whether comparing the parts a and b (of type typ) meets a NULL before it is decided:
    either is NULL, or inside nested parts the same rule."""
    null = exp.or_(exp.Is(this=a.copy(), expression=exp.Null()), exp.Is(this=b.copy(), expression=exp.Null()))
    if _nested(typ):
        return exp.paren(exp.or_(null, exp.func("coalesce", _meets_null(a, b, typ, depth + 1), exp.false())),
                         copy=False)
    return exp.paren(null, copy=False)


def _meets_null(a: exp.Expression, b: exp.Expression, typ: exp.DataType, depth: int) -> exp.Expression | None:
    """True when Trino's ordering of a and b (two non-NULL values of the array or row type
    typ) meets a NULL part before a difference decides it."""
    if typ.this == exp.DType.ARRAY:
        # the first place that decides or meets a NULL (k); a NULL met there
        i, k = f"no{depth}", f"nk{depth}"
        x, y = duck(f"_a[{i}]", _a=a.copy()), duck(f"_b[{i}]", _b=b.copy())
        stop = exp.or_(_stops(x, y, _element(typ), depth), exp.NullSafeNEQ(this=x.copy(), expression=y.copy()))
        at_k = _stops(duck(f"_a[{k}]", _a=a.copy()), duck(f"_b[{k}]", _b=b.copy()), _element(typ), depth)
        return duck(f"list_transform([list_position(list_transform(range(1, least(len(_a), len(_b)) + 1), "
                    f"lambda {i}: _s), true)], lambda {k}: {k} IS NOT NULL AND {k} > 0 AND _m)[1]",
                    _a=a.copy(), _b=b.copy(), _s=stop, _m=at_k)
    kinds = field_kinds(typ)
    if not kinds:
        return None
    terms = []
    for n, kind in enumerate(kinds, start=1):
        x, y = (duck(f"struct_extract_at(_v, {n})", _v=v.copy()) for v in (a, b))
        same_before = [exp.NullSafeEQ(this=duck(f"struct_extract_at(_a, {m})", _a=a.copy()),
                                      expression=duck(f"struct_extract_at(_b, {m})", _b=b.copy()))
                       for m in range(1, n)]
        terms.append(exp.and_(_stops(x, y, kind, depth), *same_before))
    return exp.paren(exp.or_(*terms), copy=False)


def _ordering(node: exp.Binary) -> exp.Expression | None:
    a, b = node.this, node.expression
    typ = a.type if _nested(a.type) else None
    if typ is None or not _nested(b.type) or typ.this != b.type.this or \
            any(isinstance(p, exp.DataType) and p.this in _ZONED for x in (a, b) for p in x.type.walk()):
        return None
    meets = _meets_null(a, b, typ, 0)
    if meets is None:
        return None
    message = exp.Literal.string(_ARRAY if typ.this == exp.DType.ARRAY else _ROW)
    return duck("CASE WHEN _a IS NULL OR _b IS NULL THEN NULL WHEN _m THEN error(_e) ELSE _c END",
                _a=a.copy(), _b=b.copy(), _m=meets, _e=message, _c=node.copy())


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    cls: _ordering for cls in (exp.LT, exp.LTE, exp.GT, exp.GTE)}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
