"""Trino's formatting functions on Spark: ``format``, ``format_number``,
``human_readable_seconds``.

``format(fmt, args...)`` with a constant format string is read at translation time
(``sql/trino/java_format_specs``, the parser the DuckDB engine shares) and becomes the
CONCAT of one Spark expression per piece, each giving Trino's text: Trino hands
java.util.Formatter a Java object per argument (a ``Long`` for any integer, a ``Double``, a
``BigDecimal``, a ``LocalDate`` / ``LocalTime`` / ``LocalDateTime``, a ``Boolean``, a ``String``), Spark's
FORMAT_STRING its own (an ``Integer`` for a date, its ``Decimal`` class), so FORMAT_STRING
runs only the conversions whose Java value is the same on both: ``%d %o %x`` of a Long and
``%e %f %g %a`` of a Double.  The rest is built here: ``%s`` as Java's ``toString`` of
Trino's object, ``%b``, ``%f`` of a decimal (HALF_UP, flags and grouping), ``%t`` of a date
or timestamp through DATE_FORMAT (English names, as Trino's Locale.ENGLISH).  Java's errors
are Trino's INVALID_FUNCTION_ARGUMENT, raised in the row as Java raises them (a malformed
specifier before anything prints; a missing argument or a conversion of a non-NULL value
of the wrong class when that specifier prints).

Spark runs Java 17, Trino 435 Java 21, whose Double.toString gives the shortest digits
(Java 17's sometimes one more or another last digit): a double's ``%s`` is Spark's text
only when it has at most 15 significant digits (then it is the one decimal of that length
that reads back as the double, in both); ``%e %f %g`` of a double with more digits are
kept when Spark's answer is the same for the doubles just below and above (the shortest
digits, between them, then round alike).  Otherwise the row fails with NOT_SUPPORTED.

An ipaddress is its text (Trino passes its cast to varchar).

Refused (NOT_SUPPORTED): a format string that is not a constant; ``%h``; ``%e``/``%g`` of a
decimal; ``%t`` of a number, of a time field of a date, of a date field of a time, of a zone;
arguments of type interval, json, timestamp with time zone, time with time zone,
a timestamp or time of more than 6 fractional digits (and, as Trino,
arrays, maps and rows: "Type not supported for formatting").

``format_number(x)``: x as a Java long (truncated, NaN 0), divided by 1000 while it is
1000 or more in magnitude (K, M, B, T, Q), shown with 2 fraction digits below 10, 1 below
100, else none, HALF_UP on the double's exact value (computed from its binary digits in
DECIMAL arithmetic: Spark's ROUND of a double rounds its printed digits), zeros dropped.

``concat_ws(sep, array)`` is NULL for a NULL array (Spark's is '').

``human_readable_seconds(x)``: the magnitude rounded half up to whole seconds, as weeks,
days, hours, minutes and seconds (``1 hour, 2 minutes, 42 seconds``); NaN and infinities
are INVALID_FUNCTION_ARGUMENT.
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import TypeMismatch
from ...sql.trino.java_format_specs import (FormatError, Spec, bind, mismatch, missing, not_varchar_message,
                                            parse, trino_message)
from ...sql.trino.nodes import DATE, INTEGERS, is_type, not_supported, string_literal, type_of
from ...sql.trino.typing import decimal_ps, precision, type_name
from ...sql.trino.units import READABLE_UNITS
from . import ipaddress, zoned
from .templates import spark

FUNCTIONS = frozenset({"format", "format_number", "human_readable_seconds"})

DType = exp.DType
_STRING = exp.DataType.build("STRING")


def _fail(code: str, message: str) -> exp.Expression:
    return spark("CAST(RAISE_ERROR(_m) AS STRING)", _m=exp.Literal.string(f"{code}: {message}"))


def _let(value: exp.Expression, body: str, **args: exp.Expression) -> exp.Expression:
    """``body`` with ``__v`` bound to ``value`` (computed once).  A value is only ever an
    argument of the lambda, never inside another's body, so one name serves every binding
    (and the templates stay few)."""
    return spark(f"ELEMENT_AT(TRANSFORM(ARRAY(_value), __v -> {body}), 1)", _value=value, **args)


def _lit(text: str) -> exp.Expression:
    return exp.Literal.string(text)


# --------------------------------------------------------------------------------------
# The arguments: the Java object Trino makes of each type
# --------------------------------------------------------------------------------------

class _Arg:
    """An argument: the Java class Trino passes (``kind``), the Spark value, and its
    ``toString`` as Spark SQL (NULL for NULL)."""

    def __init__(self, node: exp.Expression):
        self.node = node
        typ = type_of(node)
        self.null_literal = isinstance(node, exp.Null) or (node.type is not None and node.type.this == DType.NULL)
        self.typ = typ
        self.kind = self._kind()

    def _kind(self) -> str:
        if self.null_literal:
            return "null"
        if self.typ is None:
            raise not_supported(self.node, "format() of a value whose Trino type is not known is not supported "
                                           "on the Spark engine")
        t = self.typ.this
        if t in INTEGERS:
            return "Long"
        if t == DType.BOOLEAN:
            return "Boolean"
        if t == DType.DOUBLE:
            return "Double"
        if t == DType.FLOAT:
            return "Float"
        if t == DType.DECIMAL:
            return "BigDecimal"
        if zoned.is_zoned(self.node):
            raise not_supported(self.node, "format() of a timestamp with time zone is not supported on the "
                                           "Spark engine")
        if t in DATE:
            return "LocalDate"
        if t == DType.TIMESTAMP:
            if precision(self.typ) > 6:
                raise not_supported(self.node, "format() of a timestamp with more than 6 fractional digits is "
                                               "not supported on the Spark engine")
            return "LocalDateTime"
        if t == DType.TIME:
            if precision(self.typ) > 6:
                raise not_supported(self.node, "format() of a time with more than 6 fractional digits is "
                                               "not supported on the Spark engine")
            return "LocalTime"
        if t in (DType.VARCHAR, DType.TEXT, DType.CHAR):      # a char(n) with its padding, as Trino's
            return "String"
        if ipaddress.is_ipaddress(self.node):     # Trino passes its cast to varchar
            return "String"
        if t in (DType.ARRAY, DType.MAP, DType.STRUCT):
            raise not_supported(self.node, f"Type not supported for formatting: {type_name(self.typ)}")
        raise not_supported(self.node, f"format() of a {type_name(self.typ) or 'value'} is not supported on the "
                                       "Spark engine")

    def text(self) -> exp.Expression:
        """Java's toString of the value, NULL for NULL."""
        x, kind = self.node, self.kind
        if kind == "null":
            return exp.Null()
        if kind == "String" and ipaddress.is_ipaddress(x):
            return ipaddress.text(x)
        if kind in ("Long", "String"):
            return exp.Cast(this=x, to=_STRING)
        if kind == "Boolean":
            return spark("CASE WHEN _x THEN 'true' WHEN NOT _x THEN 'false' END", _x=x)
        if kind in ("Double", "Float"):
            return floating_text(x, 15 if kind == "Double" else 6)
        if kind == "BigDecimal":
            return _decimal_text(x, decimal_ps(self.typ)[1])
        if kind == "LocalDate":
            return _in_years(x, exp.Cast(this=x, to=_STRING))
        if kind == "LocalTime":
            return _local_time_text(x)
        return _in_years(x, spark("CONCAT(DATE_FORMAT(_t, 'yyyy-MM-dd'), 'T', _c)", _t=x, _c=_local_time_text(x)))


def floating_text(x: exp.Expression, digits: int) -> exp.Expression:
    """Java 21's Double/Float.toString from Spark's (Java 17): the same when it has at most
    ``digits`` significant digits (the one decimal that short reading back as the value),
    trailing fraction zeros dropped (Java 17 may print ``0.0020``).  A double of more
    digits is Java 21's shortest digits from a Python UDF (``python_functions``; refused
    inside a lambda, where none runs, and so is a real's)."""
    from . import python_functions
    text = _let(exp.Cast(this=x, to=_STRING),
                f"CASE WHEN __v IS NULL OR __v RLIKE '^-?(NaN|Infinity)$' THEN __v "
                f"WHEN LENGTH(REGEXP_REPLACE(REGEXP_REPLACE(REPLACE(SPLIT_PART(__v, 'E', 1), '.', ''), "
                f"'^-?0*', ''), '0+$', '')) > {digits} THEN CAST(RAISE_ERROR('NOT_SUPPORTED: the text of a "
                f"floating-point value of more than {digits} significant digits is not supported on the Spark "
                "engine (its Java prints other digits)') AS STRING) ELSE REGEXP_REPLACE(__v, '(\\\\.[0-9]+?)0+(E|$)', '$1$2') END")
    if digits != 15 or x.find_ancestor(exp.Lambda) is not None:
        return text
    # (the UDF outside _let's lambda: Spark runs no Python UDF inside one)
    return spark(f"CASE WHEN LENGTH(REGEXP_REPLACE(REGEXP_REPLACE(REPLACE(SPLIT_PART(CAST(_x AS STRING), 'E', 1), '.', "
                 f"''), '^-?0*', ''), '0+$', '')) > {digits} AND NOT ISNAN(CAST(_x AS DOUBLE)) THEN _u ELSE _t END",
                 _x=x.copy(), _t=text,
                 _u=python_functions.udf("java_double_text", [exp.Cast(this=x.copy(), to=exp.DataType.build("DOUBLE"))]))


def _decimal_text(x: exp.Expression, scale: int) -> exp.Expression:
    """BigDecimal.toString: plain digits, except below 1e-6 (then Java writes 1E-7)."""
    plain = exp.Cast(this=x, to=_STRING)
    if scale <= 6:
        return plain
    return spark("CASE WHEN ABS(_x) < 0.000001 THEN CAST(RAISE_ERROR('NOT_SUPPORTED: format() of a decimal "
                 "below 1E-6 is not supported on the Spark engine') AS STRING) ELSE _p END", _x=x, _p=plain)


def _in_years(x: exp.Expression, text: exp.Expression) -> exp.Expression:
    """Java writes years past 9999 with a sign; those are refused."""
    return spark("CASE WHEN YEAR(_x) BETWEEN 1 AND 9999 THEN _t WHEN _x IS NOT NULL THEN "
                 "CAST(RAISE_ERROR('NOT_SUPPORTED: format() of a year outside 1..9999 is not supported on the "
                 "Spark engine') AS STRING) END", _x=x, _t=text)


def _local_time_text(x: exp.Expression) -> exp.Expression:
    """LocalTime.toString (and LocalDateTime's after the date and 'T'): ``16:17``, seconds only
    when they or the fraction are not zero, the fraction in groups of three digits."""
    return spark(
        "CONCAT(DATE_FORMAT(_t, 'HH:mm'), CASE WHEN SECOND(_t) = 0 AND "
        "PMOD(UNIX_MICROS(_t), 1000000) = 0 THEN '' ELSE DATE_FORMAT(_t, ':ss') END, "
        "CASE WHEN PMOD(UNIX_MICROS(_t), 1000000) = 0 THEN '' WHEN PMOD(UNIX_MICROS(_t), 1000) = 0 "
        "THEN DATE_FORMAT(_t, '.SSS') ELSE DATE_FORMAT(_t, '.SSSSSS') END)", _t=x)


# --------------------------------------------------------------------------------------
# The specifiers
# --------------------------------------------------------------------------------------

def _justify(spec: Spec, text: exp.Expression) -> exp.Expression:
    """Java's justify: upper case for %S, padded with spaces to the width (never cut)."""
    if spec.upper:
        text = exp.Upper(this=text)
    if spec.width == -1:
        return text
    pad = "RPAD" if "-" in spec.flags else "LPAD"
    return _let(text, f"CASE WHEN LENGTH(__v) >= {spec.width} THEN __v ELSE {pad}(__v, {spec.width}, ' ') END")


def _alone(spec: Spec) -> str:
    """The specifier as FORMAT_STRING takes it for its one argument (no index, no '<')."""
    flags = spec.flags.replace("<", "")
    out = "%" + flags + (str(spec.width) if spec.width != -1 else "")
    out += f".{spec.precision}" if spec.precision != -1 else ""
    return out + (spec.conversion.upper() if spec.upper else spec.conversion)


def _null_or(spec: Spec, arg: _Arg, error: exp.Expression) -> exp.Expression:
    """Java prints a NULL argument as 'null' whatever the conversion; else ``error``."""
    if arg.null_literal:
        return _justify(spec, _lit("null"))
    return spark("CASE WHEN _x IS NULL THEN _n ELSE _e END", _x=arg.node, _n=_justify(spec, _lit("null")), _e=error)


def _piece(fmt: str, spec: Spec, arg: _Arg) -> exp.Expression:
    c = spec.conversion
    wrong = _null_or(spec, arg, _fail("INVALID_FUNCTION_ARGUMENT", trino_message(fmt, mismatch(spec, arg.kind))))
    if spec.temporal:
        if arg.kind in ("LocalDate", "LocalDateTime", "LocalTime"):
            return _temporal(spec, arg)
        if arg.kind == "Long":
            raise not_supported(arg.node, "format() %t of a number (epoch milliseconds in the JVM's zone) is not "
                                          "supported on the Spark engine")
        return wrong
    if c in "bs":
        if c == "s" and "#" in spec.flags:
            return _fail("INVALID_FUNCTION_ARGUMENT", trino_message(
                fmt, FormatError("FormatFlagsConversionMismatch", "Conversion = s, Flags = #")))
        if c == "b":
            text = _lit("false") if arg.null_literal else spark(
                "CASE WHEN _x IS NULL THEN 'false' ELSE _t END", _x=arg.node,
                _t=arg.text() if arg.kind == "Boolean" else _lit("true"))
        else:
            text = exp.Coalesce(this=arg.text(), expressions=[_lit("null")])
        if spec.precision != -1:
            text = exp.Substring(this=text, start=exp.Literal.number(1), length=exp.Literal.number(spec.precision))
        if arg.kind == "String" and (spec.precision != -1 or spec.width != -1):
            # Java counts UTF-16 units, Spark code points: they differ past the BMP
            text = _let(text, "CASE WHEN __v RLIKE '[\\\\x{10000}-\\\\x{10FFFF}]' THEN CAST(RAISE_ERROR("
                              "'NOT_SUPPORTED: format() of text outside the Basic Multilingual Plane with a width "
                              "or precision is not supported on the Spark engine') AS STRING) ELSE __v END")
        return _justify(spec, text)
    if c == "h":
        raise not_supported(arg.node, "format() %h is not supported on the Spark engine")
    if c == "c":
        return wrong
    if c in "dox":
        if arg.kind != "Long":
            return wrong
        return spark("FORMAT_STRING(_f, CAST(_x AS BIGINT))", _f=_lit(_alone(spec)), _x=arg.node)
    # e f g a
    if arg.kind in ("Double", "Float"):
        return _floating(spec, arg.node)
    if arg.kind == "BigDecimal" and c == "f":
        return _decimal_fixed(spec, arg)
    if arg.kind == "BigDecimal" and c in "eg":
        raise not_supported(arg.node, f"format() %{c} of a decimal is not supported on the Spark engine")
    return wrong


def _floating(spec: Spec, x: exp.Expression) -> exp.Expression:
    """FORMAT_STRING of the double, when Java 17's digits round as Java 21's shortest ones:
    with at most 15 significant digits they are the same; with more, the answer must be
    the same for the doubles just below and above (between which the shortest digits lie)."""
    fmt = _lit(_alone(spec))
    if spec.conversion == "a":
        return spark("FORMAT_STRING(_f, CAST(_x AS DOUBLE))", _f=fmt, _x=x)
    core = _lit(_alone(_without_width(spec)))
    return _let(exp.Cast(this=x, to=exp.DataType.build("DOUBLE")), (
        "CASE WHEN __v IS NULL OR ISNAN(__v) OR ABS(__v) = CAST('Infinity' AS DOUBLE) OR "
        "LENGTH(REGEXP_REPLACE(REGEXP_REPLACE(REPLACE(SPLIT_PART(CAST(__v AS STRING), 'E', 1), '.', ''), "
        "'^-?0*', ''), '0+$', '')) <= 15 OR (__v - ABS(__v) * POWER(2, -50) < __v AND "
        "__v + ABS(__v) * POWER(2, -50) > __v AND FORMAT_STRING(_c, __v - ABS(__v) * POWER(2, -50)) = "
        "FORMAT_STRING(_c, __v + ABS(__v) * POWER(2, -50))) THEN FORMAT_STRING(_f, __v) "
        "ELSE CAST(RAISE_ERROR('NOT_SUPPORTED: format() of this double is not supported on the Spark engine "
        "(its shortest digits round otherwise in Java 17)') AS STRING) END"), _f=fmt, _c=core)


def _without_width(spec: Spec) -> Spec:
    copy = object.__new__(Spec)
    copy.__dict__.update(spec.__dict__, width=-1, flags=spec.flags.replace("-", "").replace("0", ""))
    return copy


def _decimal_fixed(spec: Spec, arg: _Arg) -> exp.Expression:
    """%f of a BigDecimal: HALF_UP to the precision, the sign (or parentheses) from the
    value before rounding, zero padding after grouping (Java's localizedMagnitude)."""
    p, s = decimal_ps(arg.typ)
    places = 6 if spec.precision == -1 else spec.precision
    digits = p - s + places + 1
    if digits > 38:
        raise not_supported(arg.node, "format() %f of this decimal is not supported on the Spark engine")
    magnitude = f"CAST(ROUND(ABS(__v), {places}) AS DECIMAL({digits}, {places}))"
    text = f"FORMAT_NUMBER({magnitude}, {places})" if "," in spec.flags else f"CAST({magnitude} AS STRING)"
    if places == 0 and "#" in spec.flags:
        text = f"CONCAT({text}, '.')"
    plus = "'+'" if "+" in spec.flags else "' '" if " " in spec.flags else "''"
    lead = f"CASE WHEN __v < 0 THEN {'(' if '(' in spec.flags else '-'!r} ELSE {plus} END"
    trail = "CASE WHEN __v < 0 THEN ')' ELSE '' END" if "(" in spec.flags else "''"
    if "0" in spec.flags and spec.width != -1:
        text = f"LPAD({text}, GREATEST({spec.width} - LENGTH({lead}) - LENGTH({trail}), LENGTH({text})), '0')"
    body = _let(arg.node, f"CASE WHEN __v IS NULL THEN 'null' ELSE CONCAT({lead}, {text}, {trail}) END")
    return _justify(spec, body)


# %t conversions of a LocalDate / LocalDateTime as DATE_FORMAT patterns (Locale.US names,
# Java's %t's); None where Java asks for a field the value lacks.
_DATE_PATTERNS = {"Y": "yyyy", "y": "yy", "m": "MM", "d": "dd", "e": "d", "B": "MMMM", "b": "MMM", "h": "MMM",
                  "A": "EEEE", "a": "EEE", "j": "DDD", "D": "MM/dd/yy", "F": "yyyy-MM-dd"}
_TIME_PATTERNS = {"H": "HH", "I": "hh", "k": "H", "l": "h", "M": "mm", "S": "ss", "L": "SSS",
                  "N": "SSSSSS'000'", "p": "a", "R": "HH:mm", "T": "HH:mm:ss", "r": "hh:mm:ss a"}


def _temporal(spec: Spec, arg: _Arg) -> exp.Expression:
    c, x = spec.conversion, arg.node
    if c == "C":
        text = spark("LPAD(CAST(YEAR(_x) DIV 100 AS STRING), 2, '0')", _x=x)
    elif (c in _DATE_PATTERNS and arg.kind != "LocalTime") or (c in _TIME_PATTERNS and arg.kind != "LocalDate"):
        text = spark("DATE_FORMAT(_x, _p)", _x=x, _p=_lit({**_DATE_PATTERNS, **_TIME_PATTERNS}[c]))
        if c == "p":
            text = exp.Lower(this=text)
    else:
        raise not_supported(x, f"format() %t{c} of a {type_name(arg.typ)} is not supported on the Spark engine")
    if arg.kind != "LocalTime":
        text = _in_years(x, text)
    return _justify(spec, exp.Coalesce(this=text, expressions=[_lit("null")]))


def _format(node: exp.Format) -> exp.Expression:
    fmt_node = node.this
    if type_of(fmt_node) is not None and not is_type(fmt_node, DType.VARCHAR, DType.TEXT):
        raise TypeMismatch(not_varchar_message(type_name(fmt_node.type)))
    fmt = string_literal(fmt_node)
    if fmt is None:
        raise not_supported(node, "format() with a format string that is not a constant is not supported on "
                                  "the Spark engine")
    args = [_Arg(x) for x in node.expressions]
    try:
        pieces = bind(parse(fmt), len(args))
    except FormatError as e:
        return _fail("INVALID_FUNCTION_ARGUMENT", trino_message(fmt, e))
    out: list[exp.Expression] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(_lit(piece))
            continue
        spec, index = piece
        if spec.conversion == "%":
            out.append(_justify(spec, _lit("%")))
        elif index is None:
            out.append(_fail("INVALID_FUNCTION_ARGUMENT", trino_message(fmt, missing(spec))))
        else:
            out.append(_piece(fmt, spec, args[index]))
    if not out:
        return _lit("")
    return exp.Concat(expressions=out, safe=False) if len(out) > 1 else out[0]


# --------------------------------------------------------------------------------------
# format_number, human_readable_seconds
# --------------------------------------------------------------------------------------

_LONG_MAX = 9223372036854775807


def _format_number(node: exp.Anonymous) -> exp.Expression:
    x = node.expressions[0]
    if is_type(x, *INTEGERS):
        count = exp.Cast(this=x, to=exp.DataType.build("BIGINT"))
    else:       # Java's (long) of a double: truncated, NaN 0, clamped to the long range
        count = spark(f"CASE WHEN ISNAN(_d) THEN 0 WHEN _d >= 9.223372036854775807E18 THEN {_LONG_MAX} "
                      f"WHEN _d <= -9.223372036854775808E18 THEN -{_LONG_MAX} - 1 ELSE CAST(_d AS BIGINT) END",
                      _d=exp.Cast(this=x, to=exp.DataType.build("DOUBLE")))
    # the value divided by 1000 (in doubles, as Java) while it is 1000 or more in magnitude
    scaled = spark("AGGREGATE(ARRAY('K', 'M', 'B', 'T', 'Q'), NAMED_STRUCT('f', CAST(_c AS DOUBLE), 'u', ''), "
                   "(a, u) -> CASE WHEN a.f >= 1000 OR a.f <= -1000 THEN NAMED_STRUCT('f', a.f / 1000, 'u', u) "
                   "ELSE a END)", _c=count)
    # HALF_UP of |f| (1 <= |f| < 1000, 53 binary digits m / 2^k) to p places: n = floor((m * 10^p
    # * 2 + 2^k) / 2^(k+1)), exact in DECIMAL(38, 0)
    rounded = _let(scaled, (
        "CASE WHEN __v.u = '' THEN CAST(_c AS STRING) ELSE ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT("
        "'a', ABS(__v.f), 'p', CASE WHEN __v.f < 10 THEN 2 WHEN __v.f < 100 THEN 1 ELSE 0 END, "
        "'e', CAST(FLOOR(LOG2(ABS(__v.f))) AS INT))), "
        "r -> ELEMENT_AT(TRANSFORM(ARRAY(CASE WHEN POWER(2, r.e) > r.a THEN r.e - 1 WHEN POWER(2, r.e + 1) <= r.a "
        "THEN r.e + 1 ELSE r.e END), "
        "e -> ELEMENT_AT(TRANSFORM(ARRAY((CAST(r.a * POWER(2, 52 - e) AS DECIMAL(16, 0)) * CAST(POWER(10, r.p) "
        "AS DECIMAL(3, 0)) * 2 + CAST(POWER(2, 52 - e) AS DECIMAL(16, 0))) DIV CAST(POWER(2, 53 - e) AS "
        "DECIMAL(16, 0))), "
        "n -> CONCAT(CASE WHEN __v.f < 0 THEN '-' ELSE '' END, REGEXP_REPLACE(REGEXP_REPLACE("
        "CASE WHEN r.p = 0 THEN CAST(n AS STRING) ELSE CONCAT(CAST(n DIV CAST(POWER(10, r.p) AS BIGINT) AS STRING), '.', "
        "LPAD(CAST(n % CAST(POWER(10, r.p) AS BIGINT) AS STRING), r.p, '0')) END, '(\\\\.[0-9]*?)0+$', '$1'), "
        "'\\\\.$', ''), __v.u)), 1)), 1)), 1) END"), _c=count)
    return spark("CASE WHEN _c IS NULL THEN NULL ELSE _r END", _c=count, _r=rounded)


def _human_readable_seconds(node: exp.Anonymous) -> exp.Expression:
    parts = []
    for name, seconds, modulo in READABLE_UNITS:
        amount = f"(__v DIV {seconds})" + (f" % {modulo}" if modulo else "")
        parts.append(f"CASE WHEN {amount} > 0 THEN CONCAT(CAST({amount} AS STRING), ' {name}', "
                     f"CASE WHEN {amount} > 1 THEN 's' ELSE '' END) END")
    x = exp.Cast(this=node.expressions[0], to=exp.DataType.build("DOUBLE"))
    # Trino reads the magnitude, rounded half up (Math.round; Spark's ROUND of a whole-and-a-half
    # double is exact); NaN and infinities are refused
    words = _let(spark("CAST(ROUND(ABS(_x)) AS BIGINT)", _x=x),
                 f"CASE WHEN __v IS NULL THEN NULL WHEN __v = 0 THEN '0 seconds' ELSE CONCAT_WS(', ', {', '.join(parts)}) END")
    return spark("CASE WHEN ISNAN(_x) OR ABS(_x) = CAST('Infinity' AS DOUBLE) THEN CAST(RAISE_ERROR("
                 "CONCAT('INVALID_FUNCTION_ARGUMENT: Invalid argument found: ', CAST(_x AS STRING))) AS STRING) "
                 "WHEN ABS(_x) >= 9.223372036854775E18 THEN CAST(RAISE_ERROR('NOT_SUPPORTED: "
                 "human_readable_seconds past 2^63 seconds is not supported on the Spark engine') AS STRING) "
                 "ELSE _w END", _x=x, _w=words)


def _concat_ws(node: exp.ConcatWs) -> exp.Expression | None:
    """concat_ws(sep, array): NULL for a NULL array (Spark's is '')."""
    args = node.expressions
    if len(args) != 2 or not is_type(args[1], DType.ARRAY):
        return None
    return spark("CASE WHEN _a IS NULL THEN NULL ELSE CONCAT_WS(_s, _a) END", _s=args[0], _a=args[1])


CLASS_REWRITES: dict = {exp.Format: _format, exp.ConcatWs: _concat_ws}
ANONYMOUS_REWRITES = {
    "format_number": _format_number,
    "human_readable_seconds": _human_readable_seconds,
}
