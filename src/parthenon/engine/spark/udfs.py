"""The Python UDFs a Spark SQL text calls, registered on its session before it runs:
Trino's JSON rules (``json_udfs``) and the functions Spark has nothing exact for
(``python_functions``).  The backend and the conformance suite call ``ensure``."""
from __future__ import annotations

from . import json_udfs, python_functions


def ensure(spark, sql: str) -> None:
    json_udfs.ensure(spark, sql)
    python_functions.ensure(spark, sql)
