"""RegexSerDe (`input.regex`): capture groups are the columns, as Hive's RegexSerDe has them.

The whole line must match (Java's `matches()`); a line that does not is a
row of NULLs.  Column i takes group i: extra groups are ignored, columns
beyond the last group are NULL.  Group text is typed as Hive types text (a
value that does not parse is NULL).  A group that took no part in the match
is NULL, one that matched nothing is '' (see javaregex on how that is told).

The scan is a RegexText reading, compiled by each engine
(engine/duckdb/scans/text.py).
"""
from __future__ import annotations

from ..catalog.model import Table
from ..errors import InvalidDdl, NotSupported
from . import textcast
from .javaregex import JavaRegex
from .scan import RegexText, Scan, ScanFile
from .textlines import header_lines, presenter


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    pattern = table.serde_properties.get("input.regex")
    if pattern is None:
        raise InvalidDdl("This table has no serde property 'input.regex' (required by RegexSerDe)")
    insensitive = table.serde_properties.get("input.regex.case.insensitive", "false").lower() == "true"
    regex = JavaRegex(pattern, case_insensitive=insensitive)
    groups = list(range(1, min(regex.groups, len(table.columns)) + 1))
    return regex_scan(table, files, regex, groups + [None] * (len(table.columns) - len(groups)))


def regex_scan(table: Table, files: list[ScanFile], regex: JavaRegex,
               column_groups: list[int | None]) -> Scan:
    """Columns from capture groups: column_groups[i] is column i's group number (None: always NULL)."""
    for col in table.columns:
        if textcast.column_type(col.type).is_nested:
            raise NotSupported(f"{table.serde.rsplit('.', 1)[-1]} does not allow column {col.name} "
                               f"of type {col.type}: only primitive types")
    io = presenter()
    return Scan(files=files, columns=table.columns, partition_keys=table.partition_keys,
                reading=RegexText(header_lines(table), regex, column_groups),
                transform=io.transform, size_of=io.size_of, extension=".txt")


__all__ = ["build_scan", "regex_scan"]
