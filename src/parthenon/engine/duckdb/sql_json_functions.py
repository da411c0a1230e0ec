"""Trino's SQL/JSON ``json_value`` over the accessor paths, as an engine function.

``trino_json_value(input, path)``: Trino's ``json_value(input, path)`` with its default
behaviours (RETURNING varchar, NULL ON EMPTY, NULL ON ERROR).  The path is ``lax $`` or ``strict $``
followed by member accessors (``.key``, ``."key"``, ``.*``) and array accessors (``[n]``,
``[*]``), evaluated as Trino's PathEvaluationVisitor: in lax mode a member accessor unwraps
an array (applied to each element), an array accessor wraps a non-array (``[0]`` is the
item itself), and a missing key or index gives nothing; in strict mode each of those is an
error.  The answer is the single item's text: a string's characters, ``true``/``false``, an
integer's digits; NULL for JSON null, for no item (ON EMPTY) and for what is an error
(several items, an object or array, input that is not JSON: ON ERROR).  A number with a
fraction or an exponent is refused (NOT_SUPPORTED: Trino's text of it is its double's or
decimal's, not reproduced here); other paths are refused when translated
(``parse_path`` is None).
"""
from __future__ import annotations

import json
import re

_MODE = re.compile(r"\s*(lax|strict)\s+\$")     # (Trino's path grammar: the mode in lower case)
_STEPS = re.compile(r'\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\.\s*"((?:[^"\\]|\\.)*)"|\.\s*(\*)'
                    r'|\[\s*(\d+)\s*\]|\[\s*(\*)\s*\])')
_MISSING = object()


def parse_path(path: str) -> tuple[bool, list[tuple[str, object]]] | None:
    """(lax, steps) of an accessor path; None for any other path."""
    m = _MODE.match(path)
    if m is None:
        return None
    lax = m.group(1) == "lax"
    steps, at = [], m.end()
    while at < len(path):
        s = _STEPS.match(path, at)
        if s is None:
            return None if path[at:].strip() else (lax, steps)
        key, quoted, star, index, all_ = s.groups()
        if key is not None:
            steps.append(("member", key))
        elif quoted is not None:
            steps.append(("member", json.loads(f'"{quoted}"')))
        elif star is not None:
            steps.append(("members", None))
        elif index is not None:
            steps.append(("index", int(index)))
        else:
            steps.append(("elements", None))
        at = s.end()
    return lax, steps


class _PathError(Exception):
    pass


def _step(items: list, kind: str, arg, lax: bool) -> list:
    out: list = []
    for item in items:
        if kind in ("member", "members"):
            targets = item if isinstance(item, list) and lax else [item]
            for t in targets:
                if isinstance(t, dict):
                    if kind == "members":
                        out.extend(t.values())
                    elif arg in t:
                        out.append(t[arg])
                    elif not lax:
                        raise _PathError
                elif not lax:
                    raise _PathError
        else:
            array = item if isinstance(item, list) else ([item] if lax else _MISSING)
            if array is _MISSING:
                raise _PathError
            if kind == "elements":
                out.extend(array)
            elif arg < len(array):
                out.append(array[arg])
            elif not lax:
                raise _PathError
    return out


def json_value(text: str | None, path: str | None) -> str | None:
    if text is None or path is None:
        return None
    parsed = parse_path(path)
    if parsed is None:
        raise ValueError(f"NOT_SUPPORTED: json_value path {path!r} is not supported")
    lax, steps = parsed
    try:
        items = [json.loads(text)]
        for kind, arg in steps:
            items = _step(items, kind, arg, lax)
    except (ValueError, _PathError):
        return None         # NULL ON ERROR
    if len(items) != 1:
        return None         # NULL ON EMPTY, or ON ERROR for several items
    item = items[0]
    if item is None or isinstance(item, (dict, list)):
        return None
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, float):
        raise ValueError("NOT_SUPPORTED: json_value of a number with a fraction or an exponent is not supported")
    return str(item)


MAY_RETURN_NULL = {"trino_json_value"}
FUNCTIONS = {"trino_json_value": (json_value, ["VARCHAR", "VARCHAR"], "VARCHAR")}
