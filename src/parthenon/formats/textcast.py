"""Text to typed values as Hive's text SerDes do it: a value that does not parse is NULL.

The engine's casts are more lenient than Hive's (it reads '1.5' as the
integer 2, '1e3' as 1000, 't' as true), so integers and booleans are checked
first; the other types use the engine's TRY_CAST, whose accepted forms are
close to Hive's (Hive accepts 'NaN' and 'Infinity' for doubles too).
"""
from __future__ import annotations

from ..catalog.hive_types import HiveType, parse_hive_type

_INTEGERS = {"tinyint", "smallint", "int", "integer", "bigint"}
_STRINGS = {"string", "varchar", "char"}


def is_string(htype: HiveType) -> bool:
    return htype.name in _STRINGS


def primitive(expr: str, htype: HiveType) -> str:
    """SQL turning the VARCHAR `expr` (NULL stays NULL) into `htype`."""
    name = htype.name
    if name == "string":
        return expr
    if name in ("varchar", "char"):
        return f"left({expr}, {htype.params[0]})" if htype.params else expr
    if name in _INTEGERS:
        return (f"CASE WHEN ltrim({expr}, '+-0123456789') = '' "
                f"THEN TRY_CAST({expr} AS {htype.duckdb()}) END")
    if name == "boolean":
        return f"CASE lower({expr}) WHEN 'true' THEN true WHEN 'false' THEN false END"
    if name == "binary":
        return f"encode({expr})"
    if htype.is_nested:
        raise ValueError(f"not a primitive type: {htype.hive()}")
    return f"TRY_CAST({expr} AS {htype.duckdb()})"


def column_type(text: str) -> HiveType:
    return parse_hive_type(text)


__all__ = ["column_type", "is_string", "primitive"]
