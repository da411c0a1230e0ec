"""The Athena service: query lifecycle, results, workgroups, saved and prepared queries,
and the catalog as the metadata actions show it.

Like moto's `models.py`: state and rules only.  Each public method takes the
action's request members (a dict, AWS's names) and returns the response members;
`server.responses` is the thin JSON layer around it.  Rules that shape behaviour:
- the `primary` workgroup always exists; the effective OutputLocation is the
  workgroup's when it enforces its configuration, else the client's, else the
  workgroup's, else a folder under PARTHENON_HOME;
- a syntax error is refused at StartQueryExecution (InvalidRequestException with
  AthenaErrorCode MALFORMED_QUERY, as Athena does); every other error FAILS the query;
- every state change is written to SQLite, so history survives a restart; queries
  that were queued or running when the server stopped come back FAILED.
Extension point: `add_listener(fn)` tells fn(execution, result) of every query that
reaches a final state (the scheduler's "when a result lands" hooks and its waits).
"""
from __future__ import annotations

import base64
import logging
import re
import threading
import time
import uuid
from pathlib import Path
from typing import Callable

from .. import config
from ..catalog.model import Table
from ..catalog.store import CatalogStore
from ..errors import SYSTEM, ParthenonError, SqlSyntaxError
from ..result import Result
from ..session import Session
from ..sql.parser import parse_statement
from . import results, statements
from .errors import InvalidRequest, MetadataError, ResourceNotFound
from .executor import Executor
from .models import (CANCELLED, CATALOG, DONE, FAILED, QUEUED, RUNNING, SUCCEEDED, NamedQuery,
                     PreparedStatement, QueryExecution, WorkGroup)
from .store import ServiceStore

log = logging.getLogger(__name__)
PRIMARY = "primary"
_WORKGROUP_NAME = re.compile(r"[a-zA-Z0-9._-]{1,128}")
# AthenaError.ErrorType for the error codes we raise ([doc] UG error-reference.md catalog).
_ERROR_TYPES = {"SYNTAX_ERROR": 1004, "TABLE_NOT_FOUND": 1301, "SCHEMA_NOT_FOUND": 1301,
                "COLUMN_NOT_FOUND": 1006, "NOT_SUPPORTED": 1401, "PERMISSION_DENIED": 1201}


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"parthenon:{offset}".encode()).decode()


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        prefix, _, n = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if prefix == "parthenon" and int(n) >= 0:
            return int(n)
    except (ValueError, UnicodeDecodeError):
        pass
    raise InvalidRequest("Invalid NextToken", code="INVALID_INPUT")


def _max_results(params: dict, name: str, default: int, maximum: int, minimum: int = 1) -> int:
    n = params.get("MaxResults", default)
    if not isinstance(n, int) or not minimum <= n <= maximum:
        raise InvalidRequest(f"1 validation error detected: Value '{n}' at 'maxResults' failed to "
                             f"satisfy constraint: Member must have value "
                             f"{'less than or equal to ' + str(maximum) if isinstance(n, int) and n > maximum else 'greater than or equal to ' + str(minimum)}")
    return n


def _page(items: list, params: dict, default: int, maximum: int) -> tuple[list, dict]:
    start = _offset(params.get("NextToken"))
    size = _max_results(params, "MaxResults", default, maximum)
    extra = {"NextToken": _token(start + size)} if start + size < len(items) else {}
    return items[start:start + size], extra


# Told of every query that reaches a final state: the execution record and, when it
# SUCCEEDED, the engine's Result (typed Arrow rows); None otherwise.
QueryListener = Callable[[QueryExecution, "Result | None"], None]


class AthenaService:
    def __init__(self, home: str | Path | None = None, concurrency: int = 4, max_active: int = 200,
                 recover: bool = True):
        self.home = Path(home) if home else config.home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.store = ServiceStore(self.home / "service.db")
        self.catalog = CatalogStore(self.home / "catalog.db")
        self.default_output = "file://" + str(self.home / "query-results") + "/"
        self.cache = results.RowCache()
        self.lock = threading.RLock()
        self.live: dict[str, QueryExecution] = {}     # queued and running queries
        self.listeners: list[QueryListener] = []
        if self.store.get_workgroup(PRIMARY) is None:
            self.store.put_workgroup(WorkGroup(PRIMARY, created=time.time()))
        if recover:   # False for a short-lived second service on a home a server is using
            self._fail_interrupted()
        self.executor = Executor(self.home, self._run, concurrency, max_active)

    def close(self) -> None:
        self.executor.shutdown()

    def add_listener(self, fn: QueryListener) -> None:
        """Call fn(execution, result) on the worker thread after each query's final state is
        stored.  Listeners must be quick (hand real work to a thread of their own)."""
        self.listeners.append(fn)

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

    # -- workgroup helpers
    def _workgroup(self, name: str | None) -> WorkGroup:
        name = name or PRIMARY
        wg = self.store.get_workgroup(name)
        if wg is None:
            raise InvalidRequest(f"WorkGroup {name} is not found.")
        return wg

    # -- query executions
    def start_query_execution(self, p: dict) -> dict:
        text = p.get("QueryString")
        if not isinstance(text, str) or not text.strip():
            raise InvalidRequest("QueryString is required and must not be empty")
        if len(text.encode()) > 262144:
            raise InvalidRequest("Query string exceeds the maximum length of 262144 bytes")
        token = p.get("ClientRequestToken")
        with self.lock:
            if token:
                previous = self.live_or_stored(None, token=token)
                if previous is not None:
                    if previous.query != text:
                        raise InvalidRequest("Idempotent parameters do not match")
                    return {"QueryExecutionId": previous.id}
            q = self._new_execution(p, text, token)
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

    def _new_execution(self, p: dict, text: str, token: str | None) -> QueryExecution:
        wg = self._workgroup(p.get("WorkGroup"))
        if wg.state != "ENABLED":
            raise InvalidRequest(f"WorkGroup {wg.name} is disabled.")
        ctx = p.get("QueryExecutionContext") or {}
        catalog = ctx.get("Catalog") or CATALOG
        if catalog.lower() != CATALOG.lower():
            raise InvalidRequest(f"Catalog {catalog} does not exist", code="INVALID_INPUT")
        config_in = dict(p.get("ResultConfiguration") or {})
        client_out = config_in.pop("OutputLocation", None)
        wg_out = wg.output_location()
        output = (wg_out if wg.enforced and wg_out else client_out or wg_out) or self.default_output
        if not (output.startswith(("s3://", "file://", "/"))):
            raise InvalidRequest(f"Invalid OutputLocation: {output}. It must be an s3:// URI "
                                 "(or, in Parthenon, a local folder)")
        if output.startswith("s3://") and not output[5:].split("/", 1)[0]:
            raise InvalidRequest(f"Invalid OutputLocation: {output}: no bucket name")
        q = QueryExecution(
            id=str(uuid.uuid4()), query=text, workgroup=wg.name,
            database=(ctx.get("Database") or "default").lower(), catalog=CATALOG,
            output_dir=results.normalize_folder(output), statement_type="DML",
            substatement_type="SELECT", submitted=time.time(), client_token=token,
            parameters=p.get("ExecutionParameters") or None, result_config=config_in,
            bytes_cutoff=wg.configuration.get("BytesScannedCutoffPerQuery"))
        run_text = self._resolve(q, wg)
        if run_text is None:
            return q
        q.run_text = run_text
        q.statement_type, q.substatement_type = statements.classify(run_text)
        try:
            parse_statement(run_text)
        except SqlSyntaxError as e:
            raise InvalidRequest(str(e).removeprefix(f"{e.code}: "), code="MALFORMED_QUERY") from None
        return q

    def _resolve(self, q: QueryExecution, wg: WorkGroup) -> str | None:
        """The text to run: EXECUTE resolved and parameters bound; PREPARE/DEALLOCATE done."""
        text = q.query
        m = statements.PREPARE.match(text)
        if m:
            self.create_prepared_statement({"StatementName": m.group(1), "WorkGroup": wg.name,
                                            "QueryStatement": m.group(2)}, replace=True)
            return self._immediate(q, "PREPARE")
        m = statements.DEALLOCATE.match(text)
        if m:
            self.delete_prepared_statement({"StatementName": m.group(1), "WorkGroup": wg.name})
            return self._immediate(q, "DEALLOCATE")
        values = list(q.parameters or [])
        m = statements.EXECUTE.match(text)
        if m:
            ps = self.store.get_prepared(wg.name, m.group(1))
            if ps is None:
                raise InvalidRequest(f"Prepared statement {m.group(1)} was not found in "
                                     f"workgroup {wg.name}", code="INVALID_INPUT")
            text = ps.query
            if m.group(2):
                values = statements.split_arguments(m.group(2)) + values
        if values or statements.placeholders(text):
            text = statements.bind(text, values)
        return text

    def _immediate(self, q: QueryExecution, sub: str) -> None:
        now = time.time()
        q.statement_type, q.substatement_type = "UTILITY", sub
        q.state, q.started, q.completed, q.columns = SUCCEEDED, now, now, []
        results.write_file(q.output_location, b"")
        self.store.put_execution(q)
        return None

    def live_or_stored(self, id: str | None, token: str | None = None) -> QueryExecution | None:
        if token is not None:
            for q in self.live.values():
                if q.client_token == token:
                    return q
            return self.store.execution_by_token(token)
        with self.lock:
            q = self.live.get(id)
        return q if q is not None else self.store.get_execution(id)

    def _execution(self, id) -> QueryExecution:
        q = self.live_or_stored(id) if isinstance(id, str) and id else None
        if q is None:
            raise ResourceNotFound(f"QueryExecution {id} was not found", ResourceName=str(id))
        return q

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
        try:
            session.database = q.database
            session.store.require_database(q.database)
            result = session.execute(q.run_text)
            q.planning_ms, q.engine_ms = result.planning_ms, result.engine_ms
            q.data_scanned = result.data_scanned_bytes
            if q.bytes_cutoff and result.data_scanned_bytes > q.bytes_cutoff:
                return self._finish(q, CANCELLED, reason=(
                    f"Query cancelled: it scanned {result.data_scanned_bytes} bytes, more than "
                    f"the workgroup's data usage limit of {q.bytes_cutoff} bytes per query"))
            t0 = time.perf_counter()
            if result.statement_type and result.statement_type != q.statement_type:
                q.statement_type = result.statement_type
            columns = [results.column_info(c) for c in result.columns]
            rows = results.text_rows(result)
            body = results.render(rows, columns, q.extension)
            if self._cancelled(q):
                return
            results.write_file(q.output_location, body)
            results.write_file(q.output_location + ".metadata", results.metadata_bytes(q.id, columns))
            q.columns, q.output_rows, q.output_bytes = columns, len(rows), len(body)
            self.cache.put(q.id, rows)
            q.service_ms = (time.perf_counter() - t0) * 1000
            self._finish(q, SUCCEEDED)
        except ParthenonError as e:
            self._finish(q, FAILED, reason=str(e), error={
                "ErrorCategory": e.category, "ErrorType": _ERROR_TYPES.get(e.code, 1000),
                "Retryable": False, "ErrorMessage": str(e)})
        except Exception as e:   # a bug or an unreachable output location: FAILED, not a dead worker
            log.exception("query %s failed unexpectedly", q.id)
            msg = f"GENERIC_INTERNAL_ERROR: {type(e).__name__}: {e}"
            self._finish(q, FAILED, reason=msg, error={"ErrorCategory": SYSTEM, "ErrorType": 401,
                                                       "Retryable": False, "ErrorMessage": msg})
        finally:
            if q.state in DONE:
                self._notify(q, result)

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
            self.store.put_execution(q)

    def get_query_execution(self, p: dict) -> dict:
        q = self._execution(p.get("QueryExecutionId"))
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
        wg = self._workgroup(p.get("WorkGroup"))
        start = _offset(p.get("NextToken"))
        size = _max_results(p, "MaxResults", 50, 50, minimum=0) or 50
        ids = self.store.list_execution_ids(wg.name, start, size + 1)
        out = {"QueryExecutionIds": ids[:size]}
        if len(ids) > size:
            out["NextToken"] = _token(start + size)
        return out

    def stop_query_execution(self, p: dict) -> dict:
        q = self._execution(p.get("QueryExecutionId"))
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

    def get_query_results(self, p: dict) -> dict:
        q = self._execution(p.get("QueryExecutionId"))
        if q.state != SUCCEEDED:
            if q.state in (QUEUED, RUNNING):
                raise InvalidRequest(f"Query has not yet finished. Current state: {q.state}")
            raise InvalidRequest(f"Query did not finish successfully. Final query state: {q.state}")
        size = _max_results(p, "MaxResults", 1000, 1000)
        start = _offset(p.get("NextToken"))
        rows = self._rows(q)
        header = 1 if q.has_header and q.columns else 0
        total = len(rows) + header
        end = min(start + size, total)
        page = []
        if start == 0 and header:
            page.append({"Data": [{"VarCharValue": c["Name"]} for c in q.columns]})
        lo, hi = max(start - header, 0), end - header
        page += [{"Data": [{} if v is None else {"VarCharValue": v} for v in row]}
                 for row in rows[lo:hi]]
        out = {"UpdateCount": 0, "ResultSet": {
            "Rows": page, "ResultSetMetadata": {"ColumnInfo": q.columns or []}}}
        if end < total:
            out["NextToken"] = _token(end)
        return out

    def _rows(self, q: QueryExecution) -> list[tuple]:
        rows = self.cache.get(q.id)
        if rows is None:   # after a restart or eviction: the result file is the truth
            try:
                text = results.read_file(q.output_location).decode()
            except (OSError, ParthenonError) as e:
                raise InvalidRequest(f"Could not find results: {e}") from None
            rows = results.parse_csv(text)[1:] if q.extension == ".csv" else results.parse_txt(text)
            self.cache.put(q.id, rows)
        return rows

    def get_query_runtime_statistics(self, p: dict) -> dict:
        q = self._execution(p.get("QueryExecutionId"))
        timeline = q.timeline()
        timeline.pop("ServicePreProcessingTimeInMillis", None)
        return {"QueryRuntimeStatistics": {
            "Timeline": {**timeline, "ServicePreProcessingTimeInMillis": 0},
            "Rows": {"InputBytes": q.data_scanned, "OutputBytes": q.output_bytes,
                     "OutputRows": q.output_rows}}}

    # -- workgroups
    def create_work_group(self, p: dict) -> dict:
        name = p.get("Name") or ""
        if not _WORKGROUP_NAME.fullmatch(name):
            raise InvalidRequest(f"Invalid WorkGroup name: {name!r}")
        with self.lock:
            if self.store.get_workgroup(name) is not None:
                raise InvalidRequest(f"WorkGroup {name} is already created")
            self.store.put_workgroup(WorkGroup(name, created=time.time(),
                                               description=p.get("Description") or "",
                                               configuration=dict(p.get("Configuration") or {})))
        return {}

    def get_work_group(self, p: dict) -> dict:
        return {"WorkGroup": self._workgroup(p.get("WorkGroup")).to_api()}

    def list_work_groups(self, p: dict) -> dict:
        groups, extra = _page([wg.summary() for wg in self.store.list_workgroups()], p, 50, 50)
        return {"WorkGroups": groups, **extra}

    def update_work_group(self, p: dict) -> dict:
        with self.lock:
            wg = self._workgroup(p.get("WorkGroup"))
            if "Description" in p:
                wg.description = p["Description"]
            if p.get("State") in ("ENABLED", "DISABLED"):
                wg.state = p["State"]
            u = p.get("ConfigurationUpdates") or {}
            c = wg.configuration
            for key in ("EnforceWorkGroupConfiguration", "PublishCloudWatchMetricsEnabled",
                        "BytesScannedCutoffPerQuery", "RequesterPaysEnabled"):
                if key in u:
                    c[key] = u[key]
            if u.get("RemoveBytesScannedCutoffPerQuery"):
                c.pop("BytesScannedCutoffPerQuery", None)
            rc_updates = u.get("ResultConfigurationUpdates") or {}
            rc = c.setdefault("ResultConfiguration", {})
            for key in ("OutputLocation", "EncryptionConfiguration", "ExpectedBucketOwner",
                        "AclConfiguration"):
                if key in rc_updates:
                    rc[key] = rc_updates[key]
                if rc_updates.get(f"Remove{key}"):
                    rc.pop(key, None)
            self.store.put_workgroup(wg)
        return {}

    def delete_work_group(self, p: dict) -> dict:
        wg = self._workgroup(p.get("WorkGroup"))
        if wg.name == PRIMARY:
            raise InvalidRequest("Cannot delete primary workgroup")
        if not p.get("RecursiveDeleteOption") and (self.store.list_named_query_ids(wg.name)
                                                   or self.store.list_prepared(wg.name)):
            raise InvalidRequest(f"WorkGroup {wg.name} is not empty; use RecursiveDeleteOption")
        self.store.delete_workgroup(wg.name)
        return {}

    # -- named queries
    def create_named_query(self, p: dict) -> dict:
        for key in ("Name", "Database", "QueryString"):
            if not p.get(key):
                raise InvalidRequest(f"{key} is required")
        wg = self._workgroup(p.get("WorkGroup"))
        token = p.get("ClientRequestToken")
        with self.lock:
            if token:
                old = self.store.named_query_by_token(token)
                if old is not None:
                    if (old.name, old.query, old.database) != (p["Name"], p["QueryString"], p["Database"]):
                        raise InvalidRequest("Idempotent parameters do not match")
                    return {"NamedQueryId": old.id}
            nq = NamedQuery(str(uuid.uuid4()), p["Name"], p["Database"], p["QueryString"], wg.name,
                            p.get("Description") or "", token)
            self.store.put_named_query(nq)
        return {"NamedQueryId": nq.id}

    def _named(self, id) -> NamedQuery:
        nq = self.store.get_named_query(id) if isinstance(id, str) else None
        if nq is None:
            raise InvalidRequest(f"NamedQuery {id} was not found")
        return nq

    def get_named_query(self, p: dict) -> dict:
        return {"NamedQuery": self._named(p.get("NamedQueryId")).to_api()}

    def batch_get_named_query(self, p: dict) -> dict:
        found, missing = [], []
        for id in p.get("NamedQueryIds") or []:
            nq = self.store.get_named_query(id)
            if nq is None:
                missing.append({"NamedQueryId": id, "ErrorCode": "INVALID_INPUT",
                                "ErrorMessage": f"NamedQuery {id} was not found"})
            else:
                found.append(nq.to_api())
        return {"NamedQueries": found, "UnprocessedNamedQueryIds": missing}

    def list_named_queries(self, p: dict) -> dict:
        wg = self._workgroup(p.get("WorkGroup"))
        ids, extra = _page(self.store.list_named_query_ids(wg.name), p, 50, 50)
        return {"NamedQueryIds": ids, **extra}

    def update_named_query(self, p: dict) -> dict:
        nq = self._named(p.get("NamedQueryId"))
        nq.name = p.get("Name") or nq.name
        nq.query = p.get("QueryString") or nq.query
        if "Description" in p:
            nq.description = p["Description"]
        self.store.put_named_query(nq)
        return {}

    def delete_named_query(self, p: dict) -> dict:
        self._named(p.get("NamedQueryId"))
        self.store.delete_named_query(p["NamedQueryId"])
        return {}

    # -- prepared statements
    def create_prepared_statement(self, p: dict, replace: bool = False) -> dict:
        name, wg = p.get("StatementName") or "", self._workgroup(p.get("WorkGroup"))
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,255}", name) or not p.get("QueryStatement"):
            raise InvalidRequest("StatementName and QueryStatement are required")
        if not replace and self.store.get_prepared(wg.name, name) is not None:
            raise InvalidRequest(f"Prepared statement {name} already exists in workgroup {wg.name}")
        self.store.put_prepared(PreparedStatement(name, wg.name, p["QueryStatement"], time.time(),
                                                  p.get("Description") or ""))
        return {}

    def _prepared(self, p: dict) -> PreparedStatement:
        wg = self._workgroup(p.get("WorkGroup"))
        ps = self.store.get_prepared(wg.name, p.get("StatementName") or "")
        if ps is None:
            raise ResourceNotFound(f"Prepared statement {p.get('StatementName')} was not found in "
                                   f"workgroup {wg.name}", ResourceName=str(p.get("StatementName")))
        return ps

    def get_prepared_statement(self, p: dict) -> dict:
        return {"PreparedStatement": self._prepared(p).to_api()}

    def update_prepared_statement(self, p: dict) -> dict:
        ps = self._prepared(p)
        ps.query, ps.modified = p.get("QueryStatement") or ps.query, time.time()
        if "Description" in p:
            ps.description = p["Description"]
        self.store.put_prepared(ps)
        return {}

    def list_prepared_statements(self, p: dict) -> dict:
        wg = self._workgroup(p.get("WorkGroup"))
        items, extra = _page([s.summary() for s in self.store.list_prepared(wg.name)], p, 50, 50)
        return {"PreparedStatements": items, **extra}

    def batch_get_prepared_statement(self, p: dict) -> dict:
        wg = self._workgroup(p.get("WorkGroup"))
        found, missing = [], []
        for name in p.get("PreparedStatementNames") or []:
            ps = self.store.get_prepared(wg.name, name)
            if ps is None:
                missing.append({"StatementName": name, "ErrorCode": "INVALID_INPUT",
                                "ErrorMessage": f"Prepared statement {name} was not found"})
            else:
                found.append(ps.to_api())
        return {"PreparedStatements": found, "UnprocessedPreparedStatementNames": missing}

    def delete_prepared_statement(self, p: dict) -> dict:
        ps = self._prepared(p)
        self.store.delete_prepared(ps.workgroup, ps.name)
        return {}

    # -- data catalogs and metadata
    def _check_catalog(self, name: str | None) -> None:
        if (name or "").lower() != CATALOG.lower():
            raise InvalidRequest(f"Catalog {name} does not exist")

    def list_data_catalogs(self, p: dict) -> dict:
        return {"DataCatalogsSummary": [{"CatalogName": CATALOG, "Type": "GLUE", "Status": "CREATE_COMPLETE"}]}

    def get_data_catalog(self, p: dict) -> dict:
        self._check_catalog(p.get("Name"))
        return {"DataCatalog": {"Name": CATALOG, "Description": "Parthenon's catalog",
                                "Type": "GLUE", "Parameters": {"catalog-id": "parthenon"},
                                "Status": "CREATE_COMPLETE"}}

    def list_databases(self, p: dict) -> dict:
        self._check_catalog(p.get("CatalogName"))
        dbs = [{"Name": d.name, **({"Description": d.comment} if d.comment else {}),
                "Parameters": dict(d.properties)} for d in self.catalog.list_databases()]
        items, extra = _page(dbs, p, 50, 50)
        return {"DatabaseList": items, **extra}

    def get_database(self, p: dict) -> dict:
        self._check_catalog(p.get("CatalogName"))
        name = (p.get("DatabaseName") or "").lower()
        d = self.catalog.get_database(name)
        if d is None:
            raise MetadataError(f"Database {name} not found.")
        return {"Database": {"Name": d.name, **({"Description": d.comment} if d.comment else {}),
                             "Parameters": dict(d.properties)}}

    def list_table_metadata(self, p: dict) -> dict:
        self._check_catalog(p.get("CatalogName"))
        name = (p.get("DatabaseName") or "").lower()
        if self.catalog.get_database(name) is None:
            raise MetadataError(f"Database {name} not found.")
        tables = self.catalog.list_tables(name, p.get("Expression"))
        items, extra = _page([_table_metadata(t) for t in tables], p, 50, 50)
        return {"TableMetadataList": items, **extra}

    def get_table_metadata(self, p: dict) -> dict:
        self._check_catalog(p.get("CatalogName"))
        db, name = (p.get("DatabaseName") or "").lower(), (p.get("TableName") or "").lower()
        if self.catalog.get_database(db) is None:
            raise MetadataError(f"Database {db} not found.")
        t = self.catalog.get_table(db, name)
        if t is None:
            raise MetadataError(f"Table {name} not found.")
        return {"TableMetadata": _table_metadata(t)}


def _table_metadata(t: Table) -> dict:
    """A table as Glue/Athena describe it: Hive column types, SerDe and format as Parameters."""
    params = {"EXTERNAL": "TRUE"} if not t.is_view else {}
    for key, value in (("location", t.location), ("inputformat", t.input_format),
                       ("outputformat", t.output_format), ("serde.serialization.lib", t.serde)):
        if value:
            params[key] = value
    params.update({f"serde.param.{k}": v for k, v in t.serde_properties.items()})
    params.update(t.table_properties)
    if t.created_at:
        params["transient_lastDdlTime"] = str(int(t.created_at))

    def cols(columns):
        return [{"Name": c.name, "Type": c.type, **({"Comment": c.comment} if c.comment else {})}
                for c in columns]
    return {"Name": t.name, "CreateTime": t.created_at or time.time(), "TableType": t.table_type,
            "Columns": cols(t.columns), "PartitionKeys": cols(t.partition_keys), "Parameters": params}
