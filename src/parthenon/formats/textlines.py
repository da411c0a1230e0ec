"""Text files as lines, the way Hadoop's TextInputFormat splits them, for the line SerDes.

Hadoop ends a line at `\\n`, `\\r\\n` or a lone `\\r`; the engine's CSV reader,
used here to read one VARCHAR per line, handles `\\r` its own way.  So the
presented bytes have no `\\r` left, at the same length: `\\r\\n` becomes
CR_MARK + `\\n` (the mark is cut off each line in SQL) and a lone `\\r` becomes
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
from .json_records import partition_options

CR_MARK = "\x1a"                       # stands for the '\r' of a '\r\n'
LINE_DELIM = "\x1e\x1f\x1e\x1f"        # a 'field' separator no text line contains
MAX_LINE_BYTES = 128 * 2**20


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


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lines_sql(table: Table) -> str:
    """SELECT line (VARCHAR, '' for an empty line) and the partition columns, one row per line."""
    options = [
        "columns={'line': 'VARCHAR'}", f"delim={quote_literal(LINE_DELIM)}", "quote=''", "escape=''",
        "header=false", "auto_detect=false", "new_line='\\n'", "strict_mode=false",
        f"max_line_size={MAX_LINE_BYTES}", f"skip={header_lines(table)}", "compression='none'",
        *partition_options(table),
    ]
    keys = "".join(f", {quote_name(k.name)}" for k in table.partition_keys)
    line = "coalesce(line, '')"
    line = f"CASE WHEN suffix({line}, {quote_literal(CR_MARK)}) THEN {line}[:-2] ELSE {line} END"
    return f"SELECT {line} AS line{keys} FROM read_csv({{files}}, {', '.join(options)})"


__all__ = ["CR_MARK", "header_lines", "lines_sql", "present_lines", "presenter",
           "quote_literal", "quote_name"]
