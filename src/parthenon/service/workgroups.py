"""Workgroups: Create/Get/List/Update/DeleteWorkGroup, and the lookup every other action
makes to resolve its WorkGroup member (absent means `primary`, which always exists)."""
from __future__ import annotations

import re
import threading
import time
from typing import Callable

from .errors import InvalidRequest
from .models import WorkGroup
from .paging import page
from .store import ServiceStore

PRIMARY = "primary"
# Athena stops a DML query at 30 minutes (its "DML query timeout" quota).  Parthenon's
# workgroups carry their own limit: the tag below at CreateWorkGroup (Athena's API has no
# member for it, and tags travel through every client unchanged), kept in the
# configuration under TIMEOUT_KEY.
DEFAULT_TIMEOUT_MINUTES = 30.0
TIMEOUT_TAG = "parthenon:query-timeout-minutes"
TIMEOUT_KEY = "ParthenonQueryTimeoutMinutes"
# The scan cache (scan_cache/) can be switched off for a workgroup the same way: tag
# parthenon:scan-cache=off at CreateWorkGroup, kept in the configuration as "off".
SCAN_CACHE_TAG = "parthenon:scan-cache"
SCAN_CACHE_KEY = "ParthenonScanCache"


def query_timeout_minutes(wg: WorkGroup) -> float:
    return float(wg.configuration.get(TIMEOUT_KEY) or DEFAULT_TIMEOUT_MINUTES)


def scan_cache_allowed(wg: WorkGroup) -> bool:
    return wg.configuration.get(SCAN_CACHE_KEY) != "off"


def _scan_cache_from_tags(tags) -> str | None:
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, dict) and tag.get("Key") == SCAN_CACHE_TAG:
            value = str(tag.get("Value") or "").strip().lower()
            if value not in ("on", "off"):
                raise InvalidRequest(f"Tag {SCAN_CACHE_TAG} must be 'on' or 'off', "
                                     f"not {tag.get('Value')!r}")
            return value
    return None


def _timeout_from_tags(tags) -> float | None:
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, dict) and tag.get("Key") == TIMEOUT_TAG:
            try:
                minutes = float(tag.get("Value"))
            except (TypeError, ValueError):
                minutes = 0
            if not 0 < minutes <= 24 * 60:
                raise InvalidRequest(f"Tag {TIMEOUT_TAG} must be a number of minutes "
                                     f"above 0 and at most 1440, not {tag.get('Value')!r}")
            return minutes
    return None
# The engine a workgroup's queries run on: the tag below at CreateWorkGroup, kept in the
# configuration under ENGINE_KEY.  Not Athena's EngineVersion, which names versions of
# Athena's own engine (Trino) and which clients set and read back for that meaning.
ENGINE_TAG = "parthenon:engine"
ENGINE_KEY = "ParthenonEngine"
ENGINES = ("duckdb", "spark")


def query_engine(wg: WorkGroup) -> str:
    return wg.configuration.get(ENGINE_KEY) or "duckdb"


def _engine_from_tags(tags) -> str | None:
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, dict) and tag.get("Key") == ENGINE_TAG:
            value = str(tag.get("Value") or "").lower()
            if value not in ENGINES:
                raise InvalidRequest(f"Tag {ENGINE_TAG} must be one of {', '.join(ENGINES)}, "
                                     f"not {tag.get('Value')!r}")
            return value
    return None


_WORKGROUP_NAME = re.compile(r"[a-zA-Z0-9._-]{1,128}")


class WorkGroups:
    def __init__(self, store: ServiceStore, lock: threading.RLock,
                 output_folder: Callable[[str], str] = lambda location: location):
        self.store = store
        self.lock = lock
        self.output_folder = output_folder     # checks a workgroup's OutputLocation
        if store.get_workgroup(PRIMARY) is None:
            store.put_workgroup(WorkGroup(PRIMARY, created=time.time()))

    def require(self, name: str | None) -> WorkGroup:
        """The named workgroup (`primary` when no name is given)."""
        name = name or PRIMARY
        wg = self.store.get_workgroup(name)
        if wg is None:
            raise InvalidRequest(f"WorkGroup {name} is not found.")
        return wg

    def create_work_group(self, p: dict) -> dict:
        name = p.get("Name") or ""
        if not _WORKGROUP_NAME.fullmatch(name):
            raise InvalidRequest(f"Invalid WorkGroup name: {name!r}")
        configuration = dict(p.get("Configuration") or {})
        self._check_output((configuration.get("ResultConfiguration") or {}).get("OutputLocation"))
        timeout = _timeout_from_tags(p.get("Tags"))
        if timeout is not None:
            configuration[TIMEOUT_KEY] = timeout
        scan_cache = _scan_cache_from_tags(p.get("Tags"))
        if scan_cache is not None:
            configuration[SCAN_CACHE_KEY] = scan_cache
        engine = _engine_from_tags(p.get("Tags"))
        if engine is not None:
            configuration[ENGINE_KEY] = engine
        with self.lock:
            if self.store.get_workgroup(name) is not None:
                raise InvalidRequest(f"WorkGroup {name} is already created")
            self.store.put_workgroup(WorkGroup(name, created=time.time(),
                                               description=p.get("Description") or "",
                                               configuration=configuration))
        return {}

    def get_work_group(self, p: dict) -> dict:
        return {"WorkGroup": self.require(p.get("WorkGroup")).to_api()}

    def list_work_groups(self, p: dict) -> dict:
        groups, extra = page([wg.summary() for wg in self.store.list_workgroups()], p, 50, 50)
        return {"WorkGroups": groups, **extra}

    def update_work_group(self, p: dict) -> dict:
        with self.lock:
            wg = self.require(p.get("WorkGroup"))
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
            self._check_output(rc_updates.get("OutputLocation"))
            rc = c.setdefault("ResultConfiguration", {})
            for key in ("OutputLocation", "EncryptionConfiguration", "ExpectedBucketOwner",
                        "AclConfiguration"):
                if key in rc_updates:
                    rc[key] = rc_updates[key]
                if rc_updates.get(f"Remove{key}"):
                    rc.pop(key, None)
            self.store.put_workgroup(wg)
        return {}

    def _check_output(self, location) -> None:
        if location:       # stored as written; checked again when a query uses it
            self.output_folder(location)

    def delete_work_group(self, p: dict) -> dict:
        wg = self.require(p.get("WorkGroup"))
        if wg.name == PRIMARY:
            raise InvalidRequest("Cannot delete primary workgroup")
        if not p.get("RecursiveDeleteOption") and (self.store.list_named_query_ids(wg.name)
                                                   or self.store.list_prepared(wg.name)):
            raise InvalidRequest(f"WorkGroup {wg.name} is not empty; use RecursiveDeleteOption")
        self.store.delete_workgroup(wg.name)
        return {}
