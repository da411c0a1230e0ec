"""DuckDB's words for numeric failures, in Trino's codes and messages (release 435).

Trino tells two kinds apart: arithmetic that leaves its type's range, and integer casts
that narrow (``CAST(300 AS TINYINT)``), are NUMERIC_VALUE_OUT_OF_RANGE; a cast from a
decimal, a double or text that cannot hold the value (``CAST(DECIMAL '123' AS
DECIMAL(2,1))``, ``CAST(1e20 AS BIGINT)``) is INVALID_CAST_ARGUMENT.  ``engine_words``
tries this table first.
"""
from __future__ import annotations

import re

from ...errors import InvalidCastArgument, NumericValueOutOfRange

_INTEGERS = {"INT8": "tinyint", "INT16": "smallint", "INT32": "integer", "INT64": "bigint",
             "INT128": "decimal(38,0)", "UINT8": "tinyint", "UINT16": "smallint",
             "UINT32": "integer", "UINT64": "bigint", "TINYINT": "tinyint", "SMALLINT": "smallint",
             "INTEGER": "integer", "BIGINT": "bigint", "HUGEINT": "decimal(38,0)"}


# The one integer division that overflows, MIN_VALUE / -1, names its type by its dividend
_MIN_VALUES = {str(-2**63): "bigint", str(-2**31): "integer", str(-2**15): "smallint", str(-2**7): "tinyint"}


def _out_of_range(source: str, value: str, to: str):
    target = _INTEGERS.get(to.upper(), to.lower())
    if source.upper() in _INTEGERS:     # (an INT128 is a sum or a product of integers)
        return NumericValueOutOfRange, f"Out of range for {target}: {value}"
    return InvalidCastArgument, f"Cannot cast '{value}' to {target.upper()}"


def _decimal_type(text: str) -> str:
    m = re.fullmatch(r"DECIMAL\((\d+)(?:,\s*(\d+))?\)", text.strip())
    return f"decimal({m.group(1)},{m.group(2) or 0})" if m else text.lower()


NUMERIC_WORDS = [
    (re.compile(r"NUMERIC_VALUE_OUT_OF_RANGE: (.*)"), lambda m: (NumericValueOutOfRange, m)),
    (re.compile(r'Casting value "(.*?)" to type (DECIMAL\(\d+,\s*\d+\)) failed: value is out of range'),
     lambda value, to: (InvalidCastArgument, f"Cannot cast '{value}' to {_decimal_type(to).upper()}")),
    (re.compile(r"Type (\w+) with value (\S+) can't be cast because the value is out of range for the "
                r"destination type (\w+)"), _out_of_range),
    (re.compile(r"Could not cast value (\S+) to (DECIMAL\(\d+,\s*\d+\))"), lambda value, to: (
        InvalidCastArgument, f"Cannot cast '{value}' to {_decimal_type(to).upper()}")),
    (re.compile(r"Could not convert string \"?'?(.*?)'?\"? to (DECIMAL\(\d+,\s*\d+\))"), lambda value, to: (
        InvalidCastArgument, f"Cannot cast VARCHAR '{value}' to {_decimal_type(to).upper()}")),
    (re.compile(r"Failed to cast decimal value"), lambda: (
        InvalidCastArgument, "Cannot cast decimal value: out of range")),
    (re.compile(r"Overflow in (addition|subtraction|subtract|multiplication) of (DECIMAL\(\d+(?:,\s*\d+)?\))"),
     lambda op, typ: (NumericValueOutOfRange, f"Decimal overflow in {op}")),
    (re.compile(r"Overflow in (addition|subtraction|multiplication) of (\w+) \((.+?)\)!"),
     lambda op, typ, expr: (NumericValueOutOfRange,
                            f"{_INTEGERS.get(typ.upper(), typ.lower())} {op} overflow: {expr}")),
    (re.compile(r"Overflow in division of (-?\d+) / (-?\d+)"), lambda a, b: (
        NumericValueOutOfRange, f"{_MIN_VALUES.get(a, 'bigint')} division overflow: {a} / {b}")),
    (re.compile(r"Overflow on abs\((.+?)\)"), lambda value: (
        NumericValueOutOfRange, f"Value {value} is out of range for abs()")),
    (re.compile(r"Overflow in negation"), lambda: (NumericValueOutOfRange, "Value out of range for negation")),
    (re.compile(r"(?:Overflow|out of range).*(?:SUM|sum)|SUM\(\) overflow"), lambda: (
        NumericValueOutOfRange, "bigint addition overflow")),
]
