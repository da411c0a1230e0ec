"""Timestamp literals of 10 to 12 digits where only their text is read.

Spark's TIMESTAMP keeps microseconds, and ``nano_timestamps`` keeps three digits past
them; a ``timestamp(10..12)`` value is refused (``types``).  A literal of that type is a
constant, though, whose Trino text is known here: as a result column it is that text
(``2020-05-01 12:34:56.1234567890``, with its zone key after it when zoned), and so is
``CAST(literal AS VARCHAR)``; ``typeof(literal)`` is its type's name.  Any other use
stays refused.  A zoned literal whose wall clock the zone skips (a DST gap, which Trino
moves) is left to that refusal too.
"""
from __future__ import annotations

import datetime
import re
import zoneinfo

from sqlglot import exp

from ...sql.trino import naming
from ...sql.trino.typing import TEXT, is_typed_literal, precision, typeof_name
from ...sql.trino.zones import canonical_zone, known_zone

DType = exp.DType
_TEXT = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2})\.(\d{10,12})(?:\s+(\S+))?\s*$")


def _text(written: str, p: int, zoned: bool) -> str | None:
    m = _TEXT.match(written)
    if not m or len(m.group(7)) != p or bool(m.group(8)) != zoned:
        return None
    try:
        wall = datetime.datetime(*(int(m.group(i)) for i in range(1, 7)))
    except ValueError:
        return None
    text = f"{wall:%Y-%m-%d %H:%M:%S}.{m.group(7)}"
    if wall.year < 1000:
        return None
    if not zoned:
        return text
    key = canonical_zone(m.group(8))
    if not known_zone(key):
        return None
    if "/" in key:      # a region: the wall clock must exist there (Trino moves one in a gap)
        try:
            zone = zoneinfo.ZoneInfo(key)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
        if wall.replace(tzinfo=zone).astimezone(datetime.timezone.utc).astimezone(zone).replace(tzinfo=None) != wall:
            return None
    elif key != "UTC" and not key.startswith(("+", "-")):
        return None
    return f"{text} {key}"


def _literal(text: str) -> exp.Literal:
    out = exp.Literal.string(text)
    out.type = exp.DataType.build("VARCHAR")
    return out


def constant_texts(tree: exp.Expression) -> None:
    """Each such literal, where only its text is read, as that text (in place)."""
    outer = naming.outer_select(tree)
    for cast in list(tree.find_all(exp.Cast)):
        if not is_typed_literal(cast) or cast.to.this not in (DType.TIMESTAMP, DType.TIMESTAMPTZ):
            continue
        p = precision(cast.type if cast.type is not None else cast.to)
        if not 9 < p <= 12:
            continue
        text = _text(cast.this.name, p, cast.to.this == DType.TIMESTAMPTZ)
        if text is None:
            continue
        parent = cast.parent
        if isinstance(parent, exp.Typeof) or isinstance(parent, exp.Anonymous) and parent.name.lower() == "typeof":
            name = typeof_name(parent, cast)
            if name is not None:
                parent.replace(_literal(name))
        elif isinstance(parent, exp.Cast) and parent.this is cast and parent.to.this in TEXT \
                and parent.to.this != DType.CHAR and not parent.to.expressions:
            parent.replace(_literal(text))
        elif outer is not None and (parent is outer or isinstance(parent, exp.Alias) and parent.parent is outer) \
                and (cast if parent is outer else parent) in outer.expressions:
            cast.replace(_literal(text))
            if isinstance(parent, exp.Alias):       # (typed as the literal was)
                parent.type = exp.DataType.build("VARCHAR")
