"""Trino's names of the columns a query outputs, a ``*`` expanded: a name repeats where
the sources repeat it.

``SELECT * FROM (SELECT a.id, b.id FROM a, b)`` outputs two columns named ``id`` in
Trino; DuckDB's binder renames a derived table's repeated column (``id``, ``id_1``), and
its result would name the second ``id_1``.  Where every source of a ``*`` has evident
columns (a subquery, a WITH query, VALUES or UNNEST with named columns, a catalog table
of the schema), these are the names the result must carry.
"""
from __future__ import annotations

from sqlglot import exp

from .naming import outer_select
from .star_types import _with_query


def query_names(query: exp.Expression, schema: dict | None) -> list[str] | None:
    """The output names of a query (its first SELECT's), None when a ``*`` stands for a
    source whose columns are not evident."""
    if isinstance(query, exp.Values):
        return None
    select = outer_select(query)
    if select is None:
        return None
    names: list[str] = []
    for projection in select.expressions:
        star = isinstance(projection, exp.Star) or \
            (isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star))
        if not star:
            names.append(projection.alias_or_name)
            continue
        table = projection.table if isinstance(projection, exp.Column) else ""
        sources = [select.args["from_"].this] if select.args.get("from_") else []
        sources += [j.this for j in select.args.get("joins") or []]
        for source in sources:
            if table and source.alias_or_name.lower() != table.lower():
                continue
            found = _source_names(source, schema)
            if found is None:
                return None
            names.extend(found)
    return names


def _source_names(source: exp.Expression, schema: dict | None) -> list[str] | None:
    alias = source.args.get("alias")
    if isinstance(alias, exp.TableAlias) and alias.columns:
        return [c.name for c in alias.columns]
    if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier):
        query = _with_query(source)
        if query is not None:
            cte = query.parent
            columns = cte.args.get("alias").columns if isinstance(cte, exp.CTE) and cte.args.get("alias") else None
            return [c.name for c in columns] if columns else query_names(query, schema)
        columns = (schema or {}).get(source.name)
        return list(columns) if isinstance(columns, dict) else None
    if isinstance(source, exp.Subquery):
        return query_names(source.this, schema)
    return None


def restore_repeated(engine_names: list[str], trino_names: list[str] | None) -> list[str]:
    """The engine's result names, each that the engine renamed from a repeated name
    (``id_1`` for Trino's second ``id``) given Trino's name back."""
    if trino_names is None or len(trino_names) != len(engine_names):
        return engine_names
    return [trino if engine != trino and engine.lower().startswith(trino.lower() + "_")
            and engine[len(trino) + 1:].isdigit() and trino_names.count(trino) > 1 else engine
            for engine, trino in zip(engine_names, trino_names)]
