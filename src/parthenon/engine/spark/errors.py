"""The Spark backend's failures as Athena's errors.

What the backend itself adds: a reader's Athena error raised in an executor (carried
through Spark's exception text, `reading.ERROR_MARK`) comes back as that error; another
failure in an executor's Python is a failed read; an interrupted job is a cancel.  Errors
of the SQL itself are `sql_errors.athena_error`'s (by Spark's error class).
"""
from __future__ import annotations

import re

from ...errors import ParthenonError, QueryCancelled, QueryFailed
from .reading import ERROR_MARK
from .sql_errors import athena_error, error_class

_MARKED = re.compile(re.escape(ERROR_MARK) + r"(\w+):(.*)")
_PYTHON_RAISED = re.compile(r"^(\w+(?:Error|Exception): .*)$", re.MULTILINE)
_CANCELLED = ("OPERATION_CANCELED", "SPARK_JOB_CANCELLED")


def _parthenon_errors() -> dict[str, type]:
    seen, todo = {}, [ParthenonError]
    while todo:
        cls = todo.pop()
        seen[cls.__name__] = cls
        todo += cls.__subclasses__()
    return seen


def spark_error(e: BaseException) -> ParthenonError:
    """Map a PySpark exception (or an executor's Parthenon error carried inside one)."""
    if isinstance(e, ParthenonError):
        return e
    text = str(e)
    m = _MARKED.search(text)
    if m:                  # a reader's error in an executor: its class and message, unchanged
        cls = _parthenon_errors().get(m.group(1), QueryFailed)
        return cls(m.group(2).split("\n")[0].strip())
    first = text.strip().split("\n")[0]
    if error_class(e) in _CANCELLED or ("cancelled" in first.lower() and "job" in first.lower()):
        return QueryCancelled("Query cancelled by user")
    raised = _PYTHON_RAISED.findall(text)
    if "exception was thrown from the Python worker" in first and raised:
        return QueryFailed(f"Error reading the table's data: {raised[-1]}")
    return athena_error(e)
