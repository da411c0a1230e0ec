"""ORC: `STORED AS ORC` / OrcSerde, read with PyArrow (the engine has no ORC reader here).

Each file is opened by byte range through the engine's virtual filesystem, and
only the columns the query uses are read, stripe by stripe, so Data scanned is
the footer plus those columns' streams.  Columns match by name,
case-insensitively (Athena's default), or by position when the table sets
`orc.column.index.access` = true (files written by old Hive name their
columns _col0, _col1, ...).  Missing columns and struct fields are NULL.
"""
from __future__ import annotations

from typing import IO, Iterable, Iterator

import pyarrow as pa
import pyarrow.orc as orc

from ..catalog.model import Table
from ..errors import BadData, ParthenonError
from .arrow_types import by_lower_name, conform, set_partition_columns, table_schema
from .scan import ArrowSource, Scan, ScanFile

NULL_BATCH_ROWS = 1 << 20


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    return Scan(files=files, columns=table.columns, partition_keys=table.partition_keys,
                ranged=True, reading=ArrowSource(table_schema(table, table.all_columns),
                                                 lambda opened, needed: _batches(table, opened, needed)))


def by_index(table: Table) -> bool:
    props = {**table.table_properties, **table.serde_properties}
    return props.get("orc.column.index.access", "false").strip().lower() == "true"


def _batches(table: Table, opened: Iterable[tuple[IO[bytes], ScanFile]],
             needed: set[str] | None) -> Iterator[pa.RecordBatch]:
    schema = table_schema(table, table.all_columns)
    for handle, scan_file in opened:
        try:
            yield from _file_batches(table, schema, handle, scan_file, needed)
        except ParthenonError:
            raise
        except Exception as e:    # a corrupt or foreign file: say which, never a traceback
            raise BadData(f"Error reading ORC file {scan_file.obj.url}: {e}") from None


def _file_batches(table: Table, schema: pa.Schema, handle: IO[bytes], scan_file: ScanFile,
                  needed: set[str] | None) -> Iterator[pa.RecordBatch]:
    reader = orc.ORCFile(handle)
    names = reader.schema.names
    indexed = by_index(table)
    positions = {i: i for i in range(len(names))} if indexed else by_lower_name(names)
    wanted: dict[str, int] = {}       # table column -> file column position
    for i, col in enumerate(table.columns):
        key = i if indexed else col.name
        if (needed is None or col.name in needed) and key in positions:
            wanted[col.name] = positions[key]
    read_names = sorted(set(wanted.values()))
    if not read_names:     # count(*) and partition columns only: the footer knows the row count
        for start in range(0, reader.nrows, NULL_BATCH_ROWS):
            rows = min(NULL_BATCH_ROWS, reader.nrows - start)
            arrays = [pa.nulls(rows, field.type) for field in schema]
            set_partition_columns(arrays, table, schema, scan_file, rows)
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)
        return
    for stripe in range(reader.nstripes):
        data = reader.read_stripe(stripe, columns=[names[i] for i in read_names])
        rows = data.num_rows
        arrays = []
        for field in schema:
            if field.name in wanted:
                arrays.append(conform(data.column(names[wanted[field.name]]), field.type, field.name))
            else:
                arrays.append(pa.nulls(rows, field.type))
        set_partition_columns(arrays, table, schema, scan_file, rows)
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


__all__ = ["build_scan"]
