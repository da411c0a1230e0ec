"""The scan description: what a format tells an engine about reading a table's files.

A format (one module per SerDe) turns a table and its planned files into a `Scan`:
plain data any backend reads and compiles into its own reading (`engine/duckdb/scans/`
compiles it to DuckDB SQL).  A Scan says

- which files, each with its partition values (`files`, `partition_keys`);
- the bytes the engine should see (`transform`, `size_of`, `extension`, `ranged`,
  `schema_file`, `join`): a format may present stored bytes otherwise at read time
  (CloudTrail's wrapper blanked out, line ends normalised, OpenCSV records as JSON),
  and small files of one partition as one (`join`);
- how records are framed and each column extracted from them (`reading`, one of the
  dataclasses below), with the table's data columns and Hive types (`columns`);
- which columns and struct fields the query uses (`needed_columns`, `needed_fields`,
  set by the planner), so that a reader may type only those;
- which rows the query's WHERE drops for certain (`early_filters`, set by the planner), so
  that a reader may drop them while decoding.

Every reading yields the data columns under their Hive names, then the partition
columns (their values come from `ScanFile.partition_values`, typed as the keys' Hive
types).  A scan with no files has the same columns and no rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Callable, Iterable, Iterator, Union

import pyarrow as pa

from ..catalog.hive_types import HiveType
from ..catalog.model import Column
from ..storage import ObjectInfo
from .javaregex import JavaRegex
from .json_records import KeySpelling


@dataclass
class Patched:
    """Bytes as the engine should see them: `data` with same-length `patches` laid over it.

    Patching at read time costs one copy of what is read, where building a
    patched copy of a whole file would cost two more.
    """
    data: bytes
    patches: list[tuple[int, bytes]]     # (offset, replacement), in offset order, not overlapping

    def __len__(self) -> int:
        return len(self.data)

    def pieces(self, start: int, end: int) -> list:
        """The presented bytes of [start, end) as buffers to join: slices of a memoryview
        (no copy) between the patches, so that a read copies its range once."""
        view, pieces, at = memoryview(self.data), [], start
        for offset, replacement in self.patches:
            stop = offset + len(replacement)
            if stop <= at or offset >= end:
                continue
            if offset > at:
                pieces.append(view[at:offset])
            pieces.append(replacement[max(0, at - offset):min(len(replacement), end - offset)])
            at = min(stop, end)
        if at < end:
            pieces.append(view[at:end])
        return pieces

    def read(self, start: int, end: int) -> bytes:
        return b"".join(self.pieces(start, end))


@dataclass
class Joined:
    """Several files' presented bytes read as one file, `parts` one after another (a bundle,
    see Scan.join)."""
    parts: list[Patched]


# Scan.join: the presented bytes of several files, in order, as one file of the same total
# length that `reading` reads as it would read them one by one.
Join = Callable[[list["bytes | Patched"]], Joined] | None

# A transform turns an object's stored bytes (and URL, for messages) into what
# the engine reads, e.g. CloudTrail's {"Records": [...]} file into a JSON
# array; None = as stored.
Transform = Callable[[bytes, str], "bytes | Patched"] | None


@dataclass
class ScanFile:
    obj: ObjectInfo
    partition_values: tuple[str, ...] = ()


# -- readings: record framing and column extraction -------------------------------------

@dataclass
class DelimitedText:
    """LazySimpleSerDe.  Records are text lines (Hadoop's TextInputFormat: `\\n`, `\\r\\n`,
    lone `\\r`; the presented bytes have `\\r\\n` as CR_MARK + `\\n`, see formats.textlines),
    after `header_lines` skipped lines per file.  Column i is field i of the line split at
    `separators[0]` (missing fields NULL, extra ones ignored); ARRAY, MAP and STRUCT values
    split again at the next separators, one level each (a map's entries at level n, its
    key from its value at level n+1).  A field equal to `null` is NULL; with `escape`, an
    escaped separator is data and `\\n`/`\\r` escapes are newlines.  Text is typed as Hive
    types text (formats.textcast): a value that does not parse is NULL."""
    header_lines: int
    separators: list[str]
    escape: str | None
    null: str


@dataclass
class RegexText:
    """RegexSerDe and GrokSerDe.  Records are text lines (as DelimitedText's); a line that
    `regex` matches whole fills column i from capture group `groups[i]` (None: NULL), a
    line that does not match is a row of NULLs; group text is typed as Hive types text.
    A group that took no part in the match is NULL, one that matched nothing ''.
    `regex.pattern` is the Java pattern as written (case-insensitive when `regex.flags`
    says so; grok's already expanded); `regex.full`, `wrap`, `body` and `participation`
    give its RE2 forms, for engines whose regexes are RE2 (DuckDB)."""
    header_lines: int
    regex: JavaRegex
    groups: list[int | None]


@dataclass
class JsonRecords:
    """The JSON SerDes and CloudTrail.  Records are JSON objects: one per line
    (`layout` "newline_delimited") or the elements of one array per file ("array").
    Columns and struct fields match keys by the spelling `spelling` gives their
    lower-case path (Hive matches keys case-insensitively); `keys` names the key of a
    column explicitly (OpenX's mapping.<column>).  A STRING column holding an object or
    array receives its JSON text.  TIMESTAMP columns try `timestamp_formats` (Java
    date patterns, or 'millis') before the default ISO form.  `compression` "auto": the
    engine may inflate gzip/zstd itself; "none": the presented bytes are plain.
    `ignore_malformed`: a record that is not JSON is skipped rather than failing."""
    layout: str
    spelling: KeySpelling
    keys: dict[str, str] = field(default_factory=dict)
    timestamp_formats: list[str] = field(default_factory=list)
    compression: str = "auto"
    ignore_malformed: bool = False


@dataclass
class CsvRecords:
    """OpenCSVSerde.  The transform has parsed each record already and presents it as a
    JSON line {"c0": text or null, "c1": ...}, one key per data column, values checked
    against the column types.  Typing by OpenCSV's rules: STRING as read, numbers and
    BOOLEAN parsed, TIMESTAMP from UNIX epoch milliseconds, DATE from days since the
    epoch."""


@dataclass
class ParquetFiles:
    """Parquet files, columns matched by name case-insensitively; a column or struct field
    missing from a file is NULL.  `Scan.schema_file` is a zero-row Parquet file with the
    table's columns under their Hive names, to be read first (names, order and fields come
    from it).  Values are cast to the columns' types, timestamps in milliseconds."""


# The column of a scan-cache file saying which object a row was decoded from.
CACHE_OBJECT_ID = "__parthenon_object"


@dataclass
class CachedRows:
    """The scan cache's Parquet files (scan_cache/): the data columns as the table's own
    format decoded them, under their Hive names; those in `kept` only (None: all), the
    others NULL.  Only rows whose CACHE_OBJECT_ID is in `objects` (None: every row)."""
    kept: set[str] | None = None
    objects: list[int] | None = None


@dataclass
class ArrowSource:
    """Rows a format produces in Python, for files the engine cannot read itself (ORC, Avro).

    `batches(opened, needed)` gets each file opened through the engine's virtual
    filesystem (so bytes read are counted) with its ScanFile, and the data
    columns the query may use (None = all); it yields batches of `schema`
    (data columns then partition columns), unneeded columns as NULLs.
    """
    schema: pa.Schema
    batches: Callable[[Iterable[tuple[IO[bytes], ScanFile]], "set[str] | None"], Iterator[pa.RecordBatch]]


Reading = Union[DelimitedText, RegexText, JsonRecords, CsvRecords, ParquetFiles, CachedRows,
                ArrowSource]


@dataclass(frozen=True)
class TextIn:
    """Rows whose `column` (a STRING data column) is not one of `values` (a NULL never is)
    may be dropped while decoding: the query's WHERE drops them anyway (sql.early_filters)."""
    column: str
    values: frozenset[str]


@dataclass
class Scan:
    """A table's rows as the engine should read them (see the module's docstring)."""
    files: list[ScanFile]
    columns: list[Column]                 # the table's data columns (Hive names and types)
    partition_keys: list[Column] = field(default_factory=list)
    reading: Reading | None = None        # None: a scan that only describes columns (no files)
    transform: Transform = None
    size_of: Callable[[ObjectInfo], int] | None = None   # size the engine sees, if transformed
    extension: str = ""                                   # virtual file suffix: compression by name
    # Columnar formats: files are read by byte range and only the ranges read are counted.
    ranged: bool = False
    # A zero-row file in the scan's format, to be listed first (ParquetFiles).
    schema_file: bytes | None = None
    needed_columns: set[str] | None = None    # set by the planner: data columns the query may use
    # set by the planner: for struct columns, the first-level fields the query reads (None: all)
    needed_fields: dict[str, set[str] | None] = field(default_factory=dict)
    # set by the planner: conditions every row the query keeps meets (all of them); a reader
    # may drop the rows that fail one, or ignore them (the engine applies the WHERE anyway)
    early_filters: tuple[TextIn, ...] = ()
    # Files of one partition that the engine may read as one (fewer, larger reads: 10,000
    # small CloudTrail files cost mostly per-file overhead), joined by this; None: each alone.
    # Each file is still fetched, transformed and counted on its own.
    join: Join = None
    # CachedRows: per file, the stored bytes of the objects it stands for, counted as Data
    # scanned in place of its own bytes (which count as cache bytes).
    cache_for: list[int] | None = None

    @property
    def arrow(self) -> ArrowSource | None:
        return self.reading if isinstance(self.reading, ArrowSource) else None


def only_fields(htype: HiveType, used: set[str] | None) -> HiveType:
    """A struct type cut down to the fields a query reads (Scan.needed_fields; all of them
    if it names none): what a scan types, and so gives, for a struct column."""
    if htype.name != "struct" or not used:
        return htype
    kept = [(n, t) for n, t in htype.fields if n in used]
    return HiveType("struct", fields=kept) if kept else htype


def columns_only(table) -> Scan:
    """A scan of no files: the table's columns and types, no rows."""
    return Scan(files=[], columns=table.columns, partition_keys=table.partition_keys)
