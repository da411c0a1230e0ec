"""Spark's own Parquet reader, for those who have S3A: `spark.parthenon.reader=spark`.

By default every table is read by Parthenon's readers in the executors (`reading.py`).
With this Spark setting, Parquet tables are read by Spark itself instead: the planned files
(`s3://` named `s3a://`, which needs `hadoop-aws` and its SDK on the classpath; local files
as they are), columns by name case-insensitively and missing ones NULL, as Athena does,
partition values from the plan.  Data scanned is then the planned files' stored size, an
upper bound of what Spark reads (it fetches only the columns used).  Other formats have no
Spark reader with Athena's SerDe semantics and always use Parthenon's.
"""
from __future__ import annotations

from ...formats.scan import ParquetFiles, Scan

READER_KEY = "spark.parthenon.reader"


def wants_native(spark, scan: Scan) -> bool:
    try:
        chosen = spark.conf.get(READER_KEY, "parthenon")
    except Exception:       # noqa: BLE001 - a Connect server without the key
        chosen = "parthenon"
    return chosen == "spark" and isinstance(scan.reading, ParquetFiles) and bool(scan.files)


def native_frame(spark, scan: Scan, schema):
    """The scan as Spark's Parquet reader reads it: one read per partition, unioned."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructType
    data = StructType([f for f in schema.fields if f.name not in {k.name for k in scan.partition_keys}])
    by_partition: dict[tuple, list[str]] = {}
    for f in scan.files:
        url = "s3a://" + f.obj.url[len("s3://"):] if f.obj.url.startswith("s3://") else f.obj.url
        by_partition.setdefault(f.partition_values, []).append(url)
    frame = None
    for values, paths in by_partition.items():
        part = spark.read.schema(data).parquet(*paths)
        for key, value in zip(scan.partition_keys, values):
            part = part.withColumn(key.name, F.lit(value).cast(schema[key.name].dataType))
        frame = part if frame is None else frame.unionByName(part)
    return frame.select(*[f.name for f in schema.fields])


def planned_bytes(scan: Scan) -> dict[str, int]:
    """The planned files' stored sizes, by object."""
    return {f.obj.url: f.obj.size for f in scan.files}
