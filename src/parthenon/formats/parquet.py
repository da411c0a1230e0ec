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

import io

import pyarrow.parquet as pq

from ..catalog.model import Table
from .arrow_types import table_schema
from .scan import ParquetFiles, Scan, ScanFile


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    return Scan(files=files, columns=table.columns, partition_keys=table.partition_keys,
                reading=ParquetFiles(), ranged=True, schema_file=schema_file(table),
                extension=".parquet")


def schema_file(table: Table) -> bytes:
    """A Parquet file with the table's data columns and no rows."""
    out = io.BytesIO()
    pq.write_table(table_schema(table).empty_table(), out)
    return out.getvalue()


__all__ = ["build_scan", "schema_file"]
