"""Timestamp literals of more fractional digits than Spark keeps, rounded as Trino casts.

Spark's TIMESTAMP holds microseconds; Trino's timestamp(p) up to picoseconds.  A
literal cast to p <= 6 digits (``CAST(TIMESTAMP '... .123456789' AS TIMESTAMP(3))``,
``CAST('... .123456789' AS TIMESTAMP(6))``) is rounded here, half up as Trino
rounds, before Spark reads it (Spark would cut the digits).  Zoned literals keep
their zone.  A value that stays of p > 6 digits is refused (``types``).
"""
from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from sqlglot import exp

from ...sql.trino.nodes import string_literal
from ...sql.trino.typing import precision

_TEXT = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}:\d{2})\.(\d+)(\s+\S.*)?\s*$")
_TIMESTAMPS = (exp.DType.TIMESTAMP, exp.DType.TIMESTAMPTZ)


def rounded_text(text: str, p: int, zoned: bool) -> str | None:
    """The literal's text rounded to p fractional digits (None: it has no more than p, or
    a zone where the target has none)."""
    m = _TEXT.match(text)
    if not m or len(m.group(2)) <= p or m.group(3) and not zoned:
        return None
    base = datetime.datetime.strptime(m.group(1).replace("T", " "), "%Y-%m-%d %H:%M:%S")
    fraction = Decimal("0." + m.group(2)).quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP)
    moved = base + datetime.timedelta(microseconds=int(fraction * 1_000_000))
    out = moved.strftime("%Y-%m-%d %H:%M:%S")
    if p:
        out += "." + f"{moved.microsecond:06d}"[:p]
    return out + (m.group(3) or "")


def round_timestamp_literals(tree: exp.Expression) -> None:
    for cast in list(tree.find_all(exp.Cast)):
        to = cast.to
        if to.this not in _TIMESTAMPS or precision(to) > 6:
            continue
        inner = cast.this
        if isinstance(inner, exp.Cast) and inner.to.this == to.this and string_literal(inner.this) is not None:
            inner = inner.this          # a typed literal cast again: round its text once, to p
        text = string_literal(inner)
        new = rounded_text(text, precision(to), to.this == exp.DType.TIMESTAMPTZ) if text is not None else None
        if new is not None:
            literal = exp.Literal.string(new)
            literal.type = inner.type
            cast.set("this", literal)
