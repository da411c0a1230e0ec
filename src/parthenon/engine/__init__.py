"""Execution engines behind one interface, `backend.Backend`.

Each engine lives in its own package (`duckdb/`); nothing outside `engine/`
knows which one runs a query.  `limits` (memory, threads, spill folder per
connection) is shared: every engine gets its budget the same way.
"""
from __future__ import annotations

from .backend import Backend, BackendQuery
from .limits import EngineLimits

DEFAULT = "duckdb"


def open_backend(name: str = DEFAULT, limits: EngineLimits | None = None) -> Backend:
    """A new connection to the named engine, with its limits."""
    if name == "duckdb":
        from .duckdb import DuckDBBackend      # imported here: the planner is imported by it
        return DuckDBBackend(limits)
    raise ValueError(f"Unknown engine '{name}' (known: duckdb)")


__all__ = ["Backend", "BackendQuery", "DEFAULT", "open_backend"]
