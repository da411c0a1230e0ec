"""``UNNEST`` in FROM / JOIN.

Trino semantics covered:

- ``CROSS JOIN UNNEST(a)``, ``UNNEST(a, b)`` (zipped, NULL-padded),
  ``WITH ORDINALITY`` (in array order), ``UNNEST`` of an array of rows into
  one column per field, ``UNNEST`` of a map into key/value (when the map type
  is evident from the query or from ``schema``), also among several arrays.
- A join with UNNEST takes no condition but ``ON TRUE`` (Trino's NOT_SUPPORTED:
  the unnested rows are the lateral rows of each left row, there is nothing to match).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from . import unnest_names
from .nodes import MAPS, fn, is_type, not_supported, type_of


def _refuse_join_condition(node: exp.Unnest) -> None:
    join = node.parent
    if not isinstance(join, exp.Join) or join.args.get("on") is None:
        return
    on = join.args["on"]
    if isinstance(on, exp.Boolean) and on.this is True:
        return
    kind = (join.side or join.kind or "INNER").upper()
    raise not_supported(on, f"{kind} JOIN involving UNNEST is only supported with condition ON TRUE")


def _fields(array: exp.Expression) -> int | None:
    """How many columns one array (or map) of an UNNEST gives: a map 2, an array of rows
    one per field, another array 1; None when its type is unknown."""
    if is_type(array, *MAPS) or isinstance(array, exp.Map):
        return 2
    typ = type_of(array)
    if typ is None or typ.this != exp.DType.ARRAY or not typ.expressions:
        return None
    element = typ.expressions[0]
    if element.this in (exp.DType.UNKNOWN, exp.DType.NULL) and not isinstance(array, exp.Array):
        return None     # a column of an array the annotator could not type
    return len(element.expressions) if element.this == exp.DType.STRUCT else 1


def _unnest(node: exp.Unnest) -> exp.Expression | None:
    """Trino's UNNEST in FROM/JOIN -> a DuckDB subquery (lateral: it may use the
    columns of the tables before it) when DuckDB's own UNNEST differs: several
    arrays (zipped, NULL-padded), arrays of rows or maps expanded into columns,
    WITH ORDINALITY (numbered in array order)."""
    if not isinstance(node.parent, (exp.From, exp.Join)):
        return None
    _refuse_join_condition(node)
    arrays = node.expressions
    alias = node.args.get("alias")
    columns = list(alias.columns) if alias is not None else []
    if not columns:
        unnest_names.refuse_ambiguous(node, arrays)
    ordinality = node.args.get("offset")
    with_ordinality = ordinality not in (None, False)
    widths = [_fields(a) for a in arrays]
    # the names of the arrays' columns (SQLGlot keeps the ordinality's apart, in ``offset``)
    named = len(columns) if isinstance(ordinality, exp.Identifier) else \
        len(columns) - (with_ordinality and len(columns) > len(arrays))
    if len(arrays) == 1 and widths[0] is None and named > 1:
        widths = [named]      # an untyped array named by several columns: of rows
    if columns and named == len(arrays):
        # one name per array (``UNNEST(users) AS t(u)``, then ``u.name``): the rows stay
        # rows, as Athena's documented examples read them
        widths = [1 if _is_rows(a) else w for a, w in zip(arrays, widths)]
    if all(w == 1 or (w is None and not is_type(a, *MAPS)) for w, a in zip(widths, arrays)) \
            and len(arrays) == 1 and not with_ordinality and (columns or not _is_rows(arrays[0])):
        return None     # (rows of one field, unnamed, still give the field's column)
    if None in widths and len(arrays) > 1 and columns and len(columns) != len(arrays):
        raise not_supported(node, "UNNEST of several arrays of rows is not supported")

    def source(array: exp.Expression) -> exp.Expression:
        if is_type(array, *MAPS) or isinstance(array, exp.Map):
            return fn("map_entries", array.copy())
        return array.copy()

    selects: list[exp.Expression] = []
    for array, width in zip(arrays, widths):
        args = [source(array)]
        if width is not None and (width > 1 or (_is_rows(array) and width == len(
                type_of(array).expressions[0].expressions))):
            args.append(exp.PropertyEQ(this=exp.to_identifier("max_depth"),
                                       expression=exp.Literal.number(2)))
        selects.append(fn("UNNEST", *args))
    if with_ordinality:
        lengths = [fn("len", source(a)) for a in arrays]
        longest = lengths[0] if len(lengths) == 1 else fn("greatest", *lengths)
        selects.append(fn("UNNEST", fn(
            "range", exp.Literal.number(1), exp.Add(this=longest, expression=exp.Literal.number(1)))))
    names = [c.copy() for c in columns]
    if with_ordinality and isinstance(ordinality, exp.Identifier):
        names.append(ordinality.copy())
    width = sum(widths) + with_ordinality if None not in widths else len(selects)
    table_alias = exp.TableAlias(
        this=alias.this.copy() if alias is not None and alias.this else exp.to_identifier("_unnest"),
        columns=names if names and len(names) == width else None)
    return exp.Subquery(this=exp.Select(expressions=selects), alias=table_alias)


def _is_rows(array: exp.Expression) -> bool:
    typ = type_of(array)
    return (typ is not None and typ.this == exp.DType.ARRAY and bool(typ.expressions)
            and typ.expressions[0].this == exp.DType.STRUCT)


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Unnest: _unnest,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
