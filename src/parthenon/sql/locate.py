"""Where a node or a name stands in a statement's text, as Athena reports it (line and
column, 1-based): for the errors that point at it, the planner's (an unknown table) and
every engine's (an unknown or ambiguous column)."""
from __future__ import annotations

from sqlglot import exp

from ..errors import ParthenonError
from .parser import parse_statement


def position(text: str, node: exp.Expression) -> tuple[int | None, int | None]:
    """Athena's line and column (1-based) of a node: where its first identifier starts."""
    idents = [node] if isinstance(node, exp.Identifier) else [
        i for i in node.find_all(exp.Identifier) if not isinstance(i.parent, exp.TableAlias)]
    starts = [i.meta["start"] for i in idents if "start" in (getattr(i, "meta", None) or {})]
    if not starts:
        return None, None
    before = text[: min(starts)]
    return before.count("\n") + 1, min(starts) - (before.rfind("\n") + 1) + 1


# The order in which Trino's analyzer reads a query's clauses (StatementAnalyzer's
# visitQuerySpecification): the first unknown column it meets is the one it reports.
_CLAUSE_ORDER = {"with": 0, "from": 1, "joins": 1, "laterals": 1, "where": 2, "expressions": 3,
                 "group": 4, "having": 5, "qualify": 6, "order": 7}


def _analysis_order(ident: exp.Expression) -> tuple:
    """Where an identifier comes in Trino's analysis: by clause of each select around it
    (outermost first), then by its place in the text."""
    ranks = []
    node = ident
    while node.parent is not None:
        if isinstance(node.parent, exp.Select):
            ranks.append(_CLAUSE_ORDER.get(node.arg_key, 8))
        node = node.parent
    return (*reversed(ranks), ident.meta.get("start", 0))


def _first_met(text: str, name: str, base: bool) -> exp.Identifier | None:
    try:
        ast = parse_statement(text)
    except ParthenonError:
        return None
    found = [i for i in ast.find_all(exp.Identifier) if i.name.lower() == name.lower()
             and (not base or (isinstance(i.parent, exp.Column) and i.arg_key != "this"))]
    return min(found, key=_analysis_order) if found else None


def find_identifier(text: str, name: str) -> tuple[int | None, int | None]:
    """Line and column of the identifier `name` (any case) in the statement `text` that
    Trino's analyzer meets first (``WHERE`` before the select list: see _CLAUSE_ORDER)."""
    ident = _first_met(text, name, base=False)
    return (None, None) if ident is None else position(text, ident)


def find_dereferenced(text: str, name: str) -> tuple[int | None, int | None, str]:
    """Line, column and spelling (as typed: Trino prints the expression so) of the first
    ``name`` that the analyzer meets dereferenced (``name.field``)."""
    ident = _first_met(text, name, base=True)
    if ident is None:
        return None, None, name
    parts = ident.parent.parts     # the base is the name with what qualifies it (ct.requestParameters)
    parts = parts[:next(i for i, p in enumerate(parts) if p is ident) + 1]
    return (*position(text, parts[0]), ".".join(p.sql(dialect="trino") for p in parts))


def find_qualified(text: str, table: str, name: str) -> tuple[int | None, int | None]:
    """Line and column of the first ``table.name`` (any case) the analyzer meets: where
    Trino reports a qualified column it cannot resolve (at the qualifier)."""
    try:
        ast = parse_statement(text)
    except ParthenonError:
        return None, None
    found = [c for c in ast.find_all(exp.Column) if c.name.lower() == name.lower()
             and c.table.lower() == table.lower()]
    if not found:
        return None, None
    return position(text, min(found, key=lambda c: _analysis_order(c.this)).parts[0])
