"""Conditions over a finished query's result, and the rows that match them.

    any row          (default) fires when the result has at least one row
    always           fires after every run that succeeded, even on an empty result
    failed           fires when the query (or the run around it) failed
    row_count > 10   a comparison on the number of rows (>, >=, <, <=, =, !=)
    count > 1000     any other text: an SQL predicate (Athena's dialect) over each row;
                     fires when at least one row matches, and those rows are the alert's

A predicate is user text run by an engine that can read files, so it is held to
what a predicate needs: it must parse alone as one expression with no subquery;
`SELECT * FROM result WHERE (<predicate>)` must pass the same guard as every
query (Trino functions only, no table functions); it may name only the result's
columns; and it runs in a DuckDB of its own (`engine.duckdb.isolated`, whatever engine
ran the query) with external access disabled and its configuration locked, over the
result's typed Arrow rows and nothing else.
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass

import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from ..engine.duckdb import isolated
from ..errors import ParthenonError
from ..sql.guard import check_query
from ..sql.parser import parse_statement
from .errors import DefinitionError, SchedulerError

_ROW_COUNT = re.compile(r"^\s*row_count\s*(>=|<=|!=|<>|==|=|>|<)\s*(\d+)\s*$", re.I)
_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
        "=": operator.eq, "==": operator.eq, "!=": operator.ne, "<>": operator.ne}
_WORDS = {"any row": "any", "any_row": "any", "any": "any", "always": "always",
          "failed": "failed", "on failure": "failed"}
_ROW = "__parthenon_row"


@dataclass(frozen=True)
class Condition:
    kind: str                  # any | always | failed | row_count | predicate
    text: str
    op: str | None = None
    value: int | None = None


@dataclass
class Match:
    fired: bool
    rows: pa.Table | None      # the matching rows, in result order
    count: int                 # how many rows match


def parse_condition(text: str) -> Condition:
    words = " ".join(str(text).lower().split())
    if words in _WORDS:
        return Condition(_WORDS[words], text)
    m = _ROW_COUNT.match(text)
    if m:
        return Condition("row_count", text, m.group(1), int(m.group(2)))
    _predicate_sql(text)
    return Condition("predicate", text)


def _predicate_sql(predicate: str) -> tuple[exp.Expression, str]:
    """The guarded `SELECT * FROM result WHERE (...)` for a predicate, and its text."""
    try:
        alone = sqlglot.parse(predicate, read="athena")
    except (ParseError, TokenError) as e:
        raise DefinitionError(f"Invalid condition '{predicate}': {str(e).splitlines()[0]}") from None
    if len(alone) != 1 or alone[0] is None or isinstance(alone[0], (exp.Query, exp.Command)):
        raise DefinitionError(f"Invalid condition '{predicate}': it must be one expression "
                              "over the result's columns, such as count > 1000")
    if any(isinstance(n, (exp.Query, exp.Subquery, exp.Table)) for n in alone[0].walk()):
        raise DefinitionError(f"Invalid condition '{predicate}': subqueries are not allowed")
    text = f"SELECT * FROM result WHERE ({predicate})"
    try:
        ast = parse_statement(text)
        check_query(ast, text)
    except ParthenonError as e:
        raise DefinitionError(f"Invalid condition '{predicate}': {e}") from None
    return ast, text


def evaluate(cond: Condition, succeeded: bool, table: pa.Table | None) -> Match:
    if cond.kind == "failed":
        return Match(not succeeded, None, 0)
    if not succeeded:
        return Match(False, None, 0)
    n = table.num_rows if table is not None else 0
    if cond.kind == "always":
        return Match(True, table, n)
    if cond.kind == "any":
        return Match(n > 0, table, n)
    if cond.kind == "row_count":
        return Match(_OPS[cond.op](n, cond.value), table, n)
    rows = matching_rows(cond.text, table if table is not None else pa.table({}))
    return Match(rows.num_rows > 0, rows, rows.num_rows)


def matching_rows(predicate: str, table: pa.Table) -> pa.Table:
    ast, _ = _predicate_sql(predicate)
    names = {n.lower() for n in table.column_names}
    for column in ast.find_all(exp.Column):
        if column.table and column.table.lower() != "result":
            raise SchedulerError(f"Condition '{predicate}': '{column.sql()}' is not a column "
                                 "of the result")
        if column.name.lower() not in names:
            raise SchedulerError(f"Condition '{predicate}': no column '{column.name}' in the "
                                 f"result (its columns: {', '.join(table.column_names) or 'none'})")
    # row numbers keep the result's order, which a parallel filter need not
    numbered = table.append_column(_ROW, pa.array(range(table.num_rows), pa.int64()))
    ast = ast.order_by(exp.column(_ROW, quoted=True), copy=False)
    try:
        out = isolated.run(ast, {"result": numbered})
    except isolated.Error as e:
        raise SchedulerError(f"Condition '{predicate}' failed: {str(e).splitlines()[0]}") from None
    return out.drop_columns([_ROW])


_CASTS = {"bigint": pa.int64(), "integer": pa.int64(), "smallint": pa.int64(),
          "tinyint": pa.int64(), "double": pa.float64(), "real": pa.float64(),
          "float": pa.float64(), "decimal": pa.float64(), "boolean": pa.bool_()}


def table_from_text(columns: list[dict], rows: list[tuple]) -> pa.Table:
    """A result read back from its CSV (every value text) with numbers and booleans typed
    from its ColumnInfo, for when the engine's Arrow rows are not at hand."""
    arrays = []
    for i, c in enumerate(columns):
        array = pa.array([r[i] for r in rows], pa.string())
        target = _CASTS.get(c["Type"].split("(")[0])
        if target is not None:
            try:
                array = array.cast(target)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass
        arrays.append(array)
    return pa.Table.from_arrays(arrays, names=[c["Name"] for c in columns])
