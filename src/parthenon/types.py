"""Athena's names for result column types: the translator's Trino type, checked
against the engine's Arrow type of the values."""
from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.types as t

_PARAMETERS = re.compile(r"\(\d+(?:,\s*\d+)?\)")
# Trino types whose values the engine holds as text (see parthenon.engine.duckdb.trino.zoned)
_AS_TEXT = {"json", "ipaddress", "char", "timestamp with time zone", "time with time zone",
            "interval day to second", "interval year to month",
            "time",    # the Spark engine's (parthenon.engine.spark.times)
            "color",   # DuckDB's: Trino's text of the color (engine/duckdb/color_functions)
            "uuid"}    # DuckDB's UUID leaves as text
# timestamp(7..9) leaves the engine as text too (DuckDB's Arrow timestamps stop at microseconds),
# and so does a timestamp(10..12) (the Spark engine's literals of it: engine/spark/pico_literals)
_NANOS_AS_TEXT = re.compile(r"(?:timestamp|time)\((?:[789]|1[012])\)")     # a TIMESTAMP_NS or TIME_NS leaves as text
# a field name of the engine's row type (its struct of an anonymous row names them: _0, element1)
_FIELD_NAME = re.compile(r"(?<=row\()[A-Za-z_]\w* (?=[a-z])|(?<=, )[A-Za-z_]\w* (?=[a-z])")


def result_type(trino: str | None, dtype: pa.DataType) -> str:
    """Trino's name for a result column's type (``varchar(3)``, ``timestamp(6)``,
    ``json``) when it names what the engine returned; the engine's type otherwise."""
    engine = athena_type(dtype)
    if trino is None:
        return engine
    if t.is_null(dtype):
        # a column of Arrow's null type holds only NULLs, a value of every type: DuckDB's
        # map_from_entries(NULL) or concat(ARRAY[], NULL) are SQLNULL where Trino types
        # them map(unknown, unknown), array(unknown)
        return trino
    base = _PARAMETERS.sub("", trino)
    if base == _PARAMETERS.sub("", engine) or (engine == "varchar" and base in _AS_TEXT):
        return trino
    if base == "setdigest" and engine == "varbinary":
        return trino    # Trino's serialised digest (sql/trino/set_digests)
    if "row(" in base and base == _FIELD_NAME.sub("", _PARAMETERS.sub("", engine)):
        return trino    # an anonymous row: row(integer, varchar(3)), its fields unnamed
    if engine == "varchar" and _NANOS_AS_TEXT.fullmatch(trino):
        return trino
    if base.startswith("interval") and engine.startswith("interval"):
        return trino
    if base.startswith("array(") and engine == "array(varchar)" and base[6:-1] in _AS_TEXT:
        return trino    # an array of values the engine holds as text (array(ipaddress))
    if _NANOS_AS_TEXT.search(trino) and engine == _PARAMETERS.sub("", _NANOS_AS_TEXT.sub("varchar", trino)):
        return trino    # an array or map of timestamp(7..9), left the engine as their text
    if "row(" in base and base == _PARAMETERS.sub("", athena_type(dtype, field_names=False)):
        return trino    # anonymous rows: the engine's struct has field names of its own
    if "json" in base and re.sub(r"\bjson\b", "varchar", base) in (
            _PARAMETERS.sub("", engine), _FIELD_NAME.sub("", _PARAMETERS.sub("", engine)),
            _PARAMETERS.sub("", athena_type(dtype, field_names=False))):
        return trino    # json inside an array, map or row, held as its text (as a json column is)
    if "unknown" in base and re.sub(r"\bunknown\b", "varchar", base) in (
            _PARAMETERS.sub("", engine), _PARAMETERS.sub("", athena_type(dtype, field_names=False))):
        return trino    # only NULLs, held as text by an engine without a NULL type (Spark)
    return engine


def athena_type(dtype: pa.DataType, field_names: bool = True) -> str:
    if t.is_string(dtype) or t.is_large_string(dtype) or t.is_string_view(dtype):
        return "varchar"
    if t.is_boolean(dtype):
        return "boolean"
    for check, name in ((t.is_int8, "tinyint"), (t.is_int16, "smallint"), (t.is_int32, "integer"),
                        (t.is_int64, "bigint"), (t.is_uint8, "smallint"), (t.is_uint16, "integer"),
                        (t.is_uint32, "bigint"), (t.is_uint64, "decimal"),
                        (t.is_float32, "real"), (t.is_float64, "double"), (t.is_date, "date")):
        if check(dtype):
            return name
    if t.is_decimal(dtype):
        return f"decimal({dtype.precision},{dtype.scale})"
    if t.is_timestamp(dtype):
        return "timestamp with time zone" if dtype.tz else "timestamp"
    if t.is_time(dtype):
        return "time"
    if t.is_duration(dtype) or t.is_interval(dtype):
        return "interval day to second"
    if t.is_binary(dtype) or t.is_large_binary(dtype) or t.is_fixed_size_binary(dtype):
        return "varbinary"
    if t.is_struct(dtype):
        return "row(" + ", ".join(athena_type(f.type, field_names) if not field_names or anonymous_field(f.name, i)
                                  else f"{f.name} {athena_type(f.type, field_names)}"
                                  for i, f in enumerate(dtype)) + ")"
    if t.is_map(dtype):
        return f"map({athena_type(dtype.key_type, field_names)}, {athena_type(dtype.item_type, field_names)})"
    if t.is_list(dtype) or t.is_large_list(dtype) or t.is_fixed_size_list(dtype) or \
            t.is_list_view(dtype):
        return f"array({athena_type(dtype.value_type, field_names)})"
    if t.is_null(dtype):
        return "unknown"
    if isinstance(dtype, pa.ExtensionType):
        return "json" if "json" in str(dtype).lower() else athena_type(dtype.storage_type)
    return str(dtype)


def anonymous_field(name: str, index: int) -> bool:
    """The engine names the fields of ``ROW(BIGINT, VARCHAR)`` ``_0``, ``_1``...: Trino
    shows them without a name (``row(bigint, varchar)``, ``{"":1}`` in JSON)."""
    return not name or name == f"_{index}"
