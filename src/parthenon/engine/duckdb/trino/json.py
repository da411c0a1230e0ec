"""JSON functions.

Trino semantics covered:

- ``json_parse`` and ``JSON '...'`` write the value as Trino does, compact with
  object keys sorted (so JSON values equal but for key order compare equal).
- ``json_extract`` / ``json_extract_scalar`` with Trino JSONPath
  (``$.a.b``, ``$.a[0]``, ``$["k"]``), NULL on malformed JSON, and
  ``json_extract_scalar`` NULL for objects and arrays; ``json_parse``,
  ``json_format``, ``json_size``, ``json_array_length`` (NULL for non-arrays),
  ``json_array_get``, ``json_array_contains``, ``is_json_scalar``.

- ``JSON '...'`` with malformed text is INVALID_LITERAL (``json_parse`` of it is
  INVALID_FUNCTION_ARGUMENT); ``is_json_scalar`` of malformed text fails.
- ``json_array_get`` gives the element as Trino writes it: a string element unquoted
  (``json_array_get('["a"]', 0)`` is ``a``), a JSON null NULL.
- ``CAST(json AS BIGINT/.../DOUBLE/BOOLEAN/DECIMAL)`` with Trino's rules and errors,
  ``CAST(double AS JSON)`` (``"NaN"`` quoted, a real by its shortest text): the engine
  functions of ``sql/trino/json_values``; ``CAST(map AS JSON)`` with its keys sorted.
- A JSON path that does not start with ``$`` is INVALID_FUNCTION_ARGUMENT; so is a literal
  path Trino's tokenizer refuses (``sql.trino.json_paths``), for each row evaluated.

Other casts to and from JSON are in ``casts``.
"""
from __future__ import annotations

import typing as t

import json

import sqlglot
from sqlglot import exp

from ....errors import InvalidFunctionArgument, InvalidLiteral, TypeMismatch
from ....sql.trino import typing as trino_typing
from ....sql.trino.json_paths import is_json_path
from ....sql.trino.positions import position
from ....sql.trino.json_values import not_json
from .. import json_numbers
from . import json_paths, sql_json
from .nodes import FLOATS, INTEGERS, JSON, MAPS, duck, is_type, string_literal


def _invalid_path(node: exp.Expression, result_type: str) -> exp.Expression | None:
    """A literal path Trino's tokenizer refuses (``'$.x-amz-copy-source'``, ``'a'``):
    INVALID_FUNCTION_ARGUMENT for each row it is evaluated on, as in Trino (a query whose
    rows are all filtered out answers), where DuckDB's path syntax would read it."""
    text = node.expression.meta.get("path_text", string_literal(node.expression))
    if text is None or is_json_path(text):
        return None
    message = exp.Literal.string(f"INVALID_FUNCTION_ARGUMENT: Invalid JSON path: '{text}'")
    return duck(f"CAST(error(_m) AS {result_type})", _m=message)


# json_extract_scalar of a value: DuckDB's text, but a number DuckDB rewrites (a double; -0,
# which DuckDB writes 0, so a 0 from a text holding "-0") is Trino's token as written, read
# again from the text (``json_numbers``).  The value is extracted once (a one-element list's
# lambda: DuckDB would extract it again for each use, 2x the time).
_SCALAR = ("list_transform([_v], lambda __json_v: CASE WHEN json_type(__json_v) IN ('OBJECT', 'ARRAY') THEN NULL "
           "WHEN json_type(__json_v) = 'DOUBLE' OR contains(CAST(_j AS VARCHAR), '-0') AND json_extract_string(__json_v, '$') = '0' "
           "THEN trino_json_extract_scalar(CAST(_j AS VARCHAR), _p) "
           "ELSE json_extract_string(__json_v, '$') END)[1]")


def _json_extract_scalar(node: exp.JSONExtractScalar) -> exp.Expression:
    """Scalar values only (NULL for objects and arrays), NULL on malformed JSON; a literal
    path is Trino's (``json_paths``); a number as written (``json_numbers``)."""
    invalid = _invalid_path(node, "VARCHAR")
    if invalid is not None:
        return invalid
    path = json_paths.trino_path(node.expression)
    value = json_paths.extract(node.this, node.expression)
    if value is not None:
        return exp.Try(this=duck(_SCALAR, _v=value, _j=node.this, _p=path))
    value = json_paths.runtime_extract(node.this, node.expression)
    return duck("CASE WHEN _ok THEN _v END", _ok=json_paths.runtime_path_check(node.expression),
                _v=exp.Try(this=duck(_SCALAR, _v=value, _j=node.this, _p=path)))


# json_extract of a value: DuckDB's, but where its text may have a number DuckDB writes
# otherwise than Jackson (1e20 as 100000000000000000000.0 for 1.0E20) Trino's text
# (``json_numbers``; a string that only looks so takes the same exact path); the value
# extracted once, as above
_EXTRACTED = ("list_transform([CAST(_v AS JSON)], lambda __json_v: CASE WHEN regexp_matches(CAST(__json_v AS VARCHAR), _re) "
              "THEN CAST(trino_json_extract(CAST(_j AS VARCHAR), _p) AS JSON) ELSE __json_v END)[1]")


def _json_extract(node: exp.JSONExtract) -> exp.Expression:
    """NULL on malformed JSON, like Trino's json_extract; a literal path is Trino's; a
    number as Jackson writes it (``json_numbers``)."""
    if node.args.get("json_query"):
        return sql_json.json_query(node)
    invalid = _invalid_path(node, "JSON")
    if invalid is not None:
        return invalid
    path = json_paths.trino_path(node.expression)
    pattern = exp.Literal.string(json_numbers.REWRITTEN_NUMBER)
    value = json_paths.extract(node.this, node.expression)
    if value is not None:
        return exp.Try(this=duck(_EXTRACTED, _v=value, _j=node.this, _p=path, _re=pattern))
    return duck("CASE WHEN _ok THEN _v END", _ok=json_paths.runtime_path_check(node.expression),
                _v=exp.Try(this=duck(_EXTRACTED, _v=json_paths.runtime_extract(node.this, node.expression),
                                     _j=node.this, _p=path, _re=pattern)))


def _check_path(p: exp.Expression) -> None:
    """A literal path Trino's tokenizer refuses (``''``, ``'.'``): see json_paths."""
    text = string_literal(p)
    if text is not None and not is_json_path(text):
        raise InvalidFunctionArgument(f"Invalid JSON path: '{text}'", *position(p))


def _json_size(node: exp.Anonymous) -> exp.Expression:
    """Members of an object or array, 0 for a scalar, NULL for a missing path."""
    j, p = node.expressions[0], node.expressions[1]
    _check_path(p)
    if string_literal(p) is None:     # a path given at run time: walked as Trino reads it
        value = json_paths.runtime_extract(j, p)
        return duck("CASE WHEN _ok THEN _v END", _ok=json_paths.runtime_path_check(p), _v=exp.Try(this=duck(
            "CASE WHEN json_type(_v) = 'OBJECT' THEN CAST(len(json_keys(_v)) AS BIGINT) "
            "WHEN json_type(_v) = 'ARRAY' THEN CAST(json_array_length(_v) AS BIGINT) "
            "WHEN _v IS NOT NULL THEN CAST(0 AS BIGINT) END", _v=value)))
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
    """The element's text as Trino gives it (a string unquoted): a JSON-typed value whose
    text need not be JSON, so the engine keeps it as text."""
    j, i = node.expressions
    return duck("trino_json_array_get(CAST(_j AS VARCHAR), CAST(_i AS BIGINT))", _j=j, _i=i)


def _json_array_contains(node: exp.JSONArrayContains) -> exp.Expression:
    """NULL for malformed JSON (checked first, so no TRY: the value may be a cast whose
    errors TRY refuses)."""
    return duck(
        "CASE WHEN _v IS NULL OR NOT trino_json_valid(CAST(_j AS VARCHAR)) THEN NULL "
        "WHEN json_type(CAST(_j AS VARCHAR)) = 'ARRAY' "
        "THEN list_contains(list_transform(CAST(CAST(_j AS VARCHAR) AS JSON[]), lambda e: CAST(e AS VARCHAR)), "
        "CAST(to_json(_v) AS VARCHAR)) END",
        _j=node.this, _v=node.expression)


def _is_json_scalar(node: exp.Anonymous) -> exp.Expression:
    return duck("trino_is_json_scalar(CAST(_j AS VARCHAR))", _j=node.expressions[0])


def _json_parse(node: exp.ParseJSON) -> exp.Expression:
    text = string_literal(node.this)
    if node.args.get("is_literal") and text is not None:
        try:        # JSON '...': a literal the analyzer checks
            json.loads(text, parse_constant=not_json)
        except ValueError:
            raise InvalidLiteral(f"'{text}' is not a valid JSON literal", *position(node)) from None
    parsed = duck("CAST(trino_json_parse(_s) AS JSON)", _s=node.this)
    parsed.meta["json_parse"] = True       # (a cast of it to a container reads the text itself)
    return parsed


# Scalar targets of CAST(json AS ...) that follow Trino's rules (json_values.json_to_scalar)
_SCALAR_TARGETS = (*INTEGERS, *FLOATS, exp.DType.BOOLEAN, exp.DType.DECIMAL)


def _cast(node: exp.Cast) -> exp.Expression | None:
    """CAST(json AS scalar) by Trino's rules; CAST(double or real AS JSON) as Trino writes
    them.  Other JSON casts are ``casts``'s."""
    x, to = node.this, node.to
    if to.this in (exp.DType.ARRAY, exp.DType.MAP, exp.DType.STRUCT) and x.meta.get("json_parse"):
        # CAST(json_parse(s) AS ARRAY(...)) is one cast of s in Trino: malformed text is
        # INVALID_CAST_ARGUMENT
        call = next(c for c in x.find_all(exp.Anonymous) if c.name.lower() == "trino_json_parse")
        name = trino_typing.type_name(node.type if node.type is not None else to) or to.sql("trino").lower()
        call.replace(exp.Anonymous(this="trino_json_parse_for_cast",
                                   expressions=[call.expressions[0], exp.Literal.string(name)]))
        x.meta.pop("json_parse")
    if to.this in _SCALAR_TARGETS and (is_type(x, *JSON) or isinstance(x, exp.ParseJSON)):
        name = trino_typing.type_name(node.type if node.type is not None else to) or to.sql("trino").lower()
        # (in parentheses: a Cast would be rewritten again by ``casts``)
        return exp.Paren(this=exp.Cast(this=duck("trino_json_to_scalar(CAST(_x AS VARCHAR), _t)", _x=x,
                                                 _t=exp.Literal.string(name)), to=to.copy()))
    if to.this in JSON and is_type(x, *FLOATS):
        real = exp.true() if is_type(x, exp.DType.FLOAT) else exp.false()
        return exp.Paren(this=duck("CAST(trino_float_json(CAST(_x AS DOUBLE), _r) AS JSON)", _x=x, _r=real))
    element = x.type.expressions[0] if is_type(x, exp.DType.ARRAY) and x.type.expressions else None
    if to.this in JSON and element is not None and element.this in FLOATS:
        # an array of doubles or reals: each element as Trino writes it ("NaN", 3.14 of a real)
        real = exp.true() if element.this == exp.DType.FLOAT else exp.false()
        return exp.Paren(this=duck(
            "CAST('[' || array_to_string(list_transform(_x, lambda e: coalesce(trino_float_json("
            "CAST(e AS DOUBLE), _r), 'null')), ',') || ']' AS JSON)", _x=x, _r=real))
    if to.this in JSON and element is not None and element.this == exp.DType.DECIMAL:
        # an array of decimals: each with its type's scale (3.0 of decimal(10,5) is 3.00000)
        text = exp.Cast(this=exp.Cast(this=exp.column("e"), to=element.copy()), to=exp.DataType.build("VARCHAR"))
        return exp.Paren(this=duck(
            "CAST('[' || array_to_string(list_transform(_x, lambda e: coalesce(_text, 'null')), ',') || ']' "
            "AS JSON)", _x=x, _text=text))
    if to.this in JSON and element is not None and element.this == exp.DType.STRUCT and element.expressions \
            and not any(isinstance(f, exp.ColumnDef) for f in element.expressions):
        # anonymous rows: objects whose keys are all "" (the engine's structs name them _0, _1...)
        return exp.Paren(this=duck("CAST(regexp_replace(CAST(to_json(_x) AS VARCHAR), '([{,])\"_[0-9]+\":', "
                                   "'\\1\"\":', 'g') AS JSON)", _x=x))
    if to.this in JSON and element is not None and any(d.this == exp.DType.MAP for d in element.walk()
                                                       if isinstance(d, exp.DataType)) \
            and not any(d.this == exp.DType.STRUCT for d in element.walk() if isinstance(d, exp.DataType)):
        return exp.Paren(this=duck("CAST(trino_json_parse(CAST(to_json(_x) AS VARCHAR)) AS JSON)", _x=x))
    if to.this in JSON and is_type(x, *MAPS):
        # a map as a JSON object with its keys sorted, as Trino writes it
        return exp.Paren(this=duck("CAST(trino_json_parse(CAST(to_json(_x) AS VARCHAR)) AS JSON)", _x=x))
    if to.this == exp.DType.MAP and to.expressions and (is_type(x, *JSON) or isinstance(x, exp.ParseJSON)) \
            and to.expressions[0].this in (exp.DType.ARRAY, exp.DType.MAP, exp.DType.STRUCT):
        raise TypeMismatch(f"Cannot cast json to {trino_typing.type_name(to) or 'map'}", *position(node))
    return None


def _json_format(node: exp.JSONFormat) -> exp.Expression:
    return duck("CAST(CAST(_j AS JSON) AS VARCHAR)", _j=node.this)


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.JSONExtractScalar: _json_extract_scalar,
    exp.JSONExtract: _json_extract,
    exp.JSONArrayContains: _json_array_contains,
    exp.JSONFormat: _json_format,
    exp.ParseJSON: _json_parse,
    exp.Cast: _cast,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "json_size": _json_size,
    "json_array_length": _json_array_length,
    "json_array_get": _json_array_get,
    "is_json_scalar": _is_json_scalar,
}
