"""TIMESTAMP WITH TIME ZONE as Trino has it: an instant that keeps its zone.

DuckDB's TIMESTAMPTZ is an instant only (shown in the session's zone), so a
Trino ``timestamp(p) with time zone`` is represented as the DuckDB struct
``{'instant': TIMESTAMPTZ, 'zone': VARCHAR}``:

- ``instant`` is the point in time (microseconds; the session zone is UTC);
- ``zone`` is Trino's zone key: a region name (``Asia/Kathmandu``), ``UTC``,
  or a fixed offset ``+04:44`` / ``-07:00`` (``+00:00`` and ``Z`` are ``UTC``).

Every expression whose Trino type is timestamp with time zone has this
representation (``ensure_zoned`` wraps what produces a bare TIMESTAMPTZ).
Values compare and order by ``instant`` (the struct's first field, and
comparisons unwrap to it, as Trino compares instants whatever the zone); fields
(``hour``, ``EXTRACT``, casts to DATE/TIME/TIMESTAMP, formatting) read the
wall-clock time in the zone (``local``); ``text`` is Trino's
``2020-05-10 12:34:56.123 Asia/Kathmandu`` with the type's ``p`` digits.
The precision ``p`` lives in the Trino type (``typing``), not in the value.
"""
from __future__ import annotations

import re
import zoneinfo

from sqlglot import exp

from .nodes import duck

_OFFSET = re.compile(r"^([+-])(\d{1,2})(?::?(\d\d))?$")
_UTC_NAMES = {"utc", "z", "gmt", "ut", "utc0", "etc/utc", "etc/gmt", "zulu", "+00:00", "-00:00"}


def canonical_zone(zone: str) -> str:
    """Trino's zone key for a zone as written: offsets as ``+hh:mm``, zero offsets as UTC."""
    z = zone.strip()
    m = _OFFSET.match(z)
    if m:
        sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
        if hours == 0 and minutes == 0:
            return "UTC"
        return f"{sign}{hours:02d}:{minutes:02d}"
    return "UTC" if z.lower() in _UTC_NAMES else z


def known_zone(key: str) -> bool:
    """Whether Trino knows a zone key (``canonical_zone``'s): UTC, an offset within
    +-14:00, or a region of the tz database."""
    if key == "UTC":
        return True
    m = _OFFSET.match(key)
    if m:
        return int(m.group(2)) * 60 + int(m.group(3) or 0) <= 14 * 60
    try:
        zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


_LITERAL = re.compile(
    r"^\s*(\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?)\s*(.*?)\s*$")


def split_literal(text: str) -> tuple[str, str] | None:
    """('2020-05-10 12:34:56.123', 'Asia/Kathmandu') of a zoned timestamp literal."""
    m = _LITERAL.match(text)
    if not m or not m.group(2):
        return None
    return m.group(1), canonical_zone(m.group(2))


def zoned(instant: exp.Expression, zone: exp.Expression) -> exp.Expression:
    node = duck("{'instant': CAST(_i AS TIMESTAMPTZ), 'zone': _z}", _i=instant, _z=zone)
    node.meta["zoned"] = True
    return node


def instant(x: exp.Expression) -> exp.Expression:
    return duck("struct_extract(_x, 'instant')", _x=x)


def zone(x: exp.Expression) -> exp.Expression:
    return duck("struct_extract(_x, 'zone')", _x=x)


_IS_OFFSET = "regexp_matches(_z, '^[+-][0-9][0-9]:[0-9][0-9]$')"
_OFFSET_MINUTES = ("(CASE WHEN substr(_z, 1, 1) = '-' THEN -1 ELSE 1 END * "
                   "(CAST(substr(_z, 2, 2) AS INTEGER) * 60 + CAST(substr(_z, 5, 2) AS INTEGER)))")


def _zone_literal(z: exp.Expression) -> str | None:
    return z.name if isinstance(z, exp.Literal) and z.is_string else None


def local_of(inst: exp.Expression, z: exp.Expression) -> exp.Expression:
    """The wall-clock TIMESTAMP of an instant in a zone."""
    name = _zone_literal(z)
    if name is not None:
        if name == "UTC":
            return duck("CAST(_i AS TIMESTAMP)", _i=inst)
        if _OFFSET.match(name):
            return duck("CAST(_i AS TIMESTAMP) + to_minutes(" + _OFFSET_MINUTES + ")", _i=inst, _z=z)
        return duck("timezone(_z, _i)", _i=inst, _z=z)
    return duck(f"CASE WHEN {_IS_OFFSET} THEN CAST(_i AS TIMESTAMP) + to_minutes({_OFFSET_MINUTES}) "
                "ELSE timezone(_z, _i) END", _i=inst, _z=z)


def instant_of(local: exp.Expression, z: exp.Expression) -> exp.Expression:
    """The instant whose wall-clock time in the zone is ``local`` (a TIMESTAMP)."""
    name = _zone_literal(z)
    if name is not None:
        if name == "UTC":
            return duck("CAST(CAST(_l AS TIMESTAMP) AS TIMESTAMPTZ)", _l=local)
        if _OFFSET.match(name):
            return duck("CAST(CAST(_l AS TIMESTAMP) - to_minutes(" + _OFFSET_MINUTES + ") AS TIMESTAMPTZ)",
                        _l=local, _z=z)
        return duck("timezone(_z, CAST(_l AS TIMESTAMP))", _l=local, _z=z)
    return duck(f"CASE WHEN {_IS_OFFSET} THEN CAST(CAST(_l AS TIMESTAMP) - to_minutes({_OFFSET_MINUTES}) "
                "AS TIMESTAMPTZ) ELSE timezone(_z, CAST(_l AS TIMESTAMP)) END", _l=local, _z=z)


def local(x: exp.Expression) -> exp.Expression:
    """The wall-clock TIMESTAMP of a zoned value in its own zone."""
    if x.meta.get("zoned") and isinstance(x, exp.Struct):
        inst, z = _struct_parts(x)
        return local_of(inst, z)
    return local_of(instant(x), zone(x))


def _struct_parts(x: exp.Struct) -> tuple[exp.Expression, exp.Expression]:
    parts = {}
    for e in x.expressions:
        key = e.this.name if isinstance(e, exp.PropertyEQ) else e.name
        parts[key] = e.expression if isinstance(e, (exp.PropertyEQ, exp.Slice)) else e
    return parts["instant"], parts["zone"]


def zone_of(x: exp.Expression) -> exp.Expression:
    if x.meta.get("zoned") and isinstance(x, exp.Struct):
        return _struct_parts(x)[1]
    return zone(x)


def instant_part(x: exp.Expression) -> exp.Expression:
    if x.meta.get("zoned") and isinstance(x, exp.Struct):
        return _struct_parts(x)[0]
    return instant(x)


def offset_minutes(x: exp.Expression) -> exp.Expression:
    """The zone's offset from UTC at the value's instant, in minutes."""
    return duck("CAST((epoch(_l) - epoch(CAST(_i AS TIMESTAMP))) / 60 AS BIGINT)",
                _l=local(x), _i=instant_part(x))


def timestamp_text(ts: exp.Expression, p: int, sep: str = " ") -> exp.Expression:
    """Trino's text of a TIMESTAMP with ``p`` fractional digits (p > 6: a TIMESTAMP_NS)."""
    base = f"%Y-%m-%d{sep}%H:%M:%S"
    if p <= 6:      # a TIMESTAMP(0) is DuckDB's TIMESTAMP_S, whose strftime fails before 1678
        ts = exp.Cast(this=ts, to=exp.DataType.build("TIMESTAMP"))
    if p <= 0:
        return _year_sign(duck(f"strftime(_t, '{base}')", _t=ts), ts)
    digits = min(p, 9)
    pad = "0" * (p - digits)
    return _year_sign(duck(f"strftime(_t, '{base}.') || substr(strftime(_t, '{'%n' if p > 6 else '%f'}'), 1, {digits})"
                           + (f" || '{pad}'" if pad else ""), _t=ts), ts)


def _year_sign(shown: exp.Expression, ts: exp.Expression) -> exp.Expression:
    """Trino writes a year past 9999 with its sign (``+123001-05-01 12:34:56``)."""
    return duck("CASE WHEN year(_t) > 9999 THEN '+' ELSE '' END || _s", _t=ts, _s=shown)


def text(x: exp.Expression, p: int) -> exp.Expression:
    return duck("_t || ' ' || _z", _t=timestamp_text(local(x), p), _z=zone_of(x))


def round_nanos(ts: exp.Expression, p: int) -> exp.Expression:
    """A TIMESTAMP_NS rounded (half up) to ``p`` digits: a TIMESTAMP for p <= 6."""
    unit = 10 ** (9 - p)
    ticks = (f"((epoch_ns(_t) + {unit // 2}) // {unit} - CASE WHEN (epoch_ns(_t) + {unit // 2}) % {unit} < 0 "
             "THEN 1 ELSE 0 END)")
    if p <= 6:
        return duck(f"make_timestamp({ticks} * {10 ** (6 - p)})", _t=ts)
    return duck(f"make_timestamp_ns({ticks} * {unit})", _t=ts)


def round_timestamp(ts: exp.Expression, p: int) -> exp.Expression:
    """A TIMESTAMP rounded (half up) to ``p`` fractional digits, as Trino's casts round."""
    if p >= 6:
        return ts
    unit = 10 ** (6 - p)
    return duck(f"make_timestamp(CAST(floor((epoch_us(_t) + {unit // 2}) / {unit}) AS BIGINT) * {unit})",
                _t=ts)
