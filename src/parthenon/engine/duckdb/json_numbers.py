"""Trino's text of JSON numbers for the rows where DuckDB's JSON functions write another.

DuckDB reads a number with a fraction or an exponent as a double and writes that double
again (``12.50`` is 12.5, ``1e2`` 100.0, ``1e20`` 100000000000000000000.0).  Trino's
``json_extract_scalar`` gives the token as written (Jackson's ``getText``: ``12.50``,
``1e2``), its ``json_extract`` the double by Java's ``Double.toString`` (``1.0E20``).  The
rewrites (``trino/json``) call these functions only for such rows (for
json_extract_scalar a value whose ``json_type`` is DOUBLE; for json_extract a value whose
text DuckDB wrote has a number Java writes otherwise, ``REWRITTEN_NUMBER``: 12.5 and 100.0
are the same in both), so the other rows keep DuckDB's speed.

The functions take a batch at a time (Arrow UDFs).  A text the standard library's C
reader takes whole (numbers kept as written, NaN and Infinity refused, the first of
duplicate keys found first) is walked as Trino's path reader walks it, which stops at the
first matching key; any other text (a BOM, text after the value, a fault after the answer,
which Trino's streaming reader never reaches) takes the exact reader
(``sql.trino.json_reading``), which reads it as Jackson does.
"""
from __future__ import annotations

import functools
import json

import pyarrow as pa

from ...sql.trino import json_reading
from ...sql.trino.json_paths import tokens

# A value's text (as DuckDB writes it) in which DuckDB may have written a number otherwise
# than Java's Double.toString: with an exponent, with 8 or more digits before the point
# (1e7 and up) or as 0.000... (below 1e-3); both write the shortest digits in between (a
# false match, 10.0001, only takes the exact path)
REWRITTEN_NUMBER = r"[0-9][eE]|[0-9]{8}\.|0\.000"


def _refuse_constant(name: str):
    raise ValueError(name)


_DECODER = json.JSONDecoder(object_pairs_hook=json_reading.Obj, parse_float=json_reading.Float,
                            parse_constant=_refuse_constant)
# json_extract_scalar's: an integer kept as written too (-0 is -0, as Jackson's getText)
_SCALAR_DECODER = json.JSONDecoder(object_pairs_hook=json_reading.Obj, parse_float=json_reading.Float,
                                   parse_int=json_reading.Float, parse_constant=_refuse_constant)
_MISSING = object()
_segments = functools.lru_cache(maxsize=256)(tokens)     # a path is mostly the same each row


def _fast_value(text: str, segments: list[str], decoder: json.JSONDecoder = _DECODER):
    """The value the path leads to (json_reading's types), _MISSING where there is none;
    ValueError where the C reader does not take the text whole."""
    value = decoder.decode(text)
    for segment in segments:
        if isinstance(value, json_reading.Obj):
            value = next((v for k, v in value if k == segment), _MISSING)
        elif isinstance(value, list):
            index = int(segment) if segment.isdigit() else -1
            value = value[index] if 0 <= index < len(value) else _MISSING
        else:
            return _MISSING
        if value is _MISSING:
            return _MISSING
    return value


def _scalar(text: str, path: str) -> str | None:
    segments = _segments(path)
    try:
        value = _fast_value(text, segments, _SCALAR_DECODER)
    except (ValueError, RecursionError):
        try:
            return json_reading.json_extract_scalar(text, path)
        except RecursionError:
            return None
    if value is _MISSING or isinstance(value, list):
        return None
    return json_reading.scalar_text(value)


def _copy(text: str, path: str) -> str | None:
    segments = _segments(path)
    try:
        value = _fast_value(text, segments)
    except (ValueError, RecursionError):
        return json_reading.json_extract_exact(text, path)
    return None if value is _MISSING else json_reading.jackson_copy_text(value)


def _batch(one):
    def batch(texts: pa.Array, paths: pa.Array) -> pa.Array:
        return pa.array([None if text is None or path is None else one(text, path)
                         for text, path in zip(texts.to_pylist(), paths.to_pylist())], type=pa.string())
    return batch


# name: (function of Arrow arrays, argument types, result type)
FUNCTIONS = {
    "trino_json_extract_scalar": (_batch(_scalar), ["VARCHAR", "VARCHAR"], "VARCHAR"),
    "trino_json_extract": (_batch(_copy), ["VARCHAR", "VARCHAR"], "VARCHAR"),
}
