"""The engines the conformance suite runs on: ``duckdb`` and ``spark``.

``connect(engine, home)`` gives a DB-API connection whose queries run on that engine.
For Spark, catalog statements and planning are the session's own; the planned scans
are read into Arrow and registered in one local Spark session (``local[2]``, shared by
the whole test run) as temporary views, and the query runs as the Spark SQL
``parthenon.engine.spark.translate`` makes of it, its errors mapped by
``parthenon.engine.spark.sql_errors``.  (The Spark backend reads files on executors
itself; this harness checks the SQL translation through real Spark.)

Spark cases need pyspark and Java: without them they are skipped.
"""
from __future__ import annotations

import atexit
import os
import sys
import functools
import shutil
from contextlib import contextmanager

import pyarrow as pa
import pytest

import parthenon
from parthenon.result import DML, Result, ResultColumn
from parthenon.session import Session, _schema, name_columns
from parthenon.sql.guard import check_query
from parthenon.errors import NotSupported
from parthenon.planner import Planner
from parthenon.types import result_type

ENGINES = ["duckdb", "spark"]


def spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


@functools.lru_cache(maxsize=None)
def spark_session():
    """One local Spark session for the test run, with the translator's configuration."""
    from pyspark.sql import SparkSession

    from parthenon.engine.spark.translate import SPARK_CONF

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)    # Python UDFs run Parthenon's code (json_udfs)
    builder = (SparkSession.Builder().master("local[2]").appName("parthenon-conformance")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.driver.memory", "1g"))
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("OFF")
    atexit.register(spark.stop)
    return spark


class SparkSQLSession(Session):
    """A Session whose queries run on Spark (see the module's docstring)."""

    def __init__(self, *args, spark, **kw):
        super().__init__(*args, **kw)
        self.spark = spark

    @contextmanager
    def _query_stream(self, ast, text, read_data=True, for_writer=False, engine_prefix=None,
                      planned=None):
        from parthenon.engine.spark.sql_errors import athena_error
        from parthenon.engine.spark.translate import translate

        check_query(ast, text)
        name_columns(ast)
        if engine_prefix:    # EXPLAIN: Spark's plans are not given yet
            raise NotSupported("EXPLAIN is not supported on the Spark engine yet")
        planner = Planner(self.store, self.database, self.engine.matching_partitions,
                          read_data=read_data)
        with self.engine.query() as q:
            ast = planner.plan(ast, text)
            translation = translate(ast, _schema(planner))
            for planned in planner.scans:
                q.add_scan(planned.name, planned.scan)
                table = q.stream(f'SELECT * FROM "{planned.name}"').read_all()
                schema = _spark_schema(table.schema)
                frame = self.spark.createDataFrame(table if table.num_rows else [], schema=schema)
                frame.createOrReplaceTempView(planned.name)
            bytes_scanned = q.bytes_scanned
        from parthenon.engine.spark.udfs import ensure
        ensure(self.spark, translation.sql)
        try:
            arrow = self.spark.sql(translation.sql).toArrow()
        except Exception as e:  # noqa: BLE001 - every Spark failure becomes Athena's error
            raise athena_error(e, text) from None
        trino = translation.types if len(translation.types) == arrow.num_columns else [None] * arrow.num_columns
        columns = [ResultColumn(f.name, result_type(t, f.type)) for f, t in zip(arrow.schema, trino)]
        result = Result(columns=columns, table=None, statement_type=DML, data_scanned_bytes=bytes_scanned)
        result.reader = pa.RecordBatchReader.from_batches(arrow.schema, arrow.to_batches())
        yield result


def _spark_schema(schema: pa.Schema):
    from pyspark.sql.pandas.types import from_arrow_schema
    return from_arrow_schema(schema)


def connect(engine: str, home) -> parthenon.dbapi.Connection:
    con = parthenon.connect(home=home)
    if engine == "spark":
        if not spark_available():
            con.close()
            pytest.skip("pyspark and java are needed for the Spark engine")
        con.session.close()
        con.session = SparkSQLSession(home, spark=spark_session())
    return con


def engine_connection(request, home, gaps: dict[str, str] | None = None):
    """A connection on `request.param`'s engine for a test parametrised over ENGINES; a test
    named in `gaps` (test function name -> reason) is an expected failure on Spark."""
    engine = request.param
    if engine == "spark" and gaps:
        reason = gaps.get(request.node.originalname) or gaps.get(request.node.name)
        if reason:
            request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    return connect(engine, home)
