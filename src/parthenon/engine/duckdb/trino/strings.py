"""String functions (their result types: ``sql/trino/text_types``).

Trino semantics covered:

- ``substr`` (1-based; start 0 or before the string gives ''), ``split_part`` (NULL
  past the last field; an index below 1 is INVALID_FUNCTION_ARGUMENT), ``split``
  (with a limit; an empty delimiter or a limit outside 1..2^31-1 is an error);
  ``split_to_map`` / ``split_to_multimap`` are in ``arrays`` (maps).
- ``strpos`` (with an instance: the n-th occurrence, from the end when negative; 0 is
  an error), ``replace`` (an empty search string inserts between characters, as
  Java's String.replace), ``concat`` / ``||`` (NULL if any argument is NULL; two to
  127 arguments; a char argument among varchars loses its padding), ``chr`` (a
  valid code point), ``codepoint`` (of a varchar(1): FUNCTION_NOT_FOUND for a longer
  literal; integer), ``hamming_distance`` (equal lengths), ``levenshtein_distance``
  (inputs too large beyond a million cells), ``lpad`` / ``rpad`` (a target length
  in 0..2^31-1 and a non-empty padding), ``ltrim`` / ``rtrim`` / ``trim`` (of Java's
  white space, U+2028 too), ``normalize`` (NFC, NFD, NFKC, NFKD), ``from_utf8``
  (invalid UTF-8 replaced: U+FFFD, a given character or code point), ``luhn_check``,
  ``word_stem`` (Snowball stemmers; an unknown language is INVALID_FUNCTION_ARGUMENT),
  ``LIKE ... ESCAPE`` (a one-character escape followed by '%', '_' or itself).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino import text_checks, text_types
from .nodes import duck, fn, int_literal, not_supported, string_literal

# Java's Character.isWhitespace, which Trino's trim functions remove
_WHITESPACE = "".join(map(chr, [*range(9, 14), *range(28, 33), 0x1680, *range(0x2000, 0x2007),
                                *range(0x2008, 0x200B), 0x2028, 0x2029, 0x205F, 0x3000]))
_MAX_INT = 2147483647


def _error(message: str) -> str:
    return f"error('INVALID_FUNCTION_ARGUMENT: {message}')"


def _binary(node: exp.Expression | None) -> bool:
    return text_types.is_binary(node)


def _substring(node: exp.Substring) -> exp.Expression | None:
    """Trino: start 0, or a negative start before the string's beginning, gives ''."""
    if _binary(node.this):
        return None
    start = node.args.get("start")
    length = node.args.get("length")
    value = int_literal(start)
    if value is not None and value > 0:
        return None
    if value == 0:
        return duck("CASE WHEN _s IS NULL THEN NULL ELSE '' END", _s=node.this)
    guard = "CASE WHEN _i = 0 OR -_i > length(_s) THEN '' ELSE substring(_s, _i{}) END"
    if length is not None:
        return duck(guard.format(", _n"), _s=node.this, _i=start, _n=length)
    return duck(guard.format(""), _s=node.this, _i=start)


def _split_part(node: exp.SplitPart) -> exp.Expression:
    """NULL past the last field (DuckDB gives ''); an empty delimiter splits characters."""
    args = node.args
    return duck(f"CASE WHEN _i < 1 THEN {_error('Index must be greater than zero')} "
                "ELSE string_split(_s, _d)[_i] END",
                _s=node.this, _d=args.get("delimiter"), _i=args.get("part_index"))


def _split(node: exp.Split) -> exp.Expression:
    # the rest past the limit joined by list_reduce: array_to_string wants a constant delimiter
    limit = node.args.get("limit")
    checks = f"CASE WHEN _d = '' THEN {_error('The delimiter may not be the empty string')} "
    if limit is None:
        return duck(checks + "ELSE string_split(_s, _d) END", _s=node.this, _d=node.expression)
    return duck(
        checks + f"WHEN _n < 1 THEN {_error('Limit must be positive')} "
        f"WHEN _n > {_MAX_INT} THEN {_error('Limit is too large')} ELSE "
        "list_transform([string_split(_s, _d)], lambda p: CASE WHEN len(p) <= _n THEN p "
        "ELSE list_append(p[1:_n - 1], list_reduce(p[_n:], lambda x, y: x || _d || y)) END)[1] END",
        _s=node.this, _d=node.expression, _n=limit)


def _strpos(node: exp.StrPosition) -> exp.Expression | None:
    instance = node.args.get("occurrence")
    if instance is None:
        return None
    return fn("trino_strpos", node.this, node.args.get("substr"), instance)


def _replace(node: exp.Replace) -> exp.Expression | None:
    """Java's String.replace: an empty search string inserts the replacement around
    every character."""
    search = node.expression
    if string_literal(search):      # a non-empty literal: the engine's replace
        return None
    replacement = node.args.get("replacement") or exp.Literal.string("")
    return duck("CASE WHEN _f = '' THEN _r || array_to_string(list_transform(string_split(_s, ''), "
                "lambda c: c || _r), '') ELSE replace(_s, _f, _r) END",
                _s=node.this, _f=search, _r=replacement)


def _concat(node: exp.Expression) -> exp.Expression | None:
    text_checks.check_concat(node)
    parts = [node.this, node.expression] if isinstance(node, exp.DPipe) else node.expressions
    is_char = [p.type is not None and p.type.this == exp.DType.CHAR for p in parts]
    if not any(is_char) or all(is_char):
        return None
    for part, char in zip(parts, is_char):      # char -> varchar drops the padding
        if char:
            part.replace(fn("rtrim", part.copy(), exp.Literal.string(" ")))
    return node


def _chr(node: exp.Chr) -> exp.Expression:
    x = node.expressions[0] if node.expressions else node.this
    return duck(f"CASE WHEN _x < 0 OR _x > 1114111 THEN "
                "error('INVALID_FUNCTION_ARGUMENT: Not a valid Unicode code point: ' || _x) "
                "ELSE chr(CAST(_x AS INTEGER)) END", _x=x)


def _codepoint(node: exp.Anonymous) -> exp.Expression:
    text_checks.check_codepoint(node)
    x = node.expressions[0]
    return duck("CASE WHEN length(_x) <> 1 THEN error('INVALID_FUNCTION_ARGUMENT: "
                "Input string must be a single character string') ELSE CAST(unicode(_x) AS INTEGER) END",
                _x=x)


def _hamming(node: exp.Anonymous) -> exp.Expression:
    a, b = node.expressions
    return duck("CASE WHEN length(_a) <> length(_b) THEN error('INVALID_FUNCTION_ARGUMENT: "
                "The input strings to hamming_distance function must have the same length') "
                "WHEN length(_a) = 0 THEN CAST(0 AS BIGINT) ELSE CAST(hamming(_a, _b) AS BIGINT) END",
                _a=a, _b=b)


def _levenshtein(node: exp.Levenshtein) -> exp.Expression:
    return duck("CASE WHEN length(_a) * length(_b) > 1000000 THEN error('INVALID_FUNCTION_ARGUMENT: "
                "The combined inputs for Levenshtein distance are too large') "
                "ELSE CAST(levenshtein(_a, _b) AS BIGINT) END", _a=node.this, _b=node.expression)


def _pad(node: exp.Pad) -> exp.Expression | None:
    name = "lpad" if node.args.get("is_left") else "rpad"
    filler = node.args.get("fill_pattern") or exp.Literal.string(" ")
    if _binary(node.this):
        return None         # binary.py
    return duck(f"CASE WHEN _n < 0 OR _n > {_MAX_INT} THEN "
                f"{_error(f'Target length must be in the range [0..{_MAX_INT}]')} "
                f"WHEN _p = '' THEN {_error('Padding string must not be empty')} "
                f"ELSE {name}(_s, CAST(_n AS INTEGER), _p) END", _s=node.this, _n=node.expression, _p=filler)


def _trim(node: exp.Trim) -> exp.Expression | None:
    """Without characters to remove, Trino removes Java's white space."""
    if node.expression is not None or _binary(node.this) or \
            (node.this.type is not None and node.this.type.this == exp.DType.CHAR):
        return None
    node.set("expression", exp.Literal.string(_WHITESPACE))
    return node


def _normalize(node: exp.Normalize) -> exp.Expression:
    form = node.args.get("form")
    name = form.name.upper() if isinstance(form, exp.Expression) else "NFC"
    if name not in ("NFC", "NFD", "NFKC", "NFKD"):
        raise not_supported(node, f"normalize with form {name} is not supported")
    if name == "NFC":
        return fn("nfc_normalize", node.this)
    return fn("trino_normalize", node.this, exp.Literal.string(name))


def _from_utf8(node: exp.Decode) -> exp.Expression:
    replacement = node.args.get("replace")
    if replacement is None:
        return fn("trino_from_utf8", node.this)
    numeric = replacement.type is not None and replacement.type.this in (
        exp.DType.INT, exp.DType.BIGINT, exp.DType.SMALLINT, exp.DType.TINYINT)
    return fn("trino_from_utf8_with_code" if numeric else "trino_from_utf8_with", node.this, replacement)


def _like_escape(node: exp.Escape) -> None:
    text_checks.check_like_escape(node)


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Normalize: _normalize,
    exp.Substring: _substring,
    exp.SplitPart: _split_part,
    exp.Split: _split,
    exp.StrPosition: _strpos,
    exp.Replace: _replace,
    exp.Concat: _concat,
    exp.DPipe: _concat,
    exp.Chr: _chr,
    exp.Levenshtein: _levenshtein,
    exp.Pad: _pad,
    exp.Trim: _trim,
    exp.Decode: _from_utf8,
    exp.Escape: _like_escape,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "codepoint": _codepoint,
    "hamming_distance": _hamming,
    "luhn_check": lambda node: fn("trino_luhn_check", *node.expressions),
    "word_stem": lambda node: fn("trino_word_stem" if len(node.expressions) == 1 else "trino_word_stem_in",
                                 *node.expressions),
}
