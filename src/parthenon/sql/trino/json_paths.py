"""Which text is a JSON path for Trino's json_extract, json_extract_scalar and json_size.

A port of Trino's JsonPathTokenizer (io.trino.operator.scalar): ``$`` then ``.name``
segments (letters, digits, ``_`` and ``:``), ``[name]`` or ``[0]`` and ``["any text"]``
(``\\"`` and ``\\\\`` escapes).  ``$.x-amz-copy-source``, which an AWS playbook reads from
CloudTrail's requestParameters, is not one: Trino fails with "Invalid JSON path", where
DuckDB's own path syntax reads the key.  Engine-neutral: each engine only writes the error.
"""
from __future__ import annotations

from sqlglot import exp
from sqlglot.tokens import TokenType


def _segment(path: str, i: int, extra: str) -> int:
    """The index after an unquoted name from ``i`` (-1 when the name is empty)."""
    start = i
    while i < len(path) and (path[i] == "_" or path[i].isalnum() or path[i] in extra):
        i += 1
    return i if i > start else -1


def _quoted(path: str, i: int) -> int:
    """The index after a quoted subscript's text and closing quote (-1 when malformed)."""
    while i < len(path) and path[i] != '"':
        if path[i] == "\\":
            if i + 1 >= len(path) or path[i + 1] not in '"\\':
                return -1
            i += 1
        i += 1
    return i + 1 if i < len(path) else -1


def is_json_path(path: str) -> bool:
    """Whether Trino's tokenizer reads ``path`` to its end."""
    if not path.startswith("$"):
        return False
    i = 1
    while i < len(path):
        if path[i] == ".":
            i = _segment(path, i + 1, ":")
        elif path[i] == "[":
            i = _quoted(path, i + 2) if path[i + 1:i + 2] == '"' else _segment(path, i + 1, "")
            if i == -1 or path[i:i + 1] != "]":
                return False
            i += 1
        else:
            return False
        if i == -1:
            return False
    return True


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
