"""Java's objects as Trino's format() hands them to java.util.Formatter (``java_format``).

Each argument comes from the rewrite as ``{k: kind, v: text}`` and becomes the Java value
Trino makes of its type (FormatFunction): ``Boolean``, ``Long`` (any integer), ``Float`` (a
real), ``Double``, ``BigDecimal``, ``String`` (any other value's text), or a ``LocalDate`` /
``LocalTime`` / ``LocalDateTime`` / ``ZonedDateTime``.  This module gives their Java
``toString`` (``1969-07-20T16:17``, ``1.0E10``, ``2020-05-10T12:34:56.123+05:45[Asia/Kathmandu]``),
their ``hashCode`` (``%h``) and their ``%t`` fields in the English locale.
"""
from __future__ import annotations

import datetime as dt
import decimal
import re
import struct
import zoneinfo

CONTEXT = decimal.Context(prec=1000, rounding=decimal.ROUND_HALF_UP)
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class Unsupported(Exception):
    pass


class Value:
    """A Java object: its class name and the Python value standing for it."""

    def __init__(self, cls: str, value):
        self.cls, self.value = cls, value


class Temporal:
    """LocalDate / LocalTime / LocalDateTime / ZonedDateTime fields."""

    def __init__(self, cls, date=None, time=None, zone=None, offset=None):
        self.cls, self.date, self.time, self.zone, self.offset = cls, date, time, zone, offset


# --------------------------------------------------------------------------------------
# Java's text of the values (toString)
# --------------------------------------------------------------------------------------

def shortest(x: float, single: bool) -> decimal.Decimal:
    """The shortest decimal that reads back as x (as a float32 for a Float)."""
    if not single:
        return decimal.Decimal(repr(x))
    target = struct.pack(">f", x)
    for digits in range(1, 10):
        text = f"{x:.{digits}g}"
        if struct.pack(">f", float(text)) == target:
            return decimal.Decimal(text)
    return decimal.Decimal(repr(x))


def floating_text(x: float, single: bool) -> str:
    """Double.toString / Float.toString: plain from 10^-3 to 10^7, else 1.0E10."""
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if str(x).startswith("-") else "0.0"
    d = shortest(x, single)
    sign, digits, exponent = d.as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    point = len(digits) + exponent          # position of the decimal point in the digits
    prefix = "-" if sign else ""
    if 1e-3 <= abs(x) < 1e7:
        if point <= 0:
            return prefix + "0." + "0" * -point + text
        whole = (text + "0" * point)[:point]
        fraction = text[point:] or "0"
        return prefix + whole + "." + fraction
    return prefix + text[0] + "." + (text[1:] or "0") + "E" + str(point - 1)


def _nanos_text(nano: int) -> str:
    if nano == 0:
        return ""
    if nano % 1_000_000 == 0:
        return f".{nano // 1_000_000:03d}"
    if nano % 1000 == 0:
        return f".{nano // 1000:06d}"
    return f".{nano:09d}"


def _time_text(t: tuple[int, int, int, int]) -> str:
    hour, minute, second, nano = t
    text = f"{hour:02d}:{minute:02d}"
    if second or nano:
        text += f":{second:02d}" + _nanos_text(nano)
    return text


def _offset_text(seconds: int) -> str:
    if seconds == 0:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    h, rest = divmod(abs(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{sign}{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


def _date_text(d: tuple[int, int, int]) -> str:
    year, month, day = d
    if year > 9999:
        y = f"+{year}"
    elif year < 0:
        y = f"-{-year:04d}"
    else:
        y = f"{year:04d}"
    return f"{y}-{month:02d}-{day:02d}"


def to_string(v: Value | Temporal) -> str:
    if isinstance(v, Temporal):
        if v.cls == "LocalDate":
            return _date_text(v.date)
        if v.cls == "LocalTime":
            return _time_text(v.time)
        text = _date_text(v.date) + "T" + _time_text(v.time)
        if v.cls == "ZonedDateTime":
            text += _offset_text(v.offset)
            if not re.fullmatch(r"[+-]\d\d:\d\d", v.zone):
                text += f"[{v.zone}]"
        return text
    if v.cls == "Boolean":
        return "true" if v.value else "false"
    if v.cls in ("Float", "Double"):
        return floating_text(v.value, v.cls == "Float")
    return str(v.value)


# --------------------------------------------------------------------------------------
# Arguments as the rewrite passes them
# --------------------------------------------------------------------------------------

def _parse_time(text: str) -> tuple[int, int, int, int]:
    clock, _, fraction = text.partition(".")
    h, m, s = (int(p) for p in clock.split(":"))
    return h, m, s, int((fraction + "000000000")[:9])


def _parse_date(text: str) -> tuple[int, int, int]:
    sign = -1 if text.startswith("-") else 1
    y, m, d = text.lstrip("+-").split("-")
    return sign * int(y), int(m), int(d)


def argument(arg: dict) -> Value | Temporal | None:
    kind, text = arg["k"], arg["v"]
    if text is None or kind == "null":
        return None
    if kind == "boolean":
        return Value("Boolean", text == "true")
    if kind == "long":
        return Value("Long", int(text))
    if kind in ("float", "double"):
        return Value(kind.capitalize(), float(text))
    if kind == "decimal":
        return Value("BigDecimal", decimal.Decimal(text))
    if kind == "date":
        return Temporal("LocalDate", date=_parse_date(text))
    if kind == "time":
        return Temporal("LocalTime", time=_parse_time(text))
    if kind == "timestamp":
        day, _, clock = text.partition(" ")
        return Temporal("LocalDateTime", date=_parse_date(day), time=_parse_time(clock))
    if kind == "zoned":      # 'YYYY-MM-DD HH:MM:SS.fff ZONE|offset minutes'
        value, _, minutes = text.rpartition("|")
        day, clock, zone = value.split(" ")
        return Temporal("ZonedDateTime", date=_parse_date(day), time=_parse_time(clock),
                         zone=zone, offset=int(minutes) * 60)
    return Value("String", text)


# --------------------------------------------------------------------------------------
# %t fields and hashCode
# --------------------------------------------------------------------------------------

def temporal_field(t: Temporal, c: str) -> str:
    """One %t conversion of a date/time value (Java's Formatter.print(TemporalAccessor))."""
    composite = {"R": "%tH:%tM", "T": "%tH:%tM:%tS", "r": "%tI:%tM:%tS %Tp", "D": "%tm/%td/%ty",
                 "F": "%tY-%tm-%td", "c": "%ta %tb %td %tT %tZ %tY"}
    if c in composite:
        parts = re.split(r"(%[tT].)", composite[c])
        return "".join(temporal_field(t, p[2]).upper() if p.startswith("%T") else
                       temporal_field(t, p[2]) if p.startswith("%t") else p for p in parts)
    if c in "HIklMSLNp":
        if t.time is None:
            raise Unsupported(f"%t{c} of a {t.cls}")
        hour, minute, second, nano = t.time
        return {"H": f"{hour:02d}", "I": f"{(hour % 12) or 12:02d}", "k": str(hour),
                "l": str((hour % 12) or 12), "M": f"{minute:02d}", "S": f"{second:02d}",
                "L": f"{nano // 1_000_000:03d}", "N": f"{nano:09d}", "p": "am" if hour < 12 else "pm"}[c]
    if c in "zZsQ":
        if t.cls != "ZonedDateTime":
            raise Unsupported(f"%t{c} of a {t.cls}")
        instant = _instant(t)
        if c == "z":
            sign = "-" if t.offset < 0 else "+"
            h, rest = divmod(abs(t.offset), 3600)
            return f"{sign}{h:02d}{rest // 60:02d}"
        if c == "Z":
            if re.fullmatch(r"[+-]\d\d:\d\d", t.zone):
                return t.zone
            return _zone_name(t.zone, instant)
        seconds = instant.timestamp()
        return str(int(seconds)) if c == "s" else str(int(seconds) * 1000 + t.time[3] // 1_000_000)
    if t.date is None:
        raise Unsupported(f"%t{c} of a {t.cls}")
    year, month, day = t.date
    if c in "Aaj" and not 1 <= year <= 9999:
        raise Unsupported("%t of a year outside 1..9999")
    if c in "Aa":
        name = _DAYS[dt.date(year, month, day).weekday()]
        return name if c == "A" else name[:3]
    return {"B": _MONTHS[month - 1], "b": _MONTHS[month - 1][:3], "h": _MONTHS[month - 1][:3],
            "C": f"{year // 100:02d}", "Y": f"{year:04d}", "y": f"{year % 100:02d}",
            "j": f"{dt.date(year, month, day).timetuple().tm_yday:03d}" if 1 <= year <= 9999 else "",
            "m": f"{month:02d}", "d": f"{day:02d}", "e": str(day)}[c]


def _instant(t: Temporal) -> dt.datetime:
    year, month, day = t.date
    if not 1 <= year <= 9999:
        raise Unsupported("%t of a year outside 1..9999")
    hour, minute, second, nano = t.time
    local = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.timezone.utc)
    return local - dt.timedelta(seconds=t.offset)


def _zone_name(zone: str, instant: dt.datetime) -> str:
    """The zone's short name at an instant (EDT, UTC), as Java's TimeZone gives it."""
    if zone == "UTC":
        return "UTC"
    try:
        name = instant.astimezone(zoneinfo.ZoneInfo(zone)).tzname()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise Unsupported(f"the short name of zone {zone}") from None
    if not name or not name.isalpha():
        raise Unsupported(f"the short name of zone {zone}")
    return name


def hash_code(arg) -> int:
    """Object.hashCode() of the Java value, for %h."""
    def long_hash(v: int) -> int:
        v &= 0xFFFFFFFFFFFFFFFF
        return (v ^ (v >> 32)) & 0xFFFFFFFF
    if isinstance(arg, Temporal):
        raise Unsupported("%h of a date/time value")
    if arg.cls == "Boolean":
        return 1231 if arg.value else 1237
    if arg.cls == "Long":
        return long_hash(arg.value)
    if arg.cls == "Double":
        x = arg.value if arg.value == arg.value else float("nan")
        return long_hash(struct.unpack(">q", struct.pack(">d", x))[0])
    if arg.cls == "Float":
        return struct.unpack(">I", struct.pack(">f", arg.value))[0]
    if arg.cls == "BigDecimal":
        raise Unsupported("%h of a decimal")
    h = 0
    for unit in struct.unpack(f">{len(arg.value.encode('utf-16-be')) // 2}H", arg.value.encode("utf-16-be")):
        h = (31 * h + unit) & 0xFFFFFFFF
    return h
