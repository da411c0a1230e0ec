"""Scan-cache files (formats.scan.CachedRows) in DuckDB SQL.

The files hold what the table's own scan produced, so each column is cast to the same
engine type that scan gives it (a no-op but for what the Parquet round trip changed);
columns the files do not keep are NULLs of that type.  Struct columns are cut to the
fields the query reads, as the JSON scan cuts them.
"""
from __future__ import annotations

from ....catalog.hive_types import parse_hive_type
from ....formats.scan import CACHE_OBJECT_ID, CachedRows, Scan, only_fields
from ..types import duckdb_type
from .common import partition_options, quote_name


def cached_sql(scan: Scan, reading: CachedRows) -> str:
    select = []
    for c in scan.columns:
        value = quote_name(c.name) if reading.kept is None or c.name in reading.kept else "NULL"
        # a struct as the table's own scan types it: the fields the query reads (files may
        # keep more, scan_cache.columns; the engine unions their fields, the cast picks them)
        htype = only_fields(parse_hive_type(c.type), scan.needed_fields.get(c.name))
        select.append(f"CAST({value} AS {duckdb_type(htype)}) AS {quote_name(c.name)}")
    select += [quote_name(k.name) for k in scan.partition_keys]
    options = ["union_by_name=true", "binary_as_string=false", *partition_options(scan.partition_keys)]
    sql = f"SELECT {', '.join(select)} FROM read_parquet({{files}}, {', '.join(options)})"
    if reading.objects is not None:
        ids = ", ".join(str(o) for o in sorted(reading.objects))
        sql += f" WHERE {quote_name(CACHE_OBJECT_ID)} IN ({ids})"
    return sql
