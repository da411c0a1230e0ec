"""Regular expressions.

Trino semantics covered:

- ``regexp_extract`` (group 0 default, NULL on no match
  and for a group that did not take part), ``regexp_replace`` (``$1`` group
  references, ``\\$`` escapes), ``regexp_like`` (contains-match),
  ``regexp_extract_all``, ``regexp_split``, ``regexp_count``,
  ``regexp_position`` (2 arguments).

Knowingly not covered:

- Regular expressions run on RE2, not Java's engine: no look-around, no
  back-references, no possessive quantifiers; named groups in replacements.
"""
from __future__ import annotations

import re
import typing as t

from sqlglot import exp

from .nodes import duck, int_literal, not_supported, string_literal


def _regexp_extract(node: exp.RegexpExtract) -> exp.Expression:
    """NULL when nothing matches (DuckDB gives ''): SQLGlot's null_if_no_match form.
    A group the pattern does not have is Trino's INVALID_FUNCTION_ARGUMENT."""
    missing = _missing_group(node)
    if missing is not None:
        return missing
    node.set("null_if_no_match", True)
    return node


def _missing_group(node: exp.Expression) -> exp.Expression | None:
    group, pattern = int_literal(node.args.get("group")), string_literal(node.expression)
    if group is None or pattern is None:
        return None
    try:
        groups = re.compile(pattern).groups
    except re.error:      # a Java construct Python's engine lacks: leave it to the engine
        return None
    if 0 <= group <= groups:
        return None
    reason = "Group cannot be negative" if group < 0 else \
        f"Pattern has {groups} groups. Cannot access group {group}"
    return duck(f"error('INVALID_FUNCTION_ARGUMENT: {reason}')")


def _java_replacement_to_re2(node: exp.Expression, replacement: str) -> str:
    out = []
    pos = 0
    for m in re.finditer(r"\\(.)|\$(\d)|\$\{(\w+)\}|\$|\\", replacement, re.S):
        out.append(replacement[pos:m.start()].replace("\\", "\\\\"))
        pos = m.end()
        escaped, group, named = m.group(1), m.group(2), m.group(3)
        if escaped is not None:     # \$ or \\ : a literal character
            out.append("\\\\" if escaped == "\\" else escaped)
        elif group is not None:
            out.append("\\" + group)
        elif named is not None:
            raise not_supported(node, "Named group references in regexp_replace are not supported")
        else:
            raise not_supported(node, "Illegal group reference in regexp_replace replacement")
    out.append(replacement[pos:].replace("\\", "\\\\"))
    return "".join(out)


def _regexp_replace(node: exp.RegexpReplace) -> exp.Expression:
    """``$1`` group references become RE2's ``\\1``; a lambda replacement is not supported."""
    replacement = node.args.get("replacement")
    if replacement is None:
        return node
    if isinstance(replacement, exp.Lambda):
        raise not_supported(node, "regexp_replace with a lambda replacement is not supported")
    text = string_literal(replacement)
    if text is None:
        raise not_supported(
            node, "regexp_replace with a non-literal replacement string is not supported")
    node.set("replacement", exp.Literal.string(_java_replacement_to_re2(node, text)))
    return node


def _regexp_position(node: exp.Anonymous) -> exp.Expression:
    args = node.expressions
    if len(args) != 2:
        raise not_supported(node, "regexp_position with a start or occurrence is not supported")
    return duck(
        "CASE WHEN regexp_matches(_s, _p) "
        "THEN length(regexp_extract(_s, '(?s)^(.*?)(?:' || _p || ')', 1)) + 1 "
        "WHEN _s IS NULL OR _p IS NULL THEN NULL ELSE -1 END",
        _s=args[0], _p=args[1])


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.RegexpExtract: _regexp_extract,
    exp.RegexpExtractAll: lambda node: _missing_group(node),
    exp.RegexpReplace: _regexp_replace,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "regexp_position": _regexp_position,
}
