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
committed, so the index only ever names whole files; a file is deleted only by
`evict`, when no query can be reading it.
"""
from __future__ import annotations

import functools
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

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

    def put(self, file: File, entries: list[Entry]) -> None:
        """Record a new file and its entries (replacing those objects' older entries; a file
        left without entries is removed by `evict`, once no query may be reading it)."""
        now, me = time.time(), os.getpid()
        with self.db.write() as con:
            con.execute("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?)",
                        (file.file, file.bytes, file.mtime_ns, file.objects, now, me))
            con.executemany("INSERT OR REPLACE INTO entries VALUES (?,?,?,?,?,?,?,?)",
                            [(e.signature, e.url, e.part, e.folder, e.identity, e.file, e.object,
                              json.dumps(sorted(e.columns))) for e in entries])

    def touch(self, files: list[str]) -> None:
        now, me = time.time(), os.getpid()
        with self.db.write() as con:
            con.executemany("UPDATE files SET last_used = ?, used_by = ? WHERE file = ?",
                            [(now, me, f) for f in files])

    def forget(self, entries: list[Entry]) -> None:
        """Drop these entries (their files go in `evict` once no entry points to them)."""
        with self.db.write() as con:
            con.executemany("DELETE FROM entries WHERE signature = ? AND url = ? AND part = ? AND file = ?",
                            [(e.signature, e.url, e.part, e.file) for e in entries])

    def forget_files(self, files: list[str]) -> None:
        """Drop every entry of these files (unusable): `evict` removes them."""
        with self.db.write() as con:
            con.executemany("DELETE FROM entries WHERE file = ?", [(f,) for f in files])

    def evict(self, max_bytes: int, in_use) -> list[str]:
        """Files without entries, then the least recently used ones, dropped until the rest
        fit in `max_bytes`; returns them, for their files to be deleted.  A file for which
        in_use(file, last_used, used_by) holds is kept whatever its age."""
        dropped = []
        with self.db.write() as con:
            orphans = con.execute("SELECT file, bytes, last_used, used_by FROM files WHERE NOT EXISTS "
                                  "(SELECT 1 FROM entries WHERE entries.file = files.file)").fetchall()
            for file, _, last_used, used_by in orphans:
                if not in_use(file, last_used, used_by):
                    con.execute("DELETE FROM files WHERE file = ?", (file,))
                    dropped.append(file)
            total = con.execute("SELECT coalesce(sum(bytes), 0) FROM files").fetchone()[0]
            if total <= max_bytes:
                return dropped
            for file, size, last_used, used_by in con.execute(
                    "SELECT file, bytes, last_used, used_by FROM files ORDER BY last_used").fetchall():
                if total <= max_bytes:
                    break
                if file in dropped or in_use(file, last_used, used_by):
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
