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
- ``json_extract_scalar(text, path)``: Trino's path (``$.a``, ``$[0]``, ``$["a"]``,
  ``$[a]``) is read here; each step is a key of an object and, if it is a number, an index
  of an array (``$.1`` of ``[0, 1]`` is '1').  The value's text: a string's, a boolean's,
  an integer's; NULL for an object, an array, null or a missing step.  A number with a
  fraction or exponent is refused (Trino keeps its text, Spark its value), and so is text
  the strict reader refuses (Trino reads it as a stream and may find the value before
  the fault) and a path whose syntax this reader does not take.
- A JSON literal (``JSON '[1, 2]'``) is checked and answered here, in Python: Trino
  keeps its structure, so its length and scalar-ness are those of the text.  A literal
  Python's strict reader refuses is NOT_SUPPORTED (Trino: INVALID_LITERAL, or not).

The rest of Trino's json type (json_parse, json_format, json_extract, CAST to/from JSON,
...) is refused with NOT_SUPPORTED: Spark's get_json_object/to_json rewrite a number's
text and an object's key order, which Trino keeps.
"""
from __future__ import annotations

import json
import re

from sqlglot import exp

from ...errors import NotSupported
from ...sql.trino.nodes import fill_placeholders, is_type, not_supported, string_literal
from . import json_type
from .json_udfs import call
from .templates import spark

FUNCTIONS = frozenset({"json_array_length", "is_json_scalar", "json_array_contains", "json_parse",
                       "json_extract_scalar", "json_extract", "json_format", "json_size", "json_array_get"})
_SURE_LENGTH = 900
_UNSURE = "RAISE_ERROR('NOT_SUPPORTED: {} of this text is not supported on the Spark engine')"


def answered_in_python(node: exp.Expression) -> bool:
    """A json value Spark holds (as its text, ``json_type``) where it is used."""
    return is_type(node, exp.DType.JSON) and json_type.representable(node)


def _fallback(name: str, sure: str, j: exp.Expression, *args: exp.Expression) -> exp.Expression:
    """The UDF's answer for the rows Spark's own functions are not sure of (the UDF runs
    on every row, so it is given NULL for the others)."""
    return call(name, spark(f"CASE WHEN {sure} THEN NULL ELSE _j END", _j=j), *args)


def _no_constant(text: str):
    raise ValueError(text)


def _literal_value(node: exp.Expression, name: str):
    """The parsed value of a JSON literal argument, or None if the argument is not one."""
    text = json_type.literal_text(node)
    if text is None:
        return None
    try:
        return (json.loads(text, parse_constant=_no_constant),)
    except (ValueError, RecursionError):
        raise not_supported(node, f"{name} of this JSON literal is not supported on the Spark engine") from None


def _json_array_length(node: exp.Anonymous) -> exp.Expression:
    (j,) = node.expressions
    value = _literal_value(j, "json_array_length")
    if value is not None:
        n = len(value[0]) if isinstance(value[0], list) else None
        return exp.cast(exp.Null() if n is None else exp.Literal.number(n), "BIGINT")
    if is_type(j, exp.DType.JSON) and not json_type.in_lambda(node):
        return exp.cast(call("array_length", j), "BIGINT")
    sure = (f"_j IS NULL OR TRY_PARSE_JSON(_j) IS NOT NULL OR (JSON_ARRAY_LENGTH(_j) IS NULL AND "
            f"LENGTH(_j) < {_SURE_LENGTH})")
    unsure = spark(_UNSURE.format("json_array_length")) if json_type.in_lambda(node) else \
        exp.cast(_fallback("array_length", sure, j), "BIGINT")
    return spark(
        "CASE WHEN _j IS NULL THEN NULL WHEN TRY_PARSE_JSON(_j) IS NOT NULL THEN CAST(JSON_ARRAY_LENGTH(_j) AS BIGINT) "
        f"WHEN JSON_ARRAY_LENGTH(_j) IS NULL AND LENGTH(_j) < {_SURE_LENGTH} THEN CAST(NULL AS BIGINT) "
        "ELSE _u END", _j=j, _u=unsure)


def _is_json_scalar(node: exp.Anonymous) -> exp.Expression:
    (j,) = node.expressions
    value = _literal_value(j, "is_json_scalar")
    if value is not None:
        return exp.Boolean(this=not isinstance(value[0], (list, dict)))
    if is_type(j, exp.DType.JSON) and not json_type.in_lambda(node):
        return exp.cast(call("is_scalar", j), "BOOLEAN")
    parsed = ("ARRAY_SIZE(CAST(TRY_PARSE_JSON('[' || _j || ']') AS ARRAY<VARIANT>)) = 1 "
              "AND TRY_PARSE_JSON('{\"a\":' || _j || '}') IS NOT NULL")
    refused = (f"LENGTH(_j) < {_SURE_LENGTH} AND NOT (COALESCE(JSON_ARRAY_LENGTH('[' || _j || ']') = 1, FALSE) "
               "AND JSON_OBJECT_KEYS('{\"a\":' || _j || '}') IS NOT NULL)")
    unsure = spark(_UNSURE.format("is_json_scalar")) if json_type.in_lambda(node) else \
        exp.cast(_fallback("is_scalar", f"_j IS NULL OR ({parsed}) OR ({refused})", j), "BOOLEAN")
    return spark(
        "CASE WHEN _j IS NULL THEN NULL "
        f"WHEN {parsed} "
        "THEN SCHEMA_OF_VARIANT(VARIANT_GET(TRY_PARSE_JSON('[' || _j || ']'), '$[0]')) NOT RLIKE '^(OBJECT|ARRAY)' "
        f"WHEN {refused} "
        "THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: Invalid JSON value') "
        "ELSE _u END", _j=j, _u=unsure)


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
    if kind == "double":
        v = exp.cast(v, "DOUBLE")
    lam = json_type.in_lambda(node)
    if is_type(j, exp.DType.JSON) and json_type.literal_text(j) is None and not lam:
        return spark("CASE WHEN _v IS NULL THEN NULL ELSE _c END", _v=v, _c=exp.cast(
            call("array_contains", j, exp.cast(v, "STRING"), exp.Literal.string(kind)), "BOOLEAN"))
    sure = ("_j IS NULL OR _v IS NULL "
            + ("OR NOT ABS(_v) <= 1.7976931348623157e308 " if kind == "double" else "")
            + "OR TRY_PARSE_JSON(_j) IS NOT NULL "
              "OR LEFT(REGEXP_REPLACE(_j, '^[ \t\n\r]+', ''), 1) NOT IN ('[', DECODE(X'EFBBBF', 'UTF-8'))")
    unsure = spark(_UNSURE.format("json_array_contains")) if lam else exp.cast(_fallback(
        "array_contains", sure.replace("_v", "_w"), j, exp.cast(v, "STRING"), exp.Literal.string(kind)), "BOOLEAN")
    if not lam:
        unsure = fill_placeholders(unsure, {"_w": exp.Paren(this=v.copy())})
    return spark(
        "CASE WHEN _j IS NULL OR _v IS NULL THEN NULL "
        + ("WHEN NOT ABS(_v) <= 1.7976931348623157e308 THEN FALSE " if kind == "double" else "")
        + "WHEN TRY_PARSE_JSON(_j) IS NOT NULL THEN CASE WHEN SCHEMA_OF_VARIANT(TRY_PARSE_JSON(_j)) NOT LIKE 'ARRAY%' "
        f"THEN NULL ELSE EXISTS(CAST(TRY_PARSE_JSON(_j) AS ARRAY<VARIANT>), e -> {_ELEMENT[kind]}) END "
        "WHEN LEFT(REGEXP_REPLACE(_j, '^[ \t\n\r]+', ''), 1) NOT IN ('[', DECODE(X'EFBBBF', 'UTF-8')) "
        "THEN CAST(NULL AS BOOLEAN) ELSE _u END", _j=j, _v=v, _u=unsure)


# Trino's JSON path steps: .key, [key], ["key"] (JsonPathTokenizer)
_STEP = re.compile(r'\.([A-Za-z0-9_:]+)|\[([A-Za-z0-9_]+)\]|\["([^"\\\']*)"\]')
_MAX_NUMBER_STEPS = 3     # each number step reads its object twice (key or index)


def _path_steps(node: exp.Expression, path: exp.Expression) -> list[str]:
    text = string_literal(path)
    if text is None:
        raise not_supported(node, "json_extract_scalar with a path that is not a constant is not supported on "
                                  "the Spark engine")
    steps, at = [], 1
    while text.startswith("$") and at < len(text):
        m = _STEP.match(text, at)
        if m is None:
            break
        steps.append(next(g for g in m.groups() if g is not None))
        at = m.end()
    if not text.startswith("$") or at < len(text) or sum(s.isdigit() for s in steps) > _MAX_NUMBER_STEPS:
        raise not_supported(node, f"json_extract_scalar with the path {text!r} is not supported on the Spark engine")
    return steps


def _step(v: exp.Expression, name: str) -> exp.Expression:
    """One step of a path: a key, or for a number an array's index too."""
    key = spark(f"VARIANT_GET(_v, '$[\"{name}\"]')", _v=v)
    if not name.isdigit():
        return key
    return spark(f"COALESCE(VARIANT_GET(_v, '$[{int(name)}]'), _k)", _v=v, _k=key)


def _json_extract_scalar(node: exp.Expression) -> exp.Expression:
    """Spark's variant reader where it is sure (strict JSON, a value that is not a
    fraction, a path it reads), the UDF (``json_reading``) for the other rows."""
    if isinstance(node, exp.Anonymous):
        j, path = node.expressions[0], node.expressions[1]
    else:
        j, path = node.this, node.expression
    given = path
    if isinstance(path, exp.JSONPath):
        path = exp.Literal.string(path.meta.get("path_text") or path.sql(dialect="trino").strip("'"))
    lam = json_type.in_lambda(node)
    try:
        steps = _path_steps(node, path)
    except NotSupported:
        if lam:
            raise
        return json_type.json_extract_scalar_udf(j, given, node)
    value = spark("TRY_PARSE_JSON(_j)", _j=j)
    for name in steps:
        value = _step(value, name)
    # a fraction's token, and a zero that may be written -0, are Trino's text only to the UDF
    fraction = "(SCHEMA_OF_VARIANT(_v) RLIKE '^(DECIMAL|DOUBLE|FLOAT)' OR (CAST(_v AS STRING) = '0' AND _j LIKE '%-0%'))"
    if lam:
        unsure = spark("RAISE_ERROR('NOT_SUPPORTED: json_extract_scalar of text that is not strict JSON, or of a "
                       "fractional number, is not supported on the Spark engine inside a lambda')")
    else:
        unsure = _fallback("extract_scalar", f"_j IS NULL OR (TRY_PARSE_JSON(_j) IS NOT NULL AND "
                                             f"(_v IS NULL OR NOT {fraction}))".replace("_v", "_w"),
                           j, json_type.path_argument(node, given))
        unsure = fill_placeholders(unsure, {"_w": exp.Paren(this=value.copy())})
    return spark(
        "CASE WHEN _j IS NULL THEN NULL WHEN TRY_PARSE_JSON(_j) IS NULL THEN _u "
        "WHEN _v IS NULL OR SCHEMA_OF_VARIANT(_v) RLIKE '^(OBJECT|ARRAY|VOID)' THEN NULL "
        f"WHEN {fraction} THEN _u ELSE CAST(_v AS STRING) END", _j=j, _v=value, _u=unsure)


CLASS_REWRITES: dict = {exp.ParseJSON: json_type.parse_json, exp.JSONArrayContains: _json_array_contains,
                        exp.JSONExtractScalar: _json_extract_scalar, exp.JSONExtract: json_type.json_extract,
                        exp.JSONFormat: json_type.json_format}
ANONYMOUS_REWRITES = {"json_array_length": _json_array_length, "is_json_scalar": _is_json_scalar,
                      "json_extract_scalar": _json_extract_scalar, "json_size": json_type.json_size,
                      "json_array_get": json_type.json_array_get}
