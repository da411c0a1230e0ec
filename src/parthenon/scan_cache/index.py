"""The cache's index: one SQLite file shared by every process using the same PARTHENON_HOME.

`files`: the Parquet files, each holding the decoded rows of several objects of one
partition (a column, OBJECT_ID, says which object a row came from), with their
size and mtime (a file changed or truncated behind our back is not used) and when
they were last used, by which process (LRU eviction, a file at a time).

`entries`: a row per (signature, object URL, partition values): the object's
identity when it was decoded, the columns kept, the file holding its rows and its
OBJECT_ID there.  An object decoded again (changed, or more columns wanted) gets a
new entry in a new file; rows left behind in the old file are skipped by id, and a
file no entry points to is deleted.

Files are written to a temporary name and renamed into place before their rows are
committed, so the index only ever names whole files.
"""
from __future__ import annotations

import functools
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..processes import alive
from ..sqlite_store import SqliteFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    file TEXT PRIMARY KEY,
    bytes INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    objects INTEGER NOT NULL,
    last_used REAL NOT NULL,
    used_by INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS files_by_use ON files (last_used);
CREATE TABLE IF NOT EXISTS entries (
    signature TEXT NOT NULL,
    url TEXT NOT NULL,
    part TEXT NOT NULL,
    folder TEXT NOT NULL,
    identity TEXT NOT NULL,
    file TEXT NOT NULL,
    object INTEGER NOT NULL,
    columns TEXT NOT NULL,
    PRIMARY KEY (signature, url, part));
CREATE INDEX IF NOT EXISTS entries_by_folder ON entries (signature, folder);
CREATE INDEX IF NOT EXISTS entries_by_file ON entries (file)
"""

# Another live process's file used this recently may be being read right now: kept.
IN_USE_SECONDS = 60.0
_CHUNK = 500        # SQL parameters per statement


@dataclass
class Entry:
    signature: str
    url: str
    part: str                 # the partition values, as JSON
    folder: str
    identity: str
    file: str                 # relative to the cache folder
    object: int               # OBJECT_ID of its rows in `file`
    columns: frozenset[str]


@dataclass
class File:
    file: str
    bytes: int
    mtime_ns: int
    objects: int


def folder_of(url: str) -> str:
    return url.rsplit("/", 1)[0]


class Index:
    def __init__(self, root: Path):
        self.db = SqliteFile(root / "index.db", SCHEMA, what="the scan cache index",
                             pragmas=("synchronous=NORMAL",))

    def in_folders(self, signature: str, folders: list[str]) -> tuple[list[Entry], dict[str, File]]:
        """Every entry of `signature` for objects in these folders, and their files."""
        entries: list[Entry] = []
        con = self.db.con()
        for i in range(0, len(folders), _CHUNK):
            chunk = folders[i:i + _CHUNK]
            rows = con.execute(
                "SELECT signature, url, part, folder, identity, file, object, columns FROM entries "
                f"WHERE signature = ? AND folder IN ({','.join('?' * len(chunk))})",
                [signature, *chunk]).fetchall()
            entries += [Entry(*r[:7], _columns(r[7])) for r in rows]
        files: dict[str, File] = {}
        names = sorted({e.file for e in entries})
        for i in range(0, len(names), _CHUNK):
            chunk = names[i:i + _CHUNK]
            for r in con.execute("SELECT file, bytes, mtime_ns, objects FROM files "
                                 f"WHERE file IN ({','.join('?' * len(chunk))})", chunk):
                files[r[0]] = File(*r)
        return entries, files

    def put(self, file: File, entries: list[Entry]) -> list[str]:
        """Record a new file and its entries (replacing those objects' older entries);
        returns the files no entry points to any more, to delete."""
        now, me = time.time(), os.getpid()
        with self.db.write() as con:
            before = set()
            for e in entries:
                old = con.execute("SELECT file FROM entries WHERE signature = ? AND url = ? AND part = ?",
                                  (e.signature, e.url, e.part)).fetchone()
                if old:
                    before.add(old[0])
            con.execute("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?)",
                        (file.file, file.bytes, file.mtime_ns, file.objects, now, me))
            con.executemany("INSERT OR REPLACE INTO entries VALUES (?,?,?,?,?,?,?,?)",
                            [(e.signature, e.url, e.part, e.folder, e.identity, e.file, e.object,
                              json.dumps(sorted(e.columns))) for e in entries])
            return _orphans(con, before)

    def touch(self, files: list[str]) -> None:
        now, me = time.time(), os.getpid()
        with self.db.write() as con:
            con.executemany("UPDATE files SET last_used = ?, used_by = ? WHERE file = ?",
                            [(now, me, f) for f in files])

    def forget(self, entries: list[Entry]) -> list[str]:
        """Drop these entries; returns the files left without any, to delete."""
        with self.db.write() as con:
            con.executemany("DELETE FROM entries WHERE signature = ? AND url = ? AND part = ? AND file = ?",
                            [(e.signature, e.url, e.part, e.file) for e in entries])
            return _orphans(con, {e.file for e in entries})

    def forget_files(self, files: list[str]) -> list[str]:
        with self.db.write() as con:
            for f in files:
                con.execute("DELETE FROM entries WHERE file = ?", (f,))
                con.execute("DELETE FROM files WHERE file = ?", (f,))
        return files

    def evict(self, max_bytes: int, pinned: set[str]) -> list[str]:
        """Least recently used files dropped (with their entries) until the rest fit in
        `max_bytes`; returns them.  Kept whatever their age: `pinned` files (the running
        query's) and those another live process used in the last IN_USE_SECONDS."""
        me, recent = os.getpid(), time.time() - IN_USE_SECONDS
        dropped = []
        with self.db.write() as con:
            total = con.execute("SELECT coalesce(sum(bytes), 0) FROM files").fetchone()[0]
            if total <= max_bytes:
                return []
            for file, size, last_used, used_by in con.execute(
                    "SELECT file, bytes, last_used, used_by FROM files ORDER BY last_used").fetchall():
                if total <= max_bytes:
                    break
                if file in pinned or (used_by != me and last_used > recent and alive(used_by)):
                    continue
                con.execute("DELETE FROM entries WHERE file = ?", (file,))
                con.execute("DELETE FROM files WHERE file = ?", (file,))
                dropped.append(file)
                total -= size
        return dropped


@functools.lru_cache(maxsize=256)
def _columns(text: str) -> frozenset[str]:
    """An entry's columns (many entries share the same text)."""
    return frozenset(json.loads(text))


def _orphans(con, candidates: set[str]) -> list[str]:
    """Of these files, those no entry points to: their rows are dropped, and they returned."""
    gone = []
    for f in candidates:
        if con.execute("SELECT 1 FROM entries WHERE file = ? LIMIT 1", (f,)).fetchone() is None:
            con.execute("DELETE FROM files WHERE file = ?", (f,))
            gone.append(f)
    return gone
