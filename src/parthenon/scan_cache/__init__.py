"""A transparent columnar cache of decoded text and JSON objects, under PARTHENON_HOME/scan-cache.

The first scan of a raw object (CloudTrail, JSON, delimited, OpenCSV, Regex, Grok
and the log SerDes built on them) keeps the columns the query decoded as a
Parquet file; later scans of the same object read that file instead of decoding
again, and a query needing more columns decodes the object once more with the
union of both.  Entries are keyed by the table's decoding rules (keys.signature)
and the object's identity (ETag, or size + mtime + inode): a changed object is
decoded again, one no longer listed where it was is forgotten.  The cache is
bounded by size (least recently used entries go first) and can be switched off
per table (TBLPROPERTIES 'parthenon.scan_cache'='false'), per workgroup, or
altogether (size 0).

Bytes read from entries are cache bytes, reported apart from Data scanned, which
counts the source objects read (a query answered from the cache scans 0 bytes).

The cache can only make a query cheaper, never change its answer: anything wrong
with it (an unwritable folder, a damaged index or entry file) is logged and the
query reads its objects as if there were no cache.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlglot import exp

from ..catalog.model import Table
from ..errors import ParthenonError, QueryCancelled
from ..processes import alive
from ..formats.scan import Scan
from ..sqlite_store import MetastoreError
from . import columns, keys
from .decode import cached_scan, decode, groups, stop_if_cancelled
from .index import Entry, File, Index, folder_of

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 2**30      # 10 GiB ...
DEFAULT_DISK_SHARE = 0.10           # ... or 10% of the free disk, whichever is smaller
FOLDER = "scan-cache"
# A file another live process used this recently may be being read by it now: kept.
IN_USE_SECONDS = 60.0
# Cache files this process's running queries read (absolute paths): never removed under them.
_reading: Counter[str] = Counter()
_reading_lock = threading.Lock()
_FAILURES = (OSError, sqlite3.Error, MetastoreError, ValueError)


_configured: int | None = None     # the process's bound, set by `--cache-size`


def configure(max_bytes: int | None) -> None:
    """The bound of every ScanCache made from now on in this process (None: the default)."""
    global _configured
    _configured = max_bytes


def default_max_bytes(home: Path) -> int:
    if _configured is not None:
        return _configured
    try:
        free = shutil.disk_usage(home).free
    except OSError:
        return DEFAULT_MAX_BYTES
    return int(min(DEFAULT_MAX_BYTES, free * DEFAULT_DISK_SHARE))


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*|%)\s*")


def parse_size(text: str, home: Path) -> int:
    """`--cache-size`: `10GB`, `512MiB`, `1048576`, `5%` (of the free disk under `home`),
    or `0` / `off` (no cache)."""
    from ..engine.limits import _UNITS
    if (text or "").strip().lower() == "off":
        return 0
    m = _SIZE.fullmatch(text or "")
    if m and m.group(2) == "%" and 0 <= float(m.group(1)) <= 100:
        return int(shutil.disk_usage(home).free * float(m.group(1)) / 100)
    if m and m.group(2).lower() in _UNITS:
        return int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    raise ValueError(f"Invalid cache size '{text}': give bytes with a unit (512MB, 10GB), "
                     "a share of the free disk (5%), or 0 for no cache")


class ScanCache:
    """One process's view of the cache folder (shared with other processes)."""

    def __init__(self, home: Path, max_bytes: int | None = None):
        self.root = Path(home) / FOLDER
        self.max_bytes = default_max_bytes(Path(home)) if max_bytes is None else max_bytes
        self._index: Index | None = None

    @property
    def index(self) -> Index:
        if self._index is None:          # opened on first use: queries that never scan text pay nothing
            self.root.mkdir(parents=True, exist_ok=True)
            self._index = Index(self.root)
        return self._index

    @contextmanager
    def query(self, ast: exp.Expression | None = None) -> Iterator["CacheUse"]:
        """One query's use of the cache: the files it reads are not removed until it ends.
        A query that may stop after a few rows (`ast`: see stops_early) reads the cache
        only where every object is there, and never decodes all of them to fill it."""
        use = CacheUse(self, [], fill=ast is None or not stops_early(ast))
        try:
            yield use
        finally:
            with _reading_lock:
                for path in use.held:
                    _reading[path] -= 1
                    if _reading[path] <= 0:
                        del _reading[path]

    def _hold(self, held: list[str], files) -> None:
        with _reading_lock:
            for f in files:
                path = str(self.root / f)
                _reading[path] += 1
                held.append(path)

    def _in_use(self, file: str, last_used: float, used_by: int) -> bool:
        """Whether a query may be reading the file now: one of this process's (they say
        so), or another live process's that used it in the last IN_USE_SECONDS."""
        if str(self.root / file) in _reading:
            return True
        return used_by != os.getpid() and last_used > time.time() - IN_USE_SECONDS and alive(used_by)

    def add_scan(self, q, name: str, table: Table, scan: Scan, errors: tuple = (),
                 held: list[str] | None = None, fill: bool = True) -> None:
        """BackendQuery.add_scan(name, scan), from the cache where it can be.  `errors`:
        what the engine raises (Backend.errors), when it cannot read a cache file; `held`
        (from `query()`) collects the files the query reads."""
        held = [] if held is None else held
        fmt = keys.cached_format(table) if self.max_bytes > 0 and keys.table_allows(table) else None
        if fmt is None or not scan.files or scan.arrow is not None or scan.ranged:
            q.add_scan(name, scan)
            return
        for attempt in range(2):
            try:
                planned = self._prepare(q, name, table, fmt, scan, held, fill)
            except _FAILURES as e:
                log.warning("scan cache not used for %s: %s", table.qualified_name, e)
                planned = None
            if planned is None:
                break
            cached, used = planned
            stop_if_cancelled(q)
            try:
                q.add_scan(name, cached)
                return
            except (*errors, ParthenonError) as e:   # a cache file the engine cannot read
                if isinstance(e, QueryCancelled):
                    raise
                log.warning("scan cache files for %s unreadable, decoding again: %s",
                            table.qualified_name, e)
                self._quietly(lambda: self.index.forget_files(sorted({e.file for e in used})), None)
        q.add_scan(name, scan)

    # -- the steps
    def _prepare(self, q, name: str, table: Table, fmt, scan: Scan, held: list[str],
                 fill: bool = True) -> tuple[Scan, list[Entry]] | None:
        idents = [keys.identity(f.obj) for f in scan.files]
        if None in idents:
            return None
        sig = keys.signature(table, fmt)
        want = columns.wanted(table, scan)
        spelled: dict[tuple, str] = {}
        parts = [spelled.get(f.partition_values) or
                 spelled.setdefault(f.partition_values, json.dumps(f.partition_values))
                 for f in scan.files]
        if len(set(zip(listed_urls := [f.obj.url for f in scan.files], parts))) < len(parts):
            return None     # an object listed twice in one partition: read twice, as listed
        entries, files = self.index.in_folders(sig, sorted({folder_of(f.obj.url) for f in scan.files}))
        found = {(e.url, e.part): e for e in entries}
        listed = set(listed_urls)
        # an entry in a folder the query listed whose object is no longer there: deleted
        gone = [e for e in entries if e.url not in listed]
        intact = {name for name, f in files.items() if self._intact(f)}
        hits: dict[int, Entry] = {}
        misses: dict[frozenset, list[int]] = {}
        for i, (f, ident, part) in enumerate(zip(scan.files, idents, parts)):
            e = found.get((f.obj.url, part))
            same = e is not None and e.identity == ident
            if same and columns.covers(e.columns, want) and e.file in intact:
                hits[i] = e
            else:   # decoded again with what the entry held too: it only ever grows
                misses.setdefault(columns.merged(table, want, e.columns if same else frozenset()), []).append(i)
        if misses and not fill:
            return None
        self._hold(held, {e.file for e in hits.values()})
        if gone:
            self.index.forget(gone)
        if set(files) - intact:
            self.index.forget_files(sorted(set(files) - intact))
        written, new_files = self._decode(q, name, table, fmt, scan, sig, idents, parts, misses, held)
        files.update(new_files)
        used = {**hits, **written}
        if hits:
            self.index.touch(sorted({e.file for e in hits.values()}))
        self._drop(self.index.evict(self.max_bytes, self._in_use))
        wanted: dict[str, set[int]] = {}
        values: dict[str, tuple] = {}
        stands_for: dict[str, int] = {}
        # objects this query read from storage (decoded by it, maybe for an earlier scan of
        # the same table in a self-join) are counted already: each object once
        read = getattr(getattr(q, "files", None), "read_urls", {})
        for i, e in used.items():
            wanted.setdefault(e.file, set()).add(e.object)
            values[e.file] = scan.files[i].partition_values
            counted = i not in hits or scan.files[i].obj.url in read
            stands_for[e.file] = stands_for.get(e.file, 0) + (0 if counted else scan.files[i].obj.size)
        whole = all(len(wanted[n]) == files[n].objects for n in wanted)
        cache_files = [(str(self.root / n), files[n].bytes, values[n], stands_for[n])
                       for n in sorted(wanted)]
        kept = None if scan.needed_columns is None else columns.column_names(want)
        objects = None if whole else [o for ids in wanted.values() for o in ids]
        return cached_scan(table, scan, cache_files, kept, objects), list(used.values())

    def _decode(self, q, name, table, fmt, scan, sig, idents, parts, misses, held):
        """Decode the missing objects a group (one partition, GROUP_BYTES) at a time into one
        file each, recorded as soon as written (a cancel leaves no file without its rows).
        Returns the new entries by scan position and the new files."""
        written: dict[int, Entry] = {}
        new_files: dict[str, File] = {}
        for kept, indexes in misses.items():
            names = columns.column_names(kept)
            ordered = [c.name for c in table.columns if c.name in names]
            for group in groups([(i, scan.files[i]) for i in indexes]):
                relative = keys.file_name(sig)
                ids = [keys.object_id(relative, f.obj.url) for _, f in group]
                size, mtime = decode(q, f"{name}__decode{len(new_files)}", table, fmt,
                                     [f for _, f in group], ordered, columns.struct_fields(kept),
                                     ids, self.root, relative)
                self._hold(held, [relative])
                file = File(relative, size, mtime, len(group))
                new_files[relative] = file
                entries = {i: Entry(sig, f.obj.url, parts[i], folder_of(f.obj.url), idents[i],
                                    relative, oid, kept)
                           for (i, f), oid in zip(group, ids)}
                self.index.put(file, list(entries.values()))
                written.update(entries)
        return written, new_files

    def _intact(self, f: File) -> bool:
        """The file is the one written (not removed, truncated or replaced since)."""
        try:
            st = os.stat(self.root / f.file)
        except OSError:
            return False
        return st.st_size == f.bytes and st.st_mtime_ns == f.mtime_ns

    def _drop(self, files: list[str]) -> None:
        for relative in files:
            try:
                os.unlink(self.root / relative)
            except OSError:
                pass

    @staticmethod
    def _quietly(call, default):
        try:
            return call()
        except _FAILURES as e:
            log.warning("scan cache: %s", e)
            return default


class CacheUse:
    """The scan cache within one query (ScanCache.query())."""

    def __init__(self, cache: ScanCache, held: list[str], fill: bool = True):
        self.cache, self.held, self.fill = cache, held, fill

    def add_scan(self, q, name: str, table: Table, scan: Scan, errors: tuple = ()) -> None:
        self.cache.add_scan(q, name, table, scan, errors, self.held, self.fill)


def stops_early(ast: exp.Expression) -> bool:
    """A plain `SELECT ... [WHERE ...] LIMIT n` over one table: the engine stops after n
    rows, where filling the cache would decode every object."""
    if not isinstance(ast, exp.Select) or ast.args.get("limit") is None:
        return False
    if any(ast.args.get(k) for k in ("group", "order", "distinct", "having", "joins", "qualify")):
        return False
    nested = (exp.Subquery, exp.AggFunc, exp.Window, exp.Union, exp.Join)
    return not any(isinstance(node, nested) for node in ast.find_all(*nested))


__all__ = ["ScanCache", "configure", "default_max_bytes", "parse_size"]
