"""Small helpers shared by the rewrites: DuckDB templates and calls, literals, types, positions.

``duck(sql, _x=...)`` builds a DuckDB expression from a template whose
``_name`` placeholders take expressions; ``fn(name, ...)`` a plain function
call.  ``type_of`` / ``is_type`` read the type SQLGlot inferred for the Trino
query (``None`` when unknown: type-dependent rewrites then fall back to
DuckDB's behaviour); ``DATE``, ``TIMESTAMPS``, ``REALS``... name the type
groups they test for.  ``position`` and ``not_supported`` give errors the
line:column of the offending token, as Athena reports them.
"""
from __future__ import annotations

import functools

import sqlglot
from sqlglot import exp

from ....errors import NotSupported
from ....sql.trino.positions import position


def not_supported(node: exp.Expression, message: str) -> NotSupported:
    return NotSupported(message, *position(node))


@functools.lru_cache(maxsize=None)
def _template(sql: str) -> exp.Expression:
    return sqlglot.parse_one(sql, read="duckdb")


def duck(sql: str, **args: exp.Expression | None) -> exp.Expression:
    """A DuckDB expression from a template; ``_name`` placeholders take ``args``."""
    tree = _template(sql).copy()
    for bracket in tree.find_all(exp.Bracket):
        # A placeholder index is DuckDB's own (1-based): keep SQLGlot from shifting a
        # literal put in its place (literal indexes of the template were shifted on parse).
        if any(isinstance(e, exp.Column) and e.name in args for e in bracket.expressions):
            bracket.set("offset", 1)
    for col in list(tree.find_all(exp.Column)):
        if not col.table and col.name in args:
            value = args[col.name]
            col.replace(value.copy() if value is not None else exp.Null())
    return tree


def fn(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def type_of(node: exp.Expression | None) -> exp.DataType | None:
    if node is None:
        return None
    typ = node.type
    if typ is None or typ.this in (exp.DType.UNKNOWN, exp.DType.NULL):
        return None
    return typ


def is_type(node: exp.Expression | None, *dtypes: exp.DType) -> bool:
    typ = type_of(node)
    return typ is not None and typ.this in dtypes


def int_literal(node: exp.Expression | None) -> int | None:
    if node is None:
        return None
    if isinstance(node, exp.Literal) and node.is_int:
        return int(node.name)
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and node.this.is_int:
        return -int(node.this.name)
    return None


def string_literal(node: exp.Expression | None) -> str | None:
    if isinstance(node, exp.Literal) and node.is_string:
        return node.name
    return None


# --------------------------------------------------------------------------------------
# DuckDB type groups
# --------------------------------------------------------------------------------------

DATE = (exp.DType.DATE, exp.DType.DATE32)
TIMESTAMPS = (
    exp.DType.TIMESTAMP, exp.DType.TIMESTAMPTZ, exp.DType.TIMESTAMPLTZ, exp.DType.TIMESTAMPNTZ,
    exp.DType.TIMESTAMP_S, exp.DType.TIMESTAMP_MS, exp.DType.TIMESTAMP_NS, exp.DType.DATETIME,
)
REALS = tuple(exp.DataType.REAL_TYPES)     # includes DECIMAL
FLOATS = (exp.DType.FLOAT, exp.DType.DOUBLE)
INTEGERS = tuple(exp.DataType.INTEGER_TYPES)
MAPS = (exp.DType.MAP,)
JSON = (exp.DType.JSON,)
