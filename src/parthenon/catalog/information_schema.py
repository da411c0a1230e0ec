"""`information_schema`: the catalog described as tables, as Trino (and so Athena) has them.

    schemata  catalog_name, schema_name
    tables    table_catalog, table_schema, table_name, table_type ('BASE TABLE' | 'VIEW')
    columns   table_catalog, table_schema, table_name, column_name, ordinal_position,
              column_default, is_nullable, data_type, comment, extra_info ('partition key')
    views     table_catalog, table_schema, table_name, view_definition

Each is a relation of constant rows, made from the catalog when a query names it (the
planner puts it where the table was), so that every SQL a query can apply works on it.
Column types are Trino's (`data_type` as Trino names it: `varchar`, `row(arn varchar)`).
"""
from __future__ import annotations

from sqlglot import exp

from .hive_types import parse_hive_type
from .model import CATALOG
from .store import CatalogStore

SCHEMA = "information_schema"
CATALOG_NAME = CATALOG.lower()

_COLUMNS = {
    "schemata": [("catalog_name", "varchar"), ("schema_name", "varchar")],
    "tables": [("table_catalog", "varchar"), ("table_schema", "varchar"), ("table_name", "varchar"),
               ("table_type", "varchar")],
    "columns": [("table_catalog", "varchar"), ("table_schema", "varchar"), ("table_name", "varchar"),
                ("column_name", "varchar"), ("ordinal_position", "bigint"),
                ("column_default", "varchar"), ("is_nullable", "varchar"), ("data_type", "varchar"),
                ("comment", "varchar"), ("extra_info", "varchar")],
    "views": [("table_catalog", "varchar"), ("table_schema", "varchar"), ("table_name", "varchar"),
              ("view_definition", "varchar")],
}


def table_names() -> list[str]:
    return sorted(_COLUMNS)


def relation(store: CatalogStore, name: str) -> exp.Expression | None:
    """The rows of information_schema.<name> as a query, or None for a name it has not."""
    if name not in _COLUMNS:
        return None
    return _query(_COLUMNS[name], _rows(store, name))


def _rows(store: CatalogStore, name: str) -> list[tuple]:
    databases = sorted(d.name for d in store.list_databases())
    if name == "schemata":
        return [(CATALOG_NAME, db) for db in sorted([*databases, SCHEMA])]
    out = []
    for db in databases:
        for table in sorted(store.list_tables(db), key=lambda t: t.name):
            if name == "tables":
                out.append((CATALOG_NAME, db, table.name, "VIEW" if table.is_view else "BASE TABLE"))
            elif name == "views" and table.is_view:
                out.append((CATALOG_NAME, db, table.name, table.view_sql or ""))
            elif name == "columns":
                keys = {k.name for k in table.partition_keys}
                for i, c in enumerate(table.all_columns, start=1):
                    out.append((CATALOG_NAME, db, table.name, c.name, i, None, "YES",
                                _type_name(c.type), c.comment,
                                "partition key" if c.name in keys else None))
    if name == "tables":
        out += [(CATALOG_NAME, SCHEMA, t, "BASE TABLE") for t in table_names()]
    return out


def _type_name(hive: str) -> str:
    try:
        return parse_hive_type(hive).athena()
    except Exception:   # noqa: BLE001 - a type the catalog kept as written
        return hive


def _query(columns: list[tuple[str, str]], rows: list[tuple]) -> exp.Expression:
    names = [exp.to_identifier(c) for c, _ in columns]
    casts = [exp.alias_(exp.cast(exp.column(c), typ), c) for c, typ in columns]
    if not rows:
        return exp.select(*(exp.alias_(exp.cast(exp.null(), typ), c) for c, typ in columns)) \
            .where(exp.false())
    values = exp.Values(expressions=[exp.Tuple(expressions=[_literal(v) for v in row]) for row in rows],
                        alias=exp.TableAlias(this=exp.to_identifier("_rows"), columns=names))
    return exp.select(*casts).from_(values)


def _literal(value) -> exp.Expression:
    if value is None:
        return exp.null()
    if isinstance(value, int):
        return exp.Literal.number(value)
    return exp.Literal.string(value)
