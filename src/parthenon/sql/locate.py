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


def find_identifier(text: str, name: str) -> tuple[int | None, int | None]:
    """Line and column of the first identifier `name` (any case) in the statement `text`."""
    try:
        ast = parse_statement(text)
    except ParthenonError:
        return None, None
    for ident in ast.find_all(exp.Identifier):
        if ident.name.lower() == name.lower():
            return position(text, ident)
    return None, None
