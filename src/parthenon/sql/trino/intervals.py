"""Trino's interval literals, read as Trino reads them (engine-neutral).

Trino has two interval types: ``interval day to second`` (a count of milliseconds)
and ``interval year to month`` (a count of months).  A literal's qualifier says
which fields its text holds, most significant first, and the last ones may be
left out: ``INTERVAL '12 10:45:32.123' DAY TO SECOND``, ``INTERVAL '12 10' DAY TO
SECOND``, ``INTERVAL '10:45' HOUR TO MINUTE``, ``INTERVAL '124-5' YEAR TO MONTH``.
A single field may pass its natural range (``INTERVAL '90061.234' SECOND``,
``INTERVAL '29' MONTH``); a ``-`` before the text negates the whole value.
``read_literal`` gives the kind and the count, or raises INVALID_LITERAL with
Trino's message (``Invalid INTERVAL DAY TO HOUR value: 12 X``).
"""
from __future__ import annotations

import re

from ...errors import InvalidLiteral

DAY_TO_SECOND = "day to second"
YEAR_TO_MONTH = "year to month"

_DAY_FIELDS = ["day", "hour", "minute", "second"]
_MILLIS = {"day": 86_400_000, "hour": 3_600_000, "minute": 60_000, "second": 1000}
# what separates a field from the one before it in the text
_SEPARATOR = {"hour": " ", "minute": ":", "second": ":"}
UNITS = {"year", "month", "day", "hour", "minute", "second"}


def kind_of(start: str) -> str:
    return YEAR_TO_MONTH if start.lower() in ("year", "month") else DAY_TO_SECOND


def _invalid(text: str, qualifier: str, line: int = 0, col: int = 0) -> InvalidLiteral:
    return InvalidLiteral(f"Invalid INTERVAL {qualifier.upper()} value: {text}", line, col)


def read_literal(text: str, start: str, end: str | None = None,
                 line: int = 0, col: int = 0) -> tuple[str, int]:
    """(kind, count) of ``INTERVAL 'text' start [TO end]``: milliseconds for day to
    second, months for year to month."""
    start, end = start.lower(), (end or start).lower()
    qualifier = start if end == start else f"{start} to {end}"
    body = text.strip()
    sign = 1
    if body.startswith("-"):
        sign, body = -1, body[1:]
    elif body.startswith("+"):
        body = body[1:]
    if start in ("year", "month"):
        fields = ["year", "month"][["year", "month"].index(start):["year", "month"].index(end) + 1]
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", body) if fields == ["year", "month"] else re.fullmatch(r"(\d+)", body)
        if not m or end not in ("year", "month") or len(fields) == 0:
            raise _invalid(text, qualifier, line, col)
        years = int(m.group(1)) if fields[0] == "year" else 0
        months = int(m.group(2) or 0) if fields == ["year", "month"] else (0 if fields[0] == "year" else int(m.group(1)))
        return YEAR_TO_MONTH, sign * (years * 12 + months)
    if start not in _DAY_FIELDS or end not in _DAY_FIELDS or _DAY_FIELDS.index(end) < _DAY_FIELDS.index(start):
        raise _invalid(text, qualifier, line, col)
    fields = _DAY_FIELDS[_DAY_FIELDS.index(start):_DAY_FIELDS.index(end) + 1]
    pattern = r"(\d+)"
    for field in fields[1:]:
        part = r"(\d+)(?:\.(\d+))?" if field == "second" else r"(\d+)"
        pattern += f"(?:{re.escape(_SEPARATOR[field])}{part}"
    pattern += ")?" * (len(fields) - 1)
    if fields == ["second"]:
        pattern = r"(\d+)(?:\.(\d+))?"
    m = re.fullmatch(pattern, body)
    if not m:
        raise _invalid(text, qualifier, line, col)
    groups = list(m.groups())
    millis = 0
    for field in fields:
        value = groups.pop(0)
        if value is not None:
            millis += int(value) * _MILLIS[field]
        if field == "second":
            fraction = groups.pop(0)
            if fraction:
                millis += int(fraction[:3].ljust(3, "0"))
    return DAY_TO_SECOND, sign * millis



def read_node(node, line: int = 0, col: int = 0) -> tuple[str, int] | None:
    """(kind, count) of a parsed ``INTERVAL 'text' unit [TO unit]`` (sqlglot's Interval
    node; None when its text is not a constant).  SQLGlot reads ``INTERVAL '12X' DAY``
    as ``INTERVAL '12' X`` aliased DAY: that is Trino's INVALID_LITERAL for '12X'."""
    from sqlglot import exp

    unit, body = node.args.get("unit"), node.this
    if unit is None or not (isinstance(body, exp.Literal) and body.is_string):
        return None
    if isinstance(unit, exp.IntervalSpan):
        start, end = unit.this.name, unit.expression.name
    else:
        start, end = unit.name, None
    if start.lower() not in UNITS:
        parent = node.parent
        qualifier = parent.alias.upper() if isinstance(parent, exp.Alias) else start.upper()
        raise InvalidLiteral(f"Invalid INTERVAL {qualifier} value: {body.name}{start}", line, col)
    return read_literal(body.name, start, end, line, col)


def is_interval(node) -> bool:
    """Whether a typed node is of an interval type (either kind)."""
    from sqlglot import exp
    from .nodes import is_type
    return is_type(node, exp.DType.INTERVAL)


def scaling(node):
    """(interval, factor) of ``interval * n``, ``n * interval`` or ``interval / n``; None
    for any other product or quotient (an interval by an interval is not scaling)."""
    from sqlglot import exp
    left, right = node.this, node.expression
    if is_interval(left) and not is_interval(right):
        return left, right
    if isinstance(node, exp.Mul) and is_interval(right) and not is_interval(left):
        return right, left
    return None
