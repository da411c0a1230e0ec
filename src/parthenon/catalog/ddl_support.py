"""What the DDL modules share: table names, locations, the result of a DDL statement."""
from __future__ import annotations

from typing import Callable

from sqlglot import exp

from ..errors import NotSupported, SqlSyntaxError
from ..storage.location import Location
from ..result import DDL, Result
from .model import CATALOG, Column, Table

# Called with a view, returns its columns (name, Athena type): only the query layer knows them.
ViewColumns = Callable[[Table], "list[Column]"]

def table_name(table: exp.Expression, database: str) -> tuple[str, str]:
    """(database, name) of [catalog.][db.]name, lower case as Athena stores them."""
    if not isinstance(table, exp.Table) or not table.name:
        raise SqlSyntaxError(f"expected a table name, got {table.sql('athena')!r}")
    catalog = table.catalog
    if catalog and catalog.lower() != CATALOG:
        raise NotSupported(f"Catalog '{catalog}' is not supported: Parthenon has one catalog, "
                           f"{CATALOG}")
    db, name = table.db, table.name
    if not db and "." in name:
        # Hive reads `db.table` in backticks as database and table (the S3 access log DDL does this)
        db, name = name.split(".", 1)
    return (db or database).lower(), name.lower()


def checked_location(location: str) -> str:
    """A LOCATION as written, once it parses (storage.location: s3://, file:///, absolute paths)."""
    Location.parse(location)
    return location


def done(message: str) -> Result:
    return Result.empty(DDL, message=message)


def form_not_supported(toks, head: str) -> NotSupported:
    """NOT_SUPPORTED naming a statement's form by the words left: ALTER TABLE PARTITION (...) TOUCH."""
    words = toks.form_words()[:5]
    what = " ".join([head, *words]) if words else f"{head} without an action"
    return NotSupported(f"{what} is not supported")
