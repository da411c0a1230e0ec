"""The parts of a URL as Trino reads it with java.net.URI, as regular expressions both
engines run (their syntax is common to RE2 and Java).

``URL_PATTERNS``: each url_extract_* function's pattern (group 1 the part) and result
cast; ``NOT_A_URI``: what java.net.URI refuses (Trino then answers NULL); ``OPAQUE``: a
URI without path or query (``mailto:x@y``); ``DECODED``: the parts URI gives
percent-decoded (getPath, getQuery, getFragment).
"""
from __future__ import annotations

_SCHEME = r"[A-Za-z][A-Za-z0-9+.\-]*"
_URL_AUTHORITY = rf"^{_SCHEME}://(?:[^/?#@]*@)?"
URL_PATTERNS = {
    "url_extract_protocol": (rf"^({_SCHEME}):", None),
    "url_extract_host": (_URL_AUTHORITY + r"(\[[^\]]*\]|[^:/?#]*)", None),
    "url_extract_port": (_URL_AUTHORITY + r"(?:\[[^\]]*\]|[^:/?#]*):([0-9]+)", "BIGINT"),
    "url_extract_path": (rf"^(?:{_SCHEME}:)?(?://[^/?#]*)?([^?#]*)", None),
    "url_extract_query": (r"^[^?#]*\?([^#]*)", None),
    "url_extract_fragment": (r"^[^#]*#(.*)$", None),
}

# What java.net.URI refuses (Trino's url functions then return NULL): characters a URI
# may not hold, and a % that does not start an escape.
NOT_A_URI = r'[\x00-\x20"<>\\^`{|}]|%([^0-9A-Fa-f]|.[^0-9A-Fa-f]|.?$)'
# An opaque URI: a scheme not followed by '/' (URI.getPath and getQuery are null)
OPAQUE = rf"^{_SCHEME}:[^/]"
# The parts java.net.URI gives decoded (getPath, getQuery, getFragment)
DECODED = {"url_extract_path", "url_extract_query", "url_extract_fragment"}
