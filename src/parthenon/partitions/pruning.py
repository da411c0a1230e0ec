"""Partition pruning: which of a table's partitions a query needs.

Pruning keeps the WHERE conjuncts that mention only the table's partition
columns and evaluates them over the partition values with the engine itself,
so LIKE, IN, BETWEEN, casts and functions prune with the query's own
semantics.  Conjuncts that mix in other columns are left to the scan.
"""
from __future__ import annotations

from typing import Callable

import pyarrow as pa
from sqlglot import exp

from ..catalog.hive_types import parse_hive_type
from ..catalog.model import Partition, Table


def pruning_predicates(select: exp.Select | None, table: Table, alias: str,
                       other_aliases: set[str]) -> list[exp.Expression]:
    """WHERE conjuncts of `select` that constrain only `table`'s partition columns."""
    if select is None or not table.partition_keys:
        return []
    where = select.args.get("where")
    if where is None:
        return []
    keys = {k.name for k in table.partition_keys}
    kept = []
    for conjunct in where.this.flatten() if isinstance(where.this, exp.And) else [where.this]:
        if conjunct.find(exp.Select, exp.Subquery) is not None:
            continue
        columns = list(conjunct.find_all(exp.Column))
        if not columns:
            continue
        usable = True
        for col in columns:
            qualifier = col.table.lower() if col.table else None
            if col.name.lower() not in keys:
                usable = False
            elif qualifier is not None and qualifier != alias.lower():
                usable = False
            elif qualifier is None and other_aliases:
                usable = False      # could belong to another table of the join
        if usable:
            kept.append(conjunct)
    return kept


def prune(partitions: list[Partition], table: Table, predicates: list[exp.Expression],
          evaluate: Callable[[str, pa.Table], list[int]], to_sql: Callable[[exp.Expression], str]
          ) -> list[Partition]:
    """The partitions whose values satisfy every predicate."""
    if not predicates or not partitions:
        return partitions
    columns = {k.name: (k.type, [p.values[i] for p in partitions])
               for i, k in enumerate(table.partition_keys)}
    keep = matching_rows(columns, predicates, evaluate, to_sql)
    return [p for i, p in enumerate(partitions) if i in keep]


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
