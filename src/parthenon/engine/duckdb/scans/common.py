"""Pieces every DuckDB scan uses: literals, names, partition columns, the empty scan."""
from __future__ import annotations

from ....catalog.hive_types import parse_hive_type
from ....catalog.model import Column
from ..types import duckdb_type


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def partition_options(partition_keys: list[Column]) -> list[str]:
    """Partition values reach the engine as key=value folders of the virtual paths."""
    if not partition_keys:
        return []
    types = ", ".join(f"{quote_literal(k.name)}: {quote_literal(duckdb_type(parse_hive_type(k.type)))}"
                      for k in partition_keys)
    return ["hive_partitioning=true", "hive_types={" + types + "}", "hive_types_autocast=false"]


def partition_names(partition_keys: list[Column]) -> list[str]:
    return [quote_name(k.name) for k in partition_keys]


def empty_sql(columns: list[Column]) -> str:
    """A SELECT with the columns and types and no rows."""
    cols = ", ".join(f'CAST(NULL AS {duckdb_type(parse_hive_type(c.type))}) AS "{c.name}"'
                     for c in columns)
    return f"SELECT {cols} WHERE false"
