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
FUNCTIONS = _ANSWERING | {"json_parse"}     # json_parse: only as a JSON literal they answer
_SURE_LENGTH = 900
_UNSURE = "RAISE_ERROR('NOT_SUPPORTED: {} of this text is not supported on the Spark engine')"


def answered_in_python(node: exp.Expression) -> bool:
    """A JSON literal that is an argument of a function answering it at translation."""
    parent = node.parent
    return (isinstance(node, exp.ParseJSON) and bool(node.args.get("is_literal"))
            and isinstance(parent, exp.Anonymous) and parent.name.lower() in _ANSWERING)


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


def _json_literal(node: exp.ParseJSON) -> exp.Expression:
    """Left for the function answering it; any other json_parse is refused."""
    if answered_in_python(node):
        return node
    raise not_supported(node, "Function 'json_parse' is not supported on the Spark engine")


CLASS_REWRITES: dict = {exp.ParseJSON: _json_literal}
ANONYMOUS_REWRITES = {"json_array_length": _json_array_length, "is_json_scalar": _is_json_scalar}
