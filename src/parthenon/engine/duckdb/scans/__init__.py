"""Scan descriptions (formats.scan) compiled to DuckDB SQL.

`scan_sql(scan)` is a query over the placeholder `{files}` (a list literal of the
virtual paths the backend fills in) yielding the table's data columns under their
Hive names, then its partition columns; with no files, `empty_sql(scan)` gives the
same columns and no rows.  Python-made rows (ArrowSource) are registered as an
Arrow stream by the backend instead.
"""
from __future__ import annotations

from ....formats.scan import (CachedRows, CsvRecords, DelimitedText, JsonRecords, ParquetFiles,
                              RegexText, Scan)
from .cached import cached_sql
from .common import empty_sql as _empty_sql
from .json import csv_sql, json_sql
from .parquet import parquet_sql
from .text import delimited_sql, regex_sql

_COMPILERS = {DelimitedText: delimited_sql, RegexText: regex_sql, JsonRecords: json_sql,
              CsvRecords: csv_sql, ParquetFiles: parquet_sql, CachedRows: cached_sql}


def scan_sql(scan: Scan) -> str:
    return _COMPILERS[type(scan.reading)](scan, scan.reading)


def empty_sql(scan: Scan) -> str:
    return _empty_sql([*scan.columns, *scan.partition_keys])


__all__ = ["empty_sql", "scan_sql"]
