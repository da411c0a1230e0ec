"""Spark SQL expressions from templates, shared by the Spark families.

A template is Spark SQL text whose ``_name`` placeholders take expressions.  Each
argument is put in parentheses where it is substituted (``_a * 2`` with ``_a`` =
``x + 1`` is ``(x + 1) * 2``), so a template never changes what an argument means.
"""
from __future__ import annotations

import functools

import sqlglot
from sqlglot import exp

from ...sql.trino.nodes import fill_placeholders

_ATOMS = (exp.Column, exp.Literal, exp.Paren, exp.Anonymous, exp.Func, exp.Null, exp.Boolean,
          exp.Identifier, exp.Dot, exp.Bracket, exp.Star)


@functools.lru_cache(maxsize=None)
def _template(sql: str) -> exp.Expression:
    tree = sqlglot.parse_one(sql, read="spark")
    for node in tree.walk():       # positions in the template's text are none of the query's
        for key in ("line", "col", "start", "end"):
            node.meta.pop(key, None)
    return tree


def _wrapped(x: exp.Expression | None) -> exp.Expression | None:
    if x is None or isinstance(x, _ATOMS) and not isinstance(x, exp.Binary):
        return x
    return exp.Paren(this=x)


def spark(sql: str, **args: exp.Expression | None) -> exp.Expression:
    """A Spark SQL expression from a template; ``_name`` placeholders take ``args``."""
    return fill_placeholders(_template(sql).copy(), {k: _wrapped(v) for k, v in args.items()})


def call(name: str, *args: exp.Expression) -> exp.Anonymous:
    """``NAME(args...)``: a Spark function SQLGlot has no class for."""
    return exp.Anonymous(this=name, expressions=list(args))
