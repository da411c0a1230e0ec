"""Text files as lines, the way Hadoop's TextInputFormat splits them, for the line SerDes.

Hadoop ends a line at `\\n`, `\\r\\n` or a lone `\\r`; an engine's line reader
(DuckDB's CSV reader, reading one VARCHAR per line) handles `\\r` its own way.  So the
presented bytes have no `\\r` left, at the same length: `\\r\\n` becomes
CR_MARK + `\\n` (the engine cuts the mark off each line) and a lone `\\r` becomes
`\\n`.  Bytes that are not UTF-8 become `?` one for one (Hive would show
U+FFFD), because the engine refuses invalid UTF-8.  Keeping the length means
an uncompressed object needs no decoding before the engine learns its size.

`skip.header.line.count` skips the first lines of every file, as Hive does.
"""
from __future__ import annotations

import codecs

from ..catalog.model import Table
from ..errors import InvalidDdl
from .compression import Presenter, decompress

CR_MARK = "\x1a"                       # stands for the '\r' of a '\r\n'


def _one_question_mark_per_byte(err: UnicodeDecodeError):
    return "?" * (err.end - err.start), err.end


codecs.register_error("parthenon-bytewise", _one_question_mark_per_byte)


def present_lines(stored: bytes, url: str) -> bytes:
    data = decompress(stored, url)
    if b"\r" in data:
        data = data.replace(b"\r\n", CR_MARK.encode() + b"\n").replace(b"\r", b"\n")
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data = data.decode("utf-8", "parthenon-bytewise").encode("utf-8")
    return data


def presenter() -> Presenter:
    return Presenter(present_lines, keeps_plain_length=True)


def header_lines(table: Table) -> int:
    value = table.table_properties.get("skip.header.line.count", "0").strip() or "0"
    try:
        count = int(value)
    except ValueError:
        raise InvalidDdl(f"Invalid value for table property skip.header.line.count: '{value}'") from None
    if count < 0:
        raise InvalidDdl(f"Invalid value for table property skip.header.line.count: '{value}'")
    return count


__all__ = ["CR_MARK", "header_lines", "present_lines", "presenter"]
