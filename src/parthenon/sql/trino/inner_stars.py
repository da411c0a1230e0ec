"""Inner queries' ``*`` and WITH column lists written out, so that their columns are typed.

Both translations read types to keep Trino's answers (``a / 2`` of integers is an
integer division, a decimal sum is decimal(38, s), ...).  SQLGlot's annotator types a
column of a WITH query or a subquery only by that query's named select items: through
``WITH v AS (SELECT * FROM t)`` or ``WITH v(x) AS (SELECT a FROM t)`` every column was
untyped, and ``SELECT a / 2 FROM v`` ran as Spark's double division (0.5 where Trino
gives 0; on DuckDB ``WITH w(a, b) AS (VALUES (1, 3), (2, 6)) SELECT sum(b) / 2 FROM w``
was 4.5, not 4).  So each ``*`` inside a WITH query or a subquery becomes the columns it stands
for, and a WITH column list becomes its query's aliases.  The outermost select keeps its
``*``: its columns reach the result as the engine gives them.  What SQLGlot cannot
qualify stays as written (and untyped, as before).
"""
from __future__ import annotations

from sqlglot import exp
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
from sqlglot.optimizer.qualify_columns import pushdown_cte_alias_columns, qualify_columns
from sqlglot.optimizer.scope import traverse_scope
from sqlglot.schema import ensure_schema


def _quoted(node: exp.Expression) -> exp.Expression:
    """The written-out names quoted (``"a.b c; d"``, ``"order"``): SQLGlot's expansion
    builds its columns unquoted, and quoting changes no name (all three engines fold case
    the same way for quoted names)."""
    for ident in node.find_all(exp.Identifier):
        ident.set("quoted", True)
    return node


def _stars(select: exp.Select) -> list[exp.Expression]:
    return [e for e in select.expressions
            if isinstance(e, exp.Star) or (isinstance(e, exp.Column) and isinstance(e.this, exp.Star))]


def _has_star(select: exp.Select) -> bool:
    return bool(_stars(select))


def _expandable(select: exp.Select) -> bool:
    """Every ``*`` of ``select`` is ``*`` or ``source.*`` of its own FROM/JOIN sources
    (``t.r.*`` and ``r.*`` of a row column are its fields: ``row_field_stars``' work)."""
    sources = [select.args["from_"].this] if select.args.get("from_") else []
    sources += [j.this for j in select.args.get("joins") or []]
    names = {s.alias_or_name.lower() for s in sources}
    return all(isinstance(s, exp.Star) or (not s.args.get("db") and s.table.lower() in names)
               for s in _stars(select))


def _unnamed_values(select: exp.Select) -> bool:
    """A VALUES source without column names: Spark names them col1, col2, ..., SQLGlot otherwise."""
    sources = [select.args["from_"].this] if select.args.get("from_") else []
    sources += [j.this for j in select.args.get("joins") or []]
    for source in sources:
        inner = source.this if isinstance(source, exp.Subquery) else source
        if isinstance(inner, exp.Values) and not (inner.alias_column_names or source.alias_column_names):
            return True
    return False


def _name_values(cte: exp.CTE) -> None:
    """``WITH v(a, b) AS (VALUES ...)`` (a ``SELECT * FROM VALUES ... AS _values`` by now):
    the VALUES take the list's names, which the ``*`` then stands for."""
    body, names = cte.this, cte.args["alias"].columns if cte.args.get("alias") else []
    if not names or not isinstance(body, exp.Select) or body.args.get("joins") or \
            len(body.expressions) != 1 or not isinstance(body.expressions[0], exp.Star):
        return
    source = body.args["from_"].this if body.args.get("from_") else None
    if isinstance(source, exp.Values) and not source.alias_column_names and source.expressions and \
            len(source.expressions[0].expressions) == len(names):
        alias = source.args.get("alias") or exp.TableAlias(this=exp.to_identifier("_values"))
        alias.set("columns", [n.copy() for n in names])
        source.set("alias", alias)


def write_out(tree: exp.Expression, schema: dict | None) -> None:
    """Expand the inner stars and push WITH column lists into their queries (in place)."""
    for cte in tree.find_all(exp.CTE):
        _name_values(cte)
    outer = tree
    while isinstance(outer, exp.SetOperation):
        outer = outer.this
    inner = [s for s in tree.find_all(exp.Select) if s is not outer and _has_star(s) and _expandable(s)]
    listed = [cte for cte in tree.find_all(exp.CTE) if cte.alias_column_names]
    if not inner and not listed:
        return
    copy = tree.copy()
    originals = list(tree.find_all(exp.Select))
    copies = list(copy.find_all(exp.Select))     # the same walk: the copies' selects, in step
    try:
        normalize_identifiers(copy, dialect="trino")
        qualify_columns(copy, ensure_schema(schema or {}, dialect="trino"), expand_alias_refs=False,
                        expand_stars=True, allow_partial_qualification=True, dialect="trino")
        for scope in traverse_scope(copy):
            pushdown_cte_alias_columns(scope)
    except Exception:   # noqa: BLE001 - what cannot be qualified stays as written (untyped)
        return
    if len(originals) != len(copies):
        return
    chosen = {id(s) for s in inner} | {id(cte.this) for cte in listed if isinstance(cte.this, exp.Select)}
    for original, written in zip(originals, copies):
        if id(original) in chosen and original is not outer and not _has_star(written) \
                and not _unnamed_values(original):
            original.set("expressions", [_quoted(e.copy()) for e in written.expressions])
