"""Translate an Athena (Trino) query AST into DuckDB SQL with Trino's semantics.

``translate(ast, schema)`` first gives every expression its Trino type
(``typing``: the catalog schema through the planner's scans, literals, and
Trino's typing rules: decimal precision and scale, timestamp(p) with or without
zone, varchar(n), json, ipaddress, interval kinds), then applies small, named
AST rewrites that generate the DuckDB SQL implementing Trino's semantics for
those types, starting from SQLGlot's own Trino -> DuckDB transpilation.  It
returns the SQL and the Trino type of each output column (``Translation``),
which results report (``parthenon.types.result_type``).

Values without a DuckDB type of their own:

- ``timestamp(p) with time zone`` is the struct ``{instant TIMESTAMPTZ, zone
  VARCHAR}`` (``zoned``), with ``nanos`` (past the microsecond) for p 7..9: it
  compares and orders by instant, reads fields in its zone, casts through its
  wall clock, and its text is Trino's ``2020-05-10 12:34:56.123 Asia/Kathmandu``
  (``+04:44`` for an offset zone).
- ``time(p) with time zone`` is DuckDB's TIMETZ (a wall clock and a fixed offset,
  ``times``), for p 7..9 the struct ``{timetz, nanos}``, leaving as Trino's text
  ``12:34:56.1+08:35``.
- ``ipaddress`` is a ``UHUGEINT``, the address's 16 bytes with IPv4 mapped into
  IPv6 (``ipaddress``): equality and order are Trino's, its text dotted IPv4 or
  RFC 5952 IPv6.
- ``timestamp(p)``'s precision and ``varchar(n)``'s length live in the Trino
  type, not the value; ``timestamp(7..9)`` is a TIMESTAMP_NS and ``time(7..9)`` a
  TIME_NS (``times``), leaving as Trino's
  text; intervals hold only milliseconds (day to second) or only months (year to
  month) and leave as Trino's text (``3 00:00:00.000``, ``0-2``).

The outermost query presents such values as Trino's text, and casts decimals
and integer results to their Trino type (DuckDB's precision, scale or width
differ).

Functions are *default deny*: every Trino function Parthenon accepts is listed
in ``SUPPORTED_FUNCTIONS`` (checked to give Trino's answer, natively or through
a rewrite of this package).  A Trino function that is not listed raises
``NotSupported("Function 'x' is not supported", line, col)`` instead of
returning a different answer; a name that is not a Trino function at all is
refused earlier by ``parthenon.sql.guard`` (FUNCTION_NOT_FOUND).  SQLGlot's own
"unsupported" warnings are raised as NotSupported too.

Modules (each lists the Trino semantics it covers; tests/test_trino_semantics.py
and the per-family tables tests/trino_cases/*.tsv check them):

- ``typing``: Trino's type of every expression; Trino's type names.
- ``functions``: Trino's function catalogue, supported functions.
- ``rewrite``: ``translate``, the walk applying the rewrites, dispatch,
  presentation of the output, result column names.
- ``nodes``: helpers shared by the rewrites (templates, literals, types,
  positions).
- ``zoned``, ``ipaddress``: the representations above.
- ``arithmetic``: ``/`` (integer and decimal), rounding.
- ``row_equality``: rows compared field by field; the comparisons Trino refuses
  (varchar = integer) and its NaN rules are engine-neutral (``sql/trino/comparisons``).
- ``regex``, ``json``, ``strings``, ``urls``, ``binary``: their functions (their result
  types: ``sql/trino/text_types``).
- ``casts``: ``CAST`` to VARCHAR, JSON and row types; ``temporal_casts`` those
  between dates, times, timestamp(p) and zoned timestamps (rounding, literals);
  ``times`` time(p) and time(p) with time zone (literals, rounding, nanoseconds).
- ``datetime``: date and time functions, time zones; ``datetime_patterns`` their
  MySQL and Joda patterns; ``intervals``: the two interval types.
- ``formatting``: format, format_number, durations and data sizes, bases.
- ``arrays``: arrays, maps, rows and the lambdas over them.
- ``aggregates``: aggregate functions.
- ``unnest``: ``UNNEST`` in FROM / JOIN.

Trino semantics covered by SQLGlot's transpilation alone: ``try(expr)``,
``try_cast``, ``if``, ``coalesce``, ``LIKE ... ESCAPE``, row field access
``col.field``, ``LIMIT``/``OFFSET``, ``VALUES``, window functions, ORDER BY
with NULLS LAST by default (DuckDB's default null order; the engine must not
change ``default_null_order``).

Knowingly not covered (documented differences; the modules list their own):

- A column whose type is not known (a scan SQLGlot cannot resolve, a function
  the typing does not know) falls back to DuckDB's behaviour, except for
  ``CAST(x AS VARCHAR)`` which checks ``typeof`` at run time.
- Zoned values and IP addresses nested inside arrays, maps or rows are shown
  in their engine representation.
"""
from __future__ import annotations

from .rewrite import to_duckdb_sql, translate

__all__ = ["to_duckdb_sql", "translate"]
