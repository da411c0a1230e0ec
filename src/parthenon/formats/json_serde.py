"""One JSON object per line: the OpenX and Hive JSON SerDes.

Keys match columns case-insensitively (spellings learned from a sample of the
first file).  `ignore.malformed.json` = true skips lines that are not JSON;
otherwise a bad line fails the query, as in Athena.
"""
from __future__ import annotations

import zlib

from .. import storage
from ..catalog.model import Table
from ..errors import BadData
from .json_records import KeySpelling, learn_from_lines, read_json_sql
from .scan import Scan, ScanFile, empty_sql

SAMPLE_BYTES = 1 << 20


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    spelling = KeySpelling()
    if files:
        learn_from_lines(spelling, _sample(files[0].obj))
    ignore = table.serde_properties.get("ignore.malformed.json", "false").lower() == "true"
    sql = read_json_sql(table, spelling, json_format="newline_delimited", ignore_errors=ignore)
    return Scan(sql=sql, files=files, empty_sql=empty_sql(table), partition_keys=table.partition_keys)


def _sample(obj: storage.ObjectInfo) -> bytes:
    data = storage.read_bytes(obj.url)[: SAMPLE_BYTES * 4]
    if data[:2] == b"\x1f\x8b":
        try:
            data = zlib.decompressobj(47).decompress(data, SAMPLE_BYTES)
        except zlib.error as e:
            raise BadData(f"Error reading {obj.url}: {e}") from None
    return data[:SAMPLE_BYTES]
