"""Parquet scans in DuckDB SQL: read_parquet with union_by_name, the schema file first.

DuckDB's `union_by_name` matches the table's columns by name once every table
column exists in some file: the scan lists first the zero-row schema file
(Scan.schema_file), so names, order and struct fields come from it and each file
contributes the columns it has.  The result is cast to the table's types (Hive
timestamps are milliseconds in Athena; INT96 timestamps arrive as engine
timestamps and are cast the same way).
"""
from __future__ import annotations

from ....catalog.hive_types import HiveType, parse_hive_type
from ....formats.scan import ParquetFiles, Scan
from ..types import duckdb_type
from .common import partition_options


def parquet_sql(scan: Scan, reading: ParquetFiles) -> str:
    select = [f'CAST("{_name(c.name)}" AS {engine_type(parse_hive_type(c.type))}) AS "{_name(c.name)}"'
              for c in scan.columns]
    select += [f'"{_name(k.name)}"' for k in scan.partition_keys]
    options = ["union_by_name=true", "binary_as_string=false", *partition_options(scan.partition_keys)]
    return f"SELECT {', '.join(select)} FROM read_parquet({{files}}, {', '.join(options)})"


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
    return duckdb_type(htype)


def _name(name: str) -> str:
    return name.replace('"', '""')
