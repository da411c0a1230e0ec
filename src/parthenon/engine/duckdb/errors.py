"""DuckDB's errors in Athena's words: the engine's exception classes and message texts
mapped to the Athena error (code, message, line and column) a user would get."""
from __future__ import annotations

import re

import duckdb

from ...errors import (AmbiguousName, DivisionByZero, ExpressionNotAggregate, missing_column,
                       FunctionNotFound, InvalidCastArgument, InvalidFunctionArgument, NotSupported,
                       ParthenonError, QueryCancelled, QueryFailed, ResourcesExhausted,
                       TypeMismatch, SqlSyntaxError, BadData)
from ...sql.locate import find_dereferenced, find_identifier, find_qualified
from .engine_words import engine_words


_COLUMN_NOT_FOUND = re.compile(
    r'Referenced column "([^"]+)" not found|column "([^"]+)" not found|'
    r'Column with name ([^\s]+) does not exist|'
    r'Could not find key "([^"]+)" in struct|Referenced table "([^"]+)" not found|'
    # our own `AS "name"` aliases make DuckDB see an unknown column as a forward alias reference
    r'Column "([^"]+)" referenced that exists in the SELECT clause', re.IGNORECASE)

# a qualified column the table does not have (Trino points at the qualifier)
_NOT_IN_TABLE = re.compile(r'(?:Values list|Table) "([^"]+)" does not have a column named "([^"]+)"')

_NOT_A_ROW = re.compile(r"Cannot extract field '[^']+' from expression \"([^\"]+)\" because it is not a struct")

# Trino's names of the integer types in its cast messages ("Cannot cast 'x' to INT")
_TRINO_CAST_NAMES = {"INT8": "TINYINT", "INT16": "SMALLINT", "INT32": "INT", "INT64": "BIGINT"}

# The engine's words for errors Athena names otherwise: (pattern, error, Athena's message).
_ENGINE_ERRORS = [
    (re.compile(r'Ambiguous reference to column name "([^"]+)"'), AmbiguousName,
     lambda name: f"Column '{name}' is ambiguous"),
    (re.compile(r"Division by zero"), DivisionByZero, lambda: "Division by zero"),
    (re.compile(r"No function matches the given name and argument types '(\w+)\((.*)\)'"),
     FunctionNotFound, lambda f, args: f"Unexpected parameters ({args.lower()}) for function {f.lower()}"),
    (re.compile(r"Cannot compare values of type (\S+) and type (.+?) - an explicit cast"),
     TypeMismatch, lambda a, b: f"Cannot apply operator: {a.lower()} and {b.lower()}"),
    (re.compile(r"(Cannot cast value to IPADDRESS: .*)"), InvalidCastArgument, lambda m: m),
    # errors the translator raises in the engine, prefixed with Trino's code
    (re.compile(r"INVALID_FUNCTION_ARGUMENT: (.*)"), InvalidFunctionArgument, lambda m: m),
    (re.compile(r"INVALID_CAST_ARGUMENT: (.*)"), InvalidCastArgument, lambda m: m),
    (re.compile(r"NOT_SUPPORTED: (.*)"), NotSupported, lambda m: m),
    (re.compile(r"GENERIC_USER_ERROR: (.*)"), ParthenonError, lambda m: m),
    (re.compile(r"Map keys must be unique"), InvalidFunctionArgument,
     lambda: "Duplicate map keys are not allowed"),
    (re.compile(r'column "([^"]+)" must appear in the GROUP BY clause or must be part of an aggregate'),
     ExpressionNotAggregate, lambda c: f"'{c}' must be an aggregate expression or appear in GROUP BY clause"),
    # DuckDB's casts from JSON: a value that is not the target's (Trino: INVALID_CAST_ARGUMENT)
    (re.compile(r"Failed to cast value to numerical: (.*)"), InvalidCastArgument,
     lambda value: f"Cannot cast '{value}'"),
    (re.compile(r"Failed to cast value to decimal: (.*)"), InvalidCastArgument,
     lambda value: f"Cannot cast '{value}' to the decimal type"),
    (re.compile(r"Expected (OBJECT|ARRAY), but got \w+: (.*)"), InvalidCastArgument,
     lambda kind, value: f"Cannot cast '{value}': expected a json {kind.lower()}"),
    (re.compile(r"Could not convert string '(.*)' to (\w+)"), InvalidCastArgument,
     lambda value, to: f"Cannot cast '{value}' to {_TRINO_CAST_NAMES.get(to.upper(), to.upper())}"),
]


def engine_error(e: duckdb.Error, text: str, limit: str | None = None) -> ParthenonError:
    """Map an engine failure to the Athena error a user would get (`limit`: the engine's
    memory limit, for the message when it runs out)."""
    message = str(e).split("\n")[0]
    if isinstance(e, duckdb.InterruptException):    # a cancel (Ctrl-C, StopQueryExecution)
        return QueryCancelled("Query cancelled by user")
    m = _COLUMN_NOT_FOUND.search(message)
    if m:
        name = next(g for g in m.groups() if g)
        line, col = find_identifier(text, name)
        return missing_column(name, line, col)
    m = _NOT_IN_TABLE.search(message)
    if m:
        return missing_column(f"{m.group(1)}.{m.group(2)}", *find_qualified(text, m.group(1), m.group(2)))
    m = _NOT_A_ROW.search(message)
    if m:       # Trino names the expression as written, where the analyzer meets it
        line, col, spelled = find_dereferenced(text, m.group(1).rsplit(".", 1)[-1])
        return TypeMismatch(f"Expression {spelled} is not of type ROW", line, col)
    for pattern, error, athena_message in _ENGINE_ERRORS:
        m = pattern.search(message)
        if m:
            line, col = find_identifier(text, m.group(1)) if error is AmbiguousName else (None, None)
            return error(athena_message(*m.groups()), line, col)
    message_only = re.sub(r"^(\w+Exception: )?[\w ]*Error: ", "", message)
    known = engine_words(message_only)
    if known is not None:
        return known
    if isinstance(e, duckdb.ParserException):
        return _syntax_error(message_only)
    if isinstance(e, duckdb.OutOfMemoryException):
        return ResourcesExhausted(f"Query exhausted resources at this scale factor (memory limit "
                                  f"{limit} per query)" if limit else
                                  "Query exhausted resources at this scale factor")
    if isinstance(e, duckdb.InvalidInputException) and "JSON" in message:
        return BadData(message)
    # "Binder Error: ...", "Conversion Error: ...": the engine's category is not Athena's
    message = re.sub(r"^(\w+Exception: )?[\w ]*Error: ", "", message)
    if isinstance(e, (duckdb.BinderException, duckdb.ConversionException)):
        return QueryFailed(message)
    if isinstance(e, ParthenonError):   # raised inside the virtual filesystem
        return e
    return QueryFailed(message)


def _syntax_error(message: str) -> SqlSyntaxError:
    """DuckDB refused the SQL it was given (a translation, not the user's text, so its
    position means nothing to the user): Athena's words, never DuckDB's "Parser Error"."""
    near = re.match(r'syntax error at or near "(.*?)"', message)
    if near:
        return SqlSyntaxError(f"mismatched input '{near.group(1)}'")
    if message.startswith("syntax error at end of input"):
        return SqlSyntaxError("mismatched input '<EOF>'")
    return SqlSyntaxError(message)

