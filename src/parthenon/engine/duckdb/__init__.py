"""Everything DuckDB-specific: the backend, its virtual filesystem, its SQL and its errors.

`backend.DuckDBBackend` implements `engine.backend.Backend`; `virtual_fs` (with
`ranged`) serves the planned files to DuckDB and counts the bytes read; `errors`
maps DuckDB's errors to Athena's; `partitions` evaluates partition predicates;
`isolated` runs one guarded query over Arrow tables in a DuckDB of its own.
"""
from .backend import DuckDBBackend

__all__ = ["DuckDBBackend"]
