"""The Spark backend (`engine.backend.Backend`): Athena queries run by Spark.

Planning stays on the driver and is the same as on DuckDB: the planner resolves tables,
lists files and prunes partitions, whose predicates a small DuckDB connection evaluates
(one engine evaluating a rule for another part: pruning keeps Trino's semantics and reads
no data).  Each scan becomes a DataFrame read by Parthenon's readers in the executors
(`reading.py`); the query, translated to Spark SQL (`translate.py`), runs over those
DataFrames, and its result comes back to the driver as Arrow.
"""
from __future__ import annotations

import itertools
import threading
from contextlib import contextmanager
from typing import Iterator

import pyarrow as pa

from ...errors import ParthenonError
from ...formats.scan import Scan
from ..duckdb import DuckDBBackend
from ..limits import EngineLimits
from .connection import SparkUnavailable, check_master, is_connect, new_session
from .errors import spark_error
from .native import native_frame, planned_bytes, wants_native
from .reading import BYTES_COLUMN, bytes_read, scan_frame, spark_schema

from .translate import SPARK_CONF, translate

BATCH_ROWS = 65_536     # rows per Arrow batch handed out of a result
_tags = itertools.count(1)


class SparkQuery:
    """One query's scans (DataFrames registered as temporary views) and its bytes read."""

    def __init__(self, backend: "SparkBackend", tag: str):
        self.backend, self.tag = backend, tag
        self.views: list[str] = []
        self.jobs: list = []                 # each scan's ReadJob (classic: its accumulator)
        self.observations: list = []         # Spark Connect: each scan's bytes, observed
        self.finished = False
        self.native_bytes = 0                # scans read by Spark's own reader: their files' size

    def add_scan(self, name: str, scan: Scan) -> None:
        spark = self.backend.spark
        if wants_native(spark, scan):       # Spark's own Parquet reader (S3A): native.py
            native_frame(spark, scan, spark_schema(scan)).createOrReplaceTempView(name)
            self.views.append(name)
            self.native_bytes += planned_bytes(scan)
            return
        frame, job = scan_frame(spark, scan, self.backend.parallelism,
                                counted=not self.backend.connect)
        if self.backend.connect:
            from pyspark.sql import Observation
            from pyspark.sql import functions as F
            observation = Observation(f"{self.tag}_{name}")
            frame = frame.observe(observation, F.coalesce(F.sum(BYTES_COLUMN), F.lit(0)).alias("bytes")) \
                .where(F.col(BYTES_COLUMN).isNull()).drop(BYTES_COLUMN)
            self.observations.append(observation)
        self.jobs.append(job)
        frame.createOrReplaceTempView(name)
        self.views.append(name)

    def stream(self, sql: str, batch_rows: int = BATCH_ROWS) -> pa.RecordBatchReader:
        """The result as Arrow batches: Spark collects them to the driver as Arrow (no row
        conversion), then they are handed out a batch at a time."""
        spark = self.backend.spark
        spark.addTag(self.tag)
        try:
            table = spark.sql(sql).toArrow()
        finally:
            spark.removeTag(self.tag)
        self.finished = True
        table = _plain_types(table)
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(batch_rows))

    @property
    def bytes_scanned(self) -> int:
        if self.backend.connect:
            if not self.finished:
                return 0
            return self.native_bytes + sum(int((o.get or {}).get("bytes") or 0) for o in self.observations)
        return self.native_bytes + sum(bytes_read(job) for job in self.jobs)


class SparkBackend:
    """A Spark session on `master`, with a DuckDB connection for partition predicates."""

    name = "spark"

    def __init__(self, master: str, limits: EngineLimits | None = None) -> None:
        self.master = check_master(master)
        self.connect = is_connect(master)
        self._spark = None
        self.local = DuckDBBackend(limits)     # evaluates partition predicates for the planner
        self._lock = threading.Lock()
        self.current: SparkQuery | None = None

    @property
    def errors(self) -> tuple[type[BaseException], ...]:
        """PySpark's and Py4J's exceptions (what `athena_error` maps)."""
        from py4j.protocol import Py4JError
        from pyspark.errors import PySparkException
        return (PySparkException, Py4JError)

    @property
    def spark(self):
        """The Spark session, started on first use (a server starts it with its first
        query on Spark, which fails cleanly if Spark cannot start)."""
        if self._spark is None:
            try:
                spark = new_session(self.master)
                for key, value in SPARK_CONF.items():     # what the translated SQL assumes
                    spark.conf.set(key, value)
                self._spark = spark
            except ParthenonError:
                raise
            except Exception as e:      # noqa: BLE001 - Java missing, master unreachable, ...
                first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                raise SparkUnavailable(f"Cannot start Spark on {self.master}: {first}") from None
        return self._spark

    @property
    def parallelism(self) -> int:
        if self.connect:
            try:
                return int(self.spark.conf.get("spark.default.parallelism", "2"))
            except Exception:       # noqa: BLE001 - unset on the server
                return 2
        return self.spark.sparkContext.defaultParallelism

    def translate(self, ast, schema: dict, *, zoned_as_instant: bool = False):
        return translate(ast, schema)

    @contextmanager
    def query(self) -> Iterator[SparkQuery]:
        with self._lock:
            q = SparkQuery(self, f"parthenon-{next(_tags)}")
            self.current = q
            try:
                yield q
            finally:
                self.current = None
                for view in q.views:
                    try:
                        self._spark.catalog.dropTempView(view)
                    except Exception:       # noqa: BLE001 - a session already gone
                        pass

    def matching_partitions(self, columns, predicates) -> set[int]:
        return self.local.matching_partitions(columns, predicates)

    def athena_error(self, error: BaseException, text: str) -> ParthenonError:
        return spark_error(error)

    def interrupt(self) -> None:
        q = self.current
        if q is not None and self._spark is not None:
            try:
                self._spark.interruptTag(q.tag)
            except Exception:       # noqa: BLE001 - nothing running
                pass

    def scanned_so_far(self) -> int | None:
        q = self.current
        return None if q is None else q.bytes_scanned

    def close(self) -> None:
        self.local.close()
        if self.connect and self._spark is not None:
            try:
                self._spark.stop()
            except Exception:       # noqa: BLE001
                pass


def _plain_types(table: pa.Table) -> pa.Table:
    """Spark may hand strings, binaries and lists out in Arrow's large forms; results use
    the plain ones, as DuckDB's do."""
    schema = pa.schema([f.with_type(_plain(f.type)) for f in table.schema])
    return table if schema == table.schema else table.cast(schema)


def _plain(t: pa.DataType) -> pa.DataType:
    if pa.types.is_large_string(t):
        return pa.string()
    if pa.types.is_large_binary(t):
        return pa.binary()
    if pa.types.is_large_list(t) or pa.types.is_list(t):
        return pa.list_(_plain(t.value_type))
    if pa.types.is_struct(t):
        return pa.struct([f.with_type(_plain(f.type)) for f in t])
    if pa.types.is_map(t):
        return pa.map_(_plain(t.key_type), _plain(t.item_type))
    return t
