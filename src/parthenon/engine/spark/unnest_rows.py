"""``UNNEST`` of an array of rows on Spark: one column per field, as Trino gives them.

Trino's ``UNNEST(ARRAY[ROW(1, 'a')]) u(x, y)`` gives the rows' fields as the columns x
and y (also ``u(x)`` of a one-field row: x is the field, not the row); Spark's EXPLODE
gives each row whole, as one column.  So such an UNNEST (one array, one name per field,
without ORDINALITY) is Spark's INLINE, and, for the typing only, its array is cast to rows
whose fields bear the column names, so that each column has its field's type
(``name_fields``, then the query is typed again); INLINE reads the array as it was
(``inline``: its columns are named by position).
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import NotSupported
from ...sql.trino import position

DType = exp.DType


def _fields(unnest: exp.Unnest) -> list[exp.DataType] | None:
    if len(unnest.expressions) != 1 or unnest.args.get("offset") not in (None, False):
        return None
    typ = unnest.expressions[0].type
    if typ is None or typ.this != DType.ARRAY or not typ.expressions or typ.expressions[0].this != DType.STRUCT:
        return None
    fields = [f.args.get("kind") if isinstance(f, exp.ColumnDef) else f for f in typ.expressions[0].expressions]
    alias = unnest.args.get("alias")
    if alias is None or len(alias.columns) != len(fields) or not all(isinstance(f, exp.DataType) for f in fields):
        return None
    return fields


def name_fields(tree: exp.Expression) -> bool:
    """Cast each such UNNEST's array to rows named by its columns; True if one was."""
    changed = False
    for unnest in list(tree.find_all(exp.Unnest)):
        if unnest.meta.get("row_unnest"):
            continue
        fields = _fields(unnest)
        if fields is None:
            continue
        names = unnest.args["alias"].columns
        row = exp.DataType(this=DType.STRUCT, nested=True, expressions=[
            exp.ColumnDef(this=exp.to_identifier(n.name), kind=f.copy()) for n, f in zip(names, fields)])
        array = unnest.expressions[0]
        named = exp.Cast(this=array.copy(), to=exp.DataType(this=DType.ARRAY, nested=True, expressions=[row]))
        named.meta["row_names"] = True      # (for the typing only: INLINE names the columns)
        array.replace(named)
        unnest.meta["row_unnest"] = True
        changed = True
    return changed


def inline(tree: exp.Expression) -> None:
    """Each UNNEST ``name_fields`` cast as Spark's INLINE: a table function in FROM, a
    LATERAL VIEW for one joined (last in its FROM, where Spark's lateral views stand)."""
    for unnest in list(tree.find_all(exp.Unnest)):
        if not unnest.meta.get("row_unnest"):
            continue
        alias = unnest.args["alias"]
        array = unnest.expressions[0]
        if array.meta.get("row_names"):
            array = array.this
        function = exp.Inline(this=array.copy())
        parent = unnest.parent
        if isinstance(parent, exp.From):
            unnest.replace(exp.Table(this=function, alias=alias.copy()))
            continue
        select = parent.parent if isinstance(parent, exp.Join) else None
        on = parent.args.get("on") if select is not None else None
        outer = select is not None and parent.side == "LEFT" and isinstance(on, exp.Boolean) and on.this
        inner = select is not None and not parent.side and on is None
        if not isinstance(select, exp.Select) or select.args["joins"][-1] is not parent or not (inner or outer):
            raise NotSupported("This UNNEST of an array of rows is supported on the Spark engine in FROM, or "
                               "joined last in its FROM", *position(unnest))
        lateral = exp.Lateral(this=function, view=True, outer=outer or None,
                              alias=exp.TableAlias(this=alias.this.copy(), columns=[c.copy() for c in alias.columns]))
        parent.pop()
        if not select.args.get("joins"):
            select.set("joins", None)
        select.append("laterals", lateral)
