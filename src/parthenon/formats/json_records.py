"""JSON records to typed columns: the read schema shared by CloudTrail and the JSON SerDes.

Hive matches JSON keys to columns case-insensitively (`sourceIPAddress` fills
`sourceipaddress`); the engine's JSON reader matches keys exactly.  So the
read schema is written with the keys' real spellings (known ones, plus those
seen in a sample of the data), and the scan renames them to the Hive names.
A STRING column holding an object or array receives the value's JSON text,
which is what the engine's reader does for VARCHAR.
"""
from __future__ import annotations

from typing import Iterable

import orjson

from ..catalog.hive_types import HiveType, parse_hive_type
from ..catalog.model import Table

# The engine's JSON reader needs a buffer for the largest record (line, array element),
# and sets aside twice maximum_object_size against its memory limit for every scan: a
# fixed 256 MiB took 512 MiB of a worker's budget even for a 2 KB file.  So the size is
# the largest file of the scan (a record cannot outgrow its file), between the engine's
# own default and a ceiling that CloudTrail's largest files stay under.
MIN_OBJECT_BYTES = 16 * 2**20
MAX_OBJECT_BYTES = 256 * 2**20
OBJECT_SIZE = "{max_object_size}"     # placeholder in the scan SQL, filled by the engine


def object_size_limit(largest_file: int) -> int:
    """maximum_object_size for a scan whose largest file holds `largest_file` bytes
    (as the engine reads them: uncompressed), rounded up to whole MiB."""
    need = -(-(largest_file + 1) // 2**20) * 2**20
    return max(MIN_OBJECT_BYTES, min(MAX_OBJECT_BYTES, need))


class KeySpelling:
    """Real JSON key spellings, by lower-case key path (array elements share their array's path)."""

    def __init__(self, known: dict[tuple[str, ...], str] | None = None, dots_in_keys: bool = False):
        # OpenX's dots.in.keys: a key "a.b" fills the column (or field) a_b.
        self.dots_in_keys = dots_in_keys
        self.by_path: dict[tuple[str, ...], str] = dict(known or {})
        self.by_name: dict[str, str] = {}
        for path, key in self.by_path.items():
            self.by_name.setdefault(path[-1], key)

    def learn(self, value, path: tuple[str, ...] = ()) -> None:
        """Record the keys of a sample record, recursively."""
        if isinstance(value, dict):
            for key, inner in value.items():
                lower = key.lower().replace(".", "_") if self.dots_in_keys else key.lower()
                p = (*path, lower)
                self.by_path.setdefault(p, key)
                self.by_name.setdefault(lower, key)
                self.learn(inner, p)
        elif isinstance(value, list):
            for item in value[:20]:
                self.learn(item, path)

    def spell(self, path: tuple[str, ...], name: str) -> str:
        return self.by_path.get((*path, name)) or self.by_name.get(name) or name


def learn_from_lines(spelling: KeySpelling, data: bytes, limit: int = 200) -> None:
    for line in data.splitlines()[:limit]:
        try:
            spelling.learn(orjson.loads(line))
        except orjson.JSONDecodeError:
            continue


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_json_sql(table: Table, spelling: KeySpelling, *, json_format: str,
                  compression: str = "auto", ignore_errors: bool = False,
                  keys: dict[str, str] | None = None, converters: dict | None = None,
                  needed: set[str] | None = None,
                  fields: dict[str, set[str] | None] | None = None) -> str:
    """A SELECT over read_json({files}) yielding the table's columns under Hive names.

    `keys` names the JSON key of a column (OpenX's mapping.<column>);
    `converters` maps a column to (read type, SQL template over '{v}') for
    values the reader cannot type itself (Hive JSON's timestamp.formats).
    `needed` (None: all) limits what the reader types to the columns a query
    names, and `fields` a struct column to the first-level fields it reads:
    the reader pays for every declared column and field (measured on the 1 GB
    CloudTrail benchmark: 2.8 s with the whole table, 2.2 s with what the
    query uses).  Columns left out are NULL; structs keep only what is read.
    """
    if needed is not None:
        needed = needed or {table.columns[0].name}   # the reader wants at least one column
    read_columns, select = [], []
    for col in table.columns:
        htype = _only_fields(parse_hive_type(col.type), (fields or {}).get(col.name))
        if needed is not None and col.name not in needed:
            select.append(f"CAST(NULL AS {htype.duckdb()}) AS {_quote(col.name)}")
            continue
        key = (keys or {}).get(col.name) or spelling.spell((), col.name)
        top = (col.name,)
        read_type = htype.duckdb(lambda path, n, top=top: spelling.spell((*top, *path), n))
        expr = _hive_names(_quote(key), htype, top, spelling)
        if converters and col.name in converters:
            read_type, template = converters[col.name]
            expr = template.format(v=_quote(key))
        read_columns.append(f"{_literal(key)}: {_literal(read_type)}")
        select.append(f"{expr} AS {_quote(col.name)}")
    options = [
        f"format={_literal(json_format)}",
        # Explicit: with a single declared column the reader's detection took 30x longer
        # (3.4 s instead of 0.1 s for a count(*) over the demo's day).
        "records=true",
        f"compression={_literal(compression)}",
        "columns={" + ", ".join(read_columns) + "}",
        f"maximum_object_size={OBJECT_SIZE}",
        f"ignore_errors={'true' if ignore_errors else 'false'}",
    ]
    options += partition_options(table)
    select += [_quote(k.name) for k in table.partition_keys]
    return f"SELECT {', '.join(select)} FROM read_json({{files}}, {', '.join(options)})"


def _only_fields(htype: HiveType, used: set[str] | None) -> HiveType:
    """A struct type cut down to the fields a query reads (all of them if it names none)."""
    if htype.name != "struct" or not used:
        return htype
    kept = [(n, t) for n, t in htype.fields if n in used]
    return HiveType("struct", fields=kept) if kept else htype


def _hive_names(expr: str, htype: HiveType, path: tuple[str, ...], spelling: KeySpelling,
                depth: int = 0) -> str:
    """Rebuild structs whose JSON spelling differs so that fields carry Hive's lower-case names.

    (A cast cannot do it: the engine treats the two spellings as the same type.)
    """
    if not _respelled(htype, path, spelling):
        return expr
    if htype.name == "array":
        var = f"e{depth}"
        return f"list_transform({expr}, lambda {var}: {_hive_names(var, htype.items[0], path, spelling, depth + 1)})"
    if htype.name != "struct":
        return expr
    fields = ", ".join(
        f"{_quote(name)} := {_hive_names(f'{expr}.{_quote(spelling.spell(path, name))}', ftype, (*path, name), spelling, depth)}"
        for name, ftype in htype.fields)
    return f"CASE WHEN {expr} IS NULL THEN NULL ELSE struct_pack({fields}) END"


def _respelled(htype: HiveType, path: tuple[str, ...], spelling: KeySpelling) -> bool:
    if htype.name == "array":
        return _respelled(htype.items[0], path, spelling)
    if htype.name != "struct":
        return False
    return any(spelling.spell(path, name) != name or _respelled(ftype, (*path, name), spelling)
               for name, ftype in htype.fields)


def partition_options(table: Table) -> list[str]:
    """Partition values reach the engine as key=value folders of the virtual paths."""
    if not table.partition_keys:
        return []
    types = ", ".join(f"{_literal(k.name)}: {_literal(parse_hive_type(k.type).duckdb())}"
                      for k in table.partition_keys)
    return ["hive_partitioning=true", "hive_types={" + types + "}", "hive_types_autocast=false"]


def known_paths(names: Iterable[str]) -> dict[tuple[str, ...], str]:
    """A flat list of camelCase keys as a spelling table (path = the key alone)."""
    return {(n.lower(),): n for n in names}
