"""ALTER TABLE: columns, location and properties here; partitions in ``partition_ddl.py``.

Athena's forms (user guide, ``alter-table-*``), all metadata only: no data file is
read, moved or rewritten.

* ``ADD COLUMNS (c type [COMMENT 'x'], ...)``: after the data columns, before the
  partition columns.
* ``REPLACE COLUMNS (...)``: the whole data column list; Hive allows it only for
  SerDes whose schema lives in the metastore (LazySimpleSerDe, Parquet, ORC, ...).
* ``CHANGE [COLUMN] old new type [COMMENT 'x'] [FIRST|AFTER col]``.
* ``SET LOCATION 'l'`` (registered partitions keep theirs, as in Hive) and
  ``SET TBLPROPERTIES ('k'='v', ...)`` (merged into the existing properties).

Each statement is read completely, then applied as one ``CatalogStore.alter_table``
call, i.e. one SQLite transaction: a statement that fails changes nothing.  Queries
read the new schema over the old files the way each format maps columns (Parquet,
ORC, Avro and JSON by name, text by position, as Hive does).
"""
from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from ..errors import InvalidDdl, SqlSyntaxError
from ..sql.parser import position, syntax_error
from ..result import Result
from ..sql.hive_tokens import HiveTokens
from . import partition_ddl
from .create_drop import check_column_names, column_definition
from .ddl_support import checked_location, done, form_not_supported
from .model import Column, Table
from .show import METASTORE_SCHEMA_SERDES
from .store import CatalogStore

# Words that end a CHANGE COLUMN's type.
_AFTER_TYPE = {"COMMENT", "FIRST", "AFTER", "CASCADE", "RESTRICT"}


def alter_table(store: CatalogStore, toks: HiveTokens, database: str) -> Result:
    """Everything after ALTER TABLE."""
    db, name = toks.table_name(database)
    if toks.accept("PARTITION"):
        return partition_ddl.alter_partition(store, toks, db, name)
    if toks.accept("ADD"):
        if toks.accept("COLUMNS"):
            return _add_columns(store, toks, db, name)
        return partition_ddl.add_partitions(store, toks, db, name)
    if toks.accept("DROP"):
        return partition_ddl.drop_partitions(store, toks, db, name)
    if toks.accept("REPLACE"):
        toks.expect("COLUMNS")
        return _replace_columns(store, toks, db, name)
    if toks.accept("CHANGE"):
        return _change_column(store, toks, db, name)
    if toks.accept_sequence("SET", "LOCATION"):
        location = checked_location(toks.string())
        toks.end()

        def move(table: Table) -> None:
            if table.is_view:
                raise InvalidDdl(f"{table.qualified_name} is a view: views have no location")
            table.location = location
        _alter(store, db, name, move)
        return done(f"Table {db}.{name} location set to {location}")
    if toks.accept_sequence("SET", "TBLPROPERTIES"):
        props = toks.properties()
        toks.end()
        _alter(store, db, name, lambda t: t.table_properties.update(props))
        return done(f"Table {db}.{name}: {len(props)} table propert{'ies' if len(props) != 1 else 'y'} set")
    raise form_not_supported(toks, "ALTER TABLE")


# -- columns ----------------------------------------------------------------------------------

def _add_columns(store: CatalogStore, toks: HiveTokens, db: str, name: str) -> Result:
    added = _column_list(toks)
    _end_of_column_change(toks)

    def change(table: Table) -> None:
        _check_columns_alterable(table)
        table.columns = [*table.columns, *added]
        check_column_names(table)
    _alter(store, db, name, change)
    return done(f"Added {len(added)} column{'s' * (len(added) != 1)} to {db}.{name}")


def _replace_columns(store: CatalogStore, toks: HiveTokens, db: str, name: str) -> Result:
    columns = _column_list(toks)
    _end_of_column_change(toks)

    def change(table: Table) -> None:
        _check_columns_alterable(table)
        if table.serde not in METASTORE_SCHEMA_SERDES:
            # Hive's rule: other SerDes say what their columns are, the metastore does not.
            raise InvalidDdl(f"Replace columns is not supported for table {table.qualified_name}. "
                             f"SerDe may be incompatible ({table.serde})")
        table.columns = columns
        check_column_names(table)
    _alter(store, db, name, change)
    return done(f"Replaced the columns of {db}.{name}: {len(columns)} column{'s' * (len(columns) != 1)}")


def _change_column(store: CatalogStore, toks: HiveTokens, db: str, name: str) -> Result:
    """CHANGE [COLUMN] old new type [COMMENT 'c'] [FIRST|AFTER col]."""
    toks.accept("COLUMN")
    old = toks.name()
    start = toks.peek()
    new_name = toks.name()
    if not toks.text_until(_AFTER_TYPE):
        toks.fail("a column type")
    type_end = toks.tokens[toks.i - 1].end + 1
    comment = toks.string() if toks.accept("COMMENT") else None
    first = toks.accept("FIRST")
    after = toks.name() if not first and toks.accept("AFTER") else None
    _end_of_column_change(toks)
    new = _parse_columns(toks.text, start.start, type_end)[0]
    new.comment = comment

    def change(table: Table) -> None:
        _check_columns_alterable(table)
        names = [c.name for c in table.columns]
        if old not in names:
            hint = " (a partition column cannot be changed)" if old in \
                {k.name for k in table.partition_keys} else ""
            raise InvalidDdl(f"Invalid column reference {old}{hint}")
        columns = [c for c in table.columns if c.name != old]
        if first:
            index = 0
        elif after is not None:
            if after not in [c.name for c in columns]:
                raise InvalidDdl(f"Invalid column reference {after}")
            index = [c.name for c in columns].index(after) + 1
        else:
            index = names.index(old)
        columns.insert(index, new)
        table.columns = columns
        check_column_names(table)
    _alter(store, db, name, change)
    return done(f"Changed column {old} of {db}.{name}")


def _end_of_column_change(toks: HiveTokens) -> None:
    # Hive's CASCADE / RESTRICT say whether partitions' own schemas change too;
    # Parthenon's partitions have no schema of their own, so both mean the same.
    if not toks.accept("CASCADE"):
        toks.accept("RESTRICT")
    toks.end()


def _column_list(toks: HiveTokens) -> list[Column]:
    opening = toks.peek()
    text = toks.group_text()
    if not text.strip():
        toks.fail_at(opening, "a column definition")
    return _parse_columns(toks.text, opening.end + 1, opening.end + 1 + len(text))


_SCHEMA_PREFIX = "CREATE EXTERNAL TABLE t ("


def _parse_columns(statement: str, start: int, end: int) -> list[Column]:
    """The column definitions in statement[start:end], read as CREATE TABLE reads them."""
    synthetic = _SCHEMA_PREFIX + statement[start:end] + ")"
    try:
        ast = sqlglot.parse_one(synthetic, read="hive")
    except ParseError as e:
        raise syntax_error(statement, _moved(e.errors[0] if e.errors else {}, synthetic,
                                             statement, start)) from None
    schema = ast.this
    if not isinstance(schema, exp.Schema) or not schema.expressions:
        raise SqlSyntaxError("cannot read the column definitions", *position(statement, start))
    return [column_definition(c) for c in schema.expressions]


def _moved(err: dict, synthetic: str, statement: str, start: int) -> dict:
    """A parse error about the synthetic CREATE TABLE, pointed into the statement instead."""
    lines = synthetic.split("\n")
    line, col = err.get("line") or 1, err.get("col") or 1
    offset = sum(len(l) + 1 for l in lines[:line - 1]) + col
    offset = min(max(start, start + offset - len(_SCHEMA_PREFIX)), len(statement))
    line, col = position(statement, offset - 1)
    return {**err, "line": line, "col": col}


def _check_columns_alterable(table: Table) -> None:
    if table.is_view:
        raise InvalidDdl(f"{table.qualified_name} is a view: ALTER TABLE cannot change a view's "
                         "columns (use CREATE OR REPLACE VIEW)")


def _alter(store: CatalogStore, db: str, name: str, change) -> Table:
    return store.alter_table(db, name, change)
