"""S3 buckets the operator maps to local folders (`parthenon serve --s3-bucket NAME=PATH`).

Where query results live on local disk there is no S3 to read them from, yet clients
(PyAthena's Pandas and Arrow cursors, awswrangler) read them by their s3:// URL.  A mapped
bucket is both a storage backend (`storage._backend` picks this module for its s3:// URLs:
results, tables and CTAS output under `s3://NAME/` are files in the folder, named by their
s3:// URLs) and what the server's S3 subset (`server/s3_subset.py`) serves.  Nothing
outside a mapped folder is reachable through it: a key is confined to its folder (no `..`,
no symlink out), and an unmapped bucket is no bucket at all.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

from ..errors import PermissionDenied
from . import local

_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_folders: dict[str, Path] = {}


class OutsideFolder(Exception):
    """A key that would leave its bucket's folder."""


def parse(spec: str) -> tuple[str, Path]:
    """'NAME=PATH' -> (bucket, absolute folder); ValueError with what is wrong."""
    name, sep, path = spec.partition("=")
    if not sep or not path:
        raise ValueError(f"expected BUCKET=FOLDER, got {spec!r}")
    if not _BUCKET_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not an S3 bucket name (3-63 of a-z, 0-9, '.', '-')")
    folder = Path(path).expanduser().resolve()
    if not folder.is_dir():
        raise ValueError(f"the folder for bucket {name} does not exist: {folder}")
    return name, folder


def configure(mapping: dict[str, Path]) -> None:
    """Replace the process's mapped buckets (the server sets them at start)."""
    _folders.clear()
    _folders.update({name: Path(folder).resolve() for name, folder in mapping.items()})


def buckets() -> dict[str, Path]:
    return dict(_folders)


def folder(bucket: str) -> Path | None:
    return _folders.get(bucket)


def path_of(bucket: str, key: str) -> Path:
    """The file a key names inside its bucket's folder; OutsideFolder if it would leave it."""
    root = _folders[bucket]
    parts = key.split("/")
    if key.startswith("/") or any(p in ("..",) for p in parts) or "\x00" in key:
        raise OutsideFolder(key)
    path = root.joinpath(*[p for p in parts if p not in ("", ".")])
    real = Path(os.path.realpath(path))
    if real != root and root not in real.parents:
        raise OutsideFolder(key)          # a symlink that points out of the folder
    return path


def local_path(url: str) -> Path | None:
    """s3://NAME/key of a mapped bucket -> its file; None for any other URL."""
    if not url.startswith("s3://"):
        return None
    bucket, _, key = url[len("s3://"):].partition("/")
    if bucket not in _folders:
        return None
    return path_of(bucket, key)


def maps(url: str) -> bool:
    """Whether an s3:// URL names a mapped bucket (then this module is its backend)."""
    return bool(_folders) and url.startswith("s3://") and \
        url[len("s3://"):].partition("/")[0] in _folders


# -- the storage backend: local's functions, on s3://NAME/ URLs
def _local(url: str) -> str:
    try:
        path = str(local_path(url))
    except OutsideFolder:
        raise PermissionDenied(f"{url} leaves the folder its bucket is mapped to") from None
    return path + "/" if url.endswith("/") and not path.endswith("/") else path


def _url(path: str, like: str) -> str:
    """A local path under a mapped folder back as the s3:// URL of the bucket `like` names."""
    bucket = like[len("s3://"):].partition("/")[0]
    root = str(_folders[bucket])
    return f"s3://{bucket}/" + path[len(root):].lstrip("/")


def normalize(location: str) -> str:
    return location


def _root(url: str) -> str:
    """Symbolic links inside a mapped bucket may not lead out of its folder."""
    return str(_folders[url[len("s3://"):].partition("/")[0]])


def _boundary(location: str, within: str | None) -> str:
    """Symbolic links may not lead out of `within` (the table's location, an s3:// URL in the
    same mapped bucket), else out of the bucket's folder."""
    return _local(within) if within else _root(location)


def iter_objects(location: str, include_hidden: bool = False,
                 within: str | None = None) -> Iterator[tuple[str, int]]:
    for path, size in local.iter_objects(_local(location), _boundary(location, within),
                                         include_hidden):
        yield _url(path, location), size


def list_folders(location: str, within: str | None = None) -> Iterator[str]:
    for path in local.list_folders(_local(location), _boundary(location, within)):
        yield _url(path, location)


def list_objects(location: str) -> list[tuple[str, int]]:
    return list(iter_objects(location))


def read_bytes(url: str) -> bytes:
    return local.read_bytes(_local(url))


def read_range(url: str, start: int, length: int) -> bytes:
    return local.read_range(_local(url), start, length)


def modified(url: str) -> float:
    return local.modified(_local(url))


def read_tail(url: str, n: int) -> bytes:
    return local.read_tail(_local(url), n)


def put(url: str, data: bytes) -> None:
    local.put(_local(url), data)


def move_in(source: str, url: str) -> None:
    local.move_in(source, _local(url))


def rename(source: str, target: str) -> None:
    local.rename(_local(source), _local(target))


def delete(url: str) -> None:
    local.delete(_local(url))


def delete_tree(location: str) -> None:
    local.delete_tree(_local(location))
