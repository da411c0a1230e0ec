"""Trino's own rules, for every engine: its function catalogue, its types, its names.

``functions``: which names are Trino functions (the guard refuses others) and which
Parthenon runs; ``typing``: the Trino type of every expression of a query;
``naming``: Athena's result column names; ``positions``: line and column of a node;
``comparisons``: the comparisons Trino refuses (text against numbers...) and its NaN rules.
Each engine's translator builds on these (DuckDB's: ``engine/duckdb/trino/``).
"""
from __future__ import annotations

from .functions import (
    SUPPORTED_FUNCTIONS,
    SYNTAX_CLASSES,
    TRINO_FUNCTIONS,
    function_name,
    trino_function_classes,
)
from .naming import name_output_columns
from .positions import position

__all__ = [
    "SUPPORTED_FUNCTIONS",
    "SYNTAX_CLASSES",
    "TRINO_FUNCTIONS",
    "function_name",
    "position",
    "name_output_columns",
    "trino_function_classes",
]
