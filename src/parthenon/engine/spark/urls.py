"""Trino's URL functions on Spark (Trino reads a URL with java.net.URI; the parts'
patterns are shared with the DuckDB engine: ``sql/trino/url_parts``).

- ``url_extract_host/path/port/protocol/query/fragment``: NULL for what is not a URI;
  a part the URI lacks is ''; path, query and fragment percent-decoded as URI does
  ('+' stays '+'); the port a bigint, NULL when absent.  (Spark's parse_url gives raw
  parts, NULL for a missing one, and fails on what is not a URI.)
- ``url_extract_parameter``: the first parameter of that name in the raw query, its
  value decoded as URLDecoder does ('' for a name without '=', NULL when absent;
  Spark's parse_url gives NULL for a name without '=').
- ``url_encode`` / ``url_decode`` are Spark's: Java's URLEncoder / URLDecoder, as Trino's.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.url_parts import DECODED, NOT_A_URI, OPAQUE, URL_PATTERNS
from .templates import spark

FUNCTIONS = frozenset({*URL_PATTERNS, "url_extract_parameter", "url_encode", "url_decode"})


def _uri_only(url: exp.Expression, value: exp.Expression) -> exp.Expression:
    return spark("CASE WHEN _u RLIKE _bad THEN NULL ELSE _v END", _u=url, _bad=exp.Literal.string(NOT_A_URI),
                 _v=value)


def _raw_query(url: exp.Expression) -> exp.Expression:
    pattern, _ = URL_PATTERNS["url_extract_query"]
    return spark("CASE WHEN _u RLIKE _o THEN '' ELSE REGEXP_EXTRACT(_u, _p, 1) END",
                 _u=url, _o=exp.Literal.string(OPAQUE), _p=exp.Literal.string(pattern))


def _url_extract(node: exp.Anonymous) -> exp.Expression:
    name, url = node.name.lower(), node.expressions[0]
    pattern, cast = URL_PATTERNS[name]
    part = spark("REGEXP_EXTRACT(_u, _p, 1)", _u=url, _p=exp.Literal.string(pattern))   # '' when absent
    if name in ("url_extract_path", "url_extract_query"):
        part = spark("CASE WHEN _u RLIKE _o THEN '' ELSE _x END", _u=url, _o=exp.Literal.string(OPAQUE), _x=part)
    if name in DECODED:
        part = spark("URL_DECODE(REPLACE(_x, '+', '%2B'))", _x=part)
    if cast is not None:
        part = exp.TryCast(this=part, to=exp.DataType.build(cast), safe=True)
    return _uri_only(url, part)


def _url_extract_parameter(node: exp.Anonymous) -> exp.Expression:
    url, name = node.expressions
    value = spark("ELEMENT_AT(TRANSFORM(ARRAY(TRY_ELEMENT_AT(FILTER(SPLIT(_q, '&'), __p -> SPLIT_PART(__p, '=', 1) = _n), 1)), "
                  "__e -> CASE WHEN INSTR(__e, '=') = 0 THEN '' ELSE URL_DECODE(SUBSTRING(__e, INSTR(__e, '=') + 1)) END), 1)",
                  _q=_raw_query(url), _n=name)
    return _uri_only(url, value)


CLASS_REWRITES: dict = {}
ANONYMOUS_REWRITES = {
    **{name: _url_extract for name in URL_PATTERNS},
    "url_extract_parameter": _url_extract_parameter,
}
