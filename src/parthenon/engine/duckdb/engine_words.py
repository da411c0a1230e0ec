"""DuckDB's words for failures Trino names otherwise: (pattern, Athena error, Trino's message).

Used by ``errors.engine_error`` after its own table; a failure matched nowhere keeps
DuckDB's message under GENERIC_INTERNAL_ERROR, its category word ("Binder Error")
removed.  Trino's messages are those of its operators and analyzer (release 435).
"""
from __future__ import annotations

import re

from .numeric_errors import NUMERIC_WORDS
from ...errors import (FunctionNotFound, InvalidCastArgument, InvalidColumnReference,
                       InvalidFunctionArgument, MismatchedSetColumnTypes, NestedAggregation,
                       ColumnNotFound, ExpressionNotScalar,
                       SqlSyntaxError, TypeMismatch)

_SCALARS = {"INT8": "tinyint", "TINYINT": "tinyint", "INT16": "smallint", "SMALLINT": "smallint",
            "INT32": "integer", "INTEGER": "integer", "INTEGER_LITERAL": "integer",
            "INT64": "bigint", "BIGINT": "bigint", "VARCHAR": "varchar", "STRING_LITERAL": "varchar",
            "DOUBLE": "double", "FLOAT": "real", "BOOLEAN": "boolean", "DATE": "date",
            "TIMESTAMP": "timestamp(3)", "BLOB": "varbinary", "DECIMAL_LITERAL": "decimal",
            "TIMESTAMP WITH TIME ZONE": "timestamp(3) with time zone", "JSON": "json"}


def trino_type(duck: str) -> str:
    """Trino's name for a DuckDB type name (``INTEGER[]`` -> ``array(integer)``)."""
    duck = duck.strip()
    if duck.endswith("[]"):
        return f"array({trino_type(duck[:-2])})"
    m = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", duck)
    if m:
        return f"decimal({m.group(1)},{m.group(2)})"
    return _SCALARS.get(duck.upper(), duck.lower())


_ARITHMETIC = {"addition": "addition", "subtraction": "subtraction", "multiplication": "multiplication"}
_OPERATOR_SIGNS = {"+", "-", "*", "/", "%"}


def _candidates(function: str, args: str):
    types = [trino_type(a) for a in args.split(",") if a.strip()]
    if function in _OPERATOR_SIGNS and len(types) == 2:
        return TypeMismatch, f"Cannot apply operator: {types[0]} {function} {types[1]}"
    return FunctionNotFound, f"Unexpected parameters ({', '.join(types)}) for function {function.lower()}"


def _regexp(detail: str):
    return InvalidFunctionArgument, f"error parsing regexp: {detail}"


ENGINE_WORDS = [
    *NUMERIC_WORDS,     # numbers first: Trino tells overflow from a bad cast (numeric_errors)
    (re.compile(r'(?:Values list|Table) "([^"]+)" does not have a column named "([^"]+)"'),
     lambda table, column: (ColumnNotFound, f"Column '{table.lower()}.{column.lower()}' cannot be resolved")),
    (re.compile(r"aggregate function calls cannot be nested"), lambda: (
        NestedAggregation, "Cannot nest aggregations inside aggregation")),
    (re.compile(r"(WHERE|JOIN|GROUP BY) clause cannot contain aggregates"), lambda clause: (
        ExpressionNotScalar, f"{clause} clause cannot contain aggregations, window functions or "
        "grouping operations")),
    (re.compile(r"GROUP BY term out of range"), lambda: (
        InvalidColumnReference, "GROUP BY position is not in select list")),
    (re.compile(r"ORDER term out of range"), lambda: (
        InvalidColumnReference, "ORDER BY position is not in select list")),
    (re.compile(r"Set operations can only apply to expressions with the same number of result columns"),
     lambda: (MismatchedSetColumnTypes, "query has different number of fields")),
    (re.compile(r'Could not choose a best candidate function for the function call "([^"(]+)\((.*)\)"'),
     _candidates),
    (re.compile(r"Cannot concatenate types (\S+) and (\S+)"), lambda a, b: (
        FunctionNotFound, f"Unexpected parameters ({trino_type(a)}, {trino_type(b)}) for function concat")),
    (re.compile(r"LIMIT/OFFSET cannot be negative"), lambda: (SqlSyntaxError, "mismatched input '-'")),
    (re.compile(r"The map key list does not align with the map value list"), lambda: (
        InvalidFunctionArgument, "Key and value arrays must be the same length")),
    (re.compile(r"Map keys can not be NULL"), lambda: (InvalidFunctionArgument, "map key cannot be null")),
    (re.compile(r"Insufficient padding in [LR]PAD"), lambda: (
        InvalidFunctionArgument, "Padding string must not be empty")),
    (re.compile(r"Invalid UTF8 Codepoint (-?\d+)"), lambda cp: (
        InvalidFunctionArgument, f"Not a valid Unicode code point: {cp}")),
    (re.compile(r'Could not parse string "(.*)" according to format specifier'), lambda value: (
        InvalidFunctionArgument, f'Invalid format: "{value}"')),
    (re.compile(r'(?:invalid (date|timestamp) field format|(date|timestamp) field value out of range): '
                r'"([^"]*)"'), lambda a, b, value: (
        InvalidCastArgument, f"Value cannot be cast to {a or b}: {value}")),
    (re.compile(r"^(missing \)|missing \]|unexpected \)|invalid escape sequence|trailing \\\\|"
                r"bad repetition operator|missing argument to repetition operator|"
                r"invalid character class range|invalid nested repetition operator|"
                r"invalid perl operator|invalid named capture group)(.*)"),
     lambda kind, rest: _regexp(f"{kind}{rest}")),
    (re.compile(r"APPROXIMATE QUANTILE can only take parameters in range \[0, 1\]"), lambda: (
        InvalidFunctionArgument, "Percentile must be between 0 and 1")),
    (re.compile(r"Argument for ntile must be greater than zero"), lambda: (
        InvalidFunctionArgument, "Buckets must be greater than 0")),
    (re.compile(r"Unimplemented type for cast \((.+) -> (.+)\)"), lambda a, b: (
        TypeMismatch, f"Cannot cast {trino_type(a)} to {trino_type(b)}")),
    (re.compile(r'Could not convert string "(.*)" to (\w+(?:\(\d+,\d+\))?)'), lambda value, to: (
        InvalidCastArgument, f"Cannot cast '{value}' to {trino_type(to)}")),
]


def engine_words(message: str):
    """The Athena error for a DuckDB message this table knows, else None."""
    for pattern, make in ENGINE_WORDS:
        m = pattern.search(message)
        if m:
            error, text = make(*m.groups())
            return error(text)
    return None
