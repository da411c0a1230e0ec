"""Partition predicates evaluated by DuckDB over the candidate partitions' values.

The values go in as list parameters, not as a registered Arrow table: DuckDB imports
pandas on its first Arrow object (0.2 s, on a process's first pruned query) to tell
DataFrames apart, and nothing else in a query needs it."""
from __future__ import annotations

from typing import Callable

from sqlglot import exp

from .types import hive_duckdb


def matching_rows(columns: dict[str, tuple[str, list[str]]], predicates: list[exp.Expression],
                  evaluate: Callable[[str, list], list[int]],
                  to_sql: Callable[[exp.Expression], str]) -> set[int]:
    """Positions of the candidate rows (text values, cast to each column's Hive type)
    that satisfy every predicate, evaluated by the engine with the query's own semantics."""
    count = len(next(iter(columns.values()))[1])
    # one list a column, unnested side by side: row k holds every column's k-th value
    values = [list(range(count))] + [vals for _, vals in columns.values()]
    lists = ", ".join(["unnest($1::BIGINT[]) AS __i"] + [
        f'unnest(${i}::VARCHAR[]) AS "{_quoted(n)}"' for i, n in enumerate(columns, 2)])
    typed = ", ".join(f'TRY_CAST("{_quoted(n)}" AS {hive_duckdb(t)}) AS "{_quoted(n)}"'
                      for n, (t, _) in columns.items())
    conditions = []
    for pred in predicates:
        pred = pred.copy()
        for col in pred.find_all(exp.Column):
            col.set("table", None)
        conditions.append(f"({to_sql(pred)})")
    sql = (f'SELECT __i FROM (SELECT __i, {typed} FROM (SELECT {lists})) '
           f'WHERE {" AND ".join(conditions)}')
    return set(evaluate(sql, values))


def _quoted(name: str) -> str:
    return name.replace('"', '""')
