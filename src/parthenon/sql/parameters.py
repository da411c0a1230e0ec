"""DB-API parameters: `?` (qmark) and `%(name)s` (pyformat) bound as SQL literals.

Parameters are substituted into the text before parsing, outside string
literals, quoted identifiers and comments (a ``?`` or ``%(x)s`` there is text),
so a value can never become SQL.
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


def _placeholder_starts(text: str) -> tuple[set[int], set[int]]:
    """Where a ``?`` and where a ``%`` stand as tokens of the SQL: never inside a string,
    a quoted name or a comment (the tokenizer drops comments)."""
    qmarks, percents = set(), set()
    for tok in sqlglot.tokenize(text, read="athena"):
        if tok.token_type == TokenType.PLACEHOLDER and tok.text == "?":
            qmarks.add(tok.start)
        elif tok.token_type == TokenType.MOD:
            percents.add(tok.start)
    return qmarks, percents


def bind_parameters(text: str, parameters: Sequence[Any] | Mapping[str, Any]) -> str:
    pieces, last = [], 0
    qmarks, percents = _placeholder_starts(text)
    if isinstance(parameters, Mapping):
        for m in _PYFORMAT.finditer(text):
            in_code = m.start() in percents
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
    for i in sorted(qmarks):
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
