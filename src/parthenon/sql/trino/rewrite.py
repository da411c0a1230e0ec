"""The driver: ``to_duckdb_sql`` and the walk that applies the rewrites.

The query is annotated with Trino types (SQLGlot's ``annotate_types``; the
optional ``schema`` gives table columns theirs) so that type-dependent
rewrites can see operand types.  Rewrites are then applied bottom-up, each
chosen by node class (``CLASS_REWRITES``) or, for a function SQLGlot parses
as an anonymous call, by name (``ANONYMOUS_REWRITES``): the tables of the
family modules, merged below.  A Trino function outside
``SUPPORTED_FUNCTIONS`` raises NotSupported, and so does SQLGlot's own
"unsupported" warning when generating DuckDB SQL.

Trino semantics covered here:

- Result column names as Trino gives them: lower case (identifiers are case
  insensitive in Trino, unquoted or quoted) and ``_colN`` for unnamed
  expressions of the outermost query.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp
from sqlglot.errors import ErrorLevel, UnsupportedError

from ...errors import NotSupported
from . import aggregates, arithmetic, arrays, casts, datetime, json, regex, strings, unnest
from .functions import SUPPORTED_FUNCTIONS, TRINO_FUNCTIONS, function_name, unsupported_classes
from .nodes import not_supported


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def to_duckdb_sql(ast: exp.Expression, schema: dict | None = None) -> str:
    """DuckDB SQL for a Trino query AST, with Trino's semantics.

    ``schema`` (optional, SQLGlot's mapping form ``{table: {column: type}}``)
    lets type-dependent rewrites see the types of table columns.
    Raises NotSupported (with line:column) for a Trino construct that cannot
    be translated faithfully.
    """
    tree = ast.copy()
    _annotate(tree, schema)
    tree = _rewrite(tree)
    _name_output_columns(tree)
    _clear_types(tree)
    try:
        return tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as e:
        message = str(e).split("\n")[0].strip() or "unsupported construct"
        raise NotSupported(message) from None


def _annotate(tree: exp.Expression, schema: dict | None) -> None:
    from sqlglot.optimizer.annotate_types import annotate_types

    try:
        annotate_types(tree, schema=schema, dialect="trino")
    except Exception:   # noqa: BLE001 - types are a hint; rewrites fall back without them
        pass


def _clear_types(tree: exp.Expression) -> None:
    """Forget the Trino types inferred for the rewrites: SQLGlot's DuckDB generator
    makes its own choices from types it finds (e.g. casting approx_quantile)."""
    for node in tree.walk():
        if not isinstance(node, (exp.Cast, exp.DataType)):
            node.type = None


# --------------------------------------------------------------------------------------
# Walk
# --------------------------------------------------------------------------------------


def _rewrite(tree: exp.Expression) -> exp.Expression:
    """Apply the rewrites bottom-up: children first, so parents see rewritten children."""
    for node in reversed(list(tree.walk(bfs=False))):
        rewrite = _rewrite_for(node)
        if rewrite is None:
            continue
        new = rewrite(node)
        if new is None or new is node:
            continue
        if new.type is None or new.type.this == exp.DType.UNKNOWN:
            new.type = node.type
        if node is tree:
            tree = new
        else:
            node.replace(new)
    return tree


def _rewrite_for(node: exp.Expression) -> t.Callable[[exp.Expression], exp.Expression | None] | None:
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name in _ANONYMOUS_REWRITES:
            return _ANONYMOUS_REWRITES[name]
        if name in TRINO_FUNCTIONS and name not in SUPPORTED_FUNCTIONS:
            return _unsupported
        return None
    rewrite = _CLASS_REWRITES.get(type(node))
    if rewrite is not None:
        return rewrite
    if isinstance(node, exp.Func) and type(node) in unsupported_classes():
        return _unsupported
    return None


def _unsupported(node: exp.Expression) -> exp.Expression:
    name = function_name(node) if isinstance(node, exp.Func) else node.key
    if type(node) in unsupported_classes() and not isinstance(node, exp.Anonymous):
        name = unsupported_classes()[type(node)]
    raise not_supported(node, f"Function '{name}' is not supported")


# --------------------------------------------------------------------------------------
# Output column names
# --------------------------------------------------------------------------------------


def _name_output_columns(tree: exp.Expression) -> None:
    """Trino's result column names: identifiers lower-cased (Trino identifiers are
    case-insensitive, quoted or not), ``_colN`` for an unnamed expression at
    0-based output position N.  Only the outermost query's names are visible."""
    select = tree
    while isinstance(select, exp.SetOperation):
        select = select.this
    if not isinstance(select, exp.Select):
        return
    projections = select.expressions
    star_seen = False
    for i, p in enumerate(list(projections)):
        if isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star)):
            star_seen = True    # later positions depend on the table's columns
            continue
        if isinstance(p, exp.Alias):
            if p.alias != p.alias.lower():
                p.set("alias", exp.to_identifier(p.alias.lower()))
            continue
        if isinstance(p, (exp.Column, exp.Dot)):
            if p.name and p.name != p.name.lower():
                p.replace(exp.alias_(p.copy(), exp.to_identifier(p.name.lower())))
            continue
        if not star_seen:
            p.replace(exp.alias_(p.copy(), exp.to_identifier(f"_col{i}")))


# --------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------

_FAMILIES = (arithmetic, regex, json, casts, datetime, strings, arrays, aggregates, unnest)

_CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    cls: rewrite for family in _FAMILIES for cls, rewrite in family.CLASS_REWRITES.items()
}

_ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    name: rewrite for family in _FAMILIES for name, rewrite in family.ANONYMOUS_REWRITES.items()
}
