"""Is a query's output location usable?  Checked at StartQueryExecution, before any scan.

Athena refuses a query whose output bucket it cannot use at StartQueryExecution itself:
``InvalidRequestException: Unable to verify/create output bucket <bucket>`` (no query
execution is created).  Parthenon does the same instead of finding out after the whole
scan: for ``s3://`` the bucket must answer HeadBucket and accept a PUT (a zero-byte
``.parthenon-write-check`` object under the output prefix, deleted again; the leading dot
hides it from table scans); a local folder, or its nearest existing parent, must be a
writable directory.

Answers are cached per location (a minute when usable, a few seconds when not), so a
client that starts many queries, or retries, does not pay a round trip each time.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from ..storage import bucket_folders
from .errors import InvalidRequest

OK_TTL_S = 60.0
FAILED_TTL_S = 5.0
PROBE = ".parthenon-write-check"


class OutputCheck:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, str | None]] = {}   # folder -> (expires, error)

    def require(self, folder: str) -> None:
        """Raise InvalidRequest when the output folder (normalized, ending in '/') is unusable."""
        now = self._clock()
        with self._lock:
            cached = self._cache.get(folder)
        if cached is None or cached[0] <= now:
            error = _problem(folder)
            cached = (now + (OK_TTL_S if error is None else FAILED_TTL_S), error)
            with self._lock:
                self._cache[folder] = cached
        if cached[1] is not None:
            raise InvalidRequest(cached[1])


def _problem(folder: str) -> str | None:
    """What is wrong with the location, in Athena's words; None when it is usable."""
    if bucket_folders.maps(folder):          # `serve --s3-bucket NAME=FOLDER`: a local folder
        try:
            path = bucket_folders.local_path(folder)
        except bucket_folders.OutsideFolder:
            return f"Unable to verify/create output bucket {folder[len('s3://'):].partition('/')[0]}"
    elif folder.startswith("s3://"):
        return _s3_problem(folder)
    else:
        path = Path(folder[len("file://"):] if folder.startswith("file://") else folder)
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        return f"Unable to verify/create output location {folder}: not a writable folder"
    return None


def _s3_problem(folder: str) -> str | None:
    import botocore.exceptions

    from ..storage import s3

    bucket, prefix = s3.split(folder)
    try:
        client = s3.client()
        client.head_bucket(Bucket=bucket)
        client.put_object(Bucket=bucket, Key=prefix + PROBE, Body=b"")
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
        return f"Unable to verify/create output bucket {bucket}"
    try:
        client.delete_object(Bucket=bucket, Key=prefix + PROBE)
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
        pass          # writable is what was asked; a bucket may refuse deletes
    return None
