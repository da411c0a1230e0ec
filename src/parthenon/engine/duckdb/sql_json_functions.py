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


class _Float(str):
    """A number with a fraction or an exponent, as written."""


def _object(pairs):
    if len({k for k, _ in pairs}) != len(pairs):
        raise _Duplicate
    return dict(pairs)


class _Duplicate(Exception):
    pass


def _written(item) -> str:
    """The item as Trino's JSON output writes it: compact, keys in order; a number with a
    fraction or an exponent, or a control character Jackson escapes in upper-case hex, is
    refused (NOT_SUPPORTED)."""
    if isinstance(item, dict):
        return "{" + ",".join(f"{_string(k)}:{_written(v)}" for k, v in item.items()) + "}"
    if isinstance(item, list):
        return "[" + ",".join(_written(v) for v in item) + "]"
    if isinstance(item, _Float):
        raise ValueError("NOT_SUPPORTED: json_query of a number with a fraction or an exponent is not supported")
    if isinstance(item, str):
        return _string(item)
    return json.dumps(item)


def _string(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    if "\\u" in out.replace("\\\\", ""):
        raise ValueError("NOT_SUPPORTED: json_query of a string with a control character is not supported")
    return out


# wrapper behaviours (Trino's ArrayWrapperBehavior)
WITHOUT, UNCONDITIONAL, CONDITIONAL = 0, 1, 2


def json_query(text: str | None, path: str | None, wrapper: int, omit_quotes: bool) -> str | None:
    """Trino's json_query(input, path [wrapper] [KEEP | OMIT QUOTES]) with NULL ON EMPTY and
    NULL ON ERROR: the items the path gives, wrapped in an array as asked; one item is the
    answer (a string unquoted with OMIT QUOTES), several without a wrapper an error (NULL);
    duplicate keys in the input are an error too (Trino's JSON input refuses them)."""
    if text is None or path is None:
        return None
    parsed = parse_path(path)
    if parsed is None:
        raise ValueError(f"NOT_SUPPORTED: json_query path {path!r} is not supported")
    lax, steps = parsed
    try:
        items = [json.loads(text, object_pairs_hook=_object, parse_float=_Float,
                            parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))]
        for kind, arg in steps:
            items = _step(items, kind, arg, lax)
    except (ValueError, _PathError, _Duplicate, RecursionError):
        return None         # NULL ON ERROR
    if not items:
        return None         # NULL ON EMPTY
    if wrapper == UNCONDITIONAL or wrapper == CONDITIONAL and not (
            len(items) == 1 and isinstance(items[0], (dict, list))):
        items = [items]
    if len(items) != 1:
        return None         # several items: NULL ON ERROR
    item = items[0]
    if omit_quotes and isinstance(item, str) and not isinstance(item, _Float):
        return item
    return _written(item)


MAY_RETURN_NULL = {"trino_json_value", "trino_json_query"}
FUNCTIONS = {"trino_json_value": (json_value, ["VARCHAR", "VARCHAR"], "VARCHAR"),
             "trino_json_query": (json_query, ["VARCHAR", "VARCHAR", "INTEGER", "BOOLEAN"], "VARCHAR")}
