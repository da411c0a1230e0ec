"""The columns a write creates or fills: result types as Hive types, checked as Athena checks.

CTAS names its table's columns after the query's (every column needs a name,
names are unique) and types them with the Hive type of each result type;
partition columns come last, in partitioned_by's order.  INSERT INTO matches
the query's columns to the table's by position, with Trino's coercions only.
"""
from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.types as pat
from sqlglot import exp

from ..catalog.hive_types import parse_hive_type
from ..catalog.model import Column, Table
from ..errors import NotSupported, ParthenonError, SqlSyntaxError, TypeMismatch
from ..formats.arrow_types import arrow_type, conform
from ..types import athena_type
from .files import FileFormat


class ColumnOrderMismatch(ParthenonError):
    code = "HIVE_COLUMN_ORDER_MISMATCH"


class ColumnTypeUnknown(ParthenonError):
    code = "COLUMN_TYPE_UNKNOWN"


class MissingColumnName(ParthenonError):
    code = "MISSING_COLUMN_NAME"


_PARTITION_TYPES = {"string", "varchar", "char", "boolean", "tinyint", "smallint", "int",
                    "bigint", "date", "decimal", "float", "double"}


def check_named(query: exp.Expression) -> None:
    """Every column of a CTAS needs a name: `SELECT count(*)` has none (Trino's rule)."""
    select = query if isinstance(query, exp.Select) else query.find(exp.Select)
    if isinstance(query, exp.Union):
        select = query.left if isinstance(query.left, exp.Select) else select
    if select is None:
        return     # VALUES: columns are named _col0... as Athena names them
    for i, p in enumerate(select.expressions, 1):
        if not isinstance(p, (exp.Alias, exp.Column, exp.Dot, exp.Star)):
            raise MissingColumnName(f"Column name not specified at position {i}")


# Trino types no Hive table can hold (the engine may carry them as text: check by name).
_NOT_HIVE = re.compile(r"with time zone|\btime\b|\bjson\b|\bipaddress\b|\buuid\b|\binterval\b|"
                       r"hyperloglog|qdigest|tdigest")


def check_hive_compatible(athena: str, column: str) -> None:
    if athena == "unknown":
        raise ColumnTypeUnknown(f"Column type is unknown: {column}")
    if _NOT_HIVE.search(athena):
        raise NotSupported(f"Unsupported Hive type: {athena} (column {column})")


def hive_type(dtype: pa.DataType, column: str) -> str:
    """The Hive type Athena gives a result column of this type in a new table."""
    if pat.is_string(dtype) or pat.is_large_string(dtype) or pat.is_string_view(dtype):
        return "string"
    for check, name in ((pat.is_boolean, "boolean"), (pat.is_int8, "tinyint"),
                        (pat.is_int16, "smallint"), (pat.is_int32, "int"), (pat.is_int64, "bigint"),
                        (pat.is_uint8, "smallint"), (pat.is_uint16, "int"), (pat.is_uint32, "bigint"),
                        (pat.is_float32, "float"), (pat.is_float64, "double"),
                        (pat.is_date32, "date"), (pat.is_binary, "binary"),
                        (pat.is_large_binary, "binary")):
        if check(dtype):
            return name
    if pat.is_decimal(dtype) and dtype.precision <= 38:
        return f"decimal({dtype.precision},{dtype.scale})"
    if pat.is_timestamp(dtype) and dtype.tz is None:
        return "timestamp"
    if pat.is_list(dtype) or pat.is_large_list(dtype):
        return f"array<{hive_type(dtype.value_type, column)}>"
    if pat.is_map(dtype):
        return f"map<{hive_type(dtype.key_type, column)},{hive_type(dtype.item_type, column)}>"
    if pat.is_struct(dtype):
        return "struct<" + ",".join(f"{f.name.lower()}:{hive_type(f.type, column)}" for f in dtype) + ">"
    if pat.is_null(dtype):
        raise ColumnTypeUnknown(f"Column type is unknown: {column}")
    name = athena_type(dtype)
    name = {"timestamp with time zone": "timestamp(3) with time zone", "time": "time(3)"}.get(name, name)
    raise NotSupported(f"Unsupported Hive type: {name} (column {column})")


def new_table_columns(schema: pa.Schema, types: list[str], partitioned_by: list[str],
                      bucketed_by: list[str], fmt: FileFormat,
                      result_names: list[str] | None = None) -> tuple[list[Column], list[Column]]:
    """(data columns, partition columns) of a CTAS table from its query's result schema
    and Athena types.  ``result_names``: the result's names as Trino gives them, where the
    engine renamed a repeated one (``SELECT * FROM (SELECT 1 x, 2 x)``: Trino's x twice,
    which a table cannot have, where the engine says x_1)."""
    names = [f.name.lower() for f in schema]
    if result_names is not None and len(result_names) == len(names):
        names = [n.lower() for n in result_names]
    for name, athena in zip(names, types):
        check_hive_compatible(athena, name)
    seen = set()
    for name in names:
        if name in seen:
            raise SqlSyntaxError(f"Column name '{name}' specified more than once")
        seen.add(name)
    columns = [Column(n, hive_type(f.type, n)) for n, f in zip(names, schema)]
    for c in columns:
        fmt.check_type(c.name, parse_hive_type(c.type))
    check_partition_columns(names, partitioned_by)
    for name in bucketed_by:
        if name not in names:
            raise ParthenonError(f"Bucketing column '{name}' is not in the query's columns")
        if name in partitioned_by:
            raise ParthenonError(f"Column '{name}' cannot be both a partition and a bucketing column")
    cut = len(columns) - len(partitioned_by)
    for c in columns[cut:]:
        if parse_hive_type(c.type).name not in _PARTITION_TYPES:
            raise NotSupported(f"Partition column '{c.name}' cannot be of type "
                               f"{parse_hive_type(c.type).athena()}")
    if partitioned_by and cut == 0:
        raise ParthenonError("A table must have at least one column that is not a partition column")
    return columns[:cut], columns[cut:]


def check_partition_columns(names: list[str], partitioned_by: list[str]) -> None:
    for name in partitioned_by:
        if name not in names:
            raise ParthenonError(f"Partition column '{name}' is not in the query's columns: "
                                 f"{', '.join(names)}")
    if partitioned_by and names[len(names) - len(partitioned_by):] != partitioned_by:
        raise ColumnOrderMismatch("Partition keys must be the last columns in the table and in the "
                                  f"same order as the table properties: [{', '.join(partitioned_by)}]")


def target_schema(columns: list[Column]) -> pa.Schema:
    return pa.schema([pa.field(c.name, arrow_type(parse_hive_type(c.type))) for c in columns])


def conform_batch(batch: pa.RecordBatch, schema: pa.Schema) -> pa.Table:
    """The query's batch with the table's names and types, column by column, by position."""
    arrays = [conform(batch.column(i), field.type, field.name) for i, field in enumerate(schema)]
    return pa.Table.from_arrays(arrays, schema=schema)


# Trino's implicit coercions for INSERT: an integer widens, any number goes to a wider
# number, varchar to varchar; anything else needs a CAST in the query.
_NUMERIC = ["tinyint", "smallint", "integer", "bigint", "real", "double", "decimal"]


def insert_columns(table: Table, listed: list[str] | None, schema: pa.Schema,
                   query_types: list[str]) -> list[int | None]:
    """For each of the table's columns, the query column that fills it (None: NULL)."""
    all_columns = table.all_columns
    names = [c.name for c in all_columns]
    if listed is None:
        targets = names
    else:
        for name in listed:
            if name not in names:
                raise ParthenonError(f"Insert column name does not exist: {name}")
        if len(set(listed)) != len(listed):
            raise ParthenonError("Insert column name is specified more than once")
        targets = listed
    table_types = [parse_hive_type(all_columns[names.index(n)].type).athena() for n in targets]
    if len(targets) != len(schema) or not all(
            _coercible(q, t) for q, t in zip(query_types, table_types)):
        raise TypeMismatch(f"Insert query has mismatched column types: Table: "
                           f"[{', '.join(table_types)}], Query: [{', '.join(query_types)}]")
    return [targets.index(n) if n in targets else None for n in names]


def _coercible(source: str, target: str) -> bool:
    if source == target or source == "unknown":
        return True
    s, t = source.split("(")[0], target.split("(")[0]
    if s == t and s in ("varchar", "char", "decimal", "array", "map", "row", "timestamp"):
        return True
    if s in _NUMERIC and t in _NUMERIC:
        return _NUMERIC.index(s) <= _NUMERIC.index(t) or s == "decimal" and t in ("real", "double") \
            or t == "decimal"
    return s in ("varchar", "char") and t in ("varchar", "char")


def insert_batch(batch: pa.RecordBatch, positions: list[int | None], schema: pa.Schema) -> pa.Table:
    arrays = []
    for field, i in zip(schema, positions):
        arrays.append(pa.nulls(batch.num_rows, field.type) if i is None
                      else conform(batch.column(i), field.type, field.name))
    return pa.Table.from_arrays(arrays, schema=schema)
