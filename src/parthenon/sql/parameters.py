"""DB-API parameters: `?` (qmark) and `%(name)s` (pyformat) bound as SQL literals.

Parameters are substituted into the text before parsing, outside string
literals, quoted identifiers and comments, so a value can never become SQL.
"""
from __future__ import annotations

import datetime
import decimal
import re
from typing import Any, Mapping, Sequence

import sqlglot
from sqlglot.tokens import TokenType

from ..errors import SqlSyntaxError

_PYFORMAT = re.compile(r"%\((\w+)\)s|%%")


def literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, decimal.Decimal)):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return f"CAST('{value!r}' AS DOUBLE)"
        text = repr(value)   # an exponent makes it a DOUBLE literal; 1.5 alone is a DECIMAL in Trino
        return text if "e" in text else f"{text}E0"
    if isinstance(value, datetime.datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, datetime.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, (bytes, bytearray)):
        return f"X'{bytes(value).hex()}'"
    return "'" + str(value).replace("'", "''") + "'"


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text that are SQL code (not strings, quoted names or comments)."""
    spans, pos = [], 0
    for tok in sqlglot.tokenize(text, read="athena"):
        if tok.token_type in (TokenType.STRING, TokenType.IDENTIFIER, TokenType.NATIONAL_STRING):
            spans.append((pos, tok.start))
            pos = tok.end + 1
    spans.append((pos, len(text)))
    return spans


def bind_parameters(text: str, parameters: Sequence[Any] | Mapping[str, Any]) -> str:
    pieces, last = [], 0
    if isinstance(parameters, Mapping):
        spans = _code_spans(text)
        for m in _PYFORMAT.finditer(text):
            in_code = any(start <= m.start() < end for start, end in spans)
            if m.group(0) == "%%":        # as Python's % formatting (and PyAthena): everywhere
                pieces += [text[last:m.start()], "%"]
            elif not in_code:             # a placeholder inside a string literal is text
                continue
            elif m.group(1) not in parameters:
                raise SqlSyntaxError(f"No value for parameter '{m.group(1)}'")
            else:
                pieces += [text[last:m.start()], literal(parameters[m.group(1)])]
            last = m.end()
        return "".join(pieces) + text[last:]
    values = list(parameters)
    used = 0
    for start, end in _code_spans(text):
        for i in range(start, end):
            if text[i] == "?":
                if used >= len(values):
                    raise SqlSyntaxError(
                        f"Incorrect number of parameters: expected more than {len(values)}")
                pieces.append(text[last:i])
                pieces.append(literal(values[used]))
                used += 1
                last = i + 1
    if used != len(values):
        raise SqlSyntaxError(f"Incorrect number of parameters: expected {used} but found {len(values)}")
    return "".join(pieces) + text[last:]
