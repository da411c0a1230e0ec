"""The scan description shared by formats and the engine."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Callable, Iterable, Iterator

import pyarrow as pa

from ..catalog.hive_types import parse_hive_type
from ..catalog.model import Table
from ..storage import ObjectInfo



@dataclass
class Patched:
    """Bytes as the engine should see them: `data` with same-length `patches` laid over it.

    Patching at read time costs one copy of what is read, where building a
    patched copy of a whole file would cost two more.
    """
    data: bytes
    patches: list[tuple[int, bytes]]     # (offset, replacement), in offset order, not overlapping


# A transform turns an object's stored bytes (and URL, for messages) into what
# the engine reads, e.g. CloudTrail's {"Records": [...]} file into a JSON
# array; None = as stored.
Transform = Callable[[bytes, str], "bytes | Patched"] | None


@dataclass
class ScanFile:
    obj: ObjectInfo
    partition_values: tuple[str, ...] = ()


@dataclass
class ArrowSource:
    """Rows a format produces in Python, for files the engine cannot read itself (ORC, Avro).

    `batches(opened, needed)` gets each file opened through the engine's virtual
    filesystem (so bytes read are counted) with its ScanFile, and the data
    columns the query may use (None = all); it yields batches of `schema`
    (data columns then partition columns), unneeded columns as NULLs.
    """
    schema: pa.Schema
    batches: Callable[[Iterable[tuple[IO[bytes], ScanFile]], "set[str] | None"], Iterator[pa.RecordBatch]]


@dataclass
class Scan:
    """A table's rows as the engine should read them.

    `sql` is an engine query over the placeholder `{files}` (a list literal of
    virtual paths the engine fills in); it yields the table's data columns
    under their Hive names, followed by the partition columns.
    """
    sql: str
    files: list[ScanFile]
    empty_sql: str                      # the same columns, no rows: a scan with no files
    partition_keys: list = field(default_factory=list)   # the table's partition Columns
    transform: Transform = None
    size_of: Callable[[ObjectInfo], int] | None = None   # size the engine sees, if transformed
    extension: str = ""                                   # virtual file suffix: compression by name
    options: dict = field(default_factory=dict)
    # Columnar formats: files are read by byte range and only the ranges read are counted.
    ranged: bool = False
    # A zero-row file in the scan's format, listed first: with union_by_name it gives
    # every table column (by its Hive name) even when no data file has it.
    schema_file: bytes | None = None
    arrow: ArrowSource | None = None          # set: rows come from Python, `sql` is unused
    needed_columns: set[str] | None = None    # set by the planner: data columns the query may use
    # set by the planner: for struct columns, the first-level fields the query reads (None: all)
    needed_fields: dict[str, set[str] | None] = field(default_factory=dict)
    # Formats whose SQL depends on what the query uses:
    # sql_for(needed_columns, needed_fields) replaces `sql`.
    sql_for: Callable[[set[str] | None, dict], str] | None = None
    # Set when the files are the scan cache's (scan_cache/): per file, the stored bytes of the
    # objects it stands for, counted as Data scanned in place of its own bytes.
    cache_for: list[int] | None = None


def empty_sql(table: Table) -> str:
    """A SELECT with the table's columns and types and no rows."""
    cols = ", ".join(f'CAST(NULL AS {parse_hive_type(c.type).duckdb()}) AS "{c.name}"'
                     for c in table.all_columns)
    return f"SELECT {cols} WHERE false"
