"""Files staged, then committed; the catalog last; anything interrupted rolled back.

A write (CTAS, INSERT INTO, UNLOAD) goes through one `WriteJob`:

1. `begin`: a journal `<PARTHENON_HOME>/writes/<query-id>.json` names the process
   and the staging folder.  Data files are written there: for a local target,
   `<target>/_parthenon_staging/<query-id>/` (same filesystem, so landing a file is a
   rename; listings hide names starting with `_`); for S3, a local folder
   `<PARTHENON_HOME>/staging/<query-id>/` (landing a file is an upload: one PUT, or a
   multipart upload above `storage.s3.MULTIPART_THRESHOLD`).
2. `commit`: the journal is rewritten with every final file and the catalog change
   to undo (`committing`); files land at their final names; the catalog changes in
   one SQLite transaction; the journal is removed.  Only then is the query done.
3. `abort` (failure, cancel) and `recover` (a journal left by a process that died,
   found when the next Session opens that home) undo it all: the files that landed
   are deleted, unfinished multipart uploads to them aborted, the catalog change
   undone, the staging folder removed.

What may remain after a kill -9: nothing that a table presents.  The journal is
rolled back on the next start; until then, staged files sit in a hidden folder and
landed ones (during the few milliseconds of a commit) in a table that is not yet
registered (CTAS) or under their final names (INSERT, UNLOAD) -- the one window
where a reader could see part of a write, as with Athena itself.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import storage
from ..catalog.store import CatalogStore
from ..errors import QueryCancelled
from ..processes import alive

log = logging.getLogger(__name__)
STAGING_FOLDER = "_parthenon_staging"


@dataclass
class Undo:
    """The catalog change a commit makes, so a rollback can take it back."""
    table: tuple[str, str, str] | None = None              # (db, name, location) created
    partitions: list[tuple[str, ...]] = field(default_factory=list)   # created in `partitions_of`
    partitions_of: tuple[str, str] | None = None


class WriteJob:
    def __init__(self, home: Path, query_id: str, target: str):
        self.home = Path(home)
        self.query_id = query_id
        self.journal = self.home / "writes" / f"{query_id}.json"
        if target.startswith("s3://"):
            self.staging = str(self.home / "staging" / query_id)
            self.staging_parent = None
        else:
            root = storage.normalize_location(target).rstrip("/")
            self.staging_parent = f"{root}/{STAGING_FOLDER}"
            self.staging = f"{self.staging_parent}/{query_id}"
        self.files: list[tuple[str, str]] = []     # (staged path, final URL)
        self._created_target = None if target.startswith("s3://") else \
            not os.path.exists(storage.normalize_location(target))
        self._target = target

    # -- 1. staging
    def begin(self) -> None:
        self._write_journal("staging", [], Undo())
        os.makedirs(self.staging, exist_ok=True)

    def staged_path(self, final_url: str) -> str:
        """A new staged file, to land at `final_url` on commit."""
        path = os.path.join(self.staging, f"{len(self.files):06d}")
        self.files.append((path, final_url))
        return path

    # -- 2. commit
    def commit(self, change_catalog: Callable[[], None], undo: Undo,
               stop_reason: str | None = None) -> list[str]:
        """Land every file, then change the catalog; the final URLs, in order.
        A `stop_reason` (cancelled, over the scan limit) undoes the write instead."""
        if stop_reason:
            raise QueryCancelled(stop_reason)
        finals = [url for _, url in self.files]
        self._write_journal("committing", finals, undo)
        for path, url in self.files:
            storage.move_in(path, url)
        change_catalog()
        self.journal.unlink(missing_ok=True)      # the commit point: nothing to undo now
        self._remove_staging()
        return finals

    # -- 3. undo
    def abort(self, store: CatalogStore) -> None:
        try:
            doc = json.loads(self.journal.read_text()) if self.journal.exists() else None
        except (OSError, ValueError):
            doc = None
        if doc is not None:
            rollback(doc, store)
            self.journal.unlink(missing_ok=True)
        else:
            self._remove_staging()

    def _remove_staging(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        _remove_empty(self.staging_parent)
        if self._created_target and not self._target.startswith("s3://"):
            _remove_empty(storage.normalize_location(self._target).rstrip("/"))

    def _write_journal(self, phase: str, finals: list[str], undo: Undo) -> None:
        doc = {"query_id": self.query_id, "pid": os.getpid(), "phase": phase,
               "staging": self.staging, "staging_parent": self.staging_parent,
               "target": self._target, "created_target": self._created_target,
               "finals": finals, "undo": {"table": undo.table, "partitions": undo.partitions,
                                          "partitions_of": undo.partitions_of}}
        self.journal.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.journal.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc))
        os.replace(tmp, self.journal)


def rollback(doc: dict, store: CatalogStore) -> None:
    """Undo a write from its journal: catalog first (so nothing presents the files), then files."""
    undo = doc.get("undo") or {}
    if undo.get("table"):
        db, name, location = undo["table"]
        table = store.get_table(db, name)
        if table is not None and table.location == location:
            store.drop_table(db, name, if_exists=True)
    if undo.get("partitions") and undo.get("partitions_of"):
        db, name = undo["partitions_of"]
        if store.get_table(db, name) is not None:
            store.drop_partitions(db, name, [tuple(v) for v in undo["partitions"]], if_exists=True)
    finals = doc.get("finals") or []
    for url in finals:
        try:
            storage.delete(url)
            if not url.startswith("s3://"):
                _remove_empty(os.path.dirname(storage.normalize_location(url)))
        except Exception:     # keep undoing the rest; a leftover is logged
            log.warning("could not delete %s while rolling back query %s", url, doc.get("query_id"))
    _abort_uploads(finals)
    shutil.rmtree(doc["staging"], ignore_errors=True)
    _remove_empty(doc.get("staging_parent"))
    target = doc.get("target") or ""
    if doc.get("created_target") and not target.startswith("s3://"):
        _remove_empty_tree(storage.normalize_location(target).rstrip("/"))


def recover(home: Path, store: CatalogStore) -> list[str]:
    """Roll back the writes of processes that died mid-way; the query ids undone."""
    folder = Path(home) / "writes"
    undone = []
    for journal in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            doc = json.loads(journal.read_text())
        except (OSError, ValueError):
            continue
        if alive(doc.get("pid")):
            continue
        log.warning("rolling back query %s, interrupted while writing", doc.get("query_id"))
        rollback(doc, store)
        journal.unlink(missing_ok=True)
        undone.append(doc.get("query_id"))
    return undone


def _abort_uploads(finals: list[str]) -> None:
    """Multipart uploads a killed process left open: invisible, but stored and billed."""
    from ..storage import s3
    keys_by_bucket: dict[str, set[str]] = {}
    for url in finals:
        if url.startswith("s3://"):
            bucket, key = s3.split(url)
            keys_by_bucket.setdefault(bucket, set()).add(key)
    for bucket, keys in keys_by_bucket.items():
        prefix = os.path.commonprefix(sorted(keys))
        try:
            uploads = s3.client().list_multipart_uploads(Bucket=bucket, Prefix=prefix).get("Uploads", [])
            for u in uploads:
                if u["Key"] in keys:
                    s3.client().abort_multipart_upload(Bucket=bucket, Key=u["Key"], UploadId=u["UploadId"])
        except Exception:
            log.warning("could not list or abort multipart uploads in %s", bucket)


def _remove_empty(folder: str | None) -> None:
    if folder:
        try:
            os.rmdir(folder)
        except OSError:
            pass


def _remove_empty_tree(folder: str) -> None:
    """Remove `folder` and its sub-folders if they hold no file at all."""
    if not os.path.isdir(folder):
        return
    for root, dirs, files in os.walk(folder, topdown=False):
        if not files:
            _remove_empty(root)
