"""Byte-level helpers of the demo generator: random ids and UUIDs drawn from a given
`random.Random`, ISO timestamps, compact JSON (orjson) and deterministic gzip."""
from __future__ import annotations

import random
import zlib
from datetime import datetime, timezone
from typing import Any

import orjson

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
GZIP_LEVEL = 1

# A version-4 UUID from 128 random bits: clear the version and variant bits, then set them.
UUID_CLEAR = ~((0xF << 76) | (0x3 << 62))
UUID_SET = (0x4 << 76) | (0x2 << 62)


def random_id(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choices(alphabet, k=n))


def random_uuid(rng: random.Random) -> str:
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def iso(ts: float) -> str:
    """A POSIX timestamp as CloudTrail writes times: 2017-06-15T13:27:13Z."""
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def json_bytes(obj: Any) -> bytes:
    return orjson.dumps(obj)


try:  # ISA-L's deflate is ~5x faster than zlib's at level 1 (a dependency of parthenon)
    from isal import isal_zlib as _deflate
except ImportError:  # pragma: no cover - plain zlib works, only slower
    _deflate = zlib


def gzip_bytes(data: bytes) -> bytes:
    """gzip with a fixed header (mtime 0), level 1: the same input gives the same bytes."""
    return _deflate.compress(data, GZIP_LEVEL, 31)
