"""A ``*`` over derived columns an engine must present as Trino's text is written out.

The engines present an output column without a type of their own (an interval, an
address, a timestamp(7..9), a zoned value, a time with time zone) as Trino's text, but
only a column the outer SELECT lists: ``WITH a AS (SELECT INTERVAL '2' DAY t) SELECT *
FROM a`` returned DuckDB's MonthDayNano and an address its integer.  So where a ``*``
(or ``s.*``) stands for such columns of sources whose columns are evident (a subquery, a
WITH query, VALUES or UNNEST with named columns; ``star_types`` gives their types), it is
replaced by those columns, qualified by their source, and typed again, before presentation.
Anything less evident (a catalog table, unnamed or repeated columns) stays a ``*``:
a table's columns have the engine's own types already.
"""
from __future__ import annotations

from sqlglot import exp

from . import star_types

_PRESENTED = (exp.DType.INTERVAL, exp.DType.IPADDRESS, exp.DType.TIMESTAMPTZ, exp.DType.TIMESTAMPLTZ,
              exp.DType.TIMETZ)


def _presented(typ: exp.DataType | None) -> bool:
    if typ is None:
        return False
    for t in typ.find_all(exp.DataType):
        if t.this in _PRESENTED:
            return True
        if t.this in (exp.DType.TIMESTAMP, exp.DType.TIME) and t.expressions:
            size = t.expressions[0].this
            if isinstance(size, exp.Literal) and size.is_int and int(size.name) > 6:
                return True
    return False


def _names(source: exp.Expression) -> list[str] | None:
    alias = source.args.get("alias")
    if isinstance(alias, exp.TableAlias) and alias.columns:
        return [c.name for c in alias.columns]
    query = source.this if isinstance(source, exp.Subquery) else \
        star_types._with_query(source) if isinstance(source, exp.Table) else None
    while isinstance(query, exp.SetOperation):
        query = query.this
    if not isinstance(query, exp.Select):
        return None
    names = [e.alias_or_name for e in query.expressions]
    if any(isinstance(e, exp.Star) or isinstance(e.this, exp.Star) or not n for e, n in zip(query.expressions, names)):
        return None
    return names


def _columns(source: exp.Expression) -> list[exp.Column] | None:
    """The typed, qualified columns a source gives a ``*``, or None when not evident."""
    if isinstance(source, exp.Table) and star_types._with_query(source) is None:
        return None         # a catalog table: its columns are the engine's own
    qualifier = source.alias_or_name
    names, types = _names(source), star_types.source_types(source)
    if not qualifier or names is None or types is None or len(names) != len(types):
        return None
    columns = []
    for name, typ in zip(names, types):
        column = exp.column(exp.to_identifier(name), table=exp.to_identifier(qualifier))
        column.type = typ       # read by expand_presented_stars; the annotator types it again
        columns.append(column)
    return columns


def expand_presented_stars(select: exp.Select | None) -> bool:
    """Write out each ``*`` of ``select`` that stands for a column to be presented (in
    place); whether it wrote any."""
    if not isinstance(select, exp.Select):
        return False
    written = False
    sources = [select.args["from_"].this] if select.args.get("from_") else []
    sources += [j.this for j in select.args.get("joins") or []]
    for star in [e for e in select.expressions if isinstance(e, exp.Star) or
                 (isinstance(e, exp.Column) and isinstance(e.this, exp.Star))]:
        chosen = sources if isinstance(star, exp.Star) else \
            [s for s in sources if s.alias_or_name.lower() == star.table.lower()]
        expanded = [_columns(s) for s in chosen]
        if not chosen or any(c is None for c in expanded):
            continue
        columns = [c for cs in expanded for c in cs]
        names = [c.name.lower() for c in columns]
        if len(set(names)) != len(names) or not any(_presented(c.type) for c in columns):
            continue
        index = select.expressions.index(star)
        select.set("expressions", select.expressions[:index] + columns + select.expressions[index + 1:])
        written = True
    return written
