"""Rows into files: `key=value/` partition folders, buckets, a bounded set of open files.

Batches arrive already shaped to the table's columns (data columns, then
partition columns).  Each batch is split by its partition values (Hive's folder
names, `__HIVE_DEFAULT_PARTITION__` for NULL) and, for a bucketed table, by
Hive's bucket number; each piece is buffered until it is worth a row group,
then written to that partition's open file.  At most MAX_OPEN files are open at
once (the least recently used is closed and the next rows of its partition
start a new file), and at most BUFFER_BYTES are buffered, so memory does not grow
with the number of partitions.  Athena's cap of 100 partitions per query is
lifted: nothing here needs it.
"""
from __future__ import annotations

import datetime
import struct
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable

import pyarrow as pa

from ..catalog.hive_types import parse_hive_type
from ..catalog.model import Column
from ..catalog.show import escape_path_name
from .files import FileFormat, FileWriter, hive_columns

DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__"
MAX_OPEN = 64
ROW_GROUP_ROWS = 131072
BUFFER_BYTES = 128 * 1024 * 1024


@dataclass
class Written:
    """What a write produced: its files (staged path, final URL) and partitions."""
    rows: int = 0
    partitions: dict[tuple[str, ...], str] = field(default_factory=dict)   # values -> folder URL


class PartitionedWriter:
    def __init__(self, fmt: FileFormat, options, data_columns: list[Column],
                 partition_keys: list[Column], folder_of: Callable[[tuple[str, ...]], str],
                 stage: Callable[[str], str], file_prefix: str,
                 bucketed_by: list[str] = (), bucket_count: int | None = None):
        self.fmt, self.options = fmt, options
        self.data_columns, self.partition_keys = data_columns, partition_keys
        self.schema = pa.schema([pa.field(c.name, t) for c, t in
                                 zip(data_columns, _arrow_types(data_columns))])
        self.columns = hive_columns(data_columns)
        self.folder_of = folder_of      # partition values -> folder URL ending in '/'
        self.stage = stage              # final URL -> staged local path
        self.prefix = file_prefix
        self.bucket_columns = [c.name for c in data_columns if c.name in bucketed_by]
        self.bucket_count = bucket_count
        self.open: OrderedDict[tuple, FileWriter] = OrderedDict()
        self.buffers: dict[tuple, list[pa.Table]] = {}
        self.buffered_rows: dict[tuple, int] = {}
        self.buffered_bytes = 0
        self.sequence: dict[tuple, int] = {}
        self.written = Written()

    def write(self, table: pa.Table) -> None:
        """A batch shaped to the table's columns (partition columns last)."""
        if table.num_rows == 0:
            return
        self.written.rows += table.num_rows
        for key, piece in self._split(table):
            self._buffer(key, piece)

    def close(self) -> Written:
        for key in list(self.buffers):
            self._flush(key)
        for key in list(self.open):
            self.open.pop(key).close()
        return self.written

    def abort(self) -> None:
        for writer in self.open.values():
            try:
                writer.close()
            except Exception:
                pass
        self.open.clear()

    # -- splitting
    def _split(self, table: pa.Table):
        nparts = len(self.partition_keys)
        data = table.select(range(table.num_columns - nparts)) if nparts else table
        if not nparts and not self.bucket_count:
            yield ((), None), data
            return
        keys = [partition_texts(table.column(table.num_columns - nparts + i), c)
                for i, c in enumerate(self.partition_keys)]
        buckets = bucket_numbers(data, self.bucket_columns, self.bucket_count) \
            if self.bucket_count else None
        combos = list(zip(*keys)) if keys else [()] * table.num_rows
        groups: dict[tuple, list[int]] = {}
        for i, values in enumerate(combos):
            groups.setdefault((values, buckets[i] if buckets else None), []).append(i)
        if len(groups) == 1:
            yield next(iter(groups)), data
            return
        for key, rows in groups.items():
            yield key, data.take(pa.array(rows, pa.int64()))

    # -- buffering and files
    def _buffer(self, key: tuple, piece: pa.Table) -> None:
        self.buffers.setdefault(key, []).append(piece)
        self.buffered_rows[key] = self.buffered_rows.get(key, 0) + piece.num_rows
        self.buffered_bytes += piece.nbytes
        if self.buffered_rows[key] >= ROW_GROUP_ROWS:
            self._flush(key)
        while self.buffered_bytes > BUFFER_BYTES and self.buffers:
            self._flush(max(self.buffers, key=lambda k: self.buffered_rows[k]))

    def _flush(self, key: tuple) -> None:
        pieces = self.buffers.pop(key, [])
        self.buffered_rows.pop(key, None)
        if not pieces:
            return
        self.buffered_bytes -= sum(p.nbytes for p in pieces)
        table = pa.concat_tables(pieces) if len(pieces) > 1 else pieces[0]
        self._writer(key).write(table)

    def _writer(self, key: tuple) -> FileWriter:
        writer = self.open.get(key)
        if writer is not None:
            self.open.move_to_end(key)
            return writer
        while len(self.open) >= MAX_OPEN:
            _, oldest = self.open.popitem(last=False)
            oldest.close()
        values, bucket = key
        folder = self.folder_of(values)
        if self.partition_keys:
            self.written.partitions.setdefault(values, folder)
        n = self.sequence.get(key, 0)
        self.sequence[key] = n + 1
        name = (f"{bucket:06d}_0_{self.prefix}_{n:05d}" if bucket is not None
                else f"{self.prefix}_{n:05d}") + self.fmt.extension(self.options.compression)
        path = self.stage(folder + name)
        writer = self.fmt.opener(path, self.schema, self.columns, self.options)
        self.open[key] = writer
        return writer


def _arrow_types(columns: list[Column]) -> list[pa.DataType]:
    from ..formats.arrow_types import arrow_type
    return [arrow_type(parse_hive_type(c.type)) for c in columns]


def partition_texts(array: pa.ChunkedArray, column: Column) -> list[str]:
    """Partition values as Hive writes them in folder names and the catalog."""
    t = parse_hive_type(column.type).name
    if t == "boolean":
        return [DEFAULT_PARTITION if v is None else ("true" if v else "false") for v in array.to_pylist()]
    if t == "date":
        return [DEFAULT_PARTITION if v is None else v.isoformat() for v in array.to_pylist()]
    if t in ("string", "varchar", "char"):
        return [DEFAULT_PARTITION if v is None or v == "" else v for v in array.to_pylist()]
    return [DEFAULT_PARTITION if v is None else str(v) for v in array.to_pylist()]


def folder_name(keys: list[Column], values: tuple[str, ...]) -> str:
    return "".join(f"{escape_path_name(k.name)}={escape_path_name(v)}/" for k, v in zip(keys, values))


# -- Hive's bucketing (bucketing_version 1): hash of the bucket columns, mod the count
def bucket_numbers(table: pa.Table, columns: list[str], count: int) -> list[int]:
    hashes = [0] * table.num_rows
    for name in columns:
        array = table.column(name)
        kind = array.type
        values = array.to_pylist()
        for i, v in enumerate(values):
            hashes[i] = (31 * hashes[i] + _hive_hash(v, kind)) & 0xFFFFFFFF
    return [(_signed(h) & 0x7FFFFFFF) % count for h in hashes]


def _hive_hash(v, kind: pa.DataType) -> int:
    if v is None:
        return 0
    if isinstance(v, bool):
        return 1 if v else 0
    if isinstance(v, int):
        if pa.types.is_int64(kind):
            return (v ^ (v >> 32)) & 0xFFFFFFFF
        return v & 0xFFFFFFFF
    if isinstance(v, float):
        bits = struct.unpack(">q", struct.pack(">d", v))[0] if pa.types.is_float64(kind) \
            else struct.unpack(">i", struct.pack(">f", v))[0]
        return ((bits ^ (bits >> 32)) if pa.types.is_float64(kind) else bits) & 0xFFFFFFFF
    if isinstance(v, datetime.date) and not isinstance(v, datetime.datetime):
        return (v - datetime.date(1970, 1, 1)).days & 0xFFFFFFFF
    data = v if isinstance(v, bytes) else str(v).encode()
    h = 0
    for b in data:
        h = (31 * h + (b - 256 if b > 127 else b)) & 0xFFFFFFFF
    return h


def _signed(h: int) -> int:
    return h - (1 << 32) if h & 0x80000000 else h


