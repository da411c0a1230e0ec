"""Trino's ``format(fmt, args...)``: Java's ``java.util.Formatter`` (English locale), in Python;
and ``format_number`` (Java's DecimalFormat).

Trino hands each argument to ``String.format`` as a Java object of its type (FormatFunction):
an integer as a ``Long``, a real as a ``Float``, a double as a ``Double``, a decimal as a
``BigDecimal``, a date / timestamp / timestamp with time zone / time as ``LocalDate`` /
``LocalDateTime`` / ``ZonedDateTime`` / ``LocalTime``, and any other value as its text.  So
``%d`` of a decimal fails (``d != java.math.BigDecimal``), ``%s`` of a timestamp is Java's
``1969-07-20T16:17``, ``%.2f`` rounds half up on the shortest digits, and a malformed
specifier is Java's exception, as Trino reports it: INVALID_FUNCTION_ARGUMENT "Invalid format
string: %-02d (IllegalFormatFlags: Flags = '-0')".

The rewrite (``trino/formatting.py``) passes the arguments as a list of ``{k: kind, v: text}``.
Knowingly not covered (NOT_SUPPORTED): ``%h`` of temporal values, ``%a`` with a precision,
``%t`` of a number (Java reads it as epoch milliseconds in the JVM's zone), years outside 1..9999
for ``%t``.
"""
from __future__ import annotations

import datetime as dt
import decimal
import re
import struct
import zoneinfo

_SPEC = re.compile(r"%(\d+\$)?([-#+ 0,(<]*)?(\d+)?(\.\d+)?([tT])?([a-zA-Z%])?")
_FLAG_ORDER = "-#+ 0,(<"
_CONTEXT = decimal.Context(prec=1000, rounding=decimal.ROUND_HALF_UP)
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class _FormatError(Exception):
    """A java.util.IllegalFormatException: its simple name less 'Exception', and message."""


class _Unsupported(Exception):
    pass


class _Value:
    """A Java object: its class name and the Python value standing for it."""

    def __init__(self, cls: str, value):
        self.cls, self.value = cls, value


class _Temporal:
    """LocalDate / LocalTime / LocalDateTime / ZonedDateTime fields."""

    def __init__(self, cls, date=None, time=None, zone=None, offset=None):
        self.cls, self.date, self.time, self.zone, self.offset = cls, date, time, zone, offset


def _java_class(cls: str) -> str:
    return {"Boolean": "java.lang.Boolean", "Long": "java.lang.Long", "Float": "java.lang.Float",
            "Double": "java.lang.Double", "BigDecimal": "java.math.BigDecimal",
            "String": "java.lang.String"}.get(cls, f"java.time.{cls}")


# --------------------------------------------------------------------------------------
# Java's text of the values (toString)
# --------------------------------------------------------------------------------------

def _shortest(x: float, single: bool) -> decimal.Decimal:
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
    d = _shortest(x, single)
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


def _to_string(v: _Value | _Temporal) -> str:
    if isinstance(v, _Temporal):
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


def _argument(arg: dict) -> _Value | _Temporal | None:
    kind, text = arg["k"], arg["v"]
    if text is None or kind == "null":
        return None
    if kind == "boolean":
        return _Value("Boolean", text == "true")
    if kind == "long":
        return _Value("Long", int(text))
    if kind in ("float", "double"):
        return _Value(kind.capitalize(), float(text))
    if kind == "decimal":
        return _Value("BigDecimal", decimal.Decimal(text))
    if kind == "date":
        return _Temporal("LocalDate", date=_parse_date(text))
    if kind == "time":
        return _Temporal("LocalTime", time=_parse_time(text))
    if kind == "timestamp":
        day, _, clock = text.partition(" ")
        return _Temporal("LocalDateTime", date=_parse_date(day), time=_parse_time(clock))
    if kind == "zoned":      # 'YYYY-MM-DD HH:MM:SS.fff ZONE|offset minutes'
        value, _, minutes = text.rpartition("|")
        day, clock, zone = value.split(" ")
        return _Temporal("ZonedDateTime", date=_parse_date(day), time=_parse_time(clock),
                         zone=zone, offset=int(minutes) * 60)
    return _Value("String", text)


# --------------------------------------------------------------------------------------
# Specifiers
# --------------------------------------------------------------------------------------

class _Spec:
    def __init__(self, m: re.Match):
        index, flags, width, precision, temporal, conversion = m.groups()
        self.index = int(index[:-1]) if index else None
        self.flags = flags or ""
        for f in self.flags:
            if self.flags.count(f) > 1:
                raise _FormatError("DuplicateFormatFlags", f"Flags = '{f}'")
        self.width = int(width) if width else -1
        self.precision = int(precision[1:]) if precision else -1
        self.temporal = bool(temporal)
        self.upper = (temporal or conversion or "").isupper()
        if conversion is None:
            raise _FormatError("UnknownFormatConversion", f"Conversion = '{temporal or '%'}'")
        self.conversion = conversion.lower() if conversion not in "%n" else conversion
        if self.temporal:
            self.conversion = conversion    # %tB and %tb differ
        self._check()

    def text(self) -> str:
        flags = "".join(f for f in _FLAG_ORDER if f in self.flags)
        out = "%" + flags + (f"{self.index}$" if self.index else "")
        out += (str(self.width) if self.width != -1 else "") + (f".{self.precision}" if self.precision != -1 else "")
        if self.temporal:
            return out + ("T" if self.upper else "t") + self.conversion
        return out + (self.conversion.upper() if self.upper else self.conversion)

    def _flags_text(self) -> str:
        return "".join(f for f in _FLAG_ORDER if f in self.flags)

    def _bad_flags(self, bad: str) -> None:
        for f in bad:
            if f in self.flags:
                raise _FormatError("FormatFlagsConversionMismatch", f"Conversion = {self.conversion}, Flags = {f}")

    def _missing_width(self) -> None:
        if self.width == -1 and "-" in self.flags:
            raise _FormatError("MissingFormatWidth", self.text())

    def _numeric(self) -> None:
        if self.width == -1 and ("-" in self.flags or "0" in self.flags):
            raise _FormatError("MissingFormatWidth", self.text())
        if ("+" in self.flags and " " in self.flags) or ("-" in self.flags and "0" in self.flags):
            raise _FormatError("IllegalFormatFlags", f"Flags = '{self._flags_text()}'")

    def _check(self) -> None:
        c = self.conversion
        if self.temporal:
            if c not in "HIklMSLNpzZsQBbhAaCYyjmdeRTrDFc":
                raise _FormatError("UnknownFormatConversion", f"Conversion = '{'T' if self.upper else 't'}{c}'")
            if self.precision != -1:
                raise _FormatError("IllegalFormatPrecision", str(self.precision))
            self._bad_flags("#+ 0,(")
            self._missing_width()
        elif c in "bhs":
            if c in "bh" and "#" in self.flags:
                self._bad_flags("#")
            self._missing_width()
            self._bad_flags("+ 0,(")
        elif c == "c":
            if self.precision != -1:
                raise _FormatError("IllegalFormatPrecision", str(self.precision))
            self._bad_flags("#+ 0,(")
            self._missing_width()
        elif c in "dox":
            self._numeric()
            if self.precision != -1:
                raise _FormatError("IllegalFormatPrecision", str(self.precision))
            self._bad_flags("#" if c == "d" else ",")
        elif c in "efga":
            self._numeric()
            self._bad_flags({"a": "(,", "e": ",", "g": "#"}.get(c, ""))
        elif c == "%":
            if self.precision != -1:
                raise _FormatError("IllegalFormatPrecision", str(self.precision))
            if self.flags not in ("", "-"):
                raise _FormatError("IllegalFormatFlags", f"Flags = '{self._flags_text()}'")
            self._missing_width()
        elif c == "n":
            if self.width != -1:
                raise _FormatError("IllegalFormatWidth", str(self.width))
            if self.precision != -1:
                raise _FormatError("IllegalFormatPrecision", str(self.precision))
            if self.flags:
                raise _FormatError("IllegalFormatFlags", f"Flags = '{self._flags_text()}'")
        else:
            raise _FormatError("UnknownFormatConversion", f"Conversion = '{self.conversion}'")

    # ----------------------------------------------------------------------------------

    def justify(self, text: str) -> str:
        if self.upper:
            text = text.upper()
        if self.width != -1 and len(text) < self.width:
            pad = " " * (self.width - len(text))
            text = text + pad if "-" in self.flags else pad + text
        return text

    def mismatch(self, arg) -> _FormatError:
        return _FormatError("IllegalFormatConversion", f"{self.conversion} != {_java_class(arg.cls)}")

    def print(self, arg) -> str:
        c = self.conversion
        if self.temporal:
            if arg is None:
                return self.justify("null")
            if not isinstance(arg, _Temporal):
                if arg.cls == "Long":
                    raise _Unsupported("%t of a number (epoch milliseconds in the JVM's zone)")
                raise self.mismatch(arg)
            return self.justify(_temporal_field(arg, c, self))
        if c in "bs":
            if c == "b":
                text = "false" if arg is None else ("true" if not isinstance(arg, _Value) or arg.cls != "Boolean"
                                                    else _to_string(arg))
            else:
                if "#" in self.flags:
                    raise _FormatError("FormatFlagsConversionMismatch", "Conversion = s, Flags = #")
                text = "null" if arg is None else _to_string(arg)
            if self.precision != -1:
                text = text[:self.precision]
            return self.justify(text)
        if c == "h":
            text = "null" if arg is None else f"{_hash_code(arg) & 0xFFFFFFFF:x}"
            return self.justify(text[:self.precision] if self.precision != -1 else text)
        if c == "c":
            if arg is None:
                return self.justify("null")
            raise self.mismatch(arg)
        if arg is None:
            return self.justify("null")
        if c in "dox":
            if not isinstance(arg, _Value) or arg.cls != "Long":
                raise self.mismatch(arg)
            return self.justify(self._integer(arg.value))
        if not isinstance(arg, _Value) or arg.cls not in ("Float", "Double", "BigDecimal"):
            raise self.mismatch(arg)
        if c == "a":
            if arg.cls == "BigDecimal":
                raise self.mismatch(arg)
            return self.justify(self._hex_float(arg.value))
        return self.justify(self._floating(arg.value))

    def _signed(self, negative: bool, magnitude: str) -> str:
        """Sign, zero padding and parentheses around a magnitude's digits (Java's leadingSign,
        trailingSign and localizedMagnitude)."""
        lead = ("(" if "(" in self.flags else "-") if negative else \
            ("+" if "+" in self.flags else " " if " " in self.flags else "")
        trail = ")" if negative and "(" in self.flags else ""
        if "0" in self.flags and self.width != -1:
            magnitude = magnitude.rjust(self.width - len(lead) - len(trail), "0")
        return lead + magnitude + trail

    def _grouped(self, digits: str) -> str:
        if "," not in self.flags:
            return digits
        return f"{int(digits):,}" if digits else digits

    def _integer(self, v: int) -> str:
        if self.conversion == "d":
            return self._signed(v < 0, self._grouped(str(abs(v))))
        unsigned = v & 0xFFFFFFFFFFFFFFFF
        text = f"{unsigned:o}" if self.conversion == "o" else f"{unsigned:x}"
        prefix = ("0" if self.conversion == "o" else "0x") if "#" in self.flags else ""
        if "0" in self.flags:
            text = text.rjust(self.width - len(prefix), "0")
        return prefix + text

    def _floating(self, x) -> str:
        if isinstance(x, float):
            if x != x:
                return "NaN"
            if x in (float("inf"), float("-inf")):
                negative = x < 0
                text = "Infinity"
                if negative:
                    return "(Infinity)" if "(" in self.flags else "-Infinity"
                return ("+" if "+" in self.flags else " " if " " in self.flags else "") + text
            negative = str(x).startswith("-")
            d = abs(_shortest(x, False))
        else:
            negative = x.is_signed()
            d = abs(x)
        c, precision = self.conversion, self.precision
        if c == "f":
            body = self._fixed(d, 6 if precision == -1 else precision)
        elif c == "e":
            body = self._scientific(d, 6 if precision == -1 else precision)
        else:
            p = 6 if precision == -1 else (1 if precision == 0 else precision)
            rounded = _round_significant(d, p)
            if rounded != 0 and not (decimal.Decimal("1e-4") <= rounded < decimal.Decimal(10) ** p):
                body = self._scientific(d, p - 1)
            else:
                exponent = rounded.adjusted() if rounded != 0 else 0
                body = self._fixed(d, p - exponent - 1)
        return self._signed(negative, body)

    def _fixed(self, d: decimal.Decimal, places: int) -> str:
        q = d.quantize(decimal.Decimal(1).scaleb(-places), context=_CONTEXT)
        whole, _, fraction = f"{q:f}".partition(".")
        text = self._grouped(whole)
        if fraction or "#" in self.flags:
            text += "." + fraction
        return text

    def _scientific(self, d: decimal.Decimal, places: int) -> str:
        if d == 0:
            mantissa, exponent = "0" + ("." + "0" * places if places or "#" in self.flags else ""), 0
        else:
            rounded = _round_significant(d, places + 1)
            exponent = rounded.adjusted()
            digits = "".join(map(str, rounded.as_tuple().digits)).ljust(places + 1, "0")[:places + 1]
            mantissa = digits[0] + ("." + digits[1:] if places or "#" in self.flags else "")
        return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"

    def _hex_float(self, x: float) -> str:
        if self.precision != -1:
            raise _Unsupported("%a with a precision")
        if x != x:
            return "NaN"
        if x in (float("inf"), float("-inf")):
            return "Infinity" if x > 0 else "-Infinity"
        m = re.fullmatch(r"(-?)0x([01])\.([0-9a-f]*)p([+-]\d+)", x.hex())
        sign, lead, fraction, exponent = m.groups()
        fraction = fraction.rstrip("0") or "0"
        if lead == "0" and x != 0:
            exponent = "-1022"
        return self._signed(sign == "-", f"0x{lead}.{fraction}p{int(exponent)}")


def _round_significant(d: decimal.Decimal, digits: int) -> decimal.Decimal:
    if d == 0:
        return d
    return d.quantize(decimal.Decimal(1).scaleb(d.adjusted() - digits + 1), context=_CONTEXT)


def _temporal_field(t: _Temporal, c: str, spec: _Spec) -> str:
    """One %t conversion of a date/time value (Java's Formatter.print(TemporalAccessor))."""
    composite = {"R": "%tH:%tM", "T": "%tH:%tM:%tS", "r": "%tI:%tM:%tS %Tp", "D": "%tm/%td/%ty",
                 "F": "%tY-%tm-%td", "c": "%ta %tb %td %tT %tZ %tY"}
    if c in composite:
        parts = re.split(r"(%[tT].)", composite[c])
        return "".join(_temporal_field(t, p[2], spec).upper() if p.startswith("%T") else
                       _temporal_field(t, p[2], spec) if p.startswith("%t") else p for p in parts)
    if c in "HIklMSLNp":
        if t.time is None:
            raise _Unsupported(f"%t{c} of a {t.cls}")
        hour, minute, second, nano = t.time
        return {"H": f"{hour:02d}", "I": f"{(hour % 12) or 12:02d}", "k": str(hour),
                "l": str((hour % 12) or 12), "M": f"{minute:02d}", "S": f"{second:02d}",
                "L": f"{nano // 1_000_000:03d}", "N": f"{nano:09d}", "p": "am" if hour < 12 else "pm"}[c]
    if c in "zZsQ":
        if t.cls != "ZonedDateTime":
            raise _Unsupported(f"%t{c} of a {t.cls}")
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
        raise _Unsupported(f"%t{c} of a {t.cls}")
    year, month, day = t.date
    if c in "Aaj" and not 1 <= year <= 9999:
        raise _Unsupported("%t of a year outside 1..9999")
    if c in "Aa":
        name = _DAYS[dt.date(year, month, day).weekday()]
        return name if c == "A" else name[:3]
    return {"B": _MONTHS[month - 1], "b": _MONTHS[month - 1][:3], "h": _MONTHS[month - 1][:3],
            "C": f"{year // 100:02d}", "Y": f"{year:04d}", "y": f"{year % 100:02d}",
            "j": f"{dt.date(year, month, day).timetuple().tm_yday:03d}" if 1 <= year <= 9999 else "",
            "m": f"{month:02d}", "d": f"{day:02d}", "e": str(day)}[c]


def _instant(t: _Temporal) -> dt.datetime:
    year, month, day = t.date
    if not 1 <= year <= 9999:
        raise _Unsupported("%t of a year outside 1..9999")
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
        raise _Unsupported(f"the short name of zone {zone}") from None
    if not name or not name.isalpha():
        raise _Unsupported(f"the short name of zone {zone}")
    return name


def _hash_code(arg) -> int:
    """Object.hashCode() of the Java value, for %h."""
    def long_hash(v: int) -> int:
        v &= 0xFFFFFFFFFFFFFFFF
        return (v ^ (v >> 32)) & 0xFFFFFFFF
    if isinstance(arg, _Temporal):
        raise _Unsupported("%h of a date/time value")
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
        raise _Unsupported("%h of a decimal")
    h = 0
    for unit in struct.unpack(f">{len(arg.value.encode('utf-16-be')) // 2}H", arg.value.encode("utf-16-be")):
        h = (31 * h + unit) & 0xFFFFFFFF
    return h


# --------------------------------------------------------------------------------------
# format
# --------------------------------------------------------------------------------------

def _format(fmt: str, args: list) -> str:
    pieces, pos = [], 0
    for m in re.finditer(r"%", fmt):
        if m.start() < pos:
            continue
        pieces.append(fmt[pos:m.start()])
        spec_match = _SPEC.match(fmt, m.start())
        pieces.append(_Spec(spec_match))
        pos = spec_match.end()
    pieces.append(fmt[pos:])
    out, ordinary, last = [], 0, None
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        if piece.conversion == "%":
            out.append(piece.justify("%"))
            continue
        if piece.conversion == "n":
            out.append("\n")
            continue
        if "<" in piece.flags:
            index = last
        elif piece.index is not None:
            index = piece.index - 1
        else:
            index, ordinary = ordinary, ordinary + 1
        if index is None or index < 0 or index >= len(args):
            raise _FormatError("MissingFormatArgument", f"Format specifier '{piece.text()}'")
        last = index
        out.append(piece.print(args[index]))
    return "".join(out)


def trino_format(fmt: str, args: list) -> str:
    try:
        return _format(fmt, [_argument(a) for a in args])
    except _FormatError as e:
        name, message = e.args
        raise ValueError(f"INVALID_FUNCTION_ARGUMENT: Invalid format string: {fmt} ({name}: {message})") from None
    except _Unsupported as e:
        raise ValueError(f"NOT_SUPPORTED: format(): {e}") from None


def format_number(x: float) -> str:
    """Trino's format_number (FormatNumberFunction): the value as a Java long, divided by
    1000 while it is 1000 or more in magnitude, shown with DecimalFormat '#.##' below 10,
    '#.#' below 100, else '#' (HALF_UP on the double's exact value; a negative value is
    always below 10, so -9223372036854775808 is -9223.37Q), and its unit."""
    count = 0 if x != x else max(-2**63, min(2**63 - 1, int(x)))
    fractional, unit = float(count), ""
    for u in "KMBTQ":
        if fractional >= 1000 or fractional <= -1000:
            fractional, unit = fractional / 1000, u
    places = 2 if fractional < 10 else 1 if fractional < 100 else 0
    q = decimal.Decimal(fractional).quantize(decimal.Decimal(1).scaleb(-places), context=_CONTEXT)
    text = f"{abs(q):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("-" if fractional < 0 else "") + text + unit


FUNCTIONS = {
    "trino_format": (trino_format, ["VARCHAR", "STRUCT(k VARCHAR, v VARCHAR)[]"], "VARCHAR"),
    "trino_format_number": (format_number, ["DOUBLE"], "VARCHAR"),
}
