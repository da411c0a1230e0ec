"""Trino's hashes and base32, in plain Python: both engines call these (DuckDB as scalar
functions, Spark as Python UDFs), so a rule lives here once.

- ``murmur3``: MurmurHash3 x64 128-bit, seed 0 (airlift's Murmur3Hash128), 16 bytes.
- ``xxhash64``: XXH64, seed 0, its 8 bytes big-endian as Trino returns them.
- ``spooky_hash_v2_32/64``: Bob Jenkins' SpookyHash V2, seed 0, as airlift's SpookyHashV2
  that Trino calls; its short form, for inputs under 192 bytes: a longer one is refused
  with NOT_SUPPORTED rather than hashed otherwise.
- ``to_base32`` / ``from_base32``: RFC 4648 with padding, as Guava's ``base32()``:
  decoding drops trailing '=' and then needs upper-case alphabet characters only, in a
  count that ends a byte (8k + 0, 2, 4, 5 or 7); other text is INVALID_FUNCTION_ARGUMENT.
"""
from __future__ import annotations

import base64
import re
import struct

import mmh3
import xxhash


def murmur3(data: bytes) -> bytes:
    return mmh3.hash_bytes(bytes(data))


def xxhash64(data: bytes) -> bytes:
    return xxhash.xxh64_digest(bytes(data))


def to_base32(data: bytes) -> str:
    return base64.b32encode(bytes(data)).decode("ascii")


_BASE32 = re.compile(r"[A-Z2-7]*")


def from_base32(text) -> bytes:
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("latin-1")
    body = text.rstrip("=")
    if not _BASE32.fullmatch(body) or len(body) % 8 not in (0, 2, 4, 5, 7):
        raise ValueError(f"INVALID_FUNCTION_ARGUMENT: Invalid input for base32: {text}")
    return base64.b32decode(body + "=" * (-len(body) % 8))


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
    data = bytes(data)
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


def spooky_hash_v2_32(data: bytes) -> bytes:
    return (spooky_hash64(data) & 0xFFFFFFFF).to_bytes(4, "big")


def spooky_hash_v2_64(data: bytes) -> bytes:
    return spooky_hash64(data).to_bytes(8, "big")
