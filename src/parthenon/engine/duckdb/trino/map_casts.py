"""``CAST(map AS MAP(K, V))`` as Trino's MapToMapCast fails: keys the cast makes NULL
(``json 'null'``) or equal (``MAP(ARRAY[1, 2], ...)`` to boolean keys, 'NaN' and ' NaN ' to
double) are INVALID_CAST_ARGUMENT, "map key is null" / "duplicate keys".  DuckDB's cast
fails too, but in the words of its map constructor (INVALID_FUNCTION_ARGUMENT, as Trino's
``MAP(...)`` says it), so the keys are checked first."""
from __future__ import annotations

import typing as t

from sqlglot import exp

from .nodes import duck, is_type

# Key types whose DuckDB cast is the plain CAST of the map's own (the others, such as zoned
# timestamps, are rewritten structs: their keys are left to the cast as it is)
_PLAIN_KEYS = {exp.DType.BOOLEAN, exp.DType.TINYINT, exp.DType.SMALLINT, exp.DType.INT, exp.DType.BIGINT,
               exp.DType.FLOAT, exp.DType.DOUBLE, exp.DType.DECIMAL, exp.DType.VARCHAR, exp.DType.TEXT,
               exp.DType.DATE}


def _map_to_map(node: exp.Cast) -> exp.Expression | None:
    to = node.to
    if not (isinstance(node, exp.Cast) and not isinstance(node, exp.TryCast) and to.this == exp.DType.MAP
            and len(to.expressions) == 2 and to.expressions[0].this in _PLAIN_KEYS
            and is_type(node.this, exp.DType.MAP)):
        return None
    keys = exp.DataType(this=exp.DType.ARRAY, expressions=[to.expressions[0].copy()], nested=True)
    checked = duck(
        "list_transform([_keys], lambda k: CASE "
        "WHEN list_count(k) < len(k) THEN error('INVALID_CAST_ARGUMENT: map key is null') "
        "WHEN len(list_distinct(k)) < len(k) THEN error('INVALID_CAST_ARGUMENT: duplicate keys') "
        "ELSE _cast END)[1]", _keys=exp.Cast(this=exp.func("map_keys", node.this.copy()), to=keys),
        _cast=node.copy())
    checked.type = node.type
    return checked


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Cast: _map_to_map,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
