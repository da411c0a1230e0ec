"""Trino's string functions on Spark, where Spark's own answer differs or Spark has none.

Trino semantics kept (the calls Trino refuses on sight: ``sql/trino/text_checks``):

- ``substr`` with start 0, or a negative start before the string, is '' (Spark
  starts at 1); for varbinary too.
- ``replace`` with an empty search text inserts the replacement around every
  character (Java's String.replace; Spark leaves the text).
- ``split`` with a limit below 1 or above 2^31-1 fails; ``split_part`` with an empty
  delimiter splits characters (NULL past the last one).
- ``lpad``/``rpad``: a negative target length or an empty padding fails (Spark: '').
- ``levenshtein_distance`` fails past a million cells; ``hamming_distance``,
  ``chr``, ``codepoint``, ``strpos(s, t, n)`` (the n-th, overlapping, occurrence;
  from the end when negative), ``luhn_check`` (digits only), ``split_to_map`` and
  ``split_to_multimap`` (literal delimiters, each entry with exactly one key-value
  delimiter, a trailing entry delimiter ignored) as Spark SQL.
- ``from_utf8``: invalid UTF-8 repaired by Trino's rule (``sql/trino/utf8_repair``, a
  Python UDF; refused inside a lambda); a replacement of more than one character, or an
  invalid code point, fails.
- ``LIKE`` has no escape character unless ESCAPE names one (Spark's default is '\\').
- ``normalize(s[, form])`` by ICU4J's Normalizer, which Spark ships (Trino's is Java's):
  normalization of assigned characters is stable across Unicode versions, so text with a
  character unassigned in Spark's Java (which Trino's may leave alone) is refused.
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import InvalidFunctionArgument
from ...sql.trino import text_checks
from ...sql.trino.nodes import INTEGERS, is_type, not_supported, string_literal
from . import chars
from .templates import call, spark

FUNCTIONS = frozenset("chr codepoint hamming_distance luhn_check split_to_map split_to_multimap soundex from_utf8 "
                      "normalize".split())

_MAX_INT = 2147483647
# the characters of a string, each a code point (Java's '.' with DOTALL keeps surrogate pairs whole)
_CHARS = "REGEXP_EXTRACT_ALL(_s, '(?s).', 0)"


def _fail(message: str) -> str:
    return f"RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: {message}')"


def _quoted(text: exp.Expression) -> exp.Expression:
    """A regex matching `text` literally."""
    return spark(r"CONCAT('\\Q', REPLACE(_d, '\\E', '\\E\\\\E\\Q'), '\\E')", _d=text)


def _concat(node: exp.Expression) -> exp.Expression | None:
    """A char argument among varchars loses its padding (all chars: the padded values)."""
    text_checks.check_concat(node)
    parts = [node.this, node.expression] if isinstance(node, exp.DPipe) else node.expressions
    is_char = [chars.is_char(p) for p in parts]
    if not any(is_char) or all(is_char):
        return None
    for part, char in zip(parts, is_char):
        if char:
            part.replace(call("RTRIM", part.copy()))
    return node


def _substring(node: exp.Substring) -> exp.Expression | None:
    start, length = node.args.get("start"), node.args.get("length")
    if start is None:
        return None
    empty = "SUBSTRING(_s, 1, 0)"       # '' of the string's own type (varchar or varbinary)
    if length is None:
        return spark(f"CASE WHEN _i = 0 OR -_i > LENGTH(_s) THEN {empty} ELSE SUBSTRING(_s, _i) END",
                     _s=node.this, _i=start)
    return spark(f"CASE WHEN _n IS NULL THEN NULL WHEN _i = 0 OR -_i > LENGTH(_s) THEN {empty} "
                 "ELSE SUBSTRING(_s, _i, _n) END", _s=node.this, _i=start, _n=length)


def _replace(node: exp.Replace) -> exp.Expression | None:
    search = node.expression
    if string_literal(search):        # a non-empty literal: Spark's replace is Trino's
        return None
    replacement = node.args.get("replacement") or exp.Literal.string("")
    chars = _CHARS.replace("_s", "_t")
    return spark(f"CASE WHEN _f = '' THEN CONCAT(_r, ARRAY_JOIN(TRANSFORM({chars}, c -> CONCAT(c, _r)), '')) "
                 "ELSE REPLACE(_t, _f, _r) END", _t=node.this, _f=search, _r=replacement)


def _split(node: exp.Split) -> exp.Expression:
    if string_literal(node.expression) == "":
        raise InvalidFunctionArgument("The delimiter may not be the empty string")
    limit = node.args.get("limit")
    if limit is None and string_literal(node.expression) is not None:
        return call("SPLIT", node.this, _quoted(node.expression), exp.Literal.number(-1))
    if limit is None:
        limit = exp.Literal.number(_MAX_INT)
    # a delimiter given at run time may be '' (Spark would split into characters)
    return spark(f"CASE WHEN _d = '' THEN {_fail('The delimiter may not be the empty string')} "
                 f"WHEN _n < 1 THEN {_fail('Limit must be positive')} "
                 f"WHEN _n > {_MAX_INT} THEN {_fail('Limit is too large')} "
                 f"ELSE SPLIT(_s, _q, CAST(LEAST(_n, {_MAX_INT}) AS INT)) END",
                 _s=node.this, _d=node.expression, _q=_quoted(node.expression), _n=limit)


def _split_part(node: exp.SplitPart) -> exp.Expression:
    index, delimiter = node.args.get("part_index"), node.args.get("delimiter")
    parts = spark(f"CASE WHEN _d = '' THEN {_CHARS} ELSE SPLIT(_s, _q, -1) END",
                  _s=node.this, _d=delimiter, _q=_quoted(delimiter))
    return spark(f"CASE WHEN _i <= 0 THEN {_fail('Index must be greater than zero')} "
                 "ELSE TRY_ELEMENT_AT(_p, _i) END", _i=index, _p=parts)


def _pad(node: exp.Pad) -> exp.Expression:
    name = "LPAD" if node.args.get("is_left") else "RPAD"
    filler = node.args.get("fill_pattern") or exp.Literal.string(" ")
    return spark(f"CASE WHEN _n < 0 OR _n > {_MAX_INT} THEN "
                 f"{_fail(f'Target length must be in the range [0..{_MAX_INT}]')} "
                 f"WHEN LENGTH(_p) = 0 THEN {_fail('Padding string must not be empty')} "
                 f"ELSE {name}(_s, CAST(_n AS INT), _p) END", _s=node.this, _n=node.expression, _p=filler)


def _levenshtein(node: exp.Levenshtein) -> exp.Expression:
    return spark("CASE WHEN LENGTH(_a) * LENGTH(_b) > 1000000 THEN "
                 f"{_fail('The combined inputs for Levenshtein distance are too large')} "
                 "ELSE CAST(LEVENSHTEIN(_a, _b) AS BIGINT) END", _a=node.this, _b=node.expression)


def _hamming(node: exp.Anonymous) -> exp.Expression:
    a, b = node.expressions
    return spark("CASE WHEN _a IS NULL OR _b IS NULL THEN NULL WHEN LENGTH(_a) <> LENGTH(_b) THEN "
                 f"{_fail('The input strings to hamming_distance function must have the same length')} "
                 "WHEN LENGTH(_a) = 0 THEN CAST(0 AS BIGINT) ELSE CAST(SIZE(FILTER(SEQUENCE(1, LENGTH(_a)), "
                 "i -> SUBSTRING(_a, i, 1) <> SUBSTRING(_b, i, 1))) AS BIGINT) END", _a=a, _b=b)


def _chr(node: exp.Chr) -> exp.Expression:
    x = node.expressions[0] if node.expressions else node.this
    return spark("CASE WHEN _x < 0 OR _x > 1114111 THEN RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: "
                 "Not a valid Unicode code point: ', _x)) WHEN _x BETWEEN 55296 AND 57343 THEN "
                 "RAISE_ERROR('NOT_SUPPORTED: chr of a surrogate code point is not supported on the Spark "
                 "engine') ELSE DECODE(UNHEX(LPAD(HEX(_x), 8, '0')), 'UTF-32') END", _x=x)


def _codepoint(node: exp.Anonymous) -> exp.Expression:
    text_checks.check_codepoint(node)
    return spark("CASE WHEN LENGTH(_x) <> 1 THEN "
                 f"{_fail('Input string must be a single character string')} "
                 "ELSE CAST(CONV(HEX(ENCODE(_x, 'UTF-32')), 16, 10) AS INT) END", _x=node.expressions[0])


def _strpos(node: exp.StrPosition) -> exp.Expression | None:
    instance = node.args.get("occurrence")
    if instance is None:
        return None
    return spark(f"CASE WHEN _n = 0 THEN {_fail('instance must be a positive or negative number')} "
                 "ELSE CAST(COALESCE(TRY_ELEMENT_AT(FILTER(SEQUENCE(1, GREATEST(LENGTH(_s) - LENGTH(_t) + 1, 1)), "
                 "i -> SUBSTRING(_s, i, LENGTH(_t)) = _t), _n), 0) AS BIGINT) END",
                 _s=node.this, _t=node.args.get("substr"), _n=instance)


def _luhn_check(node: exp.Anonymous) -> exp.Expression:
    return spark(f"CASE WHEN _s RLIKE '[^0-9]' THEN {_fail('Input contains non-digit characters')} "
                 "WHEN _s = '' THEN FALSE ELSE LUHN_CHECK(_s) END", _s=node.expressions[0])


def _let(value: exp.Expression, name: str, body: str, **args: exp.Expression) -> exp.Expression:
    """`body` with lambda variable `name` bound to `value` (computed once, not repeated)."""
    return spark(f"ELEMENT_AT(TRANSFORM(ARRAY(_v), {name} -> {body}), 1)", _v=value, **args)


def _soundex(node: exp.Soundex) -> exp.Expression:
    """Trino's (Apache Commons Codec's) American Soundex: the letters only; a letter outside
    A-Z fails; one that upper-cases to A-Z (ı, ſ, ß, ligatures) is refused."""
    letters = spark(r"REGEXP_REPLACE(_s, '[^\\p{L}]', '')", _s=node.this)
    return _let(letters, "__l",
                "CASE WHEN __l RLIKE '[ıſß\uFB00-\uFB06]' THEN RAISE_ERROR('NOT_SUPPORTED: soundex of "
                "this letter is not supported on the Spark engine') WHEN __l RLIKE '[^A-Za-z]' THEN "
                f"{_fail('The character is not mapped')} WHEN __l = '' THEN '' ELSE SOUNDEX(__l) END")


def _entries(s: exp.Expression, entry: exp.Expression, key: exp.Expression) -> exp.Expression:
    """The (key, value) structs of split_to_map's text: Trino ignores one trailing entry
    delimiter and needs exactly one key-value delimiter in each entry."""
    parts = _let(spark("SPLIT(_s, _e, -1)", _s=s, _e=_quoted(entry)), "__p",
                 "SLICE(__p, 1, SIZE(__p) - IF(ELEMENT_AT(__p, -1) = '', 1, 0))")
    pair = _let(spark("SPLIT(__x, _q, -1)", _q=_quoted(key)), "__kv",
                f"CASE WHEN SIZE(__kv) <> 2 THEN {_fail('Key-value delimiter must appear exactly once in each entry')} "
                "ELSE STRUCT(__kv[0] AS k, __kv[1] AS v) END")
    return spark("CASE WHEN _e = _k THEN "
                 f"{_fail('entryDelimiter and keyValueDelimiter must not be the same')} "
                 f"WHEN _e = '' OR _k = '' THEN {_fail('delimiters must not be empty')} "
                 "ELSE TRANSFORM(_l, __x -> _kv) END", _e=entry, _k=key, _l=parts, _kv=pair)


def _split_to_map(node: exp.StrToMap) -> exp.Expression:
    entries = _entries(node.this, node.args["pair_delim"], node.args["key_value_delim"])
    return call("MAP_FROM_ENTRIES", entries)      # a duplicate key fails (DUPLICATED_MAP_KEY)


def _split_to_multimap(node: exp.Anonymous) -> exp.Expression:
    return _let(_entries(*node.expressions), "__es",
                "MAP_FROM_ARRAYS(ARRAY_DISTINCT(TRANSFORM(__es, x -> x.k)), TRANSFORM(ARRAY_DISTINCT("
                "TRANSFORM(__es, x -> x.k)), k -> TRANSFORM(FILTER(__es, x -> x.k = k), x -> x.v)))")


def _from_utf8(node: exp.Decode) -> exp.Expression:
    """Valid UTF-8 is its text; a replacement must be one character or a code point.  Bytes
    that are not valid UTF-8 are repaired by Trino's rule, in a Python UDF
    (``python_functions``: Spark's decoders replace invalid sequences by their own rule);
    inside a lambda, where no Python UDF runs, they are refused as the query runs."""
    from . import python_functions
    text = exp.Cast(this=node.this, to=exp.DataType.build("STRING"))
    replacement = node.args.get("replace")
    if node.find_ancestor(exp.Lambda) is not None:
        repaired = spark("RAISE_ERROR('NOT_SUPPORTED: from_utf8 of invalid UTF-8 inside a lambda is not supported "
                         "on the Spark engine')")
    else:
        repaired = python_functions.udf("from_utf8", [node.this.copy()] + ([replacement.copy()] if replacement else []))
    decoded = spark("CASE WHEN _t IS NULL OR IS_VALID_UTF8(_t) THEN _t ELSE _f END", _t=text, _f=repaired)
    if replacement is None:
        return decoded
    if is_type(replacement, *INTEGERS):
        check = "_r < 0 OR _r > 1114111"
        why = "Invalid replacement character"
    else:
        check = "LENGTH(_r) > 1"
        why = "Replacement character string must empty or a single character"
    return spark(f"CASE WHEN {check} THEN {_fail(why)} ELSE _d END", _r=replacement, _d=decoded)


_COMPOSED = {"NFC": ("compose", "false"), "NFD": ("decompose", "false"), "NFKC": ("compose", "true"),
             "NFKD": ("decompose", "true")}


def _normalize(node: exp.Normalize) -> exp.Expression:
    form = node.args.get("form")
    name = form.name.upper() if isinstance(form, (exp.Var, exp.Identifier, exp.Column)) else "NFC"
    if name not in _COMPOSED:
        raise not_supported(node, f"Function 'normalize' with the form {name} is not supported on the Spark engine")
    method, compatible = _COMPOSED[name]
    refused = call("RAISE_ERROR", exp.Literal.string(
        "NOT_SUPPORTED: Function 'normalize' of text with a character unassigned in Spark's Unicode is not "
        "supported on the Spark engine"))
    return spark(r"CASE WHEN _s IS NULL THEN CAST(NULL AS STRING) WHEN _s RLIKE '\\p{Cn}' THEN _x "
                 "ELSE CAST(REFLECT('com.ibm.icu.text.Normalizer', "
                 f"'{method}', CAST(_s AS STRING), {compatible}) AS STRING) END", _s=node.this, _x=refused)


def _like(node: exp.Like) -> exp.Expression | None:
    """No escape character (Spark's default escape is '\\': a backslash is doubled)."""
    if isinstance(node.parent, exp.Escape):
        return None
    pattern = node.expression
    text = string_literal(pattern)
    if text is not None:
        if "\\" not in text:
            return None
        new = exp.Literal.string(text.replace("\\", "\\\\"))
    else:
        new = spark(r"REPLACE(_p, '\\', '\\\\')", _p=pattern)
    return exp.Like(this=node.this, expression=new, negate=node.args.get("negate"))   # NOT LIKE kept


def _escape(node: exp.Escape) -> None:
    text_checks.check_like_escape(node)
    if not isinstance(node.this, exp.Like):
        raise not_supported(node, "This ESCAPE is not supported on the Spark engine")


CLASS_REWRITES = {
    exp.Concat: _concat,
    exp.DPipe: _concat,
    exp.Substring: _substring,
    exp.Replace: _replace,
    exp.Split: _split,
    exp.SplitPart: _split_part,
    exp.Pad: _pad,
    exp.Levenshtein: _levenshtein,
    exp.Chr: _chr,
    exp.StrPosition: _strpos,
    exp.StrToMap: _split_to_map,
    exp.Like: _like,
    exp.Soundex: _soundex,
    exp.Decode: _from_utf8,
    exp.Escape: _escape,
    exp.Normalize: _normalize,
}
ANONYMOUS_REWRITES = {
    "codepoint": _codepoint,
    "hamming_distance": _hamming,
    "luhn_check": _luhn_check,
    "split_to_multimap": _split_to_multimap,
}
