"""The core every interface shares: run one statement, get an Athena-shaped result.

Statement flow (see DESIGN.md): parse -> DDL/SHOW/DESCRIBE/MSCK go to the
catalog; queries are checked by the guard, planned (tables -> scans), rewritten
to the engine's dialect with Trino semantics, run, and typed with Athena's
type names.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb
from sqlglot import exp

from . import config
from .catalog.ddl import execute_ddl
from .catalog.model import Column, Table
from .catalog.store import DEFAULT_DATABASE, CatalogStore
from .engine import Engine
from .errors import (AmbiguousName, ColumnNotFound, DivisionByZero, FunctionNotFound,
                     InvalidCastArgument, ParthenonError, QueryFailed, TypeMismatch,
                     SqlSyntaxError, BadData)
from .planner import Planner, position
from .result import DML, Result, ResultColumn
from .sql.guard import check_query
from .sql.parameters import bind_parameters
from .sql.parser import in_script, parse_script, parse_statement
from .sql.trino import to_duckdb_sql, translate
from .types import result_type


class Session:
    def __init__(self, home: str | Path | None = None, database: str = DEFAULT_DATABASE):
        self.home = Path(home) if home else config.home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.store = CatalogStore(self.home / "catalog.db")
        self.engine = Engine()
        self.database = database.lower()

    # -- public
    def execute(self, text: str, parameters=None) -> Result:
        if parameters is not None:
            text = bind_parameters(text, parameters)
        ast = parse_statement(text)
        return self._run(ast, text)

    def execute_script(self, script: str):
        """Each statement of a ';'-separated script in order, yielding (text, Result)."""
        for statement in parse_script(script):
            try:
                result = self._run(statement.ast, statement.text)
            except ParthenonError as e:
                raise in_script(e, script, statement.offset) from None
            yield statement.text, result

    def close(self) -> None:
        self.engine.close()

    # -- statements
    def _run(self, ast: exp.Expression, text: str) -> Result:
        if isinstance(ast, exp.Use):
            name = ast.this.name.lower()
            self.store.require_database(name)
            self.database = name
            return Result.empty("UTILITY")
        started = time.perf_counter()
        if isinstance(ast, exp.Create) and ast.kind == "VIEW" and isinstance(ast.expression, exp.Query):
            # Athena analyses a view when it is created: what could not be queried is not stored.
            # Checked against the catalog only (scans with no files): no storage is listed or read.
            probe = exp.select("*").from_(ast.expression.copy().subquery("v")).limit(0)
            self._query(probe, text, read_data=False)
        result = execute_ddl(self.store, ast, text, self.database, view_columns=self._view_columns)
        if result is not None:
            result.engine_ms = (time.perf_counter() - started) * 1000
            return result
        return self._query(ast, text)

    def _view_columns(self, view: Table) -> list[Column]:
        """A view's columns, as its query yields them now (views store only their text)."""
        saved, self.database = self.database, view.database
        try:
            text = f"SELECT * FROM ({view.view_sql}) LIMIT 0"
            result = self._query(parse_statement(text), text, read_data=False)
        finally:
            self.database = saved
        return [Column(c.name, c.type) for c in result.columns]

    def _query(self, ast: exp.Expression, text: str, read_data: bool = True) -> Result:
        started = time.perf_counter()
        check_query(ast, text)
        name_columns(ast)
        planner = Planner(self.store, self.database, self.engine.evaluate, to_duckdb_sql,
                          read_data=read_data)
        with self.engine.query() as q:
            ast = planner.plan(ast, text)
            translation = translate(ast, _schema(planner))
            planned_at = time.perf_counter()
            try:
                for planned in planner.scans:
                    q.add_scan(planned.name, planned.scan)
                table = q.execute(translation.sql)
            except duckdb.Error as e:
                raise engine_error(e, text) from None
            finished = time.perf_counter()
            trino_types = translation.types if len(translation.types) == len(table.schema) \
                else [None] * len(table.schema)
            columns = [ResultColumn(f.name, result_type(trino, f.type))
                       for f, trino in zip(table.schema, trino_types)]
            return Result(columns=columns, table=table, statement_type=DML,
                          data_scanned_bytes=q.bytes_scanned,
                          engine_ms=(finished - planned_at) * 1000,
                          planning_ms=(planned_at - started) * 1000)


def _schema(planner: Planner) -> dict:
    """The Trino types of the planned scans' columns, for the translator's typing."""
    schema: dict = {}
    for planned in planner.scans:
        columns = schema.setdefault(planned.name, {})
        for c in planned.table.all_columns:
            try:
                columns[c.name] = exp.DataType.build(c.type, dialect="hive")
            except Exception:   # noqa: BLE001 - a type the translator cannot read stays unknown
                columns[c.name] = exp.DataType.build("unknown")
    return schema


def name_columns(ast: exp.Expression) -> None:
    """Athena's result column names: lower-case, `_colN` for unnamed expressions."""
    select = ast if isinstance(ast, exp.Select) else ast.find(exp.Select)
    if select is None:
        return
    if isinstance(ast, exp.Union):   # a set operation is named by its first branch
        select = ast.left if isinstance(ast.left, exp.Select) else select
    for i, projection in enumerate(list(select.expressions)):
        if isinstance(projection, exp.Star) or (isinstance(projection, exp.Column) and
                                                 isinstance(projection.this, exp.Star)):
            continue
        if isinstance(projection, exp.Alias):
            projection.set("alias", exp.to_identifier(projection.alias.lower(), quoted=True))
            continue
        if isinstance(projection, (exp.Column, exp.Dot)):
            name = projection.output_name.lower()
        else:
            name = f"_col{i}"
        projection.replace(exp.alias_(projection.copy(), exp.to_identifier(name, quoted=True)))


_COLUMN_NOT_FOUND = re.compile(
    r'Referenced column "([^"]+)" not found|column "([^"]+)" not found|'
    r'Column with name ([^\s]+) does not exist|'
    r'Could not find key "([^"]+)" in struct|Referenced table "([^"]+)" not found|'
    # our own `AS "name"` aliases make DuckDB see an unknown column as a forward alias reference
    r'Column "([^"]+)" referenced that exists in the SELECT clause', re.IGNORECASE)

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
    (re.compile(r"Could not convert string '(.*)' to (\w+)"), InvalidCastArgument,
     lambda value, to: f"Cannot cast '{value}' to {to.lower()}"),
]


def engine_error(e: duckdb.Error, text: str) -> ParthenonError:
    """Map an engine failure to the Athena error a user would get."""
    message = str(e).split("\n")[0]
    m = _COLUMN_NOT_FOUND.search(message)
    if m:
        name = next(g for g in m.groups() if g)
        line, col = _find_identifier(text, name)
        return ColumnNotFound(f"Column '{name}' cannot be resolved", line, col)
    for pattern, error, athena_message in _ENGINE_ERRORS:
        m = pattern.search(message)
        if m:
            line, col = _find_identifier(text, m.group(1)) if error is AmbiguousName else (None, None)
            return error(athena_message(*m.groups()), line, col)
    if isinstance(e, duckdb.ParserException):
        return SqlSyntaxError(message)
    if isinstance(e, duckdb.InvalidInputException) and "JSON" in message:
        return BadData(message)
    # "Binder Error: ...", "Conversion Error: ...": the engine's category is not Athena's
    message = re.sub(r"^(\w+Exception: )?[\w ]*Error: ", "", message)
    if isinstance(e, (duckdb.BinderException, duckdb.ConversionException)):
        return QueryFailed(message)
    if isinstance(e, ParthenonError):   # raised inside the virtual filesystem
        return e
    return QueryFailed(message)


def _find_identifier(text: str, name: str) -> tuple[int | None, int | None]:
    try:
        ast = parse_statement(text)
    except ParthenonError:
        return None, None
    for ident in ast.find_all(exp.Identifier):
        if ident.name.lower() == name.lower():
            return position(text, ident)
    return None, None
