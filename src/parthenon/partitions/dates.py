"""Dates for partition projection: Java DateTimeFormatter patterns, NOW-relative bounds, intervals.

Athena writes `projection.<col>.format` as a Java pattern (`yyyy/MM/dd`,
`yyyy-MM-dd-HH`); Python's strftime differs in letters and padding, so the
pattern is read into tokens here and formats and parses values itself.
Every value is computed in UTC, as Athena does.
"""
from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone

# Relative range ends, as the Athena user guide gives them.
NOW_RE = re.compile(r"\s*NOW\s*(?:([+-])\s*([0-9]+)\s*(YEARS?|MONTHS?|WEEKS?|DAYS?|HOURS?|MINUTES?|SECONDS?)\s*)?",
                    re.IGNORECASE)
UNITS = ("YEARS", "MONTHS", "WEEKS", "DAYS", "HOURS", "MINUTES", "SECONDS", "MILLISECONDS")
_FIXED = {"WEEKS": timedelta(weeks=1), "DAYS": timedelta(days=1), "HOURS": timedelta(hours=1),
          "MINUTES": timedelta(minutes=1), "SECONDS": timedelta(seconds=1),
          "MILLISECONDS": timedelta(milliseconds=1)}
_MONTHS = [calendar.month_name[i] for i in range(1, 13)]


class PatternError(ValueError):
    pass


class JavaDateFormat:
    """A java.time.format.DateTimeFormatter pattern: y M d H h m s S a E and 'quoted text'."""

    _TOKEN = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|.", re.DOTALL)

    def __init__(self, pattern: str):
        self.pattern = pattern
        self.tokens: list[tuple[str, int | str]] = []     # (letter, width) or ("", literal)
        for m in self._TOKEN.finditer(pattern):
            text = m.group(0)
            if text.startswith("'"):
                self.tokens.append(("", text[1:-1].replace("''", "'") if len(text) > 2 else "'"))
            elif m.group(1):
                if m.group(1) not in "yuMdHhmsSaED":
                    raise PatternError(f"Unsupported letter '{m.group(1)}' in date format '{pattern}'")
                self.tokens.append((m.group(1), len(text)))
            else:
                self.tokens.append(("", text))
        self._regex = re.compile("".join(self._part(letter, width) for letter, width in self.tokens))
        letters = {letter for letter, _ in self.tokens}
        self._strftime = self._as_strftime()
        self.has_day = bool(letters & set("dD"))
        self.below_day = bool(letters & set("HhmsS"))

    @staticmethod
    def _part(letter: str, width) -> str:
        if not letter:
            return re.escape(width)
        if letter == "M" and width >= 3:
            return f"(?P<M>{'|'.join(_MONTHS) if width > 3 else '|'.join(m[:3] for m in _MONTHS)})"
        if letter == "a":
            return "(?P<a>AM|PM)"
        if letter == "E":
            return r"(?:[A-Za-z]+)"
        digits = r"\d{%d}" % width if width > 1 or letter == "S" else r"\d{1,2}"
        if letter in "yu":
            digits = r"\d{4}" if width != 2 else r"\d{2}"
        name = "y" if letter == "u" else letter
        return f"(?P<{name}>{digits})"

    # Java letters with the width strftime writes them at (zero-padded numbers).
    _STRFTIME = {("y", 4): "%Y", ("u", 4): "%Y", ("M", 2): "%m", ("d", 2): "%d", ("H", 2): "%H",
                 ("m", 2): "%M", ("s", 2): "%S"}

    def _as_strftime(self) -> str | None:
        """The same pattern as a strftime one when every token has an exact equivalent: a
        projected range formats thousands of values while a query is planned."""
        parts = []
        for letter, width in self.tokens:
            if not letter:
                parts.append(str(width).replace("%", "%%"))
            elif (letter, width) in self._STRFTIME:
                parts.append(self._STRFTIME[letter, width])
            else:
                return None
        return "".join(parts)

    def format(self, when: datetime) -> str:
        if self._strftime is not None and when.year >= 1000:
            return when.strftime(self._strftime)
        out = []
        for letter, width in self.tokens:
            if not letter:
                out.append(width)
            elif letter in "yu":
                out.append(f"{when.year % 100:02d}" if width == 2 else f"{when.year:0{width}d}")
            elif letter == "M":
                name = _MONTHS[when.month - 1]
                out.append(name if width > 3 else name[:3] if width == 3 else f"{when.month:0{width}d}")
            elif letter == "S":
                out.append(f"{when.microsecond:06d}"[:width].ljust(width, "0"))
            elif letter == "a":
                out.append("AM" if when.hour < 12 else "PM")
            elif letter == "E":
                out.append(when.strftime("%A" if width > 3 else "%a"))
            else:
                value = {"d": when.day, "H": when.hour, "h": (when.hour % 12) or 12, "m": when.minute,
                         "s": when.second, "D": when.timetuple().tm_yday}[letter]
                out.append(f"{value:0{width}d}")
        return "".join(out)

    def parse(self, text: str) -> datetime | None:
        m = self._regex.fullmatch(text)
        if m is None:
            return None
        g = m.groupdict()
        try:
            year = int(g.get("y") or 1970)
            year += 2000 if g.get("y") and len(g["y"]) == 2 else 0
            month = g.get("M") or "1"
            month = int(month) if month.isdigit() else [n[:len(month)] for n in _MONTHS].index(month) + 1
            hour = int(g.get("H") or 0)
            if g.get("h"):
                hour = int(g["h"]) % 12 + (12 if g.get("a") == "PM" else 0)
            micro = int((g.get("S") or "0").ljust(6, "0")[:6])
            when = datetime(year, month, int(g.get("d") or 1), hour, int(g.get("m") or 0),
                            int(g.get("s") or 0), micro)
            if g.get("D"):
                when = when.replace(month=1, day=1) + timedelta(days=int(g["D"]) - 1)
        except ValueError:
            return None
        return when if self.format(when) == text else None    # strict: 2020/1/01 is not 2020/01/01


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_bound(text: str, fmt: JavaDateFormat) -> datetime | None:
    """A range end: a date in the column's format, or NOW with an optional offset."""
    m = NOW_RE.fullmatch(text)
    if m:
        base = now()
        if m.group(1):
            amount = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
            base = step(base, amount, m.group(3).upper().rstrip("S") + "S")
        return base
    return fmt.parse(text)


def step(when: datetime, amount: int, unit: str) -> datetime:
    """when + amount units; months and years keep the day where the month allows it."""
    if unit in _FIXED:
        return when + _FIXED[unit] * amount
    months = amount * (12 if unit == "YEARS" else 1)
    total = when.year * 12 + when.month - 1 + months
    year, month = divmod(total, 12)
    day = min(when.day, calendar.monthrange(year, month + 1)[1])
    return when.replace(year=year, month=month + 1, day=day)


def count_steps(start: datetime, end: datetime, interval: int, unit: str) -> int:
    """How many of start, start+interval, ... are <= end."""
    if end < start:
        return 0
    if unit in _FIXED:
        return (end - start) // (_FIXED[unit] * interval) + 1
    months = (end.year - start.year) * 12 + end.month - start.month
    months -= 1 if step(start, months, "MONTHS") > end else 0
    per = interval * (12 if unit == "YEARS" else 1)
    return months // per + 1


def index_of(start: datetime, when: datetime, interval: int, unit: str) -> int | None:
    """k if when == start + k*interval units, else None."""
    if when < start:
        return None
    k = count_steps(start, when, interval, unit) - 1
    return k if step(start, k * interval, unit) == when else None
