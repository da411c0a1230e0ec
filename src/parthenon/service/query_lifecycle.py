"""Query executions from start to final state: StartQueryExecution (idempotent on its
ClientRequestToken), the queue and the worker that runs a query and writes its result
files, StopQueryExecution, and Get/BatchGet/ListQueryExecutions.
- queued and running queries live in memory (`live`); every state change is also written
  to SQLite, so history survives a restart, and queries that were queued or running when
  the server stopped come back FAILED (`recover`);
- listeners are told of every query that reaches a final state (the scheduler's "when a
  result lands" hooks and its waits).
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Callable

from ..engine.limits import SPILL_FOLDER, EngineLimits
from ..errors import SYSTEM, ParthenonError, QueryCancelled, QueryTimeout
from ..result import Result
from ..session import Session
from ..storage.location import FREE, Rules
from ..writes import WriteContext
from . import results
from .errors import InvalidRequest, ResourceNotFound
from .executor import Executor
from .result_writer import ResultWriter, remove_orphans
from .models import CANCELLED, DONE, FAILED, QUEUED, RUNNING, SUCCEEDED, QueryExecution
from .paging import max_results, next_token, offset
from .store import ServiceStore
from .submission import Submissions, query_text
from .workgroups import DEFAULT_TIMEOUT_MINUTES, WorkGroups

log = logging.getLogger(__name__)
# AthenaError.ErrorType for the error codes we raise ([doc] UG error-reference.md catalog).
_ERROR_TYPES = {"SYNTAX_ERROR": 1004, "TABLE_NOT_FOUND": 1301, "SCHEMA_NOT_FOUND": 1301,
                "COLUMN_NOT_FOUND": 1006, "NOT_SUPPORTED": 1401, "PERMISSION_DENIED": 1201,
                "EXCEEDED_TIME_LIMIT": 206}      # 206: "Query timed out"

# Told of every query that reaches a final state: the execution record and, when it
# SUCCEEDED, the engine's Result (typed Arrow rows); None otherwise.
QueryListener = Callable[[QueryExecution, "Result | None"], None]


class QueryExecutions:
    def __init__(self, home: Path, store: ServiceStore, lock: threading.RLock,
                 workgroups: WorkGroups, submissions: Submissions, cache: results.RowCache,
                 concurrency: int, max_active: int, recover: bool, locations: Rules = FREE,
                 limits: EngineLimits | None = None, spark_master: str = "local[*]"):
        self.store = store
        self.lock = lock
        self.workgroups = workgroups
        self.submissions = submissions
        self.cache = cache
        self.live: dict[str, QueryExecution] = {}     # queued and running queries
        self.unsaved: dict[str, QueryExecution] = {}  # finished, not yet written (a full disk)
        self.timed_out: set[str] = set()              # running past their workgroup's timeout
        self.listeners: list[QueryListener] = []
        if recover:   # False for a short-lived second service on a home a server is using
            self._fail_interrupted()
        self.spool_dir = home / SPILL_FOLDER / "results"     # S3 results on their way up
        for folder in (self.spool_dir, home / "query-results"):   # athena.default_results
            remove_orphans(folder)
        self.executor = Executor(home, self._run, concurrency, max_active, locations, limits,
                                 spark_master, self._engine_of)

    def _engine_of(self, id: str) -> str:
        with self.lock:
            q = self.live.get(id)
        return q.engine if q is not None else "duckdb"

    def _notify(self, q: QueryExecution, result: Result | None) -> None:
        for fn in list(self.listeners):
            try:
                fn(q, result if q.state == SUCCEEDED else None)
            except Exception:     # a listener's bug must not fail the query or the worker
                log.exception("query listener %r failed on %s", fn, q.id)

    def _fail_interrupted(self) -> None:
        for q in self.store.unfinished_executions():
            q.state, q.completed = FAILED, time.time()
            q.reason = "Query was interrupted: the Parthenon server stopped while it was " + \
                       ("running" if q.started else "queued")
            q.error = {"ErrorCategory": SYSTEM, "ErrorType": 401, "Retryable": True,
                       "ErrorMessage": q.reason}
            self.store.put_execution(q)

    # -- start
    def start_query_execution(self, p: dict) -> dict:
        text = query_text(p)
        token = p.get("ClientRequestToken")
        with self.lock:
            if token:
                previous = self.live_or_stored(None, token=token)
                if previous is not None:
                    if previous.query != text:
                        raise InvalidRequest("Idempotent parameters do not match")
                    return {"QueryExecutionId": previous.id}
            q = self.submissions.new_execution(p, text, token)
            if q.state != QUEUED:     # PREPARE / DEALLOCATE: done at once, recorded as finished
                return {"QueryExecutionId": q.id}
            self.live[q.id] = q
            try:
                self.executor.submit(q.id)
            except Exception:
                self.live.pop(q.id, None)
                raise
            self.store.put_execution(q)
        return {"QueryExecutionId": q.id}

    # -- lookup
    def live_or_stored(self, id: str | None, token: str | None = None) -> QueryExecution | None:
        if token is not None:
            for q in self.live.values():
                if q.client_token == token:
                    return q
            return self.store.execution_by_token(token)
        with self.lock:
            q = self.live.get(id) or self.unsaved.get(id)
        return q if q is not None else self.store.get_execution(id)

    def require(self, id) -> QueryExecution:
        q = self.live_or_stored(id) if isinstance(id, str) and id else None
        if q is None:
            raise ResourceNotFound(f"QueryExecution {id} was not found", ResourceName=str(id))
        return q

    # -- run, on a worker thread
    def _run(self, session: Session, id: str) -> None:
        """On a worker thread: run the query, write its files, record the outcome."""
        with self.lock:
            q = self.live.get(id)
            if q is None or q.state != QUEUED:    # cancelled while queued
                self.live.pop(id, None)
                return
            q.state, q.started = RUNNING, time.time()
            self.store.put_execution(q)
        result = None
        timer = threading.Timer((q.timeout_minutes or DEFAULT_TIMEOUT_MINUTES) * 60,
                                self._time_out, (q,))
        timer.daemon = True
        timer.start()
        try:
            # Like Trino's session schema, the context database is looked up only when an
            # unqualified name needs it: `SELECT 1` runs in a database not created yet (dbt debug).
            session.database = q.database
            with session.stream(q.run_text, context=WriteContext(
                    q.id, q.output_dir, cancelled=lambda: q.state == CANCELLED,
                    bytes_cutoff=q.bytes_cutoff)) as result:
                result = self._write_result(q, result)
            if q.id in self.timed_out:
                raise self._timeout_error(q)
            if result is None:
                return
            self._finish(q, SUCCEEDED)
        except QueryCancelled as e:     # stopped, or a write stopped before its commit
            if q.id in self.timed_out:     # the engine was interrupted for the time limit
                self._fail(q, self._timeout_error(q))
            else:
                self._finish(q, CANCELLED, reason=e.message)
        except ParthenonError as e:
            if q.id in self.timed_out:     # the engine was interrupted for it: say why
                e = self._timeout_error(q)
            self._fail(q, e)
        except Exception as e:   # a bug or an unreachable output location: FAILED, not a dead worker
            log.exception("query %s failed unexpectedly", q.id)
            msg = f"GENERIC_INTERNAL_ERROR: {type(e).__name__}: {e}".split("\n")[0]
            self._finish(q, FAILED, reason=msg, error={"ErrorCategory": SYSTEM, "ErrorType": 401,
                                                       "Retryable": False, "ErrorMessage": msg})
        finally:
            timer.cancel()
            self.timed_out.discard(q.id)
            if q.state in DONE:
                self._notify(q, result)

    def _fail(self, q: QueryExecution, e: ParthenonError) -> None:
        self._finish(q, FAILED, reason=str(e), error={
            "ErrorCategory": e.category, "ErrorType": _ERROR_TYPES.get(e.code, 1000),
            "Retryable": False, "ErrorMessage": str(e)})

    def _time_out(self, q: QueryExecution) -> None:
        with self.lock:
            if q.state != RUNNING:
                return
            self.timed_out.add(q.id)
        self.executor.interrupt(q.id)

    @staticmethod
    def _timeout_error(q: QueryExecution) -> QueryTimeout:
        return QueryTimeout(f"Query exceeded maximum time limit of "
                            f"{q.timeout_minutes or DEFAULT_TIMEOUT_MINUTES:.2f}m")

    def _write_result(self, q: QueryExecution, result: Result) -> Result | None:
        """Stream the result into its file (and, when small, the row cache); None when the
        query ended otherwise (cancelled, over its workgroup's scan limit)."""
        if result.statement_type and result.statement_type != q.statement_type:
            q.statement_type = result.statement_type
        columns = [results.column_info(c) for c in result.columns]
        with ResultWriter(q.output_location, q.extension, columns, self.cache.max_bytes,
                          self.spool_dir) as writer:
            writer.write_all(result, stop=lambda: q.state == CANCELLED or q.id in self.timed_out)
            q.planning_ms, q.engine_ms = result.planning_ms, result.engine_ms
            q.data_scanned = result.data_scanned_bytes
            q.update_count, q.manifest_location = result.update_count, result.manifest_location
            if self._cancelled(q) or q.id in self.timed_out:
                return None
            if q.bytes_cutoff and result.data_scanned_bytes > q.bytes_cutoff:
                self._finish(q, CANCELLED, reason=(
                    f"Query cancelled: it scanned {result.data_scanned_bytes} bytes, more than "
                    f"the workgroup's data usage limit of {q.bytes_cutoff} bytes per query"))
                return None
            t0 = time.perf_counter()
            writer.commit(q.id)
        q.columns, q.output_rows, q.output_bytes = columns, writer.row_count, writer.byte_count
        if writer.rows is not None:
            self.cache.put(q.id, writer.rows, writer.kept_bytes)
        else:
            self.cache.put_offsets(q.id, writer.page_offsets)
        q.service_ms = (time.perf_counter() - t0) * 1000      # publishing the files
        # the listeners get the typed rows when they were kept; else they read the file
        kept = writer.table(result.schema) if result.columns else result.table
        result.table, result.reader = kept, None
        return result

    def _cancelled(self, q: QueryExecution) -> bool:
        with self.lock:
            if q.state == CANCELLED:
                self.live.pop(q.id, None)
                return True
        return False

    def _finish(self, q: QueryExecution, state: str, reason: str | None = None,
                error: dict | None = None) -> None:
        with self.lock:
            self.live.pop(q.id, None)
            if q.state == CANCELLED:     # StopQueryExecution won the race: keep its verdict
                return
            q.state, q.reason, q.error, q.completed = state, reason, error, time.time()
            try:
                self.store.put_execution(q)
            except sqlite3.Error:
                # A full disk must not leave the query RUNNING forever: its final state is
                # kept in memory (lookups find it) and written with the next state change.
                log.exception("cannot record query %s as %s", q.id, state)
                self.unsaved[q.id] = q
                return
            self._save_unsaved()

    def _save_unsaved(self) -> None:
        for id, q in list(self.unsaved.items()):
            try:
                self.store.put_execution(q)
            except sqlite3.Error:
                return
            self.unsaved.pop(id, None)

    # -- the other actions
    def get_query_execution(self, p: dict) -> dict:
        q = self.require(p.get("QueryExecutionId"))
        if q.state == RUNNING:     # Athena reports the bytes scanned so far while a query runs
            scanned = self.executor.scanned_so_far(q.id)
            with self.lock:
                if scanned is not None and q.state == RUNNING:
                    q.data_scanned = scanned
        with self.lock:
            return {"QueryExecution": q.to_api()}

    def batch_get_query_execution(self, p: dict) -> dict:
        ids = p.get("QueryExecutionIds") or []
        if not 1 <= len(ids) <= 50:
            raise InvalidRequest("QueryExecutionIds must hold 1 to 50 ids")
        found, missing = [], []
        for id in ids:
            q = self.live_or_stored(id)
            if q is None:
                missing.append({"QueryExecutionId": id, "ErrorCode": "INVALID_INPUT",
                                "ErrorMessage": f"QueryExecution {id} was not found"})
            else:
                with self.lock:
                    found.append(q.to_api())
        return {"QueryExecutions": found, "UnprocessedQueryExecutionIds": missing}

    def list_query_executions(self, p: dict) -> dict:
        wg = self.workgroups.require(p.get("WorkGroup"))
        start = offset(p.get("NextToken"))
        size = max_results(p, 50, 50, minimum=0) or 50
        ids = self.store.list_execution_ids(wg.name, start, size + 1)
        out = {"QueryExecutionIds": ids[:size]}
        if len(ids) > size:
            out["NextToken"] = next_token(start + size)
        return out

    def stop_query_execution(self, p: dict) -> dict:
        q = self.require(p.get("QueryExecutionId"))
        with self.lock:
            if q.state in DONE:
                return {}     # idempotent, as Athena's
            q.state, q.completed = CANCELLED, time.time()
            q.reason = "Query cancelled by user"
            self.store.put_execution(q)
            queued = q.started is None
            if queued:
                self.live.pop(q.id, None)
        if queued:        # its worker will never see it: tell the listeners here
            self._notify(q, None)
        self.executor.interrupt(q.id)
        return {}
