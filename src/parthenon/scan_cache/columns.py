"""What a cache entry keeps of an object's columns: whole columns, or some first-level
fields of a struct column.

An entry keeps what the query that decoded it read, no more: a struct column the query
reads a field or two of (`useridentity.arn`) is decoded and kept with those fields only.
Decoding and writing CloudTrail's whole `useridentity` for the seed query made its first
run 2.1x a run without the cache; its fields alone, 1.5x.  A later query wanting more
decodes the object again with the union of both (an entry only ever grows).

Kept columns are names: `c` for the whole column, `c.f` for field f of struct column c
(Hive column names hold no dots).
"""
from __future__ import annotations

from ..catalog.hive_types import parse_hive_type
from ..catalog.model import Table
from ..formats.scan import Scan, only_fields


def wanted(table: Table, scan: Scan) -> frozenset[str]:
    """What the scan's query reads of the table's data columns (Scan.needed_columns,
    needed_fields), as kept names; a count(*) wants one column for the row count."""
    names = set(scan.needed_columns) if scan.needed_columns is not None else {c.name for c in table.columns}
    names = names or {table.columns[0].name}
    out: set[str] = set()
    for c in table.columns:
        if c.name not in names:
            continue
        htype = parse_hive_type(c.type)
        cut = only_fields(htype, scan.needed_fields.get(c.name))
        if cut is htype or len(cut.fields) == len(htype.fields):
            out.add(c.name)
        else:
            out.update(f"{c.name}.{n}" for n, _ in cut.fields)
    return frozenset(out)


def covers(kept: frozenset[str], want: frozenset[str]) -> bool:
    """Whether an entry keeping `kept` has all of `want`."""
    return all(w in kept or w.split(".", 1)[0] in kept for w in want)


def merged(table: Table, a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    """Both, a whole column standing for any of its fields (and every field of a struct
    for the whole column)."""
    both = set(a | b)
    for column, names in struct_fields(frozenset(both)).items():
        htype = next((parse_hive_type(c.type) for c in table.columns if c.name == column), None)
        if htype is not None and {n for n, _ in htype.fields} <= names:
            both.add(column)
    return frozenset(w for w in both if "." not in w or w.split(".", 1)[0] not in both)


def column_names(kept: frozenset[str]) -> set[str]:
    return {w.split(".", 1)[0] for w in kept}


def struct_fields(kept: frozenset[str]) -> dict[str, set[str]]:
    """The struct columns kept in part, with their fields (Scan.needed_fields' form)."""
    fields: dict[str, set[str]] = {}
    for w in kept:
        if "." in w:
            column, name = w.split(".", 1)
            fields.setdefault(column, set()).add(name)
    return fields
