"""Trino's map functions that Spark runs with Trino's answers.

``map_filter``, ``transform_keys``, ``transform_values``, ``map_zip_with`` (keys of the
first map, then the second's new ones; NULL for a key one map lacks) and
``map_from_entries`` are Spark's own (a duplicate or NULL key fails in both).
``MAP(keys, values)`` fails on arrays of different lengths or a NULL key.
``multimap_from_entries`` groups the values of each key, in the order of first
occurrence (the key and value of an entry read positionally through a one-entry map).
Of NULL or an array(unknown) (``ARRAY[]``) both give a NULL or empty map(unknown, unknown)
(STRING on Spark, whose functions refuse an array of VOID).
``map_concat`` keeps each key where it first appears with the value of the last map
holding it (Spark's fails on a key in two maps); ``map_entries`` is Spark's.
``CAST(map AS MAP(K, V))`` fails as Trino's does where its keys become NULL or equal
(INVALID_CAST_ARGUMENT), where Spark's cast would keep both ``true`` keys of
``MAP(ARRAY[1, 2], ...)`` cast to boolean keys.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.nodes import not_supported
from . import types
from .templates import spark

FUNCTIONS = frozenset("map_filter transform_keys transform_values map_zip_with map_from_entries "
                      "multimap_from_entries map_concat map_entries".split())

_UNKNOWN = (exp.DType.UNKNOWN, exp.DType.NULL)


def _typed(x: exp.Expression, to: exp.DataType) -> exp.Expression:
    return exp.Cast(this=x, to=to.copy())


def _map_concat(node: exp.Anonymous) -> exp.Expression:
    to = types.spark_type(node.type)
    if to is None or to.this != exp.DType.MAP:
        raise not_supported(node, "map_concat of these maps is not supported on the Spark engine")
    entries = exp.Anonymous(this="CONCAT", expressions=[
        exp.Anonymous(this="MAP_ENTRIES", expressions=[_typed(m, to)]) for m in node.expressions])
    return spark("TRANSFORM(ARRAY(_e), __es -> MAP_FROM_ARRAYS(ARRAY_DISTINCT(TRANSFORM(__es, __x -> __x.key)), "
                 "TRANSFORM(ARRAY_DISTINCT(TRANSFORM(__es, __x -> __x.key)), __k -> "
                 "ELEMENT_AT(FILTER(__es, __x -> __x.key = __k), -1).value)))[0]", _e=entries)


def _map_entries(node: exp.Anonymous) -> exp.Expression:
    m = node.expressions[0]
    if m.type is not None and m.type.this in _UNKNOWN:
        return spark("CAST(NULL AS ARRAY<STRUCT<key: STRING, value: STRING>>)")
    return spark("MAP_ENTRIES(_m)", _m=m)


def _unknown(typ: exp.DataType | None) -> bool:
    return typ is not None and typ.this == exp.DType.NULL


def unknown_entries(node: exp.Expression, entries: exp.Expression) -> exp.Expression | None:
    """``map_from_entries`` or ``multimap_from_entries`` of NULL or an array(unknown)
    (``ARRAY[]``, ``ARRAY[NULL]``): a NULL map, an empty one, else Trino's error for the
    NULL entries such an array holds.  Spark's functions refuse an array of VOID (not of
    rows); the map is map(unknown, unknown), STRING on Spark (``types.spark_type``)."""
    typ = entries.type
    if not (isinstance(entries, exp.Null) or _unknown(typ) or typ is not None and typ.this == exp.DType.ARRAY
            and len(typ.expressions) == 1 and _unknown(typ.expressions[0])):
        return None
    to = types.spark_type(node.type)
    if to is None:
        return None
    if isinstance(entries, exp.Null) or _unknown(typ):
        return exp.Cast(this=exp.Null(), to=to)
    return spark("CASE WHEN SIZE(_a) > 0 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: map entry cannot be null') "
                 "ELSE _m END", _a=entries, _m=exp.Cast(this=spark("IF(_a IS NULL, NULL, MAP())", _a=entries), to=to))


def _multimap_from_entries(node: exp.Anonymous) -> exp.Expression:
    unknown = unknown_entries(node, node.expressions[0])
    if unknown is not None:
        return unknown
    return spark(
        "ELEMENT_AT(TRANSFORM(ARRAY(TRANSFORM(_a, __x -> MAP_FROM_ENTRIES(ARRAY(__x)))), __es -> "
        "MAP_FROM_ARRAYS(ARRAY_DISTINCT(TRANSFORM(__es, __m -> MAP_KEYS(__m)[0])), "
        "TRANSFORM(ARRAY_DISTINCT(TRANSFORM(__es, __m -> MAP_KEYS(__m)[0])), __k -> "
        "TRANSFORM(FILTER(__es, __m -> MAP_KEYS(__m)[0] = __k), __m -> MAP_VALUES(__m)[0])))), 1)",
        _a=node.expressions[0])


def _map(node: exp.Map) -> exp.Expression | None:
    """MAP(keys, values): arrays of one length and no NULL key, else INVALID_FUNCTION_ARGUMENT."""
    keys, values = node.args.get("keys"), node.args.get("values")
    if keys is None or values is None:
        return None
    if _checked_statically(keys, values):
        return spark("MAP_FROM_ARRAYS(_k, _v)", _k=keys, _v=values)
    return spark("CASE WHEN SIZE(_k) <> SIZE(_v) THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: Key and value "
                 "arrays must be the same length') WHEN EXISTS(_k, __x -> __x IS NULL) THEN RAISE_ERROR("
                 "'INVALID_FUNCTION_ARGUMENT: map key cannot be null') ELSE MAP_FROM_ARRAYS(_k, _v) END",
                 _k=keys, _v=values)


def _checked_statically(keys: exp.Expression, values: exp.Expression) -> bool:
    """ARRAY[...] keys and values of one length whose keys are never NULL: the checks of
    ``_map`` cannot fail, and without them the MAP stays foldable, which Spark's VALUES needs
    (an inline table refuses a RAISE_ERROR or a lambda)."""
    return (isinstance(keys, exp.Array) and isinstance(values, exp.Array)
            and len(keys.expressions) == len(values.expressions)
            and all(_never_null(k) for k in keys.expressions))


def _never_null(node: exp.Expression) -> bool:
    if isinstance(node, exp.Neg):
        node = node.this
    return isinstance(node, (exp.Literal, exp.Boolean, exp.Array))


def _map_to_map(node: exp.Cast) -> exp.Expression | None:
    to = node.to
    source = node.this.type
    if not (type(node) is exp.Cast and to.this == exp.DType.MAP and len(to.expressions) == 2
            and source is not None and source.this == exp.DType.MAP):
        return None
    if len(source.expressions) != 2 or source.expressions[0].this in (exp.DType.UNKNOWN, exp.DType.NULL) \
            or source.expressions[0] == to.expressions[0]:
        return None     # the keys stay as they are (or there are none): no NULL or equal keys can appear
    keys = exp.Cast(this=exp.func("MAP_KEYS", node.this.copy()),
                    to=exp.DataType(this=exp.DType.ARRAY, expressions=[to.expressions[0].copy()], nested=True))
    return spark("CASE WHEN EXISTS(_k, __x -> __x IS NULL) THEN RAISE_ERROR('INVALID_CAST_ARGUMENT: map key is "
                 "null') WHEN SIZE(ARRAY_DISTINCT(_k)) < SIZE(_k) THEN RAISE_ERROR('INVALID_CAST_ARGUMENT: "
                 "duplicate keys') ELSE _c END", _k=keys, _c=node.copy())


CLASS_REWRITES = {exp.Map: _map, exp.Cast: _map_to_map}
ANONYMOUS_REWRITES = {"multimap_from_entries": _multimap_from_entries, "map_concat": _map_concat,
                      "map_entries": _map_entries}
