"""DuckDB behind Parthenon's engine interface (`engine.backend.Backend`).

One DuckDB connection per Parthenon connection.  At start it is given its
limits (`limits.py`: memory, threads, a spill folder) and locked down: external
access is off, and the only paths it may open are the virtual filesystem's
(files the planner resolved) and its own spill folder; then the configuration
is frozen, so even a statement that slipped past the SQL guard could not reach
other files, raise its memory or undo the lock.  Without a spill folder (a
read-only home) the local filesystem is disabled outright.
"""
from __future__ import annotations

import re
import shutil
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Iterator

import duckdb
import pyarrow as pa

from ... import storage
from ...errors import BadData, ParthenonError, QueryCancelled, StorageError
from ...formats.compression import inflated_size
from ...formats.scan import JsonRecords, Scan
from ..backend import Translation
from ..limits import EngineLimits, new_spill_folder
from . import functions, match_recognize
from .errors import engine_error
from .fast_cloudtrail import prefer_fast
from .partitions import matching_rows
from .scans import empty_sql, scan_sql
from .scans.json import MAX_OBJECT_BYTES, OBJECT_SIZE, check_distinct_keys, object_size_limit
from .trino import to_duckdb_sql, translate
from .virtual_fs import PROTOCOL, QueryFiles, Served, VirtualFileSystem, stop_if_cancelled, wait_for


_VIRTUAL_PATH = re.compile(r"parthenon://[^\s'\"]+")
BATCH_ROWS = 65_536     # rows per Arrow batch streamed out of the engine
# Small files of one partition are read as one (Scan.join) up to this many, and this many
# bytes as the engine sees them: per-file costs (an open through Python, a reader set up per
# file) made 10,000 CloudTrail files of 100 KB cost 3.5x the CPU of the same JSON in bundles.
BUNDLE_FILES = 64
BUNDLE_BYTES = 8 * 2**20
# sizes of remote objects (a gzip trailer each, a ranged GET) asked at once before a scan
_size_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="parthenon-size")


_ERROR_KIND = re.compile(r"([A-Za-z][A-Za-z ]*?) Error: ")


def _next(reader: pa.RecordBatchReader) -> pa.RecordBatch | None:
    try:
        return reader.read_next_batch()
    except StopIteration:
        return None
    except OSError as e:
        raise _engine_exception(e) from None


_RAISED = re.compile(r"^(?:[\w.]+\.)?(\w+): (.*)$")


def _python_error(message: str) -> ParthenonError | None:
    """An exception raised in Python under the engine (the virtual filesystem asked for a
    size, a range of a columnar file) reaches us as engine text holding the Python
    traceback; never show that: give back the error it ended with, if it is ours, or
    say that reading failed."""
    if "Traceback (most recent call last)" not in message:
        return None
    last = [line for line in message.splitlines() if line.strip()][-1].strip()
    m = _RAISED.match(last)
    if m:
        for cls in _parthenon_errors():
            if cls.__name__ == m.group(1) and m.group(2).startswith(cls.code + ": "):
                return cls(m.group(2)[len(cls.code) + 2:])
    return StorageError(f"Error reading the table's data: {last}")


def _parthenon_errors():
    seen, todo = [], [ParthenonError]
    while todo:
        cls = todo.pop()
        seen.append(cls)
        todo += cls.__subclasses__()
    return seen


def _engine_exception(e: OSError) -> duckdb.Error:
    """An engine failure while streaming reaches Python through Arrow's C stream as a
    plain OSError carrying the engine's text ("Conversion Error: ..."): give it back
    its engine class, which the error mapping relies on."""
    message = str(e)
    if message.startswith("INTERRUPT Error"):     # a cancel, whose class name is not "INTERRUPTException"
        return duckdb.InterruptException(message)
    m = _ERROR_KIND.match(message)
    kind = getattr(duckdb, m.group(1).replace(" ", "") + "Exception", None) if m else None
    if isinstance(kind, type) and issubclass(kind, duckdb.Error):
        return kind(message)
    return duckdb.Error(message)


class EngineQuery:
    """One query's scans, files and statistics."""

    def __init__(self, engine: "DuckDBBackend", files: QueryFiles):
        self.engine = engine
        self.files = files
        self.views: list[str] = []
        self.registered: list[str] = []     # Arrow streams registered for this query
        self.readers: list[pa.RecordBatchReader] = []    # results streaming out, closed at the end

    def add_scan(self, name: str, scan: Scan, table=None) -> None:
        """Register the scan's files and define `name` as an engine view over them
        (`table`, the scan's catalog table, is for engines that need its schema)."""
        scan = prefer_fast(scan)      # the one place a faster decoder is chosen
        if isinstance(scan.reading, JsonRecords):
            check_distinct_keys(scan, scan.reading)
        served = [Served(f.obj, scan.transform, scan.size_of, scan.ranged,
                         cache_for=scan.cache_for[i] if scan.cache_for else None,
                         in_order=scan.arrow is not None)
                  for i, f in enumerate(scan.files)]
        paths = []
        folders: dict[tuple, str] = {}     # per partition: quoting them per file cost 0.1 ms each
        for i, members in _bundles(scan, served, self.files.cancelled):
            f = scan.files[i]
            ext = scan.extension or _extension(f.obj.url)
            one = members[0] if len(members) == 1 else \
                Served(f.obj, scan.transform, None, members=members, join=scan.join)
            folder = folders.get(f.partition_values)
            if folder is None:
                folder = folders[f.partition_values] = _folders(scan, f.partition_values)
            paths.append(self.files.add(f"{name}/{folder}{i}{ext}", one))
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
            template = scan_sql(scan)
            if OBJECT_SIZE in template:
                template = template.replace(OBJECT_SIZE, str(self._object_size(scan, paths)))
            sql = template.replace("{files}", listing)
        else:
            sql = empty_sql(scan)
        self.views.append(name)
        self._run(lambda: self.engine.con.execute(f'CREATE OR REPLACE TEMP VIEW "{name}" AS {sql}'))

    def _object_size(self, scan: Scan, paths: list[str]) -> int:
        """The JSON reader's buffer: sized to the largest file as the engine will see it
        (sizes it asks for anyway, so this costs no extra request), uncompressed when the
        engine inflates the file itself."""
        served = [self.files.served[p] for p in paths]
        _ask_sizes(served, self.files.cancelled)
        largest = 0
        for s in served:
            size = s.presented_size()
            if s.transform is None and s.data is None:
                size = inflated_size(s.obj)
                if size is None:        # not told cheaply: the ceiling, always correct
                    return object_size_limit(MAX_OBJECT_BYTES)
            largest = max(largest, size)
        return object_size_limit(largest)

    def execute(self, sql: str) -> pa.Table:
        reader = self.stream(sql)
        return pa.Table.from_batches(list(reader), schema=reader.schema)

    def stream(self, sql: str, batch_rows: int = BATCH_ROWS) -> pa.RecordBatchReader:
        """The result as Arrow batches, produced as they are read (valid inside `query()`).
        Engine failures while reading surface as the same errors as `execute`'s."""
        def start():
            relation = self.engine.con.sql(sql)
            # sum() of integers is HUGEINT in DuckDB, bigint in Athena (overflow is an error in both)
            huge = [i for i, dtype in enumerate(relation.types) if str(dtype) == "HUGEINT"]
            return relation.to_arrow_reader(batch_rows), huge
        reader, huge = self._run(start)
        self.readers.append(reader)
        schema = reader.schema
        for i in huge:
            schema = schema.set(i, schema.field(i).with_type(pa.int64()))

        def batches():
            while True:
                batch = self._run(lambda: _next(reader))
                if batch is None:
                    return
                for i in huge:
                    batch = batch.set_column(i, schema.field(i), batch.column(i).cast(pa.int64()))
                yield batch
        return pa.RecordBatchReader.from_batches(schema, batches())


    def _run(self, call):
        try:
            return call()
        except duckdb.Error as e:
            if self.files.cancelled.is_set() or isinstance(e, duckdb.InterruptException):
                raise QueryCancelled("Query cancelled by user") from None
            if self.files.error is not None:   # the real cause, raised while reading a file
                raise self.files.error from None
            bad = self._file_error(str(e).split("\n")[0])
            if bad is not None:
                raise bad from None
            raised = _python_error(str(e))
            if raised is not None:
                raise raised from None
            raise

    def _file_error(self, message: str) -> BadData | None:
        """The engine failing on a file's content: name the object, never its virtual path."""
        paths = [p for p in dict.fromkeys(_VIRTUAL_PATH.findall(message)) if p in self.files.served]
        if not paths:
            return None
        named = []
        for path in paths:
            url = self.files.culprit(path).obj.url
            message = message.replace(path, url)
            named.append(url)
        return BadData(f"Error reading {named[0]}: {message}")

    @property
    def bytes_scanned(self) -> int:
        return self.files.bytes_scanned

    @property
    def source_bytes(self) -> int:
        return self.files.source_bytes

    @property
    def cache_bytes(self) -> int:
        return self.files.cache_bytes

    @property
    def bytes_by_object(self) -> dict[str, int]:
        return self.files.bytes_by_object


class DuckDBBackend:
    name = "duckdb"
    errors = (duckdb.Error,)

    def __init__(self, limits: EngineLimits | None = None) -> None:
        self.limits = limits or EngineLimits()
        self.vfs = VirtualFileSystem()
        self.con = duckdb.connect()
        self.con.register_filesystem(self.vfs)
        self.spill = new_spill_folder(self.limits.spill_root) if self.limits.spill_root else None
        self.con.execute("SET TimeZone='UTC'")   # Athena computes in UTC, whatever the host's zone
        # DuckDB draws a progress bar on stdout for queries over 2 s: it would land in CLI output
        self.con.execute("SET enable_progress_bar=false")
        if self.limits.memory_bytes:
            self.con.execute(f"SET memory_limit='{int(self.limits.memory_bytes)}B'")
        if self.limits.threads:
            self.con.execute(f"SET threads={int(self.limits.threads)}")
        if self.spill is not None:
            folder = str(self.spill).replace("'", "''")
            self.con.execute(f"SET temp_directory='{folder}'")
            # The spill folder needs the local filesystem; external access off confines
            # it to the allowed directories (checked after resolving `..` and symlinks).
            self.con.execute(f"SET allowed_directories=['{PROTOCOL}://', '{folder}/']")
            self.con.execute("SET enable_external_access=false")
        else:
            self.con.execute("SET temp_directory=''")      # nowhere to spill: fail, never write
            self.con.execute("SET disabled_filesystems='LocalFileSystem'")
        # an unknown table name must never resolve to a Python variable of this process
        self.con.execute("SET python_enable_replacements=false")
        self.con.execute("SET autoinstall_known_extensions=false")
        self.con.execute("SET autoload_known_extensions=false")
        functions.register(self.con)     # Trino's hashes and encodings (values only)
        self.con.execute("SET lock_configuration=true")
        # as the engine states it ("200.0 MiB"), for errors that name the limit
        self.memory_text = self.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        self._lock = threading.Lock()   # one query at a time on this connection
        self.current: EngineQuery | None = None   # the query running now, for live statistics

    @contextmanager
    def query(self) -> Iterator[EngineQuery]:
        with self._lock:
            q = EngineQuery(self, self.vfs.new_query())
            self.current = q
            try:
                yield q
            finally:
                self.current = None
                for reader in q.readers:     # a result not read to its end frees the connection
                    reader.close()
                for view in q.views:
                    self._despite_interrupts(lambda: self.con.execute(f'DROP VIEW IF EXISTS "{view}"'))
                for source in q.registered:
                    self._despite_interrupts(lambda: self.con.unregister(source))
                self.vfs.release(q.files)

    def _despite_interrupts(self, call) -> None:
        """Clean-up must happen even while a cancel keeps interrupting the connection."""
        for attempt in range(20):
            try:
                call()
                return
            except duckdb.InterruptException:
                if attempt == 19:
                    raise

    def translate(self, ast, schema: dict, *, zoned_as_instant: bool = False) -> Translation:
        """Trino -> DuckDB SQL with Trino's semantics (engine/duckdb/trino); MATCH_RECOGNIZE
        runs its input inside the query first (match_recognize)."""
        if match_recognize.placeholders(ast):
            return match_recognize.translate_with_steps(ast, schema, translate, zoned_as_instant)
        return translate(ast, schema, zoned_as_instant=zoned_as_instant)

    def matching_partitions(self, columns: dict[str, tuple[str, list[str]]], predicates) -> set[int]:
        return matching_rows(columns, predicates, self.evaluate, to_duckdb_sql)

    def athena_error(self, error: BaseException, text: str) -> ParthenonError:
        return engine_error(error, text, self.memory_text)

    def evaluate(self, sql: str, parameters: list) -> list[int]:
        """Run a small query of one integer column (partition pruning's)."""
        return [r[0] for r in self.con.execute(sql, parameters).fetchall()]

    def interrupt(self) -> None:
        """Cancel the running query: the engine stops, and so does its read-ahead.
        Safe from any thread; harmless when idle."""
        q = self.current
        if q is not None:
            q.files.cancel()
        self.con.interrupt()

    def scanned_so_far(self) -> int | None:
        """Bytes the running query has read until now (None when idle); called from
        another thread while the engine reads, so a count changing under us is skipped."""
        q = self.current
        if q is None:
            return None
        try:
            return q.bytes_scanned
        except RuntimeError:      # the byte counts grew while we summed them
            return None

    def close(self) -> None:
        self.con.close()
        if self.spill is not None:
            shutil.rmtree(self.spill, ignore_errors=True)


def _ask_sizes(served: list[Served], cancelled: threading.Event) -> None:
    """Sizes of remote objects (a round trip each: a gzip trailer, a ranged GET) asked in
    parallel, before the loops that read them one at a time; none asked after a cancel."""
    if not any(s.obj.url.startswith("s3://") for s in served):
        return

    def ask(s: Served) -> None:
        stop_if_cancelled(cancelled)
        s.presented_size()
    futures = [_size_pool.submit(ask, s) for s in served]
    try:
        for f in futures:
            wait_for(f, cancelled)
    finally:
        for f in futures:
            f.cancel()


def _bundles(scan: Scan, served: list[Served], cancelled: threading.Event) -> list[tuple[int, list[Served]]]:
    """The scan's files as (index of the first, files read as one), in order: consecutive
    files of one partition joined while they stay under BUNDLE_FILES and BUNDLE_BYTES, where
    the scan's format says how (Scan.join); else each file alone."""
    if scan.join is None or scan.ranged or scan.arrow is not None or len(served) < 2:
        return [(i, [s]) for i, s in enumerate(served)]
    _ask_sizes(served, cancelled)
    out: list[tuple[int, list[Served]]] = []
    size = 0
    for i, (f, s) in enumerate(zip(scan.files, served)):
        n = s.presented_size()
        if out and f.partition_values == scan.files[out[-1][0]].partition_values and \
                len(out[-1][1]) < BUNDLE_FILES and size + n <= BUNDLE_BYTES:
            out[-1][1].append(s)
            size += n
        else:
            out.append((i, [s]))
            size = n
    return out


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
        files = self.query.files
        try:
            opened = _Opened(self.query.engine.vfs, self.paths, self.scan.files, files.cancelled)
            yield from self.scan.arrow.batches(opened, self.scan.needed_columns)
        except Exception as e:    # kept, so that the query fails with it rather than the engine's wrapper
            files.error = files.error or e
            raise


class _Opened:
    """An Arrow scan's files, each opened through the engine's filesystem (which counts its
    bytes) with its ScanFile; `cancelled` is the query's cancel, for a format that waits on
    work of its own (the fast CloudTrail scan's decoding thread)."""

    def __init__(self, vfs, paths: list[str], scan_files, cancelled: threading.Event):
        self.vfs, self.paths, self.scan_files, self.cancelled = vfs, paths, scan_files, cancelled

    def __iter__(self):
        for path, f in zip(self.paths, self.scan_files):
            with self.vfs.open(path, "rb") as handle:
                yield handle, f


def _extension(url: str) -> str:
    """Keep the compression suffix so the engine picks the codec by name."""
    name = url.rsplit("/", 1)[-1].lower()
    for ext in (".gz", ".zst", ".bz2", ".lz4", ".snappy"):
        if name.endswith(ext):
            return ".data" + ext
    return ".data"
