"""The core every interface shares: run one statement, get an Athena-shaped result.

Statement flow (see DESIGN.md): parse -> DDL/SHOW/DESCRIBE/MSCK go to the
catalog; queries are checked by the guard, planned (tables -> scans), rewritten
to the engine's dialect with Trino semantics, run, and typed with Athena's
type names.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pyarrow as pa
from sqlglot import exp

from . import config, explain
from .catalog.ddl import execute_ddl
from .catalog.model import Column, Table
from .catalog.store import DEFAULT_DATABASE, CatalogStore
from .engine import Backend, open_backend
from .engine.limits import EngineLimits, default_budget
from .errors import NotSupported, ParthenonError
from .planner import Planner
from .scan_cache import ScanCache
from .progress import QueryProgress, Snapshot
from .result import DML, Result, ResultColumn
from .sql.analysis import CTAS, INSERT, UNLOAD, USE, analyze
from .sql.guard import check_query
from .sql.parameters import bind_parameters
from .sql.parser import in_script, parse_script, parse_statement
from .sql.trino import name_output_columns
from .sql.trino.star_names import restore_repeated
from .storage.location import FREE, Rules
from .types import result_type
from .writes import QueryRows, WriteContext
from .writes.ctas import create_table_as
from .writes.insert import insert_into
from .writes.staging import recover
from .writes.unload import unload

_WRITERS = {CTAS: create_table_as, INSERT: insert_into, UNLOAD: unload}


class Session:
    """`locations`: where tables may read (storage.location.Rules); the local user's own
    session (CLI, connect()) is unrestricted beyond the `..` and symbolic-link rules.
    `limits`: the engine's memory and threads (default: the CLI and DB-API's one
    connection gets the whole default budget).  `scan_cache_bytes`: the scan cache's bound
    (None: scan_cache.default_max_bytes; 0: no cache).
    `engine`: "duckdb" (default) or "spark", on `spark_master` (local[N], spark://host:port,
    sc://host:port)."""

    def __init__(self, home: str | Path | None = None, database: str = DEFAULT_DATABASE,
                 locations: Rules = FREE, limits: EngineLimits | None = None,
                 engine: str = "duckdb", spark_master: str | None = None,
                 scan_cache_bytes: int | None = None):
        self.home = Path(home) if home else config.home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.store = CatalogStore(self.home / "catalog.db", locations=locations)
        self.engine: Backend = open_backend(
            engine, limits or EngineLimits.for_budget(default_budget(), 1, self.home), spark_master)
        self.database = database.lower()
        self.scan_cache = ScanCache(self.home, scan_cache_bytes)
        self.scan_cache_enabled = True     # False: the next queries neither read nor fill it
        self.progress: QueryProgress | None = None     # the running query's, for a progress bar
        recover(self.home, self.store)     # writes a killed process left half-done: undone

    # -- public
    def execute(self, text: str, parameters=None, context: WriteContext | None = None) -> Result:
        """Run one statement.  `context` names the query and its result folder for writes
        (CTAS, INSERT INTO, UNLOAD); without one, a fresh id and PARTHENON_HOME's folder."""
        if parameters is not None:
            text = bind_parameters(text, parameters)
        ast = parse_statement(text)
        return self._run(ast, text, context)

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

    def progress_snapshot(self) -> Snapshot | None:
        """The running query's progress (None when none runs); from any thread."""
        progress = self.progress
        if progress is None:
            return None
        return Snapshot(time.monotonic() - progress.started, self.engine.scanned_so_far() or 0,
                        progress.total_bytes, progress.rows)

    # -- statements
    def _run(self, ast: exp.Expression, text: str, context: WriteContext | None = None) -> Result:
        statement = analyze(ast, text)
        if statement.kind == USE and isinstance(ast, exp.Use):
            name = ast.this.name.lower()
            self.store.require_database(name)
            self.database = name
            return Result.empty("UTILITY")
        started = time.perf_counter()
        if isinstance(ast, exp.Command) and str(ast.this).upper() == "EXPLAIN":
            return self._explain(text)
        if statement.writes:
            result = _WRITERS[statement.kind](self, statement, ast, text, context or WriteContext())
            result.engine_ms = (time.perf_counter() - started) * 1000
            return result
        if isinstance(ast, exp.Create) and ast.kind == "VIEW" and isinstance(ast.expression, exp.Query):
            # Athena analyses a view when it is created: what could not be queried is not stored.
            # Checked against the catalog only (scans with no files): no storage is listed or read.
            probe = exp.select("*").from_(ast.expression.copy().subquery("v")).limit(0)
            self._query(probe, text, read_data=False)
        result = execute_ddl(self.store, ast, text, self.database, view_columns=self.view_columns,
                             statement=statement)
        if result is not None:
            result.engine_ms = (time.perf_counter() - started) * 1000
            return result
        return self._query(ast, text)

    def view_columns(self, view: Table) -> list[Column]:
        """A view's columns, as its query yields them now (views store only their text)."""
        saved, self.database = self.database, view.database
        try:
            text = f"SELECT * FROM ({view.view_sql}) LIMIT 0"
            result = self._query(parse_statement(text), text, read_data=False)
        finally:
            self.database = saved
        return [Column(c.name, c.type) for c in result.columns]

    def _query(self, ast: exp.Expression, text: str, read_data: bool = True) -> Result:
        with self._query_stream(ast, text, read_data) as result:
            result.table = pa.Table.from_batches(list(result.batches()), schema=result.reader.schema)
            result.reader = None
        return result

    @contextmanager
    def stream(self, text: str, parameters=None,
               context: WriteContext | None = None) -> Iterator[Result]:
        """Like `execute`, but a query's rows are not gathered: `result.batches()` yields
        them as the engine produces them, inside the block (the engine is held until it
        ends).  Statistics (data scanned, engine time) are final once the batches are read.
        Other statements give their ordinary Result."""
        if parameters is not None:
            text = bind_parameters(text, parameters)
        ast = parse_statement(text)
        if _is_query(ast):
            with self._query_stream(ast, text) as result:
                yield result
        else:
            yield self._run(ast, text, context)

    @contextmanager
    def rows(self, ast: exp.Expression, text: str) -> Iterator[QueryRows]:
        """A query's rows as a stream of Arrow batches, for a writer (CTAS, INSERT, UNLOAD):
        the engine only reads, the writer writes.  Engine errors come out as Athena's."""
        with self._query_stream(ast, text, for_writer=True) as result:
            yield QueryRows(result.reader.schema, iter(result.reader),
                            lambda: result.data_scanned_bytes, [c.type for c in result.columns],
                            [c.name for c in result.columns])

    def _explain(self, text: str) -> Result:
        form = explain.read(text)
        ast = parse_statement(form.query)
        if not _is_query(ast):
            raise NotSupported(f"EXPLAIN of {analyze(ast, form.query).name()} is not supported: "
                               "Parthenon explains queries")
        if form.type == "VALIDATE":      # analysed against the catalog: nothing listed or read
            self._query(exp.select("*").from_(ast.subquery("v")).limit(0), form.query,
                        read_data=False)
            return Result(columns=[ResultColumn("Valid", "boolean")],
                          table=pa.table({"Valid": pa.array([True])}), statement_type="UTILITY")
        scans, urls = [], {}

        def planned(planned_scans, files):
            scans.extend(planned_scans)
            if files is not None:       # the engine names files by virtual paths
                urls.update({path: served.obj.url for path, served in files.served.items()})
        with self._query_stream(ast, form.query, engine_prefix="EXPLAIN ANALYZE" if form.analyze
                                else "EXPLAIN", planned=planned) as result:
            table = pa.Table.from_batches(list(result.batches()), schema=result.reader.schema)
        described = [(p.table.qualified_name, len(p.scan.files),
                      len({f.partition_values for f in p.scan.files}) if p.table.partition_keys else 0,
                      sum(f.obj.size for f in p.scan.files)) for p in scans]
        engine_plan = "\n".join(str(v) for v in table.column(table.num_columns - 1).to_pylist())
        for path in sorted(urls, key=len, reverse=True):     # the engine's names for the files
            engine_plan = engine_plan.replace(path, urls[path])
        text_out = explain.plan_text(described, engine_plan,
                                     result.data_scanned_bytes if form.analyze else None)
        out = Result.from_rows([ResultColumn("Query Plan", "varchar")], [(text_out,)],
                               statement_type="UTILITY")
        out.data_scanned_bytes = result.data_scanned_bytes if form.analyze else 0
        return out

    @contextmanager
    def _query_stream(self, ast: exp.Expression, text: str, read_data: bool = True,
                      for_writer: bool = False, engine_prefix: str | None = None, planned=None):
        started = time.perf_counter()
        check_query(ast, text)
        name_columns(ast)
        planner = Planner(self.store, self.database, self.engine.matching_partitions,
                          read_data=read_data)
        progress, outer = QueryProgress(), self.progress
        if read_data:        # a view's probe (names and types only) is part of its statement
            self.progress = progress
        with self.engine.query() as q, _restored(self, outer), self.scan_cache.query(ast) as cache:
            ast = planner.plan(ast, text)
            # each object once, as the engine counts the bytes it reads (a self-join reads it once)
            progress.total_bytes = sum({f.obj.url: f.obj.size for planned in planner.scans
                                        for f in planned.scan.files}.values())
            # a writer sees a zoned timestamp as the engine's (it refuses the type)
            translation = self.engine.translate(ast, _schema(planner), zoned_as_instant=for_writer)
            planned_at = time.perf_counter()
            try:
                for scan in planner.scans:
                    # the cache's files are read as Parquet by DuckDB (engine/duckdb/scans/cached.py)
                    # (not under EXPLAIN ANALYZE, which shows the objects themselves being read)
                    if self.scan_cache_enabled and self.engine.name == "duckdb" and not engine_prefix:
                        cache.add_scan(q, scan.name, scan.table, scan.scan, self.engine.errors)
                    else:
                        q.add_scan(scan.name, scan.scan)
                if planned is not None:
                    planned(planner.scans, getattr(q, "files", None))
                for step in translation.before:
                    step(q)
                reader = q.stream(f"{engine_prefix} {translation.sql}" if engine_prefix
                                  else translation.sql)
            except self.engine.errors as e:
                raise self.engine.athena_error(e, text) from None
            trino_types = translation.types if len(translation.types) == len(reader.schema) \
                and not engine_prefix \
                else [None] * len(reader.schema)
            names = restore_repeated([f.name for f in reader.schema],
                                     None if engine_prefix else getattr(translation, "names", None))
            columns = [ResultColumn(name, result_type(trino, f.type))
                       for name, f, trino in zip(names, reader.schema, trino_types)]
            result = Result(columns=columns, table=None, statement_type=DML,
                            planning_ms=(planned_at - started) * 1000)

            def batches():
                try:
                    for batch in reader:
                        progress.rows += batch.num_rows
                        yield batch
                except self.engine.errors as e:
                    raise self.engine.athena_error(e, text) from None
                result.data_scanned_bytes = q.bytes_scanned
                result.source_bytes_scanned = getattr(q, "source_bytes", q.bytes_scanned)
                result.cache_bytes_scanned = getattr(q, "cache_bytes", 0)
                result.engine_ms = (time.perf_counter() - planned_at) * 1000
            result.reader = pa.RecordBatchReader.from_batches(reader.schema, batches())
            yield result


@contextmanager
def _restored(session: Session, progress: QueryProgress | None):
    """Puts back the progress that was current (None, or an outer query's) when a query ends."""
    try:
        yield
    finally:
        session.progress = progress


def _is_query(ast: exp.Expression) -> bool:
    """A statement the engine answers (not DDL, SHOW, USE, ...): what `stream` streams."""
    return isinstance(ast, exp.Query)


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
    """Athena's result column names (one rule, in the translator): lower-case, quoted,
    `_colN` by output position.  Names after a `*` wait for the translation, which
    knows how many columns the `*` stands for."""
    name_output_columns(ast, quoted=True)
