"""Trino's JSON functions in Python, as Trino's Jackson parser reads the text (run by the
Spark engine's Python UDFs, ``engine/spark/json_udfs``, and by the DuckDB engine for the rows
whose number text DuckDB's own functions rewrite: ``trino_json_extract_scalar``).

Trino reads JSON as a stream of tokens and stops as soon as it has its answer:
``json_extract('{"a": 1, }', '$.a')`` is 1 (the fault comes after), ``json_array_get``
with a non-negative index stops at its element, ``json_array_contains`` at the first
match; text that faults before the answer is NULL.  ``Reader`` is that tokenizer with
Jackson's defaults: strict strings (no raw control character, only JSON's escapes), no
leading zeros, no NaN, names in double quotes, no trailing commas, a number at the root
followed by white space or the end.  Functions that read the whole value (json_parse,
is_json_scalar, casts) fault on anything after it.

The text each function writes:

- ``json_parse`` (and a JSON literal): compact, object keys sorted (the last of duplicate
  keys kept), integers as integers, a number with a fraction or exponent as Java's
  ``BigDecimal.toString`` writes it (Trino reads them as BigDecimal: ``1.10``, ``1E+2``),
  which Python's ``Decimal`` shares.
- ``json_extract`` copies the value's tokens (keys in their order, duplicates too); Jackson
  writes a fraction as the double it reads (``1.10`` is ``1.1``), where the DuckDB engine
  keeps it as written: such a number is ``Refused`` (NOT_SUPPORTED) on Spark unless both
  agree.
- ``json_extract_scalar`` and ``json_array_get`` of a scalar: the token's text as written,
  a string unquoted.

Errors are ``ValueError('CODE: message')`` (Trino's code), a refusal ``Refused``.
"""
from __future__ import annotations

import decimal
import json
import math
import re

from ...output import row_part_named, type_parts
from ...sql.trino.json_paths import tokens

_WS = " \t\n\r"
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_STRING_RUN = re.compile(r'[^"\\\x00-\x1f]*')


class Refused(Exception):
    """Trino's answer is not certain here (NOT_SUPPORTED)."""


class Fault(Exception):
    """The text is not JSON where the reader reached (Jackson's JsonParseException)."""


class Float(str):
    """A number token with a fraction or an exponent, as written."""


class NegativeZero(int):
    """The integer token ``-0``: zero, whose text json_extract_scalar keeps ('-0', Jackson's
    getText); written as a JSON value it is 0, as Jackson's IntNode writes it."""


class Obj(list):
    """A JSON object: its (key, value) pairs in order, duplicates kept."""


class Reader:
    """Jackson's reading of one JSON text, a token at a time."""

    def __init__(self, text: str):
        self.s, self.i = text, 0
        if text.startswith("\ufeff"):
            self.i = 1

    def ws(self) -> str:
        s, i = self.s, self.i
        while i < len(s) and s[i] in _WS:
            i += 1
        self.i = i
        return s[i] if i < len(s) else ""

    def expect(self, c: str) -> None:
        if self.ws() != c:
            raise Fault(c)
        self.i += 1

    def at_end(self) -> bool:
        return self.ws() == ""

    def string(self) -> str:
        s, i, out = self.s, self.i + 1, []
        while True:
            m = _STRING_RUN.match(s, i)
            out.append(m.group())
            i = m.end()
            if i >= len(s):
                raise Fault("end of string")
            c = s[i]
            if c == '"':
                self.i = i + 1
                return "".join(out)
            if c != "\\":
                raise Fault("control character")
            e = s[i + 1:i + 2]
            if e == "u":
                h = s[i + 2:i + 6]
                if len(h) != 4 or not all(x in "0123456789abcdefABCDEF" for x in h):
                    raise Fault("escape")
                out.append(chr(int(h, 16)))
                i += 6
            elif e in _ESCAPES:
                out.append(_ESCAPES[e])
                i += 2
            else:
                raise Fault("escape")

    def value(self, root: bool = False):
        """The next value, read whole: Obj, list, str, int, Float, bool or None."""
        c = self.ws()
        if c == "{":
            self.i += 1
            obj = Obj()
            if self.ws() == "}":
                self.i += 1
                return obj
            while True:
                if self.ws() != '"':
                    raise Fault("name")
                key = self.string()
                self.expect(":")
                obj.append((key, self.value()))
                c = self.ws()
                self.i += 1
                if c == "}":
                    return obj
                if c != ",":
                    raise Fault(",")
        if c == "[":
            self.i += 1
            items: list = []
            if self.ws() == "]":
                self.i += 1
                return items
            while True:
                items.append(self.value())
                c = self.ws()
                self.i += 1
                if c == "]":
                    return items
                if c != ",":
                    raise Fault(",")
        if c == '"':
            return self.string()
        if c == "-" or c.isdigit():
            m = _NUMBER.match(self.s, self.i)
            if m is None:
                raise Fault("number")
            self.i = m.end()
            nxt = self.s[self.i:self.i + 1]
            if nxt.isdigit() or nxt in (".", "e", "E") or (root and nxt and nxt not in _WS):
                raise Fault("number")
            text = m.group()
            if m.group(2) or m.group(3):
                return Float(text)
            return NegativeZero(0) if text == "-0" else int(text)
        for word, v in (("true", True), ("false", False), ("null", None)):
            if self.s.startswith(word, self.i):
                self.i += len(word)
                nxt = self.s[self.i:self.i + 1]
                if nxt and (nxt.isalnum() or nxt in "_$"):
                    raise Fault("token")
                return v
        raise Fault("value")

    # streaming steps -------------------------------------------------------------
    def start(self) -> str:
        """The first character of the next value ('' at the end), not consumed."""
        return self.ws()

    def members(self):
        """An object's (key) one at a time, the reader at each one's value; its value must
        be read (``value``) before the next."""
        self.i += 1
        if self.ws() == "}":
            self.i += 1
            return
        while True:
            if self.ws() != '"':
                raise Fault("name")
            key = self.string()
            self.expect(":")
            if self.ws() == "":
                raise Fault("end")
            yield key
            c = self.ws()
            self.i += 1
            if c == "}":
                return
            if c != ",":
                raise Fault(",")

    def elements(self):
        """An array's elements one at a time (the reader at each), as ``members``."""
        self.i += 1
        if self.ws() == "]":
            self.i += 1
            return
        while True:
            if self.ws() == "":
                raise Fault("end")
            yield
            c = self.ws()
            self.i += 1
            if c == "]":
                return
            if c != ",":
                raise Fault(",")


# --------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------


def quote(text: str) -> str:
    """A JSON string as Jackson writes it (only ", \\ and control characters escaped)."""
    return json.dumps(text, ensure_ascii=False)


def big_decimal_text(token: str) -> str:
    """Java's BigDecimal(token).toString(): the General Decimal Arithmetic's scientific
    string, which Python's Decimal writes too (1.10, 1E+2, 0E-15)."""
    return str(decimal.Decimal(token))


def java_double_text(x: float) -> str:
    """Java's Double.toString (shortest digits; plain from 1e-3 to 1e7, else d.dddEn)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0 or 1e-3 <= abs(x) < 1e7:
        return repr(x)
    sign, digits, exponent = decimal.Decimal(repr(x)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    return ("-" if sign else "") + text[0] + "." + (text[1:] or "0") + f"E{exponent + len(digits) - 1}"


def trino_double_text(x: float) -> str:
    """CAST(double AS varchar) in Trino: always d.dddEn (1.289E2, 1.0E0, 0E0)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0E0" if math.copysign(1, x) < 0 else "0E0"
    sign, digits, exponent = decimal.Decimal(repr(x)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    return ("-" if sign else "") + text[0] + "." + (text[1:] or "0") + f"E{exponent + len(digits) - 1}"


def parsed_text(value) -> str:
    """json_parse's text of a value: keys sorted (the last duplicate kept)."""
    if isinstance(value, Obj):
        kept = dict(value)
        return "{" + ",".join(f"{quote(k)}:{parsed_text(kept[k])}" for k in sorted(kept)) + "}"
    if isinstance(value, list):
        return "[" + ",".join(parsed_text(v) for v in value) + "]"
    if isinstance(value, Float):
        return big_decimal_text(value)
    return scalar_json(value)


def copied_text(value) -> str:
    """Jackson's copy of a value's tokens (json_extract): keys in order, a fraction as
    the double read, refused where that is not the text as written (see the module)."""
    if isinstance(value, Obj):
        return "{" + ",".join(f"{quote(k)}:{copied_text(v)}" for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(copied_text(v) for v in value) + "]"
    if isinstance(value, Float):
        if java_double_text(float(value)) != value:
            raise Refused("json_extract of a number Jackson rewrites")
        return str(value)
    return scalar_json(value)


def jackson_copy_text(value) -> str:
    """Jackson's copy of a value's tokens (json_extract) exactly: keys in order, a number
    with a fraction or an exponent as the double it reads, by Java's Double.toString
    (``12.50`` is 12.5, ``1e20`` 1.0E20; past a double's range "Infinity", a string, as
    Jackson's default writer quotes it), an integer as written."""
    if isinstance(value, Obj):
        return "{" + ",".join(f"{quote(k)}:{jackson_copy_text(v)}" for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(jackson_copy_text(v) for v in value) + "]"
    if isinstance(value, Float):
        x = float(value)
        return quote(java_double_text(x)) if math.isinf(x) else java_double_text(x)
    return scalar_json(value)


def tree_text(value, sort: bool = False) -> str:
    """Jackson's tree of a value written (json_array_get, an array(json) element): the
    last of duplicate keys kept, at the first one's place (sorted for a cast); a fraction
    refused unless its text as written, as a double and as a BigDecimal all agree."""
    if isinstance(value, Obj):
        kept = dict(value)
        keys = sorted(kept) if sort else list(kept)
        return "{" + ",".join(f"{quote(k)}:{tree_text(kept[k], sort)}" for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(tree_text(v, sort) for v in value) + "]"
    if isinstance(value, Float):
        if not java_double_text(float(value)) == big_decimal_text(value) == value:
            raise Refused("a number Jackson's tree may rewrite")
        return str(value)
    return scalar_json(value)


def scalar_json(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str) and not isinstance(value, Float):
        return quote(value)
    return str(value)


def scalar_text(value) -> str | None:
    """A scalar token's text (json_extract_scalar, json_array_get): a string unquoted."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, NegativeZero):
        return "-0"
    return str(value)


def whole(text: str):
    """The one value of ``text`` (Fault if it is not exactly one JSON value)."""
    r = Reader(text)
    v = r.value(root=True)
    if not r.at_end():
        raise Fault("trailing")
    return v


# --------------------------------------------------------------------------------------
# Functions
# --------------------------------------------------------------------------------------


def json_parse(text: str) -> str:
    try:
        return parsed_text(whole(text))
    except Fault:
        raise ValueError(f"INVALID_FUNCTION_ARGUMENT: Cannot convert value to JSON: '{text}'") from None


def path_segments(path: str) -> list[str]:
    segments = tokens(path)
    if segments is None:
        raise ValueError(f"INVALID_FUNCTION_ARGUMENT: Invalid JSON path: '{path}'")
    return segments


def _walk(text: str, segments: list[str]) -> Reader | None:
    """The reader at the value the path leads to, None if there is none (Fault on text
    that faults on the way)."""
    r = Reader(text)
    if r.start() == "":
        return None
    for segment in segments:
        c = r.start()
        if c == "{":
            for key in r.members():
                if key == segment:
                    break
                r.value()
            else:
                return None
        elif c == "[":
            index = int(segment) if segment.isdigit() and int(segment) < 2 ** 31 else -1
            for n, _ in enumerate(r.elements()):
                if n == index:
                    break
                r.value()
            else:
                return None
        else:
            return None
    return r


def json_extract(text: str, path: str) -> str | None:
    segments = path_segments(path)
    try:
        r = _walk(text, segments)
        return None if r is None else copied_text(r.value(root=not segments))
    except Fault:
        return None


def json_extract_exact(text: str, path: str) -> str | None:
    """json_extract with every number as Jackson writes it (``jackson_copy_text``)."""
    segments = path_segments(path)
    try:
        r = _walk(text, segments)
        return None if r is None else jackson_copy_text(r.value(root=not segments))
    except (Fault, RecursionError):
        return None


def json_extract_scalar(text: str, path: str) -> str | None:
    segments = path_segments(path)
    try:
        r = _walk(text, segments)
        if r is None or r.start() in ("{", "["):
            return None
        return scalar_text(r.value(root=not segments))
    except Fault:
        return None


def json_size(text: str, path: str) -> int | None:
    segments = path_segments(path)
    try:
        r = _walk(text, segments)
        if r is None:
            return None
        v = r.value(root=not segments)
    except Fault:
        return None
    return len(v) if isinstance(v, list) else 0


def json_array_get(text: str, index: int) -> str | None:
    """The element's text: a scalar's as written (a string unquoted, null NULL), an object
    or array as Jackson's tree writes it."""
    try:
        r = Reader(text)
        if r.start() != "[":
            return None
        seen = []
        for n, _ in enumerate(r.elements()):
            structured = r.start() in ("{", "[")
            v = r.value()
            element = tree_text(v) if structured else scalar_text(v)
            if n == index:
                return element
            if index < 0:
                seen.append(element)
        return seen[index] if index < 0 and len(seen) >= -index else None
    except Fault:
        return None


def json_array_length(text: str) -> int | None:
    try:
        r = Reader(text)
        if r.start() != "[":
            return None
        n = 0
        for _ in r.elements():
            r.value()
            n += 1
        return n
    except Fault:
        return None


def json_array_contains(text: str, value: str, kind: str) -> bool | None:
    """``value`` as text (kind: boolean, bigint, double, varchar)."""
    if kind == "double" and not math.isfinite(float(value)):
        return False
    try:
        r = Reader(text)
        if r.start() != "[":
            return None
        for _ in r.elements():
            v = r.value()
            if kind == "boolean" and isinstance(v, bool) and v == (value == "true") \
                    or kind == "bigint" and type(v) is int and -2 ** 63 <= v < 2 ** 63 and v == int(value) \
                    or kind == "double" and isinstance(v, Float) and float(v) == float(value) \
                    or kind == "varchar" and type(v) is str and v == value:
                return True
        return False
    except Fault:
        return None


def is_json_scalar(text: str) -> bool:
    try:
        v = whole(text)
    except Fault:
        raise ValueError(f"INVALID_FUNCTION_ARGUMENT: Invalid JSON value: {text}") from None
    return not isinstance(v, list)


# --------------------------------------------------------------------------------------
# Casts of json
# --------------------------------------------------------------------------------------


def _cast_error(text: str, target: str) -> ValueError:
    return ValueError(f"INVALID_CAST_ARGUMENT: Cannot cast '{text}' to {target}")


def json_to_varchar(text: str, length: int | None = None) -> str | None:
    """CAST(json AS varchar[(n)]): a string's value, a number's or boolean's text (a
    fraction as a double's, 1.289E2), NULL for null; an object or array fails."""
    try:
        v = whole(text)
    except Fault:
        raise _cast_error(text, "varchar") from None
    out = _varchar(v, text)
    if out is not None and length is not None and len(out) > length:
        raise _cast_error(text, f"varchar({length})")
    return out


def _varchar(v, text: str) -> str | None:
    if isinstance(v, list):
        raise _cast_error(text, "varchar")
    if isinstance(v, Float):
        return trino_double_text(float(v))
    return scalar_text(v)


def json_to_structure(text: str, type_name: str, parse_error: str = "INVALID_CAST_ARGUMENT") -> str | None:
    """CAST(json AS array/map/row): the value as JSON text Spark's from_json reads as
    the Spark type (each scalar already converted by Trino's rules)."""
    try:
        v = whole(text)
    except Fault:
        raise ValueError(f"{parse_error}: Cannot cast to {type_name}. Cannot convert value to JSON: '{text}'") \
            from None
    try:
        return _structure(v, type_name, text)
    except ValueError as e:     # Trino: any failure inside is the structure's cast failing
        message = str(e)
        if message.startswith("INVALID_CAST_ARGUMENT"):
            raise
        raise ValueError(f"INVALID_CAST_ARGUMENT: Cannot cast to {type_name}. "
                         f"{message.split(': ', 1)[-1]}\n{text}") from None


def _structure(v, t: str, text: str) -> str:
    from ...sql.trino.json_values import json_to_scalar
    if v is None:
        return "null"
    if "(" in t and not t.startswith(("decimal", "varchar")):
        kind, parts = type_parts(t)
        if kind == "array":
            if not isinstance(v, list) or isinstance(v, Obj):
                raise _cast_error(text, t)
            return "[" + ",".join(_structure(e, parts[0], text) for e in v) + "]"
        if kind == "map":
            if not isinstance(v, Obj):
                raise _cast_error(text, t)
            if len({k for k, _ in v}) != len(v):
                raise Refused("duplicate keys")
            return "{" + ",".join(f"{quote(k)}:{_structure(e, parts[1], text)}" for k, e in v) + "}"
        if kind == "row":
            # an unnamed field is col1, col2... (the names Spark gives it), read by position only
            named = all(row_part_named(p) for p in parts)
            fields = [p.split(" ", 1) if row_part_named(p) else [f"col{i}", p] for i, p in enumerate(parts, 1)]
            if isinstance(v, Obj) and not named:
                raise Refused("a JSON object cast to a row with unnamed fields")
            if isinstance(v, Obj):
                by_name = {}
                for k, e in v:
                    if k.lower() in by_name:
                        raise Refused("duplicate fields")
                    by_name[k.lower()] = e
                values = [by_name.get(name.lower()) for name, _ in fields]
            elif isinstance(v, list):
                if len(v) != len(fields):
                    raise _cast_error(text, t)
                values = list(v)
            else:
                raise _cast_error(text, t)
            return "{" + ",".join(f"{quote(name)}:{_structure(e, typ, text)}"
                                  for (name, typ), e in zip(fields, values)) + "}"
        raise Refused(t)
    if t == "json":
        return quote(tree_text(v, sort=True))
    if t.startswith("varchar"):
        s = _varchar(v, text)
        return "null" if s is None else quote(s)
    if isinstance(v, list):
        raise _cast_error(text, t)
    out = json_to_scalar(scalar_json(v), t)
    if t in ("double", "real"):
        return {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}.get(out, out)
    return "null" if out is None else out
