"""GetQueryResults pages read back from a CSV result file, without reading it whole.

The writer records where every PAGE_ROWS-th row starts (`page_offsets`); a page is then
one ranged read of at most two such spans.  For a result written before this server
started, the offsets are found by one streaming pass over the file: a row ends at a
newline outside quotes (Athena quotes every value and doubles inner quotes, so the
count of quotes so far is even exactly there).
"""
from __future__ import annotations

from typing import Iterator

from ..storage import s3
from ..storage.location import Location
from . import results
from .result_writer import PAGE_ROWS

CHUNK = 1 << 20


def read_rows(location: str, offsets: list[int], lo: int, hi: int) -> list[tuple]:
    """Rows lo..hi (0 = the first after the header) of a CSV result."""
    if hi <= lo or lo // PAGE_ROWS >= len(offsets):
        return []
    first, last = lo // PAGE_ROWS, (hi - 1) // PAGE_ROWS
    start = offsets[first]
    end = offsets[last + 1] if last + 1 < len(offsets) else None
    rows = results.parse_csv(_read_range(location, start, end).decode())
    return rows[lo - first * PAGE_ROWS:hi - first * PAGE_ROWS]


def page_offsets(location: str) -> list[int]:
    """Where every PAGE_ROWS-th row of a CSV result starts (the header skipped)."""
    offsets, position, row, quotes, header = [], 0, 0, 0, True
    for line in _lines(location):
        quotes += line.count(b'"')
        position += len(line)
        if quotes % 2:            # a newline inside a quoted value: the row goes on
            continue
        quotes = 0
        if header:
            header = False
        else:
            row += 1
        if row % PAGE_ROWS == 0:
            offsets.append(position)
    if offsets and offsets[-1] == position:     # no row starts at the end of the file
        offsets.pop()
    return offsets


def _lines(location: str) -> Iterator[bytes]:
    rest = b""
    for chunk in _chunks(location):
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        for line in lines:
            yield line + b"\n"
    if rest:
        yield rest


def _chunks(location: str) -> Iterator[bytes]:
    loc = Location.parse(location)
    if loc.is_s3:
        yield from s3.client().get_object(Bucket=loc.bucket, Key=loc.key)["Body"].iter_chunks(CHUNK)
        return
    with open(loc.path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk


def _read_range(location: str, start: int, end: int | None) -> bytes:
    loc = Location.parse(location)
    if loc.is_s3:
        span = f"bytes={start}-{'' if end is None else end - 1}"
        return s3.client().get_object(Bucket=loc.bucket, Key=loc.key, Range=span)["Body"].read()
    with open(loc.path, "rb") as f:
        f.seek(start)
        return f.read() if end is None else f.read(end - start)
