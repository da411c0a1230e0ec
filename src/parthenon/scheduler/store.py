"""The scheduler's persistence: `scheduler.db` beside the catalog under PARTHENON_HOME.

Three guarantees rest on this file:
- a due time fires at most once: `claim` decides what fires and moves the schedule's
  `last_due` past it in one BEGIN IMMEDIATE transaction, *before* anything runs, and a
  unique index on (schedule, due) backs it up if two processes ever raced;
- one scheduler leads per home: a lease row renewed every tick; another instance
  (a second `parthenon serve`, a `parthenon scheduler`) waits until it expires;
- history survives: runs are rows, their details a JSON document.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Callable

from ..sqlite_store import SqliteFile
from .errors import DefinitionError, NotFound
from .models import (FAILED, HOOK, MANUAL, RUNNING, SCHEDULE, Hook, Run, Schedule, from_doc,
                     to_doc)

SCHEMA = """
CREATE TABLE IF NOT EXISTS definitions (
    name TEXT PRIMARY KEY, kind TEXT NOT NULL, doc TEXT NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0, last_due REAL NOT NULL,
    created REAL NOT NULL, updated REAL NOT NULL, source TEXT);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, schedule TEXT NOT NULL, kind TEXT NOT NULL, due REAL,
    state TEXT NOT NULL, started REAL, owner TEXT, doc TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS runs_once ON runs (schedule, due) WHERE due IS NOT NULL;
CREATE INDEX IF NOT EXISTS runs_by_schedule ON runs (schedule, started);
CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires REAL NOT NULL);
"""


@dataclasses.dataclass
class Entry:
    """A stored definition with its state."""
    kind: str
    definition: Schedule | Hook
    paused: bool
    last_due: float
    created: float
    updated: float
    source: str | None

    @property
    def name(self) -> str:
        return self.definition.name


def _run_from(doc: str) -> Run:
    return Run(**json.loads(doc))


class SchedulerStore:
    def __init__(self, path: Path | str):
        self._db = SqliteFile(path, SCHEMA, what="the scheduler store")
        self.path = self._db.path

    # -- definitions
    def _entry(self, row) -> Entry:
        name, kind, doc, paused, last_due, created, updated, source = row
        return Entry(kind, from_doc(kind, json.loads(doc)), bool(paused), last_due, created,
                     updated, source)

    def get(self, name: str) -> Entry | None:
        row = self._db.con().execute("SELECT * FROM definitions WHERE name = ?", (name,)).fetchone()
        return self._entry(row) if row else None

    def require(self, name: str, kind: str | None = None) -> Entry:
        entry = self.get(name)
        if entry is None or (kind and entry.kind != kind):
            raise NotFound(f"No {kind or 'schedule or hook'} named '{name}'")
        return entry

    def list(self, kind: str | None = None) -> list[Entry]:
        rows = self._db.con().execute("SELECT * FROM definitions ORDER BY name").fetchall()
        return [e for e in map(self._entry, rows) if kind is None or e.kind == kind]

    def put(self, definition: Schedule | Hook, now: float, source: str | None = None,
            paused: bool | None = None) -> str:
        """Create or update; 'created', 'updated' or 'unchanged'.  A changed timing restarts
        the schedule from now, so the new expression does not 'miss' times in the past."""
        kind = SCHEDULE if isinstance(definition, Schedule) else HOOK
        doc = to_doc(definition)
        with self._db.write() as con:
            row = con.execute("SELECT * FROM definitions WHERE name = ?", (definition.name,)).fetchone()
            if row is None:
                con.execute("INSERT INTO definitions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            (definition.name, kind, json.dumps(doc), int(bool(paused)), now, now,
                             now, source))
                return "created"
            old = self._entry(row)
            if old.kind != kind:
                raise DefinitionError(f"'{definition.name}' is already the name of a {old.kind}")
            same = to_doc(old.definition) == doc
            new_paused = old.paused if paused is None else paused
            if same and new_paused == old.paused and (source is None or source == old.source):
                return "unchanged"
            timing_changed = kind == SCHEDULE and (
                (old.definition.schedule, old.definition.timezone) !=
                (definition.schedule, definition.timezone))
            last_due = now if timing_changed or (old.paused and not new_paused) else old.last_due
            con.execute("UPDATE definitions SET doc = ?, paused = ?, last_due = ?, updated = ?, "
                        "source = COALESCE(?, source) WHERE name = ?",
                        (json.dumps(doc), int(new_paused), last_due, now, source, definition.name))
            return "unchanged" if same and new_paused == old.paused else "updated"

    def set_paused(self, name: str, paused: bool, now: float) -> bool:
        """Pause or resume; resuming restarts from now (a pause is not an outage)."""
        with self._db.write() as con:
            row = con.execute("SELECT paused FROM definitions WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise NotFound(f"No schedule or hook named '{name}'")
            if bool(row[0]) == paused:
                return False
            con.execute("UPDATE definitions SET paused = ?, updated = ?"
                        + ("" if paused else ", last_due = ?") + " WHERE name = ?",
                        (int(paused), now, name) if paused else (int(paused), now, now, name))
            return True

    def delete(self, name: str) -> None:
        """The definition and its history (a new schedule of that name starts clean)."""
        with self._db.write() as con:
            if con.execute("DELETE FROM definitions WHERE name = ?", (name,)).rowcount == 0:
                raise NotFound(f"No schedule or hook named '{name}'")
            con.execute("DELETE FROM runs WHERE schedule = ?", (name,))

    # -- firing
    def claim(self, name: str, now: float, owner: str,
              decide: Callable[[Schedule, float], tuple[list[Run], list[Run]]]) -> list[Run]:
        """In one transaction: read the schedule's last due time, let `decide` say which
        runs fire and which are missed, record them all and move last_due past them.
        What is returned here has been promised to no one else."""
        with self._db.write() as con:
            row = con.execute("SELECT * FROM definitions WHERE name = ?", (name,)).fetchone()
            if row is None:
                return []
            entry = self._entry(row)
            if entry.paused or entry.kind != SCHEDULE:
                return []
            fire, missed = decide(entry.definition, entry.last_due)
            if not fire and not missed:
                return []
            newest = max(r.due for r in fire + missed if r.due is not None)
            for run in missed + fire:
                run.owner = owner
                self._insert(con, run)
            con.execute("UPDATE definitions SET last_due = ? WHERE name = ? AND last_due < ?",
                        (newest, name, newest))
            return fire

    # -- runs
    def _insert(self, con, run: Run) -> None:
        con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (run.id, run.schedule, run.kind, run.due, run.state, run.started, run.owner,
                     json.dumps(dataclasses.asdict(run))))

    def add_run(self, run: Run) -> None:
        with self._db.write() as con:
            self._insert(con, run)

    def put_run(self, run: Run) -> None:
        self._db.con().execute("UPDATE runs SET state = ?, doc = ? WHERE id = ?",
                               (run.state, json.dumps(dataclasses.asdict(run)), run.id))

    def get_run(self, id: str) -> Run | None:
        row = self._db.con().execute("SELECT doc FROM runs WHERE id = ?", (id,)).fetchone()
        return _run_from(row[0]) if row else None

    def history(self, name: str, limit: int = 20) -> list[Run]:
        rows = self._db.con().execute(
            "SELECT doc FROM runs WHERE schedule = ? ORDER BY COALESCE(due, started) DESC, "
            "rowid DESC LIMIT ?", (name, limit)).fetchall()
        return [_run_from(r[0]) for r in rows]

    def last_run(self, name: str) -> Run | None:
        runs = self.history(name, 1)
        return runs[0] if runs else None

    # -- leadership
    def lead(self, owner: str, now: float, ttl: float) -> bool:
        """Take or renew the scheduler lease; False while another live instance holds it."""
        with self._db.write() as con:
            row = con.execute("SELECT owner, expires FROM leases WHERE name = 'scheduler'").fetchone()
            if row is not None and row[0] != owner and row[1] > now:
                return False
            con.execute("INSERT OR REPLACE INTO leases VALUES ('scheduler', ?, ?)", (owner, now + ttl))
            return True

    def release(self, owner: str) -> None:
        self._db.con().execute("DELETE FROM leases WHERE name = 'scheduler' AND owner = ?", (owner,))

    def fail_interrupted(self, owner: str, now: float) -> list[Run]:
        """Runs another instance left RUNNING: FAILED, and not run again (at most once)."""
        rows = self._db.con().execute(
            "SELECT doc FROM runs WHERE state = ? AND kind != ? AND (owner IS NULL OR owner != ?)",
            (RUNNING, MANUAL, owner)).fetchall()
        out = []
        for (doc,) in rows:
            run = _run_from(doc)
            run.state, run.finished = FAILED, now
            run.error = ("Interrupted: the scheduler stopped while this run was in progress; "
                         "a due time fires at most once, so it is not run again")
            self.put_run(run)
            out.append(run)
        return out
