"""Where table data lives: local folders and S3-compatible buckets.

Everything else in Parthenon names data by URL (`s3://bucket/key`, `file:///abs`
or an absolute path) and goes through the functions here, so listing rules
(hidden files, folder markers) and error wording live in one place.

Writes are all-or-nothing per object: `put` is one PUT on S3 and a temporary
file renamed into place locally; `move_in` lands a finished local file (a rename
on local disk, an upload on S3: one PUT, or a multipart upload above
`s3.MULTIPART_THRESHOLD`).  A reader sees no object or the whole object.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from . import local, s3


@dataclass(frozen=True)
class ObjectInfo:
    url: str      # s3://bucket/key or an absolute local path
    size: int     # bytes as stored (compressed size)


def _backend(url: str):
    return s3 if url.startswith("s3://") else local


def normalize_location(location: str) -> str:
    """file:///x -> /x; s3 URLs unchanged; anything else must be an absolute path."""
    return _backend(location).normalize(location)


def list_objects(location: str) -> list[ObjectInfo]:
    """Every visible object under a location, recursively, in key order.

    Like Athena, names starting with '_' or '.' are hidden, and so is anything
    under a folder with such a name; zero-byte 'folder/' markers are skipped.
    A location that does not exist holds no objects (Athena returns no rows).
    """
    return list(iter_objects(location))


def iter_objects(location: str) -> Iterator[ObjectInfo]:
    """list_objects, streamed: a bucket with millions of keys is never held in memory."""
    backend = _backend(location)
    root = backend.normalize(location)
    for url, size in backend.iter_objects(location):
        if not _hidden(url[len(root):]):
            yield ObjectInfo(url, size)


def list_folders(location: str) -> Iterator[str]:
    """The visible immediate sub-folders of a location (URLs ending in '/'), streamed."""
    for url in _backend(location).list_folders(location):
        if url.rstrip("/").rsplit("/", 1)[-1][:1] not in ("_", "."):
            yield url


def read_bytes(url: str) -> bytes:
    return _backend(url).read_bytes(url)


def read_range(url: str, start: int, length: int) -> bytes:
    """`length` bytes from offset `start` (fewer at the end of the object)."""
    return _backend(url).read_range(url, start, length)


def read_tail(url: str, n: int) -> bytes:
    """The last n bytes of an object (gzip keeps the uncompressed size there)."""
    return _backend(url).read_tail(url, n)


def iter_all(location: str) -> Iterator[ObjectInfo]:
    """Every object under a location, hidden ones too (staging areas, for clean-up)."""
    for url, size in _backend(location).iter_objects(location):
        yield ObjectInfo(url, size)


def is_hidden(url: str, root: str) -> bool:
    """Whether `url`, under `root`, is one that listings skip."""
    return _hidden(url[len(_backend(root).normalize(root)):])


# -- writes
def put(url: str, data: bytes) -> None:
    """Write a whole object at once: readers see nothing or all of it."""
    _backend(url).put(url, data)


def move_in(path: str, url: str) -> None:
    """Land the finished local file `path` at `url`; `path` is gone afterwards."""
    _backend(url).move_in(path, url)


def rename(source: str, target: str) -> None:
    """Move an object within one store: atomic on local disk, copy then delete on S3."""
    if _backend(source) is not _backend(target):
        raise ValueError(f"cannot rename across stores: {source} -> {target}")
    _backend(source).rename(source, target)


def delete(url: str) -> None:
    """Remove one object; one that is already gone is no error."""
    _backend(url).delete(url)


def delete_tree(location: str) -> None:
    """Remove everything under a location, hidden objects included."""
    _backend(location).delete_tree(location)


def _hidden(relative_path: str) -> bool:
    return any(part[:1] in ("_", ".") for part in relative_path.split("/") if part)
