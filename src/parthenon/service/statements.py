"""What the service needs to know about a statement before the engine runs it.

- its StatementType / SubstatementType (Athena reports them while the query is still
  queued, and picks `.csv` or `.txt` by them), from `sql.analysis.classify`;
- ExecutionParameters and `EXECUTE name USING ...` bound into the text: Athena's
  parameters are SQL literal *texts* ('abc', 1, DATE '2024-01-01'), substituted for
  the `?` placeholders, found by the tokenizer so a `?` inside a string stays put;
- `PREPARE name FROM ...` and `DEALLOCATE PREPARE name`, which are workgroup state.
"""
from __future__ import annotations

import re

import sqlglot
from sqlglot.errors import TokenError
from sqlglot.tokens import TokenType

from ..sql.analysis import classify  # noqa: F401  (the service's name for it)
from .errors import InvalidRequest

EXECUTE = re.compile(r"^\s*EXECUTE\s+(\w+)(?:\s+USING\s+(.*?))?\s*;?\s*$", re.I | re.DOTALL)
PREPARE = re.compile(r"^\s*PREPARE\s+(\w+)\s+FROM\s+(.*?)\s*;?\s*$", re.I | re.DOTALL)
DEALLOCATE = re.compile(r"^\s*DEALLOCATE\s+PREPARE\s+(\w+)\s*;?\s*$", re.I)


def placeholders(text: str) -> list[tuple[int, int]]:
    try:
        tokens = sqlglot.tokenize(text, read="athena")
    except TokenError:
        return []
    return [(t.start, t.end + 1) for t in tokens if t.token_type == TokenType.PLACEHOLDER]


def bind(text: str, values: list[str]) -> str:
    """Substitute literal texts for the `?` placeholders, in order."""
    spots = placeholders(text)
    if len(spots) != len(values):
        raise InvalidRequest(f"The query has {len(spots)} parameter placeholder"
                             f"{'' if len(spots) == 1 else 's'} but {len(values)} execution "
                             f"parameter{'' if len(values) == 1 else 's'} were given",
                             code="INVALID_INPUT")
    out, last = [], 0
    for (start, end), value in zip(spots, values):
        out += [text[last:start], value]
        last = end
    return "".join(out) + text[last:]


def split_arguments(text: str) -> list[str]:
    """`USING 'a', 1, DATE '2024-01-01'`: the literal texts, split at top-level commas."""
    try:
        tokens = sqlglot.tokenize(text, read="athena")
    except TokenError as e:
        raise InvalidRequest(f"Invalid USING clause: {e}", code="MALFORMED_QUERY") from None
    parts, depth, start = [], 0, 0
    for t in tokens:
        if t.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif t.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        elif t.token_type == TokenType.COMMA and depth == 0:
            parts.append(text[start:t.start].strip())
            start = t.end + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]
