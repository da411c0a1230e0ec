"""``date_parse`` formats Spark's patterns cannot read, read as Trino's Joda parser does:
the ISO week ``%v`` and its year ``%x``, and a year given twice (``%Y %y``).

The format becomes a Java regex (possessive groups: Joda reads digits greedily and never
backtracks; literal text ignoring case; the whole text read): ``%Y``/``%x`` up to four
digits with a sign, ``%y`` two (70-99 are 19xx, Trino's pivot), ``%v``, ``%m``, ``%c``,
``%d``, ``%e``, ``%H``, ``%k``, ``%i``, ``%s`` up to two.  Joda sets the fields from the
largest unit down, each from the start of the one above, so of a field given twice the
later counts (``'2013 14'`` by ``'%Y %y'`` is 2014-01-01), and a week-based text is the
Monday of ISO week ``%v`` (1 unless given) of week-year ``%x`` (1970 unless given).  A
week past the year's last, or a day past the month's, is INVALID_FUNCTION_ARGUMENT.

Refused (NOT_SUPPORTED): week fields with calendar ones (``%x %m``), and other
specifiers in such a format (names, ``%f``, ``%p``, ...).
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.date_specifiers import tokens
from ...sql.trino.nodes import not_supported
from .templates import call, spark

# strftime code (as SQLGlot parsed Trino's) -> (field, regex group)
_FIELDS = {
    "%Y": ("year", r"([+-]?\d{1,4}+)"), "%y": ("year2", r"(\d{2})"), "%G": ("weekyear", r"([+-]?\d{1,4}+)"),
    "%v": ("week", r"(\d{1,2}+)"), "%m": ("month", r"(\d{1,2}+)"), "%-m": ("month", r"(\d{1,2}+)"),
    "%d": ("day", r"(\d{1,2}+)"), "%-d": ("day", r"(\d{1,2}+)"), "%H": ("hour", r"(\d{1,2}+)"),
    "%-H": ("hour", r"(\d{1,2}+)"), "%M": ("minute", r"(\d{1,2}+)"), "%S": ("second", r"(\d{1,2}+)"),
}
_INVALID = "RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: Invalid format: \"', _s, '\"'))"


def needed(fmt: str) -> bool:
    codes = set(tokens(fmt))
    return bool(codes & {"%v", "%G"}) or {"%y", "%Y"} <= codes


def date_parse(node: exp.Expression, text: exp.Expression, fmt: str) -> exp.Expression:
    regex: list[str] = ["(?i)^"]
    numbers: dict[str, int] = {}        # field -> its (last) group
    for token in tokens(fmt):
        if token in _FIELDS:
            field, group = _FIELDS[token]
            regex.append(group)
            numbers[field] = sum(1 for g in regex[1:] if g.startswith("("))     # its group: its place
            if field in ("year", "year2"):         # the later year counts
                numbers.pop("year" if field == "year2" else "year2", None)
        elif token.startswith("%") and len(token) > 1:
            raise not_supported(node, f"Function 'date_parse' with %v, %x, or %y and %Y, and {token} is not "
                                      "supported on the Spark engine")
        else:
            regex.append(token if token.isalnum() else "\\" + token)
    regex.append("$")
    fields = numbers
    weekly = {"weekyear", "week"} & fields.keys()
    if weekly and fields.keys() - {"weekyear", "week"}:
        raise not_supported(node, "Function 'date_parse' with week fields (%v, %x) and calendar ones is not "
                                  "supported on the Spark engine")
    r = exp.Literal.string("".join(regex))

    def number(field: str, default: int) -> exp.Expression:
        if field not in fields:
            return exp.Literal.number(default)
        return exp.TryCast(this=call("REGEXP_EXTRACT", text.copy(), r.copy(), exp.Literal.number(fields[field])),
                           to=exp.DataType.build("INT"), safe=True)
    if weekly:
        # ISO week 1 holds January 4th; the last week holds December 28th
        jan4 = spark("CAST(TRY_MAKE_TIMESTAMP(_x, 1, 4, 0, 0, 0) AS DATE)", _x=number("weekyear", 1970))
        dec28 = spark("CAST(TRY_MAKE_TIMESTAMP(_x, 12, 28, 0, 0, 0) AS DATE)", _x=number("weekyear", 1970))
        value = spark("CASE WHEN _v BETWEEN 1 AND WEEKOFYEAR(_e) THEN CAST(DATE_ADD(DATE_SUB(_j, WEEKDAY(_j)), "
                      "(_v - 1) * 7) AS TIMESTAMP) END", _e=dec28, _j=jan4, _v=number("week", 1))
    else:
        year = number("year", 1970)
        if "year2" in fields:
            year = spark("CASE WHEN _y >= 70 THEN 1900 + _y ELSE 2000 + _y END", _y=number("year2", 0))
        value = spark("CASE WHEN _sec < 60 THEN TRY_MAKE_TIMESTAMP(_y, _mo, _d, _h, _mi, _sec) END",
                      _y=year, _mo=number("month", 1), _d=number("day", 1), _h=number("hour", 0),
                      _mi=number("minute", 0), _sec=number("second", 0))
    return spark(f"CASE WHEN _s IS NULL THEN NULL WHEN NOT _s RLIKE _r THEN {_INVALID} "
                 f"ELSE COALESCE(_w, {_INVALID}) END", _s=text, _r=r, _w=value)
