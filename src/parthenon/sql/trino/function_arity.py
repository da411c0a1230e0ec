"""A call with more arguments than the function takes is FUNCTION_NOT_FOUND in Trino.

Trino's parser takes any number of arguments and its analyzer finds no signature:
``sqrt(x -> x, 123, x -> x)`` is "Unexpected parameters (<function>, integer,
<function>) for function sqrt".  SQLGlot checks the count of its function classes while
parsing ("The number of provided arguments (3) is greater than the maximum..."), which
the parser would report as a SYNTAX_ERROR; ``error`` gives Trino's error instead.
"""
from __future__ import annotations

import sqlglot
from sqlglot.tokens import TokenType

from ...errors import FunctionNotFound
from . import typing as trino_typing

_TOO_MANY = "is greater than the maximum number of supported arguments"


def error(text: str, dialect, err: dict) -> FunctionNotFound | None:
    """Trino's error for a parse error of SQLGlot's that is only a count of arguments (the
    error points at the call's closing parenthesis)."""
    if _TOO_MANY not in (err.get("description") or ""):
        return None
    try:
        tokens = sqlglot.tokenize(text, read=dialect)
    except Exception:   # noqa: BLE001 - the syntax error stands
        return None
    close = next((i for i, t in enumerate(tokens) if t.token_type == TokenType.R_PAREN
                  and t.line == err.get("line") and t.col == err.get("col")), None)
    if close is None:
        return None
    depth, i = 0, close
    while i >= 0:
        depth += {TokenType.R_PAREN: 1, TokenType.L_PAREN: -1}.get(tokens[i].token_type, 0)
        if depth == 0:
            break
        i -= 1
    if i < 1:
        return None
    name = tokens[i - 1]
    args = _arguments(text[tokens[i].end + 1:tokens[close].start])
    kinds = ", ".join(_kind(a, dialect) for a in args)
    return FunctionNotFound(f"Unexpected parameters ({kinds}) for function {name.text.lower()}",
                            name.line, name.col - len(name.text) + 1)


def _arguments(inside: str) -> list[str]:
    out, depth, start, quote = [], 0, 0, None
    for i, ch in enumerate(inside):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(inside[start:i])
            start = i + 1
    out.append(inside[start:])
    return [a.strip() for a in out]


def _kind(arg: str, dialect) -> str:
    """An argument's Trino type as the message shows it (``<function>`` for a lambda)."""
    if "->" in arg:
        return "<function>"
    try:
        tree = sqlglot.parse_one(f"SELECT {arg}", read=dialect)
        trino_typing.annotate(tree)
        return trino_typing.type_name(tree.expressions[0].type) or "unknown"
    except Exception:   # noqa: BLE001 - a type not known here
        return "unknown"
