"""S3 buckets the operator maps to local folders (`parthenon serve --s3-bucket NAME=PATH`).

Where query results live on local disk there is no S3 to read them from, yet clients
(PyAthena's Pandas and Arrow cursors, awswrangler) read them by their s3:// URL.  A mapped
bucket is both where the service writes `s3://NAME/...` results and what the server's S3
subset (`server/s3_subset.py`) serves.  Nothing outside a mapped folder is reachable
through it: a key is confined to its folder (no `..`, no symlink out), and an unmapped
bucket is no bucket at all.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

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
