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

The rewrite (``trino/formatting.py``) passes the arguments as a list of ``{k: kind, v: text}``,
which ``java_values`` makes Java objects of.
Knowingly not covered (NOT_SUPPORTED): ``%h`` of temporal values, ``%a`` with a precision,
``%t`` of a number (Java reads it as epoch milliseconds in the JVM's zone), years outside 1..9999
for ``%t``.
"""
from __future__ import annotations

import decimal
import re

from ...sql.trino.java_format_specs import FormatError, Spec, bind, mismatch, missing, parse, trino_message
from .java_values import (CONTEXT, Temporal, Unsupported, Value, argument, hash_code,
                          shortest, temporal_field, to_string)

# --------------------------------------------------------------------------------------
# Specifiers (parsed and checked by sql/trino/java_format_specs), printed
# --------------------------------------------------------------------------------------

class _Spec(Spec):
    def justify(self, text: str) -> str:
        if self.upper:
            text = text.upper()
        if self.width != -1 and len(text) < self.width:
            pad = " " * (self.width - len(text))
            text = text + pad if "-" in self.flags else pad + text
        return text

    def mismatch(self, arg) -> FormatError:
        return mismatch(self, arg.cls)

    def print(self, arg) -> str:
        c = self.conversion
        if self.temporal:
            if arg is None:
                return self.justify("null")
            if not isinstance(arg, Temporal):
                if arg.cls == "Long":
                    raise Unsupported("%t of a number (epoch milliseconds in the JVM's zone)")
                raise self.mismatch(arg)
            return self.justify(temporal_field(arg, c))
        if c in "bs":
            if c == "b":
                text = "false" if arg is None else ("true" if not isinstance(arg, Value) or arg.cls != "Boolean"
                                                    else to_string(arg))
            else:
                if "#" in self.flags:
                    raise FormatError("FormatFlagsConversionMismatch", "Conversion = s, Flags = #")
                text = "null" if arg is None else to_string(arg)
            if self.precision != -1:
                text = text[:self.precision]
            return self.justify(text)
        if c == "h":
            text = "null" if arg is None else f"{hash_code(arg) & 0xFFFFFFFF:x}"
            return self.justify(text[:self.precision] if self.precision != -1 else text)
        if c == "c":
            if arg is None:
                return self.justify("null")
            raise self.mismatch(arg)
        if arg is None:
            return self.justify("null")
        if c in "dox":
            if not isinstance(arg, Value) or arg.cls != "Long":
                raise self.mismatch(arg)
            return self.justify(self._integer(arg.value))
        if not isinstance(arg, Value) or arg.cls not in ("Float", "Double", "BigDecimal"):
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
            d = abs(shortest(x, False))
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
        q = d.quantize(decimal.Decimal(1).scaleb(-places), context=CONTEXT)
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
            raise Unsupported("%a with a precision")
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
    return d.quantize(decimal.Decimal(1).scaleb(d.adjusted() - digits + 1), context=CONTEXT)


# --------------------------------------------------------------------------------------
# format
# --------------------------------------------------------------------------------------

def _format(fmt: str, args: list) -> str:
    out = []
    for piece in bind(parse(fmt, _Spec), len(args)):
        if isinstance(piece, str):
            out.append(piece)
            continue
        spec, index = piece
        if spec.conversion == "%":
            out.append(spec.justify("%"))
        elif index is None:
            raise missing(spec)
        else:
            out.append(spec.print(args[index]))
    return "".join(out)


def trino_format(fmt: str, args: list) -> str:
    try:
        return _format(fmt, [argument(a) for a in args])
    except FormatError as e:
        raise ValueError(f"INVALID_FUNCTION_ARGUMENT: {trino_message(fmt, e)}") from None
    except Unsupported as e:
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
    q = decimal.Decimal(fractional).quantize(decimal.Decimal(1).scaleb(-places), context=CONTEXT)
    text = f"{abs(q):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("-" if fractional < 0 else "") + text + unit


FUNCTIONS = {
    "trino_format": (trino_format, ["VARCHAR", "STRUCT(k VARCHAR, v VARCHAR)[]"], "VARCHAR"),
    "trino_format_number": (format_number, ["DOUBLE"], "VARCHAR"),
}
