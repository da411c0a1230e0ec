"""Where table data lives: local folders and S3-compatible buckets.

Everything else in Parthenon names data by URL (`s3://bucket/key`, `file:///abs`
or an absolute path) or by a parsed `Location`, and goes through the functions here,
so listing rules (hidden files, folder markers, symbolic links) and error wording
live in one place.  Locations are parsed by `location.Location`.

Writes are all-or-nothing per object: `put` is one PUT on S3 and a temporary
file renamed into place locally; `move_in` lands a finished local file (a rename
on local disk, an upload on S3: one PUT, or a multipart upload above
`s3.MULTIPART_THRESHOLD`).  A reader sees no object or the whole object.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from . import bucket_folders, local, s3
from .location import Location, hidden_name


@dataclass(frozen=True)
class ObjectInfo:
    url: str      # s3://bucket/key or an absolute local path
    size: int     # bytes as stored (compressed size)


def normalize_location(location: "str | Location") -> str:
    """The URL storage uses for a location: s3://bucket/key or /abs/path (no trailing '/')."""
    return Location.parse(location).url


def list_objects(location: "str | Location", within: "str | Location | None" = None) -> list[ObjectInfo]:
    """Every visible object under a location, recursively, in key order.

    Like Athena, names starting with '_' or '.' are hidden, and so is anything
    under a folder with such a name; zero-byte 'folder/' markers are skipped.
    A location that does not exist holds no objects (Athena returns no rows).
    Local symbolic links are followed only while they stay inside `within`
    (default: the location itself), e.g. a partition's table.
    """
    return list(iter_objects(location, within))


def iter_objects(location: "str | Location", within: "str | Location | None" = None) -> Iterator[ObjectInfo]:
    """list_objects, streamed: a bucket with millions of keys is never held in memory."""
    loc = Location.parse(location)
    if loc.is_s3:
        root = loc.url
        backend = _s3(loc.url)
        listing = s3.iter_objects(loc.url) if backend is s3 else \
            backend.iter_objects(loc.url, within=_mapped_within(loc, within))
        for url, size in listing:
            if not _hidden(url[len(root):]):
                yield ObjectInfo(url, size)
        return
    for url, size in local.iter_objects(loc.path, _boundary(loc, within)):
        yield ObjectInfo(url, size)


def list_folders(location: "str | Location", within: "str | Location | None" = None) -> Iterator[str]:
    """The visible immediate sub-folders of a location (URLs ending in '/'), streamed."""
    loc = Location.parse(location)
    if not loc.is_s3:
        folders = local.list_folders(loc.path, _boundary(loc, within))
    elif _s3(loc.url) is s3:
        folders = s3.list_folders(loc.url)
    else:
        folders = bucket_folders.list_folders(loc.url, within=_mapped_within(loc, within))
    for url in folders:
        if not hidden_name(url.rstrip("/").rsplit("/", 1)[-1]):
            yield url


def read_bytes(url: str) -> bytes:
    backend, url = _reader(url)
    return backend.read_bytes(url)


def read_range(url: str, start: int, length: int) -> bytes:
    """`length` bytes from offset `start` (fewer at the end of the object)."""
    backend, url = _reader(url)
    return backend.read_range(url, start, length)


def modified(url: str) -> float:
    """When an object was last written, seconds since the epoch (Athena's "$file_modified_time")."""
    backend, url = _reader(url)
    return backend.modified(url)


def read_tail(url: str, n: int) -> bytes:
    """The last n bytes of an object (gzip keeps the uncompressed size there)."""
    backend, url = _reader(url)
    return backend.read_tail(url, n)


def _s3(url: str):
    """The backend of an s3:// URL: a bucket the operator maps to a local folder
    (serve --s3-bucket) is that folder (storage.bucket_folders)."""
    return bucket_folders if bucket_folders.maps(url) else s3


def _mapped_within(loc: Location, within: "str | Location | None") -> str:
    """In a mapped bucket, the s3:// URL symbolic links may not lead out of (as `_boundary`)."""
    outer = Location.parse(within) if within is not None else None
    return (outer if outer is not None and loc.within(outer) else loc).folder_url


def _reader(url: str):
    """Reads take the URLs listings return: S3 keys exactly as listed, local paths parsed."""
    if url.startswith("s3://"):
        return _s3(url), url
    return local, Location.parse(url).path


def _boundary(loc: Location, within: "str | Location | None") -> str:
    """The local folder symbolic links may not lead out of."""
    if within is None:
        return loc.path
    outer = Location.parse(within)
    return outer.path if not outer.is_s3 and loc.within(outer) else loc.path


def iter_all(location: "str | Location") -> Iterator[ObjectInfo]:
    """Every object under a location, hidden ones too (staging areas, for clean-up)."""
    loc = Location.parse(location)
    listing = _s3(loc.url).iter_objects(loc.url, include_hidden=True) if loc.is_s3 else \
        local.iter_objects(loc.path, loc.path, include_hidden=True)
    for url, size in listing:
        yield ObjectInfo(url, size)


def is_hidden(url: str, root: "str | Location") -> bool:
    """Whether `url`, under `root`, is one that listings skip."""
    return _hidden(url[len(normalize_location(root)):])


# -- writes
def _writer(url: "str | Location"):
    """(backend, what it takes): S3 URLs as given, local paths parsed (and checked) once."""
    loc = Location.parse(url)
    return (_s3(loc.url), loc.url) if loc.is_s3 else (local, loc.path)


def put(url: str, data: bytes) -> None:
    """Write a whole object at once: readers see nothing or all of it."""
    backend, target = _writer(url)
    backend.put(target, data)


def move_in(path: str, url: "str | Location") -> None:
    """Land the finished local file `path` at `url`; `path` is gone afterwards."""
    backend, target = _writer(url)
    backend.move_in(path, target)


def rename(source: "str | Location", target: "str | Location") -> None:
    """Move an object within one store: atomic on local disk, copy then delete on S3."""
    (backend, src), (other, dst) = _writer(source), _writer(target)
    if backend is not other:
        raise ValueError(f"cannot rename across stores: {source} -> {target}")
    backend.rename(src, dst)


def delete(url: "str | Location") -> None:
    """Remove one object; one that is already gone is no error."""
    backend, target = _writer(url)
    backend.delete(target)


def delete_tree(location: "str | Location") -> None:
    """Remove everything under a location, hidden objects included."""
    backend, target = _writer(location)
    backend.delete_tree(target)


def _hidden(relative_path: str) -> bool:
    return any(hidden_name(part) for part in relative_path.split("/") if part)
