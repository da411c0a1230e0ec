"""Trino's ``=``, ``<>`` and ``IS [NOT] DISTINCT FROM`` of arrays, maps and rows on Spark.

- ``=`` is three-valued, part by part: false where the lengths, the keys or a part
  differ, else NULL where a part's comparison is NULL, else true (Spark compares NULL
  parts as equal, NaN as equal to NaN, and cannot compare maps at all).  Arrays part
  by part in order, rows field by field, maps key by key whatever their order.
- ``IS DISTINCT FROM`` is Spark's ``<=>`` (NULL parts match, NaN matches NaN, as in
  Trino) except for maps, compared key by key.
- Searching an array of arrays, maps or rows (``contains``, ``array_position``) uses
  that equality: an indeterminate comparison before a match is NOT_SUPPORTED, as in
  Trino ("comparison not supported for arrays with null elements").
"""
from __future__ import annotations

import itertools

from sqlglot import exp

from ...sql.trino.collection_types import elements_type
from ...sql.trino.nodes import FLOATS, not_supported
from . import types
from .templates import spark

DType = exp.DType
_NESTED = (DType.ARRAY, DType.MAP, DType.STRUCT)
_names = itertools.count()


def element(typ: exp.DataType | None) -> exp.DataType | None:
    return typ.expressions[0] if typ is not None and typ.this == DType.ARRAY and typ.expressions else None


def row_fields(typ: exp.DataType) -> list[tuple[str, exp.DataType | None]]:
    """A row type's fields: (the name Spark knows it by, its type or None)."""
    out = []
    for i, field in enumerate(typ.expressions, start=1):
        kind = field.args.get("kind") if isinstance(field, exp.ColumnDef) else field
        name = field.name if isinstance(field, exp.ColumnDef) and field.name else f"col{i}"
        out.append((name, kind if isinstance(kind, exp.DataType) else None))
    return out


def _field(x: exp.Expression, name: str) -> exp.Expression:
    return exp.Dot(this=exp.Paren(this=x.copy()), expression=exp.to_identifier(name))


def _either(a: exp.DataType | None, b: exp.DataType | None) -> exp.DataType | None:
    """The type to compare two parts as: a float if either is (NaN), else a known one."""
    if a is None or a.this in (DType.UNKNOWN, DType.NULL):
        return b
    if b is not None and b.this in FLOATS and a.this not in FLOATS:
        return b
    return a


def equal(a: exp.Expression, b: exp.Expression, typ: exp.DataType | None, node: exp.Expression,
          other: exp.DataType | None = None) -> exp.Expression:
    """Trino's three-valued a = b for values of type `typ` (`other`: b's, where it differs)."""
    typ = _either(typ, other)
    if typ is None:
        raise not_supported(node, "This comparison is not supported on the Spark engine")
    n = next(_names)
    if typ.this == DType.ARRAY:
        x, y = exp.column(f"__x{n}"), exp.column(f"__y{n}")
        inner = equal(x, y, element(typ), node, element(other))
        return spark(f"CASE WHEN SIZE(_a) <> SIZE(_b) THEN FALSE ELSE AGGREGATE(ZIP_WITH(_a, _b, (__x{n}, __y{n}) -> _e), "
                     f"TRUE, (__acc{n}, __v{n}) -> __acc{n} AND __v{n}) END", _a=a, _b=b, _e=inner)
    if typ.this == DType.MAP:
        if len(typ.expressions) != 2:
            raise not_supported(node, "This comparison is not supported on the Spark engine")
        values = equal(spark(f"TRY_ELEMENT_AT(_a, __k{n})", _a=a), spark(f"TRY_ELEMENT_AT(_b, __k{n})", _b=b),
                       typ.expressions[1], node, other.expressions[1] if other is not None
                       and other.this == DType.MAP and len(other.expressions) == 2 else None)
        return spark(f"CASE WHEN SIZE(_a) <> SIZE(_b) THEN FALSE WHEN NOT FORALL(MAP_KEYS(_a), __k{n} -> "
                     f"MAP_CONTAINS_KEY(_b, __k{n})) THEN FALSE ELSE AGGREGATE(MAP_KEYS(_a), TRUE, "
                     f"(__acc{n}, __k{n}) -> __acc{n} AND _e) END", _a=a, _b=b, _e=values)
    if typ.this == DType.STRUCT:
        left = row_fields(typ)
        right = row_fields(other) if other is not None and other.this == DType.STRUCT else left
        if not left or len(left) != len(right):
            raise not_supported(node, "This row comparison is not supported on the Spark engine")
        parts = [equal(_field(a, ln), _field(b, rn), lt, node, rt) for (ln, lt), (rn, rt) in zip(left, right)]
        return exp.Paren(this=exp.and_(*parts)) if len(parts) > 1 else parts[0]
    if typ.this in FLOATS:
        # NaN equals nothing (Spark: itself); NaN against NULL stays NULL
        return spark("CASE WHEN _a = _b THEN NOT ISNAN(_a) ELSE _a = _b END", _a=a, _b=b)
    return exp.EQ(this=a, expression=b)


def _has_map(typ: exp.DataType | None) -> bool:
    return typ is not None and any(t.this == DType.MAP for t in typ.find_all(exp.DataType))


def distinct(a: exp.Expression, b: exp.Expression, typ: exp.DataType | None, node: exp.Expression) -> exp.Expression:
    """Trino's a IS DISTINCT FROM b (never NULL)."""
    if not _has_map(typ):
        return exp.Not(this=exp.NullSafeEQ(this=a, expression=b))
    if typ.this != DType.MAP or len(typ.expressions) != 2:
        raise not_supported(node, "IS DISTINCT FROM of arrays or rows of maps is not supported on the Spark engine")
    n = next(_names)
    values = distinct(spark(f"TRY_ELEMENT_AT(_a, __k{n})", _a=a), spark(f"TRY_ELEMENT_AT(_b, __k{n})", _b=b),
                      typ.expressions[1], node)
    return spark(f"CASE WHEN _a IS NULL AND _b IS NULL THEN FALSE WHEN _a IS NULL OR _b IS NULL THEN TRUE "
                 f"WHEN SIZE(_a) <> SIZE(_b) THEN TRUE WHEN NOT FORALL(MAP_KEYS(_a), __k{n} -> "
                 f"MAP_CONTAINS_KEY(_b, __k{n})) THEN TRUE ELSE EXISTS(MAP_KEYS(_a), __k{n} -> _e) END",
                 _a=a, _b=b, _e=values)


def _nested(x: exp.Expression) -> bool:
    return x.type is not None and x.type.this in _NESTED


def comparison(node: exp.Binary) -> exp.Expression | None:
    """``=``, ``<>``, ``IS [NOT] DISTINCT FROM`` of two arrays, maps or rows (else None)."""
    left, right = node.this, node.expression
    if not (_nested(left) or _nested(right)) or left.type is None or right.type is None:
        return None
    if isinstance(node, (exp.NullSafeEQ, exp.NullSafeNEQ)):
        typ = left.type if left.type.this in _NESTED else right.type
        if _has_map(typ) and any(x.type.this in (DType.UNKNOWN, DType.NULL) for x in (left, right)):
            value = right if left.type.this in (DType.UNKNOWN, DType.NULL) else left   # beside a NULL
            found = exp.Not(this=exp.Is(this=value, expression=exp.Null()))
        else:
            found = distinct(left, right, typ, node)
        return exp.Not(this=exp.Paren(this=found)) if isinstance(node, exp.NullSafeEQ) else found
    if not (_nested(left) and _nested(right)):
        return None
    found = equal(left, right, left.type, node, right.type)
    return exp.Not(this=exp.Paren(this=found)) if isinstance(node, exp.NEQ) else found


# Trino's own refusals, word for word
_INDETERMINATE = ("RAISE_ERROR('NOT_SUPPORTED: {} does not support arrays with elements that are null or "
                  "contain null')")
_UNORDERED = {DType.ARRAY: "ARRAY comparison not supported for arrays with null elements",
              DType.STRUCT: "ROW comparison not supported for fields with null elements"}


def search(kind: str, a: exp.Expression, x: exp.Expression, node: exp.Expression) -> exp.Expression | None:
    """contains / array_position (``kind``) of an array of arrays, maps or rows; None for
    other arrays.  r holds, per element: 0 NULL, 1 equal, 2 indeterminate, 3 different."""
    elem = element(a.type)
    if elem is None or elem.this not in _NESTED:
        return None
    n = next(_names)
    e = exp.column(f"__s{n}")
    eq = equal(e, x, elem, node, x.type)
    first = f"ARRAY_POSITION(TRANSFORM(__r{n}, __q{n} -> __q{n} IN (1, 2)), TRUE)"
    refuse = _INDETERMINATE.format("contains" if kind == "contains" else "array_position")
    answer = {
        "contains": f"CASE WHEN {first} = 0 THEN CASE WHEN ARRAY_CONTAINS(__r{n}, 0) THEN NULL ELSE FALSE END "
                    f"WHEN ELEMENT_AT(__r{n}, CAST({first} AS INT)) = 2 THEN {refuse} ELSE TRUE END",
        "position": f"CASE WHEN {first} = 0 THEN CAST(0 AS BIGINT) WHEN ELEMENT_AT(__r{n}, CAST({first} AS INT)) = 2 "
                    f"THEN {refuse} ELSE CAST({first} AS BIGINT) END",
    }[kind]
    return spark(f"CASE WHEN _a IS NULL OR _x IS NULL THEN NULL ELSE ELEMENT_AT(TRANSFORM(ARRAY(TRANSFORM(_a, __s{n} -> "
                 f"CASE WHEN __s{n} IS NULL THEN 0 WHEN (_eq) IS NULL THEN 2 WHEN _eq THEN 1 ELSE 3 END)), "
                 f"__r{n} -> {answer}), 1) END", _a=a, _x=x, _eq=eq)


def holds_null(x: exp.Expression, typ: exp.DataType | None, nan: bool = False, null: bool = True) -> exp.Expression:
    """A NULL field or element anywhere inside x (not x itself) (without ``null``: not
    looked for); with ``nan``, a NaN too."""
    if typ is None:
        return exp.true()
    if typ.this == DType.STRUCT:
        parts = []
        for name, kind in row_fields(typ):
            f = _field(x, name)
            if null:
                parts.append(exp.Is(this=f, expression=exp.Null()))
            if kind is not None and (kind.this in _NESTED or nan and kind.this in FLOATS):
                parts.append(exp.func("COALESCE", _inner(f, kind, nan, null), exp.false()))
        return exp.Paren(this=exp.or_(*parts)) if parts else exp.false()
    if typ.this == DType.ARRAY:
        n = next(_names)
        e = exp.column(f"__o{n}")
        inner = _inner(e, element(typ), nan, null)
        test = f"__o{n} IS NULL OR _i" if null else "_i"
        return spark(f"COALESCE(EXISTS(_a, __o{n} -> {test}), FALSE)", _a=x, _i=inner)
    return exp.false()


def _inner(x: exp.Expression, typ: exp.DataType | None, nan: bool, null: bool) -> exp.Expression:
    if typ is not None and typ.this in _NESTED:
        return holds_null(x, typ, nan, null)
    if nan and typ is not None and typ.this in FLOATS:
        return exp.func("ISNAN", x)
    return exp.false()


def ordering(node: exp.Binary) -> exp.Expression | None:
    """``<``, ``<=``, ``>``, ``>=`` of arrays or rows: Spark orders a NULL part first, Trino
    refuses to order with one (NOT_SUPPORTED); without NULL parts they agree."""
    left, right = node.this, node.expression
    if not (_nested(left) and _nested(right)):
        return None
    if _has_map(left.type) or _has_map(right.type):
        return None     # Spark refuses to order maps too
    null = exp.or_(holds_null(left, left.type), holds_null(right, right.type))
    message = _UNORDERED[left.type.this if left.type.this in _UNORDERED else right.type.this]
    ordered = node.copy()
    if left.type != right.type and left.type.this == right.type.this == DType.ARRAY and any(t.this == DType.DECIMAL for x in (left, right) for t in x.type.find_all(exp.DataType)):
        # arrays of decimals of other precisions (or integers): Spark orders only one type, so
        # both as their common one (Trino's coercion; the scale kept, no rounding)
        common = types.spark_type(elements_type([left.type, right.type]))
        if common is None:
            raise not_supported(node, "Ordering arrays of these types is not supported on the Spark engine")
        ordered.set("this", exp.Cast(this=ordered.this, to=common))
        ordered.set("expression", exp.Cast(this=ordered.expression, to=common.copy()))
    return exp.Case(ifs=[exp.If(this=null, true=spark(f"RAISE_ERROR('NOT_SUPPORTED: {message}')"))],
                    default=ordered)
