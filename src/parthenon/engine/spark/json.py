"""Trino's JSON functions on Spark, where Spark's own give Trino's exact answer.

Trino reads JSON text with a strict Jackson parser.  Spark has two readers: the variant
one (TRY_PARSE_JSON) is as strict, but refuses duplicate object keys, which Trino takes;
JSON_ARRAY_LENGTH and JSON_OBJECT_KEYS are lenient (single-quoted strings, raw control
characters).  So an answer is given when the strict reader takes the text, NULL or
Trino's error when even the lenient one refuses it, and NOT_SUPPORTED in between (text
Trino might take, or not).  Spark's Jackson limits nesting and number length, Trino's
does not: a refusal by both readers means Trino's answer only for text under
``_SURE_LENGTH`` characters.

- ``json_array_length`` of a varchar: both stop at the outermost array's end, NULL for
  text that is not JSON or not an array; Spark's answer is an int, Trino's a bigint.
- ``is_json_scalar`` of a varchar: Trino wants exactly one value.  Spark's readers stop
  after the first value, so the text is read twice, inside ``[...]`` and inside
  ``{"a":...}``: both parse (as one element) only if nothing follows the value.
- ``json_array_contains``: Trino matches a top-level element by its JSON token: true or
  false for a boolean, an integer within bigint for a bigint, a number with a fraction
  or an exponent equal as a finite double for a double, a string for a varchar.  The
  variant's element types tell these apart, except an integer beyond bigint from a
  whole-valued fraction (both DECIMAL(p,0) or DOUBLE): refused when one would match.
  Trino stops at the first match, so text that starts an array but is not read whole
  (malformed, or duplicate keys) is refused; text not starting one is NULL.
- A JSON literal (``JSON '[1, 2]'``) is checked and answered here, in Python: Trino
  keeps its structure, so its length and scalar-ness are those of the text.  A literal
  Python's strict reader refuses is NOT_SUPPORTED (Trino: INVALID_LITERAL, or not).

The rest of Trino's json type (json_parse, json_format, json_extract, CAST to/from JSON,
...) is refused with NOT_SUPPORTED: Spark's get_json_object/to_json rewrite a number's
text and an object's key order, which Trino keeps.
"""
from __future__ import annotations

import json

from sqlglot import exp

from ...sql.trino.nodes import is_type, not_supported
from .templates import spark

_ANSWERING = frozenset({"json_array_length", "is_json_scalar"})
FUNCTIONS = _ANSWERING | {"json_array_contains", "json_parse"}     # json_parse: only as a JSON literal they answer
_SURE_LENGTH = 900
_UNSURE = "RAISE_ERROR('NOT_SUPPORTED: {} of this text is not supported on the Spark engine')"


def answered_in_python(node: exp.Expression) -> bool:
    """A JSON literal that is an argument of a function answering it at translation."""
    parent = node.parent
    return (isinstance(node, exp.ParseJSON) and bool(node.args.get("is_literal"))
            and (isinstance(parent, exp.JSONArrayContains)
                 or isinstance(parent, exp.Anonymous) and parent.name.lower() in _ANSWERING))


def _no_constant(text: str):
    raise ValueError(text)


def _literal_value(node: exp.Expression, name: str):
    """The parsed value of a JSON literal argument, or None if the argument is not one."""
    if not (isinstance(node, exp.ParseJSON) and node.args.get("is_literal")
            and isinstance(node.this, exp.Literal) and node.this.is_string):
        if is_type(node, exp.DType.JSON):
            raise not_supported(node, f"{name} of a json value is not supported on the Spark engine")
        return None
    try:
        return (json.loads(node.this.this, parse_constant=_no_constant),)
    except (ValueError, RecursionError):
        raise not_supported(node, f"{name} of this JSON literal is not supported on the Spark engine") from None


def _json_array_length(node: exp.Anonymous) -> exp.Expression:
    (j,) = node.expressions
    value = _literal_value(j, "json_array_length")
    if value is not None:
        n = len(value[0]) if isinstance(value[0], list) else None
        return exp.cast(exp.Null() if n is None else exp.Literal.number(n), "BIGINT")
    return spark(
        "CASE WHEN _j IS NULL THEN NULL WHEN TRY_PARSE_JSON(_j) IS NOT NULL THEN CAST(JSON_ARRAY_LENGTH(_j) AS BIGINT) "
        f"WHEN JSON_ARRAY_LENGTH(_j) IS NULL AND LENGTH(_j) < {_SURE_LENGTH} THEN CAST(NULL AS BIGINT) "
        f"ELSE {_UNSURE.format('json_array_length')} END", _j=j)


def _is_json_scalar(node: exp.Anonymous) -> exp.Expression:
    (j,) = node.expressions
    value = _literal_value(j, "is_json_scalar")
    if value is not None:
        return exp.Boolean(this=not isinstance(value[0], (list, dict)))
    return spark(
        "CASE WHEN _j IS NULL THEN NULL "
        "WHEN ARRAY_SIZE(CAST(TRY_PARSE_JSON('[' || _j || ']') AS ARRAY<VARIANT>)) = 1 "
        "AND TRY_PARSE_JSON('{\"a\":' || _j || '}') IS NOT NULL "
        "THEN SCHEMA_OF_VARIANT(VARIANT_GET(TRY_PARSE_JSON('[' || _j || ']'), '$[0]')) NOT RLIKE '^(OBJECT|ARRAY)' "
        f"WHEN LENGTH(_j) < {_SURE_LENGTH} AND NOT (COALESCE(JSON_ARRAY_LENGTH('[' || _j || ']') = 1, FALSE) "
        "AND JSON_OBJECT_KEYS('{\"a\":' || _j || '}') IS NOT NULL) "
        "THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: Invalid JSON value') "
        f"ELSE {_UNSURE.format('is_json_scalar')} END", _j=j)


_ELEMENT = {
    "boolean": "SCHEMA_OF_VARIANT(e) = 'BOOLEAN' AND CAST(e AS BOOLEAN) = _v",
    "bigint": "SCHEMA_OF_VARIANT(e) = 'BIGINT' AND CAST(e AS BIGINT) = _v",
    "varchar": "SCHEMA_OF_VARIANT(e) = 'STRING' AND CAST(e AS STRING) = _v",
    "double": "CASE WHEN NOT (SCHEMA_OF_VARIANT(e) = 'DOUBLE' OR SCHEMA_OF_VARIANT(e) LIKE 'DECIMAL(%') "
              "OR CAST(e AS DOUBLE) <> _v THEN FALSE "
              "WHEN (SCHEMA_OF_VARIANT(e) LIKE 'DECIMAL(%,0)' AND ABS(_v) >= 1e18) "
              "OR (SCHEMA_OF_VARIANT(e) = 'DOUBLE' AND ABS(_v) >= 1e38) THEN "
              + _UNSURE.format("json_array_contains") + " ELSE TRUE END",
}
_VALUE_KIND = ((exp.DType.BOOLEAN, "boolean"), (exp.DType.TINYINT, "bigint"), (exp.DType.SMALLINT, "bigint"),
               (exp.DType.INT, "bigint"), (exp.DType.BIGINT, "bigint"), (exp.DType.DOUBLE, "double"),
               (exp.DType.FLOAT, "double"), (exp.DType.DECIMAL, "double"), (exp.DType.VARCHAR, "varchar"))


def _json_array_contains(node: exp.JSONArrayContains) -> exp.Expression:
    j, v = node.this, node.expression
    if isinstance(v, exp.Null):
        return exp.cast(exp.Null(), "BOOLEAN")
    kind = next((k for t, k in _VALUE_KIND if is_type(v, t)), None)
    if kind is None:
        raise not_supported(node, "json_array_contains of this value is not supported on the Spark engine")
    value = _literal_value(j, "json_array_contains")
    if value is not None:
        if kind == "double":    # Trino re-writes a JSON literal's fractions (as doubles)
            raise not_supported(node, "json_array_contains of a JSON literal and a number with a fraction "
                                      "is not supported on the Spark engine")
        j = exp.Literal.string(j.this.this)
    if kind == "double":
        v = exp.cast(v, "DOUBLE")
    return spark(
        "CASE WHEN _j IS NULL OR _v IS NULL THEN NULL "
        + ("WHEN NOT ABS(_v) <= 1.7976931348623157e308 THEN FALSE " if kind == "double" else "")
        + "WHEN TRY_PARSE_JSON(_j) IS NOT NULL THEN CASE WHEN SCHEMA_OF_VARIANT(TRY_PARSE_JSON(_j)) NOT LIKE 'ARRAY%' "
        f"THEN NULL ELSE EXISTS(CAST(TRY_PARSE_JSON(_j) AS ARRAY<VARIANT>), e -> {_ELEMENT[kind]}) END "
        "WHEN LEFT(REGEXP_REPLACE(_j, '^[ \t\n\r]+', ''), 1) NOT IN ('[', DECODE(X'EFBBBF', 'UTF-8')) "
        f"THEN CAST(NULL AS BOOLEAN) ELSE {_UNSURE.format('json_array_contains')} END", _j=j, _v=v)


def _json_literal(node: exp.ParseJSON) -> exp.Expression:
    """Left for the function answering it; any other json_parse is refused."""
    if answered_in_python(node):
        return node
    raise not_supported(node, "Function 'json_parse' is not supported on the Spark engine")


CLASS_REWRITES: dict = {exp.ParseJSON: _json_literal, exp.JSONArrayContains: _json_array_contains}
ANONYMOUS_REWRITES = {"json_array_length": _json_array_length, "is_json_scalar": _is_json_scalar}
