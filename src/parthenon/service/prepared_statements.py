"""Prepared statements as resources: Create/Get/BatchGet/List/Update/DeletePreparedStatement,
each named within a workgroup.  (The PREPARE / EXECUTE / DEALLOCATE statement texts that
also reach them are read in `statements.py`.)"""
from __future__ import annotations

import re
import time

from .errors import InvalidRequest, ResourceNotFound
from .models import PreparedStatement
from .paging import batch_get, page
from .store import ServiceStore
from .workgroups import WorkGroups


class PreparedStatements:
    def __init__(self, store: ServiceStore, workgroups: WorkGroups):
        self.store = store
        self.workgroups = workgroups

    def create_prepared_statement(self, p: dict, replace: bool = False) -> dict:
        """`replace` for a PREPARE statement, which may redefine a name."""
        name, wg = p.get("StatementName") or "", self.workgroups.require(p.get("WorkGroup"))
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,255}", name) or not p.get("QueryStatement"):
            raise InvalidRequest("StatementName and QueryStatement are required")
        if not replace and self.store.get_prepared(wg.name, name) is not None:
            raise InvalidRequest(f"Prepared statement {name} already exists in workgroup {wg.name}")
        self.store.put_prepared(PreparedStatement(name, wg.name, p["QueryStatement"], time.time(),
                                                  p.get("Description") or ""))
        return {}

    def _require(self, p: dict) -> PreparedStatement:
        wg = self.workgroups.require(p.get("WorkGroup"))
        ps = self.store.get_prepared(wg.name, p.get("StatementName") or "")
        if ps is None:
            raise ResourceNotFound(f"Prepared statement {p.get('StatementName')} was not found in "
                                   f"workgroup {wg.name}", ResourceName=str(p.get("StatementName")))
        return ps

    def get_prepared_statement(self, p: dict) -> dict:
        return {"PreparedStatement": self._require(p).to_api()}

    def update_prepared_statement(self, p: dict) -> dict:
        ps = self._require(p)
        ps.query, ps.modified = p.get("QueryStatement") or ps.query, time.time()
        if "Description" in p:
            ps.description = p["Description"]
        self.store.put_prepared(ps)
        return {}

    def list_prepared_statements(self, p: dict) -> dict:
        wg = self.workgroups.require(p.get("WorkGroup"))
        items, extra = page([s.summary() for s in self.store.list_prepared(wg.name)], p, 50, 50)
        return {"PreparedStatements": items, **extra}

    def batch_get_prepared_statement(self, p: dict) -> dict:
        wg = self.workgroups.require(p.get("WorkGroup"))
        found, missing = batch_get(p.get("PreparedStatementNames"),
                                   lambda name: self.store.get_prepared(wg.name, name),
                                   "StatementName", "Prepared statement")
        return {"PreparedStatements": found, "UnprocessedPreparedStatementNames": missing}

    def delete_prepared_statement(self, p: dict) -> dict:
        ps = self._require(p)
        self.store.delete_prepared(ps.workgroup, ps.name)
        return {}
