"""Casts to ROW types as Trino does them.

Trino semantics covered:

- ``CAST(row AS ROW(...))`` converts field by field, by position (DuckDB matches
  STRUCT fields by name, and refuses structs with no name in common).
- ``CAST(json AS ROW(...))``: a JSON array gives the fields by position, a JSON object
  by name (case-insensitive; a missing key is NULL, extra keys are ignored); JSON
  ``null`` is a NULL row.  So is each element of ``CAST(json AS ARRAY(ROW(...)))``
  (DuckDB's own cast wants objects with exactly the fields' keys).

The field names of ``ROW(BIGINT, VARCHAR)`` are ``_0``, ``_1``... (``casts``).
"""
from __future__ import annotations

import re

from sqlglot import exp

from ....sql.trino.typing import type_name as trino_type_name
from .nodes import JSON, duck, fn


def _fields(to: exp.DataType) -> list[tuple[str, exp.DataType]]:
    return [(f.name, f.args["kind"]) for f in to.expressions if isinstance(f, exp.ColumnDef)]


def _pack(fields: list[tuple[str, exp.DataType]], values: list[exp.Expression]) -> exp.Expression:
    return fn("struct_pack", *[exp.PropertyEQ(this=exp.to_identifier(name), expression=value)
                               for (name, _), value in zip(fields, values)])


def struct_width(x: exp.Expression) -> int | None:
    if isinstance(x, exp.Struct):
        return len(x.expressions)
    typ = x.type
    if typ is not None and typ.this == exp.DType.STRUCT and typ.expressions:
        return len(typ.expressions)
    return None


def _field_type(typ: exp.DataType | None, i: int) -> exp.DataType | None:
    """The Trino type of a row type's i-th field (named or not)."""
    if typ is None or typ.this != exp.DType.STRUCT or len(typ.expressions) <= i:
        return None
    field = typ.expressions[i]
    return field.args.get("kind") if isinstance(field, exp.ColumnDef) else field


def _field_cast(value: exp.Expression, kind: exp.DataType, typ: exp.DataType | None = None) -> exp.Expression:
    """A field's value cast as Trino casts it alone (``casts``: a JSON string to varchar
    unquoted, a double's text 1.5E0, varchar(n) cut), its Trino type ``typ`` given."""
    from .casts import rewrite_cast     # casts reads rows for a cast to a row type

    if typ is not None:
        value.type = typ.copy()
    cast = exp.Cast(this=value, to=kind.copy())
    cast.type = kind.copy()
    return rewrite_cast(cast) or cast


def _from_row(x: exp.Expression, fields) -> exp.Expression | None:
    if struct_width(x) != len(fields):
        return None
    if isinstance(x, exp.Struct):       # ROW(...) itself: cast its values
        return _pack(fields, [_field_cast(v.copy(), kind, v.type) for v, (_, kind) in zip(x.expressions, fields)])
    values = [_field_cast(fn("struct_extract_at", exp.Column(this=exp.to_identifier("r")),
                             exp.Literal.number(i + 1)), kind, _field_type(x.type, i))
              for i, (_, kind) in enumerate(fields)]
    return duck("list_transform([_x], lambda r: CASE WHEN r IS NULL THEN NULL ELSE _p END)[1]",
                _x=x, _p=_pack(fields, values))


def _json_field(path: str, kind: exp.DataType) -> exp.Expression:
    j, p = exp.Column(this=exp.to_identifier("j")), exp.Literal.string(path)
    if kind.this in (exp.DType.VARCHAR, exp.DType.TEXT, exp.DType.CHAR):
        return exp.Cast(this=fn("json_extract_string", j, p), to=kind.copy())
    return exp.Cast(this=fn("json_extract", j, p), to=kind.copy())


def _from_json(x: exp.Expression, fields, row_type: exp.DataType) -> exp.Expression:
    by_position = _pack(fields, [_json_field(f"$[{i}]", kind) for i, (_, kind) in enumerate(fields)])
    # a JSON object: its keys lower-cased, so that field names match case-insensitively
    by_name = _pack(fields, [_json_field(f'$."{name.lower()}"', kind) for name, kind in fields])
    return duck(
        "list_transform([CAST(_x AS JSON)], lambda j0: CASE WHEN j0 IS NULL THEN NULL ELSE CASE json_type(j0) "
        "WHEN 'ARRAY' THEN list_transform([j0], lambda j: _array)[1] "
        "WHEN 'OBJECT' THEN list_transform([CAST(map_from_entries(list_transform(json_keys(j0), "
        "lambda k: {'k': lower(k), 'v': json_extract(j0, '$.\"' || k || '\"')})) AS JSON)], "
        "lambda j: _object)[1] WHEN 'NULL' THEN NULL ELSE error(_e) END END)[1]",
        _x=x, _array=by_position, _object=by_name,
        _e=exp.Literal.string(f"INVALID_CAST_ARGUMENT: Cannot cast to {trino_type_name(row_type)}. "
                              "Expected a json array or object"))


def cast_to_row(node: exp.Cast) -> exp.Expression | None:
    """The DuckDB expression of a cast to a ROW type, or None to leave it to DuckDB."""
    to, x = node.to, node.this
    fields = _fields(to)
    if to.this != exp.DType.STRUCT or not fields:
        return None
    if x.type is not None and x.type.this in JSON:
        return _from_json(x, fields, to)
    return _from_row(x, fields)


def cast_to_rows(node: exp.Cast) -> exp.Expression | None:
    """CAST(json AS ARRAY(ROW(name type, ...))): each element as ``CAST(json AS ROW)``."""
    to, x = node.to, node.this
    if to.this != exp.DType.ARRAY or not to.expressions or x.type is None or x.type.this not in JSON:
        return None
    fields = _fields(to.expressions[0]) if to.expressions[0].this == exp.DType.STRUCT else []
    if not fields or any(re.fullmatch(r"_\d+", name) for name, _ in fields):
        return None     # (anonymous fields: named _0, _1 by casts, and no JSON key names them)
    return duck("list_transform(CAST(_x AS JSON[]), lambda je: _r)", _x=x,
                _r=_from_json(exp.column("je"), fields, to.expressions[0]))
