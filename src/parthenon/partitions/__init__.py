"""Partitions: which of a table's partitions a query needs, and where they come from.

`pruning` keeps the partitions whose values satisfy the query's predicates;
`projection` computes partitions from table properties (partition
projection) instead of the catalog; `discovery` finds key=value folders for
MSCK REPAIR TABLE.
"""
from __future__ import annotations

from . import projection
from .pruning import prune, pruning_predicates

__all__ = ["projection", "prune", "pruning_predicates"]
