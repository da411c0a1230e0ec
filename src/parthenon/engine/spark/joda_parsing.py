"""Trino's ``parse_datetime(text, pattern)`` (Joda's DateTimeFormat parser) on Spark.

Spark's own parser (Java's DateTimeFormatter) reads patterns otherwise than Joda (field
widths, zones), so the pattern (``sql.trino.joda_patterns``) becomes a Java regular
expression that reads the text as Joda does, and the fields make the timestamp:

- Joda reads numbers greedily and never backtracks: each numeric field is a possessive
  group of at most its digits (``MM`` ``dd`` ``HH`` ``hh`` ``mm`` ``ss`` two, more for a
  longer run; ``S`` up to 9, kept to milliseconds; ``yyyy`` up to 9 digits with a sign,
  or as many as its letters before another number).  Literal text matches ignoring case,
  as Joda's; the whole text must be read.  ``MMM``/``MMMM`` read an English month name,
  short or full; ``a`` AM/PM with ``h`` (1..12).
- Missing fields are Joda's defaults (1970-01-01 00:00:00.000); a value out of its range
  (``2020-02-30``, second 60) is INVALID_FUNCTION_ARGUMENT, as text that does not match.
- ``Z``/``ZZ`` read an offset (``Z``, ``+05``, ``+0530``, ``+05:30``): the zone is Trino's
  key of it (UTC for zero).  ``ZZZ`` and longer read a zone id, resolved by Joda itself
  (on Spark's classpath: ``US/Eastern`` is America/New_York, as Trino shows); an id with
  digits (``Etc/GMT+5``: Trino's keys differ) is refused as the query runs, and a wall
  clock a zone skips (a DST gap) is INVALID_FUNCTION_ARGUMENT, as Joda's.  Without a zone
  in the pattern the text is in UTC (Athena's session zone).

Refused (NOT_SUPPORTED): a pattern that is not a constant, two-digit years (``yy``: Joda
pivots on the current year), other letters (``E``, ``D``, ``z``, ``k``, ``K``, ...), a field
given twice, ``a`` without ``h`` or with ``H``, a zone id not at the end or before text
that could continue it.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.joda_patterns import tokens
from ...sql.trino.nodes import not_supported, string_literal
from . import zoned
from .templates import call, spark

_NUMERIC = set("CYxwyDdHhKkmsSe")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/+-")
_INVALID = "RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: Invalid format: \"', _s, '\"'))"


def _refuse(node: exp.Expression, what: str) -> Exception:
    return not_supported(node, f"Function 'parse_datetime' {what} is not supported on the Spark engine")


def _numeric(token: tuple[str, str] | None) -> bool:
    if token is None or token[0] != "field":
        return False
    return token[1][0] in _NUMERIC or token[1][0] == "M" and len(token[1]) <= 2


def _quoted(text: str) -> str:
    """Java regex text matching `text` literally."""
    return "".join(c if c.isalnum() else "\\" + c for c in text)


def _compile(node: exp.Expression, pattern: str) -> tuple[str, dict[str, tuple[int, str]]]:
    """The regex of a Joda pattern and, per field letter, (its group, its letters)."""
    parts = tokens(pattern)
    regex, fields = ["(?i)^"], {}
    for i, (kind, value) in enumerate(parts):
        if kind == "text":
            regex.append(_quoted(value))
            continue
        ch, n = value[0], len(value)
        after = parts[i + 1] if i + 1 < len(parts) else None
        if ch == "y" and n != 2:
            group = rf"([+-]?\d{{1,{n if _numeric(after) else 9}}}+)"
        elif ch == "y":
            raise _refuse(node, "with a two-digit year (yy)")
        elif ch == "M" and n >= 3:
            group = "([a-z]++)"
        elif ch in "MdHhms":
            group = rf"(\d{{1,{max(n, 2)}}}+)"
        elif ch == "S":
            group = rf"(\d{{1,{max(n, 9)}}}+)"
        elif ch == "a":
            group = "(am|pm)"
        elif ch == "Z" and n <= 2:
            group = r"(z|[+-]\d{2}(?::\d{2}|\d{2})?+)"
        elif ch == "Z":
            if after is not None and (after[0] != "text" or after[1][:1] in _ID_CHARS):
                raise _refuse(node, "with a zone id before more of the pattern")
            group = "([a-z][a-z0-9_/+-]*+)"
        else:
            raise _refuse(node, f"with the pattern letters '{value}'")
        key = "Z" if ch == "Z" else ch
        if key in fields:
            raise _refuse(node, f"with the field '{ch}' given twice")
        fields[key] = (len(fields) + 1, value)
        regex.append(group)
    if "a" in fields and ("h" not in fields or "H" in fields):
        raise _refuse(node, "with 'a' without 'h', or with 'H'")
    regex.append("$")
    return "".join(regex), fields


def _parse(node: exp.Expression) -> exp.Expression:
    text, fmt = node.this, node.args.get("format") or node.expression
    pattern = string_literal(fmt)
    if pattern is None:
        raise _refuse(node, "with a pattern that is not a constant")
    regex, fields = _compile(node, pattern)
    r = exp.Literal.string(regex)

    def group(letter: str) -> exp.Expression:
        return call("REGEXP_EXTRACT", text.copy(), r.copy(), exp.Literal.number(fields[letter][0]))

    def number(letter: str, default: int) -> exp.Expression:
        return exp.TryCast(this=group(letter), to=exp.DataType.build("INT"), safe=True) if letter in fields \
            else exp.Literal.number(default)
    if "M" in fields and len(fields["M"][1]) >= 3:
        names = " ".join(f"WHEN '{m}' THEN {k} WHEN '{m[:3]}' THEN {k}" for k, m in enumerate(_MONTHS, 1))
        month = spark(f"CASE LOWER(_g) {names} END", _g=group("M"))
    else:
        month = number("M", 1)
    if "h" in fields:       # clock hour of the half day, 1..12 (12 AM is midnight)
        pm = spark("CASE WHEN LOWER(_a) = 'pm' THEN 12 ELSE 0 END", _a=group("a")) if "a" in fields \
            else exp.Literal.number(0)
        hour = spark("CASE WHEN _h BETWEEN 1 AND 12 THEN _h % 12 + _p END", _h=number("h", 0), _p=pm)
    else:
        hour = number("H", 0)
    millis = exp.TryCast(this=call("SUBSTR", call("RPAD", group("S"), exp.Literal.number(3), exp.Literal.string("0")),
                                exp.Literal.number(1), exp.Literal.number(3)), to=exp.DataType.build("INT"), safe=True) \
        if "S" in fields else exp.Literal.number(0)
    second = number("s", 0)
    wall = spark("CASE WHEN _sec < 60 THEN TRY_MAKE_TIMESTAMP(_y, _mo, _d, _h, _mi, "
                 "CAST(_sec + _ms / 1000 AS DECIMAL(8, 6))) END",
                 _y=number("y", 1970), _mo=month, _d=number("d", 1), _h=hour, _mi=number("m", 0),
                 _sec=second, _ms=millis)
    checked = spark(f"CASE WHEN _s IS NULL THEN NULL WHEN NOT _s RLIKE _r THEN {_INVALID} "
                    f"ELSE COALESCE(_w, {_INVALID}) END",
                    _s=text, _r=r, _w=wall)
    z = fields.get("Z")
    if z is None:
        return zoned.make(checked, exp.Literal.string("UTC"))
    if len(z[1]) <= 2:
        return zoned.make(checked, _offset_key(group("Z")))
    key = _zone_id(group("Z"), text)
    gap = spark(f"CASE WHEN FROM_UTC_TIMESTAMP(TO_UTC_TIMESTAMP(_w, _z), _z) <> _w THEN {_INVALID} ELSE _w END",
                _w=checked, _z=key, _s=text)
    return zoned.make(gap, key)


def _offset_key(g: exp.Expression) -> exp.Expression:
    """Trino's key of an offset read (``Z``, ``+05``, ``-0530``, ``+05:30``)."""
    digits = spark("REPLACE(SUBSTR(_g, 2), ':', '')", _g=g)
    return spark("CASE WHEN LOWER(_g) = 'z' OR TRY_CAST(_d AS INT) = 0 THEN 'UTC' "
                 "WHEN TRY_CAST(SUBSTR(_d, 1, 2) AS INT) > 23 OR TRY_CAST(COALESCE(NULLIF(SUBSTR(_d, 3, 2), ''), '0') AS INT) > 59 "
                 "THEN RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: Invalid format: \"', _g, '\"')) "
                 "WHEN TRY_CAST(SUBSTR(_d, 1, 2) AS INT) * 60 + TRY_CAST(COALESCE(NULLIF(SUBSTR(_d, 3, 2), ''), '0') AS INT) > 840 "
                 "THEN RAISE_ERROR('NOT_SUPPORTED: An offset beyond 14 hours is not supported on the Spark engine') "
                 "ELSE CONCAT(SUBSTR(_g, 1, 3), ':', COALESCE(NULLIF(SUBSTR(_d, 3, 2), ''), '00')) END",
                 _g=g, _d=digits)


# Trino's keys of the zones that are UTC (TimeZoneKey's normalisation)
_UTC_IDS = ("utc", "gmt", "ut", "uct", "gmt0", "greenwich", "universal", "zulu", "z")


def _zone_id(g: exp.Expression, text: exp.Expression) -> exp.Expression:
    """Joda's id of the zone named (its links resolved), as Trino's key."""
    joda = call("TRY_REFLECT", exp.Literal.string("org.joda.time.DateTimeZone"), exp.Literal.string("forID"), g)
    utc = ", ".join(f"'{n}'" for n in _UTC_IDS)
    return spark("CASE WHEN _s IS NULL THEN NULL WHEN _g RLIKE '[0-9]' THEN RAISE_ERROR(CONCAT('NOT_SUPPORTED: Function ''parse_datetime'' of "
                 "the zone ', _g, ' is not supported on the Spark engine')) "
                 f"WHEN _j IS NULL THEN {_INVALID} "
                 f"WHEN REGEXP_REPLACE(LOWER(_j), '^etc/', '') IN ({utc}) THEN 'UTC' ELSE _j END",
                 _g=g, _j=joda, _s=text)


CLASS_REWRITES = {exp.ParseDatetime: _parse}
ANONYMOUS_REWRITES: dict = {}
