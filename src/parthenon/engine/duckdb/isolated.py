"""One query over Arrow tables in a DuckDB of its own, reaching nothing else.

For a part that needs an engine's evaluation but no backend of its own: the
scheduler's alert conditions run here over a finished result's rows, whatever
engine ran the query that produced them (the one stated exception to "only
the session's backend runs SQL").  External access is disabled and the
configuration locked before the tables are registered.
"""
from __future__ import annotations

import duckdb
import pyarrow as pa
from sqlglot import exp

from ...sql.trino import to_duckdb_sql

Error = duckdb.Error    # what `run` raises when the engine fails


def run(ast: exp.Expression, tables: dict[str, pa.Table]) -> pa.Table:
    """The rows of a guarded Trino query `ast` over `tables` (name -> Arrow rows)."""
    con = duckdb.connect(config={"enable_external_access": False})
    try:
        con.execute("SET disabled_filesystems='LocalFileSystem'")
        con.execute("SET lock_configuration=true")
        for name, table in tables.items():
            con.register(name, table)
        return con.sql(to_duckdb_sql(ast)).to_arrow_table()
    finally:
        con.close()
