"""The fast raw scan of CloudTrail files: ClickHouse (chdb) decodes, DuckDB answers.

chdb decodes the columns a query uses into Arrow for about a third less CPU for the whole
scan than DuckDB's JSON reader, on large files and on small ones (bench/decoders.py,
bench/DECODERS.md).  It is used when chdb is installed (the `fast` extra), for scans whose
columns in use are STRING or structs of STRING fields, local or on S3.  The files of a batch reach chdb as
two concatenated inputs, each file followed by a marker object (see _Decoder._decode), so
chdb's cost per file and per query is paid per batch.  Every rule of the CloudTrail
SerDe stays, because chdb is run so that whatever it would do otherwise is an error:

- keys are matched by the same spellings as the DuckDB reading (exact, as DuckDB does);
- an object, array or number in a STRING column is an error (chdb would give its raw text,
  DuckDB its own rendering), and so are wrong shapes, malformed records, duplicate keys,
  top-level keys other than one `Records`, and more than one JSON object in a file;
- a file must open with `{"Records":[` (chdb would read `{"records":...}` or a bare array
  otherwise than formats.cloudtrail does).

The records the query's WHERE drops for certain (Scan.early_filters: `errorcode =
'RequestLimitExceeded'`) are dropped inside chdb, after it has parsed and checked them, so
only the kept ones are built into Arrow and handed on.

A batch of files that fails is tried file by file; a file that fails is read the usual way
(formats.cloudtrail.records_as_array, then the same DuckDB SQL as the usual scan, in a
private connection), so the rows never differ.  The stored bytes are read through the
engine's virtual filesystem, which counts them as the usual scan does.
"""
from __future__ import annotations

import contextlib
import dataclasses
import importlib
import importlib.util
import os
import re
import secrets
import shutil
import struct
import tempfile
import threading
import urllib.parse
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Iterable, Iterator

import pyarrow as pa

from ...catalog.hive_types import HiveType, parse_hive_type
from ...catalog.model import Table
from ...errors import BadData
from ...formats import cloudtrail
from ...formats.arrow_types import arrow_type, set_partition_columns
from ...formats.scan import ArrowSource, JsonRecords, Scan, ScanFile, only_fields
from .scans import scan_sql
from .scans.json import OBJECT_SIZE, object_size_limit
from .virtual_fs import stop_if_cancelled, transformed, wait_for

# chdb (the `fast` extra) is imported on the first fast scan, not with the engine: loading
# it costs ~0.1-0.2 s, which a process that never scans large CloudTrail files must not pay.
# Without it, the usual scan.
HAVE_CHDB = importlib.util.find_spec("chdb") is not None

SWITCH = "PARTHENON_FAST_SCAN"      # "0": never (tests compare both paths)
# Stored bytes per chdb query: bounds memory and how long a cancelled batch runs on (chdb's
# query cannot be stopped; it runs on its own connection, so the next scan does not wait).
# Smaller batches cost more CPU (8 and 16 MB: 2-3% more per GB; bench/DECODERS.md).  A batch
# holds at least INPUTS files: one file is one input, which chdb parses at 1.5x the CPU.
BATCH_BYTES = 32 * 2**20
BATCH_FILES = 1000
INPUTS = 2                          # concatenated inputs per chdb query: chdb reads one per thread
_MARKER = "parthenon_end_of_file"   # the marker object's key (see _Decoder._decode)
# chdb connections, one per chdb query under way (see _connection), kept for the next.
_POOL = threading.Condition()
_FREE: list = []                    # connections made and not in use
_MADE = 0
MAX_CONNECTIONS = 4                 # chdb queries under way at once, at most
# Smallest mean stored file size for the fast scan of remote (S3) files: none since remote
# files served as stored are fetched many at once (virtual_fs.AHEAD_FILES); on 192 objects of
# 17 KB in moto's server the fast scan took 0.45x the usual one's wall time (bench/DECODERS.md).
MIN_MEAN_FILE_BYTES = 0
_OPENING = re.compile(rb'\s*\{\s*"Records"\s*:\s*\[')
_RULES = {   # chdb settings under which every divergence from the usual scan is an error
    "max_threads": 2,
    "input_format_skip_unknown_fields": 0,
    "input_format_json_read_objects_as_strings": 0,
    "input_format_json_read_arrays_as_strings": 0,
    "input_format_json_read_numbers_as_strings": 0,
    "input_format_allow_errors_num": 0,
    "input_format_allow_errors_ratio": 0,
}
# CloudTrail fields whose values are JSON objects: as a STRING column, each breaks chdb's
# rules in every file, so such a scan is read the usual way as a whole, not file by file.
_OBJECT_FIELDS = {"requestparameters", "responseelements", "additionaleventdata", "serviceeventdetails"}
_SETTINGS = ", ".join(f"{k} = {v}" for k, v in _RULES.items())


def prefer_fast(scan: Scan) -> Scan:
    """`scan` read by chdb when it can keep every rule (see the module's docstring), else as is."""
    if not HAVE_CHDB or os.environ.get(SWITCH, "1") == "0" or not scan.files:
        return scan
    if any(f.obj.url.startswith("s3://") for f in scan.files) and \
            sum(f.obj.size for f in scan.files) < MIN_MEAN_FILE_BYTES * len(scan.files):
        return scan
    reading = scan.reading
    if not (isinstance(reading, JsonRecords) and scan.transform is cloudtrail.records_as_array
            and reading.layout == "array" and not reading.keys and not reading.timestamp_formats):
        return scan
    types = {c.name: only_fields(parse_hive_type(c.type), scan.needed_fields.get(c.name))
             for c in scan.columns}
    needed = [c.name for c in scan.columns if scan.needed_columns is None or c.name in scan.needed_columns]
    if not all(_text_only(types[n]) for n in needed) or \
            any(n.lower() in _OBJECT_FIELDS and types[n].name == "string" for n in needed):
        return scan
    schema = pa.schema([pa.field(c.name, arrow_type(types[c.name])) for c in scan.columns] +
                       [pa.field(k.name, arrow_type(parse_hive_type(k.type))) for k in scan.partition_keys])
    table = Table(database="", name="", columns=scan.columns, partition_keys=scan.partition_keys)
    fast = _Decoder(scan, table, schema, {n: types[n] for n in needed})
    return dataclasses.replace(scan, reading=ArrowSource(schema, fast.batches), transform=None,
                               size_of=None, join=None)


def _text_only(htype: HiveType) -> bool:
    if htype.name == "struct":
        return all(_text_only(t) for _, t in htype.fields)
    return htype.name == "string"


class _Decoder:
    def __init__(self, scan: Scan, table: Table, schema: pa.Schema, needed: dict[str, HiveType]):
        self.scan, self.table, self.schema, self.needed = scan, table, schema, needed
        self._constants: dict[tuple, list[pa.Array]] = {}    # see _record_batch
        self._constants_lock = threading.Lock()
        spelling = scan.reading.spelling
        self.keys = {n: spelling.spell((), n) for n in needed}
        fields = ", ".join(f"{_ch_name(self.keys[n])} {self._ch_type(t, (n,))}" for n, t in needed.items())
        # A query that needs no data column still needs each record: one field, never read.
        self.structure = f"Records Array(Tuple({fields or _ch_name('eventVersion') + ' Nullable(String)'}))"
        self.records = self._filtered_records()

    def _filtered_records(self) -> str:
        """The Records of each file, less those the query's WHERE drops for certain
        (Scan.early_filters): the seed query keeps 3% of them, and chdb then needs 0.87x
        the CPU (bench/DECODERS.md).  A NULL is never IN a list: such records go too."""
        tests = []
        for condition in self.scan.early_filters:
            htype = self.needed.get(condition.column)
            if htype is None or htype.name != "string" or \
                    any(ord(ch) < 32 for v in condition.values for ch in v):
                continue
            texts = ", ".join(_ch_text(v) for v in sorted(condition.values))
            tests.append(f"tupleElement(r, {_ch_text(self.keys[condition.column])}) IN ({texts})")
        if not tests:
            return "Records"
        return f"arrayFilter(r -> {' AND '.join(tests)}, Records) AS Records"

    def _ch_type(self, htype: HiveType, path: tuple[str, ...]) -> str:
        if htype.name != "struct":
            return "Nullable(String)"
        spelling = self.scan.reading.spelling
        inner = ", ".join(f"{_ch_name(spelling.spell(path, n))} {self._ch_type(t, (*path, n))}"
                          for n, t in htype.fields)
        return f"Nullable(Tuple({inner}))"

    def batches(self, opened: Iterable[tuple[IO[bytes], ScanFile]], needed) -> Iterator[pa.RecordBatch]:
        """Record batches of the files, each batch of files decoded in a thread of its own
        (chdb lets go of the GIL) while the next one is read and the engine takes the one
        before: at most three batches in memory.  A cancel (`opened.cancelled`, the query's)
        ends the wait for a batch at once."""
        cancelled = getattr(opened, "cancelled", None)
        ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parthenon-chdb")
        pending = None
        try:
            for batch in _stored_batches(opened):
                decoding = ahead.submit(lambda files=batch: list(self._batch(files, cancelled)))
                if pending is not None:
                    yield from wait_for(pending, cancelled)
                pending = decoding
            if pending is not None:
                yield from wait_for(pending, cancelled)
        finally:        # a cancelled or stopped scan leaves the batch under way to end alone
            ahead.shutdown(wait=False, cancel_futures=True)

    def _batch(self, batch: list[tuple[bytes, ScanFile]], cancelled=None) -> Iterator[pa.RecordBatch]:
        """A batch's record batches; once the query is cancelled no chdb query starts (one
        under way ends alone, unwaited: see batches)."""
        stop_if_cancelled(cancelled)
        opens = [_opens_as_log(data) for data, _ in batch]
        fast = [one for one, ok in zip(batch, opens) if ok]
        slow = [one for one, ok in zip(batch, opens) if not ok]
        decoded = self._decode(fast) if fast else []
        if decoded is None:              # some file broke a rule: each on its own
            decoded = []
            for one in fast:
                stop_if_cancelled(cancelled)
                rows = self._decode([one])
                if rows is None:
                    slow.append(one)
                else:
                    decoded += rows
        for records, scan_file in decoded:
            if len(records):       # none: every record was filtered out (see _filtered_records)
                yield self._record_batch(records, scan_file)
        for data, scan_file in slow:
            stop_if_cancelled(cancelled)
            yield from self._usual(data, scan_file)

    def _decode(self, files: list[tuple[bytes, ScanFile]]) -> list[tuple[pa.Array, ScanFile]] | None:
        """The files' records (struct arrays under the JSON spellings), one array per run of
        consecutive files of one partition, or None if any file broke a rule.

        The files go to chdb as a few concatenated inputs (gzip members concatenate), each
        file followed by a marker object naming it, so that chdb's cost per file (~0.5 ms)
        is paid per input: the rows must then come as (file, its marker) pairs in order,
        which also proves that each file was one JSON object that ended where it ends."""
        nonce = secrets.token_hex(8)
        folder = tempfile.mkdtemp(prefix="parthenon-ct-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        try:
            tables = []
            for gz in (True, False):
                group = [i for i, (data, _) in enumerate(files) if (data[:2] == cloudtrail.GZIP_MAGIC) == gz]
                if group:
                    tables.append(self._query(folder, gz, [(i, files[i][0]) for i in group], nonce))
        except Exception as e:       # chdb's errors: a rule would be broken
            if isinstance(e, (KeyboardInterrupt, MemoryError)):
                raise
            return None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        spans: dict[int, tuple[int, int, int]] = {}    # file: (chunk, start, end)
        chunks = [chunk for table in tables for chunk in table.to_batches()]
        values = [chunk.column(1).values for chunk in chunks]
        for c, chunk in enumerate(chunks):
            if not _pairs(chunk, c, nonce, spans):
                return None
        if len(spans) != len(files):
            return None
        out: list[tuple[pa.Array, ScanFile]] = []
        run = 0
        for i in range(1, len(files) + 1):    # runs of one partition, contiguous in one chunk
            if i == len(files) or files[i][1].partition_values != files[run][1].partition_values or \
                    spans[i][0] != spans[run][0] or spans[i][1] != spans[i - 1][2]:
                c, start, _ = spans[run]
                out.append((values[c].slice(start, spans[i - 1][2] - start), files[run][1]))
                run = i
        return out

    def _query(self, folder: str, gz: bool, files: list[tuple[int, bytes]], nonce: str) -> pa.Table:
        """One chdb query over `files` (index, stored bytes), written as INPUTS concatenated
        files (chdb reads them in parallel), each file followed by its marker."""
        suffix = "gz" if gz else "json"
        total, written, part = sum(len(d) for _, d in files), 0, -1
        handle = None
        try:
            for i, data in files:
                if handle is None or written >= total * (part + 1) / INPUTS:
                    if handle is not None:
                        handle.close()
                    part += 1
                    handle = open(Path(folder, f"{part}.{suffix}"), "wb")
                handle.write(data)
                marker = b'\n{"%s":"%s-%d"}\n' % (_MARKER.encode(), nonce.encode(), i)
                handle.write(_gzip_member(marker) if gz else marker)
                written += len(data)
        finally:
            if handle is not None:
                handle.close()
        sql = (f"SELECT {_MARKER}, {self.records} FROM file('{folder}/*.{suffix}', 'JSONEachRow', "
               f"'{self.structure}, {_MARKER} Nullable(String)', '{'gzip' if gz else 'none'}') SETTINGS {_SETTINGS}")
        with _connection() as connection:
            result = connection.query(sql, "Arrow")
            # Copied out of chdb's buffer (~0.03 s per GB): an ArrowTable read in place
            # outlives it (chdb.query's crashed the process: "double free or corruption").
            stream = pa.py_buffer(result.bytes())
            del result
        return pa.ipc.open_file(stream).read_all()

    def _record_batch(self, records: pa.Array, scan_file: ScanFile) -> pa.RecordBatch:
        """The columns in use from chdb's records; the others NULL and the partition columns
        constant, both slices of arrays made once (per type, per partition) and grown as
        needed: made anew per batch they were ~300 MB of zeroed memory per GB of JSON."""
        rows = len(records)
        arrays = []
        for field in self.schema:
            if field.name in self.needed:
                column = records.field(self.keys[field.name])
                arrays.append(_hive_named(column, field.type))
            else:
                arrays.append(self._constant(("null", field.type), rows, lambda n, t=field.type: [pa.nulls(n, t)])[0])
        if scan_file.partition_values:
            first = len(self.table.columns)

            def partition(n: int) -> list[pa.Array]:
                made = [None] * len(self.schema)
                set_partition_columns(made, self.table, self.schema, scan_file, n)
                return made[first:]
            arrays[first:] = self._constant(("partition", tuple(scan_file.partition_values)), rows, partition)
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)

    def _constant(self, key, rows: int, make) -> list[pa.Array]:
        """`make(n)`'s arrays, n >= rows, kept under `key` (one partition's at a time), sliced
        to `rows`."""
        with self._constants_lock:      # two scans of one view decode in two threads
            made = self._constants.get(key)
            if made is None or len(made[0]) < rows:
                if key[0] == "partition":
                    for old in [k for k in self._constants if k[0] == "partition"]:
                        del self._constants[old]
                size = max(rows, 2 * len(made[0])) if made is not None else rows
                made = self._constants[key] = make(size)
        return made if len(made[0]) == rows else [a.slice(0, rows) for a in made]

    def _usual(self, data: bytes, scan_file: ScanFile) -> Iterator[pa.RecordBatch]:
        """One file read as the usual scan reads it: presented by records_as_array, then
        the usual scan SQL, in a private DuckDB connection."""
        import duckdb
        presented = transformed(cloudtrail.records_as_array, data, scan_file.obj.url)
        body = presented.read(0, len(presented)) if hasattr(presented, "read") else presented
        folder = tempfile.mkdtemp(prefix="parthenon-ct-")
        try:
            parts = "".join(f"{urllib.parse.quote(k.name, safe='')}={urllib.parse.quote(v, safe='')}/"
                            for k, v in zip(self.scan.partition_keys, scan_file.partition_values))
            path = Path(folder, parts, "0.json")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            sql = scan_sql(self.scan).replace(OBJECT_SIZE, str(object_size_limit(len(body))))
            sql = sql.replace("{files}", "['" + str(path).replace("'", "''") + "']")
            con = duckdb.connect()
            try:
                con.execute("SET threads = 1")
                table = con.sql(sql).to_arrow_table()
            except duckdb.Error as e:     # as the usual scan says it (backend's _file_error)
                message = str(e).split("\n")[0].replace(str(path), scan_file.obj.url)
                raise BadData(f"Error reading {scan_file.obj.url}: {message}") from None
            finally:
                con.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        for batch in table.cast(self.schema).to_batches():
            yield batch


def _stored_batches(opened: Iterable[tuple[IO[bytes], ScanFile]]) -> Iterator[list[tuple[bytes, ScanFile]]]:
    """The files' stored bytes, read through the engine (which counts them), in batches of
    at most BATCH_FILES files and about BATCH_BYTES, but at least INPUTS files (large files:
    chdb reads one input per thread)."""
    batch, size = [], 0
    for handle, scan_file in opened:
        batch.append((handle.read(), scan_file))
        size += len(batch[-1][0])
        if (size >= BATCH_BYTES and len(batch) >= INPUTS) or len(batch) >= BATCH_FILES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"   # deflate, no name, no mtime


def _gzip_member(data: bytes) -> bytes:
    """`data` (< 64 KB) as a gzip member of one stored deflate block: 1 us, where
    zlib.compress sets up a deflate stream per call (30-200 us: seconds on 10,000 files)."""
    n = len(data)
    return _GZIP_HEADER + b"\x01" + struct.pack("<HH", n, n ^ 0xFFFF) + data + \
        struct.pack("<II", zlib.crc32(data), n)


def _pairs(chunk: pa.RecordBatch, c: int, nonce: str, spans: dict[int, tuple[int, int, int]]) -> bool:
    """Adds to `spans` each file of chunk number `c` of chdb's rows, which must be (file's
    object, its marker) pairs: the file's records are its span of the chunk's records (a
    marker has none).  False if the rows are not such pairs."""
    marks, records = chunk.column(0).to_pylist(), chunk.column(1)
    if len(marks) % 2 or any(m is not None for m in marks[0::2]):
        return False
    offsets, prefix = records.offsets.to_pylist(), nonce + "-"
    for k, name in enumerate(marks[1::2]):
        number = name[len(prefix):] if name is not None and name.startswith(prefix) else ""
        i = int(number) if number.isdigit() else -1
        start, end, after = offsets[2 * k], offsets[2 * k + 1], offsets[2 * k + 2]
        if i < 0 or i in spans or after != end:
            return False
        spans[i] = (c, start, end)
    return True


@contextlib.contextmanager
def _connection():
    """A chdb connection for one query, kept for the next: chdb.query connects anew each
    time (~60 ms of CPU), so connections are made only when all are in use (a cancelled
    batch still running on one, two scans of a view decoding at once), up to MAX_CONNECTIONS."""
    global _MADE
    with _POOL:
        while not _FREE and _MADE >= MAX_CONNECTIONS:
            _POOL.wait()
        connection = _FREE.pop() if _FREE else None
        if connection is None:
            _MADE += 1
    try:
        if connection is None:
            connection = importlib.import_module("chdb").connect(":memory:")
    except BaseException:
        with _POOL:
            _MADE -= 1
            _POOL.notify()
        raise
    try:
        yield connection
    finally:
        with _POOL:
            _FREE.append(connection)
            _POOL.notify()


def idle() -> None:
    """Waits until no chdb query is under way (bench/cancel.py)."""
    with _POOL:
        while len(_FREE) < _MADE:
            _POOL.wait()


def _opens_as_log(stored: bytes) -> bool:
    """Whether a file's first bytes (inflated, if gzip) open a `{"Records":[` object."""
    if stored[:2] != cloudtrail.GZIP_MAGIC:
        return _OPENING.match(stored[:cloudtrail.EDGE]) is not None
    try:      # the usual opening first (5 us a file, a quarter of inflating the whole EDGE)
        if _OPENING.match(zlib.decompressobj(47).decompress(stored[:256], 64)):
            return True
        return _OPENING.match(zlib.decompressobj(47).decompress(stored[:4096], cloudtrail.EDGE)) is not None
    except zlib.error:
        return False


def _hive_named(array: pa.Array, target: pa.DataType) -> pa.Array:
    """chdb's struct (JSON spellings) as the target struct (Hive names), same positions."""
    if not pa.types.is_struct(target):
        return array
    children = [_hive_named(array.field(i), target.field(i).type) for i in range(target.num_fields)]
    mask = array.is_null() if array.null_count else None
    return pa.StructArray.from_arrays(children, fields=list(target), mask=mask)


def _ch_text(text: str) -> str:
    """A ClickHouse string literal (its escapes are backslash escapes)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _ch_name(name: str) -> str:
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


__all__ = ["prefer_fast", "SWITCH"]
