"""The only files the engine can open: those a query's scans resolved.

The engine's own local filesystem is disabled; every file it reads comes
through this fsspec filesystem, which serves `parthenon://<query>/...` paths
registered for the running query, reads them from storage, applies the
format's transform, and counts the stored bytes read (Athena's Data scanned).
"""
from __future__ import annotations

import io
import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

from fsspec import AbstractFileSystem

from .. import storage
from ..formats.scan import Transform

PROTOCOL = "parthenon"


@dataclass
class Served:
    obj: storage.ObjectInfo
    transform: Transform
    size_of: Callable[[storage.ObjectInfo], int] | None


class QueryFiles:
    """The files one query may read, and the bytes it has read."""

    def __init__(self, fs: "VirtualFileSystem", key: str):
        self.fs, self.key = fs, key
        self.served: dict[str, Served] = {}
        self.read_urls: dict[str, int] = {}
        self.error: Exception | None = None     # a storage/format error, re-raised after the engine fails
        self._lock = threading.Lock()

    def add(self, relative: str, served: Served) -> str:
        path = f"{PROTOCOL}://{self.key}/{relative}"
        self.served[path] = served
        return path

    @property
    def bytes_scanned(self) -> int:
        return sum(self.read_urls.values())

    def note_read(self, obj: storage.ObjectInfo) -> None:
        with self._lock:
            self.read_urls[obj.url] = obj.size

    def close(self) -> None:
        self.fs.release(self)


class VirtualFileSystem(AbstractFileSystem):
    protocol = PROTOCOL
    root_marker = ""
    cachable = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._queries: dict[str, QueryFiles] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        # The engine may open a file more than once (size, then read): keep the
        # last few presented files so a transformed file is built once.
        self._recent: OrderedDict[str, bytes] = OrderedDict()

    def new_query(self) -> QueryFiles:
        with self._lock:
            files = QueryFiles(self, f"q{next(self._ids)}")
            self._queries[files.key] = files
            return files

    def release(self, files: QueryFiles) -> None:
        with self._lock:
            self._queries.pop(files.key, None)
            for path in [p for p in self._recent if p.startswith(f"{PROTOCOL}://{files.key}/")]:
                del self._recent[path]

    def _lookup(self, path: str) -> tuple[QueryFiles, Served]:
        full = path if path.startswith(f"{PROTOCOL}://") else f"{PROTOCOL}://{path}"
        key = full[len(PROTOCOL) + 3:].split("/", 1)[0]
        query = self._queries.get(key)
        if query is None or full not in query.served:
            raise FileNotFoundError(path)
        return query, query.served[full]

    def info(self, path, **kwargs):
        _, served = self._lookup(path)
        size = served.size_of(served.obj) if served.size_of else served.obj.size
        return {"name": path, "size": size, "type": "file"}

    def _open(self, path, mode="rb", **kwargs):
        if "r" not in mode:
            raise PermissionError(f"{path} is read-only")
        query, served = self._lookup(path)
        with self._lock:
            data = self._recent.get(path)
        if data is None:
            try:
                data = storage.read_bytes(served.obj.url)
                query.note_read(served.obj)
                if served.transform is not None:
                    data = served.transform(data, served.obj.url)
            except Exception as e:
                query.error = query.error or e
                raise
            with self._lock:
                self._recent[path] = data
                while len(self._recent) > 4:
                    self._recent.popitem(last=False)
        return io.BytesIO(data)

    def ls(self, path, detail=True, **kwargs):
        info = self.info(path)
        return [info] if detail else [info["name"]]
