"""Trino's varbinary functions the engine has no exact equivalent of, as scalar functions.

DuckDB's BLOB has no substr, reverse, lpad / rpad or length of its own, its unhex
accepts an odd digit count and base64 has no URL alphabet; these give Trino's bytes
and its INVALID_FUNCTION_ARGUMENT errors (``trino/binary.py`` calls them):
``from_hex`` (even count of hex digits), ``from_base64`` (padding optional, as Java's
decoder: ``from_base64('aaaaaa')`` is 4 bytes), ``to_base64url`` / ``from_base64url``
(Java's URL-safe alphabet, with padding), ``to/from_big_endian_32/64``,
``to/from_ieee754_32/64`` (NaN as Java's canonical 7FC00000 / 7FF8000000000000),
``substr`` (1-based, negative from the end), ``lpad`` / ``rpad``, and
``spooky_hash_v2_32/64`` (sql/trino/binary_hashes, shared with the Spark engine).
"""
from __future__ import annotations

import base64
import binascii
import math
import struct

from ...sql.trino.binary_hashes import spooky_hash_v2_32, spooky_hash_v2_64


_INVALID = "INVALID_FUNCTION_ARGUMENT: "
_MAX_LENGTH = 2147483647


def _invalid(message: str) -> ValueError:
    return ValueError(_INVALID + message)


def from_hex(data: bytes) -> bytes:
    text = data.decode("latin-1") if isinstance(data, (bytes, bytearray)) else data
    if len(text) % 2 or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise _invalid("invalid input length" if len(text) % 2 else "invalid hex character")
    return bytes.fromhex(text)


def from_base64(data) -> bytes:
    text = data.decode("latin-1") if isinstance(data, (bytes, bytearray)) else data
    if "=" not in text and len(text) % 4 in (2, 3):
        text += "=" * (4 - len(text) % 4)       # Java's decoder reads an unpadded last unit
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as e:
        raise _invalid(str(e)) from None


def from_base64url(data) -> bytes:
    text = data.decode("latin-1") if isinstance(data, (bytes, bytearray)) else data
    try:
        return base64.urlsafe_b64decode(text)
    except (binascii.Error, ValueError) as e:
        raise _invalid(str(e)) from None


def _exact(data: bytes, size: int, what: str) -> bytes:
    if len(data) != size:
        raise _invalid(f"{what} must be exactly {size} bytes long" if what.startswith("Input") else
                       f"expected {what} to be of length {size}")
    return data


def from_big_endian(size: int):
    fmt = ">q" if size == 8 else ">i"
    return lambda data: struct.unpack(fmt, _exact(data, size, f"{size * 8}-bit integer"))[0]


def to_ieee754_32(x: float) -> bytes:
    return bytes.fromhex("7FC00000") if math.isnan(x) else struct.pack(">f", x)


def to_ieee754_64(x: float) -> bytes:
    return bytes.fromhex("7FF8000000000000") if math.isnan(x) else struct.pack(">d", x)


def from_ieee754(size: int):
    """The value as text (the engine's Python functions give NULL for a NaN result);
    ``trino/binary.py`` casts it to real or double."""
    fmt = ">f" if size == 4 else ">d"
    return lambda data: repr(struct.unpack(fmt, _exact(data, size, "Input floating-point value"))[0])


def substr(data: bytes, start: int, length: int | None = None) -> bytes:
    """Trino's 1-based substr: start 0 or before the beginning is empty, negative from the end."""
    if start == 0 or (start < 0 and -start > len(data)) or start > len(data):
        return b""
    begin = start - 1 if start > 0 else len(data) + start
    if length is None:
        return data[begin:]
    return data[begin:begin + max(length, 0)]


def _pad(left: bool):
    def pad(data: bytes, size: int, filler: bytes) -> bytes:
        if size < 0 or size > _MAX_LENGTH:
            raise _invalid(f"Target length must be in the range [0..{_MAX_LENGTH}]")
        if not filler:
            raise _invalid("Padding bytes must not be empty")
        if size <= len(data):
            return data[:size]
        fill = (filler * (size // len(filler) + 1))[:size - len(data)]
        return fill + data if left else data + fill
    return pad


# type names: functions.register makes them types on its connection
_BLOB, _TEXT, _BIGINT, _INT, _REAL, _DOUBLE = "BLOB", "VARCHAR", "BIGINT", "INTEGER", "FLOAT", "DOUBLE"

# name -> (function, argument types, result type)
FUNCTIONS = {
    "trino_from_hex": (from_hex, [_BLOB], _BLOB),
    "trino_from_base64": (from_base64, [_BLOB], _BLOB),
    "trino_to_base64url": (lambda b: base64.urlsafe_b64encode(b).decode("ascii"), [_BLOB], _TEXT),
    "trino_from_base64url": (from_base64url, [_BLOB], _BLOB),
    "trino_to_big_endian_64": (lambda n: struct.pack(">q", n), [_BIGINT], _BLOB),
    "trino_from_big_endian_64": (from_big_endian(8), [_BLOB], _BIGINT),
    "trino_to_big_endian_32": (lambda n: struct.pack(">i", n), [_INT], _BLOB),
    "trino_from_big_endian_32": (from_big_endian(4), [_BLOB], _INT),
    "trino_to_ieee754_32": (to_ieee754_32, [_REAL], _BLOB),
    "trino_from_ieee754_32": (from_ieee754(4), [_BLOB], _TEXT),
    "trino_to_ieee754_64": (to_ieee754_64, [_DOUBLE], _BLOB),
    "trino_from_ieee754_64": (from_ieee754(8), [_BLOB], _TEXT),
    "trino_binary_substr": (lambda b, s: substr(b, s), [_BLOB, _BIGINT], _BLOB),
    "trino_binary_substr_for": (substr, [_BLOB, _BIGINT, _BIGINT], _BLOB),
    "trino_binary_reverse": (lambda b: b[::-1], [_BLOB], _BLOB),
    "trino_binary_lpad": (_pad(True), [_BLOB, _BIGINT, _BLOB], _BLOB),
    "trino_binary_rpad": (_pad(False), [_BLOB, _BIGINT, _BLOB], _BLOB),
    "trino_spooky_hash_v2_32": (spooky_hash_v2_32, [_BLOB], _BLOB),
    "trino_spooky_hash_v2_64": (spooky_hash_v2_64, [_BLOB], _BLOB),
}
