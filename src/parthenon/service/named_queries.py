"""Saved queries: Create/Get/BatchGet/List/Update/DeleteNamedQuery, each kept in a
workgroup; a ClientRequestToken makes creation idempotent."""
from __future__ import annotations

import threading
import uuid

from .errors import InvalidRequest
from .models import NamedQuery
from .paging import batch_get, page
from .store import ServiceStore
from .workgroups import WorkGroups


class NamedQueries:
    def __init__(self, store: ServiceStore, lock: threading.RLock, workgroups: WorkGroups):
        self.store = store
        self.lock = lock
        self.workgroups = workgroups

    def create_named_query(self, p: dict) -> dict:
        for key in ("Name", "Database", "QueryString"):
            if not p.get(key):
                raise InvalidRequest(f"{key} is required")
        wg = self.workgroups.require(p.get("WorkGroup"))
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

    def _require(self, id) -> NamedQuery:
        nq = self.store.get_named_query(id) if isinstance(id, str) else None
        if nq is None:
            raise InvalidRequest(f"NamedQuery {id} was not found")
        return nq

    def get_named_query(self, p: dict) -> dict:
        return {"NamedQuery": self._require(p.get("NamedQueryId")).to_api()}

    def batch_get_named_query(self, p: dict) -> dict:
        found, missing = batch_get(p.get("NamedQueryIds"), self.store.get_named_query,
                                   "NamedQueryId", "NamedQuery")
        return {"NamedQueries": found, "UnprocessedNamedQueryIds": missing}

    def list_named_queries(self, p: dict) -> dict:
        wg = self.workgroups.require(p.get("WorkGroup"))
        ids, extra = page(self.store.list_named_query_ids(wg.name), p, 50, 50)
        return {"NamedQueryIds": ids, **extra}

    def update_named_query(self, p: dict) -> dict:
        nq = self._require(p.get("NamedQueryId"))
        nq.name = p.get("Name") or nq.name
        nq.query = p.get("QueryString") or nq.query
        if "Description" in p:
            nq.description = p["Description"]
        self.store.put_named_query(nq)
        return {}

    def delete_named_query(self, p: dict) -> dict:
        self._require(p.get("NamedQueryId"))
        self.store.delete_named_query(p["NamedQueryId"])
        return {}
