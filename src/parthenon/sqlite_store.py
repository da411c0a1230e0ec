"""One SQLite file shared by threads and processes: what the catalog, service and scheduler
stores have in common.

- a connection per thread (sqlite3 connections must not cross threads), opened on first use;
- WAL mode, so readers and a writer in other processes share the file; switching a new file
  to WAL needs it to itself, and SQLite reports "database is locked" at once (no busy wait)
  while another process is creating it too, so that switch is retried for up to 30 s;
- busy_timeout, so a second writer waits instead of failing;
- `write()`: one BEGIN IMMEDIATE transaction (the write lock is taken at the start, so
  two writers never deadlock on a lock upgrade), rolled back on any exception;
- the schema created at open, in one such transaction, with the store's first rows; a file
  that cannot be opened or is not a database is a HIVE_METASTORE_ERROR naming the file.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import urllib.parse
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .errors import SYSTEM, ParthenonError

TIMEOUT_S = 30


class MetastoreError(ParthenonError):
    """A store's file itself cannot be used."""
    code = "HIVE_METASTORE_ERROR"
    category = SYSTEM


class SqliteFile:
    """Per-thread connections to one SQLite file, and its write transactions.

    `schema` is `CREATE ... IF NOT EXISTS` statements separated by ';'; `seed(con)` adds
    rows that must always exist; `pragmas` are extra settings for every connection
    (e.g. "synchronous=NORMAL"); `what` names the file in errors ("the catalog")."""

    def __init__(self, path: Path | str, schema: str, *, what: str,
                 pragmas: tuple[str, ...] = (),
                 seed: Callable[[sqlite3.Connection], None] | None = None):
        self.path = str(path)
        self.what = what
        self.pragmas = pragmas
        self._local = threading.local()
        # A home on a read-only filesystem (a shared, mounted catalog): open the file as
        # immutable (no lock or WAL files to create) and refuse writes with the reason.
        self.read_only = not os.access(os.path.dirname(os.path.abspath(self.path)) or ".", os.W_OK)
        if self.read_only:
            if not os.path.exists(self.path):
                raise MetastoreError(f"Cannot open {what} {self.path}: the folder is read-only "
                                     "and holds no such file yet")
            try:
                self.con().execute("SELECT count(*) FROM sqlite_master").fetchall()
            except sqlite3.Error as e:
                raise MetastoreError(f"Cannot open {what} {self.path}: {e}") from None
            return
        try:
            # One IMMEDIATE transaction: a second process creating the file at the same
            # moment waits for the lock rather than failing on a lock upgrade.
            with self.write() as con:
                for statement in schema.split(";"):
                    if statement.strip():
                        con.execute(statement)       # idempotent
                if seed is not None:
                    seed(con)
        except sqlite3.Error as e:            # not a database, unwritable, ...: say which file
            raise MetastoreError(f"Cannot open {what} {self.path}: {e}") from None

    def con(self) -> sqlite3.Connection:
        """This thread's connection (autocommit outside `write()`)."""
        con = getattr(self._local, "con", None)
        if con is None:
            if self.read_only:
                con = _open_read_only(self.path)
                self._local.con = con
                return con
            con = sqlite3.connect(self.path, timeout=TIMEOUT_S, isolation_level=None)
            try:
                con.execute(f"PRAGMA busy_timeout={TIMEOUT_S * 1000}")
                _switch_to_wal(con)
                for pragma in self.pragmas:
                    con.execute(f"PRAGMA {pragma}")
            except BaseException:
                con.close()
                raise
            self._local.con = con
        return con

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One BEGIN IMMEDIATE transaction: committed at the end, rolled back on an error."""
        if self.read_only:
            raise MetastoreError(f"Cannot change {self.what} {self.path}: its folder is on a "
                                 "read-only filesystem (PARTHENON_HOME is read-only); only "
                                 "statements that read can run")
        con = self.con()
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")


def _open_read_only(path: str) -> sqlite3.Connection:
    """Read-only, WAL included where its index (-shm) can be read; else as immutable, which
    needs no lock or index file (a folder with none, after a clean shutdown)."""
    uri = f"file:{urllib.parse.quote(os.path.abspath(path))}?mode=ro"
    con = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchall()
        return con
    except sqlite3.Error:
        con.close()
    return sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)


def _switch_to_wal(con: sqlite3.Connection) -> None:
    # "database is locked" comes at once, not after busy_timeout, while another process
    # holds the new file to switch it to WAL itself: retry until the deadline.
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        try:
            con.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
