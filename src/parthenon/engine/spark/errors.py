"""Spark's failures as the Athena errors a user would get on DuckDB."""
from __future__ import annotations

import re

from ...errors import (ColumnNotFound, DivisionByZero, InvalidCastArgument, ParthenonError,
                       QueryCancelled, QueryFailed, SqlSyntaxError)
from ..duckdb.errors import _find_identifier as find_identifier   # engine-neutral: the AST
from .reading import ERROR_MARK

_MARKED = re.compile(re.escape(ERROR_MARK) + r"(\w+):(.*)")
_PYTHON_RAISED = re.compile(r"^(\w+(?:Error|Exception): .*)$", re.MULTILINE)
_UNRESOLVED = re.compile(r"name `?(?:[^`]*`\.`)*([^`\s]+?)`? cannot be resolved")


def _parthenon_errors() -> dict[str, type]:
    seen, todo = {}, [ParthenonError]
    while todo:
        cls = todo.pop()
        seen[cls.__name__] = cls
        todo += cls.__subclasses__()
    return seen


def spark_error(e: BaseException, text: str = "") -> ParthenonError:
    """Map a PySpark exception (or an executor's Parthenon error carried inside one);
    `text`, the statement, places a column that cannot be resolved."""
    if isinstance(e, ParthenonError):
        return e
    text = str(e)
    m = _MARKED.search(text)
    if m:                  # a reader's error in an executor: its class and message, unchanged
        cls = _parthenon_errors().get(m.group(1), QueryFailed)
        return cls(m.group(2).split("\n")[0].strip())
    condition = _condition(e)
    first = text.strip().split("\n")[0]
    raised = _PYTHON_RAISED.findall(text)
    if "exception was thrown from the Python worker" in first and raised:
        return QueryFailed(f"Error reading the table's data: {raised[-1]}")
    if condition in ("OPERATION_CANCELED", "SPARK_JOB_CANCELLED") or "cancelled" in first.lower() \
            and "job" in first.lower():
        return QueryCancelled("Query cancelled by user")
    if condition and condition.startswith("UNRESOLVED_COLUMN"):
        m = _UNRESOLVED.search(first)
        name = m.group(1) if m else "?"
        return ColumnNotFound(f"Column '{name}' cannot be resolved", *find_identifier(text, name))
    if condition == "DIVIDE_BY_ZERO":
        return DivisionByZero("Division by zero")
    if condition and condition.startswith("CAST_INVALID_INPUT"):
        return InvalidCastArgument(re.sub(r"^\[[\w.]+\]\s*", "", first))
    if condition and condition.startswith("PARSE_SYNTAX_ERROR"):
        return SqlSyntaxError(re.sub(r"^\[[\w.]+\]\s*", "", first))
    return QueryFailed(re.sub(r"^\[[\w.]+\]\s*", "", first) or type(e).__name__)


def _condition(e: Exception) -> str | None:
    for getter in ("getCondition", "getErrorClass"):
        fn = getattr(e, getter, None)
        if fn is not None:
            try:
                value = fn()
            except Exception:       # noqa: BLE001 - a Py4J error without one
                value = None
            if value:
                return value
    return None
