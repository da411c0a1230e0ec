"""Trino's multi-row query tests (io/trino/sql/query), one file per test class.

The file format is in README.md here.  ``load_queries`` reads every ``<Class>.txt``;
``known_gaps`` reads ``gaps.txt``; ``run_query`` gives a query's rows as Athena's text
(or ``ERROR <CODE>``) and its column types, so a case compares literal text, never a
relation Parthenon evaluated itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent


@dataclass
class Query:
    klass: str
    line: int
    sql: str = ""
    types: list[str] | None = None       # None: not asserted
    rows: list[tuple[str, ...]] = field(default_factory=list)
    error: str | None = None
    ordered: bool = False

    @property
    def id(self) -> str:
        return f"{self.klass}:{self.line}"


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n")


def _split_types(text: str) -> list[str]:
    """``integer, map(integer, array(integer))`` -> its two types (commas in parentheses
    belong to a type: output's own splitter of a type's parameters)."""
    from parthenon.output import type_parts as _parts

    return _parts(f"row({text})")[1]


def load_queries() -> list[Query]:
    queries = []
    for path in sorted(HERE.glob("Test*.txt")):
        current = None
        for number, raw in enumerate(path.read_text().splitlines(), start=1):
            line = raw.rstrip()
            if not line or line.startswith("#"):
                current = None if not line else current
                continue
            key, _, value = line.partition(": ")
            if key == "SQL":
                current = Query(path.stem, number, sql=_unescape(value))
                queries.append(current)
            elif current is None:
                raise ValueError(f"{path.name}:{number}: a line outside a case")
            elif key == "TYPES":
                current.types = None if value == "*" else _split_types(value)
            elif key == "ROW":
                current.rows.append(tuple(value.split("\t")))
            elif key == "ERROR":
                current.error = f"ERROR {value}"
            elif line == "ORDERED":
                current.ordered = True
            elif key != "VALUES":
                raise ValueError(f"{path.name}:{number}: unknown line {line!r}")
    return queries


def known_gaps() -> dict[str, str]:
    """SQL -> reason of the cases DuckDB does not pass yet (strict xfail)."""
    gaps = {}
    for line in (HERE / "gaps.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            sql, _, reason = line.partition("\t")
            gaps[_unescape(sql)] = reason or "known gap"
    return gaps


def run_query(connection, sql: str):
    """(rows as tuples of Athena text, 'NULL' for null; column types) or
    (``ERROR <CODE>``, None)."""
    from parthenon.errors import ParthenonError
    from parthenon.output import athena_text

    cursor = connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    except ParthenonError as e:
        return f"ERROR {e.code}", None
    types = [d[1] for d in cursor.description]
    text = [tuple("NULL" if (t := athena_text(v, typ)) is None else t
                  for v, typ in zip(row, types)) for row in rows]
    return text, types
