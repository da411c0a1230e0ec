"""Trino's regular expression functions on Spark, where Spark's own call differs.

Both engines run Java's regex syntax, and Spark's functions walk the matches with Java's
``Matcher.find`` as Trino's Joni does, except after an empty match: Java steps one UTF-16
unit, Trino one code point.  What differs, and is kept or refused here, for a literal
pattern or one from a column alike:

- a group number the pattern lacks, or a negative one, is INVALID_FUNCTION_ARGUMENT, even
  without a match (Spark checks it only on a match: the group is checked against
  ``'|' || pattern``, which matches every text); so is an illegal ``regexp_replace``
  replacement (``sql/trino/text_checks``; from a column, Spark's own refusal);
- an empty match over text with a character beyond U+FFFF is refused as the query runs
  (regexp_replace, regexp_extract_all, regexp_count, regexp_split, regexp_position);
- ``regexp_extract`` is NULL without a match (Spark: '') and group 0 by default (Spark:
  1); ``regexp_extract_all`` defaults to group 0.  A group that did not take part in the
  match is NULL in Trino, '' in Spark: a group that takes part in every match is kept, a
  group that cannot match the empty string is NULL where Spark says ''; any other empty
  group is refused as the query runs;
- ``regexp_split`` and ``regexp_position`` read the pieces between the matches from
  ``regexp_replace(s, p, U+0000)`` split at U+0000 (Java's split drops a leading empty
  match; text holding U+0000 is refused); ``regexp_position`` from a start other than 1
  refuses a pattern that looks behind the start (anchors, ``\\b``, lookbehind);
- ``regexp_replace(s, p, x -> ...)``, for a literal pattern: the lambda gets each match's
  groups (NULL for one that took no part, as above) and is NULL if it is for one match.
"""
from __future__ import annotations

import re

from sqlglot import exp

from ...sql.trino import text_checks
from ...sql.trino.nodes import int_literal, not_supported, string_literal
from .templates import call, spark

FUNCTIONS = frozenset({"regexp_split", "regexp_position"})

# what sees the text before a start position (anchors at the start, \b, lookbehind): a Java
# regex read by Python here and by Java at run time; `[^` is a negated class, not an anchor
_LOOKS_BEHIND = r"\\[bBAG]|(?<!(?<!\\)\[)\^|\(\?<[=!]"

_WIDE = r"[\x{10000}-\x{10FFFF}]"
_WIDE_EMPTY = ("NOT_SUPPORTED: A regular expression matching the empty string in text with characters "
               "beyond U+FFFF is not supported on the Spark engine")
_HOLDS_NUL = "NOT_SUPPORTED: This regular expression function over text holding U+0000 is not supported on the Spark engine"
_EMPTY_GROUP = ("NOT_SUPPORTED: An empty capturing group of a regular expression is not supported on the Spark "
                "engine (Spark cannot tell it from a group that took no part in the match, which is NULL in Trino)")

ALWAYS, NONEMPTY, UNKNOWN = "always", "nonempty", "unknown"


def _text(s: str) -> exp.Literal:
    return exp.Literal.string(s)


def _raise(message: str) -> exp.Expression:
    return call("RAISE_ERROR", _text(message))


def _parsed(pattern: str | None):
    """Python's parse of a (literal) Java regex, or None: Python reads the constructs that
    matter here (groups, alternatives, repetition, lookaround) as Java does."""
    if pattern is None:
        return None
    try:
        import re._parser as sre    # Python >= 3.11
    except ImportError:              # pragma: no cover
        import sre_parse as sre
    try:
        return sre.parse(text_checks.python_regex(pattern))
    except Exception:   # noqa: BLE001 - a regex Python cannot read: not proven
        return None


def group_kinds(pattern: str | None) -> list[str] | None:
    """For each capturing group 1..n of a literal regex: ALWAYS when it takes part in every
    match (not inside an alternative, an optional or starred part, or a lookaround),
    NONEMPTY when it cannot match the empty string (Spark's '' is then a group that took no
    part), else UNKNOWN.  None when Python cannot read the regex."""
    tree = _parsed(pattern)
    if tree is None:
        return None
    kinds = [UNKNOWN] * tree.state.groups
    kinds = kinds[1:] if kinds else kinds

    def walk(items, required: bool) -> None:
        for op, av in items:
            name = str(op)
            if name == "SUBPATTERN":
                gid, _, _, sub = av
                if gid is not None and 1 <= gid <= len(kinds):
                    kinds[gid - 1] = ALWAYS if required else NONEMPTY if sub.getwidth()[0] > 0 else UNKNOWN
                walk(sub, required)
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, _, sub = av
                walk(sub, required and low >= 1)
            elif name == "BRANCH":
                for alternative in av[1]:
                    walk(alternative, False)
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(av[1], False)
            elif name == "ATOMIC_GROUP":
                walk(av, False)
    walk(tree, True)
    return kinds


def always_takes_part(pattern: str | None, group: int | None) -> bool:
    """Whether capturing group `group` of a (literal) regex takes part in every match."""
    if group == 0:
        return True
    kinds = group_kinds(pattern)
    return kinds is not None and group is not None and 1 <= group <= len(kinds) and kinds[group - 1] == ALWAYS


def _may_match_empty(pattern: exp.Expression) -> bool:
    return text_checks.may_match_empty(string_literal(pattern))


def _guard_empty(text: exp.Expression, pattern: exp.Expression, result: exp.Expression) -> exp.Expression:
    """`result`, refused where the pattern matches the empty string in text with a character
    beyond U+FFFF (Java's walk and Trino's then differ)."""
    if not _may_match_empty(pattern):
        return result
    return spark("CASE WHEN _s RLIKE _w AND ARRAY_CONTAINS(REGEXP_EXTRACT_ALL(_s, _p, 0), '') THEN _x ELSE _r END",
                 _s=text, _p=pattern, _w=_text(_WIDE), _x=_raise(_WIDE_EMPTY), _r=result)


def _or_when_empty(pattern: exp.Expression, empty: str, text: exp.Expression,
                   result: exp.Expression) -> exp.Expression:
    """`result`, or for the empty pattern (a match at every code point and at the end, which
    Java's walk would also find between the halves of a character beyond U+FFFF) the
    template `empty` of the text `_s`."""
    literal = string_literal(pattern)
    if literal == "":
        return spark(empty, _s=text)
    if literal is not None:
        return result
    return spark(f"CASE WHEN _p = '' THEN {empty} ELSE _r END", _p=pattern, _s=text, _r=result)


# the characters of a text, each a code point (Java's '.' with DOTALL keeps surrogate pairs whole)
_CHARS = "REGEXP_EXTRACT_ALL(_s, '(?s).', 0)"


def _pieces(text: exp.Expression, pattern: exp.Expression) -> exp.Expression:
    """The pieces of `text` between the matches (Java's walk, a leading empty match too)."""
    if not _may_match_empty(pattern):
        return call("SPLIT", text, pattern, exp.Literal.number(-1))
    return spark("CASE WHEN INSTR(_s, CHR(0)) > 0 THEN _x ELSE SPLIT(REGEXP_REPLACE(_s, _p, CHR(0)), CHR(0), -1) END",
                 _s=text, _p=pattern, _x=_raise(_HOLDS_NUL))


def _kept(value: exp.Expression, kind: str) -> exp.Expression:
    """A group's value as Trino has it (see ``group_kinds``)."""
    if kind == ALWAYS:
        return value
    if kind == NONEMPTY:
        return exp.Nullif(this=value, expression=_text(""))
    return spark("CASE WHEN _v = '' THEN _x ELSE _v END", _v=value, _x=_raise(_EMPTY_GROUP))


def _kept_group(value: exp.Expression, group: exp.Expression, kinds: list[str] | None) -> exp.Expression:
    """`value` of group number `group` (a literal or not) as Trino has it."""
    n = int_literal(group)
    if n is not None:
        return _kept(value, ALWAYS if n == 0 else kinds[n - 1] if kinds and 1 <= n <= len(kinds) else UNKNOWN)
    known = [0] + [i for i, k in enumerate(kinds or [], start=1) if k == ALWAYS]
    nonempty = [i for i, k in enumerate(kinds or [], start=1) if k == NONEMPTY]
    cases = [exp.If(this=exp.In(this=group.copy(), expressions=[exp.Literal.number(i) for i in known]),
                    true=value.copy())]
    if nonempty:
        cases.append(exp.If(this=exp.In(this=group.copy(), expressions=[exp.Literal.number(i) for i in nonempty]),
                            true=_kept(value.copy(), NONEMPTY)))
    return exp.Case(ifs=cases, default=_kept(value.copy(), UNKNOWN))


def _checked_group(node: exp.Expression, text: exp.Expression, pattern: exp.Expression,
                   group: exp.Expression, result: exp.Expression) -> exp.Expression:
    """`result` after Trino's check of the group number: at translation for a literal pattern
    and group, else as the query runs (Spark's own check of ``'|' || pattern``, which
    matches every text; NULL arguments are NULL, unchecked)."""
    literal, n = string_literal(pattern), int_literal(group)
    text_checks.check_group(node, literal, n)
    if n is not None and _parsed(literal) is not None:
        return result
    # never true, but Spark must evaluate it (it drops an IS NULL test of what cannot be NULL)
    return spark("CASE WHEN _s IS NULL THEN NULL WHEN LENGTH(REGEXP_EXTRACT('', CONCAT('|', _p), _g)) > 0 THEN NULL "
                 "ELSE _r END", _s=text, _p=pattern, _g=group, _r=result)


def _regexp_replace(node: exp.RegexpReplace) -> exp.Expression:
    replacement = node.args.get("replacement")
    if isinstance(replacement, exp.Lambda):
        return _replace_with_lambda(node, replacement)
    text_checks.check_replacement(node, string_literal(node.expression), string_literal(replacement))
    return _guard_empty(node.this, node.expression, node.copy())


def _replace_with_lambda(node: exp.RegexpReplace, lam: exp.Lambda) -> exp.Expression:
    """Each match replaced by the lambda of its groups: the pieces between the matches and,
    for each group, its values over the matches (the same walk)."""
    text, pattern = node.this, node.expression
    if isinstance(pattern, exp.Null) or isinstance(text, exp.Null):
        return exp.Cast(this=exp.Null(), to=exp.DataType.build("STRING"))
    kinds = group_kinds(string_literal(pattern))
    if kinds is None or len(lam.expressions) != 1:
        raise not_supported(node, "Function 'regexp_replace' with a lambda is supported on the Spark engine for a "
                                  "constant pattern")
    fields: list[exp.Expression] = [_text("ps"), _pieces(text, pattern)]
    for k in range(1, len(kinds) + 1):
        fields += [_text(f"g{k}"), call("REGEXP_EXTRACT_ALL", text, pattern, exp.Literal.number(k))]
    groups = exp.Cast(this=exp.Array(expressions=[
        _kept(spark(f"ELEMENT_AT(__r.g{k}, __i + 1)"), kind) for k, kind in enumerate(kinds, start=1)]),
        to=exp.DataType.build("ARRAY<STRING>"))
    name = lam.expressions[0].name
    applied = call("ELEMENT_AT", call("TRANSFORM", exp.Array(expressions=[groups]),
                                      exp.Lambda(this=_subscripts(lam.this.copy(), name),
                                                 expressions=[exp.to_identifier(name)])),
                   exp.Literal.number(1))
    result = spark("ELEMENT_AT(TRANSFORM(ARRAY(_f), __r -> AGGREGATE(TRANSFORM(SLICE(__r.ps, 2, SIZE(__r.ps) - 1), "
                   "(__p, __i) -> CONCAT(_y, __p)), ELEMENT_AT(__r.ps, 1), (__a, __x) -> CONCAT(__a, __x))), 1)",
                   _f=call("NAMED_STRUCT", *fields), _y=applied)
    return _guard_empty(text, pattern, result)


def _subscripts(body: exp.Expression, name: str) -> exp.Expression:
    """The lambda's subscripts of its array of groups as Trino's (failing past its end with
    Trino's words): the variable has no type where the body was rewritten."""
    from . import functions     # the subscript rule is the arrays family's (it imports this module)
    for bracket in list(body.find_all(exp.Bracket)):
        base = bracket.this
        if isinstance(base, (exp.Column, exp.Identifier)) and base.name == name:
            base.type = exp.DataType.build("ARRAY<VARCHAR>")
            rewrite = functions.rewrite_for(bracket)
            new = rewrite(bracket) if rewrite is not None else None
            if new is not None and new is not bracket:
                if bracket is body:
                    body = new
                else:
                    bracket.replace(new)
    return body


def _regexp_extract(node: exp.RegexpExtract) -> exp.Expression:
    group = node.args.get("group") or exp.Literal.number(0)
    kinds = group_kinds(string_literal(node.expression))
    extracted = exp.RegexpExtract(this=node.this, expression=node.expression, group=group)
    value = spark("CASE WHEN _s RLIKE _p THEN _e END", _s=node.this, _p=node.expression,
                  _e=_kept_group(extracted, group, kinds))
    return _checked_group(node, node.this, node.expression, group, value)


def _regexp_extract_all(node: exp.RegexpExtractAll) -> exp.Expression:
    group = node.args.get("group") or exp.Literal.number(0)
    kinds = group_kinds(string_literal(node.expression))
    matches = exp.RegexpExtractAll(this=node.this, expression=node.expression, group=group)
    kept = _kept_group(exp.column("__m"), group, kinds)
    if not (isinstance(kept, exp.Column) and kept.name == "__m"):
        matches = call("TRANSFORM", matches, exp.Lambda(this=kept, expressions=[exp.to_identifier("__m")]))
    matches = _or_when_empty(node.expression, "ARRAY_REPEAT('', LENGTH(_s) + 1)", node.this,
                             _guard_empty(node.this, node.expression, matches))
    return _checked_group(node, node.this, node.expression, group, matches)


def _regexp_count(node: exp.RegexpCount) -> exp.Expression:
    counted = _guard_empty(node.this, node.expression, exp.Cast(this=node.copy(), to=exp.DataType.build("BIGINT")))
    return _or_when_empty(node.expression, "CAST(LENGTH(_s) + 1 AS BIGINT)", node.this, counted)


def _regexp_split(node: exp.RegexpSplit) -> exp.Expression:
    pieces = _guard_empty(node.this, node.expression, _pieces(node.this, node.expression))
    return _or_when_empty(node.expression, f"CONCAT(ARRAY(''), {_CHARS}, ARRAY(''))", node.this, pieces)


def _regexp_position(node: exp.Anonymous) -> exp.Expression:
    """The n-th match's code point position from `start` (-1 if none; -1 from a start past
    the text): the lengths of the pieces before it and of the matches before it."""
    args = node.expressions
    if len(args) < 2:
        raise not_supported(node, "Function 'regexp_position' with these arguments is not supported")
    text, pattern = args[0], args[1]
    start = args[2] if len(args) > 2 else exp.Literal.number(1)
    occurrence = args[3] if len(args) > 3 else exp.Literal.number(1)
    literal = string_literal(pattern)
    checks = ("CASE WHEN _i < 1 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: start position cannot be smaller "
              "than 1') WHEN _n < 1 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: occurrence cannot be smaller "
              "than 1') WHEN _i > LENGTH(_s) THEN -1 ")
    if literal == "":       # a match at every position, the end of the text too
        return spark(checks + "WHEN _i + _n - 1 <= LENGTH(_s) + 1 THEN CAST(_i + _n - 1 AS INT) ELSE -1 END",
                     _s=text, _i=start, _n=occurrence)
    if int_literal(start) != 1 and (literal is None or re.search(_LOOKS_BEHIND, literal)):
        if int_literal(start) is not None and literal is not None:
            raise not_supported(node, "Function 'regexp_position' from a start position with a pattern that looks "
                                      "behind it (anchors, \\b, lookbehind) is not supported on the Spark engine")
        checks += "WHEN _i <> 1 AND _p RLIKE _lb THEN _x "
    tail = spark("SUBSTRING(_s, _i)", _s=text, _i=start)
    matches = _guard_empty(exp.column("__t"), pattern, call("REGEXP_EXTRACT_ALL", exp.column("__t"), pattern,
                                                               exp.Literal.number(0)))
    return spark(
        checks + "ELSE ELEMENT_AT(TRANSFORM(ARRAY(_tail), __t -> ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT("
        "'ms', _ms, 'ps', _ps)), __r -> "
        "CASE WHEN SIZE(__r.ms) < _n THEN -1 ELSE CAST(_i + AGGREGATE(SLICE(__r.ps, 1, _n), 0, "
        "(__a, __x) -> __a + LENGTH(__x)) + AGGREGATE(SLICE(__r.ms, 1, _n - 1), 0, (__a, __x) -> __a + LENGTH(__x)) "
        "AS INT) END), 1)), 1) END", _s=text, _p=pattern, _i=start, _n=occurrence, _tail=tail, _ms=matches,
        _ps=_pieces(exp.column("__t"), pattern), _lb=_text(_LOOKS_BEHIND),
        _x=_raise("NOT_SUPPORTED: Function 'regexp_position' from a start position with a pattern that looks "
                  "behind it (anchors, \\b, lookbehind) is not supported on the Spark engine"))


CLASS_REWRITES = {
    exp.RegexpReplace: _regexp_replace,
    exp.RegexpExtract: _regexp_extract,
    exp.RegexpExtractAll: _regexp_extract_all,
    exp.RegexpCount: _regexp_count,
    exp.RegexpSplit: _regexp_split,
}
ANONYMOUS_REWRITES = {"regexp_position": _regexp_position}
