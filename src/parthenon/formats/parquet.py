"""Parquet: `STORED AS PARQUET` / ParquetHiveSerDe, read by the engine's own Parquet reader.

Athena maps table columns to Parquet columns by name, case-insensitively; a
column (or struct field) missing from a file reads as NULL.  The engine's
`union_by_name` does exactly that once every table column exists in some
file, so the scan lists first a zero-row Parquet file holding the table's
schema under its Hive names: names, order and struct fields come from it,
and each file contributes the columns it has.  The result is cast to the
table's types (Hive timestamps are milliseconds in Athena; INT96 timestamps
arrive as engine timestamps and are cast the same way).

Files are read by byte range: the engine reads the footer and then only the
column chunks (and row groups) the query needs, and only those bytes count
as scanned.
"""
from __future__ import annotations

import functools
import io

import pyarrow as pa
import pyarrow.parquet as pq

from ..catalog.model import Table
from ..catalog.hive_types import parse_hive_type
from .arrow_types import arrow_type
from .scan import ParquetFiles, Scan, ScanFile


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    return Scan(files=files, columns=table.columns, partition_keys=table.partition_keys,
                reading=ParquetFiles(), ranged=True, schema_file=schema_file(table),
                extension=".parquet")


def schema_file(table: Table) -> bytes:
    """A Parquet file with the table's data columns and no rows."""
    return _schema_file(tuple((c.name, c.type) for c in table.columns))


@functools.lru_cache(maxsize=256)
def _schema_file(columns: tuple[tuple[str, str], ...]) -> bytes:
    """Made once per schema (a few milliseconds each query otherwise), with no row group at
    all: writing a table, even an empty one, makes pyarrow import pandas, 0.2 s on a
    process's first scan."""
    schema = pa.schema([pa.field(name, arrow_type(parse_hive_type(htype))) for name, htype in columns])
    out = io.BytesIO()
    pq.ParquetWriter(out, schema).close()
    return out.getvalue()


__all__ = ["build_scan", "schema_file"]
