"""CloudTrail log files: `{"Records": [...]}` objects, one row per record.

CloudTrail delivers each file as a single JSON object whose `Records` array
holds the events.  Reading that object whole is slow (the engine builds one
giant list per file), so the scan presents each file to the engine as the
bare array: the wrapper's bytes `{"Records":` and the closing `}` are
overwritten with spaces.  The file keeps its length, which the engine learns
cheaply from the gzip trailer, and the engine's fast array reader does the rest.
Files of another shape fall back to a full parse.  Digest files and other
objects that are not log files are skipped, as Athena's CloudTrail input
format does.
"""
from __future__ import annotations

import re

import orjson

from ..catalog.model import Table
from ..errors import BadData
from .. import storage
from .json_records import KeySpelling, known_paths
from .scan import Joined, JsonRecords, Patched, Scan, ScanFile

try:   # ISA-L inflates gzip about 1.5x faster than zlib; zlib is the fallback
    from isal.isal_zlib import decompress as _inflate    # (data, wbits, bufsize) as zlib
except ImportError:  # pragma: no cover
    from zlib import decompress as _inflate

GZIP_MAGIC = b"\x1f\x8b"
_WRAPPER_START = re.compile(rb'\s*\{\s*"Records"\s*:\s*\[')
_WRAPPER_END = re.compile(rb'\]\s*\}\s*$')
_ARRAY_OPEN = re.compile(rb'\s*\[')
_BLANK = re.compile(rb'\s*')
EDGE = 4096          # bytes looked at for the wrapper's or an array's opening and closing

# CloudTrail's documented record fields, in their JSON spelling.
CLOUDTRAIL_KEYS = known_paths("""
    eventVersion userIdentity type principalId arn accountId invokedBy accessKeyId userName
    sessionContext attributes mfaAuthenticated creationDate sessionIssuer webIdFederationData
    federatedProvider sourceIdentity ec2RoleDelivery assumedRoot identityProvider credentialId
    onBehalfOf userId identityStoreArn eventTime eventSource eventName awsRegion sourceIPAddress
    userAgent errorCode errorMessage requestParameters responseElements additionalEventData
    requestID eventID resources eventType apiVersion readOnly recipientAccountId
    serviceEventDetails sharedEventID vpcEndpointId vpcEndpointAccountId eventCategory
    managementEvent tlsDetails tlsVersion cipherSuite clientProvidedHostHeader
    sessionCredentialFromConsole edgeDeviceDetails insightDetails addendum reason updatedFields
    originalRequestID originalEventID
""".split())
CLOUDTRAIL_KEYS[("resources", "arn")] = "ARN"   # resources[].ARN is upper case in CloudTrail


def is_log_file(url: str) -> bool:
    name = url.rsplit("/", 1)[-1]
    return "CloudTrail-Digest" not in url and (name.endswith(".json.gz") or name.endswith(".json"))


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    files = [f for f in files if is_log_file(f.obj.url)]
    reading = JsonRecords("array", KeySpelling(CLOUDTRAIL_KEYS), compression="none",
                          ignore_malformed=True)
    return Scan(files=files, columns=table.columns, partition_keys=table.partition_keys,
                reading=reading, transform=records_as_array, size_of=presented_size,
                extension=".json", join=joined_arrays)


def presented_size(obj: storage.ObjectInfo) -> int:
    """The engine's view of a file's size: uncompressed, from the gzip trailer (ISIZE)."""
    if obj.url.endswith(".gz"):
        return int.from_bytes(storage.read_tail(obj.url, 4), "little")
    return obj.size


def records_as_array(stored: bytes, url: str = "") -> bytes | Patched:
    """A CloudTrail file's bytes, presented as the JSON array of its records, same length."""
    data = _inflate(stored, 47, _inflated_hint(stored)) if stored[:2] == GZIP_MAGIC else stored
    start = _WRAPPER_START.match(data, 0, EDGE)
    end = _WRAPPER_END.search(data, max(0, len(data) - EDGE))
    if start and end:
        head = start.end() - 1          # everything before the array's '['
        close = data.rindex(b"}")       # the wrapper object's closing brace
        return Patched(data, [(0, b" " * head), (close, b" ")])
    return _reparse(data, url)


def _inflated_hint(stored: bytes) -> int:
    """The output buffer to start with: the gzip trailer's size (ISIZE) and a byte, so that
    inflating never grows and copies its buffer (measured 35% faster).  Only a hint: ISIZE
    is mod 2**32 and the last member's, and the buffer still grows when it is short; a
    damaged trailer asks for no more than deflate can give (1032:1) or 256 MiB."""
    if len(stored) < 18:
        return 16384
    return min(int.from_bytes(stored[-4:], "little"), 1032 * len(stored), 1 << 28) + 1


def _reparse(data: bytes, url: str) -> bytes:
    """Any other shape (other keys, a bare array): parse fully, pad to the same length."""
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as e:
        raise BadData(f"Error parsing CloudTrail file {url}: {e}") from None
    records = doc.get("Records") if isinstance(doc, dict) else doc
    if not isinstance(records, list):
        records = []
    out = orjson.dumps(records)
    if len(out) > len(data):
        raise BadData(f"Error parsing CloudTrail file {url}: unexpected layout")
    return out + b" " * (len(data) - len(out))


def joined_arrays(pieces: list[bytes | Patched]) -> Joined:
    """Files presented by records_as_array (each a JSON array padded with whitespace), read
    as one array of all their records, same total length: each inner `]` becomes `,` and
    each inner `[` a space; an empty array is blanked out (a record list stays valid JSON).
    The rows are those of the files one by one: CloudTrail gives no record a file's context
    (the partition is the same for all, and "$path" scans read one file each)."""
    parts = [p if isinstance(p, Patched) else Patched(p, []) for p in pieces]
    bounds = [_array_bounds(p) for p in parts]
    full = [i for i, b in enumerate(bounds) if b[2]]
    first, last = (full[0], full[-1]) if full else (0, 0)
    joined = []
    for i, (part, (open_at, close_at, has_records)) in enumerate(zip(parts, bounds)):
        patches = list(part.patches)
        if i != first:
            patches.append((open_at, b" "))
        if i != last:
            patches.append((close_at, b"," if has_records else b" "))
        joined.append(Patched(part.data, sorted(patches)))
    return Joined(joined)


def _array_bounds(part: Patched) -> tuple[int, int, bool]:
    """Where a presented array opens and closes, and whether it holds any record."""
    size = len(part)
    head = part.read(0, min(EDGE, size))
    start = _ARRAY_OPEN.match(head)
    tail_at = max(0, size - EDGE)
    tail = part.read(tail_at, size).rstrip()
    if start is None or not tail.endswith(b"]"):       # records_as_array never gives this
        raise BadData("Error reading CloudTrail files: not a JSON array once presented")
    open_at, close_at = start.end() - 1, tail_at + len(tail) - 1
    inner = _BLANK.match(part.data, open_at + 1).end()
    return open_at, close_at, inner < close_at


__all__ = ["build_scan", "is_log_file", "joined_arrays", "records_as_array"]
