"""Which text is a JSON path for Trino's json_extract, json_extract_scalar and json_size.

A port of Trino's JsonPathTokenizer (io.trino.operator.scalar): ``$`` then ``.name``
segments (letters, digits, ``_`` and ``:``), ``[name]`` or ``[0]`` and ``["any text"]``
(``\\"`` and ``\\\\`` escapes).  ``$.x-amz-copy-source``, which an AWS playbook reads from
CloudTrail's requestParameters, is not one: Trino fails with "Invalid JSON path", where
DuckDB's own path syntax reads the key.  Engine-neutral: each engine only writes the error.
"""
from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.tokens import TokenType


# Trino's unquoted characters: Character.isLetterOrDigit, '_' (and ':' after a dot)
_DOT_NAME = re.compile(r"[\w:]+")
_BRACKET_NAME = re.compile(r"\w+")


def tokens(path: str) -> list[str] | None:
    """The segments of a Trino JSON path (``$.a["b c"][0]`` -> a, b c, 0), None if Trino's
    tokenizer does not read ``path`` to its end."""
    if not path.startswith("$"):
        return None
    out, i = [], 1
    while i < len(path):
        if path[i] == ".":
            m = _DOT_NAME.match(path, i + 1)
            if m is None:
                return None
            out.append(m.group())
            i = m.end()
        elif path.startswith('["', i):
            i, name = i + 2, []
            while i < len(path) and path[i] != '"':
                if path[i] == "\\":
                    if path[i + 1:i + 2] not in ('"', "\\"):
                        return None
                    i += 1
                name.append(path[i])
                i += 1
            if not path.startswith('"]', i):
                return None
            out.append("".join(name))
            i += 2
        elif path[i] == "[":
            m = _BRACKET_NAME.match(path, i + 1)
            if m is None or not path.startswith("]", m.end()):
                return None
            out.append(m.group())
            i = m.end() + 1
        else:
            return None
    return out


def is_json_path(path: str) -> bool:
    """Whether Trino's tokenizer reads ``path`` to its end."""
    return tokens(path) is not None


_PATH_FUNCTIONS = {"json_extract": exp.JSONExtract, "json_extract_scalar": exp.JSONExtractScalar}


def keep_path_texts(ast: exp.Expression, tokens: list) -> None:
    """Keep each literal path of json_extract(_scalar) as written (``meta["path_text"]``):
    SQLGlot rewrites a path it reads into its own form ('a' and '$a' both become $.a), and
    only the text tells whether Trino's tokenizer accepts it.  Calls are matched to the
    tokens in the order they are written; when the counts differ nothing is kept."""
    texts = []
    for i, token in enumerate(tokens[:-1]):
        if token.text.lower() not in _PATH_FUNCTIONS or tokens[i + 1].token_type != TokenType.L_PAREN:
            continue
        depth, j = 0, i + 1
        while j < len(tokens):
            kind = tokens[j].token_type
            depth += kind == TokenType.L_PAREN
            depth -= kind == TokenType.R_PAREN
            if depth == 0 or (depth == 1 and kind == TokenType.COMMA):
                break
            j += 1
        after = tokens[j + 1] if depth == 1 and j + 1 < len(tokens) else None
        texts.append(after.text if after is not None and after.token_type == TokenType.STRING else None)
    calls = [n for n in ast.walk(bfs=False) if isinstance(n, tuple(_PATH_FUNCTIONS.values()))]
    if len(calls) != len(texts):
        return
    for call, text in zip(calls, texts):
        if text is not None and call.expression is not None:
            call.expression.meta["path_text"] = text
