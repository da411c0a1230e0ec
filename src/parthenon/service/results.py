"""Query results as Athena keeps them: files at the OutputLocation, pages for GetQueryResults.

Files, as Athena writes them (reference/athena-features.md section 4):
- a DML result is `<id>.csv`: a header line, every value double-quoted with inner quotes
  doubled, NULL as an empty *unquoted* field (so NULL and '' stay distinct);
- DDL and UTILITY results (SHOW, DESCRIBE) are `<id>.txt`: one row a line, values
  separated by tabs, no header;
- `<id>.csv.metadata` / `<id>.txt.metadata` hold the column descriptions in the protobuf
  layout observed in real Athena files (field numbers in `_metadata_bytes`).
Files are written as the rows arrive (`result_writer.py`), and appear only complete.

GetQueryResults pages come from the rows as text while a result is small enough for the
byte-bounded cache (`RowCache`); otherwise, and after a restart, they are read back from
the result file a page at a time (`result_pages.py`).
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict

import pyarrow as pa
import pyarrow.types as pat

from ..output import athena_text
from ..result import Result, ResultColumn
from .. import storage

# ColumnInfo.Precision as Athena reports it (JDBC-style display sizes; [obs] real responses).
_PRECISION = {"varchar": 2147483647, "char": 2147483647, "bigint": 19, "integer": 10,
              "smallint": 5, "tinyint": 3, "double": 17, "real": 7, "float": 7,
              "timestamp": 3, "time": 3, "timestamp with time zone": 3}
_CASE_SENSITIVE = ("varchar", "char", "string", "varbinary", "json")


def column_info(column: ResultColumn) -> dict:
    """A result column as GetQueryResults describes it: complex types by their bare name."""
    base = column.type.split("(", 1)[0].strip()
    precision, scale = _PRECISION.get(base, 0), 0
    m = re.fullmatch(r"decimal\((\d+),\s*(\d+)\)", column.type)
    if m:
        precision, scale = int(m.group(1)), int(m.group(2))
    return {"CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": column.name,
            "Label": column.name, "Type": base, "Precision": precision, "Scale": scale,
            "Nullable": column.nullable or "UNKNOWN", "CaseSensitive": base in _CASE_SENSITIVE}


def text_rows(result: Result) -> list[tuple]:
    """Every value as Athena's text (None for NULL)."""
    if not result.columns:
        return []
    return text_rows_of(result.table, [c.type for c in result.columns])


def text_rows_of(table: "pa.Table | pa.RecordBatch", types: list[str]) -> list[tuple]:
    """Every value as Athena's text (None for NULL), column by column for speed:
    strings and integers need no per-value formatting call.  `types`: the columns'
    Athena types (a timestamp(p) shows p fractional digits)."""
    columns = []
    for array, type_name in zip(table.columns, types):
        values = array.to_pylist()
        t = array.type
        if pat.is_string(t) or pat.is_large_string(t):
            columns.append(values)
        elif pat.is_integer(t):
            columns.append([None if v is None else str(v) for v in values])
        else:
            columns.append([athena_text(v, type_name) for v in values])
    return list(zip(*columns))


# -- file bodies (written batch by batch: result_writer.py)
def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, value) -> bytes:
    if isinstance(value, (bool, int)):
        return _varint(number << 3) + _varint(int(value)) if value else b""
    data = value if isinstance(value, bytes) else value.encode()
    return _varint(number << 3 | 2) + _varint(len(data)) + data if data else b""


_NULLABLE = {"NOT_NULL": 1, "NULLABLE": 2, "UNKNOWN": 3}


def metadata_bytes(query_id: str, columns: list[dict]) -> bytes:
    """`.metadata`: field 1 the query id, field 4 one ColumnInfo each (1 catalog, 2 schema,
    3 table, 4 name, 5 label, 6 type, 7 precision, 8 scale, 9 nullable, 10 case sensitive),
    the layout seen in real Athena files; proto3 style, so empty and zero fields are left out."""
    out = _field(1, query_id)
    for c in columns:
        info = b"".join((_field(1, c["CatalogName"]), _field(2, c["SchemaName"]),
                         _field(3, c["TableName"]), _field(4, c["Name"]), _field(5, c["Label"]),
                         _field(6, c["Type"]), _field(7, c["Precision"]), _field(8, c["Scale"]),
                         _field(9, _NULLABLE.get(c["Nullable"], 3)),
                         _field(10, bool(c["CaseSensitive"]))))
        out += _field(4, info)
    return out


# -- reading text back (after a restart)
_CSV_FIELD = re.compile(r'(?:"((?:[^"]|"")*)"|([^,\n"]*))(,|\n|\Z)')


def parse_csv(text: str) -> list[tuple]:
    rows, row, pos, n = [], [], 0, len(text)
    while pos < n:
        m = _CSV_FIELD.match(text, pos)
        quoted, bare, sep = m.groups()
        row.append(quoted.replace('""', '"') if quoted is not None else (bare or None))
        pos = m.end()
        if sep != ",":
            rows.append(tuple(row))
            row = []
    return rows


def parse_txt(text: str) -> list[tuple]:
    return [tuple(line.split("\t")) for line in text.split("\n")[:-1]]


# -- where files go (locations are parsed by storage.location)
def write_file(location: str, data: bytes) -> None:
    """A whole result file at once (storage.put: one PUT, or a temporary file renamed)."""
    storage.put(location, data)


def read_file(location: str) -> bytes:
    return storage.read_bytes(location)


CACHE_SHARE = 0.1                  # of the server's memory budget
CACHE_MAX = 512 * 2**20
OFFSET_ENTRIES = 256
_VALUE_OVERHEAD = 56               # a CPython str object, beyond its characters
_ROW_OVERHEAD = 64                 # the tuple holding a row


def cache_bytes(budget: int) -> int:
    """The row cache's bound: a tenth of the budget (at most 512 MiB): pages of recent
    results are served from memory, anything else is read back from the result file."""
    return min(CACHE_MAX, int(budget * CACHE_SHARE))


def rows_size(rows: list[tuple]) -> int:
    """About what text rows hold in memory, in bytes."""
    return sum(_ROW_OVERHEAD + sum(_VALUE_OVERHEAD + (len(v) if v else 0) for v in row)
               for row in rows)


class RowCache:
    """Recently finished results as text rows, bounded by the bytes they hold."""

    def __init__(self, max_bytes: int = 256 * 2**20):
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[list[tuple], int]] = OrderedDict()
        self._offsets: OrderedDict[str, list[int]] = OrderedDict()    # results too big to keep
        self._size = 0
        self._lock = threading.Lock()

    def put_offsets(self, key: str, offsets: list[int]) -> None:
        """Where a big result's pages start in its file (a few KB per million rows)."""
        with self._lock:
            self._offsets[key] = offsets
            while len(self._offsets) > OFFSET_ENTRIES:
                self._offsets.popitem(last=False)

    def get_offsets(self, key: str) -> list[int] | None:
        with self._lock:
            return self._offsets.get(key)

    def put(self, key: str, rows: list[tuple], size: int | None = None) -> None:
        size = rows_size(rows) if size is None else size
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._items[key] = (rows, size)
            self._size += size
            while self._size > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._size -= dropped

    def get(self, key: str) -> list[tuple] | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
                return item[0]
            return None

    @property
    def size(self) -> int:
        return self._size
