"""Trino's setdigest (io.trino.type.setdigest.SetDigest) in Python, byte for byte.

A set digest is a MinHash of at most 8192 hashes, each with a count of the values that
gave it, and an airlift HyperLogLog of 2048 buckets.  Both take the 64-bit MurmurHash3
(airlift's ``Murmur3Hash128.hash64``: the first half of MurmurHash3 x64 128, seed 0) of
the value: a bigint as its 8 bytes little-endian, a varchar as its UTF-8 bytes.

Serialised (all little-endian): a format byte 1, the HyperLogLog's length (int) and bytes,
the maximum number of hashes (int, 8192), the number of hashes (int), the hashes in
ascending (signed) order (longs), then their counts (shorts, saturating at 32767).

The HyperLogLog is kept here only while airlift keeps it sparse: format byte 2, the index
bit length (11), the number of entries (short), then the entries (ints) in ascending
bucket order, each the hash's top 26 bits shifted left by 6 and the number of leading zeros
of the rest (capped by a 1 placed at bit 25 of what is left).  airlift makes it dense once
the sparse form takes more memory than the dense one, which no entry count up to 251 does
(the sparse array's capacity grows by 10 from 1: 251 entries fit in 1,044 bytes, the dense
form of 2048 buckets takes 1,040 bytes and its object header); past 251 entries, or a
dense HyperLogLog read in, is ``Refused`` (the engines answer NOT_SUPPORTED).

``cardinality`` is exact while the digest holds fewer than 8192 hashes (the count of
hashes), the HyperLogLog's estimate otherwise (linear counting over 2^26 buckets while
sparse); ``intersection_cardinality`` of two exact digests counts their common hashes,
otherwise it is the Jaccard index times the HyperLogLog of the union, rounded.
"""
from __future__ import annotations

import math
import struct

_MASK = (1 << 64) - 1
_C1, _C2 = 0x87C37B91114253D5, 0x4CF5AD432745937F
MAX_HASHES = 8192
_INDEX_BITS = 11                # 2048 buckets
_PREFIX_BITS = 26               # Integer.SIZE - 6 value bits
_MAX_SPARSE = 251
_SHORT_MAX = 32767


class Refused(Exception):
    """Trino's answer is not certain here (NOT_SUPPORTED)."""


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (64 - r))) & _MASK


def _fmix(k: int) -> int:
    k ^= k >> 33
    k = (k * 0xFF51AFD7ED558CCD) & _MASK
    k ^= k >> 33
    k = (k * 0xC4CEB9FE1A85EC53) & _MASK
    return k ^ (k >> 33)


def _signed(x: int) -> int:
    return x - (1 << 64) if x >= 1 << 63 else x


def hash64(data: bytes) -> int:
    """MurmurHash3 x64 128 of ``data``, seed 0: its first 64 bits, as a signed long."""
    h1 = h2 = 0
    n = len(data)
    blocks = n // 16
    for i in range(blocks):
        k1, k2 = struct.unpack_from("<QQ", data, i * 16)
        k1 = (_rotl((k1 * _C1) & _MASK, 31) * _C2) & _MASK
        h1 = (_rotl(h1 ^ k1, 27) + h2) & _MASK
        h1 = (h1 * 5 + 0x52DCE729) & _MASK
        k2 = (_rotl((k2 * _C2) & _MASK, 33) * _C1) & _MASK
        h2 = (_rotl(h2 ^ k2, 31) + h1) & _MASK
        h2 = (h2 * 5 + 0x38495AB5) & _MASK
    tail = data[blocks * 16:]
    if len(tail) > 8:
        k2 = int.from_bytes(tail[8:], "little")
        h2 ^= (_rotl((k2 * _C2) & _MASK, 33) * _C1) & _MASK
    if tail:
        k1 = int.from_bytes(tail[:8], "little")
        h1 ^= (_rotl((k1 * _C1) & _MASK, 31) * _C2) & _MASK
    h1 ^= n
    h2 ^= n
    h1 = (h1 + h2) & _MASK
    h2 = (h2 + h1) & _MASK
    h1, h2 = _fmix(h1), _fmix(h2)
    return _signed((h1 + h2) & _MASK)


def hash_value(value: int | str) -> int:
    if isinstance(value, int):
        return hash64(struct.pack("<q", value))
    return hash64(value.encode("utf-8"))


def _leading_zeros(x: int) -> int:
    return 64 - x.bit_length()


class SetDigest:
    def __init__(self) -> None:
        self.hll: dict[int, int] = {}           # sparse bucket (top 26 bits) -> value (6 bits)
        self.minhash: dict[int, int] = {}       # hash -> count
        self.max_hashes = MAX_HASHES

    # -- adding ---------------------------------------------------------------------
    def add(self, value: int | str) -> None:
        h = hash_value(value)
        self.minhash[h] = min(self.minhash.get(h, 0) + 1, _SHORT_MAX)
        self._trim()
        u = h & _MASK
        bucket = u >> (64 - _PREFIX_BITS)
        zeros = _leading_zeros(((u << _PREFIX_BITS) & _MASK) | (1 << (_PREFIX_BITS - 1)))
        if self.hll.get(bucket, -1) < zeros:
            self.hll[bucket] = zeros
        self._check_sparse()

    def merge(self, other: "SetDigest") -> None:
        for b, v in other.hll.items():
            if self.hll.get(b, -1) < v:
                self.hll[b] = v
        self._check_sparse()
        for h, c in other.minhash.items():
            self.minhash[h] = min(self.minhash.get(h, 0) + c, _SHORT_MAX)
        self._trim()

    def _trim(self) -> None:
        while len(self.minhash) > self.max_hashes:
            del self.minhash[max(self.minhash)]

    def _check_sparse(self) -> None:
        if len(self.hll) > _MAX_SPARSE:
            raise Refused("a set digest of more than 251 HyperLogLog entries (Trino's dense form)")

    # -- answers --------------------------------------------------------------------
    def is_exact(self) -> bool:
        return len(self.minhash) < self.max_hashes

    def cardinality(self) -> int:
        if self.is_exact():
            return len(self.minhash)
        return self.hll_cardinality()

    def hll_cardinality(self) -> int:
        total = 1 << _PREFIX_BITS
        return _java_round(total * math.log(total / (total - len(self.hll))))

    # -- bytes ----------------------------------------------------------------------
    def serialize(self) -> bytes:
        entries = [(b << 6) | v for b, v in sorted(self.hll.items())]
        hll = struct.pack("<bbh", 2, _INDEX_BITS, len(entries)) + struct.pack(f"<{len(entries)}i", *[
            _signed32(e) for e in entries])
        keys = sorted(self.minhash)
        return (struct.pack("<bi", 1, len(hll)) + hll + struct.pack("<ii", self.max_hashes, len(keys))
                + struct.pack(f"<{len(keys)}q", *keys) + struct.pack(f"<{len(keys)}h", *[self.minhash[k] for k in keys]))

    @classmethod
    def deserialize(cls, data: bytes) -> "SetDigest":
        try:
            fmt, hll_length = struct.unpack_from("<bi", data, 0)
            if fmt != 1:
                raise ValueError("INVALID_FUNCTION_ARGUMENT: Unexpected version")
            hll = data[5:5 + hll_length]
            if hll[:1] != b"\x02":
                raise Refused("a set digest whose HyperLogLog is dense")
            _, bits, count = struct.unpack_from("<bbh", hll, 0)
            if bits != _INDEX_BITS or len(hll) != 4 + 4 * count:
                raise Refused("a set digest of another HyperLogLog size")
            d = cls()
            for e in struct.unpack_from(f"<{count}i", hll, 4):
                d.hll[(e & 0xFFFFFFFF) >> 6] = e & 0x3F
            at = 5 + hll_length
            d.max_hashes, n = struct.unpack_from("<ii", data, at)
            keys = struct.unpack_from(f"<{n}q", data, at + 8)
            counts = struct.unpack_from(f"<{n}h", data, at + 8 + 8 * n)
            d.minhash = dict(zip(keys, counts))
        except struct.error:
            raise ValueError("INVALID_FUNCTION_ARGUMENT: Cannot deserialize set digest") from None
        return d


def _signed32(x: int) -> int:
    return x - (1 << 32) if x >= 1 << 31 else x


def _java_round(x: float) -> int:
    return math.floor(x + 0.5)


def jaccard_index(a: SetDigest, b: SetDigest) -> float:
    smaller = min(len(a.minhash), len(b.minhash))
    union = sorted(set(a.minhash) | set(b.minhash))[:max(smaller, 1)]
    common = sum(1 for k in union if k in a.minhash and k in b.minhash)
    return common / smaller if smaller else math.nan


def intersection_cardinality(a: SetDigest, b: SetDigest) -> int:
    if a.is_exact() and b.is_exact():
        return len(set(a.minhash) & set(b.minhash))
    union = SetDigest()
    union.merge(a)
    union.merge(b)
    result = _java_round(jaccard_index(a, b) * union.cardinality())
    return min(result, a.cardinality(), b.cardinality())


# -- the functions on serialised digests (the engines' UDFs) ------------------------------

def make(values) -> bytes | None:
    values = [v for v in values or () if v is not None]
    if not values:
        return None
    d = SetDigest()
    for v in values:
        d.add(v)
    return d.serialize()


def merge_all(digests) -> bytes | None:
    digests = [x for x in digests or () if x is not None]
    if not digests:
        return None
    d = SetDigest()
    for x in digests:
        d.merge(SetDigest.deserialize(x))
    return d.serialize()
