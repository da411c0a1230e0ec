"""Trino's from_utf8 of bytes that are not valid UTF-8 (airlift's ``fixInvalidUtf8``).

The bytes are read one sequence at a time.  A valid sequence is its code point; an
invalid one is skipped and stands for one replacement character (U+FFFD, or the one
asked for, or none).  How many bytes an invalid sequence spans is airlift's rule, not
Python's ``errors="replace"``: from its start byte the sequence's expected length is
known (a continuation byte or 0xFE/0xFF alone is one invalid byte); it ends at the
first byte that is missing or not a continuation, spanning the bytes read before it
(at least one); a complete sequence whose code point is overlong, a surrogate or past
U+10FFFF spans its whole length, and so do 5- and 6-byte forms (never valid).
"""
from __future__ import annotations

REPLACEMENT = 0xFFFD


def _expected_length(byte: int) -> int:
    """The sequence length a start byte announces; -1 for a byte that starts none."""
    for limit, length in ((0x80, 1), (0xC0, -1), (0xE0, 2), (0xF0, 3), (0xF8, 4), (0xFC, 5), (0xFE, 6)):
        if byte < limit:
            return length
    return -1


def _continuation(byte: int) -> bool:
    return byte & 0xC0 == 0x80


def code_point_at(data: bytes, position: int) -> int:
    """The code point at ``position``, or minus the length of the invalid sequence there."""
    first = data[position]
    length = _expected_length(first)
    if length < 0:
        return -1
    value = first & (0x7F >> length)
    for k in range(1, length):
        if position + k >= len(data) or not _continuation(data[position + k]):
            return -k           # the bytes before the one missing or not a continuation
        value = value << 6 | data[position + k] & 0x3F
    if length == 1:
        return first
    if length == 2:
        return value if value >= 0x80 else -2
    if length == 3:
        return value if value >= 0x800 and not 0xD800 <= value <= 0xDFFF else -3
    if length == 4:
        return value if 0x10000 <= value < 0x110000 else -4
    return -length              # 5 or 6 bytes: never valid


def fixed(data: bytes, replacement: int | None = REPLACEMENT) -> str:
    """The text of ``data``, each invalid sequence as ``replacement`` (None: dropped)."""
    out: list[str] = []
    position = 0
    while position < len(data):
        code = code_point_at(data, position)
        if code >= 0:
            out.append(chr(code))
            position += len(chr(code).encode("utf-8"))
            continue
        position -= code
        if replacement is not None:
            out.append(chr(replacement))
    return "".join(out)


def from_utf8(data, replacement=None) -> str:
    """Trino's ``from_utf8(binary[, replacement])``: the replacement a code point, or
    text of one character (empty: none); the SQL around it checks them first."""
    if replacement is None:
        code: int | None = REPLACEMENT
    elif isinstance(replacement, int):
        code = replacement
    else:
        code = ord(replacement) if replacement else None
    if code is not None and 0xD800 <= code <= 0xDFFF:
        raise ValueError("NOT_SUPPORTED: from_utf8 with a surrogate as the replacement is not supported on the "
                         "Spark engine")
    return fixed(bytes(data), code)
