"""URL functions, as Trino reads a URL with java.net.URI.

Trino semantics covered:

- ``url_extract_host/path/port/protocol/query/fragment``: NULL for what is not a URI
  (a space, ``{``, a bad ``%`` escape...); of a URI, a part it lacks is '' (Trino's
  ``nullToEmpty``), an opaque URI (``mailto:x@y``) has no path or query; path, query
  and fragment are percent-decoded (URI.getPath / getQuery / getFragment); the port is
  a bigint, NULL when absent.
- ``url_extract_parameter``: the first parameter of that name in the raw query, its
  value decoded as URLDecoder does ('' for a name without ``=``, NULL when absent).
- ``url_decode`` (``+`` is a space), ``url_encode`` (Java's URLEncoder: space as
  ``+``, ``*`` kept, ``~`` escaped).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino.url_parts import DECODED as _DECODED
from ....sql.trino.url_parts import NOT_A_URI as _NOT_A_URI
from ....sql.trino.url_parts import OPAQUE as _OPAQUE
from ....sql.trino.url_parts import URL_PATTERNS as _URL_PATTERNS
from .nodes import duck, fn

def _raw_part(name: str, url: exp.Expression) -> exp.Expression:
    """The part as the URL spells it, NULL when the URL lacks it."""
    pattern, _ = _URL_PATTERNS[name]
    extracted = exp.RegexpExtract(
        this=url, expression=exp.Literal.string(pattern), group=exp.Literal.number(1),
        null_if_no_match=True)
    if name in ("url_extract_path", "url_extract_query"):
        extracted = duck(f"CASE WHEN regexp_matches(_u, '{_OPAQUE}') THEN NULL ELSE _x END",
                         _u=url, _x=extracted)
    return extracted


def _url_part(name: str, url: exp.Expression) -> exp.Expression:
    extracted = _raw_part(name, url)
    if name in _DECODED:
        extracted = fn("url_decode", extracted)
    if name == "url_extract_port":
        extracted = exp.TryCast(this=extracted, to=exp.DataType.build("BIGINT"))
    else:
        extracted = fn("coalesce", extracted, exp.Literal.string(""))
    return duck(f"CASE WHEN regexp_matches(_u, '{_NOT_A_URI}') THEN NULL ELSE _x END", _u=url, _x=extracted)


def _url_extract(node: exp.Anonymous) -> exp.Expression:
    return _url_part(node.name.lower(), node.expressions[0])


def _decoded(text: exp.Expression) -> exp.Expression:
    """URLDecoder.decode: '+' is a space, %XX escapes."""
    return fn("url_decode", fn("replace", text, exp.Literal.string("+"), exp.Literal.string(" ")))


def _url_extract_parameter(node: exp.Anonymous) -> exp.Expression:
    url, name = node.expressions
    query = _raw_part("url_extract_query", url)     # Trino splits URI.getRawQuery()
    value = duck(
        "list_transform([list_filter(string_split(_q, '&'), lambda p: split_part(p, '=', 1) = _n)[1]],"
        " lambda e: CASE WHEN e IS NULL THEN NULL WHEN strpos(e, '=') = 0 THEN '' "
        "ELSE substr(e, strpos(e, '=') + 1) END)[1]",
        _q=query, _n=name)
    return duck(f"CASE WHEN regexp_matches(_u, '{_NOT_A_URI}') THEN NULL ELSE _x END",
                _u=url, _x=_decoded(value))


def _url_decode(node: exp.Anonymous) -> exp.Expression:
    return _decoded(node.expressions[0])


def _url_encode(node: exp.Anonymous) -> exp.Expression:
    """Java's URLEncoder, as Trino: space as '+', '*' kept, '~' escaped."""
    return duck("replace(replace(replace(url_encode(_s), '%20', '+'), '%2A', '*'), '~', '%7E')",
                _s=node.expressions[0])


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    **{name: _url_extract for name in _URL_PATTERNS},
    "url_extract_parameter": _url_extract_parameter,
    "url_decode": _url_decode,
    "url_encode": _url_encode,
}
