"""Trino's JSON functions on Spark, where Spark's own give Trino's exact answer.

- ``json_array_length`` of a varchar: both engines read the text with Jackson, stop at the
  outermost array's end and give NULL for text that is not JSON or not an array (Trino's
  JsonFunctions.jsonArrayLength, Spark's JsonArrayLength); Spark's answer is an int,
  Trino's a bigint.  A JSON-typed argument is refused: json has no Spark type yet.

The rest of Trino's json type (json_parse, json_format, json_extract, CAST to/from JSON,
...) is refused with NOT_SUPPORTED: Spark's get_json_object/to_json rewrite a number's
text and an object's key order, which Trino keeps.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.nodes import is_type, not_supported
from .templates import spark

FUNCTIONS = frozenset({"json_array_length"})


def _json_array_length(node: exp.Anonymous) -> exp.Expression:
    (j,) = node.expressions
    if is_type(j, exp.DType.JSON):
        raise not_supported(node, "json_array_length of a json value is not supported on the Spark engine")
    return spark("CAST(JSON_ARRAY_LENGTH(_j) AS BIGINT)", _j=j)


CLASS_REWRITES: dict = {}
ANONYMOUS_REWRITES = {"json_array_length": _json_array_length}
