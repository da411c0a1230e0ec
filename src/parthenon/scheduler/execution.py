"""One run: expand the SQL, run it through the Athena service, check the rules, act.

Queries go through `AthenaService.start_query_execution` like any API client's, so
a scheduled run has a query id, a place in ListQueryExecutions and a result CSV at
its OutputLocation.  The run's own id is the ClientRequestToken, which is how the
service's completion listener finds the run waiting for it, and which makes a
retried start of the same run return the same query.

Nothing here raises to its caller: a failing template, query, condition or action
is written into the run, and the next run (of this schedule or another) goes on.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

import pyarrow as pa

from ..result import Result
from ..service import results
from ..service.models import DONE, SUCCEEDED as Q_SUCCEEDED, QueryExecution
from . import actions, alerts, rules, templates
from .errors import SchedulerError
from .models import FAILED, SUCCEEDED, Rule, Run, Schedule
from .upkeep import upkeep_sql

log = logging.getLogger(__name__)


class _Waiter:
    def __init__(self) -> None:
        self.event = threading.Event()
        self.query: QueryExecution | None = None
        self.result: Result | None = None


class RunExecutor:
    """Runs on behalf of a Scheduler; `service` is the AthenaService queries go through."""

    def __init__(self, service, store, now: Callable[[], float], sleep: Callable[[float], None],
                 stopping: threading.Event):
        self.service, self.store = service, store
        self.now, self.sleep, self.stopping = now, sleep, stopping
        self._waiters: dict[str, _Waiter] = {}
        self._lock = threading.Lock()

    # -- the service tells us a query finished (on its worker thread: be quick)
    def query_finished(self, q: QueryExecution, result: Result | None) -> None:
        with self._lock:
            waiter = self._waiters.get(q.client_token or "")
        if waiter is not None:
            waiter.query, waiter.result = q, result
            waiter.event.set()

    # -- a schedule's run
    def run_schedule(self, schedule: Schedule, run: Run) -> Run:
        q = result = None
        ctx: dict = {}
        try:
            ctx = templates.context(run.due if run.due is not None else run.started,
                                    schedule.timezone, schedule.name, schedule.parameters,
                                    now=self.now())
            run.sql = self._sql(schedule, ctx)
            q, result = self._query(run, schedule)
            self._record_query(run, q)
        except Exception as e:          # a template, a named query, the service refusing
            run.state, run.error = FAILED, str(e)
        self.apply_rules(schedule.name, "schedule", schedule.rules, run, q, result, ctx)
        return self._finish(run)

    def _sql(self, schedule: Schedule, ctx: dict) -> str:
        if schedule.upkeep is not None:
            return upkeep_sql(schedule.upkeep, ctx, self.service.catalog, schedule.database)
        text = schedule.sql
        if schedule.named_query:
            text = self._named_query(schedule)
        return templates.render(text, ctx, f"SQL of schedule '{schedule.name}'")

    def _named_query(self, schedule: Schedule) -> str:
        store = self.service.store
        nq = store.get_named_query(schedule.named_query)
        if nq is None:     # not an id: a name in the schedule's workgroup
            found = [store.get_named_query(i) for i in store.list_named_query_ids(schedule.workgroup)]
            found = [n for n in found if n is not None and n.name == schedule.named_query]
            if not found:
                raise SchedulerError(f"No saved query '{schedule.named_query}' in workgroup "
                                     f"{schedule.workgroup}")
            nq = found[-1]
        return nq.query

    def _query(self, run: Run, schedule: Schedule) -> tuple[QueryExecution, Result | None]:
        params = {"QueryString": run.sql, "WorkGroup": schedule.workgroup,
                  "QueryExecutionContext": {"Database": schedule.database},
                  "ClientRequestToken": run.id}
        if schedule.output_location:
            params["ResultConfiguration"] = {"OutputLocation": schedule.output_location}
        waiter = _Waiter()
        with self._lock:
            self._waiters[run.id] = waiter
        try:
            qid = self.service.start_query_execution(params)["QueryExecutionId"]
            run.query_id = qid
            self.store.put_run(run)           # the query id is in history while it runs
            deadline = time.monotonic() + schedule.timeout
            while not waiter.event.wait(0.5):
                q = self.service.live_or_stored(qid)
                if q is not None and q.state in DONE:
                    waiter.event.wait(0.5)    # the listener is usually a moment behind
                    break
                if self.stopping.is_set() or time.monotonic() > deadline:
                    self.service.stop_query_execution({"QueryExecutionId": qid})
                    raise SchedulerError("the scheduler stopped before the query finished"
                                         if self.stopping.is_set() else
                                         f"the query ran longer than the schedule's timeout "
                                         f"of {schedule.timeout:g} s and was cancelled")
            return waiter.query or self.service.live_or_stored(qid), waiter.result
        finally:
            with self._lock:
                self._waiters.pop(run.id, None)

    @staticmethod
    def _record_query(run: Run, q: QueryExecution) -> None:
        run.query_id, run.data_scanned = q.id, q.data_scanned
        run.engine_ms = round(q.engine_ms + q.planning_ms, 1)
        if q.state == Q_SUCCEEDED:
            run.state, run.row_count, run.output_location = SUCCEEDED, q.output_rows, q.output_location
        else:
            run.state, run.error = FAILED, q.reason or f"query {q.state}"

    def _finish(self, run: Run) -> Run:
        run.finished = self.now()
        self.store.put_run(run)
        return run

    # -- a finished query that a hook matched
    def run_hook(self, hook, q: QueryExecution, result: Result | None, run: Run) -> Run:
        run.sql = q.query
        self._record_query(run, q)
        ctx = templates.context(q.completed or self.now(), "UTC", hook.name, now=self.now())
        self.apply_rules(hook.name, "hook", hook.rules, run, q, result, ctx)
        return self._finish(run)

    # -- rules and their actions
    def apply_rules(self, source: str, kind: str, rule_list: list[Rule], run: Run,
                    q: QueryExecution | None, result: Result | None, ctx: dict) -> None:
        succeeded = run.state == SUCCEEDED
        table = None
        if succeeded and rule_list:
            try:
                table = self._table(q, result)
            except Exception as e:
                run.error = f"Cannot read the result for the rules: {e}"
        for rule in rule_list:
            record = {"name": rule.name, "when": rule.when, "fired": False, "matching": 0,
                      "error": None}
            run.rules.append(record)
            try:
                match = rules.evaluate(rules.parse_condition(rule.when), succeeded, table)
            except Exception as e:
                record["error"] = str(e)
                continue
            record.update(fired=match.fired, matching=match.count)
            if not match.fired:
                continue
            alert = alerts.build(source, kind, rule, run, q, match.rows, match.count,
                                 run.row_count, run.error)
            action_ctx = {**ctx, "query_id": q.id if q else "", "rule": rule.name}
            for action in rule.actions:
                outcome = actions.deliver(action, alert, action_ctx, sleep=self.sleep)
                if not outcome["ok"]:
                    log.warning("%s %s: %s action failed: %s", kind, source, action["type"],
                                outcome["error"])
                run.actions.append(outcome)

    def _table(self, q: QueryExecution | None, result: Result | None) -> pa.Table | None:
        if result is not None and result.table is not None:     # None: too big to keep
            return result.table
        if q is None or q.state != Q_SUCCEEDED or not q.columns:
            return None
        text = results.read_file(q.output_location).decode()   # after the listener missed it
        rows = results.parse_csv(text)[1:] if q.extension == ".csv" else results.parse_txt(text)
        return rules.table_from_text(q.columns, rows)
