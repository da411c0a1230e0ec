"""The Spark backend (`parthenon[spark]`): the same catalog, DDL and Athena SQL on Spark.

- `connection.py`: sessions on `local[N]`, `spark://` standalone clusters, `sc://` Connect;
- `reading.py`: tables as DataFrames, decoded in the executors by Parthenon's readers;
- `translate.py`: Athena SQL -> Spark SQL;
- `backend.py`: the Backend protocol (scans, Arrow results, bytes, interrupt);
- `errors.py`: Spark's failures as Athena's errors.
"""
from .backend import SparkBackend

__all__ = ["SparkBackend"]
