"""Compressed text objects: the codec from the file name, decoded in Python.

Athena picks a text file's codec by its (lower-case) extension only: `.gz`,
`.bz2`, `.zst`, `.lz4`, `.snappy`, `.deflate`; `X.GZ` or a name without one of
those suffixes is read as plain text, whatever its bytes.  The engine can only
inflate gzip and zstd itself, and the text formats need to see the decoded
lines anyway (Hadoop's line rules, header skipping, CSV parsing), so every
codec is decoded here.  A corrupt object is HIVE_BAD_DATA naming the object.

`presenter(fn)` wraps a "stored bytes -> presented bytes" function into the
transform and size_of pair that a Scan needs: the engine asks for a file's
size before it reads it, and the size of decoded data is only known once it
is decoded, so the decoded bytes are kept in a small cache between the two.
"""
from __future__ import annotations

import bz2
import threading
import zlib
from collections import OrderedDict
from typing import Callable

import cramjam

from .. import storage
from ..errors import BadData, NotSupported

try:   # ISA-L inflates gzip about 1.5x faster than zlib
    from isal.igzip import decompress as _gunzip
except ImportError:  # pragma: no cover
    from gzip import decompress as _gunzip

CODECS = {".gz": "gzip", ".bz2": "bzip2", ".zst": "zstd", ".lz4": "lz4",
          ".snappy": "snappy", ".deflate": "deflate"}
UNSUPPORTED = {".lzo": "LZO", ".lzo_deflate": "LZO"}
LZ4_FRAME = b"\x04\x22\x4d\x18"
SNAPPY_FRAME = b"\xff\x06\x00\x00sNaPpY"
CACHE_ENTRIES = 8


def codec_for(url: str) -> str | None:
    """The codec Athena would use for this object name (case-sensitive, as Athena is)."""
    name = url.rsplit("/", 1)[-1]
    for ext, codec in CODECS.items():
        if name.endswith(ext):
            return codec
    for ext, codec in UNSUPPORTED.items():
        if name.endswith(ext):
            raise NotSupported(f"{codec} compressed files are not supported yet: {url}")
    return None


def inflated_size(obj: storage.ObjectInfo) -> int | None:
    """An object's uncompressed size where the format says it cheaply: gzip's trailer
    (ISIZE, the last member's size mod 2**32: exact for one-member files under 4 GiB).
    None when it cannot be told without inflating the object."""
    codec = codec_for(obj.url)
    if codec is None:
        return obj.size
    if codec == "gzip" and obj.size >= 18:
        return int.from_bytes(storage.read_tail(obj.url, 4), "little")
    return None


def decompress(data: bytes, url: str) -> bytes:
    """The object's bytes, decoded by its extension's codec (as stored when there is none)."""
    codec = codec_for(url)
    if codec is None:
        return data
    try:
        return _DECODERS[codec](data)
    except Exception as e:   # every codec library has its own error types
        raise BadData(f"Error reading {url}: not a valid {codec} file ({e})") from None


def _deflate(data: bytes) -> bytes:
    # Hadoop's DefaultCodec writes a zlib stream; accept a raw deflate stream as well.
    try:
        return zlib.decompress(data)
    except zlib.error:
        return zlib.decompress(data, -15)


def _hadoop_blocks(data: bytes, block: Callable[[bytes, int], bytes]) -> bytes:
    """Hadoop's block framing (Lz4Codec, SnappyCodec): [raw length][[chunk length][chunk]]..."""
    out, pos = [], 0
    while pos < len(data):
        remaining = int.from_bytes(data[pos:pos + 4], "big")
        pos += 4
        while remaining > 0:
            size = int.from_bytes(data[pos:pos + 4], "big")
            pos += 4
            if size <= 0 or pos + size > len(data):
                raise ValueError("truncated Hadoop block")
            chunk = block(data[pos:pos + size], remaining)
            pos += size
            remaining -= len(chunk)
            out.append(chunk)
    return b"".join(out)


def _lz4(data: bytes) -> bytes:
    if data[:4] == LZ4_FRAME:
        return bytes(cramjam.lz4.decompress(data))
    return _hadoop_blocks(data, lambda chunk, n: bytes(cramjam.lz4.decompress_block(chunk, output_len=n)))


def _snappy(data: bytes) -> bytes:
    if data[:len(SNAPPY_FRAME)] == SNAPPY_FRAME:
        return bytes(cramjam.snappy.decompress(data))
    try:
        return _hadoop_blocks(data, lambda chunk, n: bytes(cramjam.snappy.decompress_raw(chunk)))
    except Exception:
        return bytes(cramjam.snappy.decompress_raw(data))


_DECODERS = {
    "gzip": _gunzip,
    "bzip2": bz2.decompress,
    "zstd": lambda data: bytes(cramjam.zstd.decompress(data)),
    "lz4": _lz4,
    "snappy": _snappy,
    "deflate": _deflate,
}


class Presenter:
    """transform/size_of for a Scan whose presented bytes differ in length from the stored ones."""

    def __init__(self, present: Callable[[bytes, str], bytes], keeps_plain_length: bool = False):
        self.present = present
        self.keeps_plain_length = keeps_plain_length   # uncompressed objects keep their size
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        """A scan travels to Spark's executors: the rule goes, the cache and lock do not."""
        return {"present": self.present, "keeps_plain_length": self.keeps_plain_length}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)

    def transform(self, stored: bytes, url: str = "") -> bytes:
        with self._lock:
            cached = self._cache.get(url)
        return cached if cached is not None else self.present(stored, url)

    def size_of(self, obj: storage.ObjectInfo) -> int:
        if self.keeps_plain_length and not _compressed(obj.url):
            return obj.size
        with self._lock:
            cached = self._cache.get(obj.url)
        if cached is None:
            try:
                cached = self.present(storage.read_bytes(obj.url), obj.url)
            except Exception:
                # The read that follows fails the same way and reports it as the
                # query's error; a failure here would surface as an engine I/O error.
                return obj.size
            with self._lock:
                self._cache[obj.url] = cached
                while len(self._cache) > CACHE_ENTRIES:
                    self._cache.popitem(last=False)
        return len(cached)


def _compressed(url: str) -> bool:
    try:
        return codec_for(url) is not None
    except NotSupported:
        return True


__all__ = ["CODECS", "Presenter", "codec_for", "decompress"]
