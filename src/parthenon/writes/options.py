"""The WITH (...) properties of CTAS and UNLOAD, checked as Athena checks them.

CTAS: table_type (HIVE), external_location, format (PARQUET by default; ORC, AVRO,
JSON, TEXTFILE), write_compression (or the older parquet_compression /
orc_compression), compression_level, field_delimiter, partitioned_by,
bucketed_by and bucket_count.  UNLOAD: format, compression, compression_level,
field_delimiter and partitioned_by.  An unknown property is Athena's (Trino's)
INVALID_TABLE_PROPERTY; is_external and location are accepted as Athena does
(external must stay true: Parthenon has no managed tables).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from ..catalog.ddl_support import checked_location
from ..catalog.model import CATALOG
from ..errors import InvalidTableProperty, NotSupported
from .files import FORMATS, FileFormat

CTAS_PROPERTIES = {"table_type", "external_location", "format", "write_compression",
                   "parquet_compression", "orc_compression", "compression_level",
                   "field_delimiter", "partitioned_by", "bucketed_by", "bucket_count",
                   "is_external", "location"}
UNLOAD_PROPERTIES = {"format", "compression", "compression_level", "field_delimiter",
                     "partitioned_by"}


@dataclass
class WriteOptions:
    format: FileFormat
    compression: str                 # upper case, the format's default when not given
    compression_level: int | None = None
    field_delimiter: str | None = None
    location: str | None = None
    partitioned_by: list[str] = field(default_factory=list)
    bucketed_by: list[str] = field(default_factory=list)
    bucket_count: int | None = None
    with_data: bool = True
    escape: bool = True              # TEXTFILE: '\\' escapes delimiters and newlines (escape.delim)


def read_properties(props: exp.Properties | None, allowed: set[str], what: str
                    ) -> tuple[dict[str, exp.Expression], bool]:
    """{name: value node} of a WITH (...) list, and whether WITH NO DATA was given."""
    out: dict[str, exp.Expression] = {}
    with_data = True
    for prop in (props.expressions if props else []):
        if isinstance(prop, exp.WithDataProperty):
            with_data = not prop.args.get("no")
            continue
        if isinstance(prop, exp.FileFormatProperty):
            name, value = "format", prop.this
        elif isinstance(prop, exp.PartitionedByProperty):
            name, value = "partitioned_by", prop.this
        elif isinstance(prop, exp.LocationProperty):
            name, value = "location", prop.this
        elif isinstance(prop, exp.Property):
            name, value = prop.name.lower(), prop.args.get("value")
        else:
            raise InvalidTableProperty(f"Catalog '{CATALOG}' {what} property "
                                       f"'{prop.sql('athena')}' does not exist")
        if name not in allowed:
            raise InvalidTableProperty(f"Catalog '{CATALOG}' {what} property '{name}' does not exist")
        if name in out:
            raise InvalidTableProperty(f"Duplicate {what} property '{name}'")
        out[name] = value
    return out, with_data


def names_a_location(props: exp.Properties | None) -> bool:
    """Whether a CTAS's WITH (...) gives its own external_location (or location)."""
    return any(isinstance(p, exp.LocationProperty) or
               (isinstance(p, exp.Property) and p.name.lower() in ("external_location", "location"))
               for p in (props.expressions if props else []))


def ctas_options(props: exp.Properties | None) -> WriteOptions:
    values, with_data = read_properties(props, CTAS_PROPERTIES, "table")
    table_type = _text(values, "table_type", "HIVE").upper()
    if table_type != "HIVE":
        raise NotSupported(f"table_type '{table_type}' is not supported: Parthenon writes Hive "
                           "tables only (no Iceberg)")
    if _text(values, "is_external", "true").lower() != "true":
        raise NotSupported("is_external = false is not supported: Parthenon's tables are external")
    if "location" in values and "external_location" in values:
        raise InvalidTableProperty("Only one of 'location' and 'external_location' may be given")
    fmt = _format(values)
    compression = None
    for key in ("write_compression", "parquet_compression", "orc_compression"):
        if key in values:
            if compression is not None:
                raise InvalidTableProperty("Only one of write_compression, parquet_compression "
                                           "and orc_compression may be given")
            if key != "write_compression" and key.split("_")[0].upper() != fmt.name:
                raise InvalidTableProperty(f"{key} can only be used with format "
                                           f"'{key.split('_')[0].upper()}', not '{fmt.name}'")
            compression = _text(values, key)
    options = _common(values, fmt, compression)
    location = values.get("external_location") or values.get("location")
    options.location = checked_location(_string(location, "external_location")) if location else None
    options.with_data = with_data
    options.bucketed_by = _names(values, "bucketed_by")
    if "bucket_count" in values:
        options.bucket_count = _integer(values["bucket_count"], "bucket_count")
        if options.bucket_count < 1:
            raise InvalidTableProperty("bucket_count must be greater than 0")
    if bool(options.bucketed_by) != bool(options.bucket_count):
        raise InvalidTableProperty("bucketed_by and bucket_count must be given together")
    return options


def unload_options(props: exp.Properties | None) -> WriteOptions:
    values, _ = read_properties(props, UNLOAD_PROPERTIES, "UNLOAD")
    if "format" not in values:
        raise InvalidTableProperty("UNLOAD needs a format: WITH (format = 'PARQUET' | 'ORC' | "
                                   "'AVRO' | 'JSON' | 'TEXTFILE')")
    fmt = _format(values)
    return _common(values, fmt, _text(values, "compression") if "compression" in values else None)


def _common(values: dict, fmt: FileFormat, compression: str | None) -> WriteOptions:
    compression = fmt.check_compression(compression.upper() if compression else fmt.default_compression)
    level = _integer(values["compression_level"], "compression_level") \
        if "compression_level" in values else None
    if level is not None:
        fmt.check_level(compression, level)
    delimiter = None
    if "field_delimiter" in values:
        if fmt.name != "TEXTFILE":
            raise InvalidTableProperty(f"field_delimiter can only be used with format 'TEXTFILE', "
                                       f"not '{fmt.name}'")
        delimiter = _string(values["field_delimiter"], "field_delimiter")
        if len(delimiter) != 1:
            raise InvalidTableProperty(f"field_delimiter must be one character, got '{delimiter}'")
    return WriteOptions(format=fmt, compression=compression, compression_level=level,
                        field_delimiter=delimiter, partitioned_by=_names(values, "partitioned_by"))


def _format(values: dict) -> FileFormat:
    name = _text(values, "format", "PARQUET").upper()
    if name not in FORMATS:
        raise InvalidTableProperty(f"format '{name}' is not supported: use one of "
                                   f"{', '.join(FORMATS)}")
    return FORMATS[name]


def _names(values: dict, key: str) -> list[str]:
    node = values.get(key)
    if node is None:
        return []
    items = node.expressions if isinstance(node, exp.Array) else None
    if items is None or not all(isinstance(i, exp.Literal) and i.is_string for i in items):
        raise InvalidTableProperty(f"{key} must be an ARRAY of column names, e.g. "
                                   f"{key} = ARRAY['year', 'month']")
    return [i.name.lower() for i in items]


def _text(values: dict, key: str, default: str | None = None) -> str:
    node = values.get(key)
    if node is None:
        return default
    return _string(node, key)


def _string(node: exp.Expression, key: str) -> str:
    if isinstance(node, (exp.Literal, exp.Var, exp.Identifier, exp.Boolean)):
        return node.name if not isinstance(node, exp.Boolean) else str(node.this).lower()
    if isinstance(node, exp.Column) and not node.table:
        return node.name
    raise InvalidTableProperty(f"Invalid value for table property '{key}': {node.sql('athena')}")


def _integer(node: exp.Expression, key: str) -> int:
    try:
        return int(_string(node, key))
    except ValueError:
        raise InvalidTableProperty(f"Invalid value for table property '{key}': "
                                   f"{node.sql('athena')} (expected an integer)") from None
