"""The only files the engine can open: those a query's scans resolved.

The engine's own local filesystem is disabled; every file it reads comes
through this fsspec filesystem, which serves `parthenon://<query>/...` paths
registered for the running query, reads them from storage, applies the
format's transform, and counts the stored bytes read (Athena's Data scanned).
Text and JSON files are loaded whole (their transforms need the whole
object); columnar files are served by byte range (`ranged.py`), and only the
ranges read are counted.

Objects in S3 are fetched ahead of the engine, a few at a time, in the order
the scan lists them, which hides the object store's latency; the members of a
bundle (small files read as one) are fetched several at once, and so are the files of a scan
read in order by Python (Served.in_order: the fast CloudTrail scan, ORC, Avro) and served as
stored (no transform: what is held ahead is what was fetched), as members are: in order,
none started before the one MEMBER_FETCHES earlier has arrived, within AHEAD_FILES of the
engine and AHEAD_BYTES held.  A cancel stops
all of it: no fetch starts after it, and no wait outlasts it.
"""
from __future__ import annotations

import bisect
import io
import itertools
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Callable

import orjson
from fsspec import AbstractFileSystem

from ... import storage
from ...errors import BadData, ParthenonError, QueryCancelled
from ...formats.scan import Join, Joined, Patched, Transform
from .ranged import RangedFile, RangeSet, SeekableReader

PROTOCOL = "parthenon"
READ_AHEAD = 4      # remote files fetched ahead of the engine's requests
KEEP_RECENT = 4     # files kept after use: the engine may open a file more than once
# remote members of one bundle fetched at once: one after another, 64 objects of a few KB
# cost 64 round trips, and a cancel waited for all of them
MEMBER_FETCHES = 8
CANCEL_POLL = 0.05  # seconds between looks at the cancel while waiting on a fetch
# Remote files read in order and served as stored are fetched like a bundle's members, beyond
# READ_AHEAD (the fast CloudTrail scan took them 4 ahead; bench/DECODERS.md has the figures):
AHEAD_FILES = 64            # at most this many files ahead of the engine
AHEAD_BYTES = 16 * 2**20    # and at most this many stored bytes fetched and not yet used

_pool = ThreadPoolExecutor(max_workers=2 * MEMBER_FETCHES, thread_name_prefix="parthenon-read")
# shared by the bundles fetched at once (READ_AHEAD of them, MEMBER_FETCHES members each)
_member_pool = ThreadPoolExecutor(max_workers=2 * MEMBER_FETCHES, thread_name_prefix="parthenon-member")


@dataclass
class Served:
    obj: storage.ObjectInfo
    transform: Transform
    size_of: Callable[[storage.ObjectInfo], int] | None
    ranged: bool = False          # read by byte range (columnar formats)
    data: bytes | None = None     # served from memory, not counted (a format's schema file)
    size: int | None = None       # the engine's view of the size, once known
    # a scan-cache file (ranged) standing for objects of this many stored bytes: those count
    # as Data scanned (what decoding them would have read), its own bytes as cache bytes
    cache_for: int | None = None
    # a bundle: these files read as one, joined by `join` (Scan.join); `obj` is the first's
    members: list["Served"] | None = None
    join: Join = None
    # read once each, in order, by Python (an ArrowSource scan): fetched ahead further
    # (QueryFiles._extend), where the engine's own readers take files in their own order
    in_order: bool = False

    def presented_size(self) -> int:
        """Asked several times per file by the engine; size_of may cost a request (the
        gzip trailer of an S3 object), so it is asked once."""
        if self.size is None:
            if self.members is not None:
                self.size = sum(m.presented_size() for m in self.members)
            elif self.data is not None:
                self.size = len(self.data)
            else:
                self.size = self.size_of(self.obj) if self.size_of else self.obj.size
        return self.size


class QueryFiles:
    """The files one query may read, their read-ahead, and the bytes read."""

    def __init__(self, key: str):
        self.key = key
        self.served: dict[str, Served] = {}
        self._order: list[str] = []
        self._position: dict[str, int] = {}
        self._pending: dict[str, Future] = {}
        self._recent: OrderedDict[str, bytes | Patched | Joined] = OrderedDict()
        self.read_urls: dict[str, int] = {}
        self.ranges: dict[str, RangeSet] = {}    # url -> bytes read of a ranged file
        self.cache_for: dict[str, int] = {}      # scan-cache files opened -> the bytes they stand for
        self.error: Exception | None = None     # a storage/format error, re-raised after the engine fails
        self.cancelled = threading.Event()      # set by a cancel: no more reads, none ahead
        self._lock = threading.RLock()     # RLock: a fetch's done-callback may run in _submit
        self._engine_at = -1               # the furthest position the engine has asked for
        self._submitted: set[str] = set()  # fetched ahead as stored (_extend), never twice
        self._closed = False

    def add(self, relative: str, served: Served) -> str:
        path = f"{PROTOCOL}://{self.key}/{relative}"
        self.served[path] = served
        self._position[path] = len(self._order)
        self._order.append(path)
        return path

    @property
    def bytes_scanned(self) -> int:
        """Athena's Data scanned: the tables' bytes read, from storage or from the scan cache
        (counted as the objects it stands for: the bill is the same with or without it)."""
        return self.source_bytes + sum(list(self.cache_for.values()))

    @property
    def source_bytes(self) -> int:
        """The tables' own bytes read from storage."""
        cache = self.cache_for
        return sum(list(self.read_urls.values())) + \
            sum(r.total for url, r in list(self.ranges.items()) if url not in cache)

    @property
    def cache_bytes(self) -> int:
        """Bytes read of the scan cache's files instead of the objects they stand for."""
        cache = self.cache_for
        return sum(r.total for url, r in list(self.ranges.items()) if url in cache)

    @property
    def bytes_by_object(self) -> dict[str, int]:
        """bytes_scanned by object read (a scan-cache file: the bytes it stands for)."""
        counts: dict[str, int] = {}
        cache = self.cache_for
        for url, n in [*list(self.read_urls.items()), *list(cache.items()),
                       *[(u, r.total) for u, r in list(self.ranges.items()) if u not in cache]]:
            counts[url] = counts.get(url, 0) + n
        return counts

    def culprit(self, path: str) -> Served:
        """The file the engine failed on: for a bundle, the first member whose presented
        bytes are not JSON (found again only on this failure path), so that an error names
        the object at fault as it would without bundles."""
        served = self.served[path]
        for member in served.members or []:
            try:
                orjson.loads(_presented(_fetch(member)))
            except Exception:     # noqa: BLE001 - not JSON, or unreadable now: this one
                return member
        return served

    def open_ranged(self, path: str) -> RangedFile:
        served = self.served[path]
        if self.cancelled.is_set():     # an interrupt the engine dropped (it came between statements)
            raise QueryCancelled("Query cancelled by user")
        with self._lock:
            ranges = self.ranges.setdefault(served.obj.url, RangeSet())
            if served.cache_for is not None:
                self.cache_for[served.obj.url] = served.cache_for
        return RangedFile(served.obj.url, served.obj.size, ranges)

    def load(self, path: str) -> bytes | Patched | Joined:
        """The presented bytes of a file; remote files are fetched a few ahead."""
        with self._lock:
            if self.cancelled.is_set():
                raise QueryCancelled("Query cancelled by user")
            data = self._recent.get(path)
            if data is not None:
                return data
            future = self._pending.get(path)
            if future is None and _remote(self.served[path]):
                future = self._submit(path)
            if future is not None:
                start = self._position[path] + 1
                self._engine_at = max(self._engine_at, start - 1)
                for ahead in self._order[start:start + READ_AHEAD]:
                    # ranged files are read by range when the engine asks, never whole
                    if ahead not in self._pending and ahead not in self._recent and \
                            not self.served[ahead].ranged:
                        self._submit(ahead)
                self._extend()
        try:
            # Local files are read on the engine's own thread: handing them to
            # the pool measured slower (thread hand-offs, no latency to hide).
            data = wait_for(future, self.cancelled) if future is not None \
                else _fetch(self.served[path], self.cancelled)
        except QueryCancelled:
            raise
        except Exception as e:
            self.error = self.error or e
            raise
        served = self.served[path]
        with self._lock:
            self._pending.pop(path, None)
            for member in served.members or [served]:      # counted when the engine uses it
                self.read_urls[member.obj.url] = member.obj.size
            self._recent[path] = data
            while len(self._recent) > KEEP_RECENT:
                self._recent.popitem(last=False)
        return data

    def _extend(self) -> None:
        """Beyond READ_AHEAD (call under the lock; again as each fetch arrives): the next
        remote files read in order and served as stored, fetched in order as a bundle's
        members are (none before the one MEMBER_FETCHES earlier has arrived), within
        AHEAD_FILES of the engine and AHEAD_BYTES of stored bytes fetched and not used yet."""
        if self._closed or self.cancelled.is_set() or self._engine_at < 0:
            return
        held = sum(self.served[p].obj.size for p in self._pending)
        start = self._engine_at + 1 + READ_AHEAD
        for j in range(start, min(len(self._order), self._engine_at + 1 + AHEAD_FILES)):
            path = self._order[j]
            served = self.served[path]
            if not served.in_order or served.transform is not None or served.members is not None or \
                    served.ranged or served.data is not None or not _remote(served):
                return
            if path in self._pending or path in self._recent or path in self._submitted:
                continue
            earlier = self._pending.get(self._order[j - MEMBER_FETCHES]) if j >= MEMBER_FETCHES else None
            if (earlier is not None and not earlier.done()) or held + served.obj.size > AHEAD_BYTES:
                return
            held += served.obj.size
            self._submitted.add(path)
            self._submit(path).add_done_callback(self._arrived)

    def _arrived(self, future: Future) -> None:
        with self._lock:
            self._extend()

    def cancel(self) -> None:
        """Stop reading: the engine's next open fails and the read-ahead is dropped."""
        self.cancelled.set()
        self.close()

    def _submit(self, path: str) -> Future:
        served = self.served[path]
        future = _pool.submit(_fetch_unless_cancelled, served, self.cancelled)
        self._pending[path] = future
        return future

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for future in self._pending.values():
                future.cancel()
            self._pending.clear()
            self._recent.clear()


class PatchedReader(SeekableReader):
    """A read-only file over Patched bytes, or several (Joined) one after another: each read
    copies its range once, patches applied."""

    def __init__(self, data: Patched | Joined):
        self.parts = data.parts if isinstance(data, Joined) else [data]
        self.starts = list(itertools.accumulate((len(p) for p in self.parts), initial=0))
        self.size, self.pos = self.starts[-1], 0

    def _read(self, start: int, end: int) -> bytes | memoryview:
        if len(self.parts) == 1:
            pieces = self.parts[0].pieces(start, end)
            # a range without patches is handed over as a view: the engine copies it once
            return pieces[0] if len(pieces) == 1 else b"".join(pieces)
        pieces = []
        i = bisect.bisect_right(self.starts, start) - 1
        while start < end:
            base = self.starts[i]
            stop = min(end, self.starts[i + 1])
            pieces += self.parts[i].pieces(start - base, stop - base)
            start, i = stop, i + 1
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def _remote(served: Served) -> bool:
    return served.obj.url.startswith("s3://")


def _presented(data: bytes | Patched) -> bytes:
    return data.read(0, len(data)) if isinstance(data, Patched) else data


def stop_if_cancelled(cancelled: threading.Event | None) -> None:
    """Before a fetch (or a size asked): a cancelled query starts none."""
    if cancelled is not None and cancelled.is_set():
        raise QueryCancelled("Query cancelled by user")


def wait_for(future: Future, cancelled: threading.Event | None):
    """A future's result; a cancel stops the wait at once (the work itself finishes on
    its own: what is fetched after a cancel checks it before it starts)."""
    while True:
        try:
            return future.result(timeout=CANCEL_POLL)
        except FutureTimeout:
            stop_if_cancelled(cancelled)


def _fetch_members(members: list[Served], cancelled: threading.Event | None) -> list:
    """Each member's presented bytes, in order; the first failure in order is raised.
    Remote members are fetched MEMBER_FETCHES at a time, local ones on this thread (no
    latency to hide); none starts once the query is cancelled."""
    if not any(_remote(m) for m in members):
        pieces = []
        for m in members:
            stop_if_cancelled(cancelled)
            pieces.append(_fetch(m))
        return pieces

    def one(member: Served):
        stop_if_cancelled(cancelled)
        return _fetch(member)
    futures: list[Future] = []
    try:
        for i, m in enumerate(members):
            if i >= MEMBER_FETCHES:      # a free place in the window first
                wait_for(futures[i - MEMBER_FETCHES], cancelled)
            stop_if_cancelled(cancelled)
            futures.append(_member_pool.submit(one, m))
        return [wait_for(f, cancelled) for f in futures]
    finally:
        for f in futures:       # those not started yet, after a failure or a cancel
            f.cancel()


def _fetch_unless_cancelled(served: Served, cancelled: threading.Event) -> bytes | Patched | Joined:
    """A fetch ahead: none starts once the query is cancelled."""
    stop_if_cancelled(cancelled)
    return _fetch(served, cancelled)


def _fetch(served: Served, cancelled: threading.Event | None = None) -> bytes | Patched | Joined:
    """The presented bytes of a file or a bundle (`cancelled`: the query's cancel)."""
    if served.members is not None:
        pieces = _fetch_members(served.members, cancelled)
        for m, piece in zip(served.members, pieces):
            if len(piece) != m.presented_size():     # the bundle's offsets would shift
                raise BadData(f"Error reading {m.obj.url}: its content is not what its name says "
                              f"({len(piece)} bytes presented, {m.presented_size()} expected)")
        return served.join(pieces)
    data = storage.read_bytes(served.obj.url)
    if served.transform is None:
        return data
    return transformed(served.transform, data, served.obj.url)


def transformed(transform: Transform, data: bytes, url: str) -> "bytes | Patched":
    """A format's presentation of an object's stored bytes; a failure names the object."""
    try:
        return transform(data, url)
    except ParthenonError:
        raise
    except Exception as e:   # a corrupt object: say which, never a traceback
        raise BadData(f"Error reading {url}: {e}") from None


class _Epoch:
    """A modification time for the engine, which calls only timestamp() and wants an int."""

    def timestamp(self) -> int:
        return 0


_EPOCH = _Epoch()


class VirtualFileSystem(AbstractFileSystem):
    protocol = PROTOCOL
    root_marker = ""
    cachable = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._queries: dict[str, QueryFiles] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def new_query(self) -> QueryFiles:
        with self._lock:
            files = QueryFiles(f"q{next(self._ids)}")
            self._queries[files.key] = files
            return files

    def release(self, files: QueryFiles) -> None:
        files.close()
        with self._lock:
            self._queries.pop(files.key, None)

    def _lookup(self, path: str) -> tuple[QueryFiles, str]:
        full = path if path.startswith(f"{PROTOCOL}://") else f"{PROTOCOL}://{path}"
        key = full[len(PROTOCOL) + 3:].split("/", 1)[0]
        query = self._queries.get(key)
        if query is None or full not in query.served:
            raise FileNotFoundError(path)
        return query, full

    def info(self, path, **kwargs):
        query, full = self._lookup(path)
        return {"name": path, "size": query.served[full].presented_size(), "type": "file"}

    def modified(self, path):
        """The engine's Parquet reader asks; every served file is immutable for its query."""
        self._lookup(path)
        return _EPOCH

    def _open(self, path, mode="rb", **kwargs):
        if "r" not in mode:
            raise PermissionError(f"{path} is read-only")
        query, full = self._lookup(path)
        served = query.served[full]
        if served.data is not None:
            return io.BytesIO(served.data)
        if served.ranged:
            return query.open_ranged(full)
        data = query.load(full)
        return PatchedReader(data) if isinstance(data, (Patched, Joined)) else io.BytesIO(data)

    def glob(self, path, **kwargs):
        """The engine globs every path of a scan before it opens it; ours hold no wildcards
        (partition values are quoted), so a served path matches itself: fsspec's generic
        glob (a pattern compiled, a listing walked) was 4% of a query over 60 files."""
        if kwargs or any(c in path for c in "*?["):
            return super().glob(path, **kwargs)
        try:
            self._lookup(path)
        except FileNotFoundError:
            return []
        return [self._strip_protocol(path)]

    def ls(self, path, detail=True, **kwargs):
        info = self.info(path)
        return [info] if detail else [info["name"]]
