"""SHOW and DESCRIBE: the catalog as Athena prints it.

Athena answers these with Hive's text output, cut into rows.  Facts measured on
real Athena by others (see the notes in tests/test_ddl.py) shape the layout:

* a table's DESCRIBE has Athena's three columns (col_name, data_type, comment),
  each row split at its tabs (the .txt result joins them again); other listings
  carry the one column they fill;
* DESCRIBE rows are ``name<tab>type<tab>comment`` with each field left-aligned
  to 20 characters (longer text is not cut; a comment stops at its first tab);
* blank rows are ``<tab> <tab> `` (empty first field, a space for the others);
* SHOW COLUMNS pads names to 20 characters; SHOW TABLES/DATABASES do not pad;
* a view's DESCRIBE and SHOW COLUMNS are ``name<tab>type`` without padding.
"""
from __future__ import annotations

import re
import time
from typing import Callable

from ..errors import InvalidDdl, InvalidFunctionArgument, NotSupported
from ..result import UTILITY, Result, ResultColumn
from .model import Column, Table
from .store import CatalogStore, hive_pattern

# Hive's hive.serdes.using.metastore.for.schema: tables with any other SerDe report their
# columns "from deserializer", which is what DESCRIBE and SHOW CREATE TABLE print as comment.
METASTORE_SCHEMA_SERDES = {
    "org.apache.hadoop.hive.ql.io.orc.OrcSerde",
    "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
    "org.apache.hadoop.hive.serde2.columnar.ColumnarSerDe",
    "org.apache.hadoop.hive.serde2.dynamic_type.DynamicSerDe",
    "org.apache.hadoop.hive.serde2.MetadataTypedColumnsetSerDe",
    "org.apache.hadoop.hive.serde2.columnar.LazyBinaryColumnarSerDe",
    "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    "org.apache.hadoop.hive.serde2.lazybinary.LazyBinarySerDe",
}
FROM_DESERIALIZER = "from deserializer"

# ROW FORMAT DELIMITED clauses in Hive's order, with the serde property each one sets.
DELIMITED_CLAUSES = [
    ("field.delim", "FIELDS TERMINATED BY"), ("escape.delim", "ESCAPED BY"),
    ("collection.delim", "COLLECTION ITEMS TERMINATED BY"), ("mapkey.delim", "MAP KEYS TERMINATED BY"),
    ("line.delim", "LINES TERMINATED BY"), ("serialization.null.format", "NULL DEFINED AS"),
]

# Characters Hive escapes as %XX in partition folder names (FileUtils.escapePathName).
_PATH_ESCAPES = {chr(c) for c in range(1, 32)} | set('"#%\'*/:=?\\\x7f{[]^')

BLANK = "\t \t "


# -- partition names -------------------------------------------------------------------------

def escape_path_name(value: str) -> str:
    return "".join(f"%{ord(c):02X}" if c in _PATH_ESCAPES else c for c in value)


def partition_name(keys: list[Column], values: tuple[str, ...]) -> str:
    """Hive's partition name, as SHOW PARTITIONS prints it and folders are named: k1=v1/k2=v2."""
    return "/".join(f"{k.name}={escape_path_name(v)}" for k, v in zip(keys, values))


def spec_text(keys: list[Column], spec: dict[int, str]) -> str:
    """A (possibly partial) partition spec for error messages: k1=v1, k2=v2."""
    return ", ".join(f"{keys[i].name}={v}" for i, v in sorted(spec.items()))


# -- listings ----------------------------------------------------------------------------------

def show_databases(store: CatalogStore, pattern: str | None) -> Result:
    names = [d.name for d in store.list_databases()]
    if pattern is not None:
        names = [n for n in names if hive_pattern(pattern).fullmatch(n)]
    return _listing("database_name", names)


def show_functions(pattern: str | None, escape: str | None = None) -> Result:
    """Trino's SHOW FUNCTIONS [LIKE 'pattern' [ESCAPE 'c']] columns, one row per signature
    of a function Parthenon runs (sql/trino/signatures.py)."""
    from ..sql.trino.signatures import show_function_rows
    like = None if pattern is None else _like(pattern, escape)
    rows = [row for row in show_function_rows() if like is None or like.fullmatch(row[0])]
    return Result.from_rows([ResultColumn(c, "varchar") for c in (
        "Function", "Return Type", "Argument Types", "Function Type", "Deterministic", "Description")],
        rows, statement_type=UTILITY)


def _like(pattern: str, escape: str | None) -> re.Pattern:
    """A SQL LIKE pattern as a regex: % any text, _ one character, the escape character
    making the next one literal (Trino's rules and errors)."""
    if escape is not None and len(escape) != 1:
        raise InvalidFunctionArgument("Escape string must be a single character")
    out, chars = [], iter(pattern)
    for ch in chars:
        if ch == escape:
            following = next(chars, None)
            if following not in ("%", "_", escape):
                raise InvalidFunctionArgument(
                    "Escape character must be followed by '%', '_' or the escape character itself")
            out.append(re.escape(following))
        else:
            out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
    return re.compile("".join(out), re.S)


def show_tables(store: CatalogStore, db: str, pattern: str | None, views_only: bool = False) -> Result:
    """Tables and views (SHOW TABLES lists both), or only views (SHOW VIEWS)."""
    tables = store.list_tables(db, pattern)
    return _listing("tab_name", [t.name for t in tables if t.is_view or not views_only])


def show_partitions(store: CatalogStore, db: str, name: str) -> Result:
    table = store.require_table(db, name)
    if not table.partition_keys:
        raise InvalidDdl(f"Table {name} is not a partitioned table")
    return _listing("partition", [partition_name(table.partition_keys, p.values)
                                  for p in store.list_partitions(db, name)])


def show_columns(store: CatalogStore, db: str, name: str, view_columns: Callable | None) -> Result:
    table = store.require_table(db, name)
    if table.is_view:
        return _listing("column", [f"{c.name}\t{c.type}" for c in _view_columns(table, view_columns)])
    return _listing("field", [f"{c.name:<20}" for c in table.all_columns])


def show_tblproperties(store: CatalogStore, db: str, name: str, key: str | None) -> Result:
    props = table_parameters(store.require_table(db, name))
    if key is not None:
        if key not in props:
            raise InvalidDdl(f"Table {db}.{name} does not have property: {key}")
        return _listing("prpt_name", [props[key]])
    return _listing("prpt_name", [f"{k}\t{v}" for k, v in sorted(props.items())])


def show_create(store: CatalogStore, db: str, name: str, view: bool) -> Result:
    table = store.require_table(db, name)
    if view and not table.is_view:
        raise InvalidDdl(f"{db}.{name} is a table, not a view: use SHOW CREATE TABLE")
    lines = _create_view_lines(table) if table.is_view else _create_table_lines(table)
    return _listing("createtab_stmt", lines)


def _create_view_lines(view: Table) -> list[str]:
    return [f'CREATE VIEW "{view.database}"."{view.name}" AS', *view.view_sql.split("\n")]


def _create_table_lines(table: Table) -> list[str]:
    """Hive's SHOW CREATE TABLE layout (trailing spaces included), one row per line."""
    lines = [f"CREATE EXTERNAL TABLE `{table.name}`("]
    lines += _joined([_column_ddl(c, _display_comment(table, c, partition=False))
                      for c in table.columns], last=")")
    if table.comment is not None:
        lines.append(f"COMMENT {_quote(table.comment)}")
    if table.partition_keys:
        lines.append("PARTITIONED BY ( ")
        lines += _joined([_column_ddl(c, c.comment) for c in table.partition_keys], last=")")
    if table.bucketed_by:
        lines.append("CLUSTERED BY ( ")
        lines += _joined([f"  `{c}`" for c in table.bucketed_by], last=") ")
        lines.append(f"INTO {table.bucket_count} BUCKETS")
    lines += _row_format_lines(table)
    lines += ["STORED AS INPUTFORMAT ", f"  {_quote(table.input_format)} ",
              "OUTPUTFORMAT ", f"  {_quote(table.output_format)}"]
    if table.location:
        lines += ["LOCATION", f"  {_quote(table.location)}"]
    props = {k: v for k, v in table_parameters(table).items() if k not in ("EXTERNAL", "comment")}
    lines.append("TBLPROPERTIES (")
    lines += _joined([f"  {_quote(k)}={_quote(v)}" for k, v in sorted(props.items())], last=")")
    return lines


def _row_format_lines(table: Table) -> list[str]:
    props = dict(table.serde_properties)
    if props.get("serialization.format") == props.get("field.delim"):
        props.pop("serialization.format", None)   # implied by FIELDS TERMINATED BY
    if table.row_format_delimited and set(props) <= {key for key, _ in DELIMITED_CLAUSES}:
        lines = ["ROW FORMAT DELIMITED "]
        lines += [f"  {clause} {_quote(props[key])} " for key, clause in DELIMITED_CLAUSES
                  if key in props]
        return lines
    props = table.serde_properties
    lines = ["ROW FORMAT SERDE ", f"  {_quote(table.serde)} "]
    if props:
        lines.append("WITH SERDEPROPERTIES ( ")
        lines += _joined([f"  {_quote(k)}={_quote(v)}" for k, v in sorted(props.items())], last=") ")
    return lines


def _column_ddl(col: Column, comment: str | None) -> str:
    text = f"  `{col.name}` {col.type}"
    return text if comment is None else f"{text} COMMENT {_quote(comment)}"


def _joined(items: list[str], last: str) -> list[str]:
    """Hive joins list items with ', \\n' and closes the list on the last line (items: never empty)."""
    return [f"{item}, " for item in items[:-1]] + [items[-1] + last]


# -- DESCRIBE ------------------------------------------------------------------------------------

def describe(store: CatalogStore, db: str, name: str, style: str | None,
             view_columns: Callable | None) -> Result:
    """DESCRIBE [EXTENDED|FORMATTED] [db.]name, for tables and views."""
    table = store.require_table(db, name)
    if table.is_view:
        columns = _view_columns(table, view_columns)
        if style is None:
            return _listing("column", [f"{c.name}\t{c.type}" for c in columns])
        table = Table(table.database, table.name, columns, table_type=table.table_type,
                      view_sql=table.view_sql, created_at=table.created_at)
    if style == "FORMATTED":
        lines = _describe_formatted(table)
    else:
        lines = _column_rows(table, table.all_columns)
        if table.partition_keys:
            lines += _partition_block(table)
        if style == "EXTENDED":
            lines += [BLANK, f"Detailed Table Information\t{_thrift_table(table)}\t"]
    return _described(lines)


def _described(lines: list[str]) -> Result:
    """A table's DESCRIBE: Athena's three columns (col_name, data_type, comment), each row's
    fields split at its tabs, so the .txt result (fields joined by tabs) reads the same and
    clients that index the fields (awswrangler, the JDBC driver) find them."""
    rows = [tuple((line.split("\t", 2) + ["", ""])[:3]) for line in lines]
    return Result.from_rows([ResultColumn(c, "string") for c in ("col_name", "data_type", "comment")],
                            rows, statement_type=UTILITY)


def _describe_formatted(table: Table) -> list[str]:
    lines = [_header(), BLANK, *_column_rows(table, table.columns), BLANK]
    if table.partition_keys:
        lines += [*_partition_block(table)[1:], BLANK]
    lines += ["# Detailed Table Information\t \t ",
              _detail("Database:", table.database),
              _detail("CreateTime:", _java_date(table.created_at)),
              _detail("LastAccessTime:", "UNKNOWN"),
              _detail("Protect Mode:", "None"),
              _detail("Retention:", "0")]
    if table.location:
        lines.append(_detail("Location:", table.location))
    lines.append(_detail("Table Type:", table.table_type))
    lines += ["Table Parameters:\t \t ", *_parameter_rows(table_parameters(table)), BLANK,
              "# Storage Information\t \t "]
    if not table.is_view:
        lines += [_detail("SerDe Library:", table.serde or ""),
                  _detail("InputFormat:", table.input_format or ""),
                  _detail("OutputFormat:", table.output_format or "")]
    lines += [_detail("Compressed:", "No"), _detail("Num Buckets:", "-1"),
              _detail("Bucket Columns:", "[]"), _detail("Sort Columns:", "[]")]
    if table.is_view:
        lines += [BLANK, "# View Information\t \t ",
                  _detail("View Original Text:", table.view_sql or ""),
                  _detail("View Expanded Text:", table.view_sql or "")]
    elif table.serde_properties:
        lines += ["Storage Desc Params:\t \t ", *_parameter_rows(table.serde_properties)]
    return lines


def _column_rows(table: Table, columns: list[Column]) -> list[str]:
    partition_names = {k.name for k in table.partition_keys}
    return [_describe_row(c.name, c.type,
                          _display_comment(table, c, partition=c.name in partition_names))
            for c in columns]


def _partition_block(table: Table) -> list[str]:
    return [BLANK, "# Partition Information\t \t ", _header(), BLANK,
            *_column_rows(table, table.partition_keys)]


def _describe_row(name: str, type_: str, comment: str | None) -> str:
    # Athena pads the comment too, then stops it at its first tab.
    return f"{name:<20}\t{type_:<20}\t" + f"{comment or '':<20}".split("\t")[0]


def _header() -> str:
    return f"{'# col_name':<22}\t{'data_type':<20}\t{'comment':<20}"


def _detail(label: str, value: str) -> str:
    return f"{label:<20}\t{value:<20}\t "


def _parameter_rows(params: dict[str, str]) -> list[str]:
    return [f"\t{k:<20}\t{_escape(v):<20}" for k, v in sorted(params.items())]


def _thrift_table(table: Table) -> str:
    """Hive's Thrift rendering of the table, as DESCRIBE EXTENDED prints it."""
    def fields(cols: list[Column]) -> str:
        return ", ".join(f"FieldSchema(name:{c.name}, type:{c.type}, comment:{c.comment})"
                         .replace("comment:None", "comment:null") for c in cols)

    def mapping(d: dict[str, str]) -> str:
        return "{" + ", ".join(f"{k}={v}" for k, v in sorted(d.items())) + "}"

    sd = (f"StorageDescriptor(cols:[{fields(table.columns)}], location:{table.location}, "
          f"inputFormat:{table.input_format}, outputFormat:{table.output_format}, "
          f"compressed:false, numBuckets:-1, serdeInfo:SerDeInfo(name:null, "
          f"serializationLib:{table.serde}, parameters:{mapping(table.serde_properties)}), "
          f"bucketCols:[], sortCols:[], parameters:{{}}, storedAsSubDirectories:false)")
    text = (f"Table(tableName:{table.name}, dbName:{table.database}, "
            f"createTime:{int(table.created_at)}, lastAccessTime:0, retention:0, sd:{sd}, "
            f"partitionKeys:[{fields(table.partition_keys)}], "
            f"parameters:{mapping(table_parameters(table))}, ")
    if table.is_view:
        text += f"viewOriginalText:{table.view_sql}, viewExpandedText:{table.view_sql}, "
    return (text + f"tableType:{table.table_type})").replace("None", "null")


# -- shared ----------------------------------------------------------------------------------------

def _display_comment(table: Table, col: Column, partition: bool) -> str | None:
    """What Hive shows as a column's comment: SerDes that describe their own rows say so."""
    if partition or table.is_view or table.serde in METASTORE_SCHEMA_SERDES:
        return col.comment
    return FROM_DESERIALIZER


def table_parameters(table: Table) -> dict[str, str]:
    """The table's parameters as Hive keeps them: TBLPROPERTIES plus what Hive adds."""
    params = dict(table.table_properties)
    if not table.is_view:
        params["EXTERNAL"] = "TRUE"
    if table.comment is not None:
        params["comment"] = table.comment
    params["transient_lastDdlTime"] = str(int(table.created_at))
    return params


def _view_columns(view: Table, view_columns: Callable | None) -> list[Column]:
    if view.columns:
        return view.columns
    if view_columns is None:
        raise NotSupported(f"The columns of view {view.qualified_name} are only known to the "
                           "query engine, which this call did not provide")
    return view_columns(view)


def _java_date(epoch: float) -> str:
    """java.util.Date.toString() in UTC, as Hive prints CreateTime."""
    return time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(epoch))


def _quote(value: str | None) -> str:
    """A Hive string literal that reads back as the same value."""
    return "'" + _escape(value or "").replace("'", "\\'") + "'"


def _escape(value: str) -> str:
    """Java-style escapes, as Hive prints parameter values: \\, \\t, \\n, \\u0001."""
    out = []
    for c in value:
        if c == "\\":
            out.append("\\\\")
        elif c in "\t\n\r":
            out.append({"\t": "\\t", "\n": "\\n", "\r": "\\r"}[c])
        elif ord(c) < 32 or ord(c) == 127:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out)


def _listing(column: str, lines: list[str]) -> Result:
    return Result.from_rows([ResultColumn(column, "string")], [(line,) for line in lines],
                            statement_type=UTILITY)
