"""Avro: `STORED AS AVRO` / AvroSerDe, read with fastavro into Arrow.

The table's `avro.schema.literal` is the reader schema: fastavro resolves
each file's writer schema against it (added fields take their defaults,
promoted types widen), as Hive's AvroSerDe does.  Athena refuses
`avro.schema.url` (it would make Athena fetch a schema from anywhere), and so
do we.  Table columns match the schema's fields by name, case-insensitively;
records are decoded in Python, so an Avro table is read whole (deflate and
snappy blocks included), and only the columns the query uses become Arrow.
"""
from __future__ import annotations

from itertools import islice
from typing import IO, Iterable, Iterator

import fastavro
import orjson
import pyarrow as pa

from ..catalog.model import Table
from ..errors import BadData, NotSupported, ParthenonError
from .arrow_types import by_lower_name, conform, set_partition_columns, table_schema
from .scan import ArrowSource, Scan, ScanFile

BATCH_ROWS = 8192
_PRIMITIVE = {"null": pa.null(), "boolean": pa.bool_(), "int": pa.int32(), "long": pa.int64(),
              "float": pa.float32(), "double": pa.float64(), "bytes": pa.binary(),
              "string": pa.string()}
_LOGICAL = {"date": pa.date32(), "time-millis": pa.time32("ms"), "time-micros": pa.time64("us"),
            "timestamp-millis": pa.timestamp("ms", tz="UTC"),
            "timestamp-micros": pa.timestamp("us", tz="UTC"),
            "local-timestamp-millis": pa.timestamp("ms"), "local-timestamp-micros": pa.timestamp("us"),
            "uuid": pa.string()}


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    literal = reader_schema(table)
    schema = table_schema(table, table.all_columns)
    return Scan(files=files, columns=table.columns, partition_keys=table.partition_keys,
                reading=ArrowSource(schema, lambda opened, needed: _batches(table, literal, opened, needed)))


def reader_schema(table: Table) -> dict | None:
    """The parsed `avro.schema.literal` (SERDEPROPERTIES or TBLPROPERTIES), or None."""
    props = {**table.table_properties, **table.serde_properties}
    if "avro.schema.url" in props:
        raise NotSupported("avro.schema.url is not supported in Athena: specify the table's schema "
                           "with avro.schema.literal")
    text = props.get("avro.schema.literal")
    if text is None:
        return None
    try:
        return fastavro.parse_schema(orjson.loads(text))
    except Exception as e:   # JSON or Avro schema errors
        raise BadData(f"Invalid avro.schema.literal of table {table.qualified_name}: {e}") from None


def _batches(table: Table, literal: dict | None, opened: Iterable[tuple[IO[bytes], ScanFile]],
             needed: set[str] | None) -> Iterator[pa.RecordBatch]:
    schema = table_schema(table, table.all_columns)
    for handle, scan_file in opened:
        try:
            records = fastavro.reader(handle, reader_schema=literal)
            fields = _fields(literal or records.writer_schema)
            yield from _file_batches(table, schema, records, fields, scan_file, needed)
        except ParthenonError:
            raise
        except Exception as e:    # a corrupt file or a schema that does not resolve
            raise BadData(f"Error reading Avro file {scan_file.obj.url}: {e}") from None


def _file_batches(table: Table, schema: pa.Schema, records, fields: dict[str, tuple[str, object]],
                  scan_file: ScanFile, needed: set[str] | None) -> Iterator[pa.RecordBatch]:
    index = by_lower_name(fields)
    names = list(fields)
    wanted = {c.name: names[index[c.name]] for c in table.columns
              if (needed is None or c.name in needed) and c.name in index}
    while True:
        chunk = list(islice(records, BATCH_ROWS))
        if not chunk:
            return
        rows, arrays = len(chunk), []
        for field in schema:
            key = wanted.get(field.name)
            if key is None:
                arrays.append(pa.nulls(rows, field.type))
                continue
            atype, plain = fields[key]
            values = [r.get(key) for r in chunk]
            if not plain:     # a union of several types: Hive's uniontype, read as text
                values = [None if v is None else str(v) for v in values]
            arrays.append(conform(pa.array(values, type=atype), field.type, field.name))
        set_partition_columns(arrays, table, schema, scan_file, rows)
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _fields(record_schema) -> dict[str, tuple[pa.DataType, bool]]:
    """Top-level field name -> (Arrow type of its values, whether values fit it as decoded)."""
    named: dict[str, object] = {}
    if not isinstance(record_schema, dict) or record_schema.get("type") != "record":
        raise BadData("An Avro table's schema must be a record")
    _register(record_schema, named)
    out = {}
    for f in record_schema["fields"]:
        atype = avro_arrow_type(f["type"], named)
        out[f["name"]] = (atype, not _is_multi_union(f["type"]))
    return out


def avro_arrow_type(schema, named: dict) -> pa.DataType:
    if isinstance(schema, str):
        if schema in _PRIMITIVE:
            return _PRIMITIVE[schema]
        return avro_arrow_type(named[schema], named)
    if isinstance(schema, list):         # a union: ["null", T] is a nullable T
        branches = [b for b in schema if b != "null"]
        if len(branches) == 1:
            return avro_arrow_type(branches[0], named)
        return pa.string() if branches else pa.null()
    _register(schema, named)
    logical, kind = schema.get("logicalType"), schema["type"]
    if logical == "decimal":
        return pa.decimal128(schema["precision"], schema.get("scale", 0))
    if logical in _LOGICAL:
        return _LOGICAL[logical]
    if kind == "record":
        return pa.struct([pa.field(f["name"], avro_arrow_type(f["type"], named))
                          for f in schema["fields"]])
    if kind == "array":
        return pa.list_(avro_arrow_type(schema["items"], named))
    if kind == "map":
        return pa.map_(pa.string(), avro_arrow_type(schema["values"], named))
    if kind == "enum":
        return pa.string()
    if kind == "fixed":
        return pa.binary()
    return avro_arrow_type(kind, named)


def _register(schema, named: dict) -> None:
    """Named types (records, enums, fixed) may be referred to by name later in the schema."""
    if isinstance(schema, dict) and "name" in schema and schema.get("type") in ("record", "enum", "fixed"):
        name = schema["name"]
        named.setdefault(name, schema)
        if schema.get("namespace") and "." not in name:
            named.setdefault(f"{schema['namespace']}.{name}", schema)


def _is_multi_union(schema) -> bool:
    return isinstance(schema, list) and len([b for b in schema if b != "null"]) > 1


__all__ = ["build_scan", "reader_schema", "avro_arrow_type"]
