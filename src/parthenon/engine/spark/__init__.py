"""The Spark backend (`parthenon[spark]`): the same catalog, DDL and Athena SQL on Spark.

- `connection.py`: sessions on `local[N]`, `spark://` standalone clusters, `sc://` Connect;
- `reading.py`: tables as DataFrames, decoded in the executors by Parthenon's readers;
- `standalone.py`: a standalone cluster or a Connect server on loopback, from PySpark's jars;
- `translate.py`, `functions.py`, `types.py`: Athena SQL -> Spark SQL with Trino's semantics;
- `native.py`: Spark's own Parquet reader, for S3A users (`spark.parthenon.reader=spark`);
- `results.py`: results streamed back as Arrow batches, and their cancel;
- `backend.py`: the Backend protocol (scans, results, bytes, interrupt);
- `errors.py`, `sql_errors.py`: Spark's failures as Athena's errors.
"""
from .backend import SparkBackend

__all__ = ["SparkBackend"]
