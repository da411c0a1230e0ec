"""The fast raw scan of CloudTrail files: ClickHouse (chdb) decodes, DuckDB answers.

DuckDB's JSON reader costs about 2.1 CPU-s per GB of CloudTrail JSON; chdb decodes the
columns a query uses into Arrow for about 40% less CPU for the whole scan (bench/decoders.py,
bench/DECODERS.md).  It is used when chdb is installed (the `fast` extra), for scans whose
columns in use are STRING or structs of STRING fields, over files of 512 KB or more on average
(small files cost chdb more than they save), and every rule of the CloudTrail
SerDe stays, because chdb is run so that whatever it would do otherwise is an error:

- keys are matched by the same spellings as the DuckDB reading (exact, as DuckDB does);
- an object, array or number in a STRING column is an error (chdb would give its raw text,
  DuckDB its own rendering), and so are wrong shapes, malformed records, duplicate keys,
  top-level keys other than one `Records`, and more than one JSON object in a file;
- a file must open with `{"Records":[` (chdb would read `{"records":...}` or a bare array
  otherwise than formats.cloudtrail does).

A batch of files that fails is tried file by file; a file that fails is read the usual way
(formats.cloudtrail.records_as_array, then the same DuckDB SQL as the usual scan, in a
private connection), so the rows never differ.  The stored bytes are read through the
engine's virtual filesystem, which counts them as the usual scan does.
"""
from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import os
import re
import shutil
import tempfile
import urllib.parse
import zlib
from pathlib import Path
from typing import IO, Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from ...catalog.hive_types import HiveType, parse_hive_type
from ...catalog.model import Table
from ...errors import BadData
from ...formats import cloudtrail
from ...formats.arrow_types import arrow_type, set_partition_columns
from ...formats.scan import ArrowSource, JsonRecords, Scan, ScanFile, only_fields
from .scans import scan_sql
from .scans.json import OBJECT_SIZE, object_size_limit
from .virtual_fs import transformed

# chdb (the `fast` extra) is imported on the first fast scan, not with the engine: loading
# it costs ~0.1-0.2 s, which a process that never scans large CloudTrail files must not pay.
# Without it, the usual scan.
HAVE_CHDB = importlib.util.find_spec("chdb") is not None

SWITCH = "PARTHENON_FAST_SCAN"      # "0": never (tests compare both paths)
BATCH_BYTES = 32 * 2**20             # stored bytes per chdb query: bounds memory and cancel latency
BATCH_FILES = 1000
# chdb costs about 0.5 ms of CPU per file (opening, a parser each; bench/decoders.py --shape
# small: 9 CPU-s per GB on 10,000 files of 20 KB, against 4.3 the usual way, whose bundles
# read small files as one): worth it only for files this large on average (stored bytes).
MIN_MEAN_FILE_BYTES = 512 * 1024
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
    if sum(f.obj.size for f in scan.files) < MIN_MEAN_FILE_BYTES * len(scan.files):
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
        spelling = scan.reading.spelling
        self.keys = {n: spelling.spell((), n) for n in needed}
        fields = ", ".join(f"{_ch_name(self.keys[n])} {self._ch_type(t, (n,))}" for n, t in needed.items())
        # A query that needs no data column still needs each record: one field, never read.
        self.structure = f"Records Array(Tuple({fields or _ch_name('eventVersion') + ' Nullable(String)'}))"

    def _ch_type(self, htype: HiveType, path: tuple[str, ...]) -> str:
        if htype.name != "struct":
            return "Nullable(String)"
        spelling = self.scan.reading.spelling
        inner = ", ".join(f"{_ch_name(spelling.spell(path, n))} {self._ch_type(t, (*path, n))}"
                          for n, t in htype.fields)
        return f"Nullable(Tuple({inner}))"

    def batches(self, opened: Iterable[tuple[IO[bytes], ScanFile]], needed) -> Iterator[pa.RecordBatch]:
        batch, size = [], 0
        for handle, scan_file in opened:
            batch.append((handle.read(), scan_file))
            size += len(batch[-1][0])
            if size >= BATCH_BYTES or len(batch) >= BATCH_FILES:
                yield from self._batch(batch)
                batch, size = [], 0
        if batch:
            yield from self._batch(batch)

    def _batch(self, batch: list[tuple[bytes, ScanFile]]) -> Iterator[pa.RecordBatch]:
        fast = [(data, f) for data, f in batch if _opens_as_log(data)]
        slow = [(data, f) for data, f in batch if not _opens_as_log(data)]
        decoded = self._decode(fast) if fast else []
        if decoded is None:              # some file broke a rule: each on its own
            decoded = []
            for one in fast:
                rows = self._decode([one])
                if rows is None:
                    slow.append(one)
                else:
                    decoded += rows
        by_partition: dict[tuple, list] = {}      # fewer, larger batches (small files)
        for records, scan_file in decoded:
            by_partition.setdefault(scan_file.partition_values, []).append((records, scan_file))
        for same in by_partition.values():
            yield self._record_batch(pa.concat_arrays([r for r, _ in same]), same[0][1])
        for data, scan_file in slow:
            yield from self._usual(data, scan_file)

    def _decode(self, files: list[tuple[bytes, ScanFile]]) -> list[tuple[pa.Array, ScanFile]] | None:
        """Each file's records (a struct array under the JSON spellings), or None if any file
        broke a rule."""
        folder = tempfile.mkdtemp(prefix="parthenon-ct-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        try:
            groups = {}
            for i, (data, _) in enumerate(files):
                gz = data[:2] == cloudtrail.GZIP_MAGIC
                Path(folder, f"{i}.{'gz' if gz else 'json'}").write_bytes(data)
                groups.setdefault(gz, True)
            tables = []
            for gz in groups:
                pattern = f"{folder}/*.{'gz' if gz else 'json'}"
                sql = (f"SELECT _file, Records FROM file('{pattern}', 'JSONEachRow', "
                       f"'{self.structure}', '{'gzip' if gz else 'none'}') SETTINGS {_SETTINGS}")
                tables.append(importlib.import_module("chdb").query(sql, "ArrowTable"))
        except Exception as e:       # chdb's errors: a rule would be broken
            if isinstance(e, (KeyboardInterrupt, MemoryError)):
                raise
            return None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        by_file: dict[int, pa.Array] = {}
        for table in tables:
            names = table.column("_file").to_pylist()
            if len(set(names)) != len(names):     # more than one JSON object in a file
                return None
            records = table.column("Records").combine_chunks()
            for j, name in enumerate(names):
                by_file[int(name.split(".")[0])] = records[j].values
        if len(by_file) != len(files):
            return None
        return [(by_file[i], f) for i, (_, f) in enumerate(files)]

    def _record_batch(self, records: pa.Array, scan_file: ScanFile) -> pa.RecordBatch:
        rows = len(records)
        arrays = []
        for field in self.schema:
            if field.name in self.needed:
                column = records.field(self.keys[field.name])
                arrays.append(_hive_named(column, field.type))
            else:
                arrays.append(pa.nulls(rows, field.type))
        set_partition_columns(arrays, self.table, self.schema, scan_file, rows)
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)

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


def _opens_as_log(stored: bytes) -> bool:
    """Whether a file's first bytes (inflated, if gzip) open a `{"Records":[` object."""
    head = stored[:cloudtrail.EDGE]
    if stored[:2] == cloudtrail.GZIP_MAGIC:
        try:
            head = zlib.decompressobj(47).decompress(stored[:4096], cloudtrail.EDGE)
        except zlib.error:
            return False
    return _OPENING.match(head) is not None


def _hive_named(array: pa.Array, target: pa.DataType) -> pa.Array:
    """chdb's struct (JSON spellings) as the target struct (Hive names), same positions."""
    if not pa.types.is_struct(target):
        return array
    children = [_hive_named(array.field(i), target.field(i).type) for i in range(target.num_fields)]
    mask = array.is_null() if array.null_count else None
    return pa.StructArray.from_arrays(children, fields=list(target), mask=mask)


def _ch_name(name: str) -> str:
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


__all__ = ["prefer_fast", "SWITCH"]
