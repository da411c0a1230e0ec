"""DuckDB behind Parthenon's engine interface.

One DuckDB connection per Parthenon connection.  At start it is locked down:
the local filesystem is disabled (files arrive only through the virtual
filesystem, which serves what the planner resolved) and the configuration is
frozen, so even a statement that slipped past the SQL guard could not reach
other files or undo the lock.
"""
from __future__ import annotations

import threading
import urllib.parse
from contextlib import contextmanager
from typing import Iterator

import duckdb
import pyarrow as pa

from ..formats.scan import Scan
from .virtual_fs import QueryFiles, Served, VirtualFileSystem


class EngineQuery:
    """One query's scans, files and statistics."""

    def __init__(self, engine: "Engine", files: QueryFiles):
        self.engine = engine
        self.files = files
        self.views: list[str] = []

    def add_scan(self, name: str, scan: Scan) -> None:
        """Register the scan's files and define `name` as an engine view over them."""
        paths = []
        for i, f in enumerate(scan.files):
            folders = "".join(f"{urllib.parse.quote(k.name, safe='')}={urllib.parse.quote(v, safe='')}/"
                              for k, v in zip(scan.partition_keys, f.partition_values))
            ext = scan.extension or _extension(f.obj.url)
            paths.append(self.files.add(f"{name}/{folders}{i}{ext}",
                                        Served(f.obj, scan.transform, scan.size_of)))
        if paths:
            listing = "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"
            sql = scan.sql.replace("{files}", listing)
        else:
            sql = scan.empty_sql
        self.views.append(name)
        self._run(lambda: self.engine.con.execute(f'CREATE OR REPLACE TEMP VIEW "{name}" AS {sql}'))

    def execute(self, sql: str) -> pa.Table:
        def run():
            relation = self.engine.con.sql(sql)
            table = relation.to_arrow_table()
            # sum() of integers is HUGEINT in DuckDB, bigint in Athena (overflow is an error in both)
            for i, dtype in enumerate(relation.types):
                if str(dtype) == "HUGEINT":
                    table = table.set_column(i, table.field(i).name, table.column(i).cast(pa.int64()))
            return table
        return self._run(run)

    def _run(self, call):
        try:
            return call()
        except duckdb.Error:
            if self.files.error is not None:   # the real cause, raised while reading a file
                raise self.files.error from None
            raise

    @property
    def bytes_scanned(self) -> int:
        return self.files.bytes_scanned


class Engine:
    def __init__(self) -> None:
        self.vfs = VirtualFileSystem()
        self.con = duckdb.connect()
        self.con.register_filesystem(self.vfs)
        self.con.execute("SET TimeZone='UTC'")   # Athena computes in UTC, whatever the host's zone
        self.con.execute("SET disabled_filesystems='LocalFileSystem'")
        self.con.execute("SET autoinstall_known_extensions=false")
        self.con.execute("SET autoload_known_extensions=false")
        self.con.execute("SET lock_configuration=true")
        self._lock = threading.Lock()   # one query at a time on this connection

    @contextmanager
    def query(self) -> Iterator[EngineQuery]:
        with self._lock:
            q = EngineQuery(self, self.vfs.new_query())
            try:
                yield q
            finally:
                for view in q.views:
                    self.con.execute(f'DROP VIEW IF EXISTS "{view}"')
                self.vfs.release(q.files)

    def evaluate(self, sql: str, table: pa.Table) -> list[int]:
        """Run a small query over an Arrow table named __partitions (partition pruning)."""
        self.con.register("__partitions", table)
        try:
            return [r[0] for r in self.con.execute(sql).fetchall()]
        finally:
            self.con.unregister("__partitions")

    def interrupt(self) -> None:
        self.con.interrupt()

    def close(self) -> None:
        self.con.close()


def _extension(url: str) -> str:
    """Keep the compression suffix so the engine picks the codec by name."""
    name = url.rsplit("/", 1)[-1].lower()
    for ext in (".gz", ".zst", ".bz2", ".lz4", ".snappy"):
        if name.endswith(ext):
            return ".data" + ext
    return ".data"
