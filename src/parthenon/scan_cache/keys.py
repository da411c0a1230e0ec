"""What a cache entry is keyed by: the table's decoding rules and the object's identity.

An entry holds the columns one object decoded to under one table definition.  Two
tables with the same columns, SerDe and properties share entries; any change to
what decoding depends on (a column's type, a SerDe property, the format code's
version) is a new signature, whose entries start empty.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import uuid
from pathlib import Path

from .. import formats
from ..catalog.model import Table
from ..formats import cloudtrail, delimited, grok, json_serde, opencsv, regex
from ..storage import ObjectInfo

# The formats whose decoding costs enough to keep: text and JSON.  Columnar formats are
# already what the cache would make of them.
CACHED_FORMATS = (cloudtrail, json_serde, delimited, opencsv, regex, grok)

TABLE_SWITCH = "parthenon.scan_cache"     # TBLPROPERTIES ('parthenon.scan_cache'='false')
OFF = ("false", "off", "no", "0")

# Bumped when what an entry holds changes shape (not when a format changes: the
# formats' own code is in the signature too).
ENTRY_LAYOUT = 1

# Table properties that say nothing about how a file decodes: changing them keeps entries.
_IRRELEVANT = (TABLE_SWITCH, "transient_lastddltime", "comment", "classification",
               "has_encrypted_data", "storage.location.template", "typeofdata")


def table_allows(table: Table) -> bool:
    return (table.table_properties.get(TABLE_SWITCH) or "true").strip().lower() not in OFF


def cached_format(table: Table):
    """The table's format module if the cache keeps its decoded columns, else None."""
    try:
        fmt = formats.format_for(table)
    except Exception:       # noqa: BLE001 - unsupported formats fail later, with their own error
        return None
    return fmt if fmt in CACHED_FORMATS else None


def signature(table: Table, fmt) -> str:
    """A hash of everything decoding depends on."""
    properties = sorted((k, v) for k, v in table.table_properties.items()
                        if k.lower() not in _IRRELEVANT and not k.lower().startswith("projection."))
    what = {
        "layout": ENTRY_LAYOUT, "code": _formats_code(), "format": fmt.__name__,
        "columns": [(c.name, c.type) for c in table.columns],
        "serde": table.serde, "serde_properties": sorted(table.serde_properties.items()),
        "input_format": table.input_format, "stored_as": table.stored_as,
        "row_format_delimited": table.row_format_delimited, "table_properties": properties,
    }
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()


@functools.cache
def _formats_code() -> str:
    """A hash of the formats' source: a Parthenon whose decoding changed decodes again."""
    h = hashlib.sha256()
    for path in sorted(Path(formats.__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def identity(obj: ObjectInfo) -> str | None:
    """What changes when the object's content does: its ETag on S3; size, mtime (ns) and
    inode of a local file.  None: not known, so not cached."""
    if obj.version:
        return f"etag:{obj.version}"
    if obj.url.startswith("s3://"):
        return None     # an S3 backend that lists no ETag (a local folder served as a bucket)
    try:
        st = os.stat(obj.url)
    except OSError:
        return None
    return f"file:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def file_name(sig: str) -> str:
    """A new cache file's name, relative to the cache folder: one folder per signature."""
    return f"{sig[:16]}/{uuid.uuid4().hex}.parquet"


def object_id(file: str, url: str) -> int:
    """The OBJECT_ID of an object's rows in a file: unique to the pair (a 64-bit hash)."""
    return int.from_bytes(hashlib.sha256(f"{file}\0{url}".encode()).digest()[:8], "big", signed=True)
