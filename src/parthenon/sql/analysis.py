"""What a statement is, decided once from its parsed form.

Every part that must know a statement's kind asks here: the session (where to
send it), the guard (only queries reach the engine), the catalog (which
statements it owns, and how to name the others in NOT_SUPPORTED) and the
service (Athena's StatementType / SubstatementType, which it reports while the
query is still queued).

Kinds: QUERY (SELECT, WITH, VALUES, set operations), CTAS, INSERT, UNLOAD
(queries that write), DDL (CREATE, DROP, ALTER, MSCK, DESCRIBE...), UTILITY
(SHOW, DESCRIBE, EXPLAIN), USE, and OTHER (anything else: refused by name).
Athena files SELECT, CTAS, INSERT and UNLOAD under DML; SHOW, DESCRIBE and
EXPLAIN under UTILITY; CREATE, ALTER, DROP and MSCK under DDL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

QUERY, CTAS, INSERT, UNLOAD, DDL, UTILITY, USE, OTHER = (
    "QUERY", "CTAS", "INSERT", "UNLOAD", "DDL", "UTILITY", "USE", "OTHER")
WRITES = (CTAS, INSERT, UNLOAD)

_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_UTILITY_WORDS = {"SHOW", "DESCRIBE", "DESC", "EXPLAIN"}
_DDL_WORDS = {"CREATE", "DROP", "ALTER", "MSCK"}
# Statements Athena runs only on Iceberg tables (Parthenon has none).
ICEBERG_ONLY = ("DELETE", "UPDATE", "MERGE", "OPTIMIZE", "VACUUM")
_ICEBERG_DML = {"UPDATE", "DELETE", "MERGE"}


@dataclass(frozen=True)
class Analysis:
    kind: str
    statement_type: str            # Athena's StatementType: DML | DDL | UTILITY
    substatement_type: str         # Athena's SubstatementType: SELECT, CREATE_TABLE_AS_SELECT...
    words: tuple[str, ...]         # the leading keywords, upper case (for messages)
    target: exp.Table | None = None        # CTAS / INSERT: the table written
    query: exp.Expression | None = None    # CTAS / INSERT / UNLOAD: the query whose rows are written

    @property
    def is_query(self) -> bool:
        return self.kind == QUERY

    @property
    def writes(self) -> bool:
        return self.kind in WRITES

    def name(self, n: int = 2) -> str:
        """The statement named by its first keywords: 'CREATE TABLE', 'SHOW FUNCTIONS'."""
        return " ".join(self.words[:n])


def leading_words(text: str, n: int = 3) -> tuple[str, ...]:
    return tuple(w.upper() for w in re.findall(r"[A-Za-z_]+", _COMMENTS.sub(" ", text[:2000]))[:n])


def analyze(ast: exp.Expression, text: str) -> Analysis:
    """The kind of a parsed statement; `text` is what was written (Commands need it)."""
    words = leading_words(text)
    if _is_query(ast):
        return Analysis(QUERY, "DML", "SELECT", words)
    if isinstance(ast, exp.Use):
        return Analysis(USE, "UTILITY", "USE", words)
    if isinstance(ast, exp.Create) and (ast.kind or "").upper() == "TABLE" and \
            ast.args.get("expression") is not None:
        return Analysis(CTAS, "DML", "CREATE_TABLE_AS_SELECT", words,
                        target=_table_of(ast.this), query=ast.expression.unnest())
    if isinstance(ast, exp.Insert):
        return Analysis(INSERT, "DML", "INSERT", words, target=_table_of(ast.this),
                        query=ast.expression)
    if isinstance(ast, exp.Command) and str(ast.this).upper() == "UNLOAD":
        return Analysis(UNLOAD, "DML", "UNLOAD", words)
    return from_words(words)


def from_words(words: tuple[str, ...]) -> Analysis:
    """The kind of a statement known by its leading keywords only (one that does not parse)."""
    if not words:
        return Analysis(OTHER, "DDL", "UNKNOWN", words)
    first = words[0]
    if first in ("SELECT", "WITH", "VALUES", "TABLE"):
        return Analysis(QUERY, "DML", "SELECT", words)
    if first in ("INSERT", "UNLOAD"):
        return Analysis(INSERT if first == "INSERT" else UNLOAD, "DML", first, words)
    if first in _ICEBERG_DML:
        return Analysis(OTHER, "DML", first, words)
    if first == "USE":
        return Analysis(USE, "UTILITY", "USE", words)
    sub = "_".join(words[:2])
    if first in _UTILITY_WORDS:
        return Analysis(UTILITY, "UTILITY", "DESCRIBE" if first in ("DESC", "DESCRIBE") else sub,
                        words)
    if first in _DDL_WORDS:
        if first == "CREATE" and len(words) > 2 and words[1] == "EXTERNAL":
            sub = "CREATE_TABLE"
        return Analysis(DDL, "DDL", sub, words)
    return Analysis(OTHER, "DDL", sub, words)


def classify(text: str) -> tuple[str, str]:
    """(StatementType, SubstatementType) of a statement's text, parsed if it parses."""
    from .parser import parse_statement     # parser -> errors; imported late to keep sql/ acyclic
    from ..errors import ParthenonError
    try:
        a = analyze(parse_statement(text), text)
    except ParthenonError:
        a = from_words(leading_words(text))
    return a.statement_type, a.substatement_type


def _is_query(ast: exp.Expression) -> bool:
    if isinstance(ast, exp.Subquery):
        ast = ast.unnest()
    return isinstance(ast, (exp.Query, exp.Values))


def _table_of(node: exp.Expression) -> exp.Table | None:
    if isinstance(node, exp.Schema):
        node = node.this
    return node if isinstance(node, exp.Table) else None
