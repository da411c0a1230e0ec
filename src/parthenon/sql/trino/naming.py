"""Athena's (Trino's) result column names: one rule, used by the session and every engine's translator."""
from __future__ import annotations

from sqlglot import exp


def outer_select(tree: exp.Expression) -> exp.Select | None:
    """The SELECT whose columns a query outputs (the first of a set operation, also
    written in parentheses: ``(SELECT ...) UNION ALL (SELECT ...)``)."""
    select = unparenthesized(tree)
    while isinstance(select, exp.SetOperation):
        select = unparenthesized(select.this)
    return select if isinstance(select, exp.Select) else None


def unparenthesized(query: exp.Expression) -> exp.Expression:
    """A query in parentheses (a set operation's branch, not a derived table) is the query
    inside them."""
    while isinstance(query, exp.Subquery) and query.args.get("alias") is None:
        query = query.this
    return query


def name_output_columns(tree: exp.Expression, schema: dict | None = None, quoted: bool = False) -> None:
    """Trino's result column names: identifiers lower-cased (Trino identifiers are
    case-insensitive, quoted or not), ``_colN`` for an unnamed expression at 0-based
    output position N, a ``*`` counting as the columns it stands for (``SELECT *, 1+1``
    over two columns names ``_col2``).  Only the outermost query's names are visible.
    After a ``*`` whose width is unknown (no ``schema`` for its table), unnamed
    expressions are left for a later call that knows it."""
    select = outer_select(tree)
    if select is None:
        return
    position: int | None = 0
    for p in list(select.expressions):
        if isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star)):
            if position is not None:
                _name_values_columns(select, p, position, schema)
            width = _star_width(select, p, schema)
            position = None if position is None or width is None else position + width
            continue
        if isinstance(p, exp.Alias):
            if p.alias != p.alias.lower() or (quoted and not p.args["alias"].quoted):
                p.set("alias", exp.to_identifier(p.alias.lower(), quoted=quoted or None))
        elif isinstance(p, (exp.Column, exp.Dot)):
            if quoted or (p.name and p.name != p.name.lower()):
                p.replace(exp.alias_(p.copy(), exp.to_identifier(p.output_name.lower(), quoted=quoted or None)))
        elif position is not None:
            p.replace(exp.alias_(p.copy(), exp.to_identifier(f"_col{position}", quoted=quoted or None)))
        if position is not None:
            position += 1


def _star_sources(select: exp.Select, star: exp.Expression) -> list[exp.Expression]:
    """The sources whose columns a ``*`` (or ``t.*``) of a select stands for, in order."""
    sources = []
    from_ = select.args.get("from_") or select.args.get("from")
    if from_ is not None:
        sources.append(from_.this)
    sources += [j.this for j in select.args.get("joins") or []]
    table = star.table if isinstance(star, exp.Column) else ""
    return [s for s in sources if not table or s.alias_or_name.lower() == table.lower()]


def _name_values_columns(select: exp.Select, star: exp.Expression, position: int, schema: dict | None) -> None:
    """A VALUES list's columns have no names in Trino: a ``*`` over them outputs ``_colN``
    at their output positions (``SELECT * FROM (VALUES 1, 2)`` is ``_col0``; the engines'
    own names, col0 or col1, are no Trino name a query could use)."""
    for source in _star_sources(select, star):
        alias = source.args.get("alias")
        if isinstance(source, exp.Values) and source.expressions and not (alias and alias.columns):
            first = source.expressions[0]
            width = len(first.expressions) if isinstance(first, exp.Tuple) else 1
            alias = alias or exp.TableAlias(this=exp.to_identifier("_values"))
            alias.set("columns", [exp.to_identifier(f"_col{position + i}") for i in range(width)])
            source.set("alias", alias)
        elif isinstance(source, exp.Subquery) and not (alias and alias.columns):
            inner = outer_select(source.this)     # SELECT * FROM (SELECT * FROM (VALUES 1))
            if inner is not None and inner.expressions and all(isinstance(e, exp.Star) for e in inner.expressions):
                _name_values_columns(inner, inner.expressions[0], position, schema)
        width = _source_width(source, schema)
        if width is None:
            return
        position += width


def _star_width(select: exp.Select, star: exp.Expression, schema: dict | None) -> int | None:
    """How many columns a ``*`` (or ``t.*``) of a select stands for, when known."""
    total = 0
    for source in _star_sources(select, star):
        width = _source_width(source, schema)
        if width is None:
            return None
        total += width
    return total


def _source_width(source: exp.Expression, schema: dict | None) -> int | None:
    alias = source.args.get("alias")
    if isinstance(alias, exp.TableAlias) and alias.columns:
        return len(alias.columns)
    if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier):
        columns = (schema or {}).get(source.name)
        return len(columns) if isinstance(columns, dict) else None
    if isinstance(source, exp.Subquery):
        inner = outer_select(source.this)
        if inner is not None and not any(isinstance(e, exp.Star) or
                                         (isinstance(e, exp.Column) and isinstance(e.this, exp.Star))
                                         for e in inner.expressions):
            return len(inner.expressions)
    return None
