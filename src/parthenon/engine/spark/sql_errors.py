"""Spark's SQL errors as Athena's: by Spark's error class (its stable name), never its words.

``athena_error(e)`` maps a PySpark exception raised while analysing or running
translated SQL to the ParthenonError a user would get from Athena.  The
translator raises Trino's errors inside Spark with ``RAISE_ERROR('CODE: message')``;
those come back under their own code.
"""
from __future__ import annotations

import re

from ...errors import (AmbiguousName, ColumnNotFound, DivisionByZero, ExpressionNotAggregate, ExpressionNotScalar,
                       FunctionNotFound, InvalidCastArgument, InvalidColumnReference, InvalidFunctionArgument,
                       MismatchedSetColumnTypes, NestedAggregation, NotSupported, ParthenonError,
                       QueryFailed, SqlSyntaxError, TypeMismatch)
from ...sql.locate import find_identifier


class NumericValueOutOfRange(ParthenonError):
    code = "NUMERIC_VALUE_OUT_OF_RANGE"


_BY_CLASS: dict[str, type[ParthenonError]] = {
    "DIVIDE_BY_ZERO": DivisionByZero,
    "INTERVAL_DIVIDED_BY_ZERO": DivisionByZero,
    "REMAINDER_BY_ZERO": DivisionByZero,
    "CAST_INVALID_INPUT": InvalidCastArgument,
    "CAST_OVERFLOW": InvalidCastArgument,
    "ARITHMETIC_OVERFLOW": NumericValueOutOfRange,
    "NUMERIC_VALUE_OUT_OF_RANGE": NumericValueOutOfRange,
    "BINARY_ARITHMETIC_OVERFLOW": NumericValueOutOfRange,
    "INVALID_ARRAY_INDEX": InvalidFunctionArgument,
    "INVALID_ARRAY_INDEX_IN_ELEMENT_AT": InvalidFunctionArgument,
    "INVALID_INDEX_OF_ZERO": InvalidFunctionArgument,
    "DUPLICATED_MAP_KEY": InvalidFunctionArgument,
    "NULL_MAP_KEY": InvalidFunctionArgument,
    "INVALID_PARAMETER_VALUE": InvalidFunctionArgument,
    "INVALID_REGEXP_REPLACE": InvalidFunctionArgument,     # Java's refusal of a replacement, Trino's too
    "UNRESOLVED_COLUMN": ColumnNotFound,
    "UNRESOLVED_FIELD": ColumnNotFound,
    "AMBIGUOUS_REFERENCE": AmbiguousName,
    "MISSING_AGGREGATION": ExpressionNotAggregate,
    "MISSING_GROUP_BY": ExpressionNotAggregate,
    "UNRESOLVED_ROUTINE": FunctionNotFound,
    "DATATYPE_MISMATCH": TypeMismatch,
    "INVALID_EXTRACT_BASE_FIELD_TYPE": TypeMismatch,
    "PARSE_SYNTAX_ERROR": SqlSyntaxError,
}

# Spark's analysis errors that are Trino's with words of its own (the same as DuckDB's are given)
_WORDS: dict[str, tuple[type[ParthenonError], str]] = {
    "NESTED_AGGREGATE_FUNCTION": (NestedAggregation, "Cannot nest aggregations inside aggregation"),
    "INVALID_WHERE_CONDITION": (ExpressionNotScalar, "WHERE clause cannot contain aggregations, window functions "
                                                     "or grouping operations"),
    "GROUP_BY_POS_OUT_OF_RANGE": (InvalidColumnReference, "GROUP BY position is not in select list"),
    "ORDER_BY_POS_OUT_OF_RANGE": (InvalidColumnReference, "ORDER BY position is not in select list"),
    "NUM_COLUMNS_MISMATCH": (MismatchedSetColumnTypes, "query has different number of fields"),
    "INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE": (SqlSyntaxError, "mismatched input '-'"),
}

# RAISE_ERROR('CODE: message') from the translator: the code is Trino's
_RAISED = re.compile(r"\b([A-Z][A-Z_]+): (.*)")
_RAISED_CODES = {"NOT_SUPPORTED": NotSupported,"INVALID_FUNCTION_ARGUMENT": InvalidFunctionArgument,
                 "INVALID_CAST_ARGUMENT": InvalidCastArgument,
                 "DIVISION_BY_ZERO": DivisionByZero, "NUMERIC_VALUE_OUT_OF_RANGE": NumericValueOutOfRange,
                 "GENERIC_USER_ERROR": ParthenonError}     # fail(message)


def error_class(e: BaseException) -> str | None:
    for getter in ("getCondition", "getErrorClass"):
        f = getattr(e, getter, None)
        if f is not None:
            try:
                value = f()
            except Exception:   # noqa: BLE001 - an exception without one
                value = None
            if value:
                return value
    return None


# Spark's words for a name it cannot resolve or finds ambiguous: the name is Athena's message.
_NAMED = {
    "UNRESOLVED_COLUMN": (re.compile(r"with name `(?:[^`]*`\.`)*([^`]+)`"), ColumnNotFound,
                          "Column '{}' cannot be resolved"),
    "FIELD_NOT_FOUND": (re.compile(r"No such struct field `([^`]+)`"), ColumnNotFound,
                        "Column '{}' cannot be resolved"),
    "AMBIGUOUS_REFERENCE": (re.compile(r"Reference `([^`]+)` is ambiguous"), AmbiguousName,
                            "Column '{}' is ambiguous"),
}
# an integer narrowed to a smaller one: Trino's NUMERIC_VALUE_OUT_OF_RANGE (from text or a float:
# INVALID_CAST_ARGUMENT, Spark's CAST_OVERFLOW too)
_INTEGER_OVERFLOW = re.compile(r'of the type "(TINYINT|SMALLINT|INT|BIGINT)" cannot be cast to "(TINYINT|SMALLINT|INT)"')
_CAST_INPUT = re.compile(r"The value '(.*)' of the type \S+ cannot be cast to \"(\w+)\"")
# a regex group number the pattern lacks (Trino's words), an illegal regexp_replace replacement
_GROUP_INDEX = re.compile(r"between 0 and (\d+), but got (-?\d+)")
_REPLACEMENT = re.compile(r'replacement = "(.*)" and position')
# the integer names of Trino's message ("Cannot cast 'x' to INT")
_CAST_NAMES = {"TINYINT": "TINYINT", "SMALLINT": "SMALLINT", "INT": "INT", "BIGINT": "BIGINT"}


def athena_error(e: BaseException, text: str | None = None) -> ParthenonError:
    """The Athena error for a Spark failure while running statement `text` (QueryFailed
    with Spark's first line when Spark's error class has no Athena counterpart)."""
    condition = error_class(e) or ""
    message = _first_line(e)
    if condition.split(".")[0] in _NAMED:
        pattern, cls, words = _NAMED[condition.split(".")[0]]
        m = pattern.search(message)
        if m:
            line, col = find_identifier(text, m.group(1)) if text else (None, None)
            return cls(words.format(m.group(1)), line, col)
    if condition == "CAST_OVERFLOW" and _INTEGER_OVERFLOW.search(message):
        return NumericValueOutOfRange(_strip_sqlstate(re.sub(r"^\[[A-Z_.]+\]\s*", "", message)))
    if condition == "INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX":
        m = _GROUP_INDEX.search(message)
        if m:
            return InvalidFunctionArgument("Group cannot be negative" if int(m.group(2)) < 0 else
                                           f"Pattern has {m.group(1)} groups. Cannot access group {m.group(2)}")
    if condition == "INVALID_REGEXP_REPLACE":
        m = _REPLACEMENT.search(message)
        if m:
            return InvalidFunctionArgument(f"Illegal replacement sequence: {m.group(1)}")
    if condition == "CAST_INVALID_INPUT":
        m = _CAST_INPUT.search(message)
        if m:
            return InvalidCastArgument(f"Cannot cast '{m.group(1)}' to "
                                       f"{_CAST_NAMES.get(m.group(2), m.group(2).lower())}")
    if condition in ("USER_RAISED_EXCEPTION", "") or "USER_RAISED_EXCEPTION" in message:
        m = _RAISED.search(message.replace("[USER_RAISED_EXCEPTION] ", ""))
        if m and m.group(1) in _RAISED_CODES:
            return _RAISED_CODES[m.group(1)](_strip_sqlstate(m.group(2)))
    if condition in _WORDS:
        cls, words = _WORDS[condition]
        return cls(words)
    cls = _BY_CLASS.get(condition) or _BY_CLASS.get(condition.split(".")[0])
    if cls is DivisionByZero:
        return DivisionByZero("Division by zero")
    if cls is not None:
        return cls(_strip_sqlstate(re.sub(r"^\[[A-Z_.]+\]\s*", "", message)))
    return QueryFailed(_strip_sqlstate(message))


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.split("\n")[0] if text else type(e).__name__


def _strip_sqlstate(message: str) -> str:
    return re.sub(r"\s*SQLSTATE: \w+\.?$", "", message).strip()
