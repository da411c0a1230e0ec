"""Files read by byte range: what a columnar query really touches, and its byte count.

Parquet and ORC readers jump to the footer, then to the column chunks (or
streams) they need.  Serving such a file whole would read, and count, every
column; here each `read` becomes one ranged read from storage, and a
`RangeSet` keeps the union of the ranges read, so a byte read twice (a
footer read by two threads) is counted once, as Athena counts data scanned.
"""
from __future__ import annotations

import bisect
import io
import threading

from ... import storage

# Each ranged GET to an object store costs a round trip: small reads (page
# headers, footers) are widened to this many bytes and served from the block.
REMOTE_MIN_READ = 64 * 1024


class RangeSet:
    """Disjoint [start, end) intervals; `total` is the number of distinct bytes."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        self.total = 0
        self._lock = threading.Lock()

    def add(self, start: int, end: int) -> None:
        if end <= start:
            return
        with self._lock:
            # Intervals that touch or overlap [start, end) are merged into one.
            i = bisect.bisect_left(self._ends, start)
            j = bisect.bisect_right(self._starts, end)
            if i < j:
                start = min(start, self._starts[i])
                end = max(end, self._ends[j - 1])
                self.total -= sum(e - s for s, e in zip(self._starts[i:j], self._ends[i:j]))
            self._starts[i:j] = [start]
            self._ends[i:j] = [end]
            self.total += end - start


class SeekableReader(io.RawIOBase):
    """A read-only, seekable raw file of `size` bytes: position, seek and the clamping of
    reads to the end. A subclass sets `size` and `pos` and gives `_read(start, end)`, the
    bytes of [start, end) for 0 <= start < end <= size."""

    size: int
    pos: int

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def read(self, size: int = -1) -> bytes:
        start = self.pos
        end = self.size if size is None or size < 0 else min(self.size, start + size)
        if start >= end:
            return b""
        data = self._read(start, end)
        self.pos = start + len(data)
        return data

    def _read(self, start: int, end: int) -> bytes:
        raise NotImplementedError

    def readinto(self, buffer) -> int:
        chunk = self.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)

    def readall(self) -> bytes:
        return self.read(-1)


class RangedFile(SeekableReader):
    """A read-only, seekable file over an object that fetches only the ranges asked for."""

    def __init__(self, url: str, size: int, ranges: RangeSet):
        self.url, self.size, self.ranges, self.pos = url, size, ranges, 0
        self._remote = url.startswith("s3://")
        self._block_start, self._block = 0, b""

    def _read(self, start: int, end: int) -> bytes:
        block_end = self._block_start + len(self._block)
        if self._block_start <= start and end <= block_end:
            return self._block[start - self._block_start:end - self._block_start]
        return self._fetch(start, end)

    def _fetch(self, start: int, end: int) -> bytes:
        fetch_end = min(self.size, max(end, start + REMOTE_MIN_READ)) if self._remote else end
        data = storage.read_range(self.url, start, fetch_end - start)
        self.ranges.add(start, start + len(data))
        if fetch_end > end:
            self._block_start, self._block = start, data
        return data[:end - start]
