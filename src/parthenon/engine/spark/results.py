"""A Spark query's rows as a stream of Arrow record batches, never gathered whole.

Classic Spark (local[N], spark://, k8s://): the query's physical plan becomes an RDD of
Arrow IPC record batches (`Dataset.toArrowBatchRdd`, what `toArrow` collects).  Its
partitions are collected a window at a time, one job per window of as many partitions as
the cluster has cores (run in parallel), and handed out in partition order, so an ORDER BY
holds; the driver holds one window, never the whole result.  (`toLocalIterator` would run
one partition per job: one core busy, whatever the cluster.)

Spark Connect (sc://): the server sends the batches as its job produces them, in order, and
the client reads them off the gRPC stream (the iterator `DataFrame.toArrow` drains), then
the observed metrics the scans' bytes come in.  The query's scans are part of its plan
(`SubqueryAlias` relations of a `SQL` plan, what `spark.sql(text, name=frame)` sends), not
temporary views: the server reports the metrics of observations in the plan it was sent.

Both are cancelled through a tag their jobs carry (`interrupt`); a cancel also marks the
stream, so that one arriving between two jobs stops the next from starting.
"""
from __future__ import annotations

import sys
import threading
from contextlib import contextmanager

import pyarrow as pa

from ...errors import QueryCancelled

CANCELLED = "Query cancelled by user"


class SparkResult:
    """One query's result stream and how to stop it (`cancel`, from any thread)."""

    def __init__(self, spark, tag: str, connect: bool):
        self.spark, self.tag, self.connect = spark, tag, connect
        self.cancelled = threading.Event()
        self.started = False           # a stream was handed out
        self.finished = False          # every batch read (Connect: the metrics arrived)

    def cancel(self) -> None:
        self.cancelled.set()
        try:
            if self.connect:
                self.spark.interruptTag(self.tag)
            else:
                self.spark.sparkContext.cancelJobsWithTag(self.tag)
        except Exception:       # noqa: BLE001 - nothing running, a session already gone
            pass

    def close(self) -> None:
        if self.started and not self.finished:
            self.cancel()

    def check(self) -> None:
        if self.cancelled.is_set():
            raise QueryCancelled(CANCELLED)

    @contextmanager
    def cancellable(self):
        """Spark's failure once cancelled is the cancel (a job killed, a stream interrupted)."""
        self.check()
        try:
            yield
        except QueryCancelled:
            raise
        except Exception:
            if self.cancelled.is_set():
                raise QueryCancelled(CANCELLED) from None
            raise

    # -- classic
    def classic(self, frame, window: int) -> pa.RecordBatchReader:
        from pyspark.serializers import NoOpSerializer
        from pyspark.util import _load_from_socket
        sc = self.spark.sparkContext
        schema = _arrow_schema(self.spark, frame)
        with self.cancellable(), self._tagged(sc):      # jobs planning runs (shuffles, broadcasts)
            rdd = frame._jdf.toArrowBatchRdd().toJavaRDD()
        partitions = rdd.getNumPartitions()

        def batches():
            for start in range(0, partitions, window):
                with self.cancellable(), self._tagged(sc):
                    served = sc._jvm.PythonRDD.runJob(
                        sc._jsc.sc(), rdd, list(range(start, min(start + window, partitions))))
                with self.cancellable(), _load_from_socket(served, NoOpSerializer()) as stream:
                    for message in stream:
                        yield plain(pa.ipc.read_record_batch(pa.py_buffer(message), schema))
            self.finished = True
        self.started = True
        return pa.RecordBatchReader.from_batches(plain_schema(schema), batches())

    @contextmanager
    def _tagged(self, sc):
        """Jobs started on this thread carry the query's tag (thread-local in Spark)."""
        sc.setInterruptOnCancel(True)       # a cancel interrupts the tasks' threads too
        sc.addJobTag(self.tag)
        try:
            yield
        finally:
            sc.removeJobTag(self.tag)

    # -- Spark Connect
    def connect_stream(self, sql: str, frames: dict, observations: dict) -> pa.RecordBatchReader:
        from pyspark.sql.connect.dataframe import DataFrame
        from pyspark.sql.connect.plan import SQL, SubqueryAlias
        spark, client = self.spark, self.spark.client
        frame = DataFrame(SQL(sql, [], {}, [SubqueryAlias(f._plan, name) for name, f in frames.items()]),
                          spark)
        with self.cancellable():
            schema = _arrow_schema(spark, frame)        # analysed now: errors before any row
        spark.addTag(self.tag)
        try:
            request = client._execute_plan_request_with_metadata()     # with the tag
        finally:
            spark.removeTag(self.tag)
        request.plan.CopyFrom(frame._plan.to_proto(client))

        def batches():
            from pyspark.sql.connect.shell.progress import Progress
            # the session's progress handlers hear of the job's stages, as with toArrow
            with self.cancellable(), Progress(handlers=client._progress_handlers, output=sys.stderr,
                                              operation_id=request.operation_id) as progress:
                for item in client._execute_and_fetch_as_iterator(request, observations, progress):
                    if isinstance(item, pa.RecordBatch):
                        yield plain(_named(item, schema))
                    self.check()
            self.finished = True
        self.started = True
        return pa.RecordBatchReader.from_batches(plain_schema(schema), batches())


def _arrow_schema(spark, frame) -> pa.Schema:
    """The Arrow schema Spark writes the frame's batches in (times in UTC, as the session)."""
    from pyspark.sql.pandas.types import to_arrow_schema
    large = str(spark.conf.get("spark.sql.execution.arrow.useLargeVarTypes", "false")).lower() == "true"
    return to_arrow_schema(frame.schema, timezone="UTC", prefers_large_types=large,
                           error_on_duplicated_field_names_in_struct=True)


def _named(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """A Connect batch under the query's column names and types."""
    return pa.RecordBatch.from_arrays([c.cast(f.type) for c, f in zip(batch.columns, schema)],
                                      schema=schema)


def plain_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema([f.with_type(_plain(f.type)) for f in schema])


def plain(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Spark may hand strings, binaries and lists out in Arrow's large forms; results use
    the plain ones, as DuckDB's do."""
    schema = plain_schema(batch.schema)
    if schema == batch.schema:
        return batch
    return pa.RecordBatch.from_arrays([c.cast(f.type) for c, f in zip(batch.columns, schema)],
                                      schema=schema)


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
