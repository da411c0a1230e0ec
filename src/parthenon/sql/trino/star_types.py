"""Trino's types of the columns a ``*`` (or a bare ``VALUES``) outputs.

The annotator types a select's expressions, but a ``*`` stands for its sources'
columns, which it does not list; without them the result takes the engine's types
(``varchar`` for Trino's ``varchar(1)`` of ``'a'``).  Here a ``*`` over sources whose
columns are evident (VALUES, subqueries, UNNEST, a WITH query's name) takes their Trino
types; over any other source (a table: the engine's types are its declared ones) it stays
unknown.
"""
from __future__ import annotations

from sqlglot import exp

from . import typing as trino_typing

Types = list  # of exp.DataType | None


def values_types(values: exp.Values) -> Types | None:
    """A VALUES list's column types: each column's common super type over its rows."""
    rows = [r.expressions if isinstance(r, exp.Tuple) else [r] for r in values.expressions]
    if not rows or len({len(r) for r in rows}) != 1:
        return None
    types = []
    for column in zip(*rows):
        typ = trino_typing.common_super_type([e.type for e in column])
        types.append(exp.DataType(this=typ) if isinstance(typ, exp.DType) else typ)
    return types


def _unnest_types(unnest: exp.Unnest) -> Types | None:
    types: Types = []
    for array in unnest.expressions:
        typ = array.type
        if typ is None or typ.this not in (exp.DType.ARRAY, exp.DType.MAP) or not typ.expressions:
            return None
        if typ.this == exp.DType.MAP:
            types.extend(typ.expressions[:2])
            continue
        element = typ.expressions[0]
        if element.this == exp.DType.STRUCT:
            types.extend(f.args.get("kind") if isinstance(f, exp.ColumnDef) else f for f in element.expressions)
        else:
            types.append(element)
    if unnest.args.get("offset") not in (None, False):
        types.append(exp.DataType.build("bigint"))
    return types


def _with_query(table: exp.Table) -> exp.Expression | None:
    """The query a bare name stands for when a WITH clause around it defines that name
    (the nearest one: Trino looks a name up in the WITH clauses before the catalog; inside
    its own definition a name is not the query being defined)."""
    if table.args.get("db") or table.args.get("catalog"):
        return None
    name = table.name.lower()
    ancestors = set()
    node = table.parent
    while node is not None:
        ancestors.add(id(node))
        with_ = node.args.get("with_")
        for cte in with_.expressions if with_ is not None else []:
            if cte.alias_or_name.lower() == name and id(cte) not in ancestors:
                return cte.this
        node = node.parent
    return None


def source_types(source: exp.Expression) -> Types | None:
    if isinstance(source, exp.Table):
        query = _with_query(source)
        return query_types(query) if query is not None else None
    if isinstance(source, exp.Values):
        return values_types(source)
    if isinstance(source, exp.Unnest):
        return _unnest_types(source)
    if isinstance(source, exp.Subquery):
        inner = source.this
        if isinstance(inner, exp.Values):
            return values_types(inner)
        if isinstance(inner, (exp.Select, exp.SetOperation)):
            return query_types(inner)
    return None


def query_types(query: exp.Expression) -> Types | None:
    """The types of the columns of the first SELECT of a query (a ``*`` expanded);
    None when one source's columns are not evident."""
    while isinstance(query, exp.SetOperation):
        query = query.this
    if isinstance(query, exp.Values):
        return values_types(query)
    if not isinstance(query, exp.Select):
        return None
    types: Types = []
    for projection in query.expressions:
        if isinstance(projection, exp.Star):
            sources = [query.args["from_"].this] if query.args.get("from_") else []
            sources += [j.this for j in query.args.get("joins") or []]
            for source in sources:
                found = source_types(source)
                if found is None:
                    return None
                types.extend(found)
        elif isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
            return None
        else:
            types.append(projection.type)
    return types
