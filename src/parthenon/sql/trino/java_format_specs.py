"""The format string of Trino's ``format(fmt, args...)`` as java.util.Formatter reads it,
shared by both engines (each prints the pieces its own way: DuckDB in Python,
``engine/duckdb/java_format``; Spark as SQL built at translation time,
``engine/spark/formatting``).

``parse(fmt)`` gives the literal texts and specifiers (``Spec``) in order, raising
``FormatError`` for what Java refuses while parsing (a bad flag, width or precision for
the conversion, an unknown conversion); ``bind(pieces, count)`` gives each specifier the
index of the argument it prints (explicit ``%2$s``, relative ``%<s``, or the next ordinary
one), None where Java would raise MissingFormatArgument when printing it.
``trino_message(fmt, error)`` is Trino's text for such an error.
"""
from __future__ import annotations

import re


class FormatError(Exception):
    """A java.util.IllegalFormatException: its simple name less 'Exception', and message."""


_SPEC = re.compile(r"%(\d+\$)?([-#+ 0,(<]*)?(\d+)?(\.\d+)?([tT])?([a-zA-Z%])?")
_FLAG_ORDER = "-#+ 0,(<"


# --------------------------------------------------------------------------------------
# Specifiers
# --------------------------------------------------------------------------------------

class Spec:
    """One specifier as java.util.Formatter parses and checks it (its FormatSpecifier):
    a malformed one raises FormatError, as Java does before printing anything."""

    def __init__(self, m: re.Match):
        index, flags, width, precision, temporal, conversion = m.groups()
        self.index = int(index[:-1]) if index else None
        self.flags = flags or ""
        for f in self.flags:
            if self.flags.count(f) > 1:
                raise FormatError("DuplicateFormatFlags", f"Flags = '{f}'")
        self.width = int(width) if width else -1
        self.precision = int(precision[1:]) if precision else -1
        self.temporal = bool(temporal)
        self.upper = (temporal or conversion or "").isupper()
        if conversion is None:
            raise FormatError("UnknownFormatConversion", f"Conversion = '{temporal or '%'}'")
        self.conversion = conversion.lower() if conversion not in "%n" else conversion
        if self.temporal:
            self.conversion = conversion    # %tB and %tb differ
        self._check()

    def text(self) -> str:
        out = "%" + self._flags_text() + (f"{self.index}$" if self.index else "")
        out += (str(self.width) if self.width != -1 else "") + (f".{self.precision}" if self.precision != -1 else "")
        if self.temporal:
            return out + ("T" if self.upper else "t") + self.conversion
        return out + (self.conversion.upper() if self.upper else self.conversion)

    def _flags_text(self) -> str:
        return "".join(f for f in _FLAG_ORDER if f in self.flags)

    def _bad_flags(self, bad: str) -> None:
        for f in bad:
            if f in self.flags:
                raise FormatError("FormatFlagsConversionMismatch", f"Conversion = {self.conversion}, Flags = {f}")

    def _missing_width(self) -> None:
        if self.width == -1 and "-" in self.flags:
            raise FormatError("MissingFormatWidth", self.text())

    def _numeric(self) -> None:
        if self.width == -1 and ("-" in self.flags or "0" in self.flags):
            raise FormatError("MissingFormatWidth", self.text())
        if ("+" in self.flags and " " in self.flags) or ("-" in self.flags and "0" in self.flags):
            raise FormatError("IllegalFormatFlags", f"Flags = '{self._flags_text()}'")

    def _check(self) -> None:
        c = self.conversion
        if self.temporal:
            if c not in "HIklMSLNpzZsQBbhAaCYyjmdeRTrDFc":
                raise FormatError("UnknownFormatConversion", f"Conversion = '{'T' if self.upper else 't'}{c}'")
            if self.precision != -1:
                raise FormatError("IllegalFormatPrecision", str(self.precision))
            self._bad_flags("#+ 0,(")
            self._missing_width()
        elif c in "bhs":
            if c in "bh" and "#" in self.flags:
                self._bad_flags("#")
            self._missing_width()
            self._bad_flags("+ 0,(")
        elif c == "c":
            if self.precision != -1:
                raise FormatError("IllegalFormatPrecision", str(self.precision))
            self._bad_flags("#+ 0,(")
            self._missing_width()
        elif c in "dox":
            self._numeric()
            if self.precision != -1:
                raise FormatError("IllegalFormatPrecision", str(self.precision))
            self._bad_flags("#" if c == "d" else ",")
        elif c in "efga":
            self._numeric()
            self._bad_flags({"a": "(,", "e": ",", "g": "#"}.get(c, ""))
        elif c == "%":
            if self.precision != -1:
                raise FormatError("IllegalFormatPrecision", str(self.precision))
            if self.flags not in ("", "-"):
                raise FormatError("IllegalFormatFlags", f"Flags = '{self._flags_text()}'")
            self._missing_width()
        elif c == "n":
            if self.width != -1:
                raise FormatError("IllegalFormatWidth", str(self.width))
            if self.precision != -1:
                raise FormatError("IllegalFormatPrecision", str(self.precision))
            if self.flags:
                raise FormatError("IllegalFormatFlags", f"Flags = '{self._flags_text()}'")
        else:
            raise FormatError("UnknownFormatConversion", f"Conversion = '{self.conversion}'")


def java_class(kind: str) -> str:
    """The Java class Trino hands Formatter for a value (its kind: ``Long``, ``LocalDate``...)."""
    return {"Boolean": "java.lang.Boolean", "Long": "java.lang.Long", "Float": "java.lang.Float",
            "Double": "java.lang.Double", "BigDecimal": "java.math.BigDecimal",
            "String": "java.lang.String"}.get(kind, f"java.time.{kind}")


def mismatch(spec: Spec, kind: str) -> FormatError:
    """IllegalFormatConversion: the conversion does not take a value of that kind."""
    return FormatError("IllegalFormatConversion", f"{spec.conversion} != {java_class(kind)}")


def parse(fmt: str, spec: type[Spec] | None = None) -> list[str | Spec]:
    """The literal texts and specifiers of a format string, in order (each specifier of
    class ``spec``: an engine's subclass that also prints it)."""
    pieces: list[str | Spec] = []
    pos = 0
    for m in re.finditer(r"%", fmt):
        if m.start() < pos:
            continue
        pieces.append(fmt[pos:m.start()])
        spec_match = _SPEC.match(fmt, m.start())
        pieces.append((spec or Spec)(spec_match))
        pos = spec_match.end()
    pieces.append(fmt[pos:])
    return [p for p in pieces if not isinstance(p, str) or p]


def bind(pieces: list[str | Spec], count: int) -> list[str | tuple[Spec, int | None]]:
    """Each specifier with the index of its argument among ``count`` (None: missing);
    ``%n`` is a line break, ``%%`` a specifier with no argument (index None)."""
    out: list[str | tuple[Spec, int | None]] = []
    ordinary, last = 0, None
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        elif piece.conversion == "n":
            out.append("\n")
        elif piece.conversion == "%":
            out.append((piece, None))
        else:
            if "<" in piece.flags:
                index = last
            elif piece.index is not None:
                index = piece.index - 1
            else:
                index, ordinary = ordinary, ordinary + 1
            if index is None or index < 0 or index >= count:
                index = None
            last = index
            out.append((piece, index))
    return out


def missing(spec: Spec) -> FormatError:
    return FormatError("MissingFormatArgument", f"Format specifier '{spec.text()}'")


def trino_message(fmt: str, error: FormatError) -> str:
    """Trino's message for a Java format error (INVALID_FUNCTION_ARGUMENT)."""
    name, message = error.args
    return f"Invalid format string: {fmt} ({name}: {message})"


def not_varchar_message(type_name: str | None) -> str:
    """Trino's TYPE_MISMATCH text for a format string that is not a varchar."""
    return f"Type of first argument to format() must be VARCHAR (actual: {type_name})"
