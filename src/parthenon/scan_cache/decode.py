"""Decoding objects into cache files, and the scan that reads them back.

Objects are decoded by their own format's scan, run by the engine over a group of
them at once (the engine reads files in parallel): the group's scan is built for
the table with one more partition key, FILE_KEY, whose value is the object's
place in the group, so each decoded row says which object it came from.  The
group's rows become one Parquet file, with that origin as OBJECT_ID.

The scan over cache files (formats.scan.CachedRows, compiled by each engine) gives
what the format's scan would; columns the query does not use are NULL, as the
format's own scan makes them.
"""
from __future__ import annotations

import dataclasses
import os
import uuid
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..catalog.model import Column, Table
from ..errors import QueryCancelled
from ..formats.scan import CACHE_OBJECT_ID, CachedRows, Scan, ScanFile
from ..storage import ObjectInfo

FILE_KEY = "__parthenon_cache_file"
OBJECT_ID = CACHE_OBJECT_ID
GROUP_BYTES = 128 * 2**20     # stored bytes decoded per engine query and cache file
GROUP_FILES = 2048
# Rows per Parquet row group of a cache file.  The engine streams its decode in small
# batches (one per input chunk, ~700 CloudTrail rows); written as they come, each became a
# row group, and reading the cache back cost 7x the time of the same rows in large groups.
ROW_GROUP_ROWS = 122_880     # DuckDB's own row group size
ROW_GROUP_BYTES = 32 * 2**20  # ... or this many bytes of Arrow data, held before a write


def groups(files: list[tuple[int, ScanFile]]) -> Iterator[list[tuple[int, ScanFile]]]:
    """(position, file) pairs cut into groups of one partition, at most GROUP_BYTES each."""
    by_partition: dict[tuple, list] = {}
    for item in files:
        by_partition.setdefault(item[1].partition_values, []).append(item)
    for items in by_partition.values():
        group, size = [], 0
        for item in items:
            if group and (size + item[1].obj.size > GROUP_BYTES or len(group) >= GROUP_FILES):
                yield group
                group, size = [], 0
            group.append(item)
            size += item[1].obj.size
        if group:
            yield group


def decode(q, name: str, table: Table, fmt, files: list[ScanFile], columns: list[str],
           fields: dict[str, set[str]], ids: list[int], root: Path, relative: str) -> tuple[int, int]:
    """Decode `files` with the engine query `q` through the table's format `fmt` into the
    cache file `relative` under `root`: `columns` in table order (the struct columns in
    `fields` with those fields only, scan_cache.columns), then OBJECT_ID (ids[i] for the
    rows of files[i]).  Streamed a batch at a time (nothing held beyond one batch)
    to a temporary name, renamed into place when whole.  Returns its size and mtime."""
    keyed = dataclasses.replace(table, partition_keys=[*table.partition_keys, Column(FILE_KEY, "int")])
    scan = fmt.build_scan(keyed, [ScanFile(f.obj, (*f.partition_values, str(i)))
                                  for i, f in enumerate(files)])
    scan.needed_columns, scan.needed_fields = set(columns), dict(fields)
    q.add_scan(name, scan)
    select = ", ".join(_quote(c) for c in [*columns, FILE_KEY])
    reader = q.stream(f'SELECT {select} FROM "{name}"')
    schema = pa.schema([*(f for f in reader.schema if f.name != FILE_KEY), pa.field(OBJECT_ID, pa.int64())])
    origin = pa.array(ids, pa.int64())
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        # LZ4: written and read back faster than zstd (the first run writes every byte of it)
        with pq.ParquetWriter(temp, schema, compression="lz4") as writer:
            held: list[pa.RecordBatch] = []
            rows = size = 0
            for batch in reader:
                stop_if_cancelled(q)
                at = batch.schema.get_field_index(FILE_KEY)
                held.append(batch.remove_column(at).append_column(OBJECT_ID, pc.take(origin, batch.column(at))))
                rows, size = rows + batch.num_rows, size + held[-1].nbytes
                if rows >= ROW_GROUP_ROWS or size >= ROW_GROUP_BYTES:
                    _write_group(writer, schema, held)
                    rows = size = 0
            _write_group(writer, schema, held)
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _write_group(writer: pq.ParquetWriter, schema: pa.Schema, held: list[pa.RecordBatch]) -> None:
    """The batches held as one row group (none: nothing), emptying `held`."""
    if held:
        writer.write_table(pa.Table.from_batches(held, schema), row_group_size=ROW_GROUP_ROWS * 2)
        held.clear()


def stop_if_cancelled(q) -> None:
    """A cancel that came while Python worked (writing Parquet) reaches no engine statement:
    the query's files say so (DuckDB's QueryFiles)."""
    files = getattr(q, "files", None)
    if files is not None and files.cancelled.is_set():
        raise QueryCancelled("Query cancelled by user")


def cached_scan(table: Table, original: Scan, files: list[tuple[str, int, tuple, int]],
                columns: set[str] | None, objects: list[int] | None) -> Scan:
    """A scan giving what `original` gives, read from cache files (path, size, partition
    values, stored bytes of the objects it stands for in this scan).  `columns`: the data
    columns the query uses (None: all); `objects`: the OBJECT_IDs to keep, None when every
    row of these files is wanted."""
    return Scan(files=[ScanFile(ObjectInfo(path, size), values) for path, size, values, _ in files],
                columns=table.columns, partition_keys=original.partition_keys,
                reading=CachedRows(kept=columns, objects=objects), ranged=True, extension=".parquet",
                cache_for=[source for *_, source in files],
                needed_columns=original.needed_columns, needed_fields=original.needed_fields)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


