"""Catalog tables as Spark DataFrames, read by Parthenon's own readers inside the executors.

Spark's S3A connector needs jars from a Maven repository, and Spark's own readers do not
know Athena's SerDes (CloudTrail's records exploded with case-insensitive keys, OpenCSV,
Regex/Grok, ...).  So the driver plans the scan exactly as for DuckDB (the planner resolves
the files, partition values and needed columns), splits the files into tasks, and each
executor decodes its files with Parthenon's DuckDB reader and hands the rows to Spark as
Arrow batches (`mapInArrow`).  This is one engine evaluating a rule for another part: the
DuckDB backend, run inside a Spark task, is the reader of every SerDe and format, so a
table reads the same rows on both engines, and bytes scanned are counted by the same
virtual filesystem (each task reports its bytes by object back to the driver, which counts
each object once, as DuckDB does: a self-join's two scans, a retried task).

The DataFrame has the table's declared schema (Hive types -> Arrow -> Spark); columns the
query does not use are NULL and never read.
"""
from __future__ import annotations

import dataclasses
import functools
import json

import pyarrow as pa

from ...errors import ParthenonError
from ...formats.arrow_types import conform, table_schema
from ...formats.scan import Scan

BYTES_COLUMN = "__parthenon_bytes"     # Spark Connect: each task's bytes by object (JSON), on a row of its own
TASKS_PER_CORE = 2                     # more tasks than cores evens out files of unequal size
# and at most about this many stored bytes per task (as Spark's maxPartitionBytes): a task's
# rows are one partition of a plain SELECT's result, which the driver holds while handing it out
TASK_BYTES = 128 * 1024 * 1024
ERROR_MARK = "PARTHENON_ERROR:"        # an executor's Athena error, carried through Spark's


def spark_schema(scan: Scan):
    """The scan's columns (data, then partition) as a Spark schema: Hive types -> Arrow -> Spark."""
    from pyspark.sql.pandas.types import from_arrow_schema
    return from_arrow_schema(table_schema(None, [*scan.columns, *scan.partition_keys]),
                             prefer_timestamp_ntz=True)


def scan_frame(spark, scan: Scan, parallelism: int, counted: bool, reporter=None):
    """A DataFrame of the scan's rows.  `counted`: each task adds its bytes by object to an
    accumulator the caller reads (classic Spark); otherwise (Spark Connect, which has no
    accumulators) each task ends with a row holding only its bytes by object, as JSON, in
    BYTES_COLUMN.  `reporter` (live_bytes.Reporter): where tasks report their bytes so far
    while they read."""
    from pyspark.sql.pandas.types import to_arrow_schema
    from pyspark.sql.types import StringType, StructField, StructType
    schema = spark_schema(scan)
    sizes = [f.obj.size for f in scan.files]
    groups = balanced_groups(sizes, max(parallelism * TASKS_PER_CORE, -(-sum(sizes) // TASK_BYTES)))
    output = schema if counted else StructType([*schema.fields, StructField(BYTES_COLUMN, StringType())])
    job = ReadJob(scan, groups, to_arrow_schema(schema), None, None if counted else BYTES_COLUMN,
                  reporter)
    if counted:
        job.accumulator = spark.sparkContext.accumulator({}, _PerObject())
    tasks = len(groups)            # no files: no task, no rows
    frame = spark.range(0, tasks, 1, max(1, tasks)).mapInArrow(functools.partial(read_tasks, job), output)
    return frame, job


def balanced_groups(sizes: list[int], count: int) -> list[list[int]]:
    """File indexes in `count` groups (fewer if there are fewer files) of similar total size:
    largest first into the lightest group; each group keeps its files in listing order."""
    count = max(1, min(count, len(sizes)))
    groups: list[list[int]] = [[] for _ in range(count)]
    totals = [0] * count
    for i in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        lightest = totals.index(min(totals))
        groups[lightest].append(i)
        totals[lightest] += sizes[i]
    return [sorted(g) for g in groups if g]


def bytes_read(job: "ReadJob") -> dict[str, int]:
    """On the driver: the bytes by object the scan's tasks read (classic Spark)."""
    return job.accumulator.value


def merged(counts) -> dict[str, int]:
    """Bytes by object, merged by the largest: Spark may read an object again (a sort
    samples its input first, a lost executor's tasks are retried, a self-join scans the
    table twice), and an object read twice is still scanned once, as on DuckDB."""
    out: dict[str, int] = {}
    for count in counts:
        for url, n in count.items():
            out[url] = max(out.get(url, 0), n)
    return out


class _PerObject:
    def zero(self, value):
        return {}

    def addInPlace(self, a: dict, b: dict) -> dict:
        return merged([a, b])


@dataclasses.dataclass
class ReadJob:
    """What every task of one scan gets (pickled once per task)."""
    scan: Scan
    groups: list[list[int]]
    schema: pa.Schema                 # the Arrow form of the DataFrame's schema
    accumulator: object               # classic Spark: bytes read by object, merged on the driver
    bytes_column: str | None          # Spark Connect: the column of the bytes row
    reporter: object = None           # live_bytes.Reporter: where to report bytes so far


# ---------------------------------------------------------------- in the executor

_reader = None       # one DuckDB connection per Python worker (Spark reuses workers)


def _local_engine():
    global _reader
    if _reader is None:
        from .. import open_backend
        from ..limits import EngineLimits
        _reader = open_backend("duckdb", EngineLimits(threads=1))    # a Spark task is one core
    return _reader


def read_tasks(job: ReadJob, batches):
    """mapInArrow's function: the input holds the task numbers this partition reads."""
    try:
        for batch in batches:
            for task in batch.column(0).to_pylist():
                scanned = yield from _read_group(job, job.groups[task])
                if job.accumulator is not None:
                    job.accumulator.add(scanned)
                else:
                    yield _bytes_row(job, scanned)
    except ParthenonError as e:
        raise RuntimeError(f"{ERROR_MARK}{type(e).__name__}:{e.message}") from None


def _read_group(job: ReadJob, files: list[int]):
    scan = dataclasses.replace(job.scan, files=[job.scan.files[i] for i in files])
    wanted = columns_read(scan)
    select = ", ".join('"' + name.replace('"', '""') + '"' for name in wanted) or "NULL AS none"
    engine = _local_engine()
    sender = job.reporter.sender() if job.reporter is not None else None
    try:
        with engine.query() as q:
            q.add_scan("scan", scan)
            for batch in q.stream(f'SELECT {select} FROM "scan"'):
                if sender is not None:
                    sender.maybe(lambda: q.bytes_by_object)
                yield _shaped(batch, wanted, job)
            if sender is not None:
                sender.now(lambda: q.bytes_by_object)
            return q.bytes_by_object
    except engine.errors as e:
        raise engine.athena_error(e, "") from None
    finally:
        if sender is not None:
            sender.close()


def columns_read(scan: Scan) -> list[str]:
    """The columns the query may use: the needed data columns, then the partition keys."""
    needed = scan.needed_columns
    return [c.name for c in scan.columns if needed is None or c.name in needed] + \
        [k.name for k in scan.partition_keys]


def _shaped(batch: pa.RecordBatch, wanted: list[str], job: ReadJob) -> pa.RecordBatch:
    """A batch of the DataFrame's Arrow schema: columns read conformed, the others NULL."""
    n = batch.num_rows
    read = dict(zip(wanted, batch.columns)) if wanted else {}
    arrays = [conform(read[f.name], f.type, f.name) if f.name in read else pa.nulls(n, f.type)
              for f in job.schema]
    if job.bytes_column is not None:
        arrays.append(pa.nulls(n, pa.string()))
    return pa.RecordBatch.from_arrays(arrays, schema=_output_schema(job))


def _bytes_row(job: ReadJob, scanned: dict[str, int]) -> pa.RecordBatch:
    arrays = [pa.nulls(1, f.type) for f in job.schema] + [pa.array([json.dumps(scanned)], pa.string())]
    return pa.RecordBatch.from_arrays(arrays, schema=_output_schema(job))


def _output_schema(job: ReadJob) -> pa.Schema:
    if job.bytes_column is None:
        return job.schema
    return job.schema.append(pa.field(job.bytes_column, pa.string()))
