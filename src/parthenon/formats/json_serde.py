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

import functools

import re
import zlib

from .. import storage
from ..catalog.hive_types import parse_hive_type
from ..catalog.model import Table
from ..errors import BadData, NotSupported
from .compression import Presenter, codec_for, decompress
from .json_records import KeySpelling, learn_from_lines, read_json_sql
from .scan import Scan, ScanFile, empty_sql

SAMPLE_BYTES = 1 << 20
OPENX = "org.openx.data.jsonserde.JsonSerDe"
# Java DateTimeFormatter letters -> strptime directives (longest first).
_JAVA_DATE = [("yyyy", "%Y"), ("yy", "%y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"),
              ("dd", "%d"), ("HH", "%H"), ("hh", "%I"), ("mm", "%M"), ("ss", "%S"),
              ("SSSSSSSSS", "%n"), ("SSSSSS", "%f"), ("SSS", "%g"), ("EEEE", "%A"), ("EEE", "%a"),
              ("a", "%p"), ("XXX", "%z"), ("XX", "%z"), ("X", "%z"), ("ZZZ", "%z"), ("Z", "%z"),
              ("M", "%-m"), ("d", "%-d"), ("H", "%-H")]


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
    sql_for = functools.partial(read_json_sql, table, spelling, json_format="newline_delimited",
                                ignore_errors=ignore, keys=keys,
                                converters=_timestamp_converters(table),
                                compression="none" if python_codec else "auto")
    scan = Scan(sql=sql_for(), sql_for=lambda needed, fields: sql_for(needed=needed, fields=fields), files=files,
                empty_sql=empty_sql(table), partition_keys=table.partition_keys)
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


def _timestamp_converters(table: Table) -> dict:
    formats = [f.strip() for f in table.serde_properties.get("timestamp.formats", "").split(",") if f.strip()]
    if not formats:
        return {}
    tries = []
    for fmt in formats:
        if fmt.lower() == "millis":
            tries.append("make_timestamp(TRY_CAST({v} AS BIGINT) * 1000)")
        else:
            tries.append(f"try_strptime({{v}}, '{java_to_strptime(fmt)}')::TIMESTAMP")
    expr = "coalesce(" + ", ".join(tries + ["TRY_CAST({v} AS TIMESTAMP)"]) + ")"
    return {c.name: ("VARCHAR", expr) for c in table.columns if parse_hive_type(c.type).name == "timestamp"}


def java_to_strptime(pattern: str) -> str:
    """A Java date pattern ('yyyy-MM-dd''T''HH:mm:ss.SSSZ') as a strptime format."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "'":
            end = pattern.find("'", i + 1)
            end = len(pattern) if end < 0 else end
            out.append(pattern[i + 1:end].replace("%", "%%") or "'")
            i = end + 1
            continue
        for java, fmt in _JAVA_DATE:
            if pattern.startswith(java, i):
                out.append(fmt)
                i += len(java)
                break
        else:
            out.append("%%" if pattern[i] == "%" else pattern[i])
            i += 1
    return re.sub(r"'", "''", "".join(out))


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
