"""The execution backend: DuckDB now, behind the small interface of `Engine`."""
from .duckdb_engine import Engine

__all__ = ["Engine"]
