"""Helpers over a parsed Trino query that every engine's rewrites share: literals, the
types SQLGlot inferred (``type_of`` / ``is_type``; ``None`` when unknown), the type groups
they test for, template placeholders, plain calls, and errors at the offending token.
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import NotSupported
from .positions import position


def not_supported(node: exp.Expression, message: str) -> NotSupported:
    return NotSupported(message, *position(node))


def fill_placeholders(tree: exp.Expression, args: dict) -> exp.Expression:
    """`tree` (a parsed template, copied) with its ``_name`` columns replaced by ``args``."""
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
# Type groups (SQLGlot's types of the Trino query)
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
