"""Trino's SQL/JSON functions (``json_query``, ``json_value``) are refused on Spark.

Their path language (``lax``/``strict`` modes, ``to`` ranges, ``last``, filters) and
their ON EMPTY / ON ERROR and wrapper clauses are not json_extract's: SQLGlot reads
``json_query`` as a JSONExtract, which would answer ``json_query('{"a": 1}', '$.a')``
with json_extract's '1' (Trino: NULL, a scalar without a wrapper is an error, NULL ON
ERROR by default), and Spark has no ``json_value`` (Spark's parser or its function
registry would give an error Trino does not).  Neither is implemented on Spark yet.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.nodes import not_supported

FUNCTIONS: frozenset[str] = frozenset()


def _json_query(node: exp.JSONExtract) -> None:
    if node.args.get("json_query"):
        raise not_supported(node, "Function 'json_query' is not supported on the Spark engine")
    return None


def _json_value(node: exp.JSONValue) -> None:
    raise not_supported(node, "Function 'json_value' is not supported on the Spark engine")


CLASS_REWRITES = {exp.JSONExtract: _json_query, exp.JSONValue: _json_value}
ANONYMOUS_REWRITES: dict = {}
