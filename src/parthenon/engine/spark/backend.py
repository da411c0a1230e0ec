"""The Spark backend (`engine.backend.Backend`): Athena queries run by Spark.

Planning stays on the driver and is the same as on DuckDB: the planner resolves tables,
lists files and prunes partitions, whose predicates a small DuckDB connection evaluates
(one engine evaluating a rule for another part: pruning keeps Trino's semantics and reads
no data).  Each scan becomes a DataFrame read by Parthenon's readers in the executors
(`reading.py`); the query, translated to Spark SQL (`translate.py`), runs over those
DataFrames, and its result streams back to the driver as Arrow batches (`results.py`).
"""
from __future__ import annotations

import itertools
import json
import threading
from contextlib import contextmanager
from typing import Iterator

import pyarrow as pa

from ...errors import ParthenonError
from ...formats.scan import Scan
from .. import open_backend
from ..limits import EngineLimits
from .connection import SparkUnavailable, check_master, connect_address, is_connect, new_session
from . import udfs
from .errors import spark_error
from .live_bytes import Listener, route_to
from .native import native_frame, planned_bytes, wants_native
from .reading import BYTES_COLUMN, bytes_read, merged, scan_frame, spark_schema
from .results import SparkResult
from .translate import SPARK_CONF, translate

_tags = itertools.count(1)


class SparkQuery:
    """One query's scans (classic: temporary views; Connect: frames the query's plan
    embeds), its result stream and its bytes read."""

    def __init__(self, backend: "SparkBackend", tag: str):
        self.backend, self.tag = backend, tag
        self.result = SparkResult(backend.spark, tag, backend.connect)
        self.views: list[str] = []
        self.frames: dict = {}               # Spark Connect: name -> DataFrame
        self.jobs: list = []                 # each scan's ReadJob (classic: its accumulator)
        self.observations: dict = {}         # Spark Connect: each scan's bytes, observed
        self.native: list[dict] = []         # scans read by Spark's own reader: their files' sizes
        # where the scans' tasks report their bytes while they read (live_bytes.py)
        self.reporter = backend.listener.open(tag) if backend.listener is not None else None

    def add_scan(self, name: str, scan: Scan) -> None:
        self.result.check()         # a cancel while planning stops before Spark's next step
        spark = self.backend.spark
        if wants_native(spark, scan):       # Spark's own Parquet reader (S3A): native.py
            frame = native_frame(spark, scan, spark_schema(scan))
            self.native.append(planned_bytes(scan))
        else:
            frame, job = scan_frame(spark, scan, self.backend.parallelism,
                                    counted=not self.backend.connect, reporter=self.reporter)
            self.jobs.append(job)
            if self.backend.connect:
                from pyspark.sql import Observation
                from pyspark.sql import functions as F
                observed = self.observations[f"{self.tag}_{name}"] = Observation(f"{self.tag}_{name}")
                frame = frame.observe(observed, F.collect_list(BYTES_COLUMN).alias("bytes")) \
                    .where(F.col(BYTES_COLUMN).isNull()).drop(BYTES_COLUMN)
        if self.backend.connect:
            self.frames[name] = frame
        else:
            frame.createOrReplaceTempView(name)
            self.views.append(name)

    def stream(self, sql: str) -> pa.RecordBatchReader:
        """The result as Arrow batches, produced as they are read (results.py)."""
        self.result.check()
        udfs.ensure(self.backend.spark, sql)      # the Python UDFs the SQL calls, if any
        if self.backend.connect:
            return self.result.connect_stream(sql, self.frames, self.observations)
        with self.result.cancellable():
            frame = self.backend.spark.sql(sql)
        return self.result.classic(frame, self.backend.parallelism)

    @property
    def bytes_by_object(self) -> dict[str, int]:
        if not self.backend.connect:
            return merged([*self.native, *(bytes_read(job) for job in self.jobs)])
        if not self.result.finished:        # the observed metrics come with the result's end
            return merged(self.native)
        return merged([*self.native, *(json.loads(counts) for o in self.observations.values()
                                       for counts in (o.get or {}).get("bytes") or [])])

    @property
    def bytes_scanned(self) -> int:
        return sum(self.bytes_by_object.values())

    @property
    def bytes_so_far(self) -> int:
        """While the query runs: what its tasks reported as they read (live_bytes.py),
        with what the accumulators or observations already hold.  The final Data scanned
        is `bytes_scanned`, from those alone."""
        live = [self.backend.listener.so_far(self.reporter.key)] if self.reporter else []
        return sum(merged([self.bytes_by_object, *live]).values())

    @property
    def source_bytes(self) -> int:
        return self.bytes_scanned

    @property
    def cache_bytes(self) -> int:
        return 0


class SparkBackend:
    """A Spark session on `master`, with a DuckDB connection for partition predicates."""

    name = "spark"

    def __init__(self, master: str, limits: EngineLimits | None = None) -> None:
        self.master = check_master(master)
        self.connect = is_connect(master)
        self._spark = None
        self.local = open_backend("duckdb", limits)     # evaluates partition predicates for the planner
        self._lock = threading.Lock()
        self.current: SparkQuery | None = None
        self._listener: Listener | None = None
        self._no_listener = False

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
    def listener(self) -> Listener | None:
        """The socket the scans' tasks report their bytes so far to: on Spark Connect
        bound to the local address that routes to the Connect server, on a classic master
        to the driver's; None if none can be bound."""
        if self._listener is None and not self._no_listener:
            try:
                if self.connect:
                    host = route_to(*connect_address(self.master))
                else:
                    host = self.spark.sparkContext.getConf().get("spark.driver.host")
                self._listener = Listener(host)
            except OSError:         # no route, no address: Data scanned as tasks end, or at the end
                self._no_listener = True
        return self._listener

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
                q.result.close()        # a result left unread stops running
                if q.reporter is not None:
                    self._listener.forget(q.reporter.key)
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
        if q is not None:
            q.result.cancel()

    def scanned_so_far(self) -> int | None:
        q = self.current
        return None if q is None else q.bytes_so_far

    def close(self) -> None:
        self.local.close()
        if self._listener is not None:
            self._listener.close()
        if self.connect and self._spark is not None:
            try:
                self._spark.stop()
            except Exception:       # noqa: BLE001
                pass

