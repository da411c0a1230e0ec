"""Trino's SQL/JSON ``json_value`` and ``json_query``.

Trino semantics covered: ``json_value(input, path)`` with its default behaviours (varchar,
NULL ON EMPTY, NULL ON ERROR) over accessor paths (``lax $.a[0]``, ``strict $."k"[*]``),
evaluated by the engine function ``trino_json_value`` (engine/duckdb/sql_json_functions).
DuckDB's own json_value reads neither ``lax`` nor ``strict`` (it answered NULL).

``json_query(input, path [WITH [UNCONDITIONAL | CONDITIONAL] ARRAY WRAPPER | WITHOUT ARRAY
WRAPPER] [KEEP | OMIT QUOTES [ON SCALAR STRING]] [NULL ON EMPTY] [NULL ON ERROR])`` over the
same paths, varchar as in Trino, by ``trino_json_query``.

Not supported (NOT_SUPPORTED when translated): a path that is not a literal or holds more
than accessors (filters, methods, ``last``, ranges), RETURNING, and ON EMPTY / ON ERROR
other than NULL (ERROR directly inside ``try()`` is the same NULL: taken); OMIT QUOTES with
an array wrapper (Trino refuses it).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ..sql_json_functions import parse_path
from .nodes import fn, not_supported


def _defaults(node: exp.Expression) -> bool:
    """Whether the ON EMPTY / ON ERROR clauses answer as the defaults (NULL): NULL ON ...,
    or ERROR ON ... directly inside try(), which makes that error the same NULL."""
    condition = node.args.get("on_condition")
    if condition is None:
        return True
    parent = node.parent
    while isinstance(parent, exp.Paren):
        parent = parent.parent
    allowed = (["NULL"], ["ERROR"]) if isinstance(parent, exp.Try) else (["NULL"],)
    return all(isinstance(v, str) and v.upper().split()[:1] in allowed
               for v in condition.args.values() if v is not None)


def _json_value(node: exp.JSONValue) -> exp.Expression:
    path = node.args.get("path")
    if node.args.get("returning") or not _defaults(node):
        raise not_supported(node, "json_value with RETURNING, ON EMPTY or ON ERROR is not supported")
    if not isinstance(path, exp.Literal) or not path.is_string or parse_path(path.this) is None:
        raise not_supported(node, "json_value with this JSON path is not supported")
    text = exp.Cast(this=node.this.copy(), to=exp.DataType.build("VARCHAR"))
    return fn("trino_json_value", text, path.copy())


_WRAPPERS = {None: 0, "WITHOUT ARRAY WRAPPER": 0, "WITHOUT WRAPPER": 0, "WITH ARRAY WRAPPER": 1,
             "WITH WRAPPER": 1, "WITH UNCONDITIONAL ARRAY WRAPPER": 1, "WITH UNCONDITIONAL WRAPPER": 1,
             "WITH CONDITIONAL ARRAY WRAPPER": 2, "WITH CONDITIONAL WRAPPER": 2}


def json_query(node: exp.JSONExtract) -> exp.Expression:
    """json_query (SQLGlot's JSONExtract with ``json_query``): see the module."""
    path = node.expression
    if not isinstance(path, exp.Literal) or not path.is_string or parse_path(path.this) is None:
        raise not_supported(node, "json_query with this JSON path is not supported")
    option = node.args.get("option")
    wrapper = _WRAPPERS.get(" ".join(option.name.upper().split()) if option is not None else None)
    if wrapper is None:
        raise not_supported(node, f"json_query with {option.name} is not supported")
    if not _defaults(node):
        raise not_supported(node, "json_query with ON EMPTY or ON ERROR other than NULL is not supported")
    quote = node.args.get("quote")
    omit = quote is not None and quote.args.get("option") == "OMIT"
    if omit and wrapper:
        raise not_supported(node, "json_query with OMIT QUOTES and an array wrapper is not supported")
    text = exp.Cast(this=node.this.copy(), to=exp.DataType.build("VARCHAR"))
    return fn("trino_json_query", text, path.copy(), exp.Literal.number(wrapper),
              exp.true() if omit else exp.false())


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.JSONValue: _json_value,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
