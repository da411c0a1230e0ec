"""String and URL functions.

Trino semantics covered:

- ``substr`` (1-based; start 0 or before the string gives ''),
  ``split_part`` (NULL past the last field), ``split`` (with limit),
  ``strpos``, ``length``, ``concat`` / ``||`` (NULL if any argument is NULL),
  ``codepoint`` (INTEGER), ``hamming_distance`` (BIGINT).
- ``url_extract_host/path/port/protocol/query/fragment/parameter`` as
  java.net.URI reads a URL: NULL for what is not a URI (a space, ``{``, a bad ``%``
  escape...), path, query, fragment and parameters percent-decoded; ``url_decode``, ``url_encode`` (Java's URLEncoder).

Not supported (raises NotSupported): ``strpos`` with an instance argument.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from .nodes import duck, fn, int_literal, not_supported


# --------------------------------------------------------------------------------------
# Strings
# --------------------------------------------------------------------------------------


def _substring(node: exp.Substring) -> exp.Expression | None:
    """Trino: start 0, or a negative start before the string's beginning, gives ''."""
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
    """NULL past the last field (DuckDB gives '')."""
    args = node.args
    return duck("string_split(_s, _d)[_i]",
                 _s=node.this, _d=args.get("delimiter"), _i=args.get("part_index"))


def _split(node: exp.Split) -> exp.Expression | None:
    limit = node.args.get("limit")
    if limit is None:
        return None
    return duck(
        "list_transform([string_split(_s, _d)], lambda p: CASE WHEN len(p) <= _n THEN p "
        "ELSE list_append(p[1:_n - 1], array_to_string(p[_n:], _d)) END)[1]",
        _s=node.this, _d=node.expression, _n=limit)


def _strpos(node: exp.StrPosition) -> exp.Expression | None:
    if node.args.get("occurrence") is not None:
        raise not_supported(node, "strpos with an instance argument is not supported")
    return None


def _codepoint(node: exp.Anonymous) -> exp.Expression:
    return exp.Cast(this=fn("unicode", node.expressions[0]), to=exp.DataType.build("INT"))


def _hamming(node: exp.Anonymous) -> exp.Expression:
    return exp.Cast(this=fn("hamming", *node.expressions), to=exp.DataType.build("BIGINT"))


# --------------------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------------------

_URL_AUTHORITY = r"^[A-Za-z][A-Za-z0-9+.\-]*://(?:[^/?#@]*@)?"
_URL_PATTERNS = {
    "url_extract_protocol": (r"^([A-Za-z][A-Za-z0-9+.\-]*):", None),
    "url_extract_host": (_URL_AUTHORITY + r"(\[[^\]]*\]|[^:/?#]*)", None),
    "url_extract_port": (_URL_AUTHORITY + r"(?:\[[^\]]*\]|[^:/?#]*):([0-9]+)", "BIGINT"),
    "url_extract_path": (r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?(?://[^/?#]*)?([^?#]*)", None),
    "url_extract_query": (r"^[^?#]*\?([^#]*)", None),
    "url_extract_fragment": (r"^[^#]*#(.*)$", None),
}


# What java.net.URI refuses (Trino's url functions then return NULL): characters a URI
# may not hold, and a % that does not start an escape.
_NOT_A_URI = r'[\x00-\x20"<>\\^`{|}]|%([^0-9A-Fa-f]|.[^0-9A-Fa-f]|.?$)'
# The parts java.net.URI gives decoded (getPath, getQuery, getFragment)
_DECODED = {"url_extract_path", "url_extract_query", "url_extract_fragment"}


def _url_part(name: str, url: exp.Expression) -> exp.Expression:
    pattern, cast = _URL_PATTERNS[name]
    extracted = exp.RegexpExtract(
        this=url, expression=exp.Literal.string(pattern), group=exp.Literal.number(1),
        null_if_no_match=True)
    if name in _DECODED:
        extracted = fn("url_decode", extracted)
    if cast:
        extracted = exp.TryCast(this=extracted, to=exp.DataType.build(cast))
    return duck(f"CASE WHEN regexp_matches(_u, '{_NOT_A_URI}') THEN NULL ELSE _x END", _u=url, _x=extracted)


def _url_extract(node: exp.Anonymous) -> exp.Expression:
    return _url_part(node.name.lower(), node.expressions[0])


def _url_extract_parameter(node: exp.Anonymous) -> exp.Expression:
    url, name = node.expressions
    query = _url_part("url_extract_query", url)     # decoded, as Trino splits URI.getQuery()
    return duck(
        "list_transform([list_filter(string_split(_q, '&'), lambda p: split_part(p, '=', 1) = _n)[1]],"
        " lambda e: CASE WHEN e IS NULL THEN NULL WHEN strpos(e, '=') = 0 THEN '' "
        "ELSE substr(e, strpos(e, '=') + 1) END)[1]",
        _q=query, _n=name)


def _url_decode(node: exp.Anonymous) -> exp.Expression:
    return fn("url_decode", fn("replace", node.expressions[0], exp.Literal.string("+"),
                                 exp.Literal.string(" ")))


def _url_encode(node: exp.Anonymous) -> exp.Expression:
    """Java's URLEncoder, as Trino: space as '+', '*' kept, '~' escaped."""
    return duck("replace(replace(replace(url_encode(_s), '%20', '+'), '%2A', '*'), '~', '%7E')",
                 _s=node.expressions[0])


def _sha1(node: exp.SHA) -> exp.Expression:
    """sha1(varbinary) is varbinary (DuckDB's sha1 gives hex text)."""
    return fn("unhex", fn("sha1", node.this))


def _normalize(node: exp.Normalize) -> exp.Expression:
    form = node.args.get("form")
    name = form.name.upper() if form is not None else "NFC"
    if name != "NFC":
        raise not_supported(node, f"normalize with form {name} is not supported")
    return fn("nfc_normalize", node.this)


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.SHA: _sha1,
    exp.Normalize: _normalize,
    exp.Substring: _substring,
    exp.SplitPart: _split_part,
    exp.Split: _split,
    exp.StrPosition: _strpos,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "url_extract_host": _url_extract,
    "url_extract_port": _url_extract,
    "url_extract_path": _url_extract,
    "url_extract_protocol": _url_extract,
    "url_extract_query": _url_extract,
    "url_extract_fragment": _url_extract,
    "url_extract_parameter": _url_extract_parameter,
    "url_decode": _url_decode,
    "url_encode": _url_encode,
    "codepoint": _codepoint,
    "hamming_distance": _hamming,
}
