"""Results as text: Athena's value rendering, the CLI's table, CSV and JSON, the footer."""
from __future__ import annotations

import datetime
import decimal
import json
import math
import re
import struct

from .result import Result


def athena_text(value, type_name: str | None = None) -> str | None:
    """A value as Athena renders it in result files and the console (None stays None).
    ``type_name`` (the column's type) gives a timestamp(p) its p fractional digits."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(shortest_real(value) if type_name == "real" else value)
    if isinstance(value, datetime.datetime):
        digits = _fraction_digits(type_name)
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        if digits:
            text += "." + f"{value.microsecond:06d}{'0' * max(0, digits - 6)}"[:digits]
        if value.tzinfo is not None:
            text += " " + _zone_name(value)
        return text
    if isinstance(value, datetime.time) and type_name and type_name.startswith("time("):
        digits = _fraction_digits(type_name.replace("time(", "timestamp(", 1))
        text = value.strftime("%H:%M:%S")
        return text + ("." + f"{value.microsecond:06d}{'0' * max(0, digits - 6)}"[:digits] if digits else "")
    if isinstance(value, decimal.Decimal):
        return format(value, "f")     # never exponent form: 0.0000000001, not 1E-10
    if isinstance(value, (datetime.date, datetime.time)):
        return str(value)
    if isinstance(value, dict):
        kind, parts = type_parts(type_name)
        if kind == "row" and len(parts) == len(value) and not any(row_part_named(p) for p in parts):
            # an anonymous row: Athena names its fields field0, field1... (by position)
            return "{" + ", ".join(f"field{i}={_nested(v, p)}"
                                   for i, (v, p) in enumerate(zip(value.values(), parts))) + "}"
        fields = dict(_row_fields(type_name))
        return "{" + ", ".join(f"{k}={_nested(v, fields.get(k))}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        kind, parts = type_parts(type_name)
        if not value and kind == "map":     # an empty map, not []
            return "{}"
        if kind == "map" or (kind is None and value and isinstance(value[0], tuple) and len(value[0]) == 2):
            key, val = (parts + [None, None])[:2] if kind == "map" else (None, None)
            return "{" + ", ".join(f"{_nested(k, key)}={_nested(v, val)}" for k, v in value) + "}"   # Arrow maps
        element = parts[0] if kind == "array" and parts else None
        return "[" + ", ".join(_nested(v, element) for v in value) + "]"
    if isinstance(value, (bytes, bytearray)):
        return " ".join(f"{b:02x}" for b in value)
    return str(value)


def _zone_name(value: datetime.datetime) -> str:
    """Trino's zone key: a region's name, UTC, or a fixed offset as +hh:mm."""
    key = getattr(value.tzinfo, "key", None)
    if key:
        return "UTC" if key in ("UTC", "Etc/UTC") else key
    offset = value.utcoffset() or datetime.timedelta(0)
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _fraction_digits(type_name: str | None) -> int:
    m = re.match(r"timestamp\((\d+)\)", type_name or "")
    return int(m.group(1)) if m else 3


def shortest_real(value: float) -> float:
    """A REAL arrives widened to a double (1.100000023841858); Trino prints the shortest
    digits that read back as the same 32-bit float (1.1), as Java's Float.toString does
    (at least two in its exponent form: 1.4E-45)."""
    single = struct.unpack("f", struct.pack("f", value))[0]
    exponent_form = single != 0 and not 1e-3 <= abs(single) < 1e7
    for digits in range(2 if exponent_form else 1, 10):
        shorter = float(f"{single:.{digits}g}")
        if struct.unpack("f", struct.pack("f", shorter))[0] == single:
            return shorter
    return single


def _nested(value, type_name: str | None = None) -> str:
    text = athena_text(value, type_name)
    return "null" if text is None else text


def type_parts(type_name: str | None) -> tuple[str | None, list[str]]:
    """``map(varchar, array(integer))`` -> ("map", ["varchar", "array(integer)"]): a
    nested value's type, so that an empty map inside an array is still ``{}``."""
    if not type_name or "(" not in type_name or not type_name.endswith(")"):
        return None, []
    kind, _, inner = type_name.partition("(")
    parts, depth, start = [], 0, 0
    inner = inner[:-1]
    for i, c in enumerate(inner):
        depth += c == "("
        depth -= c == ")"
        if c == "," and depth == 0:
            parts.append(inner[start:i].strip())
            start = i + 1
    parts.append(inner[start:].strip())
    return kind.strip(), parts


def row_part_named(part: str) -> bool:
    """A row type's part ``name type`` rather than a bare type (``varchar(3)``,
    ``timestamp(3) with time zone``, ``interval day to second``)."""
    head = part.split(" ", 1)[0]
    return " " in part and "(" not in head and head != "interval"


def _row_fields(type_name: str | None) -> list[tuple[str, str]]:
    kind, parts = type_parts(type_name)
    if kind != "row":
        return []
    return [tuple(p.split(" ", 1)) for p in parts if row_part_named(p)]


def human_bytes(n: int) -> str:
    """Athena's console style: 121.71 MB."""
    size = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{int(size)} B" if unit == "B" else f"{size:.2f} {unit}"
        size /= 1024
    return f"{n} B"


def footer(result: Result, seconds: float) -> str:
    text = f"Run time: {seconds:.2f} sec, Data scanned: {human_bytes(result.data_scanned_bytes)}"
    if result.source_bytes_scanned < result.data_scanned_bytes:    # some came from the scan cache
        text += (f" ({human_bytes(result.source_bytes_scanned)} from storage, "
                 f"{human_bytes(result.cache_bytes_scanned)} read from the scan cache)")
    return text


def text_rows(result: Result) -> list[list[str | None]]:
    types = [c.type for c in result.columns]
    return [[athena_text(v, t) for v, t in zip(row, types)] for row in result.rows()]


def render_table(result: Result, max_width: int = 120) -> str:
    if not result.columns:
        return result.message or "Done."
    headers = [c.name for c in result.columns]
    rows = [["NULL" if v is None else _clip(v, max_width) for v in row] for row in text_rows(result)]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def fmt(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

    out = [line, fmt(headers), line, *(fmt(r) for r in rows), line]
    out.append(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    return "\n".join(out)


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def render_csv(result: Result) -> str:
    """Athena's result-file convention: every field quoted, NULL as an empty field."""
    if not result.columns:
        return ""
    return csv_text([c.name for c in result.columns], text_rows(result))


def csv_text(header: list[str], rows) -> str:
    """Header line then rows of text values (None = NULL), as Athena's <id>.csv holds them."""
    return csv_line(header) + "".join(csv_line(row) for row in rows)


def csv_line(fields: list[str | None]) -> str:
    return ",".join("" if v is None else '"' + v.replace('"', '""') + '"' for v in fields) + "\n"


def render_json(result: Result) -> str:
    if not result.columns:
        return json.dumps({"message": result.message or "Done."})
    names = [c.name for c in result.columns]
    return "\n".join(json.dumps(dict(zip(names, map(json_value, row))), ensure_ascii=False)
                     for row in result.rows())


def json_value(value):
    """A value as valid JSON: numbers and booleans stay JSON, maps become objects, and what
    JSON has no literal for (NaN, decimals, times, bytes) is Athena's text for it."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and isinstance(value[0], tuple) and len(value[0]) == 2:   # Arrow maps
            return {_nested(k): json_value(v) for k, v in value}
        return [json_value(v) for v in value]
    return athena_text(value)
