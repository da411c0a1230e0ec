"""json_parse and CAST(json AS scalar) a batch at a time (DuckDB Arrow UDFs), with the
answers of ``json_values``' row-at-a-time rules.

A Python UDF called once per row costs ~10 us a row in json.loads and a recursive writer:
200k rows took 1.9 s where DuckDB's own JSON reader takes 0.04 s.  Each batch here is
split, by a vectorised test on the text, into rows whose answer a fast path provably
gives and the rest, which take the exact path (``json_values``), error messages and all:

- ``json_parse``: orjson (a dependency already) parses and writes the value, keys sorted,
  when the text has no number with a fraction or exponent and no 19-digit one (orjson
  writes floats its own way and reads integers past 64 bits as floats; Trino keeps the
  number as written).  Otherwise orjson and the exact path agree: both are strict RFC 8259
  (no NaN, no trailing comma, no lone surrogate in orjson: those rows go the exact way),
  keep the last of duplicate keys, sort keys by code point (UTF-8 byte order is the same),
  write no insignificant space and escape the same characters the same way.  A text with
  such numbers is read and written by the standard library's C code, the numbers as
  written (``_marked_parse``), 3x the exact path's recursive writer.
- ``CAST(json AS tinyint/.../bigint/double/boolean)``: a JSON integer short enough to fit
  the type (no leading zero, no space), a short decimal for a double (at most 15 digits,
  8 after the point: any correctly rounded reader gives the same double), ``true`` /
  ``false`` for a boolean, ``null`` (NULL) are answered by the text itself, which the engine
  then casts as it does the exact path's text.  Everything else is the exact path.
"""
from __future__ import annotations

import json
import re

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ...sql.trino import json_values

_TEXT = "VARCHAR"

# a number token json_parse must keep as written, or an integer orjson would read as a float,
# outside the strings (a quote outside a string starts one, which ends at the first quote
# not escaped: in valid JSON the split is unique, and invalid JSON takes the exact path anyway)
_ORJSON_DIFFERS = r'^(?:[^"]|"(?:[^"\\]|\\.)*")*?(?:[0-9][.eE]|[0-9]{19})'

_INTEGER = r"-?(0|[1-9][0-9]{0,%d})"
# target type -> the JSON texts that are already the value's text for that type
_SAME_TEXT = {
    "tinyint": _INTEGER % 1, "smallint": _INTEGER % 3, "integer": _INTEGER % 8, "bigint": _INTEGER % 17,
    # (not -0: the exact path reads it as the integer 0, a double 0.0, not -0.0)
    "double": r"0|-?[1-9][0-9]{0,14}|-?(0|[1-9][0-9]{0,6})\.[0-9]{1,8}",
    "boolean": r"true|false",
}


def _orjson_parse(text: str) -> str:
    try:
        return orjson.dumps(orjson.loads(text), option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONDecodeError:
        return json_values.json_parse(text)      # Trino's error, or a value orjson refuses


# The rows orjson would write otherwise: the standard library's C reader and writer, a number
# with a fraction or exponent read as a string "\0<token>" and written back bare.  No other
# string holds a NUL: the exact path's strict reader refuses a raw one, and a text with
# "u0000" in it takes the exact path.
_MARKED_READER = json.JSONDecoder(parse_float=lambda token: "\0" + token, parse_constant=json_values.not_json)
_SORTED_WRITER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_MARKED = re.compile(r'"\\u0000([-+.eE0-9]+)"')


def _marked_parse(text: str) -> str:
    if "u0000" not in text:
        try:
            return _MARKED.sub(r"\1", _SORTED_WRITER.encode(_MARKED_READER.decode(text)))
        except ValueError:
            pass
    return json_values.json_parse(text)


def json_parse(texts: pa.Array) -> pa.Array:
    marked = pc.fill_null(pc.match_substring_regex(texts, _ORJSON_DIFFERS), False).to_pylist()
    return pa.array([None if text is None else _marked_parse(text) if floats else _orjson_parse(text)
                     for text, floats in zip(texts.to_pylist(), marked)], type=pa.string())


def json_parse_for_cast(texts: pa.Array, targets: pa.Array) -> pa.Array:
    """json_parse inside CAST(json_parse(x) AS ARRAY/MAP/ROW): Trino fuses the two into one
    cast of the text, whose malformed JSON is INVALID_CAST_ARGUMENT (json_parse's own error
    is INVALID_FUNCTION_ARGUMENT)."""
    try:
        return json_parse(texts)
    except ValueError:
        for text, target in zip(texts.to_pylist(), targets.to_pylist()):
            try:
                json_parse(pa.array([text], type=pa.string()))
            except ValueError:
                raise ValueError(f"INVALID_CAST_ARGUMENT: Cannot cast to {target}. Malformed JSON: "
                                 f"'{text}'") from None
        raise


def _to_scalar(exact_path):
    def batch(texts: pa.Array, targets: pa.Array) -> pa.Array:
        target = targets[0].as_py() if len(targets) else None
        pattern = _SAME_TEXT.get(target)
        if pattern is None or pc.count_distinct(targets).as_py() != 1:
            return pa.array([exact_path(x, t) for x, t in zip(texts.to_pylist(), targets.to_pylist())],
                            type=pa.string())
        same = pc.fill_null(pc.match_substring_regex(texts, f"^({pattern})$"), False)
        json_null = pc.fill_null(pc.equal(texts, "null"), False)
        if pc.all(pc.or_(same, json_null)).as_py():     # no row for the exact path
            return pc.if_else(json_null, pa.scalar(None, pa.string()), texts)
        out = [text if fast else None if text is None or text == "null" else exact_path(text, target)
               for text, fast in zip(texts.to_pylist(), same.to_pylist())]
        return pa.array(out, type=pa.string())
    return batch


# name -> (function, argument types, result type): Arrow UDFs, registered by ``functions``;
# each may give NULL for a value
FUNCTIONS = {
    "trino_json_parse": (json_parse, [_TEXT], _TEXT),
    "trino_json_parse_for_cast": (json_parse_for_cast, [_TEXT, _TEXT], _TEXT),
    "trino_json_to_scalar": (_to_scalar(json_values.json_to_scalar), [_TEXT, _TEXT], _TEXT),
    "trino_try_json_to_scalar": (_to_scalar(json_values.try_json_to_scalar), [_TEXT, _TEXT], _TEXT),
}
