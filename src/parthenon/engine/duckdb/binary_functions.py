"""Trino's varbinary functions the engine has no exact equivalent of, as scalar functions.

DuckDB's BLOB has no substr, reverse, lpad / rpad or length of its own, its unhex
accepts an odd digit count and base64 has no URL alphabet; these give Trino's bytes
and its INVALID_FUNCTION_ARGUMENT errors (``trino/binary.py`` calls them):
``from_hex`` (even count of hex digits), ``from_base64`` (padding optional, as Java's
decoder: ``from_base64('aaaaaa')`` is 4 bytes), ``to_base64url`` / ``from_base64url``
(Java's URL-safe alphabet, with padding), ``to/from_big_endian_32/64``,
``to/from_ieee754_32/64`` (NaN as Java's canonical 7FC00000 / 7FF8000000000000),
``substr`` (1-based, negative from the end), ``lpad`` / ``rpad``, and
``spooky_hash_v2_32/64`` (Bob Jenkins' SpookyHash V2, seed 0, as airlift's SpookyHashV2
that Trino calls; its short form, for inputs under 192 bytes: a longer one is refused
with NOT_SUPPORTED rather than hashed otherwise).
"""
from __future__ import annotations

import base64
import binascii
import math
import struct


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


# SpookyHash V2, short form (airlift's SpookyHashV2.shortHash)
_M = (1 << 64) - 1
_C = 0xDEADBEEFDEADBEEF
_SHORT_MIX = ((2, 3, 0, 50), (3, 0, 1, 52), (0, 1, 2, 30), (1, 2, 3, 41), (2, 3, 0, 54), (3, 0, 1, 48),
              (0, 1, 2, 38), (1, 2, 3, 37), (2, 3, 0, 62), (3, 0, 1, 34), (0, 1, 2, 5), (1, 2, 3, 36))
_SHORT_END = ((3, 2, 15), (0, 3, 52), (1, 0, 26), (2, 1, 51), (3, 2, 28), (0, 3, 9), (1, 0, 47),
              (2, 1, 54), (3, 2, 32), (0, 3, 25), (1, 0, 63))


def _rot(x: int, k: int) -> int:
    return ((x << k) | (x >> (64 - k))) & _M


def _short_mix(h: list[int]) -> None:
    for a, b, c, k in _SHORT_MIX:
        h[a] = (_rot(h[a], k) + h[b]) & _M
        h[c] ^= h[a]


def _short_end(h: list[int]) -> None:
    for a, b, k in _SHORT_END:
        h[a] ^= h[b]
        h[b] = _rot(h[b], k)
        h[a] = (h[a] + h[b]) & _M


def _add(h: list[int], i: int, value: int) -> None:
    h[i] = (h[i] + value) & _M


def spooky_hash64(data: bytes) -> int:
    n = len(data)
    if n >= 192:
        raise ValueError("NOT_SUPPORTED: spooky_hash_v2 of 192 bytes or more is not supported")
    h, pos, remainder = [0, 0, _C, _C], 0, n % 32
    if n > 15:
        for _ in range(n // 32):
            w = struct.unpack_from("<4Q", data, pos)
            _add(h, 2, w[0]), _add(h, 3, w[1]), _short_mix(h), _add(h, 0, w[2]), _add(h, 1, w[3])
            pos += 32
        if remainder >= 16:
            w = struct.unpack_from("<2Q", data, pos)
            _add(h, 2, w[0]), _add(h, 3, w[1]), _short_mix(h)
            pos, remainder = pos + 16, remainder - 16
    _add(h, 3, (n << 56) & _M)
    tail = data[pos:pos + remainder] + bytes(16)
    if remainder == 0:
        _add(h, 2, _C), _add(h, 3, _C)
    elif remainder >= 8:
        _add(h, 2, struct.unpack_from("<Q", tail)[0]), _add(h, 3, int.from_bytes(tail[8:remainder], "little"))
    else:
        _add(h, 2, int.from_bytes(tail[:remainder], "little"))
    _short_end(h)
    return h[0]


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
    "trino_spooky_hash_v2_32": (lambda b: (spooky_hash64(b) & 0xFFFFFFFF).to_bytes(4, "big"), [_BLOB], _BLOB),
    "trino_spooky_hash_v2_64": (lambda b: spooky_hash64(b).to_bytes(8, "big"), [_BLOB], _BLOB),
}
