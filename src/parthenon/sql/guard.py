"""Refuse anything in a user's query that reaches beyond the catalog's tables.

``check_query(ast)`` runs on the parsed query *before* its table references
are replaced by engine scans.  The engine (DuckDB) can read files, attach
databases, change settings and call table functions; a Parthenon query may do
none of that.  The rule is an allowlist, not a blocklist:

1. The statement must be a query: SELECT, WITH ... SELECT, VALUES, or a set
   operation of those.  DuckDB's own statements (COPY, ATTACH, DETACH,
   INSTALL, LOAD, PRAGMA, SET, RESET, EXPORT/IMPORT DATABASE, CALL,
   CREATE SECRET, CHECKPOINT, USE, SUMMARIZE, VACUUM...) are refused with
   PERMISSION_DENIED; other Trino statements that are not queries (INSERT,
   CREATE TABLE AS, EXPLAIN, PREPARE, SHOW...) with NOT_SUPPORTED, since they
   are handled elsewhere or not at all.
2. Every relation in FROM/JOIN is a catalog table name (``db.table``,
   ``catalog.db.table``), a subquery, a CTE, VALUES or UNNEST.  Table
   functions (``read_csv(...)``, ``read_text``, ``read_json``,
   ``read_parquet``, ``glob``, ``range``, ``sqlite_scan``, ``query_table``,
   Trino's ``TABLE(...)``...) and string literals or path-like names used as
   tables (``FROM '/etc/passwd'``, ``FROM "data.parquet"``) are refused with
   PERMISSION_DENIED.  Glue table and database names hold only letters,
   digits, ``_`` and ``-``, so a name with ``/``, ``.``, ``:``, ``*`` or a
   backslash cannot be a catalog table.
3. Every function is a Trino function: a name Trino does not know is
   refused as Athena does, ``FUNCTION_NOT_FOUND: line 1:8: Function
   'read_text' not registered``.  This allowlist is what keeps out DuckDB's
   scalar functions that touch the system or files (``getenv``,
   ``current_setting``, ``read_blob``...).  A Trino function that Parthenon
   cannot run faithfully is refused later, by the translator, with
   NOT_SUPPORTED.

Positions (line:column) are those of the offending token where SQLGlot
recorded one, else of the statement (1:1).
"""
from __future__ import annotations

from sqlglot import exp

from ..errors import FunctionNotFound, NotSupported, PermissionDenied
from .analysis import analyze
from .trino import (
    SYNTAX_CLASSES,
    TRINO_FUNCTIONS,
    function_name,
    position,
    trino_function_classes,
)


# Statements of DuckDB (or of both) that change or reach outside the engine.
ENGINE_STATEMENTS = frozenset({
    "ANALYZE", "ATTACH", "CALL", "CHECKPOINT", "COPY", "CREATE SECRET", "DETACH",
    "DROP SECRET", "EXPORT", "FORCE", "IMPORT", "INSTALL", "LOAD", "PRAGMA", "RESET",
    "RESET SESSION", "SET", "SET SESSION", "SUMMARIZE", "UPDATE EXTENSIONS", "USE", "VACUUM",
})

_STATEMENT_NAMES: dict[type[exp.Expression], str] = {
    exp.Copy: "COPY", exp.Pragma: "PRAGMA", exp.Set: "SET", exp.Use: "USE",
    exp.Insert: "INSERT", exp.Delete: "DELETE", exp.Update: "UPDATE", exp.Merge: "MERGE",
    exp.Create: "CREATE", exp.Drop: "DROP", exp.Alter: "ALTER", exp.Describe: "DESCRIBE",
    exp.Transaction: "START TRANSACTION", exp.Commit: "COMMIT", exp.Rollback: "ROLLBACK",
    exp.Grant: "GRANT", exp.Revoke: "REVOKE", exp.Attach: "ATTACH", exp.Detach: "DETACH",
    exp.Install: "INSTALL", exp.Summarize: "SUMMARIZE", exp.Analyze: "ANALYZE",
    exp.Export: "EXPORT", exp.Show: "SHOW", exp.Cache: "CACHE", exp.Uncache: "UNCACHE",
    exp.Refresh: "REFRESH", exp.TruncateTable: "TRUNCATE",
}

# Function-call-like syntax whose spelled name is not in Trino's function list.
_SYNTAX_NAMES = frozenset({
    "array", "case", "cast", "count", "date", "exists", "extract", "grouping", "interval",
    "json", "localtime", "localtimestamp", "current_time", "current_date",
    "current_timestamp", "row", "timestamp", "time", "try", "try_cast", "unnest", "values",
    "position", "substring", "trim", "if", "coalesce", "nullif", "map", "filter",
})


def check_query(ast: exp.Expression, text: str | None = None) -> None:
    """Raise PermissionDenied / FunctionNotFound / NotSupported unless ``ast`` is a
    query over catalog tables using Trino functions only.

    ``text`` (optional) is the statement's SQL; with it, functions are checked by
    the name as typed rather than by the name SQLGlot gives the parsed node.
    """
    _check_statement(ast, text)
    for node in ast.walk():
        if isinstance(node, exp.Table):
            _check_table(node)
        elif isinstance(node, exp.MatchRecognize):
            # row pattern recognition has no engine here (refused before its
            # match_number() and classifier() could read as unknown functions)
            raise NotSupported("MATCH_RECOGNIZE is not supported", *position(node))
        elif isinstance(node, exp.Func) and not isinstance(node.parent, exp.Table):
            _check_function(node, text)


def _check_statement(ast: exp.Expression, text: str | None) -> None:
    if analyze(ast, text or "").is_query:
        return
    name = statement_name(ast)
    if name in ENGINE_STATEMENTS or name.split(" ")[0] in ENGINE_STATEMENTS:
        raise PermissionDenied(
            f"Access Denied: Cannot execute {name}: only queries over catalog tables are allowed",
            1, 1)
    raise NotSupported(f"{name} is not a query: only SELECT, WITH and VALUES can run here", 1, 1)


def statement_name(ast: exp.Expression) -> str:
    """The keyword(s) a statement starts with, upper case (``COPY``, ``CREATE SECRET``)."""
    if isinstance(ast, exp.Command):
        head = str(ast.this).upper()
        rest = (ast.expression.name if isinstance(ast.expression, exp.Expression)
                else str(ast.expression or ""))
        word = rest.strip().split(" ")[0].upper() if rest else ""
        if head in ("CREATE", "DROP") and word:
            return f"{head} {word}"
        return head
    for cls, name in _STATEMENT_NAMES.items():
        if isinstance(ast, cls):
            if isinstance(ast, exp.Create) and ast.args.get("kind"):
                return f"CREATE {str(ast.args['kind']).upper()}"
            return name
    # DuckDB statements SQLGlot's Trino grammar reads as expressions: `DETACH x`
    # is a column aliased x, `CHECKPOINT` a bare column.
    leftmost = ast
    while isinstance(leftmost, (exp.Alias, exp.Binary)) or (
            isinstance(leftmost, exp.Column) and leftmost.args.get("table")):
        leftmost = leftmost.this if not isinstance(leftmost, exp.Column) else leftmost.parts[0]
    if isinstance(leftmost, (exp.Column, exp.Identifier)):
        return leftmost.name.upper()
    return ast.key.upper()


def _check_table(table: exp.Table) -> None:
    this = table.this
    if isinstance(this, exp.Func):
        name = function_name(this)
        if name == "table" and this.expressions:      # Trino's TABLE(fn(...))
            inner = this.expressions[0]
            name = (function_name(inner) if isinstance(inner, exp.Func)
                    else inner.sql(dialect="trino").split("(")[0].lower())
        raise PermissionDenied(
            f"Access Denied: Table function '{name}' is not allowed: "
            "queries may read only catalog tables", *position(this))
    if not isinstance(this, exp.Identifier):
        if this is None or isinstance(this, (exp.Subquery, exp.Query, exp.Values, exp.Unnest)):
            return
        raise PermissionDenied(
            f"Access Denied: '{this.sql(dialect='trino')}' is not a catalog table",
            *position(this))
    for part in table.parts:
        if not isinstance(part, exp.Identifier):
            raise PermissionDenied(
                f"Access Denied: '{part.sql(dialect='trino')}' is not a catalog table",
                *position(part))
        name = part.name
        if not name or any(ch in name for ch in "/\\.:*?'\"\n") or name.startswith("~"):
            raise PermissionDenied(
                f"Access Denied: Cannot read '{name}': only catalog tables can be queried",
                *position(part))


def _spelled_name(node: exp.Func, text: str | None) -> str | None:
    meta = getattr(node, "meta", None) or {}
    start, end = meta.get("start"), meta.get("end")
    if text is None or start is None or end is None or end >= len(text):
        return None
    spelled = text[start:end + 1]
    if not spelled or not (spelled[0].isalpha() or spelled[0] in "_\""):
        return None
    if not text[end + 1:].lstrip().startswith("("):
        return None     # the recorded token is not a function call's name
    return spelled.strip('"').lower()


def _check_function(node: exp.Func, text: str | None) -> None:
    spelled = _spelled_name(node, text)
    if spelled is not None:
        if spelled in TRINO_FUNCTIONS or spelled in _SYNTAX_NAMES:
            return
        raise FunctionNotFound(f"Function '{spelled}' not registered", *position(node))
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name in TRINO_FUNCTIONS:
            return
        raise FunctionNotFound(f"Function '{name}' not registered", *position(node))
    if type(node) in trino_function_classes() or isinstance(node, SYNTAX_CLASSES):
        return
    meta = getattr(node, "meta", None) or {}
    if meta.get("start") is None and isinstance(node, (exp.Binary, exp.Unary, exp.Predicate)):
        return      # an operator (AND, =, ANY ...), not a function call
    raise FunctionNotFound(f"Function '{function_name(node)}' not registered", *position(node))
