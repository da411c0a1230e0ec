"""``CROSS JOIN UNNEST`` in the order of the arrays.

Trino semantics covered:

- The rows of ``FROM l CROSS JOIN UNNEST(a) AS t(x)`` come in the order of ``l``'s rows,
  each row's elements in array order, which ``array_agg`` without ``ORDER BY`` keeps
  (Athena's guide: ``array_agg(i)`` over ``UNNEST(ARRAY[1,2,3,4,5])`` under ``i > 3`` is
  ``[4, 5]``).  DuckDB plans a lateral UNNEST as a hash join when the UNNEST is more than
  a bare column or a filter reads its columns, and a hash join hands each row's elements
  back reversed (``[5, 4]``).  So the UNNEST becomes DuckDB's own projection UNNEST over
  the left side, ``(SELECT l.*, UNNEST(a) AS __u_x FROM l) AS l``, which keeps the order;
  the references to ``t.x`` read the left side's alias.

Only a CROSS (or comma, or ``INNER ... ON TRUE``) join whose left side is the FROM's one
source, and a select that names no ``*`` (a star would show the hidden names): the other
forms stay DuckDB's lateral join.
"""
from __future__ import annotations

import itertools
import typing as t

from sqlglot import exp

_NAMES = itertools.count(1)


def _unnest_columns(join: exp.Join) -> tuple[str, list[exp.Expression], list[str]] | None:
    """(alias, the UNNEST calls, the column names) of a join with an UNNEST, as unnest.py
    left it: DuckDB's UNNEST, or its subquery of UNNEST calls, one name per call."""
    source = join.this
    if isinstance(source, exp.Unnest):
        alias = source.args.get("alias")
        if alias is None or not alias.this or len(alias.columns) != 1 or len(source.expressions) != 1 \
                or source.args.get("offset"):
            return None
        return alias.name, [exp.Unnest(expressions=[source.expressions[0].copy()])], [alias.columns[0].name]
    if isinstance(source, exp.Subquery) and isinstance(source.this, exp.Select):
        inner, alias = source.this, source.args.get("alias")
        if alias is None or not alias.this or inner.args.get("from") or inner.args.get("from_") \
                or inner.args.get("where") or len(alias.columns) != len(inner.expressions) \
                or not all(_is_unnest_call(e) for e in inner.expressions):
            return None
        return alias.name, [e.copy() for e in inner.expressions], [c.name for c in alias.columns]
    return None


def _is_unnest_call(node: exp.Expression) -> bool:
    if isinstance(node, exp.Unnest):
        return len(node.expressions) == 1
    return isinstance(node, exp.Anonymous) and node.name.upper() == "UNNEST" and len(node.expressions) == 1


def _cross(join: exp.Join) -> bool:
    kind = (join.side or join.kind or "").upper()
    on = join.args.get("on")
    if kind in ("", "CROSS"):
        return on is None or isinstance(on, exp.Boolean) and on.this is True
    return kind == "INNER" and isinstance(on, exp.Boolean) and on.this is True


def _has_star(select: exp.Select) -> bool:
    return any(isinstance(p, exp.Star) or isinstance(p, exp.Column) and isinstance(p.this, exp.Star)
               for p in select.expressions)


def _in_order(select: exp.Select) -> exp.Expression | None:
    """Each leading CROSS JOIN UNNEST of a select, in turn, as a projection UNNEST."""
    changed = False
    while _first_in_order(select):
        changed = True
    return select if changed else None


def _first_in_order(select: exp.Select) -> bool:
    from_ = select.args.get("from_") or select.args.get("from")
    joins = select.args.get("joins") or []
    if from_ is None or not joins or not _cross(joins[0]) or _has_star(select):
        return False
    left = from_.this
    found = _unnest_columns(joins[0])
    name = left.alias_or_name
    if found is None or not name or isinstance(left, exp.Unnest) and len(left.args["alias"].columns or []) == 0:
        return False
    alias, calls, columns = found
    if alias.lower() == name.lower():
        return False
    n = next(_NAMES)
    hidden = {c.lower(): f"__u{n}_{c.lower()}" for c in columns}
    # references to the UNNEST's columns (t.x, t.x.field, x, x.field) read the left side's
    # alias; a bare one in a select list keeps its name
    sources = {s.alias_or_name.lower() for s in [left] + [j.this for j in joins]}
    references = []
    for column in select.find_all(exp.Column):
        parts = column.parts
        if isinstance(column.this, exp.Star):
            continue
        head = parts[0].name.lower()
        if head == alias.lower() and len(parts) > 1:
            if parts[1].name.lower() not in hidden:
                return False        # (not a name of this UNNEST: another's, or DuckDB's error)
            references.append((column, parts[1].name, parts[2:]))
        elif head in hidden and head not in sources:
            references.append((column, parts[0].name, parts[1:]))
    for column, key, rest in references:
        path = [exp.to_identifier(name), exp.to_identifier(hidden[key.lower()], quoted=True), *rest]
        new: exp.Expression = exp.Column(this=path[1], table=path[0]) if len(path) == 2 else \
            exp.Column(**dict(zip(("this", "table", "db", "catalog"), reversed(path[:4]))))
        for field in path[4:]:
            new = exp.Dot(this=new, expression=field.copy())
        if not rest and column.parent is select and column.arg_key == "expressions":
            new = exp.alias_(new, exp.to_identifier(key))
        elif isinstance(column.parent, exp.Struct) and column.arg_key == "expressions":
            new = exp.PropertyEQ(this=exp.to_identifier(column.output_name), expression=new)  # ROW(x): x
        new.type = column.type
        column.replace(new)
    inner = exp.Select(expressions=[exp.Column(this=exp.Star(), table=exp.to_identifier(name))] + [
        exp.alias_(call, exp.to_identifier(hidden[c.lower()], quoted=True)) for call, c in zip(calls, columns)]
    ).from_(left.copy(), copy=False)
    derived = exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier(name)))
    from_.set("this", derived)
    joins[0].pop()
    return True


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Select: _in_order,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
