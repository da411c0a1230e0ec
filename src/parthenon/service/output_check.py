"""Is a query's output location usable?  Checked at StartQueryExecution, before any scan.

Athena refuses a query whose output bucket it cannot use at StartQueryExecution itself:
``InvalidRequestException: Unable to verify/create output bucket <bucket>`` (no query
execution is created).  Parthenon does the same instead of finding out after the whole
scan: a zero-byte ``.parthenon-write-check`` object must be accepted under the output
prefix (then deleted again; the leading dot hides it from table scans), on S3, in a bucket
the server maps to a folder, or in a local folder.

Answers are cached per location (a minute when usable, a few seconds when not), so a
client that starts many queries, or retries, does not pay a round trip each time.
"""
from __future__ import annotations

import logging
import threading
import time

from ..errors import ParthenonError
from .errors import InvalidRequest

OK_TTL_S = 60.0
FAILED_TTL_S = 5.0
PROBE = ".parthenon-write-check"
log = logging.getLogger(__name__)


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
    """What is wrong with the location, in Athena's words; None when it is usable.

    A zero-byte probe goes through storage like the results will (S3, a bucket the server
    maps to a folder, or local disk), and is deleted again."""
    import botocore.exceptions

    from .. import storage

    probe = folder + PROBE
    try:
        storage.put(probe, b"")
    except (ParthenonError, OSError, botocore.exceptions.BotoCoreError,
            botocore.exceptions.ClientError) as e:
        # Athena's answer names only the bucket; the operator's log says why
        log.warning("output location %s refused: the write check failed: %s", folder, e)
        if folder.startswith("s3://"):
            return f"Unable to verify/create output bucket {folder[5:].split('/', 1)[0]}"
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        return f"Unable to verify/create output location {folder}: {reason}"
    try:
        storage.delete(probe)
    except (ParthenonError, OSError, botocore.exceptions.BotoCoreError,
            botocore.exceptions.ClientError):
        pass          # writable is what was asked; a bucket may refuse deletes
    return None
