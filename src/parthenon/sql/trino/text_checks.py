"""Trino's refusals of string calls that can be seen in the query itself, shared by the engines.

Each check raises Trino's error (with the call's line and column) or returns None, so an
engine's rewrite can call it first and then write its own SQL:

- ``concat`` takes two to 127 arguments (INVALID_FUNCTION_ARGUMENT / TOO_MANY_ARGUMENTS);
- ``codepoint`` takes a varchar(1): a longer literal is FUNCTION_NOT_FOUND;
- ``LIKE ... ESCAPE``: the escape is one character, followed in the pattern only by
  '%', '_' or itself (checked for literals);
- ``regexp_replace``'s replacement (a literal): ``$n`` names a group the pattern has,
  ``${name}`` a named group, ``\\`` escapes the next character; anything else is
  INVALID_FUNCTION_ARGUMENT (Java's Matcher, which both engines follow, refuses too).
"""
from __future__ import annotations

import re

from sqlglot import exp

from ...errors import FunctionNotFound, InvalidFunctionArgument, check_argument_count
from . import text_types
from .nodes import string_literal
from .positions import position


def check_concat(node: exp.Expression) -> None:
    parts = [node.this, node.expression] if isinstance(node, exp.DPipe) else node.expressions
    if isinstance(node, exp.Concat) and len(parts) < 2:
        raise InvalidFunctionArgument("There must be two or more concatenation arguments",
                                      *position(node))
    check_argument_count("concat", len(parts), *position(node))


def check_codepoint(node: exp.Anonymous) -> None:
    length = text_types.length(node.expressions[0])
    if length is not None and length > 1:
        raise FunctionNotFound(f"Unexpected parameters (varchar({length})) for function codepoint. "
                               "Expected: codepoint(varchar(1))", *position(node))


def check_like_escape(node: exp.Escape) -> None:
    pattern = string_literal(node.this.expression) if isinstance(node.this, exp.Like) else None
    escape = string_literal(node.expression)
    if escape is not None and len(escape) != 1:
        raise InvalidFunctionArgument("Escape string must be a single character", *position(node))
    if pattern is None or escape is None:
        return
    i = 0
    while i < len(pattern):
        if pattern[i] == escape:
            if i + 1 == len(pattern) or pattern[i + 1] not in ("%", "_", escape):
                raise InvalidFunctionArgument(
                    "Escape character must be followed by '%', '_' or the escape character",
                    *position(node))
            i += 1
        i += 1


_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_JAVA_NAMED_GROUP = re.compile(r"(?<!\\)\(\?<(?=[A-Za-z])")


def python_regex(pattern: str) -> str:
    """A Java regex in Python's spelling where they differ in name only (named groups)."""
    return _JAVA_NAMED_GROUP.sub("(?P<", pattern)


def check_replacement(node: exp.Expression, pattern: str | None, replacement: str | None) -> None:
    """A literal replacement Trino refuses for a literal pattern (see the module doc)."""
    if pattern is None or replacement is None:
        return
    try:
        compiled = re.compile(python_regex(pattern))
    except re.error:             # Python cannot read it: the engine's regex says what it is
        return
    groups, names = compiled.groups, set(compiled.groupindex)

    def fail(why: str) -> None:
        raise InvalidFunctionArgument(f"Illegal replacement sequence: {why}", *position(node))
    i = 0
    while i < len(replacement):
        c = replacement[i]
        if c == "\\":
            if i + 1 == len(replacement):
                fail("character to be escaped is missing")
            i += 2
            continue
        if c == "$":
            i += 1
            if i == len(replacement):
                fail("unexpected end of replacement")
            if replacement[i] == "{":
                end = replacement.find("}", i)
                name = replacement[i + 1:end] if end >= 0 else ""
                if end < 0 or not _NAME.fullmatch(name) or name not in names:
                    fail(f"unknown group {{{name}}}")
                i = end + 1
                continue
            if not replacement[i].isdigit() or int(replacement[i]) > groups:
                fail(f"unknown group {replacement[i]}")
            i += 1
            continue
        i += 1


def check_group(node: exp.Expression, pattern: str | None, group: int | None) -> None:
    """A literal group number the literal pattern does not have: INVALID_FUNCTION_ARGUMENT."""
    if pattern is None or group is None:
        return
    try:
        groups = re.compile(python_regex(pattern)).groups
    except re.error:
        return
    if group < 0:
        raise InvalidFunctionArgument("Group cannot be negative", *position(node))
    if group > groups:
        raise InvalidFunctionArgument(f"Pattern has {groups} groups. Cannot access group {group}",
                                      *position(node))


def may_match_empty(pattern: str | None) -> bool:
    """Whether a regex may match the empty string (True when not a literal Python reads)."""
    if pattern is None:
        return True
    try:
        import re._parser as sre     # Python >= 3.11
    except ImportError:               # pragma: no cover
        import sre_parse as sre
    try:
        return sre.parse(python_regex(pattern)).getwidth()[0] == 0
    except Exception:   # noqa: BLE001 - a regex Python cannot read: not proven
        return True
