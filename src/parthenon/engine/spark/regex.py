"""Trino's regular expression functions on Spark, where Spark's own call differs.

Both engines run Java's regex syntax.  What differs, and is kept or refused here:

- a group number the pattern lacks, or a negative one, is INVALID_FUNCTION_ARGUMENT; so
  is an illegal ``regexp_replace`` replacement (``sql/trino/text_checks``);
- after an empty match Java's Matcher steps one UTF-16 unit, Trino one code point: a
  pattern that may match the empty string over text with a character beyond U+FFFF is
  refused as the query runs (regexp_replace, regexp_extract_all, regexp_count);
- ``regexp_split`` is Java's split keeping trailing empty strings, for a literal pattern
  that cannot match the empty string (Java drops a leading empty match, Trino keeps it:
  such patterns are refused);
- ``regexp_extract`` is NULL without a match (Spark: '') and group 0 by default
  (Spark: 1); ``regexp_extract_all`` defaults to group 0; a group that may not take
  part in a match is refused (it is '' in Spark, NULL in Trino: ``always_takes_part``);
- ``regexp_position(s, p[, start[, occurrence]])`` for a literal pattern that cannot
  match the empty string (and, from a start other than 1, does not look behind it);
- ``regexp_replace(s, p, lambda)`` is refused (Spark has no per-match function).
"""
from __future__ import annotations

import re

from sqlglot import exp

from ...sql.trino import text_checks
from ...sql.trino.nodes import int_literal, not_supported, string_literal
from .templates import call, spark

FUNCTIONS = frozenset({"regexp_split", "regexp_position"})

# what sees the text before a start position: refused with a start other than 1
_LOOKS_BEHIND = re.compile(r"\\[bBAzZG]|[\^$]|\(\?<[=!]")

_WIDE = r"[\\x{10000}-\\x{10FFFF}]"


def _guard_empty(text: exp.Expression, pattern: exp.Expression, result: exp.Expression) -> exp.Expression:
    if not text_checks.may_match_empty(string_literal(pattern)):
        return result
    return spark(f"CASE WHEN _s RLIKE '{_WIDE}' THEN RAISE_ERROR('NOT_SUPPORTED: A regular expression that "
                 "may match the empty string over text with characters beyond U+FFFF is not supported on "
                 "the Spark engine') ELSE _r END", _s=text, _r=result)


def always_takes_part(pattern: str | None, group: int | None) -> bool:
    """Whether capturing group `group` of a (literal) regex takes part in every match: not
    inside an alternative, an optional or starred part, or a lookaround.  Spark extracts ''
    for a group that did not take part, Trino NULL; for such groups both agree."""
    if group == 0:
        return True
    if pattern is None or group is None:
        return False
    try:
        import re._parser as sre    # Python's parse of the regex: Java's for these constructs
    except ImportError:              # pragma: no cover - Python < 3.11
        import sre_parse as sre
    try:
        tree = sre.parse(pattern)
    except Exception:   # noqa: BLE001 - a regex Python cannot read: not proven
        return False

    def search(items, required: bool) -> bool | None:
        for op, av in items:
            name = str(op)
            if name == "SUBPATTERN":
                gid, _, _, sub = av
                if gid == group:
                    return required
                found = search(sub, required)
                if found is not None:
                    return found
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, _, sub = av
                found = search(sub, required and low >= 1)
                if found is not None:
                    return found
            elif name == "BRANCH":
                for alternative in av[1]:
                    found = search(alternative, False)
                    if found is not None:
                        return found
            elif name in ("ASSERT", "ASSERT_NOT", "ATOMIC_GROUP"):
                sub = av[1] if name.startswith("ASSERT") else av
                found = search(sub, False)
                if found is not None:
                    return found
        return None
    return bool(search(tree, True))


def _regexp_replace(node: exp.RegexpReplace) -> exp.Expression:
    replacement = node.args.get("replacement")
    if isinstance(replacement, exp.Lambda):
        raise not_supported(node, "Function 'regexp_replace' with a lambda is not supported on the Spark engine")
    text_checks.check_replacement(node, string_literal(node.expression), string_literal(replacement))
    return _guard_empty(node.this, node.expression, node.copy())


def _group(node: exp.Expression) -> exp.Expression:
    group = node.args.get("group") or exp.Literal.number(0)
    text_checks.check_group(node, string_literal(node.expression), int_literal(group))
    return group


def _regexp_extract(node: exp.RegexpExtract) -> exp.Expression:
    group = _group(node)
    extracted = exp.RegexpExtract(this=node.this, expression=node.expression, group=group)
    if not always_takes_part(string_literal(node.expression), int_literal(group)):
        raise not_supported(node, "Function 'regexp_extract' with a capturing group that may not take part in "
                                  "the match is not supported on the Spark engine (it is '' there, NULL in "
                                  "Trino)")
    return spark("CASE WHEN _s RLIKE _p THEN _e END", _s=node.this, _p=node.expression, _e=extracted)


def _regexp_extract_all(node: exp.RegexpExtractAll) -> exp.Expression:
    group = _group(node)
    if not always_takes_part(string_literal(node.expression), int_literal(group)):
        raise not_supported(node, "Function 'regexp_extract_all' with a capturing group is not supported on "
                                  "the Spark engine (a group that does not take part in the match is '' "
                                  "there, NULL in Trino)")
    return _guard_empty(node.this, node.expression,
                        exp.RegexpExtractAll(this=node.this, expression=node.expression, group=group))


def _regexp_count(node: exp.RegexpCount) -> exp.Expression:
    return _guard_empty(node.this, node.expression, exp.Cast(this=node.copy(), to=exp.DataType.build("BIGINT")))


def _regexp_split(node: exp.RegexpSplit) -> exp.Expression:
    if text_checks.may_match_empty(string_literal(node.expression)):
        raise not_supported(node, "Function 'regexp_split' with a pattern that may match the empty string is "
                                  "not supported on the Spark engine (Java's split drops a leading empty match)")
    return call("SPLIT", node.this, node.expression, exp.Literal.number(-1))


def _regexp_position(node: exp.Anonymous) -> exp.Expression:
    """The n-th match's code point position from `start` (-1 if none): the lengths of the
    pieces split off before it and of the matches before it (split and find walk the same
    matches for a pattern that cannot match the empty string)."""
    args = node.expressions
    if len(args) < 2:
        raise not_supported(node, "Function 'regexp_position' with these arguments is not supported")
    text, pattern = args[0], args[1]
    start = args[2] if len(args) > 2 else exp.Literal.number(1)
    occurrence = args[3] if len(args) > 3 else exp.Literal.number(1)
    literal = string_literal(pattern)
    checks = ("CASE WHEN _i < 1 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: start position cannot be smaller "
              "than 1') WHEN _n < 1 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: occurrence cannot be smaller "
              "than 1') ")
    if literal == "":       # a match at every position, the end of the text too
        return spark(checks + "WHEN _i + _n - 1 <= LENGTH(_s) + 1 THEN CAST(_i + _n - 1 AS INT) ELSE -1 END",
                     _s=text, _i=start, _n=occurrence)
    if text_checks.may_match_empty(literal):
        raise not_supported(node, "Function 'regexp_position' with a pattern that may match the empty string "
                                  "is not supported on the Spark engine")
    if int_literal(start) != 1 and _LOOKS_BEHIND.search(literal):
        raise not_supported(node, "Function 'regexp_position' from a start position with a pattern that looks "
                                  "behind it (anchors, \\b, lookbehind) is not supported on the Spark engine")
    return spark(
        checks + "ELSE ELEMENT_AT(TRANSFORM(ARRAY(SUBSTRING(_s, _i)), __t -> ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT("
        "'ms', REGEXP_EXTRACT_ALL(__t, _p, 0), 'ps', SPLIT(__t, _p, -1))), __r -> "
        "CASE WHEN SIZE(__r.ms) < _n THEN -1 ELSE CAST(_i + AGGREGATE(SLICE(__r.ps, 1, _n), 0, "
        "(__a, __x) -> __a + LENGTH(__x)) + AGGREGATE(SLICE(__r.ms, 1, _n - 1), 0, (__a, __x) -> __a + LENGTH(__x)) "
        "AS INT) END), 1)), 1) END", _s=text, _p=pattern, _i=start, _n=occurrence)


CLASS_REWRITES = {
    exp.RegexpReplace: _regexp_replace,
    exp.RegexpExtract: _regexp_extract,
    exp.RegexpExtractAll: _regexp_extract_all,
    exp.RegexpCount: _regexp_count,
    exp.RegexpSplit: _regexp_split,
}
ANONYMOUS_REWRITES = {"regexp_position": _regexp_position}
