"""Trino's color functions on Spark (``sql/trino/color_values``, shared with DuckDB).

A color is held as the text Trino shows for it (``red``, ``#ff8000``).
- ``color(text)`` (``#rgb`` or a system color's name, any case), ``rgb(r, g, b)``.
- ``render(x, color)``: x's text (a double as Java's Double.toString, ``formatting``) in the
  color's ANSI 256-color escape; ``render(boolean)`` a green check or a red cross.
- ``color(fraction, low, high)``, ``color(x, low, high, low_color, high_color)`` and
  ``bar(x, width[, low_color, high_color])`` interpolate between two RGB colors in HSB
  space with java.awt.Color's float arithmetic: each float operation is done in DOUBLE and
  rounded to FLOAT (for + - * / that is the float operation's own result); the colors'
  HSB values are computed at translation time, so the two colors must be constants
  (else NOT_SUPPORTED), and a NaN fraction is refused (Java's NaN path is not kept).
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import InvalidFunctionArgument
from ...sql.trino.color_values import (RESET, SYSTEM_COLORS, ansi_index, check_arguments, color_value,
                                      parse_color, rgb_to_hsb, to_float)
from ...sql.trino.nodes import INTEGERS, int_literal, is_type, not_supported, string_literal
from .formatting import floating_text
from .templates import spark

FUNCTIONS = frozenset({"color", "rgb", "render", "bar"})

_DOUBLE = exp.DataType.build("DOUBLE")
_CONSTANT = "color_text"        # the meta key of a color whose text is known at translation


def _fail(message_sql: str) -> str:
    return f"CAST(RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: ', {message_sql})) AS STRING)"


def _constant(node: exp.Expression, text: str) -> exp.Expression:
    out = exp.Literal.string(text)
    out.meta[_CONSTANT] = text
    return out


def _color(node: exp.Anonymous) -> exp.Expression:
    check_arguments(node)
    args = node.expressions
    if len(args) == 3:
        return _fraction_color(node, spark("CAST(_x AS DOUBLE)", _x=args[0]), args[1], args[2])
    if len(args) == 5:
        value, low, high = (exp.Cast(this=a, to=_DOUBLE) for a in args[:3])
        fraction = spark("CASE WHEN _h - _l = 0 THEN CASE WHEN _v - _l > 0 THEN CAST('Infinity' AS DOUBLE) "
                         "WHEN _v - _l < 0 THEN CAST('-Infinity' AS DOUBLE) ELSE CAST('NaN' AS DOUBLE) END "
                         "ELSE (_v - _l) / (_h - _l) END", _v=value, _l=low, _h=high)
        return _fraction_color(node, fraction, args[3], args[4])
    text = string_literal(args[0])
    if text is not None:
        try:
            return _constant(node, parse_color(text))
        except ValueError:
            pass        # Trino fails in each row: the SQL below does
    return spark(
        "CASE WHEN _t IS NULL THEN NULL WHEN OCTET_LENGTH(_t) = 4 AND _t RLIKE '^#[0-9a-fA-F]{3}$' THEN "
        "LOWER(CONCAT('#', REPEAT(SUBSTRING(_t, 2, 1), 2), REPEAT(SUBSTRING(_t, 3, 1), 2), "
        "REPEAT(SUBSTRING(_t, 4, 1), 2))) WHEN UPPER(_t) IN ("
        + ", ".join(f"'{n.upper()}'" for n in SYSTEM_COLORS) + ") THEN LOWER(UPPER(_t)) ELSE "
        + _fail("_before, _t, _after") + " END", _before=exp.Literal.string("Invalid color: '"),
        _after=exp.Literal.string("'"),
        _t=exp.Cast(this=args[0], to=exp.DataType.build("STRING")))


def _rgb(node: exp.Anonymous) -> exp.Expression:
    check_arguments(node)
    r, g, b = node.expressions
    literals = [int_literal(x) for x in (r, g, b)]
    if None not in literals and all(0 <= v <= 255 for v in literals):
        return _constant(node, "#" + "".join(f"{v:02x}" for v in literals))
    checks = " ".join(f"WHEN {v} < 0 OR {v} > 255 THEN {_fail(repr(name + ' must be between 0 and 255'))}"
                      for v, name in (("_r", "red"), ("_g", "green"), ("_b", "blue")))
    return spark(f"CASE WHEN _r IS NULL OR _g IS NULL OR _b IS NULL THEN NULL {checks} ELSE "
                 "CONCAT('#', LPAD(LOWER(HEX(_r * 65536 + _g * 256 + _b)), 6, '0')) END",
                 _r=exp.Cast(this=r, to=exp.DataType.build("BIGINT")),
                 _g=exp.Cast(this=g, to=exp.DataType.build("BIGINT")),
                 _b=exp.Cast(this=b, to=exp.DataType.build("BIGINT")))


# --------------------------------------------------------------------------------------
# ANSI escapes
# --------------------------------------------------------------------------------------

def _ansi_of_text(c: exp.Expression) -> exp.Expression:
    """The escape of a color's text (a system color's index, or the 6x6x6 cube's)."""
    system = " ".join(f"WHEN '{n}' THEN {i}" for i, n in enumerate(SYSTEM_COLORS))
    return spark(
        "ELEMENT_AT(TRANSFORM(ARRAY(_c), __c -> CONCAT('\x1b[38;5;', CAST(CASE WHEN __c LIKE '#%' THEN "
        "ELEMENT_AT(TRANSFORM(ARRAY(CAST(CONV(SUBSTRING(__c, 2), 16, 10) AS BIGINT)), __v -> "
        "16 + ((__v DIV 65536) % 256 * 6 DIV 256) * 36 + ((__v DIV 256) % 256 * 6 DIV 256) * 6 "
        f"+ (__v % 256) * 6 DIV 256), 1) ELSE CASE __c {system} END END AS STRING), 'm')), 1)", _c=c)


def _escape(c: exp.Expression) -> exp.Expression:
    text = c.meta.get(_CONSTANT)
    if text is not None:
        return exp.Literal.string(f"\x1b[38;5;{ansi_index(color_value(text))}m")
    return _ansi_of_text(c)


def _render(node: exp.Anonymous) -> exp.Expression:
    check_arguments(node)
    args = node.expressions
    if len(args) == 1:
        green, red = (f"\x1b[38;5;{ansi_index(color_value(c))}m{mark}{RESET}" for c, mark in
                      (("green", "\u2713"), ("red", "\u2717")))
        return spark("CASE WHEN _b THEN _g WHEN NOT _b THEN _r END", _b=args[0], _g=exp.Literal.string(green),
                     _r=exp.Literal.string(red))
    x, c = args
    if is_type(x, *INTEGERS):
        text = exp.Cast(this=exp.Cast(this=x, to=exp.DataType.build("BIGINT")), to=exp.DataType.build("STRING"))
    elif is_type(x, exp.DType.FLOAT, exp.DType.DOUBLE, exp.DType.DECIMAL):
        text = floating_text(exp.Cast(this=x, to=_DOUBLE), 15)
    else:
        text = exp.Cast(this=x, to=exp.DataType.build("STRING"))
    return spark("CONCAT(_e, _x, _reset)", _e=_escape(c), _x=text, _reset=exp.Literal.string(RESET))


# --------------------------------------------------------------------------------------
# Interpolation: java.awt.Color's HSB arithmetic in floats
# --------------------------------------------------------------------------------------

def _f(x: str) -> str:
    return f"CAST({x} AS FLOAT)"


def _op(a: str, operator: str, b: str) -> str:
    """One float operation: exact in DOUBLE for floats, then rounded to FLOAT once."""
    return _f(f"CAST({a} AS DOUBLE) {operator} CAST({b} AS DOUBLE)")


def _k(x: float) -> str:
    return f"CAST('{to_float(x)!r}' AS FLOAT)"


def _rgb_of(node: exp.Expression, c: exp.Expression, which: str) -> int:
    text = c.meta.get(_CONSTANT)
    if text is None:
        raise not_supported(node, f"Function '{node.name.lower()}' of colors that are not constants is not "
                                  "supported on the Spark engine")
    value = color_value(text)
    if value < 0:
        raise InvalidFunctionArgument(f"{which} not a valid RGB color")
    return value


def _interpolated(fraction: str, low: int, high: int) -> str:
    """The (r, g, b) struct java.awt.Color gives for a FLOAT fraction (SQL ``fraction``)
    between two RGB colors (HSBtoRGB of the interpolated RGBtoHSB)."""
    lo, hi = rgb_to_hsb(low), rgb_to_hsb(high)
    h, s, v = (_op(_op(fraction, "*", _k(to_float(b - a))), "+", _k(a)) for a, b in zip(lo, hi))

    def byte(x: str) -> str:
        return f"PMOD(CAST({_op(_op(x, '*', _k(255.0)), '+', _k(0.5))} AS INT), 256)"

    def rgb(r: str, g: str, b: str) -> str:
        return f"NAMED_STRUCT('r', {byte(r)}, 'g', {byte(g)}, 'b', {byte(b)})"
    cases = {0: ("__c.v", "__y.t", "__y.p"), 1: ("__y.q", "__c.v", "__y.p"), 2: ("__y.p", "__c.v", "__y.t"),
             3: ("__y.p", "__y.q", "__c.v"), 4: ("__y.t", "__y.p", "__c.v"), 5: ("__c.v", "__y.p", "__y.q")}
    switch = " ".join(f"WHEN {i} THEN {rgb(*parts)}" for i, parts in cases.items())
    one = _k(1.0)
    return (
        f"ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT('h', {h}, 's', {s}, 'v', {v})), __c -> CASE WHEN __c.s = 0 "
        f"THEN {rgb('__c.v', '__c.v', '__c.v')} ELSE "
        f"ELEMENT_AT(TRANSFORM(ARRAY({_op(_op('__c.h', '-', _f('FLOOR(CAST(__c.h AS DOUBLE))')), '*', _k(6.0))}), "
        f"__h -> ELEMENT_AT(TRANSFORM(ARRAY({_op('__h', '-', _f('FLOOR(CAST(__h AS DOUBLE))'))}), "
        f"__x -> ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT('p', {_op('__c.v', '*', _op(one, '-', '__c.s'))}, "
        f"'q', {_op('__c.v', '*', _op(one, '-', _op('__c.s', '*', '__x')))}, "
        f"'t', {_op('__c.v', '*', _op(one, '-', _op('__c.s', '*', _op(one, '-', '__x'))))})), "
        f"__y -> CASE CAST(__h AS INT) {switch} ELSE NAMED_STRUCT('r', 0, 'g', 0, 'b', 0) END), 1)), 1)), 1) "
        "END), 1)")


def _fraction_color(node: exp.Anonymous, fraction: exp.Expression, low: exp.Expression,
                    high: exp.Expression) -> exp.Expression:
    lo, hi = _rgb_of(node, low, "lowColor"), _rgb_of(node, high, "highColor")
    rgb = _interpolated(_f("LEAST(GREATEST(__fr, 0), 1)"), lo, hi)
    return spark(
        "ELEMENT_AT(TRANSFORM(ARRAY(_x), __fr -> CASE WHEN __fr IS NULL THEN NULL WHEN ISNAN(__fr) THEN "
        "CAST(RAISE_ERROR('NOT_SUPPORTED: a color of a NaN fraction is not supported on the Spark engine') "
        f"AS STRING) ELSE ELEMENT_AT(TRANSFORM(ARRAY({rgb}), __c -> CONCAT('#', LPAD(LOWER(HEX("
        "__c.r * 65536 + __c.g * 256 + __c.b)), 6, '0'))), 1) END), 1)", _x=fraction)


def _bar(node: exp.Anonymous) -> exp.Expression:
    check_arguments(node)
    args = node.expressions
    low, high = args[2:] or [_constant(node, "#ff0000"), _constant(node, "#00ff00")]
    lo, hi = _rgb_of(node, low, "lowColor"), _rgb_of(node, high, "highColor")
    rgb = _interpolated(_f("CAST(__i AS DOUBLE) / CAST(__w - 1 AS DOUBLE)"), lo, hi)
    cell = ("CONCAT('\x1b[38;5;', CAST(16 + (__c.r * 6 DIV 256) * 36 + (__c.g * 6 DIV 256) * 6 + __c.b * 6 DIV 256 "
            "AS STRING), 'm\u2588')")
    # Java's (int) of percent * width: truncated, NaN 0, then kept within 0..width
    return spark(
        "ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT('p', CAST(_p AS DOUBLE), 'w', CAST(_w AS BIGINT))), __a -> "
        "ELEMENT_AT(TRANSFORM(ARRAY(CASE WHEN ISNAN(__a.p * __a.w) THEN 0 ELSE CAST(LEAST(GREATEST(__a.p * __a.w, "
        "0), CAST(__a.w AS DOUBLE)) AS BIGINT) END), __n -> ELEMENT_AT(TRANSFORM(ARRAY(__a.w), __w -> "
        "CASE WHEN __a.p IS NULL OR __w IS NULL THEN NULL WHEN __w = 1 AND __n > 0 THEN CAST(RAISE_ERROR("
        "'NOT_SUPPORTED: bar of width 1 is not supported on the Spark engine') AS STRING) ELSE CONCAT("
        "CASE WHEN __n <= 0 THEN '' ELSE CONCAT_WS('', TRANSFORM(SEQUENCE(0, __n - 1), __i -> "
        f"ELEMENT_AT(TRANSFORM(ARRAY({rgb}), __c -> {cell}), 1))) END, _reset, REPEAT(' ', CAST(GREATEST(__w - __n, 0) "
        "AS INT))) END), 1)), 1)), 1)", _p=args[0], _w=args[1], _reset=exp.Literal.string(RESET))


CLASS_REWRITES: dict = {}
ANONYMOUS_REWRITES = {"color": _color, "rgb": _rgb, "render": _render, "bar": _bar}
