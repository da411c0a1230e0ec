"""LazySimpleSerDe: `ROW FORMAT DELIMITED`, `STORED AS TEXTFILE` and Hive's default text tables.

Each line is split at the field delimiter (`field.delim`, else
`serialization.format`, else Hive's `\\001`); missing fields are NULL, extra
ones ignored.  A field equal to `serialization.null.format` (`\\N` unless
`NULL DEFINED AS` says otherwise) is NULL; other text is typed as Hive does
(see textcast).  ARRAY, MAP and STRUCT columns split again at the next
delimiters: `collection.delim` (`\\002`), `mapkey.delim` (`\\003`), then
`\\004`..`\\010` for deeper levels, as Hive's separator list runs.  With
`escape.delim`, an escaped delimiter is data and `\\n`/`\\r` escapes are
newlines; the escaped pairs are swapped for private-use placeholders before
splitting and swapped back in each value.  The scan is a DelimitedText reading,
compiled by each engine (engine/duckdb/scans/text.py).
"""
from __future__ import annotations

from ..catalog.hive_types import HiveType, parse_hive_type
from ..catalog.model import Table
from ..errors import NotSupported
from .scan import DelimitedText, Scan, ScanFile
from .textlines import header_lines, presenter

DEFAULT_SEPARATORS = ["\x01", "\x02", "\x03", "\x04", "\x05", "\x06", "\x07", "\x08"]
ESCAPED_ESCAPE = "\ue0ff"     # placeholder for an escaped escape character


def delimiter(value: str | None, default: str) -> str:
    """Hive's LazySerDeParameters.getByte: a number is a byte value ('1' = \\001), else the first character."""
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        return value[0]
    if -128 <= number <= 127:
        return chr(number & 0xFF)
    return value[0]


class Dialect:
    def __init__(self, table: Table):
        props = table.serde_properties
        line_delim = props.get("line.delim")
        if line_delim not in (None, "", "\n"):
            raise NotSupported("LINES TERMINATED BY supports only newline ('\\n')")
        seps = list(DEFAULT_SEPARATORS)
        seps[0] = delimiter(props.get("field.delim", props.get("serialization.format")), seps[0])
        seps[1] = delimiter(props.get("collection.delim", props.get("colelction.delim")), seps[1])
        seps[2] = delimiter(props.get("mapkey.delim"), seps[2])
        self.separators = seps
        self.escape = delimiter(props.get("escape.delim"), "\\") if "escape.delim" in props else None
        self.null = props.get("serialization.null.format", "\\N")
        if self.escape:
            self.null = self.protect_text(self.null)

    def placeholder(self, level: int) -> str:
        return placeholder(level)

    def protect_text(self, text: str) -> str:
        """Escaped escapes and delimiters hidden as placeholders, for a Python string (the
        NULL marker); the engine does the same to each line before splitting."""
        text = text.replace(self.escape * 2, ESCAPED_ESCAPE)
        for level, sep in enumerate(self.separators):
            text = text.replace(self.escape + sep, self.placeholder(level))
        return text

    def check_depth(self, htype: HiveType, level: int = 1) -> None:
        """Each nesting level takes the next separator: refuse a type deeper than they go."""
        if not htype.is_nested:
            return
        if level + 1 >= len(self.separators):
            raise NotSupported(f"Type nested too deeply for a text table: {htype.hive()}")
        if htype.name == "map":
            for item in htype.items:
                self.check_depth(item, level + 2)
        else:
            for inner in htype.items or [t for _, t in htype.fields]:
                self.check_depth(inner, level + 1)


def placeholder(level: int) -> str:
    """The private-use character standing for an escaped separator of `level`."""
    return chr(0xE0F0 + level)


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    dialect = Dialect(table)
    for col in table.columns:
        dialect.check_depth(parse_hive_type(col.type))
    io = presenter()
    reading = DelimitedText(header_lines(table), dialect.separators, dialect.escape, dialect.null)
    return Scan(files=files, columns=table.columns, partition_keys=table.partition_keys,
                reading=reading, transform=io.transform, size_of=io.size_of, extension=".txt")


__all__ = ["Dialect", "build_scan", "delimiter", "placeholder"]
