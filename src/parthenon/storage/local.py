"""Local folders: absolute paths and file:// URLs."""
from __future__ import annotations

import os
import shutil
import uuid
from typing import Iterator

from ..errors import InvalidLocation, StorageError


def normalize(location: str) -> str:
    path = location[len("file://"):] if location.startswith("file://") else location
    if not os.path.isabs(path):
        raise InvalidLocation(
            f"Invalid location '{location}': use s3://bucket/prefix/, file:///abs/path/ or an absolute path")
    return path


def iter_objects(location: str) -> Iterator[tuple[str, int]]:
    """Objects under a location in key order, one folder at a time (never the whole tree in memory)."""
    root = normalize(location)
    if os.path.isfile(root):
        yield root, os.path.getsize(root)
        return
    yield from _walk(root)


def _walk(folder: str) -> Iterator[tuple[str, int]]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return          # a location that does not exist holds no objects
    # Key order as S3 lists it: a/b sorts by the full path, so files and folders interleave by name.
    for entry in sorted(entries, key=lambda e: e.name + ("/" if e.is_dir() else "")):
        if entry.is_dir():
            yield from _walk(entry.path)
        elif entry.is_file():
            yield entry.path, entry.stat().st_size


def list_folders(location: str) -> Iterator[str]:
    """The immediate sub-folders of a location, as paths ending in '/'."""
    root = normalize(location).rstrip("/")
    try:
        entries = sorted(e.name for e in os.scandir(root) if e.is_dir())
    except OSError:
        return
    for name in entries:
        yield f"{root}/{name}/"


def list_objects(location: str) -> list[tuple[str, int]]:
    return list(iter_objects(location))


def read_bytes(url: str) -> bytes:
    path = normalize(url)
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise StorageError(f"Error opening Hive split {url}: {e.strerror}") from None


def read_range(url: str, start: int, length: int) -> bytes:
    path = normalize(url)
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            return os.pread(fd, length, start)
        finally:
            os.close(fd)
    except OSError as e:
        raise StorageError(f"Error opening Hive split {url}: {e.strerror}") from None


def read_tail(url: str, n: int) -> bytes:
    path = normalize(url)
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - n))
            return f.read()
    except OSError as e:
        raise StorageError(f"Error opening Hive split {url}: {e.strerror}") from None


# -- writes: a temporary name in the target folder, then a rename (atomic on one filesystem)
def put(url: str, data: bytes) -> None:
    path = normalize(url)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = _temporary(path)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        raise StorageError(f"Error writing {url}: {e.strerror or e}") from None


def move_in(source: str, url: str) -> None:
    path = normalize(url)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            os.replace(source, path)
        except OSError:     # another filesystem: copy beside the target, then rename
            tmp = _temporary(path)
            shutil.copyfile(source, tmp)
            os.replace(tmp, path)
            os.remove(source)
    except OSError as e:
        raise StorageError(f"Error writing {url}: {e.strerror or e}") from None


def rename(source: str, target: str) -> None:
    move_in(normalize(source), target)


def delete(url: str) -> None:
    try:
        os.remove(normalize(url))
    except FileNotFoundError:
        pass
    except OSError as e:
        raise StorageError(f"Error deleting {url}: {e.strerror or e}") from None


def delete_tree(location: str) -> None:
    path = normalize(location)
    if os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.exists(path):
        delete(path)


def _temporary(path: str) -> str:
    """A hidden name beside `path` (listings skip names starting with '.')."""
    return os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{uuid.uuid4().hex}.tmp")
