"""Text to typed values as Hive's text SerDes do it: a value that does not parse is NULL.

Each engine compiles the casts (engine/duckdb/scans/text.py `primitive`); the
rules: STRING as read, VARCHAR(n)/CHAR(n) cut to n, integers only from digits with
an optional sign, BOOLEAN from 'true'/'false' in any case, BINARY from the text's
bytes, other types as the engine casts text (close to Hive's forms).
"""
from __future__ import annotations

from ..catalog.hive_types import HiveType, parse_hive_type

INTEGERS = {"tinyint", "smallint", "int", "integer", "bigint"}
STRINGS = {"string", "varchar", "char"}


def is_string(htype: HiveType) -> bool:
    return htype.name in STRINGS


def column_type(text: str) -> HiveType:
    return parse_hive_type(text)


__all__ = ["INTEGERS", "STRINGS", "column_type", "is_string"]
