"""Athena's (Trino's) result column names: one rule, used by the session and every engine's translator."""
from __future__ import annotations

from sqlglot import exp


def outer_select(tree: exp.Expression) -> exp.Select | None:
    """The SELECT whose columns a query outputs (the first of a set operation)."""
    select = tree
    while isinstance(select, exp.SetOperation):
        select = select.this
    return select if isinstance(select, exp.Select) else None


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


def _star_width(select: exp.Select, star: exp.Expression, schema: dict | None) -> int | None:
    """How many columns a ``*`` (or ``t.*``) of a select stands for, when known."""
    sources = []
    from_ = select.args.get("from_") or select.args.get("from")
    if from_ is not None:
        sources.append(from_.this)
    sources += [j.this for j in select.args.get("joins") or []]
    table = star.table if isinstance(star, exp.Column) else ""
    total = 0
    for source in sources:
        if table and source.alias_or_name.lower() != table.lower():
            continue
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
