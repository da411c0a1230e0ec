"""Hive column types as DuckDB types (the type model is catalog.hive_types)."""
from __future__ import annotations

from ...catalog.hive_types import HiveType, parse_hive_type

_DUCKDB_PRIMITIVES = {
    "string": "VARCHAR", "varchar": "VARCHAR", "char": "VARCHAR",
    "boolean": "BOOLEAN", "tinyint": "TINYINT", "smallint": "SMALLINT",
    "int": "INTEGER", "integer": "INTEGER", "bigint": "BIGINT",
    "float": "FLOAT", "real": "FLOAT", "double": "DOUBLE",
    "date": "DATE", "timestamp": "TIMESTAMP", "binary": "BLOB",
}


def duckdb_type(htype: HiveType, field_name=lambda path, name: name, path: tuple[str, ...] = ()) -> str:
    """The engine type; field_name(path, name) may respell struct fields (JSON key case)."""
    if htype.name == "struct":
        inner = ", ".join(
            f'"{field_name(path, n)}" {duckdb_type(t, field_name, (*path, n))}' for n, t in htype.fields)
        return f"STRUCT({inner})"
    if htype.name == "array":
        return duckdb_type(htype.items[0], field_name, path) + "[]"
    if htype.name == "map":
        return f"MAP({duckdb_type(htype.items[0])}, {duckdb_type(htype.items[1], field_name, path)})"
    if htype.name == "decimal":
        p, s = (htype.params + [10, 0])[:2] if htype.params else (10, 0)
        return f"DECIMAL({p},{s})"
    return _DUCKDB_PRIMITIVES[htype.name]


def hive_duckdb(text: str) -> str:
    """The DuckDB type of a column's Hive type text."""
    return duckdb_type(parse_hive_type(text))
