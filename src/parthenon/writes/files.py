"""Data files as Athena's writers make them, from Arrow batches: one class per format.

Standard files only, so DuckDB, pyarrow, Spark and Hive read them without Parthenon:
Parquet and ORC through pyarrow, Avro through fastavro (the table's schema as
`avro.schema.literal`), JSON as one object a line (Hive JSON SerDe), TEXTFILE as
LazySimpleSerDe lines (`\\001` between fields by default, `\\002` / `\\003` inside
arrays, maps and structs, `\\N` for NULL, `\\` escaping delimiters and newlines).
Compression follows Athena's defaults for CTAS: GZIP for Parquet, JSON and TEXTFILE,
ZLIB for ORC; Avro (which has no GZIP) defaults to DEFLATE.  Text files are named with
the codec's extension (`.gz`...), which is how Hadoop, Spark and Athena pick a codec.
"""
from __future__ import annotations

import bz2
import datetime
import decimal
from dataclasses import dataclass
from typing import Callable

import fastavro
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.orc as orc
import pyarrow.parquet as pq

from ..catalog.create_drop import STORAGE_FORMATS
from ..catalog.hive_types import HiveType, parse_hive_type
from ..errors import InvalidTableProperty, NotSupported

try:
    from isal import igzip as _gzip      # ISA-L: several times faster than zlib
except ImportError:  # pragma: no cover
    import gzip as _gzip


@dataclass(frozen=True)
class FileFormat:
    name: str
    codecs: dict[str, str]          # Athena's compression name -> the library's
    default_compression: str
    compression_property: str       # the table property INSERT INTO reads it back from
    extension: Callable[[str], str]
    opener: Callable                # (path, schema, columns, options) -> FileWriter
    levels: tuple[int, int] | None = None     # compression_level range, where the codec has one

    @property
    def classes(self) -> tuple[str, str, str]:
        """(SerDe, input format, output format), as Athena registers the table."""
        return STORAGE_FORMATS[self.name]

    def check_compression(self, name: str) -> str:
        name = {"UNCOMPRESSED": "NONE"}.get(name, name)
        if name not in self.codecs:
            raise InvalidTableProperty(f"Compression '{name}' is not supported for format "
                                       f"{self.name}: use one of {', '.join(self.codecs)}")
        return name

    def check_level(self, compression: str, level: int) -> None:
        ranges = {"ZSTD": (1, 22), "GZIP": (1, 9), "DEFLATE": (1, 9)}
        lo, hi = ranges.get(compression, (None, None))
        if lo is None:
            raise InvalidTableProperty(f"compression_level is not supported for {compression} "
                                       "compression")
        if not lo <= level <= hi:
            raise InvalidTableProperty(f"compression_level must be between {lo} and {hi} for "
                                       f"{compression}, got {level}")

    def check_type(self, column: str, htype: HiveType) -> None:
        """Refuse a column type this format cannot hold, before anything is written."""
        if self.name in ("JSON", "TEXTFILE") and _contains(htype, "binary"):
            raise NotSupported(f"Column '{column}' of type varbinary cannot be written as "
                               f"{self.name}: use PARQUET, ORC or AVRO")
        if self.name == "AVRO":
            for t in _walk(htype):
                if t.name == "map" and t.items[0].name not in ("string", "varchar", "char"):
                    raise NotSupported(f"Column '{column}': Avro maps have varchar keys only, "
                                       f"not {t.items[0].athena()}")


class FileWriter:
    rows = 0

    def write(self, table: pa.Table) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


# -- Parquet and ORC: pyarrow writes them streaming, one row group / stripe at a time
class _Parquet(FileWriter):
    def __init__(self, path, schema, columns, options):
        level = options.compression_level
        self._w = pq.ParquetWriter(path, schema, compression=PARQUET.codecs[options.compression],
                                   compression_level=level, coerce_timestamps="ms",
                                   allow_truncated_timestamps=True)

    def write(self, table):
        self._w.write_table(table)
        self.rows += table.num_rows

    def close(self):
        self._w.close()


class _Orc(FileWriter):
    def __init__(self, path, schema, columns, options):
        self._w = orc.ORCWriter(path, compression=ORC.codecs[options.compression])

    def write(self, table):
        self._w.write(table)
        self.rows += table.num_rows

    def close(self):
        self._w.close()


# -- Avro: fastavro, records built from Arrow rows
class _Avro(FileWriter):
    def __init__(self, path, schema, columns, options):
        self._f = open(path, "wb")
        kw = {"codec_compression_level": options.compression_level} \
            if options.compression_level is not None else {}
        self._w = fastavro.write.Writer(self._f, fastavro.parse_schema(avro_schema(columns)),
                                        codec=AVRO.codecs[options.compression], **kw)
        self._convert = [(n, _maps_as_dicts(t)) for n, t in columns if _contains(t, "map")]

    def write(self, table):
        for row in table.to_pylist():
            for n, convert in self._convert:
                row[n] = convert(row[n])
            self._w.write(row)
        self.rows += table.num_rows

    def close(self):
        self._w.flush()
        self._f.close()


def avro_schema(columns: list[tuple[str, HiveType]]) -> dict:
    """The Avro record schema of Hive columns, every field nullable (as Hive writes them)."""
    counter = iter(range(1, 1 << 30))

    def avro(t: HiveType):
        if t.name == "struct":
            return {"type": "record", "name": f"record_{next(counter)}",
                    "fields": [{"name": n, "type": ["null", avro(f)], "default": None}
                               for n, f in t.fields]}
        if t.name == "array":
            return {"type": "array", "items": ["null", avro(t.items[0])]}
        if t.name == "map":
            return {"type": "map", "values": ["null", avro(t.items[1])]}
        if t.name == "decimal":
            p, s = (t.params + [10, 0])[:2] if t.params else (10, 0)
            return {"type": "bytes", "logicalType": "decimal", "precision": p, "scale": s}
        return _AVRO_PRIMITIVES[t.name]
    return {"type": "record", "name": "parthenon_record",
            "fields": [{"name": n, "type": ["null", avro(t)], "default": None} for n, t in columns]}


_AVRO_PRIMITIVES = {
    "string": "string", "varchar": "string", "char": "string", "boolean": "boolean",
    "tinyint": "int", "smallint": "int", "int": "int", "bigint": "long", "float": "float",
    "double": "double", "binary": "bytes", "date": {"type": "int", "logicalType": "date"},
    "timestamp": {"type": "long", "logicalType": "timestamp-millis"},
}


# -- JSON and TEXTFILE: lines of text, compressed as a stream
class _Lines(FileWriter):
    def __init__(self, path, compression, level):
        raw = open(path, "wb")
        if compression == "GZIP":
            self._f = _gzip.open(raw, "wb", compresslevel=level or 6) if _gzip.__name__ == "gzip" \
                else _gzip.IGzipFile(fileobj=raw, mode="wb", compresslevel=min(level or 1, 3))
        elif compression == "BZIP2":
            self._f = bz2.BZ2File(raw, "wb", compresslevel=level or 9)
        else:
            self._f = raw
        self._raw = raw

    def close(self):
        self._f.close()
        if self._f is not self._raw:
            self._raw.close()


class _Json(_Lines):
    def __init__(self, path, schema, columns, options):
        super().__init__(path, options.compression, options.compression_level)
        self._convert = [(n, _maps_as_dicts(t)) for n, t in columns]

    def write(self, table):
        rows = table.to_pylist()
        out = bytearray()
        for row in rows:
            out += orjson.dumps({n: c(row[n]) for n, c in self._convert},
                                option=orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME,
                                default=_json_default)
            out += b"\n"
        self._f.write(bytes(out))
        self.rows += len(rows)


def _json_default(value):
    if isinstance(value, datetime.datetime):
        return _timestamp_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _maps_as_dicts(t: HiveType):
    """Maps arrive from Arrow as (key, value) pairs; JSON and Avro want objects."""
    if not _contains(t, "map"):
        return lambda v: v
    if t.name == "map":
        value = _maps_as_dicts(t.items[1])
        return lambda v: None if v is None else {k: value(x) for k, x in v}
    if t.name == "array":
        item = _maps_as_dicts(t.items[0])
        return lambda v: None if v is None else [item(x) for x in v]
    fields = [(n, _maps_as_dicts(f)) for n, f in t.fields]
    return lambda v: None if v is None else {n: c(v[n]) for n, c in fields}


class _Text(_Lines):
    """LazySimpleSerDe lines; `escape.delim` is '\\', so any value round-trips."""

    def __init__(self, path, schema, columns, options):
        super().__init__(path, options.compression, options.compression_level)
        self.separators = text_separators(options.field_delimiter)
        self._columns = columns
        self._escape = options.escape

    def write(self, table):
        seps = self.separators
        texts = [_text_column(table.column(i), t, seps, 1, self._escape)
                 for i, (_, t) in enumerate(self._columns)]
        lines = [seps[0].join(values) for values in zip(*texts)] if texts else []
        self._f.write(("".join(line + "\n" for line in lines)).encode())
        self.rows += table.num_rows


def text_separators(field_delimiter: str | None) -> list[str]:
    return [field_delimiter or "\x01", "\x02", "\x03", "\x04", "\x05", "\x06", "\x07", "\x08"]


def _escape(text: str, seps: list[str] | None) -> str:
    if seps is None:      # a table without escape.delim: values are written as they are
        return text
    text = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    for sep in seps:
        if sep in text:
            text = text.replace(sep, "\\" + sep)
    return text


def _text_column(array: pa.ChunkedArray, t: HiveType, seps: list[str], level: int,
                 escape: bool) -> list[str]:
    escaped = seps if escape else None
    if not t.is_nested and t.name in ("string", "varchar", "char"):
        return ["\\N" if v is None else _escape(v, escaped) for v in array.to_pylist()]
    if t.name == "timestamp":     # milliseconds by now: %S prints them as seconds.fff
        return ["\\N" if v is None else v
                for v in pc.strftime(array, format="%Y-%m-%d %H:%M:%S").to_pylist()]
    return ["\\N" if v is None else _text_value(v, t, seps, level, escaped)
            for v in array.to_pylist()]


def _text_value(v, t: HiveType, seps: list[str], level: int, escaped: list[str] | None) -> str:
    if v is None:
        return "\\N"
    if t.name == "array":
        return seps[level].join(_text_value(x, t.items[0], seps, level + 1, escaped) for x in v)
    if t.name == "map":
        return seps[level].join(_text_value(k, t.items[0], seps, level + 2, escaped) +
                                seps[level + 1] +
                                _text_value(x, t.items[1], seps, level + 2, escaped) for k, x in v)
    if t.name == "struct":
        return seps[level].join(_text_value(v[n], f, seps, level + 1, escaped) for n, f in t.fields)
    if t.name == "boolean":
        return "true" if v else "false"
    if t.name == "timestamp":
        return _timestamp_text(v)
    if t.name == "date":
        return v.isoformat()
    return _escape(str(v), escaped)


def _timestamp_text(value: datetime.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def _walk(t: HiveType):
    yield t
    for child in [*t.items, *(f for _, f in t.fields)]:
        yield from _walk(child)


def _contains(t: HiveType, name: str) -> bool:
    return any(x.name == name for x in _walk(t))


def _gz(c):
    return {"GZIP": ".gz", "BZIP2": ".bz2", "NONE": ""}[c]


PARQUET = FileFormat("PARQUET", {"GZIP": "gzip", "SNAPPY": "snappy", "ZSTD": "zstd", "NONE": "none"},
                     "GZIP", "parquet.compression", lambda c: ".parquet", _Parquet)
ORC = FileFormat("ORC", {"ZLIB": "zlib", "SNAPPY": "snappy", "ZSTD": "zstd", "LZ4": "lz4",
                         "NONE": "uncompressed"},
                 "ZLIB", "orc.compress", lambda c: ".orc", _Orc)
AVRO = FileFormat("AVRO", {"DEFLATE": "deflate", "SNAPPY": "snappy", "ZSTD": "zstandard",
                           "BZIP2": "bzip2", "NONE": "null"},
                  "DEFLATE", "write.compression", lambda c: ".avro", _Avro)
JSON = FileFormat("JSON", {"GZIP": "gzip", "BZIP2": "bzip2", "NONE": "none"},
                  "GZIP", "write.compression", lambda c: ".json" + _gz(c), _Json)
TEXTFILE = FileFormat("TEXTFILE", {"GZIP": "gzip", "BZIP2": "bzip2", "NONE": "none"},
                      "GZIP", "write.compression", lambda c: ".txt" + _gz(c), _Text)
FORMATS = {f.name: f for f in (PARQUET, ORC, AVRO, JSON, TEXTFILE)}


def hive_columns(table_columns) -> list[tuple[str, HiveType]]:
    return [(c.name, parse_hive_type(c.type)) for c in table_columns]
