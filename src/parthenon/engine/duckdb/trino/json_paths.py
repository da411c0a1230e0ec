"""Trino's JSONPath for json_extract / json_extract_scalar on DuckDB's JSON functions (the
tokenizer, which says what a path is, is sql.trino.json_paths).

Trino semantics covered:

- A path is ``$`` then segments: ``.name`` (letters, digits, ``_`` and ``:``), ``[name]``
  (letters, digits, ``_``) or ``["quoted"]`` (``\\\\`` and ``\\"`` the only escapes); no
  space anywhere.  Anything else (``$.``, ``$$``, ``$.a..b``, ``$[-1]``, ``$.x[ 42]``) is
  INVALID_FUNCTION_ARGUMENT "Invalid JSON path: '...'".
- A segment of digits (``$.1``, ``$[1]``, ``$["1"]``) is an array index on an array and a
  key on an object, as Trino's ObjectFieldJsonExtractor reads it: each such segment is
  chosen by the JSON type of the value it applies to.  (At most 3 in a path: each doubles
  the SQL.)  A path given at run time is tokenized as it is read
  (``trino_json_path_segments``) and walked segment by segment the same way.
"""
from __future__ import annotations

from sqlglot import exp

from ....errors import InvalidFunctionArgument, NotSupported
from ....sql.trino.json_paths import tokens
from ....sql.trino.positions import position
from .nodes import duck

_MAX_NUMERIC = 3


def _segments(p: exp.Expression) -> tuple[str, list[str] | None] | None:
    """A literal path's text and segments (None if it is not a Trino path), or None for a
    path given at run time.  SQLGlot keeps a path it cannot parse as the string, and one it
    can as a JSONPath of keys and subscripts (``$..a``, ``$.*`` are not Trino's)."""
    if isinstance(p, exp.Literal) and p.is_string:
        return p.name, tokens(p.name)
    if not isinstance(p, exp.JSONPath):
        return None
    segments = []
    for part in p.expressions:
        if isinstance(part, exp.JSONPathKey) and isinstance(part.this, str):
            segments.append(part.this)
        elif isinstance(part, exp.JSONPathSubscript) and isinstance(part.this, int) and part.this >= 0:
            segments.append(str(part.this))
        elif not isinstance(part, exp.JSONPathRoot):
            return _written(p), None
    return "$" + "".join(f'["{s}"]' for s in segments), segments


def _written(p: exp.JSONPath) -> str:
    """A JSONPath's text again, for the error (SQLGlot cannot write ``..`` back)."""
    out = ""
    for part in p.expressions:
        name = part.this if isinstance(part.this, str) else ""
        out += {exp.JSONPathRoot: "$", exp.JSONPathKey: "." + name, exp.JSONPathRecursive: ".." + name,
                exp.JSONPathSubscript: f"[{part.this}]", exp.JSONPathWildcard: ".*"}.get(type(part), "?")
    return out


def _duck_path(names: list[str]) -> exp.Expression:
    return exp.Literal.string("$" + "".join('."' + n.replace("\\", "\\\\").replace('"', '\\"') + '"'
                                            for n in names))


def extract(j: exp.Expression, p: exp.Expression) -> exp.Expression | None:
    """json_extract(j, p) as a DuckDB expression of JSON, or None for a path given at run
    time (DuckDB's reading of it)."""
    found = _segments(p)
    if found is None:
        return None
    text, segments = found
    if segments is None:
        raise InvalidFunctionArgument(f"Invalid JSON path: '{text}'", *position(p))
    if sum(s.isdigit() for s in segments) > _MAX_NUMERIC:
        raise NotSupported(f"A JSON path with more than {_MAX_NUMERIC} numeric segments: '{text}'",
                           *position(p))
    value, names = j, []
    for segment in segments:
        if not segment.isdigit():
            names.append(segment)
            continue
        if names:
            value, names = duck("json_extract(_v, _p)", _v=value, _p=_duck_path(names)), []
        value = duck(f"CASE WHEN json_type(_v) = 'ARRAY' THEN json_extract(_v, '$[{int(segment)}]') "
                     "ELSE json_extract(_v, _p) END", _v=value, _p=_duck_path([segment]))
    if names or not segments:
        value = duck("json_extract(_v, _p)", _v=value, _p=_duck_path(names))
    return value


def trino_path(p: exp.Expression) -> exp.Expression:
    """The path as Trino's tokenizer reads it, for the Python functions that walk it
    themselves (``sql.trino.json_reading``): a literal path written again in brackets, a
    path given at run time as it is."""
    found = _segments(p)
    if found is None:
        return p
    text, segments = found
    if segments is None:
        return exp.Literal.string(text)
    return exp.Literal.string("$" + "".join('["' + s.replace("\\", "\\\\").replace('"', '\\"') + '"]'
                                            for s in segments))


def runtime_path_check(p: exp.Expression) -> exp.Expression:
    """true for a path Trino's tokenizer reads, INVALID_FUNCTION_ARGUMENT otherwise: put
    outside the TRY that makes malformed JSON NULL, since a bad path fails on any value."""
    return duck("len(trino_json_path_segments(_p)) >= 0", _p=p)


def runtime_extract(j: exp.Expression, p: exp.Expression) -> exp.Expression:
    """json_extract(j, p) for a path given at run time: the JSON text (VARCHAR) of the value
    its segments lead to, a segment of digits an index on an array and a key on an object."""
    return duck(
        "list_reduce(list_prepend(CAST(_j AS VARCHAR), trino_json_path_segments(_p)), lambda v, s: "
        "CAST(CASE WHEN regexp_full_match(s, '[0-9]+') AND json_type(v) = 'ARRAY' "
        "THEN json_extract(v, '$[' || s || ']') "
        "ELSE json_extract(v, '$.\"' || replace(replace(s, '\\', '\\\\'), '\"', '\\\"') || '\"') END "
        "AS VARCHAR))", _j=j, _p=p)
