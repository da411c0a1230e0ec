"""Athena's DDL against the catalog: CREATE/DROP/ALTER, MSCK, and the way into SHOW/DESCRIBE.

Athena reads DDL in Hive's dialect.  SQLGlot's ``athena`` dialect parses
CREATE EXTERNAL TABLE, CREATE VIEW, DROP and DESCRIBE into real ASTs, which we
read here; the rest (CREATE DATABASE with options, ALTER TABLE ADD PARTITION,
MSCK REPAIR TABLE, every SHOW) comes back as a bare ``exp.Command``.  For those
we read the statement's own tokens with ``sql.hive_tokens.HiveTokens`` instead of
patching SQLGlot: the tokens respect quoting and escapes, and keep positions
for ``SYNTAX_ERROR: line L:C`` messages.

Databases, tables and views: ``create_drop.py``; ALTER TABLE: ``alter_table.py``;
partitions and MSCK: ``partition_ddl.py``.
Every change is one CatalogStore call, i.e. one SQLite transaction, so a
statement that fails leaves nothing half-written.  Listings (SHOW, DESCRIBE)
are formatted in ``show.py``.
"""
from __future__ import annotations

from sqlglot import exp

from ..errors import NotSupported, SqlSyntaxError, TableNotFound
from ..result import Result
from ..sql.analysis import ICEBERG_ONLY, USE, Analysis, analyze
from ..sql.hive_tokens import HiveTokens
from . import show
from . import alter_table, create_drop, partition_ddl
from .ddl_support import ViewColumns, table_name
from .store import CatalogStore


def execute_ddl(store: CatalogStore, ast: exp.Expression, text: str, database: str, *,
                view_columns: ViewColumns | None = None,
                statement: Analysis | None = None) -> Result | None:
    """Run a DDL, SHOW, DESCRIBE or MSCK statement; None for a query, a write (CTAS,
    INSERT, UNLOAD: the session's) and USE.

    ``text`` is the statement as written (Commands and views need it);
    ``database`` qualifies unqualified names.  USE returns None: switching the
    current database is the session's state, not the catalog's.
    ``view_columns`` lets DESCRIBE / SHOW COLUMNS list a view's columns, which
    only the query layer can resolve; without it they fail for views whose
    columns were not stored.  ``statement`` is the statement's analysis, if the caller
    has it already.
    """
    database = database.lower()
    statement = statement or analyze(ast, text)
    if statement.is_query or statement.writes or statement.kind == USE:
        return None
    if isinstance(ast, exp.Create):
        return create_drop.create(store, ast, text, database)
    if isinstance(ast, exp.Drop):
        return create_drop.drop(store, ast, text, database)
    if isinstance(ast, exp.Describe):
        return _describe(store, ast, database, view_columns)
    if isinstance(ast, (exp.Alter, exp.Command)):
        return _command(store, text, database, view_columns, statement)
    raise _not_supported(statement)


# -- dispatch of the statements SQLGlot leaves as text ------------------------------------

def _command(store: CatalogStore, text: str, database: str,
             view_columns: ViewColumns | None, statement: Analysis) -> Result:
    toks = HiveTokens(text)
    if toks.accept("SHOW"):
        return _show(store, toks, database, view_columns)
    if toks.accept("MSCK"):
        toks.expect("REPAIR")
        toks.expect("TABLE")
        db, name = toks.table_name(database)
        toks.end()
        return partition_ddl.msck_repair(store, db, name)
    if toks.accept("ALTER"):
        if toks.accept("TABLE"):
            return alter_table.alter_table(store, toks, database)
        if toks.accept("DATABASE", "SCHEMA"):
            raise NotSupported("ALTER DATABASE is not supported")
    if toks.accept("CREATE"):
        if toks.accept("DATABASE", "SCHEMA"):
            return create_drop.create_database(store, toks)
        toks.accept_sequence("OR", "REPLACE")
        if toks.accept("VIEW"):
            # SQLGlot could not read it as Trino SQL, which is what Athena views are.
            raise SqlSyntaxError("cannot read this CREATE VIEW: a view's query is Trino SQL "
                                 '(quote names with "double quotes", not `backticks`)', 1, 1)
    raise _not_supported(statement)


def _not_supported(statement: Analysis) -> NotSupported:
    """NOT_SUPPORTED naming the statement by its leading keywords."""
    words = statement.words
    if words[:1] and words[0] in ICEBERG_ONLY:
        return NotSupported(f"{words[0]} is not supported: Athena runs it on Iceberg tables only, "
                            "and Parthenon has no Iceberg tables")
    if words[:1] and words[0] in ("CREATE", "DROP", "ALTER", "SHOW"):
        return NotSupported(f"{statement.name()} is not supported")
    return NotSupported(f"{words[0] if words else 'An empty statement'} is not supported")





# -- SHOW and DESCRIBE ----------------------------------------------------------------------

def _show(store: CatalogStore, toks: HiveTokens, database: str,
          view_columns: ViewColumns | None) -> Result:
    if toks.accept("DATABASES", "SCHEMAS"):
        pattern = toks.string() if toks.accept("LIKE") else None
        toks.end()
        return show.show_databases(store, pattern)
    if toks.accept("TABLES", "VIEWS"):
        views_only = toks.previous_word() == "VIEWS"
        db = toks.name() if toks.accept("IN", "FROM") else database
        pattern = None
        if toks.accept("LIKE") or toks.peek_is_string():
            pattern = toks.string()
        toks.end()
        return show.show_tables(store, db, pattern, views_only=views_only)
    if toks.accept("PARTITIONS"):
        db, name = toks.table_name(database)
        toks.end()
        return show.show_partitions(store, db, name)
    if toks.accept("COLUMNS"):
        toks.expect("IN", "FROM")
        db, name = toks.table_name(database)
        if toks.accept("IN", "FROM"):
            db = toks.name()
        toks.end()
        return show.show_columns(store, db, name, view_columns)
    if toks.accept("CREATE"):
        kind = toks.expect("TABLE", "VIEW")
        db, name = toks.table_name(database)
        toks.end()
        return show.show_create(store, db, name, view=kind == "VIEW")
    if toks.accept("FUNCTIONS"):
        pattern = toks.string() if toks.accept("LIKE") else None
        escape = toks.string() if pattern is not None and toks.accept("ESCAPE") else None
        toks.end()
        return show.show_functions(pattern, escape)
    if toks.accept("TBLPROPERTIES"):
        db, name = toks.table_name(database)
        key = None
        if toks.accept("("):
            key = toks.string()
            toks.expect(")")
        toks.end()
        return show.show_tblproperties(store, db, name, key)
    raise NotSupported(f"SHOW {' '.join(toks.rest_words()[:1])} is not supported".rstrip())


def _describe(store: CatalogStore, ast: exp.Describe, database: str,
              view_columns: ViewColumns | None) -> Result:
    if (ast.args.get("kind") or "").upper() == "TABLE":
        # Athena reads DESCRIBE TABLE t as describing a table named "table".
        raise TableNotFound("Table not found table (the syntax is DESCRIBE t, not DESCRIBE TABLE t)")
    if ast.args.get("partition") is not None:
        raise NotSupported("DESCRIBE ... PARTITION is not supported")
    if not isinstance(ast.this, exp.Table):
        raise NotSupported(f"DESCRIBE {ast.this.sql('athena')} is not supported")
    db, name = table_name(ast.this, database)
    style = (ast.args.get("style") or "").upper() or None
    return show.describe(store, db, name, style, view_columns)
