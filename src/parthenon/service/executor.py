"""A bounded pool of query workers, each with its own Session.

A Session holds one DuckDB connection and is not thread-safe, so each worker
thread owns one for its whole life (created on the thread, on first use).  The
queue is bounded by the number of active (queued + running) queries: past it,
StartQueryExecution gets TooManyRequestsException instead of an ever-growing
backlog.  Cancelling a running query interrupts that worker's DuckDB connection.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from pathlib import Path
from typing import Callable

from ..engine.limits import EngineLimits
from ..progress import Snapshot
from ..session import Session
from ..storage.location import FREE, Rules
from .errors import TooManyRequests

log = logging.getLogger(__name__)


class Worker(threading.Thread):
    def __init__(self, pool: "Executor", n: int):
        super().__init__(name=f"parthenon-query-{n}", daemon=True)
        self.pool = pool
        self.session: Session | None = None     # the session of the query running now
        self.sessions: dict[str, Session] = {}  # one per engine, made on first use
        self.current: str | None = None        # the query id running here
        self.lock = threading.Lock()           # guards `current` against a racing cancel

    def run(self) -> None:
        while True:
            item = self.pool.queue.get()
            if item is None:
                break
            query_id = item
            try:
                session = self._session(self.pool.engine_of(query_id))
                with self.lock:
                    self.session, self.current = session, query_id
                self.pool.run(session, query_id)
            except Exception:   # the run callback records failures; this is a last resort
                log.exception("query %s crashed its worker", query_id)
            finally:
                with self.lock:
                    self.current = None
                with self.pool.lock:
                    self.pool.active -= 1
        for session in self.sessions.values():
            session.close()

    def _session(self, engine: str) -> Session:
        session = self.sessions.get(engine)
        if session is None:
            session = self.sessions[engine] = Session(
                home=self.pool.home, locations=self.pool.locations, limits=self.pool.limits,
                engine=engine, spark_master=self.pool.spark_master)
        return session

    def interrupt(self, query_id: str) -> bool:
        with self.lock:
            if self.current != query_id or self.session is None:
                return False
            self.session.engine.interrupt()
            return True

    def scanned_so_far(self, query_id: str) -> int | None:
        with self.lock:
            if self.current != query_id or self.session is None:
                return None
            return self.session.engine.scanned_so_far()

    def progress(self, query_id: str) -> Snapshot | None:
        with self.lock:
            if self.current != query_id or self.session is None:
                return None
            return self.session.progress_snapshot()


class Executor:
    def __init__(self, home: Path, run: Callable[[Session, str], None],
                 concurrency: int = 4, max_active: int = 200, locations: Rules = FREE,
                 limits: EngineLimits | None = None, spark_master: str = "local[*]",
                 engine_of: Callable[[str], str] = lambda query_id: "duckdb"):
        self.home = home
        self.spark_master = spark_master    # where workgroups on Spark run (serve --spark-master)
        self.engine_of = engine_of          # query id -> its workgroup's engine
        self.locations = locations      # where the workers' sessions may read
        self.limits = limits
        self.run = run
        self.max_active = max_active
        self.queue: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.active = 0
        self.workers = [Worker(self, n) for n in range(max(1, concurrency))]
        for w in self.workers:
            w.start()

    def submit(self, query_id: str) -> None:
        with self.lock:
            if self.active >= self.max_active:
                raise TooManyRequests("You have exceeded the limit for the number of queries "
                                      "you can run concurrently. Reduce the number of concurrent "
                                      "queries submitted by this account. Contact customer support "
                                      "to request a concurrent query limit increase.")
            self.active += 1
        self.queue.put(query_id)

    def interrupt(self, query_id: str) -> None:
        """Interrupt the worker running `query_id` until it lets go of it.

        DuckDB drops an interrupt that arrives before the engine starts the query
        (while we plan or list files), so one call is not enough: repeat it, from a
        helper thread so StopQueryExecution answers at once."""
        def keep_interrupting():
            for _ in range(600):      # 30 s at most
                if not any(w.interrupt(query_id) for w in self.workers):
                    return
                time.sleep(0.05)
        threading.Thread(target=keep_interrupting, name=f"cancel-{query_id[:8]}", daemon=True).start()

    def scanned_so_far(self, query_id: str) -> int | None:
        """Data scanned so far by a running query (the console shows it live)."""
        for w in self.workers:
            n = w.scanned_so_far(query_id)
            if n is not None:
                return n
        return None

    def progress(self, query_id: str) -> Snapshot | None:
        """A running query's progress: bytes read of the planned bytes, rows (the console's bar)."""
        for w in self.workers:
            snapshot = w.progress(query_id)
            if snapshot is not None:
                return snapshot
        return None

    def shutdown(self) -> None:
        for _ in self.workers:
            self.queue.put(None)
        for w in self.workers:
            w.join(timeout=5)
