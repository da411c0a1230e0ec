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
splitting and swapped back in each value.
"""
from __future__ import annotations

from ..catalog.hive_types import HiveType, parse_hive_type
from ..catalog.model import Table
from ..errors import NotSupported
from . import textcast
from .scan import Scan, ScanFile, empty_sql
from .textlines import lines_sql, presenter, quote_literal as lit, quote_name

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
        return chr(0xE0F0 + level)

    def protect_text(self, text: str) -> str:
        """What protect() does, for a Python string (the NULL marker)."""
        text = text.replace(self.escape * 2, ESCAPED_ESCAPE)
        for level, sep in enumerate(self.separators):
            text = text.replace(self.escape + sep, self.placeholder(level))
        return text

    def protect(self, expr: str) -> str:
        """SQL hiding escaped escapes and delimiters from the splits (left-to-right pairing)."""
        if not self.escape:
            return expr
        expr = f"replace({expr}, {lit(self.escape * 2)}, {lit(ESCAPED_ESCAPE)})"
        for level, sep in enumerate(self.separators):
            expr = f"replace({expr}, {lit(self.escape + sep)}, {lit(self.placeholder(level))})"
        return expr

    def unescape(self, expr: str) -> str:
        if not self.escape:
            return expr
        for level, sep in enumerate(self.separators):
            expr = f"replace({expr}, {lit(self.placeholder(level))}, {lit(sep)})"
        esc = self.escape.replace("\\", "\\\\").replace("]", "\\]")
        expr = f"regexp_replace({expr}, {lit('[' + esc + ']n')}, chr(10), 'g')"
        expr = f"regexp_replace({expr}, {lit('[' + esc + ']r')}, chr(13), 'g')"
        expr = f"regexp_replace({expr}, {lit('[' + esc + '](.)')}, '\\1', 'gs')"
        return f"replace({expr}, {lit(ESCAPED_ESCAPE)}, {lit(self.escape)})"

    def value(self, expr: str, htype: HiveType, level: int, depth: int = 0) -> str:
        """SQL for one (protected) field `expr` of type `htype`; `level` indexes the separators."""
        null_test = f"{expr} IS NULL OR {expr} = {lit(self.null)}"
        if not htype.is_nested:
            return f"CASE WHEN {null_test} THEN NULL ELSE {textcast.primitive(self.unescape(expr), htype)} END"
        if level + 1 >= len(self.separators):
            raise NotSupported(f"Type nested too deeply for a text table: {htype.hive()}")
        sep = lit(self.separators[level])
        var = f"x{depth}"
        if htype.name == "array":
            item = self.value(var, htype.items[0], level + 1, depth + 1)
            return (f"CASE WHEN {null_test} THEN NULL WHEN {expr} = '' THEN [] ELSE "
                    f"list_transform(string_split({expr}, {sep}), lambda {var}: {item}) END")
        if htype.name == "map":
            kv = lit(self.separators[level + 1])
            key = self.value(f"split_part({var}, {kv}, 1)", htype.items[0], level + 2, depth + 1)
            val = self.value(f"CASE WHEN strpos({var}, {kv}) > 0 THEN {var}[strpos({var}, {kv}) + 1:] END",
                             htype.items[1], level + 2, depth + 1)
            entries = f"list_transform(string_split({expr}, {sep}), lambda {var}: struct_pack(k := {key}, v := {val}))"
            e, i = f"e{depth}", f"i{depth}"
            # Engine maps refuse NULL and repeated keys: drop them (the first of a key wins).
            kept = (f"list_filter({entries}, lambda {e}, {i}: {e}.k IS NOT NULL AND "
                    f"list_position(list_transform({entries}, lambda {var}: {var}.k), {e}.k) = {i})")
            return f"CASE WHEN {null_test} THEN NULL WHEN {expr} = '' THEN MAP {{}} ELSE map_from_entries({kept}) END"
        parts = f"p{depth}"
        fields = ", ".join(f"{quote_name(name)} := {self.value(f'{parts}[{i + 1}]', ftype, level + 1, depth + 1)}"
                           for i, (name, ftype) in enumerate(htype.fields))
        return (f"CASE WHEN {null_test} THEN NULL ELSE list_transform([string_split({expr}, {sep})], "
                f"lambda {parts}: struct_pack({fields}))[1] END")


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    dialect = Dialect(table)
    fields = f"string_split({dialect.protect('line')}, {lit(dialect.separators[0])})"
    select = [f"{dialect.value(f'f[{i + 1}]', parse_hive_type(col.type), 1)} AS {quote_name(col.name)}"
              for i, col in enumerate(table.columns)]
    select += [quote_name(k.name) for k in table.partition_keys]
    keys = "".join(f", {quote_name(k.name)}" for k in table.partition_keys)
    sql = f"SELECT {', '.join(select)} FROM (SELECT {fields} AS f{keys} FROM ({lines_sql(table)}))"
    io = presenter()
    return Scan(sql=sql, files=files, empty_sql=empty_sql(table), partition_keys=table.partition_keys,
                transform=io.transform, size_of=io.size_of, extension=".txt")


__all__ = ["Dialect", "build_scan", "delimiter"]
