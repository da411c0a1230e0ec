"""What every statement returns: columns with Athena type names, rows, statistics."""
from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass
from typing import Iterator

import pyarrow as pa

# Athena's statement types, as GetQueryExecution reports them.
DDL = "DDL"
DML = "DML"
UTILITY = "UTILITY"
NO_COLUMNS = pa.schema([])


def string_array(values: list) -> pa.Array:
    """A string array of str-or-None values, built from its buffers. `pa.array` of a Python
    list makes pyarrow import pandas (0.2 s, once a process) to ask whether the list is a
    pandas object; a DDL or SHOW statement is often a process's first and only one."""
    data = [v.encode() for v in values if v is not None]
    offsets, valid, end = array("i", [0]), bytearray((len(values) + 7) // 8), 0
    encoded = iter(data)
    for i, v in enumerate(values):
        if v is not None:
            end += len(next(encoded))
            valid[i // 8] |= 1 << (i % 8)
        offsets.append(end)
    if sys.byteorder != "little":
        offsets.byteswap()          # Arrow's buffers are little-endian
    nulls = values.count(None)
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(data)),
                                       pa.py_buffer(bytes(valid)) if nulls else None, nulls)


@dataclass
class ResultColumn:
    name: str
    type: str                 # Athena's type name: varchar, bigint, row(arn varchar), array(varchar)
    nullable: str = "UNKNOWN"  # Athena's ColumnNullable: NOT_NULL | NULLABLE | UNKNOWN


@dataclass
class Result:
    columns: list[ResultColumn]
    table: pa.Table | None                # the rows, column names as in `columns`
    # ... or, from Session.stream, the rows still to come (table None until then)
    statement_type: str = DML
    data_scanned_bytes: int = 0           # Athena's Data scanned: the same with or without the scan cache
    source_bytes_scanned: int = 0         # of which read from the tables' storage
    cache_bytes_scanned: int = 0          # bytes of the scan cache read instead (scan_cache/)
    engine_ms: float = 0.0
    planning_ms: float = 0.0
    message: str | None = None            # what a DDL statement did, for the CLI to print
    update_count: int | None = None       # rows written by CTAS, INSERT INTO, UNLOAD
    manifest_location: str | None = None  # their `<query-id>-manifest.csv`
    reader: pa.RecordBatchReader | None = None

    def batches(self) -> Iterator[pa.RecordBatch]:
        """The rows as Arrow batches: streamed if the result is a stream, else the table's."""
        if self.reader is not None:
            yield from self.reader
        elif self.table is not None and self.table.num_columns:
            yield from self.table.to_batches()

    @property
    def schema(self) -> pa.Schema:
        return self.reader.schema if self.reader is not None else self.table.schema

    @classmethod
    def from_rows(cls, columns: list[ResultColumn], rows: list[tuple], **kw) -> "Result":
        """A small result built in Python (listings, DDL): every value a string or None."""
        arrays = [string_array([r[i] for r in rows]) for i in range(len(columns))]
        table = pa.Table.from_arrays(arrays, names=[c.name for c in columns])
        return cls(columns=columns, table=table, **kw)

    @classmethod
    def empty(cls, statement_type: str = DDL, message: str | None = None) -> "Result":
        return cls(columns=[], table=NO_COLUMNS.empty_table(), statement_type=statement_type,
                   message=message)

    def rows(self) -> list[tuple]:
        # column by column: Athena allows duplicate column names, which row dicts would merge
        if not self.columns:
            return []
        return list(zip(*(_python(column) for column in self.table.columns)))


def _python(column: pa.ChunkedArray) -> list:
    """A column's Python values; a date Python cannot hold (year 0, as Trino's
    ``DATE '0000-12-31'``) is its text, anything else out of Python's range is refused."""
    try:
        return column.to_pylist()
    except (OverflowError, ValueError):
        if pa.types.is_date(column.type):
            return column.cast(pa.string()).to_pylist()
        from .errors import NotSupported
        raise NotSupported("A value outside Python's date and time range (years 1 to 9999) "
                           "is not supported") from None
