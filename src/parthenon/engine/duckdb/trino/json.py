"""JSON functions.

Trino semantics covered:

- ``json_parse`` and ``JSON '...'`` write the value as Trino does, compact with
  object keys sorted (so JSON values equal but for key order compare equal).
- ``json_extract`` / ``json_extract_scalar`` with Trino JSONPath
  (``$.a.b``, ``$.a[0]``, ``$["k"]``), NULL on malformed JSON, and
  ``json_extract_scalar`` NULL for objects and arrays; ``json_parse``,
  ``json_format``, ``json_size``, ``json_array_length`` (NULL for non-arrays),
  ``json_array_get``, ``json_array_contains``, ``is_json_scalar``.

``CAST`` to and from JSON is in ``casts``.
"""
from __future__ import annotations

import typing as t

import sqlglot
from sqlglot import exp

from .nodes import duck, string_literal


def _json_extract_scalar(node: exp.JSONExtractScalar) -> exp.Expression:
    """Scalar values only (NULL for objects and arrays), NULL on malformed JSON."""
    return exp.Try(this=duck(
        "CASE WHEN json_type(_j, _p) IN ('OBJECT', 'ARRAY') THEN NULL "
        "ELSE json_extract_string(_j, _p) END",
        _j=node.this, _p=node.expression))


def _json_extract(node: exp.JSONExtract) -> exp.Expression:
    """NULL on malformed JSON, like Trino's json_extract."""
    return exp.Try(this=node.copy())


def _json_size(node: exp.Anonymous) -> exp.Expression:
    """Members of an object or array, 0 for a scalar, NULL for a missing path."""
    j, p = node.expressions[0], node.expressions[1]
    if string_literal(p) is not None:
        p = sqlglot.Dialect.get_or_raise("trino").to_json_path(p)    # Trino JSONPath -> AST
    return exp.Try(this=duck(
        "CASE WHEN json_type(_j, _p) IS NULL THEN NULL "
        "WHEN json_type(_j, _p) = 'OBJECT' THEN CAST(len(json_keys(_j, _p)) AS BIGINT) "
        "WHEN json_type(_j, _p) = 'ARRAY' THEN CAST(json_array_length(_j, _p) AS BIGINT) "
        "ELSE CAST(0 AS BIGINT) END",
        _j=j, _p=p))


def _json_array_length(node: exp.Anonymous) -> exp.Expression:
    return exp.Try(this=duck(
        "CASE WHEN json_type(_j) = 'ARRAY' THEN CAST(json_array_length(_j) AS BIGINT) END",
        _j=node.expressions[0]))


def _json_array_get(node: exp.Anonymous) -> exp.Expression:
    j, i = node.expressions
    return exp.Try(this=duck(
        "CASE WHEN json_type(_j) = 'ARRAY' THEN json_extract(_j, CASE WHEN _i >= 0 "
        "THEN '$[' || CAST(_i AS VARCHAR) || ']' ELSE '$[#' || CAST(_i AS VARCHAR) || ']' END) END",
        _j=j, _i=i))


def _json_array_contains(node: exp.JSONArrayContains) -> exp.Expression:
    return exp.Try(this=duck(
        "CASE WHEN _v IS NULL THEN NULL WHEN json_type(_j) = 'ARRAY' "
        "THEN list_contains(list_transform(CAST(_j AS JSON[]), lambda e: CAST(e AS VARCHAR)), "
        "CAST(to_json(_v) AS VARCHAR)) END",
        _j=node.this, _v=node.expression))


def _is_json_scalar(node: exp.Anonymous) -> exp.Expression:
    return duck("json_type(CAST(_j AS JSON)) NOT IN ('OBJECT', 'ARRAY')", _j=node.expressions[0])


def _json_parse(node: exp.ParseJSON) -> exp.Expression:
    return duck("CAST(trino_json_parse(_s) AS JSON)", _s=node.this)


def _json_format(node: exp.JSONFormat) -> exp.Expression:
    return duck("CAST(CAST(_j AS JSON) AS VARCHAR)", _j=node.this)


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.JSONExtractScalar: _json_extract_scalar,
    exp.JSONExtract: _json_extract,
    exp.JSONArrayContains: _json_array_contains,
    exp.JSONFormat: _json_format,
    exp.ParseJSON: _json_parse,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "json_size": _json_size,
    "json_array_length": _json_array_length,
    "json_array_get": _json_array_get,
    "is_json_scalar": _is_json_scalar,
}
