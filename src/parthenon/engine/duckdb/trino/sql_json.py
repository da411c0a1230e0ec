"""Trino's SQL/JSON ``json_value``.

Trino semantics covered: ``json_value(input, path)`` with its default behaviours (varchar,
NULL ON EMPTY, NULL ON ERROR) over accessor paths (``lax $.a[0]``, ``strict $."k"[*]``),
evaluated by the engine function ``trino_json_value`` (engine/duckdb/sql_json_functions).
DuckDB's own json_value reads neither ``lax`` nor ``strict`` (it answered NULL).

Not supported (NOT_SUPPORTED when translated): a path that is not a literal or holds more
than accessors (filters, methods, ``last``, ranges), and RETURNING / ON EMPTY / ON ERROR.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ..sql_json_functions import parse_path
from .nodes import fn, not_supported


def _json_value(node: exp.JSONValue) -> exp.Expression:
    path = node.args.get("path")
    if node.args.get("returning") or node.args.get("on_condition") is not None:
        raise not_supported(node, "json_value with RETURNING, ON EMPTY or ON ERROR is not supported")
    if not isinstance(path, exp.Literal) or not path.is_string or parse_path(path.this) is None:
        raise not_supported(node, "json_value with this JSON path is not supported")
    text = exp.Cast(this=node.this.copy(), to=exp.DataType.build("VARCHAR"))
    return fn("trino_json_value", text, path.copy())


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.JSONValue: _json_value,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
