"""Partition pruning: which of a table's partitions a query needs.

Pruning keeps the WHERE conjuncts that mention only the table's partition
columns and evaluates them over the partition values with the engine itself
(`Backend.matching_partitions`), so LIKE, IN, BETWEEN, casts and functions prune
with the query's own semantics.  Conjuncts that mix in other columns are left to the scan.
"""
from __future__ import annotations

from typing import Callable

from sqlglot import exp

from ..catalog.model import Partition, Table

# The engine's evaluation: ({column: (Hive type, text values)}, predicates) -> positions kept.
MatchingPartitions = Callable[[dict[str, tuple[str, list[str]]], list[exp.Expression]], set[int]]


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
          matching: MatchingPartitions) -> list[Partition]:
    """The partitions whose values satisfy every predicate (`matching`: the engine's
    `Backend.matching_partitions`)."""
    if not predicates or not partitions:
        return partitions
    columns = {k.name: (k.type, [p.values[i] for p in partitions])
               for i, k in enumerate(table.partition_keys)}
    keep = matching(columns, predicates)
    return [p for i, p in enumerate(partitions) if i in keep]
