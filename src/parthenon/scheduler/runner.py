"""The scheduler: a loop that claims due runs and hands them to a small thread pool.

Every `poll` seconds (1 s by default) a tick
1. takes or renews the lease, so one scheduler leads per PARTHENON_HOME; the first
   tick as leader fails the runs a stopped instance left RUNNING (never re-runs them);
2. for each schedule that is due and not still busy with its previous run, claims
   its due times in one transaction (store.claim) and submits them, oldest first.
A schedule whose run is still going is not claimed; when it finishes, the due
times that passed meanwhile meet the misfire policy like any other late ones, so
runs of one schedule never overlap.

Time comes from an injectable clock: tests drive a FakeClock and call `tick()`
themselves; actions' backoff sleeps on the same clock, so a fake one skips them.

Hooks: the service tells `_query_finished` of every query that finishes in this
process; matching hooks run on the pool, never on the query worker.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor

from . import cron
from .execution import RunExecutor
from .models import (CATCH_UP, HOOK, HOOK_RUN, MANUAL, MISSED, RUNNING, SCHEDULE, SCHEDULED,
                     Run, Schedule)
from .store import SchedulerStore

log = logging.getLogger(__name__)


class SystemClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class FakeClock:
    """Time that moves only when told to (and when something sleeps on it)."""

    def __init__(self, start: float):
        self.t = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> float:
        with self._lock:
            self.t += seconds
            return self.t


class Scheduler:
    def __init__(self, service, clock=None, store: SchedulerStore | None = None,
                 workers: int = 4, poll: float = 1.0, lease_ttl: float = 30.0):
        self.service = service
        self.clock = clock or SystemClock()
        self.store = store or SchedulerStore(service.home / "scheduler.db")
        self.poll, self.lease_ttl = poll, lease_ttl
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.pool = ThreadPoolExecutor(max(1, workers), thread_name_prefix="parthenon-schedule")
        self.leading = False
        self._stopping = threading.Event()
        self._busy: set[str] = set()
        self._pending: set[Future] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.runs = RunExecutor(service, self.store, self.clock.now, self.clock.sleep,
                                self._stopping)
        service.add_listener(self._query_finished)

    # -- lifecycle
    def start(self) -> "Scheduler":
        self._thread = threading.Thread(target=self._loop, name="parthenon-scheduler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._query_finished in self.service.listeners:
            self.service.listeners.remove(self._query_finished)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.store.release(self.owner)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.tick()
            except Exception:          # a bug in one tick must not end the scheduler
                log.exception("scheduler tick failed")
            self._stopping.wait(self.poll)

    # -- one tick
    def tick(self, wait: bool = False) -> list[Run]:
        """Claim and start what is due now; with wait=True, run it before returning."""
        now = self.clock.now()
        if not self.store.lead(self.owner, now, self.lease_ttl):
            if self.leading:
                log.warning("another scheduler took the lease; standing by")
            self.leading = False
            return []
        if not self.leading:
            self.leading = True
            for run in self.store.fail_interrupted(self.owner, now):
                log.warning("run %s of %s was interrupted by a stop; recorded as FAILED",
                            run.id, run.schedule)
        claimed, futures = [], []
        for entry in self.store.list(SCHEDULE):
            s: Schedule = entry.definition
            with self._lock:
                if entry.paused or s.name in self._busy:
                    continue
            try:
                if s.timing.next_after(entry.last_due) > now:
                    continue
                runs = self.store.claim(s.name, now, self.owner, self._decider(now))
            except Exception:
                log.exception("cannot claim the due runs of %s", s.name)
                continue
            if runs:
                with self._lock:
                    self._busy.add(s.name)
                claimed += runs
                futures.append(self.pool.submit(self._series, s, runs))
                self._track(futures[-1])
        if wait:
            for f in futures:
                f.result()
        return claimed

    def _decider(self, now: float):
        def decide(s: Schedule, last_due: float) -> tuple[list[Run], list[Run]]:
            fire, missed, unlisted = cron.plan(s.timing, last_due, now, s.misfire, s.misfire_grace)
            note = (f"not run within {s.misfire_grace:g} s of its due time (the scheduler was "
                    f"stopped or the previous run was still going); misfire policy "
                    f"{s.misfire}")
            missed_runs = [Run(str(uuid.uuid4()), s.name, MISSED, "MISSED", due=t, started=now,
                               finished=now, note=note) for t in missed]
            if unlisted and missed_runs:
                missed_runs[0].note += f"; {unlisted} earlier due time(s) missed too"
            fired = [Run(str(uuid.uuid4()), s.name,
                         SCHEDULED if now - t <= s.misfire_grace else CATCH_UP, RUNNING,
                         due=t, started=now) for t in fire]
            return fired, missed_runs
        return decide

    def _series(self, s: Schedule, runs: list[Run]) -> list[Run]:
        try:
            return [self._guarded(run, lambda r=run: self.runs.run_schedule(s, r)) for run in runs]
        finally:
            with self._lock:
                self._busy.discard(s.name)

    def _guarded(self, run: Run, call) -> Run:
        try:
            run.started = self.clock.now()
            return call()
        except Exception as e:        # the last line of defence: record, never propagate
            log.exception("run %s of %s crashed", run.id, run.schedule)
            run.state, run.error, run.finished = "FAILED", f"{type(e).__name__}: {e}", self.clock.now()
            self.store.put_run(run)
            return run

    # -- run now (CLI), outside the schedule's due times
    def run_now(self, name: str) -> Run:
        entry = self.store.require(name, SCHEDULE)
        run = Run(str(uuid.uuid4()), name, MANUAL, RUNNING, started=self.clock.now(),
                  owner=self.owner)
        self.store.add_run(run)
        return self._guarded(run, lambda: self.runs.run_schedule(entry.definition, run))

    # -- hooks: "when a result lands"
    def _query_finished(self, q, result) -> None:
        self.runs.query_finished(q, result)
        if self._stopping.is_set():
            return
        try:
            hooks = [e.definition for e in self.store.list(HOOK)
                     if not e.paused and e.definition.matches(q)]
        except Exception:
            log.exception("cannot read the hooks")
            return
        for hook in hooks:
            run = Run(str(uuid.uuid4()), hook.name, HOOK_RUN, RUNNING, started=self.clock.now(),
                      owner=self.owner, query_id=q.id)
            self.store.add_run(run)
            self._track(self.pool.submit(
                self._guarded, run, lambda h=hook, r=run: self.runs.run_hook(h, q, result, r)))

    def _track(self, future: Future) -> None:
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(lambda f: self._forget(f))

    def _forget(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait until every submitted run has finished (tests; a clean stop)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._pending:
                    return True
            time.sleep(0.02)
        return False
