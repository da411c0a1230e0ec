"""RegexSerDe (`input.regex`): capture groups are the columns, as Hive's RegexSerDe has them.

The whole line must match (Java's `matches()`); a line that does not is a
row of NULLs.  Column i takes group i: extra groups are ignored, columns
beyond the last group are NULL.  Group text is typed as Hive types text (a
value that does not parse is NULL).  A group that took no part in the match
is NULL, one that matched nothing is '' (see javaregex on how that is told).

One regex evaluation per line does the work: the pattern is wrapped in an
extra group spanning the whole line, which is non-empty exactly when a
non-empty line matched.
"""
from __future__ import annotations

from ..catalog.model import Table
from ..errors import InvalidDdl, NotSupported
from . import textcast
from .javaregex import JavaRegex
from .scan import Scan, ScanFile, empty_sql
from .textlines import lines_sql, presenter, quote_literal as lit, quote_name


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
    names = ", ".join(lit(f"g{i}") for i in range(regex.groups + 1))
    whole = regex.wrap(f"({regex.body()})")
    ok = [f"(m.g0 <> '' OR (line = '' AND regexp_full_match(line, {lit(regex.full)})))"]
    for must_match, prefix in regex.lookaheads:
        ok.append(f"{'' if must_match else 'NOT '}regexp_matches(line, {lit(prefix)})")
    keys = "".join(f", {quote_name(k.name)}" for k in table.partition_keys)
    select = []
    for col, group in zip(table.columns, column_groups):
        htype = textcast.column_type(col.type)
        if group is None:
            select.append(f"CAST(NULL AS {htype.duckdb()}) AS {quote_name(col.name)}")
            continue
        took_part = ["ok"]
        if textcast.is_string(htype):
            musts, nots = regex.participation(group)
            took_part += [f"regexp_matches(line, {lit(r)})" for r in musts]
            took_part += [f"NOT regexp_matches(line, {lit(r)})" for r in nots]
        value = textcast.primitive(f'm."g{group}"', htype)
        select.append(f"CASE WHEN {' AND '.join(took_part)} THEN {value} END AS {quote_name(col.name)}")
    select += [quote_name(k.name) for k in table.partition_keys]
    matched = (f"SELECT line, m, {' AND '.join(ok)} AS ok{keys} FROM "
               f"(SELECT line, regexp_extract(line, {lit(whole)}, [{names}]) AS m{keys} "
               f"FROM ({lines_sql(table)}))")
    io = presenter()
    return Scan(sql=f"SELECT {', '.join(select)} FROM ({matched})", files=files,
                empty_sql=empty_sql(table), partition_keys=table.partition_keys,
                transform=io.transform, size_of=io.size_of, extension=".txt")


__all__ = ["build_scan", "regex_scan"]
