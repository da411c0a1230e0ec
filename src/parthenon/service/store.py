"""The service's persistence: query history, workgroups, saved and prepared queries.

One SQLite file under PARTHENON_HOME (`service.db`), beside the catalog's.  Records
are JSON documents keyed by their identity, with the columns the API filters and
orders on (workgroup, submission time, idempotency token) broken out.  WAL and
synchronous=NORMAL keep a state change well under a millisecond, which matters:
every query writes its state three times.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from ..sqlite_store import SqliteFile
from .models import NamedQuery, PreparedStatement, QueryExecution, WorkGroup

SCHEMA = """
CREATE TABLE IF NOT EXISTS executions (
    id TEXT PRIMARY KEY, workgroup TEXT NOT NULL, submitted REAL NOT NULL,
    token TEXT, state TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS executions_by_wg ON executions (workgroup, submitted);
CREATE UNIQUE INDEX IF NOT EXISTS executions_by_token ON executions (token) WHERE token IS NOT NULL;
CREATE TABLE IF NOT EXISTS workgroups (name TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS named_queries (
    id TEXT PRIMARY KEY, workgroup TEXT NOT NULL, token TEXT, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS prepared_statements (
    workgroup TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (workgroup, name));
CREATE TABLE IF NOT EXISTS tags (
    resource TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (resource, key));
"""


def _doc(record) -> str:
    return json.dumps(dataclasses.asdict(record))


class ServiceStore:
    def __init__(self, path: Path | str):
        self._db = SqliteFile(path, SCHEMA, what="the service store",
                              pragmas=("synchronous=NORMAL",))
        self.path = self._db.path

    # -- query executions
    def put_execution(self, q: QueryExecution) -> None:
        self._db.con().execute("INSERT OR REPLACE INTO executions VALUES (?, ?, ?, ?, ?, ?)",
                               (q.id, q.workgroup, q.submitted, q.client_token, q.state, _doc(q)))

    def get_execution(self, id: str) -> QueryExecution | None:
        row = self._db.con().execute("SELECT doc FROM executions WHERE id = ?", (id,)).fetchone()
        return QueryExecution(**json.loads(row[0])) if row else None

    def execution_by_token(self, token: str) -> QueryExecution | None:
        row = self._db.con().execute("SELECT doc FROM executions WHERE token = ?", (token,)).fetchone()
        return QueryExecution(**json.loads(row[0])) if row else None

    def succeeded_executions(self, workgroup: str, query: str, since: float) -> list[QueryExecution]:
        """A workgroup's SUCCEEDED executions of one query string since a time, newest first
        (the candidates for result reuse)."""
        rows = self._db.con().execute(
            "SELECT doc FROM executions WHERE workgroup = ? AND submitted >= ? AND state = 'SUCCEEDED'"
            " AND json_extract(doc, '$.query') = ? ORDER BY submitted DESC", (workgroup, since, query)).fetchall()
        return [QueryExecution(**json.loads(r[0])) for r in rows]

    def list_execution_ids(self, workgroup: str, offset: int, limit: int) -> list[str]:
        rows = self._db.con().execute(
            "SELECT id FROM executions WHERE workgroup = ? ORDER BY submitted DESC, id "
            "LIMIT ? OFFSET ?", (workgroup, limit, offset)).fetchall()
        return [r[0] for r in rows]

    def unfinished_executions(self) -> list[QueryExecution]:
        rows = self._db.con().execute(
            "SELECT doc FROM executions WHERE state IN ('QUEUED', 'RUNNING')").fetchall()
        return [QueryExecution(**json.loads(r[0])) for r in rows]

    # -- workgroups
    def put_workgroup(self, wg: WorkGroup) -> None:
        self._db.con().execute("INSERT OR REPLACE INTO workgroups VALUES (?, ?)", (wg.name, _doc(wg)))

    def get_workgroup(self, name: str) -> WorkGroup | None:
        row = self._db.con().execute("SELECT doc FROM workgroups WHERE name = ?", (name,)).fetchone()
        return WorkGroup(**json.loads(row[0])) if row else None

    def list_workgroups(self) -> list[WorkGroup]:
        rows = self._db.con().execute("SELECT doc FROM workgroups ORDER BY name").fetchall()
        return [WorkGroup(**json.loads(r[0])) for r in rows]

    def delete_workgroup(self, name: str) -> None:
        con = self._db.con()
        con.execute("DELETE FROM workgroups WHERE name = ?", (name,))
        con.execute("DELETE FROM named_queries WHERE workgroup = ?", (name,))
        con.execute("DELETE FROM prepared_statements WHERE workgroup = ?", (name,))
        con.execute("DELETE FROM tags WHERE resource = ?", (f"workgroup/{name}",))

    # -- tags, by resource ("workgroup/<name>", "datacatalog/<name>")
    def put_tags(self, resource: str, tags: dict[str, str]) -> None:
        with self._db.write() as con:
            con.executemany("INSERT OR REPLACE INTO tags VALUES (?, ?, ?)",
                            [(resource, k, v) for k, v in tags.items()])

    def delete_tags(self, resource: str, keys: list[str]) -> None:
        with self._db.write() as con:
            con.executemany("DELETE FROM tags WHERE resource = ? AND key = ?",
                            [(resource, k) for k in keys])

    def list_tags(self, resource: str) -> list[tuple[str, str]]:
        return self._db.con().execute("SELECT key, value FROM tags WHERE resource = ? ORDER BY key",
                                      (resource,)).fetchall()

    # -- named queries
    def put_named_query(self, nq: NamedQuery) -> None:
        self._db.con().execute("INSERT OR REPLACE INTO named_queries VALUES (?, ?, ?, ?)",
                               (nq.id, nq.workgroup, nq.client_token, _doc(nq)))

    def get_named_query(self, id: str) -> NamedQuery | None:
        row = self._db.con().execute("SELECT doc FROM named_queries WHERE id = ?", (id,)).fetchone()
        return NamedQuery(**json.loads(row[0])) if row else None

    def named_query_by_token(self, token: str) -> NamedQuery | None:
        row = self._db.con().execute(
            "SELECT doc FROM named_queries WHERE token = ?", (token,)).fetchone()
        return NamedQuery(**json.loads(row[0])) if row else None

    def list_named_query_ids(self, workgroup: str) -> list[str]:
        rows = self._db.con().execute("SELECT id FROM named_queries WHERE workgroup = ? ORDER BY rowid",
                                      (workgroup,)).fetchall()
        return [r[0] for r in rows]

    def delete_named_query(self, id: str) -> None:
        self._db.con().execute("DELETE FROM named_queries WHERE id = ?", (id,))

    # -- prepared statements
    def put_prepared(self, ps: PreparedStatement) -> None:
        self._db.con().execute("INSERT OR REPLACE INTO prepared_statements VALUES (?, ?, ?)",
                               (ps.workgroup, ps.name, _doc(ps)))

    def get_prepared(self, workgroup: str, name: str) -> PreparedStatement | None:
        row = self._db.con().execute(
            "SELECT doc FROM prepared_statements WHERE workgroup = ? AND name = ?",
            (workgroup, name)).fetchone()
        return PreparedStatement(**json.loads(row[0])) if row else None

    def list_prepared(self, workgroup: str) -> list[PreparedStatement]:
        rows = self._db.con().execute(
            "SELECT doc FROM prepared_statements WHERE workgroup = ? ORDER BY name",
            (workgroup,)).fetchall()
        return [PreparedStatement(**json.loads(r[0])) for r in rows]

    def delete_prepared(self, workgroup: str, name: str) -> bool:
        cur = self._db.con().execute("DELETE FROM prepared_statements WHERE workgroup = ? AND name = ?",
                                     (workgroup, name))
        return cur.rowcount > 0
