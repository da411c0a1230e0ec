"""Stands in for `translate.py` (Athena SQL -> Spark SQL, the spark-sql work of issue 13)
until that module is in this tree: SQLGlot's spark dialect, without Trino's semantics.
Same signature: `translate(ast, schema) -> Translation`.  Removed once translate.py lands."""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino import Translation
from ...sql.trino import translate as trino_translate

SPARK_CONF: dict[str, str] = {"spark.sql.ansi.enabled": "true", "spark.sql.session.timeZone": "UTC"}


def translate(ast: exp.Expression, schema: dict | None = None) -> Translation:
    types = trino_translate(ast, schema).types      # the Trino types of the output columns
    return Translation(ast.sql(dialect="spark"), types)
