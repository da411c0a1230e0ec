"""OpenCSVSerde: `separatorChar` (`,`), `quoteChar` (`"`), `escapeChar` (`\\`), header skipping.

Records are parsed here (Python's csv module, the closest C parser to
OpenCSV 2.3: doubled quotes and the escape character inside quotes, a
quoted field may hold separators, quotes and line breaks) and handed to the
engine as JSON lines, one string (or null) per column: a record with fewer
fields has NULLs for the rest, extra fields are ignored.

Athena's documentation says this SerDe does not support line breaks inside
quoted fields (Hadoop splits the record first); here they are supported,
because a split record is garbage in Athena and a whole one is what anyone
means.  Types follow Athena's OpenCSV rules: STRING as read; BOOLEAN,
TINYINT..BIGINT, FLOAT, DOUBLE, DECIMAL parsed; TIMESTAMP from UNIX epoch
milliseconds and DATE from days since the epoch.  A value that does not
parse (an empty one too) fails the query with HIVE_BAD_DATA, unless the
table property `use.null.for.invalid.data` is TRUE, which makes it NULL.
"""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation

import orjson

from ..catalog.hive_types import HiveType, parse_hive_type
from ..catalog.model import Table
from ..errors import BadData, NotSupported
from .compression import Presenter, decompress
from .scan import CsvRecords, Scan, ScanFile
from .textlines import header_lines

csv.field_size_limit(2**31 - 1)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _integer(text: str) -> str:
    if not _INTEGER.fullmatch(text):
        raise ValueError(text)
    return text


def _floating(text: str) -> str:
    float(text)    # Java's parseDouble accepts what Python's float does, less '_' separators
    if "_" in text:
        raise ValueError(text)
    return text.strip()


def _decimal(text: str) -> str:
    try:
        Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    return text.strip()


def _boolean(text: str) -> str:
    if text.lower() not in ("true", "false"):
        raise ValueError(text)
    return text.lower()


_PARSERS = {"tinyint": _integer, "smallint": _integer, "int": _integer, "integer": _integer,
            "bigint": _integer, "timestamp": _integer, "date": _integer, "float": _floating,
            "double": _floating, "decimal": _decimal, "boolean": _boolean}
PARSED_TYPES = frozenset(_PARSERS)     # checked here; the engine casts them


class Reader:
    def __init__(self, table: Table):
        props = table.serde_properties
        self.separator = props.get("separatorChar", ",")[:1] or ","
        quote = props.get("quoteChar", '"')[:1]
        self.quote = None if quote in ("", "\0") else quote
        escape = props.get("escapeChar", "\\")[:1]
        self.escape = None if escape in ("", "\0") else escape
        self.skip = header_lines(table)
        self.types = [parse_hive_type(c.type) for c in table.columns]
        for col, htype in zip(table.columns, self.types):
            if htype.is_nested:
                raise NotSupported(f"OpenCSVSerde does not support column {col.name} of type {col.type}")
        self.lenient = table.table_properties.get("use.null.for.invalid.data", "false").lower() == "true"

    def present(self, stored: bytes, url: str) -> bytes:
        text = decompress(stored, url).decode("utf-8", "replace")
        for _ in range(self.skip):
            m = _LINE_BREAK.search(text)
            text = text[m.end():] if m else ""
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.separator,
                            quotechar=self.quote, escapechar=self.escape, doublequote=True,
                            quoting=csv.QUOTE_MINIMAL if self.quote else csv.QUOTE_NONE, strict=False)
        out, n = [], len(self.types)
        try:
            for record in reader:
                values = record[:n] + [None] * (n - len(record))
                out.append(orjson.dumps({f"c{i}": self.value(v, t, i, url)
                                         for i, (v, t) in enumerate(zip(values, self.types))}))
        except csv.Error as e:
            raise BadData(f"Error reading {url}: {e}") from None
        return b"\n".join(out) + (b"\n" if out else b"")

    def value(self, text: str | None, htype: HiveType, index: int, url: str) -> str | None:
        parse = _PARSERS.get(htype.name)
        if text is None or parse is None:
            return text
        try:
            return parse(text)
        except ValueError:
            if self.lenient:
                return None
            raise BadData(f"Error parsing field value '{text}' for field {index}: "
                          f"For input string: \"{text}\" (in {url})") from None


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    reader = Reader(table)
    io_ = Presenter(reader.present)
    return Scan(files=files, columns=table.columns, partition_keys=table.partition_keys,
                reading=CsvRecords(), transform=io_.transform, size_of=io_.size_of, extension=".json")


__all__ = ["PARSED_TYPES", "Reader", "build_scan"]
