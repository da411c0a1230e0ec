"""Local folders: absolute paths and file:// URLs."""
from __future__ import annotations

import os

from ..errors import InvalidLocation, StorageError


def normalize(location: str) -> str:
    path = location[len("file://"):] if location.startswith("file://") else location
    if not os.path.isabs(path):
        raise InvalidLocation(
            f"Invalid location '{location}': use s3://bucket/prefix/, file:///abs/path/ or an absolute path")
    return path


def list_objects(location: str) -> list[tuple[str, int]]:
    root = normalize(location)
    if os.path.isfile(root):
        return [(root, os.path.getsize(root))]
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            found.append((path, os.path.getsize(path)))
    found.sort()
    return found


def read_bytes(url: str) -> bytes:
    path = normalize(url)
    try:
        with open(path, "rb") as f:
            return f.read()
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
