"""What Parthenon asks of an execution engine: the `Backend` protocol.

The session, planner and service talk to an engine only through this interface
(in the spirit of Ibis's backends: one small surface, each engine behind it in
its own package, `engine/duckdb/`, `engine/spark/`).  Everything above it is
engine-neutral: the catalog, the formats' scan descriptions, the Trino AST of
the query.  A backend owns what its engine needs: its SQL dialect, how a scan
becomes something it can read, its error texts and how to stop it.

One query runs as:

    with backend.query() as q:                 # one query at a time per backend
        q.add_scan("__scan_1", scan)           # each planned table, as a formats.scan.Scan
        translation = backend.translate(ast, schema)
        reader = q.stream(translation.sql)     # Arrow batches, read inside the block
        ...                                    # q.bytes_scanned: Athena's Data scanned

and any exception in `backend.errors` raised on the way is turned into the
error Athena gives with `backend.athena_error(e, text)`.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import pyarrow as pa
from sqlglot import exp

from ..errors import ParthenonError

if TYPE_CHECKING:
    from ..formats.scan import Scan

# A partition column's values for pruning: name -> (Hive type, candidate values as text).
PartitionColumns = dict[str, tuple[str, list[str]]]


@dataclass
class Translation:
    """A query in the engine's SQL, and the Trino type of each output column (when known).
    `before`: work the engine does inside the query, after its scans are added and before
    `sql` runs (each called with the BackendQuery); it may set `sql` and `types` (DuckDB's
    MATCH_RECOGNIZE runs its input first, engine/duckdb/match_recognize.py)."""
    sql: str
    types: list[str | None] = field(default_factory=list)
    before: list = field(default_factory=list)
    # Trino's output names where evident (a name repeats where the sources repeat it),
    # for a result whose engine renamed a repeated name (sql/trino/star_names)
    names: list[str] | None = None


@runtime_checkable
class BackendQuery(Protocol):
    """One query's scans, result stream and statistics (valid inside `Backend.query()`)."""

    def add_scan(self, name: str, scan: "Scan") -> None:
        """Make the scan's files readable by the engine as the relation `name`."""

    def stream(self, sql: str) -> pa.RecordBatchReader:
        """Run engine SQL (from `Backend.translate`); its rows as Arrow batches, produced
        as they are read.  Failures while reading raise the same errors as starting."""

    @property
    def bytes_scanned(self) -> int:
        """Stored bytes read so far by this query's scans (Athena's Data scanned); a scan of
        scan-cache files (Scan.cache_for) counts the objects they stand for."""

    @property
    def source_bytes(self) -> int:
        """Of bytes_scanned, those read from the tables' storage."""

    @property
    def cache_bytes(self) -> int:
        """Bytes of scan-cache files read (not part of bytes_scanned)."""

    @property
    def bytes_by_object(self) -> dict[str, int]:
        """bytes_scanned by object URL: what an engine running several readers (Spark's
        tasks) merges, each object counted once however many scans or retries read it."""


@runtime_checkable
class Backend(Protocol):
    """An execution engine for Athena queries.  Not thread-safe except `interrupt` and
    `scanned_so_far`, which another thread calls while a query runs."""

    name: str                                   # "duckdb", "spark"
    errors: tuple[type[BaseException], ...]     # what the engine raises; see athena_error

    def translate(self, ast: exp.Expression, schema: dict, *,
                  zoned_as_instant: bool = False) -> Translation:
        """The engine's SQL for a planned Athena (Trino) query AST, with Trino's semantics,
        and the Trino types of its output columns.  `schema`: the Trino types of the scans'
        columns ({scan name: {column: DataType}}).  `zoned_as_instant`: zoned timestamps
        leave as the engine's instant type (for writers) rather than Trino's text.
        Raises ParthenonError (NOT_SUPPORTED...) for what it cannot run faithfully."""

    def query(self) -> AbstractContextManager[BackendQuery]:
        """Hold the engine for one query; scans registered in it are dropped at the end."""

    def matching_partitions(self, columns: PartitionColumns,
                            predicates: list[exp.Expression]) -> set[int]:
        """Positions of the candidate partitions whose values (text, read as each column's
        Hive type) satisfy every predicate (Trino ASTs over those columns), evaluated with
        the query's own semantics."""

    def athena_error(self, error: BaseException, text: str) -> ParthenonError:
        """The Athena error a user gets for an engine failure (one of `errors`) while
        running the statement `text` (used to point at line and column)."""

    def interrupt(self) -> None:
        """Cancel the running query; safe from any thread, harmless when idle."""

    def scanned_so_far(self) -> int | None:
        """Bytes the running query has read until now; None when idle."""

    def close(self) -> None:
        """Release the engine and anything it keeps on disk."""
