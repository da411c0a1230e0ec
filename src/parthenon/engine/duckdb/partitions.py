"""Partition predicates evaluated by DuckDB over the candidate partitions' values."""
from __future__ import annotations

from typing import Callable

import pyarrow as pa
from sqlglot import exp

from ...catalog.hive_types import parse_hive_type


def matching_rows(columns: dict[str, tuple[str, list[str]]], predicates: list[exp.Expression],
                  evaluate: Callable[[str, pa.Table], list[int]],
                  to_sql: Callable[[exp.Expression], str]) -> set[int]:
    """Positions of the candidate rows (text values, cast to each column's Hive type)
    that satisfy every predicate, evaluated by the engine with the query's own semantics."""
    count = len(next(iter(columns.values()))[1])
    values = pa.table({"__i": list(range(count)), **{n: vals for n, (_, vals) in columns.items()}})
    typed = ", ".join(f'TRY_CAST("{n}" AS {parse_hive_type(t).duckdb()}) AS "{n}"'
                      for n, (t, _) in columns.items())
    conditions = []
    for pred in predicates:
        pred = pred.copy()
        for col in pred.find_all(exp.Column):
            col.set("table", None)
        conditions.append(f"({to_sql(pred)})")
    sql = (f'SELECT __i FROM (SELECT __i, {typed} FROM __partitions) '
           f'WHERE {" AND ".join(conditions)}')
    return set(evaluate(sql, values))
