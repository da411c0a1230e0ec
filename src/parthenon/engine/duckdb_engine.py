"""DuckDB behind Parthenon's engine interface.

One DuckDB connection per Parthenon connection.  At start it is locked down:
the local filesystem is disabled (files arrive only through the virtual
filesystem, which serves what the planner resolved) and the configuration is
frozen, so even a statement that slipped past the SQL guard could not reach
other files or undo the lock.
"""
from __future__ import annotations

import re
import threading
import urllib.parse
from contextlib import contextmanager
from typing import Iterator

import duckdb
import pyarrow as pa

from .. import storage
from ..errors import BadData
from ..formats.scan import Scan
from .virtual_fs import QueryFiles, Served, VirtualFileSystem


_VIRTUAL_PATH = re.compile(r"parthenon://[^\s'\"]+")


class EngineQuery:
    """One query's scans, files and statistics."""

    def __init__(self, engine: "Engine", files: QueryFiles):
        self.engine = engine
        self.files = files
        self.views: list[str] = []
        self.registered: list[str] = []     # Arrow streams registered for this query

    def add_scan(self, name: str, scan: Scan) -> None:
        """Register the scan's files and define `name` as an engine view over them."""
        paths = []
        for i, f in enumerate(scan.files):
            ext = scan.extension or _extension(f.obj.url)
            paths.append(self.files.add(f"{name}/{_folders(scan, f.partition_values)}{i}{ext}",
                                        Served(f.obj, scan.transform, scan.size_of, scan.ranged)))
        if paths and scan.arrow is not None:
            source = f"{name}__arrow"
            self.engine.con.register(source, _ArrowStream(self, scan, paths))
            self.registered.append(source)
            sql = f'SELECT * FROM "{source}"'
        elif paths:
            if scan.schema_file is not None:
                # Listed first: union_by_name takes column names and order from the first file.
                default = ("__HIVE_DEFAULT_PARTITION__",) * len(scan.partition_keys)
                schema = storage.ObjectInfo(f"{name}/schema", len(scan.schema_file))
                paths.insert(0, self.files.add(
                    f"{name}/{_folders(scan, default)}schema{scan.extension or '.data'}",
                    Served(schema, None, None, data=scan.schema_file)))
            listing = "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"
            template = scan.sql_for(scan.needed_columns, scan.needed_fields) if scan.sql_for \
                else scan.sql
            sql = template.replace("{files}", listing)
        else:
            sql = scan.empty_sql
        self.views.append(name)
        self._run(lambda: self.engine.con.execute(f'CREATE OR REPLACE TEMP VIEW "{name}" AS {sql}'))

    def execute(self, sql: str) -> pa.Table:
        def run():
            relation = self.engine.con.sql(sql)
            table = relation.to_arrow_table()
            for i in _hugeint_columns(relation):
                table = table.set_column(i, table.field(i).name, table.column(i).cast(pa.int64()))
            return table
        return self._run(run)

    def stream(self, sql: str, batch_rows: int = 65536) -> pa.RecordBatchReader:
        """The result as Arrow batches, produced as they are read: a writer never holds
        the whole result.  Read it inside this query's `with engine.query()` block."""
        def run():
            relation = self.engine.con.sql(sql)
            return relation, relation.to_arrow_reader(batch_rows)
        relation, reader = self._run(run)
        wide = _hugeint_columns(relation)
        schema = pa.schema([f.with_type(pa.int64()) if i in wide else f
                            for i, f in enumerate(reader.schema)])

        def batches():
            for batch in reader:
                if wide:
                    batch = pa.RecordBatch.from_arrays(
                        [c.cast(pa.int64()) if i in wide else c for i, c in enumerate(batch.columns)],
                        schema=schema)
                yield batch
        return pa.RecordBatchReader.from_batches(schema, self._reading(batches()))

    def _reading(self, batches):
        """Engine errors raised while batches are read, mapped as `_run` maps them."""
        try:
            yield from batches
        except duckdb.Error as e:
            if self.files.error is not None:
                raise self.files.error from None
            bad = self._file_error(str(e).split("\n")[0])
            if bad is not None:
                raise bad from None
            raise

    def _run(self, call):
        try:
            return call()
        except duckdb.Error as e:
            if self.files.error is not None:   # the real cause, raised while reading a file
                raise self.files.error from None
            bad = self._file_error(str(e).split("\n")[0])
            if bad is not None:
                raise bad from None
            raise

    def _file_error(self, message: str) -> BadData | None:
        """The engine failing on a file's content: name the object, never its virtual path."""
        paths = [p for p in dict.fromkeys(_VIRTUAL_PATH.findall(message)) if p in self.files.served]
        if not paths:
            return None
        for path in paths:
            message = message.replace(path, self.files.served[path].obj.url)
        return BadData(f"Error reading {self.files.served[paths[0]].obj.url}: {message}")

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
                for source in q.registered:
                    self.con.unregister(source)
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


def _hugeint_columns(relation) -> set[int]:
    """sum() of integers is HUGEINT in DuckDB, bigint in Athena (overflow is an error in both)."""
    return {i for i, dtype in enumerate(relation.types) if str(dtype) == "HUGEINT"}


def _folders(scan: Scan, values) -> str:
    """Partition values reach the engine as key=value folders of the virtual paths."""
    return "".join(f"{urllib.parse.quote(k.name, safe='')}={urllib.parse.quote(v, safe='')}/"
                   for k, v in zip(scan.partition_keys, values))


class _ArrowStream:
    """A format's Python-made rows as an Arrow stream; the engine asks for a new one per scan."""

    def __init__(self, query: EngineQuery, scan: Scan, paths: list[str]):
        self.query, self.scan, self.paths = query, scan, paths

    def __arrow_c_stream__(self, requested_schema=None):
        reader = pa.RecordBatchReader.from_batches(self.scan.arrow.schema, self._batches())
        return reader.__arrow_c_stream__(requested_schema)

    def _batches(self):
        vfs, files = self.query.engine.vfs, self.query.files

        def opened():
            for path, f in zip(self.paths, self.scan.files):
                with vfs.open(path, "rb") as handle:
                    yield handle, f
        try:
            yield from self.scan.arrow.batches(opened(), self.scan.needed_columns)
        except Exception as e:    # kept, so that the query fails with it rather than the engine's wrapper
            files.error = files.error or e
            raise


def _extension(url: str) -> str:
    """Keep the compression suffix so the engine picks the codec by name."""
    name = url.rsplit("/", 1)[-1].lower()
    for ext in (".gz", ".zst", ".bz2", ".lz4", ".snappy"):
        if name.endswith(ext):
            return ".data" + ext
    return ".data"
