"""Rewrite an Athena (Trino) query AST into DuckDB SQL with Trino's semantics.

``to_duckdb_sql(ast)`` starts from SQLGlot's own Trino -> DuckDB transpilation
and adds small, named AST rewrites for what SQLGlot leaves to DuckDB's
differing defaults.  Each rewrite is one function over one kind of node, in
the style of SQLGlot's dialect modules; the ``CLASS_REWRITES`` and
``ANONYMOUS_REWRITES`` of each family module say which node each one handles.

Functions are *default deny*: every Trino function Parthenon accepts is listed
in ``SUPPORTED_FUNCTIONS`` (checked to give Trino's answer, natively or through
a rewrite of this package).  A Trino function that is not listed raises
``NotSupported("Function 'x' is not supported", line, col)`` instead of
returning a different answer; a name that is not a Trino function at all is
refused earlier by ``parthenon.sql.guard`` (FUNCTION_NOT_FOUND).  SQLGlot's own
"unsupported" warnings are raised as NotSupported too.

Modules (each lists the Trino semantics it covers; tests/test_trino_semantics.py
checks each):

- ``functions``: Trino's function catalogue, supported functions.
- ``rewrite``: ``to_duckdb_sql``, the walk applying the rewrites, dispatch,
  result column names.
- ``nodes``: helpers shared by the rewrites (templates, literals, types,
  positions).
- ``arithmetic``: ``/``, math constants.
- ``regex``: regular expressions.
- ``json``: JSON functions.
- ``casts``: ``CAST`` to VARCHAR and to/from JSON.
- ``datetime``: date and time functions, time zones.
- ``strings``: string and URL functions.
- ``arrays``: arrays, maps and the lambdas over them.
- ``aggregates``: aggregate functions.
- ``unnest``: ``UNNEST`` in FROM / JOIN.

Trino semantics covered by SQLGlot's transpilation alone: ``try(expr)``,
``try_cast``, ``if``, ``coalesce``, ``LIKE ... ESCAPE``, row field access
``col.field``, ``LIMIT``/``OFFSET``, ``VALUES``, window functions, ORDER BY
with NULLS LAST by default (DuckDB's default null order; the engine must not
change ``default_null_order``).

Knowingly not covered (documented differences; the modules list their own):

- Type-dependent rewrites (DATE kept by ``date_add``, map ``UNNEST``, JSON
  casts, DOUBLE/TIMESTAMP formatting) need the operand's type: it is taken
  from the query itself (literals, CASTs, functions) or from ``schema``;
  a bare column of unknown type falls back to DuckDB's behaviour, except for
  ``CAST(x AS VARCHAR)`` which checks ``typeof`` at run time.
"""
from __future__ import annotations

from .functions import (
    SUPPORTED_FUNCTIONS,
    SYNTAX_CLASSES,
    TRINO_FUNCTIONS,
    function_name,
    trino_function_classes,
)
from .nodes import position
from .rewrite import Translation, to_duckdb_sql, translate

__all__ = [
    "SUPPORTED_FUNCTIONS",
    "SYNTAX_CLASSES",
    "TRINO_FUNCTIONS",
    "function_name",
    "position",
    "Translation",
    "to_duckdb_sql",
    "translate",
    "trino_function_classes",
]
