"""Trino's time zone keys, for every engine: how a zone as written becomes Trino's key
(``+05:45``, ``UTC``, ``Asia/Kathmandu``), which keys Trino knows, and the parts of a
zoned timestamp literal."""
from __future__ import annotations

import re
import zoneinfo

OFFSET = re.compile(r"^([+-])(\d{1,2})(?::?(\d\d))?$")
_UTC_NAMES = {"utc", "z", "gmt", "ut", "utc0", "etc/utc", "etc/gmt", "zulu", "+00:00", "-00:00"}


def canonical_zone(zone: str) -> str:
    """Trino's zone key for a zone as written: offsets as ``+hh:mm``, zero offsets as UTC."""
    z = zone.strip()
    m = OFFSET.match(z)
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
    m = OFFSET.match(key)
    if m:
        return int(m.group(2)) * 60 + int(m.group(3) or 0) <= 14 * 60
    try:
        zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


_REGIONS: dict[str, str] | None = None


def zone_key(zone: str) -> str | None:
    """Trino's key of a zone as written, matched case-insensitively as Trino's
    TimeZoneKey does (``asia/kathmandu`` is Asia/Kathmandu); None for a zone Trino does not
    know."""
    global _REGIONS
    key = canonical_zone(zone)
    if known_zone(key):
        return key
    if _REGIONS is None:
        _REGIONS = {name.lower(): name for name in zoneinfo.available_timezones()}
    return _REGIONS.get(key.lower())


_LITERAL = re.compile(
    r"^\s*(\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?)\s*(.*?)\s*$")


def split_literal(text: str) -> tuple[str, str] | None:
    """('2020-05-10 12:34:56.123', 'Asia/Kathmandu') of a zoned timestamp literal."""
    m = _LITERAL.match(text)
    if not m or not m.group(2):
        return None
    return m.group(1), canonical_zone(m.group(2))
