"""Execution engines behind one interface, `backend.Backend`.

Each engine lives in its own package (`duckdb/`); nothing outside `engine/`
knows which one runs a query.  `limits` (memory, threads, spill folder per
connection) is shared: every engine gets its budget the same way.
"""
from __future__ import annotations

from .backend import Backend, BackendQuery
from .limits import EngineLimits

DEFAULT = "duckdb"


ENGINES = ("duckdb", "spark")


def open_backend(name: str = DEFAULT, limits: EngineLimits | None = None,
                 spark_master: str | None = None) -> Backend:
    """A new connection to the named engine, with its limits (`spark_master`: local[N],
    spark://host:port or sc://host:port; default local[*])."""
    if name == "duckdb":
        from .duckdb import DuckDBBackend      # imported here: the planner is imported by it
        return DuckDBBackend(limits)
    if name == "spark":
        from .spark import SparkBackend        # PySpark itself is imported when Spark starts
        return SparkBackend(spark_master or "local[*]", limits)
    raise ValueError(f"Unknown engine {name!r} (known: {', '.join(ENGINES)})")


__all__ = ["Backend", "BackendQuery", "DEFAULT", "ENGINES", "open_backend"]
