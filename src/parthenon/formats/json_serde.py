"""One JSON object per line: the OpenX and Hive JSON SerDes.

Keys match columns case-insensitively (spellings learned from a sample of the
first file).  `ignore.malformed.json` = true skips lines that are not JSON;
otherwise a bad line fails the query, as in Athena.

OpenX properties: `case.insensitive` = false matches keys exactly (column
names are lower case, so mixed-case keys then need a mapping);
`mapping.<column>` = `<key>` reads a column from another key (reserved
words, keys with colons, keys differing only in case); `dots.in.keys` = true
lets key `a.b` fill column `a_b`.  Hive JSON's `timestamp.formats` lists
Java date patterns (and `millis`) tried in order for TIMESTAMP columns.
"""
from __future__ import annotations

import zlib

from .. import storage
from ..catalog.model import Table
from ..errors import BadData, NotSupported
from .compression import Presenter, codec_for, decompress
from .json_records import KeySpelling, learn_from_lines
from .scan import JsonRecords, Scan, ScanFile

SAMPLE_BYTES = 1 << 20
OPENX = "org.openx.data.jsonserde.JsonSerDe"


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    props = table.serde_properties
    openx = table.serde == OPENX
    insensitive = not openx or props.get("case.insensitive", "true").lower() != "false"
    dots = openx and props.get("dots.in.keys", "false").lower() == "true"
    mapping = {k[len("mapping."):].lower(): v for k, v in props.items() if k.lower().startswith("mapping.")}
    if insensitive:
        spelling = KeySpelling(dots_in_keys=dots)
        if files:
            learn_from_lines(spelling, _sample(files[0].obj))
        keys = {col: spelling.spell((), key.lower()) if key.lower() in spelling.by_name else key
                for col, key in mapping.items()}
    else:
        spelling = KeySpelling(known={(col,): key for col, key in mapping.items()})
        keys = dict(mapping)
    _check_distinct_keys(table, spelling, keys)
    ignore = props.get("ignore.malformed.json", "false").lower() == "true"
    # The engine inflates gzip and zstd itself; other codecs are decoded in Python.
    python_codec = any(codec_for(f.obj.url) not in (None, "gzip", "zstd") for f in files)
    reading = JsonRecords("newline_delimited", spelling, keys=keys,
                          timestamp_formats=_timestamp_formats(table),
                          compression="none" if python_codec else "auto", ignore_malformed=ignore)
    scan = Scan(files=files, columns=table.columns, partition_keys=table.partition_keys,
                reading=reading)
    if python_codec:
        io = Presenter(decompress, keeps_plain_length=True)
        scan.transform, scan.size_of, scan.extension = io.transform, io.size_of, ".json"
    return scan


def _check_distinct_keys(table: Table, spelling: KeySpelling, keys: dict[str, str]) -> None:
    # The engine's JSON reader matches keys case-insensitively: URL and Url cannot be two columns.
    seen: dict[str, str] = {}
    for col in table.columns:
        key = keys.get(col.name) or spelling.spell((), col.name)
        other = seen.setdefault(key.lower(), col.name)
        if other != col.name:
            raise NotSupported(f"Columns {other} and {col.name} read JSON keys that differ only in case "
                               f"('{key}'); this engine cannot tell such keys apart")


def _timestamp_formats(table: Table) -> list[str]:
    """Hive JSON's timestamp.formats: Java date patterns (or 'millis'), tried in order."""
    return [f.strip() for f in table.serde_properties.get("timestamp.formats", "").split(",") if f.strip()]


def _sample(obj: storage.ObjectInfo) -> bytes:
    """The first MB of records, to learn the keys' spellings.

    Plain and gzip files are sampled from their first bytes only: the engine
    reads the whole object anyway, and reading it twice doubled the first
    file's I/O (a second full GET on S3).  Other codecs need the whole frame.
    """
    if codec_for(obj.url) not in (None, "gzip"):
        return decompress(storage.read_bytes(obj.url), obj.url)[:SAMPLE_BYTES]
    data = storage.read_range(obj.url, 0, SAMPLE_BYTES * 4)
    if data[:2] == b"\x1f\x8b":
        try:
            data = zlib.decompressobj(47).decompress(data, SAMPLE_BYTES)
        except zlib.error as e:
            raise BadData(f"Error reading {obj.url}: {e}") from None
    return data[:SAMPLE_BYTES]
