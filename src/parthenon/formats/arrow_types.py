"""Hive column types as Arrow types, and Arrow data shaped to them (ORC, Avro, Parquet schema files).

Athena maps a file's columns and struct fields to the table's by name,
case-insensitively; a column or field the file lacks reads as NULL, one the
table lacks is ignored.  `conform` does that for Arrow arrays, recursively.
"""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ..catalog.hive_types import HiveType, parse_hive_type
from ..catalog.model import Table
from .scan import ScanFile
from ..errors import BadData

_PRIMITIVES = {
    "string": pa.string(), "varchar": pa.string(), "char": pa.string(),
    "boolean": pa.bool_(), "tinyint": pa.int8(), "smallint": pa.int16(),
    "int": pa.int32(), "integer": pa.int32(), "bigint": pa.int64(),
    "float": pa.float32(), "real": pa.float32(), "double": pa.float64(),
    "date": pa.date32(), "binary": pa.binary(),
    # Hive timestamps have millisecond precision in Athena.
    "timestamp": pa.timestamp("ms"),
}


def arrow_type(htype: HiveType) -> pa.DataType:
    if htype.name == "struct":
        return pa.struct([pa.field(n, arrow_type(t)) for n, t in htype.fields])
    if htype.name == "array":
        return pa.list_(arrow_type(htype.items[0]))
    if htype.name == "map":
        return pa.map_(arrow_type(htype.items[0]), arrow_type(htype.items[1]))
    if htype.name == "decimal":
        p, s = (htype.params + [10, 0])[:2] if htype.params else (10, 0)
        return pa.decimal128(p, s)
    return _PRIMITIVES[htype.name]


def table_schema(table: Table, columns=None) -> pa.Schema:
    """The Arrow schema of a table's columns (data columns by default), Hive names."""
    cols = table.columns if columns is None else columns
    return pa.schema([pa.field(c.name, arrow_type(parse_hive_type(c.type))) for c in cols])


def by_lower_name(names) -> dict[str, int]:
    """Position of each name, by lower-case name; the first of names equal but for case wins."""
    found: dict[str, int] = {}
    for i, name in enumerate(names):
        found.setdefault(name.lower(), i)
    return found


def conform(array: pa.Array | pa.ChunkedArray, target: pa.DataType, what: str = "") -> pa.Array:
    """`array` as `target`: struct fields by name (any case), missing ones NULL, values cast."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    source = array.type
    if source == target:
        return array
    if pa.types.is_null(source):
        return pa.nulls(len(array), target)
    if pa.types.is_struct(target) and pa.types.is_struct(source):
        index = by_lower_name(source.field(i).name for i in range(source.num_fields))
        flat = array.flatten()       # children with the array's slice offset applied
        children = []
        for field in target:
            i = index.get(field.name.lower())
            children.append(pa.nulls(len(array), field.type) if i is None else
                            conform(flat[i], field.type, f"{what}.{field.name}"))
        mask = array.is_null() if array.null_count else None
        return pa.StructArray.from_arrays(children, fields=list(target), mask=mask)
    if pa.types.is_map(target) and pa.types.is_map(source):
        keys = conform(array.keys, target.key_type, what)
        items = conform(array.items, target.item_type, what)
        return pa.MapArray.from_arrays(_offsets(array), keys, items, type=target)
    if pa.types.is_list(target) and (pa.types.is_list(source) or pa.types.is_large_list(source)):
        values = conform(array.values, target.value_type, what)
        return pa.ListArray.from_arrays(_offsets(array), values, type=target)
    if pa.types.is_timestamp(target) and pa.types.is_timestamp(source):
        # Finer units are rounded to the table's milliseconds, as Athena's readers do.
        array = pc.round_temporal(array, unit="millisecond") if source.unit in ("us", "ns") else array
        return pc.cast(array, target, safe=False)
    try:
        return pc.cast(array, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        raise BadData(f"Column {what.lstrip('.')} of type {source} in the file does not match "
                      f"the table's type {target}: {e}") from None


def _offsets(array: pa.Array) -> pa.Array:
    """List/map offsets with NULL where the list itself is NULL (so from_arrays keeps the NULLs)."""
    offsets = array.offsets      # of the slice, pointing into the unsliced values
    if not array.null_count:
        return offsets
    valid = pa.concat_arrays([array.is_valid(), pa.array([True])])
    return pc.if_else(valid, offsets, pa.scalar(None, offsets.type))


def set_partition_columns(arrays: list, table: Table, schema: pa.Schema, scan_file: ScanFile,
                          rows: int) -> None:
    """Partition columns are constants of the file's partition, cast to their types."""
    first = len(table.columns)
    for i, value in enumerate(scan_file.partition_values):
        target = schema.field(first + i).type
        arrays[first + i] = pa.repeat(pc.cast(pa.scalar(value, pa.string()), target, safe=False), rows) \
            if rows else pa.nulls(0, target)
