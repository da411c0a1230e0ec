"""Trino's ``date_format`` / ``date_parse`` (MySQL specifiers) as Spark's datetime patterns.

SQLGlot has already turned Trino's specifiers into strftime codes on parsing (Trino
``%i`` is ``%M``, ``%M`` is ``%B``, ``%W`` is ``%A``, ``%x`` is ``%G``...); each code
becomes a Spark pattern letter run, or an expression where Spark has no letter
with Trino's meaning: ``%v`` the ISO week and ``%x`` its year (Spark 3+ refuses
week-based letters).  Text between specifiers is quoted.  A character Trino has no
specifier for stands for itself (``%g`` is ``g``); ``%D %U %u %V %w %X`` are
INVALID_FUNCTION_ARGUMENT ("%D not supported in date format string"), as in Trino.

``date_parse`` is ``TRY_TO_TIMESTAMP`` with the pattern: fields the text lacks are
1970-01-01 00:00:00 in both, ``%h`` without ``%p`` reads 12 as 0 (Joda's and
Spark's), ``%s`` one or two digits, ``%f`` takes one to nine digits, the result is truncated to milliseconds
(Trino's timestamp(3)), text that does not match is INVALID_FUNCTION_ARGUMENT.
``%y`` reads 70-99 as 19xx (Trino's pivot; Spark's is 20xx for all).  ``%v``/``%x``,
and ``%y`` together with ``%Y``, are read by ``week_dates``.
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import InvalidFunctionArgument
from ...sql.trino.nodes import not_supported, string_literal
from ...sql.trino.positions import position
from ...sql.trino.date_specifiers import REFUSED, tokens   # Trino's specifiers, one table for both engines
from .dates import ISO_YEAR
from . import week_dates
from .templates import call, spark

# strftime code (as SQLGlot parsed Trino's) -> Spark pattern letters
_LETTERS = {
    "%a": "EEE", "%b": "MMM", "%-m": "M", "%d": "dd", "%-d": "d", "%f": "SSSSSS", "%H": "HH",
    "%I": "hh", "%M": "mm", "%j": "DDD", "%-H": "H", "%-I": "h", "%B": "MMMM", "%m": "MM",
    "%p": "a", "%S": "ss", "%A": "EEEE", "%Y": "yyyy", "%y": "yy",
}
# for parsing: a fraction of one to nine digits
_PARSE_LETTERS = {**_LETTERS, "%f": "SSSSSSSSS"}
# codes Spark has no letters for (formatting only): ISO week and its year, from the date _d
_COMPUTED = {
    "%v": "LPAD(CAST(WEEKOFYEAR(_d) AS STRING), 2, '0')",
    "%G": f"CAST({ISO_YEAR} AS STRING)",
}
def _pieces(node: exp.Expression, fmt: str, letters: dict[str, str]) -> list[tuple[str, str]]:
    """The format as ("pattern", Spark letters) / ("text", literal) / ("code", %v...) pieces."""
    out: list[tuple[str, str]] = []
    for token in tokens(fmt):
        if token in REFUSED:
            raise InvalidFunctionArgument(f"{REFUSED[token]} not supported in date format string",
                                          *position(node))
        if token in letters:
            out.append(("pattern", letters[token]))
        elif token in _COMPUTED:
            out.append(("code", token))
        else:
            out.append(("text", token[1:] if token.startswith("%") else token))
    return out


def _pattern(pieces: list[tuple[str, str]]) -> str:
    """One Spark pattern: letters as they are, text quoted ('' for a quote) unless it is
    punctuation Spark reads as itself."""
    parts: list[str] = []
    text = ""
    for kind, value in pieces + [("pattern", "")]:
        if kind == "text":
            text += value
            continue
        if text:
            plain = not any(c.isalpha() or c in "'[]#{}" for c in text)
            parts.append(text if plain else "''" if text == "'" else "'" + text.replace("'", "''") + "'")
            text = ""
        parts.append(value)
    return "".join(parts)


def _constant_format(node: exp.Expression) -> str:
    fmt = string_literal(node.args.get("format"))
    if fmt is None:
        raise not_supported(node, f"Function '{_name(node)}' with a format that is not a constant is not "
                                  "supported on the Spark engine")
    return fmt


def _name(node: exp.Expression) -> str:
    return "date_parse" if isinstance(node, exp.StrToTime) else "date_format"


def date_format(node: exp.TimeToStr) -> exp.Expression:
    pieces = _pieces(node, _constant_format(node), _LETTERS)
    value = node.this
    parts: list[exp.Expression] = []
    run: list[tuple[str, str]] = []
    for piece in pieces + [("end", "")]:
        if piece[0] in ("pattern", "text"):
            run.append(piece)
            continue
        if run:
            parts.append(call("DATE_FORMAT", value, exp.Literal.string(_pattern(run))))
            run = []
        if piece[0] == "code":
            parts.append(spark(_COMPUTED[piece[1]], _d=exp.Cast(this=value, to=exp.DataType.build("DATE"))))
    if not parts:
        return exp.Literal.string("")
    return parts[0] if len(parts) == 1 else call("CONCAT", *parts)


_ONE_OR_TWO = {"dd": "d", "MM": "M", "HH": "H", "hh": "h", "mm": "m", "ss": "s"}


def _lenient(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Two-digit fields read one or two digits (Joda's, for ``%s`` of '1.1') where text or
    the end follows them; before another field they keep two (``%Y%m%d``)."""
    out = []
    for i, (kind, value) in enumerate(pieces):
        last = i + 1 == len(pieces) or pieces[i + 1][0] != "pattern"
        out.append((kind, _ONE_OR_TWO.get(value, value) if kind == "pattern" and last else value))
    return out


def date_parse(node: exp.StrToTime) -> exp.Expression:
    fmt = _constant_format(node)
    if week_dates.needed(fmt):      # (Spark's patterns have no ISO week, and one year)
        return week_dates.date_parse(node, node.this, fmt)
    pieces = _lenient(_pieces(node, fmt, _PARSE_LETTERS))
    codes = set(tokens(fmt))
    if any(kind == "code" for kind, _ in pieces) or {"%y", "%Y"} <= codes:
        raise not_supported(node, "Function 'date_parse' with %v, %x, or both %y and %Y is not supported on "
                                  "the Spark engine")
    parsed = call("TRY_TO_TIMESTAMP", node.this, exp.Literal.string(_pattern(pieces)))
    if "%y" in codes:       # Trino's two-digit years: 70-99 are 19xx
        parsed = spark("ELEMENT_AT(TRANSFORM(ARRAY(_p), __p -> CASE WHEN YEAR(__p) >= 2070 THEN "
                       "__p - INTERVAL '100' YEAR ELSE __p END), 1)", _p=parsed)
    return spark("CASE WHEN _s IS NOT NULL AND _p IS NULL THEN RAISE_ERROR(CONCAT("
                 "'INVALID_FUNCTION_ARGUMENT: Invalid format: \"', _s, '\"')) "
                 "ELSE TIMESTAMP_MILLIS(UNIX_MILLIS(_p)) END", _s=node.this, _p=parsed)


CLASS_REWRITES = {
    exp.TimeToStr: date_format,
    exp.StrToTime: date_parse,
}
ANONYMOUS_REWRITES: dict = {}
