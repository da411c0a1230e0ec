"""Regular expressions, with Java's (Trino's Joni) semantics.

A literal pattern that RE2 runs exactly (translated by ``formats.javaregex``, the
translation RegexSerDe uses: no look-around, back-references, possessive or atomic
constructs) runs on the engine's native regexp functions, which are fast on logs.
Anything else (such constructs, a pattern from a column, an invalid pattern, an
empty match where RE2's global replace and split differ from Java's, a replacement
RE2 cannot spell) calls the engine's ``trino_regexp_*`` functions
(``engine/duckdb/regex_functions``), which run Java's syntax.

Trino semantics covered:

- ``regexp_like`` (contains-match), ``regexp_extract`` / ``regexp_extract_all``
  (group 0 default, NULL on no match and for a group that took no part; a group the
  pattern does not have, or a negative one, is INVALID_FUNCTION_ARGUMENT),
  ``regexp_split``, ``regexp_count`` (an empty pattern matches at every position).
- ``regexp_replace``: ``$n`` (the longest group number the pattern has), ``${name}``,
  ``\\x`` a literal ``x``; an illegal replacement is INVALID_FUNCTION_ARGUMENT;
  ``regexp_replace(s, p, x -> ...)`` calls the lambda with each match's groups (NULL
  if it gives NULL for a match; a subscript past the groups is INVALID_FUNCTION_ARGUMENT).
- ``regexp_position(s, p[, start[, occurrence]])`` (integer; -1 when not found).
"""
from __future__ import annotations

import re
import typing as t

from sqlglot import exp

from ....errors import NotSupported
from ....formats.javaregex import JavaRegex
from .. import regex_functions
from .nodes import duck, fn, int_literal, not_supported, string_literal

# Zero-width constructs: with them a pattern may match empty strings inside the text
_ZERO_WIDTH = re.compile(r"\\[bBAzZG]|[\^$]")


def _re2(pattern: exp.Expression | None, empty_matches: bool = True) -> str | None:
    """RE2's text for a literal Java pattern the engine runs exactly, else None.
    ``empty_matches``: whether the function treats empty matches as Java does in RE2
    too (global replace and split do not)."""
    text = string_literal(pattern)
    if text is None:
        return None
    try:
        compiled = regex_functions.compiled(text)
        translated = JavaRegex(text)
    except (ValueError, NotSupported):
        return None
    if translated.lookaheads:
        return None
    if not empty_matches and (compiled.search("") is not None or _ZERO_WIDTH.search(text)):
        return None
    return translated.body()


def _literal(text: str) -> exp.Expression:
    return exp.Literal.string(text)


def _group(node: exp.Expression) -> exp.Expression:
    return node.args.get("group") or exp.Literal.number(0)


def _regexp_like(node: exp.RegexpLike) -> exp.Expression:
    native = _re2(node.expression)
    if native is not None:
        return fn("regexp_matches", node.this, _literal(native))
    return fn("trino_regexp_like", node.this, node.expression)


def _regexp_extract(node: exp.RegexpExtract | exp.RegexpExtractAll) -> exp.Expression:
    """regexp_extract / regexp_extract_all; the engine's regexp_extract gives NULL when nothing
    matches (not '') in SQLGlot's null_if_no_match form."""
    missing = _missing_group(node)
    if missing is not None:
        return missing
    native = _re2(node.expression)
    group = node.args.get("group")
    name = "trino_regexp_extract" if isinstance(node, exp.RegexpExtract) else "trino_regexp_extract_all"
    if native is None or (group is not None and int_literal(group) is None):
        return fn(name, node.this, node.expression, _group(node))
    node.set("expression", _literal(native))
    if isinstance(node, exp.RegexpExtract):
        node.set("null_if_no_match", True)
    return node


def _missing_group(node: exp.Expression) -> exp.Expression | None:
    """A literal group the literal pattern does not have: Trino's INVALID_FUNCTION_ARGUMENT."""
    group, pattern = int_literal(node.args.get("group")), string_literal(node.expression)
    if group is None or pattern is None:
        return None
    try:
        groups = regex_functions.compiled(pattern).groups
    except ValueError:      # an invalid pattern: the engine function says so
        return None
    if 0 <= group <= groups:
        return None
    reason = "Group cannot be negative" if group < 0 else \
        f"Pattern has {groups} groups. Cannot access group {group}"
    return duck(f"error('INVALID_FUNCTION_ARGUMENT: {reason}')")


def _regexp_split(node: exp.RegexpSplit) -> exp.Expression:
    native = _re2(node.expression, empty_matches=False)
    if native is not None:
        return fn("regexp_split_to_array", node.this, _literal(native))
    return fn("trino_regexp_split", node.this, node.expression)


def _regexp_count(node: exp.RegexpCount) -> exp.Expression:
    native = _re2(node.expression)
    if native is not None:
        return exp.Cast(this=fn("len", fn("regexp_extract_all", node.this, _literal(native))),
                        to=exp.DataType.build("BIGINT"))
    return fn("trino_regexp_count", node.this, node.expression)


def _re2_replacement(pattern: str, replacement: str) -> str | None:
    """The replacement in RE2's spelling (``\\1``), None when RE2 cannot spell it."""
    try:
        parts = regex_functions.replacement_parts(pattern, replacement)
    except ValueError:
        return None
    if any(isinstance(p, int) and p > 9 for p in parts):
        return None
    return "".join(f"\\{p}" if isinstance(p, int) else p.replace("\\", "\\\\") for p in parts)


def _regexp_replace(node: exp.RegexpReplace) -> exp.Expression:
    replacement = node.args.get("replacement") or _literal("")
    if isinstance(replacement, exp.Lambda):
        return _replace_with_lambda(node, replacement)
    native, text = _re2(node.expression, empty_matches=False), string_literal(replacement)
    re2 = None if native is None or text is None else \
        _re2_replacement(string_literal(node.expression), text)
    if re2 is None:
        return fn("trino_regexp_replace", node.this, node.expression, replacement)
    return fn("regexp_replace", node.this, _literal(native), _literal(re2), _literal("g"))


def _replace_with_lambda(node: exp.RegexpReplace, function: exp.Lambda) -> exp.Expression:
    """The pieces between matches (regexp_split) joined by the lambda's value for each
    match's groups; NULL if the lambda gives NULL for one."""
    param = function.expressions[0].name
    for bracket in list(function.this.find_all(exp.Bracket)):
        base = bracket.this
        if not isinstance(base, (exp.Column, exp.Identifier)) or base.name != param:
            continue
        # SQLGlot keeps the index 0-based: x[2] holds 1
        index = int_literal(bracket.expressions[0]) if len(bracket.expressions) == 1 else None
        if index is None:
            raise not_supported(node, "regexp_replace with a lambda subscripting its groups other "
                                      "than by a constant is not supported")
        bracket.replace(duck(
            "CASE WHEN _i BETWEEN 1 AND len(_x) THEN _x[_i] ELSE error('INVALID_FUNCTION_ARGUMENT: "
            "Array subscript must be less than or equal to array length') END",
            _x=exp.column(param), _i=exp.Literal.number(index + 1)))
    return duck(
        "list_transform([list_transform(trino_regexp_groups(_s, _p), _f)], lambda rs: "
        "list_transform([trino_regexp_split(_s, _p)], lambda gs: "
        "CASE WHEN list_bool_or(list_transform(rs, lambda r: r IS NULL)) THEN NULL "
        "ELSE gs[1] || array_to_string(list_transform(range(1, len(rs) + 1), "
        "lambda i: rs[i] || gs[i + 1]), '') END)[1])[1]",
        _s=node.this, _p=node.expression, _f=function)


def _regexp_position(node: exp.Expression) -> exp.Expression:
    args = node.expressions if isinstance(node, exp.Anonymous) else \
        [node.this, node.expression, *(node.args.get(k) for k in ("position", "occurrence")
                                       if node.args.get(k) is not None)]
    native = _re2(args[1]) if len(args) == 2 else None
    if native is None:
        start, occurrence = (args[2:] + [exp.Literal.number(1)] * 2)[:2]
        return fn("trino_regexp_position", args[0], args[1], start, occurrence)
    return duck(
        "CAST(CASE WHEN regexp_matches(_s, _p) "
        "THEN length(regexp_extract(_s, '(?s)^(.*?)(?:' || _p || ')', 1)) + 1 "
        "WHEN _s IS NULL THEN NULL ELSE -1 END AS INTEGER)",
        _s=args[0], _p=_literal(native))


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.RegexpLike: _regexp_like,
    exp.RegexpExtract: _regexp_extract,
    exp.RegexpExtractAll: _regexp_extract,
    exp.RegexpReplace: _regexp_replace,
    exp.RegexpSplit: _regexp_split,
    exp.RegexpCount: _regexp_count,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "regexp_position": _regexp_position,
}
