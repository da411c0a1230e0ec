"""Trino's two kinds of date/time patterns, as DuckDB's strftime/strptime.

Trino semantics covered:

- ``date_format`` / ``date_parse`` (MySQL specifiers): ``%v``/``%x`` the ISO week
  and its year, ``%f`` microseconds, ``%k``/``%l`` unpadded hours, ``%r``, ``%T``;
  a character Trino has no specifier for stands for itself (``%g`` is ``g``);
  ``%D %U %u %V %w %X`` are INVALID_FUNCTION_ARGUMENT ("%D not supported in date
  format string").  ``date_parse`` fills the fields the text lacks from
  1970-01-01 00:00:00, reads ``%h`` without ``%p`` as Joda does (12 is 0), and text
  that does not match is INVALID_FUNCTION_ARGUMENT.
- ``format_datetime`` / ``parse_datetime`` (Joda patterns, the common letters):
  ``Z`` ``+0709``, ``ZZ`` ``+07:09``, ``ZZZ`` the zone id, read in the value's zone
  (a timestamp without zone is in the session zone, UTC); ``parse_datetime`` with
  a zone at the end of the pattern keeps the zone it reads.

Knowingly not covered: zone names (``z``, ``zzzz``) are refused; Joda letters not
listed in ``_JODA``; ``date_parse`` of more than six fractional digits fails.
"""
from __future__ import annotations

from sqlglot import exp

from ....errors import InvalidFunctionArgument
from ....sql.trino.date_specifiers import REFUSED, tokens
from ....sql.trino import joda_patterns
from . import zoned
from .nodes import duck, fn, not_supported, position

# -------------------------------------------------------------------------- MySQL specifiers

# SQLGlot has already turned Trino's specifiers into strftime codes on parsing
# (Trino %i is %M, %M is %B, %u is %W...): what each code means for Trino, in DuckDB's
# strftime, or the Trino specifier it came from when Trino refuses it.
_MYSQL_CODES = {
    "%a": "%a", "%b": "%b", "%-m": "%-m", "%d": "%d", "%-d": "%-d", "%f": "%f", "%H": "%H",
    "%I": "%I", "%M": "%M", "%j": "%j", "%-H": "%-H", "%-I": "%-I", "%B": "%B", "%m": "%m",
    "%p": "%p", "%S": "%S", "%v": "%V", "%A": "%A", "%Y": "%Y", "%y": "%y", "%G": "%G",
}
def mysql_format(node: exp.Expression, fmt: str) -> tuple[str, set[str]]:
    """(DuckDB format, the codes it uses) of a Trino MySQL-style format as SQLGlot parsed it."""
    out, used = [], set()
    for token in tokens(fmt):
        if token == "%%":
            out.append("%%")
        elif token in REFUSED:
            raise InvalidFunctionArgument(f"{REFUSED[token]} not supported in date format string",
                                          *position(node))
        elif token in _MYSQL_CODES:
            out.append(_MYSQL_CODES[token])
            used.add(token)
        elif token.startswith("%"):
            out.append(token[1:].replace("%", "%%"))     # no such specifier: the character itself
        else:
            out.append(token.replace("%", "%%"))
    return "".join(out), used


def date_format(node: exp.Expression, value: exp.Expression, fmt: str) -> exp.Expression:
    return fn("strftime", value, exp.Literal.string(mysql_format(node, fmt)[0]))


def date_parse(node: exp.Expression, text: exp.Expression, fmt: str) -> exp.Expression:
    pattern, used = mysql_format(node, fmt)
    if "%f" in used:    # Trino's %f reads up to 9 digits (keeping milliseconds), strptime's 6
        text = duck("regexp_replace(_s, '(\\.[0-9]{6})[0-9]{1,3}($|[^0-9])', '\\1\\2')", _s=text)
    parsed = duck("CASE WHEN _s IS NOT NULL AND try_strptime(_s, _f) IS NULL THEN "
                  "error('INVALID_FUNCTION_ARGUMENT: Invalid format: \"' || _s || '\"') "
                  "ELSE try_strptime(_s, _f) END", _s=text, _f=exp.Literal.string(pattern))
    if "%I" in used and "%p" not in used:     # a 12-hour clock without AM/PM: 12 is 0
        parsed = duck("CASE WHEN hour(_t) = 12 THEN _t - INTERVAL 12 HOUR ELSE _t END", _t=parsed)
    if not used & {"%Y", "%y", "%G"}:       # Trino's missing year is 1970, strptime's 1900
        parsed = duck("_t + INTERVAL 70 YEAR", _t=parsed)
    if "%y" in used and not used & {"%Y", "%G"}:    # two digits: Trino's 69 is 2069, strptime's 1969
        parsed = duck("CASE WHEN year(_t) = 1969 THEN _t + INTERVAL 100 YEAR ELSE _t END", _t=parsed)
    return parsed


# -------------------------------------------------------------------------- Joda patterns

_JODA = [
    ("yyyy", "%Y"), ("YYYY", "%Y"), ("xxxx", "%G"), ("yy", "%y"), ("y", "%Y"),
    ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"), ("M", "%-m"),
    ("dd", "%d"), ("d", "%-d"), ("DDD", "%j"), ("D", "%-j"),
    ("HH", "%H"), ("H", "%-H"), ("hh", "%I"), ("h", "%-I"),
    ("mm", "%M"), ("m", "%-M"), ("ss", "%S"), ("s", "%-S"),
    ("SSSSSS", "%f"), ("SSS", "%g"),
    ("EEEE", "%A"), ("EEE", "%a"), ("a", "%p"),
]
# zone letters: an offset without or with a colon, the zone's id
_ZONES = {"Z": "offset", "ZZ": "offset:"}


def joda_parts(node: exp.Expression, pattern: str) -> list[tuple[str, str]]:
    """A Joda pattern as parts: ("strftime", format) or ("zone", offset | offset: | id)."""
    parts: list[tuple[str, str]] = []

    def text(fmt: str) -> None:
        if parts and parts[-1][0] == "strftime":
            parts[-1] = ("strftime", parts[-1][1] + fmt)
        else:
            parts.append(("strftime", fmt))
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            literal, i = joda_patterns.literal(pattern, i)   # Joda's quoting (sql/trino)
            text(literal.replace("%", "%%"))
            continue
        if ch.isalpha():
            run = len(pattern[i:]) - len(pattern[i:].lstrip(ch))
            letters = pattern[i:i + run]
            i += run
            if ch == "Z":
                parts.append(("zone", _ZONES.get(letters, "id")))
                continue
            for joda, fmt in _JODA:
                if letters == joda:
                    text(fmt)
                    break
            else:
                raise not_supported(node, f"Joda pattern '{letters}' is not supported")
            continue
        text("%%" if ch == "%" else ch)
        i += 1
    return parts


def _zone_text(x: exp.Expression | None, kind: str) -> exp.Expression:
    """A zone part of a formatted value (None: a timestamp without zone, in UTC)."""
    if x is None:
        return exp.Literal.string({"offset": "+0000", "offset:": "+00:00", "id": "UTC"}[kind])
    if kind == "id":
        return zoned.zone_of(x)
    sep = ":" if kind == "offset:" else ""
    return duck("list_transform([_m], lambda m: CASE WHEN m < 0 THEN '-' ELSE '+' END || "
                f"lpad(CAST(abs(m) // 60 AS VARCHAR), 2, '0') || '{sep}' || "
                "lpad(CAST(abs(m) % 60 AS VARCHAR), 2, '0'))[1]", _m=zoned.offset_minutes(x))


def format_datetime(node: exp.Expression, wall: exp.Expression, zoned_value: exp.Expression | None,
                    pattern: str) -> exp.Expression:
    pieces = [fn("strftime", wall, exp.Literal.string(fmt)) if kind == "strftime" else
              _zone_text(zoned_value, fmt) for kind, fmt in joda_parts(node, pattern)]
    if not pieces:
        return exp.Literal.string("")
    out = pieces[0]
    for piece in pieces[1:]:
        out = exp.DPipe(this=out, expression=piece, safe=True)
    return out


def parse_datetime(node: exp.Expression, text: exp.Expression, pattern: str) -> exp.Expression:
    """A zoned value: the zone the text names when the pattern ends with one, else UTC."""
    parts = joda_parts(node, pattern)
    if any(kind == "zone" for kind, _ in parts[:-1]):
        raise not_supported(node, "parse_datetime with a zone before the end of the pattern is not supported")
    if not parts or parts[-1][0] != "zone":
        fmt = "".join(f for _, f in parts)
        parsed = duck("CASE WHEN _s IS NOT NULL AND try_strptime(_s, _f) IS NULL THEN "
                      "error('INVALID_FUNCTION_ARGUMENT: Invalid format: \"' || _s || '\"') "
                      "ELSE try_strptime(_s, _f) END", _s=text, _f=exp.Literal.string(fmt))
        return zoned.zoned(parsed, exp.Literal.string("UTC"))
    fmt = "".join(f for _, f in parts[:-1])
    zone_pattern = "[+-][0-9][0-9]:?[0-9][0-9]|Z" if parts[-1][1] != "id" else "[^ ]+"
    split = duck(f"regexp_extract(_s, '^(.*?)({zone_pattern})$', ['l', 'z'])", _s=text)
    zone = duck("list_transform([struct_extract(_p, 'z')], lambda z: CASE WHEN z IN ('Z', '+00:00', '+0000', '-00:00', '-0000') "
                "THEN 'UTC' WHEN regexp_matches(z, '^[+-][0-9]{4}$') THEN substr(z, 1, 3) || ':' || substr(z, 4) "
                "ELSE z END)[1]", _p=split)
    local = duck("CASE WHEN _s IS NOT NULL AND try_strptime(struct_extract(_p, 'l'), _f) IS NULL THEN "
                 "error('INVALID_FUNCTION_ARGUMENT: Invalid format: \"' || _s || '\"') "
                 "ELSE try_strptime(struct_extract(_p, 'l'), _f) END", _s=text, _p=split, _f=exp.Literal.string(fmt))
    return zoned.zoned(zoned.instant_of(local, zone), zone)
