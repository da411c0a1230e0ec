"""JSON scans in DuckDB SQL: read_json with the keys' real spellings, renamed to Hive's names.

The read schema is written with the keys' spellings (formats.json_records), and the
scan renames them to the Hive names.  A STRING column holding an object or array
receives the value's JSON text, which is what DuckDB's reader does for VARCHAR.
OpenCSV's records arrive as JSON lines too (formats.opencsv) and are typed here.
"""
from __future__ import annotations

import re

from ....catalog.hive_types import HiveType, parse_hive_type
from ....errors import NotSupported
from ....formats.json_records import KeySpelling
from ....formats.opencsv import PARSED_TYPES
from ....formats.scan import CsvRecords, JsonRecords, Scan, only_fields
from ..types import duckdb_type
from .common import partition_options, quote_literal as _literal, quote_name as _quote

# The engine's JSON reader needs a buffer for the largest record (line, array element),
# and sets aside twice maximum_object_size against its memory limit for every scan: a
# fixed 256 MiB took 512 MiB of a worker's budget even for a 2 KB file.  So the size is
# the largest file of the scan (a record cannot outgrow its file), between the engine's
# own default and a ceiling that CloudTrail's largest files stay under.
MIN_OBJECT_BYTES = 16 * 2**20
MAX_OBJECT_BYTES = 256 * 2**20
OBJECT_SIZE = "{max_object_size}"     # placeholder in the scan SQL, filled by the engine

# Java DateTimeFormatter letters -> DuckDB strptime directives (longest first).
_JAVA_DATE = [("yyyy", "%Y"), ("yy", "%y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"),
              ("dd", "%d"), ("HH", "%H"), ("hh", "%I"), ("mm", "%M"), ("ss", "%S"),
              ("SSSSSSSSS", "%n"), ("SSSSSS", "%f"), ("SSS", "%g"), ("EEEE", "%A"), ("EEE", "%a"),
              ("a", "%p"), ("XXX", "%z"), ("XX", "%z"), ("X", "%z"), ("ZZZ", "%z"), ("Z", "%z"),
              ("M", "%-m"), ("d", "%-d"), ("H", "%-H")]


def object_size_limit(largest_file: int) -> int:
    """maximum_object_size for a scan whose largest file holds `largest_file` bytes
    (as the engine reads them: uncompressed), rounded up to whole MiB."""
    need = -(-(largest_file + 1) // 2**20) * 2**20
    return max(MIN_OBJECT_BYTES, min(MAX_OBJECT_BYTES, need))


def json_sql(scan: Scan, reading: JsonRecords) -> str:
    """A SELECT over read_json({files}) yielding the table's columns under Hive names.

    `needed_columns` (None: all) limits what the reader types to the columns a query
    names, and `needed_fields` a struct column to the first-level fields it reads:
    the reader pays for every declared column and field (measured on the 1 GB
    CloudTrail benchmark: 2.8 s with the whole table, 2.2 s with what the
    query uses).  Columns left out are NULL; structs keep only what is read.
    """
    spelling, keys, fields = reading.spelling, reading.keys, scan.needed_fields
    converters = _timestamp_converters(scan, reading.timestamp_formats)
    needed = scan.needed_columns
    if needed is not None:
        needed = needed or {scan.columns[0].name}   # the reader wants at least one column
    read_columns, select = [], []
    for col in scan.columns:
        htype = only_fields(parse_hive_type(col.type), (fields or {}).get(col.name))
        if needed is not None and col.name not in needed:
            select.append(f"CAST(NULL AS {duckdb_type(htype)}) AS {_quote(col.name)}")
            continue
        key = (keys or {}).get(col.name) or spelling.spell((), col.name)
        top = (col.name,)
        read_type = duckdb_type(htype, lambda path, n, top=top: spelling.spell((*top, *path), n))
        expr = _hive_names(_quote(key), htype, top, spelling)
        if converters and col.name in converters:
            read_type, template = converters[col.name]
            expr = template.format(v=_quote(key))
        read_columns.append(f"{_literal(key)}: {_literal(read_type)}")
        select.append(f"{expr} AS {_quote(col.name)}")
    options = [
        f"format={_literal(reading.layout)}",
        # Explicit: with a single declared column the reader's detection took 30x longer
        # (3.4 s instead of 0.1 s for a count(*) over the demo's day).
        "records=true",
        f"compression={_literal(reading.compression)}",
        "columns={" + ", ".join(read_columns) + "}",
        f"maximum_object_size={OBJECT_SIZE}",
        f"ignore_errors={'true' if reading.ignore_malformed else 'false'}",
    ]
    options += partition_options(scan.partition_keys)
    select += [_quote(k.name) for k in scan.partition_keys]
    return f"SELECT {', '.join(select)} FROM read_json({{files}}, {', '.join(options)})"


def check_distinct_keys(scan: Scan, reading: JsonRecords) -> None:
    """DuckDB's JSON reader matches keys case-insensitively: URL and Url cannot be two columns."""
    seen: dict[str, str] = {}
    for col in scan.columns:
        key = reading.keys.get(col.name) or reading.spelling.spell((), col.name)
        other = seen.setdefault(key.lower(), col.name)
        if other != col.name:
            raise NotSupported(f"Columns {other} and {col.name} read JSON keys that differ only in case "
                               f"('{key}'); this engine cannot tell such keys apart")


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


def _timestamp_converters(scan: Scan, formats: list[str]) -> dict:
    """TIMESTAMP columns read as text and parsed by each of Hive JSON's timestamp.formats."""
    if not formats:
        return {}
    tries = []
    for fmt in formats:
        if fmt.lower() == "millis":
            tries.append("make_timestamp(TRY_CAST({v} AS BIGINT) * 1000)")
        else:
            tries.append(f"try_strptime({{v}}, '{java_to_strptime(fmt)}')::TIMESTAMP")
    expr = "coalesce(" + ", ".join(tries + ["TRY_CAST({v} AS TIMESTAMP)"]) + ")"
    return {c.name: ("VARCHAR", expr) for c in scan.columns if parse_hive_type(c.type).name == "timestamp"}


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


def _opencsv_typed(expr: str, htype: HiveType) -> str:
    if htype.name == "timestamp":
        return f"make_timestamp(CAST({expr} AS BIGINT) * 1000)"
    if htype.name == "date":
        return f"CAST(DATE '1970-01-01' + CAST({expr} AS INTEGER) AS DATE)"
    if htype.name in ("string", "varchar", "char") or htype.name not in PARSED_TYPES:
        return f"CAST({expr} AS {duckdb_type(htype)})" if htype.name != "string" else expr
    return f"TRY_CAST({expr} AS {duckdb_type(htype)})"


def csv_sql(scan: Scan, reading: CsvRecords) -> str:
    """OpenCSV's records, presented as JSON lines of text, typed by its rules."""
    columns = ", ".join(f"{_literal(f'c{i}')}: 'VARCHAR'" for i in range(len(scan.columns)))
    options = ["format='newline_delimited'", "compression='none'", "columns={" + columns + "}",
               *partition_options(scan.partition_keys)]
    select = [f"{_opencsv_typed(f'c{i}', parse_hive_type(c.type))} AS {_quote(c.name)}"
              for i, c in enumerate(scan.columns)]
    select += [_quote(k.name) for k in scan.partition_keys]
    return f"SELECT {', '.join(select)} FROM read_json({{files}}, {', '.join(options)})"
