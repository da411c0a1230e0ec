"""Trino's string functions the engine has no exact equivalent of, as scalar functions.

``strpos(s, sub, instance)`` (the n-th occurrence, from the end when negative),
the entries of ``split_to_map`` / ``split_to_multimap`` with Trino's checks,
``normalize`` in the four Unicode forms, ``from_utf8`` with Trino's replacement of
invalid bytes, ``luhn_check``, and ``word_stem`` (sql/trino/word_stems, shared with the Spark engine), ``parse_data_size`` (exact: a decimal times a
power of 1024, truncated; past 38 digits NUMERIC_VALUE_OUT_OF_RANGE) and ``fail`` (raises
GENERIC_USER_ERROR with its message, or a FailureInfo JSON's).  A bad argument raises
"INVALID_FUNCTION_ARGUMENT: ...", which the session maps to Trino's error.
"""
from __future__ import annotations

import codecs
import decimal
import json
import re
import unicodedata

from ...sql.trino.data_sizes import DATA_SIZE, SIZE_UNITS, invalid_message
from ...sql.trino.word_stems import word_stem

_INVALID = "INVALID_FUNCTION_ARGUMENT: "


_MARK = "\udcff"     # a lone surrogate: never in decoded text, stands for one invalid sequence
codecs.register_error("trino_utf8", lambda e: (_MARK, e.end))


def _invalid(message: str) -> ValueError:
    return ValueError(_INVALID + message)


def strpos(text: str, sub: str, instance: int) -> int:
    """1-based position of the instance-th occurrence (occurrences may overlap), 0 if none."""
    if instance == 0:
        raise _invalid("'instance' must be a positive or negative number.")
    starts = [i for i in range(len(text) - len(sub) + 1) if text.startswith(sub, i)]
    if abs(instance) > len(starts):
        return 0
    return (starts[instance - 1] if instance > 0 else starts[instance]) + 1


def split_entries(text: str, entry: str, key_value: str) -> list[dict]:
    """The (key, value) entries of split_to_map's text, in order (a final entry delimiter
    ends the text)."""
    if entry == key_value:
        raise _invalid("entryDelimiter and keyValueDelimiter must not be the same")
    if not entry or not key_value:
        raise _invalid("entryDelimiter and keyValueDelimiter must not be empty")
    pieces = text.split(entry) if text else []
    if pieces and pieces[-1] == "":
        pieces.pop()
    out = []
    for piece in pieces:
        parts = piece.split(key_value)
        if len(parts) != 2:
            raise _invalid(f"Key-value delimiter must appear exactly once in each entry. Bad input: '{piece}'")
        out.append({"key": parts[0], "value": parts[1]})
    return out


def normalize(text: str, form: str) -> str:
    return unicodedata.normalize(form, text)


def from_utf8(data: bytes, replacement: str | int | None = "\ufffd") -> str:
    """Invalid UTF-8 becomes the replacement (a character, a code point or nothing)."""
    if isinstance(replacement, int):
        if not 0 <= replacement <= 0x10FFFF or 0xD800 <= replacement <= 0xDFFF:
            raise _invalid("Invalid replacement character")
        replacement = chr(replacement)
    elif len(replacement) > 1:
        raise _invalid("Replacement character string must empty or a single character")
    return data.decode("utf-8", errors="trino_utf8").replace(_MARK, replacement)


def luhn_check(text: str) -> bool:
    if not text:
        return False
    if not text.isdigit() or not text.isascii():
        raise _invalid(f"Input '{text}' is not a valid number")
    total = 0
    for i, c in enumerate(reversed(text)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


_DATA_SIZE = re.compile(DATA_SIZE)


def parse_data_size(text: str) -> int:
    """Bytes of '2.3MB' (Trino's DataSizeFunctions: BigDecimal times the unit, truncated)."""
    m = _DATA_SIZE.match(text)
    if m is None or m.group(2) not in SIZE_UNITS:
        raise _invalid(invalid_message(text))
    value = int(decimal.Context(prec=100).multiply(decimal.Decimal(m.group(1)), SIZE_UNITS[m.group(2)]))
    if len(str(value)) > 38:
        raise ValueError(f"NUMERIC_VALUE_OUT_OF_RANGE: Value out of range: '{text}' ('{value}B')")
    return value


def fail(kind: str, text: str) -> bool:
    """Trino's hidden fail(): its message, or the message of a FailureInfo JSON."""
    message = text
    if kind == "json":
        try:
            message = json.loads(text).get("message")
        except (ValueError, AttributeError):
            raise ValueError(f"GENERIC_INTERNAL_ERROR: Invalid failure info: {text}") from None
    raise ValueError(f"GENERIC_USER_ERROR: {message}")


# type names: functions.register makes them types on its connection
_T, _B, _I, _L, _BLOB = "VARCHAR", "BIGINT", "INTEGER", "BOOLEAN", "BLOB"
_ENTRY = "STRUCT(key VARCHAR, value VARCHAR)"

# name -> (function, argument types, result type)
FUNCTIONS = {
    "trino_strpos": (strpos, [_T, _T, _B], _B),
    "trino_split_entries": (split_entries, [_T, _T, _T], "STRUCT(key VARCHAR, value VARCHAR)[]"),
    "trino_normalize": (normalize, [_T, _T], _T),
    "trino_from_utf8": (lambda b: from_utf8(b), [_BLOB], _T),
    "trino_from_utf8_with": (lambda b, r: from_utf8(b, r), [_BLOB, _T], _T),
    "trino_from_utf8_with_code": (lambda b, r: from_utf8(b, r), [_BLOB, _B], _T),
    "trino_luhn_check": (luhn_check, [_T], _L),
    "trino_word_stem": (lambda w: word_stem(w), [_T], _T),
    "trino_word_stem_in": (word_stem, [_T, _T], _T),
    "trino_parse_data_size": (parse_data_size, [_T], "HUGEINT"),
    "trino_fail": (fail, [_T, _T], _L),
}
