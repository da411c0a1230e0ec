"""Trino's regular expression functions with Java's semantics, as the engine's scalar functions.

DuckDB's regexp functions run RE2, which has no look-around, back-references,
possessive quantifiers or atomic groups, and whose global replace and split treat
empty matches otherwise than Java.  The translator (``trino/regex.py``) keeps the
engine's native functions for a literal pattern RE2 runs exactly, and calls these
for the rest.  They run on the ``regex`` package (a superset of Python's ``re``
with Java's constructs), walking matches as Trino's Joni does: after an empty
match the next search starts one character later.  Replacements follow Trino's
rules: ``$n`` (the longest group number the pattern has), ``${name}``, ``\\x`` a
literal ``x``; a bad one is INVALID_FUNCTION_ARGUMENT, as is an invalid pattern.
"""
from __future__ import annotations

import functools
import re

import regex

_INVALID = "INVALID_FUNCTION_ARGUMENT: "


@functools.lru_cache(maxsize=256)
def compiled(pattern: str) -> regex.Pattern:
    """A Java pattern compiled: ``\\Q...\\E`` quoting, ``\\z`` / ``\\Z``, ``\\k<name>`` and
    ``\\x{h...}`` translated; class intersections (``[a-z&&[^b]]``) in the package's version 1."""
    text = re.sub(r"\\Q(.*?)(?:\\E|$)", lambda m: regex.escape(m.group(1)), pattern, flags=re.S)
    text = re.sub(r"(?<!\\)((?:\\\\)*)\\k<(\w+)>", r"\1(?P=\2)", text)
    text = re.sub(r"(?<!\\)((?:\\\\)*)\\x\{([0-9A-Fa-f]+)\}",
                  lambda m: m.group(1) + "\\U%08x" % int(m.group(2), 16), text)
    text = re.sub(r"(?<!\\)((?:\\\\)*)\\Z", r"\1(?=\\n?\\Z)", text)
    text = re.sub(r"(?<!\\)((?:\\\\)*)\\z", r"\1\\Z", text)
    try:
        return regex.compile(text, regex.V1 if "&&" in text else regex.V0)
    except (regex.error, ValueError, OverflowError) as e:
        raise ValueError(f"{_INVALID}{e}: {pattern}") from None


def matches(text: str, pattern: str, start: int = 0):
    """Trino's (Joni's) walk over the matches from ``start``."""
    p, pos = compiled(pattern), start
    while pos <= len(text):
        m = p.search(text, pos)
        if m is None:
            return
        yield m
        pos = m.end() + 1 if m.end() == m.start() else m.end()


def _check_group(p: regex.Pattern, group: int) -> None:
    if group < 0:
        raise ValueError(f"{_INVALID}Group cannot be negative")
    if group > p.groups:
        raise ValueError(f"{_INVALID}Pattern has {p.groups} groups. Cannot access group {group}")


def like(text: str, pattern: str) -> bool:
    return compiled(pattern).search(text) is not None


def extract(text: str, pattern: str, group: int = 0) -> str | None:
    if text is None or pattern is None or group is None:
        return None
    _check_group(compiled(pattern), group)
    m = compiled(pattern).search(text)
    return None if m is None else m.group(group)


def extract_all(text: str, pattern: str, group: int = 0) -> list[str | None]:
    _check_group(compiled(pattern), group)
    return [m.group(group) for m in matches(text, pattern)]


def split(text: str, pattern: str) -> list[str]:
    pieces, last = [], 0
    for m in matches(text, pattern):
        pieces.append(text[last:m.start()])
        last = m.end()
    return [*pieces, text[last:]]


def count(text: str, pattern: str) -> int:
    return sum(1 for _ in matches(text, pattern))


def position(text: str, pattern: str, start: int = 1, occurrence: int = 1) -> int:
    if start < 1:
        raise ValueError(f"{_INVALID}start position cannot be smaller than 1")
    if occurrence < 1:
        raise ValueError(f"{_INVALID}occurrence cannot be smaller than 1")
    if start > len(text):
        return -1
    for n, m in enumerate(matches(text, pattern, start - 1), start=1):
        if n == occurrence:
            return m.start() + 1
    return -1


def groups(text: str, pattern: str) -> list[list[str | None]]:
    """The capture groups (1..n) of every match, for regexp_replace with a lambda."""
    return [list(m.groups()) for m in matches(text, pattern)]


@functools.lru_cache(maxsize=256)
def replacement_parts(pattern: str, replacement: str) -> tuple:
    """Trino's replacement parsed into literal strings and group numbers."""
    p = compiled(pattern)
    parts: list = []
    i, n = 0, len(replacement)
    bad = f"{_INVALID}Illegal replacement sequence: {replacement}"
    while i < n:
        c = replacement[i]
        if c == "\\":
            if i + 1 == n:
                raise ValueError(bad)
            parts.append(replacement[i + 1])
            i += 2
        elif c == "$":
            i += 1
            if i == n:
                raise ValueError(bad)
            if replacement[i] == "{":
                end = replacement.find("}", i)
                name = replacement[i + 1:end if end >= 0 else n]
                if name not in p.groupindex:
                    raise ValueError(f"{_INVALID}Illegal replacement sequence: unknown group {{ {name} }}")
                parts.append(p.groupindex[name])
                i = (end if end >= 0 else n) + 1
            else:
                if not replacement[i].isdigit() or not "0" <= replacement[i] <= "9":
                    raise ValueError(bad)
                group = int(replacement[i])
                if group > p.groups:
                    raise ValueError(f"{_INVALID}Illegal replacement sequence: unknown group {group}")
                i += 1
                while i < n and "0" <= replacement[i] <= "9" and group * 10 + int(replacement[i]) <= p.groups:
                    group = group * 10 + int(replacement[i])
                    i += 1
                parts.append(group)
        else:
            parts.append(c)
            i += 1
    return tuple(parts)


def replace(text: str, pattern: str, replacement: str = "") -> str:
    parts = replacement_parts(pattern, replacement)
    out, last = [], 0
    for m in matches(text, pattern):
        out.append(text[last:m.start()])
        out.extend(part if isinstance(part, str) else (m.group(part) or "") for part in parts)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


# type names: functions.register makes them types on its connection
_T, _B, _I, _L = "VARCHAR", "BIGINT", "INTEGER", "BOOLEAN"
_LIST = "VARCHAR[]"

# name -> (function, argument types, result type); each name once per arity
FUNCTIONS = {
    "trino_regexp_like": (like, [_T, _T], _L),
    "trino_regexp_extract": (extract, [_T, _T, _B], _T),
    "trino_regexp_extract_all": (extract_all, [_T, _T, _B], _LIST),
    "trino_regexp_split": (split, [_T, _T], _LIST),
    "trino_regexp_count": (count, [_T, _T], _B),
    "trino_regexp_position": (position, [_T, _T, _B, _B], _I),
    "trino_regexp_replace": (replace, [_T, _T, _T], _T),
    "trino_regexp_groups": (groups, [_T, _T], "VARCHAR[][]"),
}

# Functions that can give NULL for values (a group that took no part)
MAY_RETURN_NULL = {"trino_regexp_extract"}
