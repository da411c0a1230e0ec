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

from ..catalog.hive_types import HiveType, parse_hive_type
from ..catalog.model import Table
from .arrow_types import table_schema
from .json_records import partition_options
from .scan import Scan, ScanFile, empty_sql


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    select = [f'CAST("{_name(c.name)}" AS {engine_type(parse_hive_type(c.type))}) AS "{_name(c.name)}"'
              for c in table.columns]
    select += [f'"{_name(k.name)}"' for k in table.partition_keys]
    options = ["union_by_name=true", "binary_as_string=false", *partition_options(table)]
    sql = f"SELECT {', '.join(select)} FROM read_parquet({{files}}, {', '.join(options)})"
    return Scan(sql=sql, files=files, empty_sql=empty_sql(table), partition_keys=table.partition_keys,
                ranged=True, schema_file=schema_file(table), extension=".parquet")


def engine_type(htype: HiveType) -> str:
    """The engine type of a Hive type, with Athena's millisecond timestamps."""
    if htype.name == "timestamp":
        return "TIMESTAMP_MS"
    if htype.name == "struct":
        inner = ", ".join(f'"{_name(n)}" {engine_type(t)}' for n, t in htype.fields)
        return f"STRUCT({inner})"
    if htype.name == "array":
        return engine_type(htype.items[0]) + "[]"
    if htype.name == "map":
        return f"MAP({engine_type(htype.items[0])}, {engine_type(htype.items[1])})"
    return htype.duckdb()


def schema_file(table: Table) -> bytes:
    """A Parquet file with the table's data columns and no rows (no row group at all: writing
    a table, even an empty one, makes pyarrow import pandas, 0.2 s on a query's first scan)."""
    out = io.BytesIO()
    pq.ParquetWriter(out, table_schema(table)).close()
    return out.getvalue()


def _name(name: str) -> str:
    return name.replace('"', '""')


__all__ = ["build_scan", "engine_type"]
