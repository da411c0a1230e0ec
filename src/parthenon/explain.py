"""EXPLAIN [ANALYZE [VERBOSE]] [( option [, ...] )] query, in Trino's statement forms.

Options: FORMAT TEXT (the only format given; GRAPHVIZ and JSON are refused) and TYPE
LOGICAL | DISTRIBUTED (the same plan: Parthenon runs on one machine) | VALIDATE (a
single row `Valid` = true once the query is analysed, nothing read).  TYPE IO is refused.

The answer has Athena's shape: one column `Query Plan`, one row holding the whole text.
The text is Parthenon's own plan, not Trino's fragments: each table scan (its files,
partitions and stored bytes, after partition pruning), then the engine's physical plan.
EXPLAIN reads no data; EXPLAIN ANALYZE runs the query and adds what each step did (rows,
time) and the data scanned, which is billed as the query would be.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import NotSupported, SqlSyntaxError

_FORM = re.compile(r"^\s*EXPLAIN\s+(?P<analyze>ANALYZE\s+(?:VERBOSE\s+)?)?"
                   r"(?:\((?P<options>[^)]*)\)\s*)?(?P<query>.*?)\s*;?\s*$", re.I | re.S)
_OPTION = re.compile(r"^\s*(FORMAT|TYPE)\s+(\w+)\s*$", re.I)


@dataclass(frozen=True)
class Explain:
    analyze: bool
    type: str          # LOGICAL | DISTRIBUTED | VALIDATE
    query: str         # the explained statement's text


def read(text: str) -> Explain:
    m = _FORM.match(text)
    if m is None or not m.group("query"):
        raise SqlSyntaxError("EXPLAIN needs a statement: EXPLAIN [ANALYZE] [(options)] query")
    kind, fmt = "DISTRIBUTED", "TEXT"
    for option in filter(str.strip, (m.group("options") or "").split(",")):
        o = _OPTION.match(option)
        if o is None:
            raise SqlSyntaxError(f"Invalid EXPLAIN option: {option.strip()} (use FORMAT TEXT or "
                                 "TYPE LOGICAL | DISTRIBUTED | VALIDATE)")
        if o.group(1).upper() == "FORMAT":
            fmt = o.group(2).upper()
        else:
            kind = o.group(2).upper()
    if fmt != "TEXT":
        raise NotSupported(f"EXPLAIN (FORMAT {fmt}) is not supported: Parthenon gives FORMAT TEXT")
    if kind not in ("LOGICAL", "DISTRIBUTED", "VALIDATE"):
        raise NotSupported(f"EXPLAIN (TYPE {kind}) is not supported: use LOGICAL, DISTRIBUTED "
                           "or VALIDATE")
    if m.group("analyze") and kind == "VALIDATE":
        raise NotSupported("EXPLAIN ANALYZE cannot be combined with TYPE VALIDATE")
    # the query keeps its place in the text, so that errors give its line:column in the statement
    lead = re.sub(r"[^\n]", " ", text[:m.start("query")])
    return Explain(bool(m.group("analyze")), kind, lead + m.group("query"))


def plan_text(scans: list[tuple[str, int, int, int]], engine_plan: str, scanned: int | None) -> str:
    """`scans`: (table, files, partitions, stored bytes) per table scan, in query order."""
    lines = ["Parthenon plan (one machine; the engine's physical plan follows)"]
    for i, (table, files, parts, size) in enumerate(scans, start=1):
        where = f" in {parts} partition{'s' if parts != 1 else ''}" if parts else ""
        lines.append(f"  Scan {i}: {table}: {files} file{'s' if files != 1 else ''}{where}, "
                     f"{size} bytes stored")
    if scanned is not None:
        lines.append(f"  Data scanned: {scanned} bytes")
    return "\n".join(lines) + "\n\n" + engine_plan.rstrip("\n")
