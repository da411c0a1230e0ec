"""Which text is a JSON path for Trino's json_extract, json_extract_scalar and json_size.

A port of Trino's JsonPathTokenizer (io.trino.operator.scalar): ``$`` then ``.name``
segments (letters, digits, ``_`` and ``:``), ``[name]`` or ``[0]`` and ``["any text"]``
(``\\"`` and ``\\\\`` escapes).  ``$.x-amz-copy-source``, which an AWS playbook reads from
CloudTrail's requestParameters, is not one: Trino fails with "Invalid JSON path", where
DuckDB's own path syntax reads the key.  Engine-neutral: each engine only writes the error.
"""
from __future__ import annotations


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
