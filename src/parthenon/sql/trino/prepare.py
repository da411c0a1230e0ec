"""A Trino query AST made ready for any engine's translator: checked, normalised, typed.

``prepare(ast, schema)`` copies the query, refuses unbound ``?`` parameters, reads
``VALUES ROW(...)`` and ``"db"."table".column`` as Trino does, gives every
expression its Trino type (``typing``) and returns the tree with the Trino types
of its output columns.  DuckDB's translator (engine/duckdb/trino) and any other
engine's start from here.
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import InvalidParameterUsage, ParthenonError
from . import typing as trino_typing
from .naming import outer_select
from .positions import position


def prepare(ast: exp.Expression, schema: dict | None = None) -> tuple[exp.Expression, list[str | None]]:
    """A typed copy of `ast`, and the Trino type of each output column (empty when a
    ``*`` makes them unknown here)."""
    placeholders = list(ast.find_all(exp.Placeholder))
    if placeholders:    # a `?` no parameter was bound to
        raise InvalidParameterUsage(
            f"Incorrect number of parameters: expected {len(placeholders)} but found 0",
            *position(placeholders[0]))
    tree = ast.copy()
    values_rows(tree)
    table_qualified_columns(tree)
    annotate(tree, schema)
    return tree, output_types(tree)


def table_qualified_columns(tree: exp.Expression) -> None:
    """``"db"."table".column`` names the column of a table the query reads (as the AWS
    incident-response queries and SQLAlchemy write it): the table is in FROM under its
    own name, so the column is ``table.column`` (the database part is dropped)."""
    for col in list(tree.find_all(exp.Column)):
        if not col.args.get("db") or not col.table:
            continue
        select = col.find_ancestor(exp.Select)
        while select is not None:
            aliases = {t.alias_or_name.lower() for t in select.find_all(exp.Table)} | \
                      {s.alias.lower() for s in select.find_all(exp.Subquery) if s.alias}
            if col.table.lower() in aliases and col.db.lower() not in aliases:
                col.set("db", None)
                col.set("catalog", None)
                break
            select = select.find_ancestor(exp.Select)


def values_rows(tree: exp.Expression) -> None:
    """``VALUES ROW(1, 2)`` is a row of two columns in Trino (SQLGlot reads one struct)."""
    for values in tree.find_all(exp.Values):
        alias = values.args.get("alias")
        width = len(alias.columns) if isinstance(alias, exp.TableAlias) and alias.columns else None
        for row in values.expressions:
            inner = row.expressions[0] if isinstance(row, exp.Tuple) and len(row.expressions) == 1 else None
            if isinstance(inner, exp.Struct) and not any(isinstance(e, exp.PropertyEQ) for e in inner.expressions) \
                    and (width is None or width == len(inner.expressions)) and len(inner.expressions) > 1:
                row.set("expressions", [e.copy() for e in inner.expressions])


def annotate(tree: exp.Expression, schema: dict | None) -> None:
    try:
        trino_typing.annotate(tree, schema)
    except ParthenonError:
        raise
    except Exception:   # noqa: BLE001 - types are a hint; rewrites fall back without them
        pass


def output_types(tree: exp.Expression) -> list[str | None]:
    select = outer_select(tree)
    if select is None or any(isinstance(p, exp.Star) or (isinstance(p, exp.Column) and
                                                         isinstance(p.this, exp.Star))
                             for p in select.expressions):
        return []
    return [trino_typing.type_name(p.type) for p in select.expressions]
