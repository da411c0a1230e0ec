"""Trino's color functions (ColorFunctions): ``color``, ``rgb``, ``render`` and ``bar``.

A Trino ``color`` is an RGB value or one of the eight system colors; here it is held as
the text Trino shows for it (``red``, ``#ff8000``), which these functions read back.
``render`` and ``bar`` write ANSI 256-color escapes (``ESC[38;5;<index>m``) as Trino does,
and interpolate between two colors in HSB space with java.awt.Color's float arithmetic
(``RGBtoHSB`` / ``HSBtoRGB``), so that a bar's colors are Trino's to the escape.
A bad argument raises "INVALID_FUNCTION_ARGUMENT: ...".
"""
from __future__ import annotations

import math

from ...sql.trino.color_values import (RESET, SYSTEM_COLORS, ansi_index, color_text, color_value,
                                          parse_color, rgb_to_hsb, to_float)
from .java_values import floating_text

_SYSTEM = SYSTEM_COLORS
_RESET = RESET
_f, _value, _text = to_float, color_value, color_text


def _invalid(message: str) -> ValueError:
    return ValueError("INVALID_FUNCTION_ARGUMENT: " + message)


def _int(x: float) -> int:
    """Java's (int) cast: NaN is 0, out of range saturates."""
    if x != x:
        return 0
    return max(-2**31, min(2**31 - 1, int(x)))


def color(text: str) -> str:
    try:
        return parse_color(text)
    except ValueError as e:
        raise _invalid(str(e)) from None


def rgb(red: int, green: int, blue: int) -> str:
    for name, v in (("red", red), ("green", green), ("blue", blue)):
        if not 0 <= v <= 255:
            raise _invalid(f"{name} must be between 0 and 255")
    return _text((red << 16) | (green << 8) | blue)


def _hsb_to_rgb(hue: float, saturation: float, brightness: float) -> int:
    def byte(x: float) -> int:
        return _int(_f(_f(x * 255.0) + 0.5))
    if saturation == 0:
        r = g = b = byte(brightness)
    else:
        h = _f(_f(hue - _f(math.floor(hue))) * 6.0) if math.isfinite(hue) else math.nan
        f = _f(h - _f(math.floor(h))) if math.isfinite(h) else math.nan
        p = _f(brightness * _f(1.0 - saturation))
        q = _f(brightness * _f(1.0 - _f(saturation * f)))
        t = _f(brightness * _f(1.0 - _f(saturation * _f(1.0 - f))))
        r, g, b = {0: (brightness, t, p), 1: (q, brightness, p), 2: (p, brightness, t),
                   3: (p, q, brightness), 4: (t, p, brightness), 5: (brightness, p, q)}.get(_int(h), (0, 0, 0))
        r, g, b = (byte(v) if isinstance(v, float) else 0 for v in (r, g, b))
    return ((r & 0xFF) << 16) | ((g & 0xFF) << 8) | (b & 0xFF)


def _interpolate(fraction: float, low: int, high: int) -> int:
    lo, hi = rgb_to_hsb(low), rgb_to_hsb(high)
    h, s, v = (_f(_f(fraction * _f(b - a)) + a) for a, b in zip(lo, hi))
    return _hsb_to_rgb(h, s, v) & 0xFFFFFF


def color_fraction(fraction: float, low: str, high: str) -> str:
    lo, hi = _value(low), _value(high)
    if lo < 0:
        raise _invalid("lowColor not a valid RGB color")
    if hi < 0:
        raise _invalid("highColor not a valid RGB color")
    fraction = max(0.0, min(1.0, fraction)) if fraction == fraction else fraction
    return _text(_interpolate(_f(fraction), lo, hi))


def color_between(value: float, low: float, high: float, low_color: str, high_color: str) -> str:
    try:
        fraction = (value - low) * 1.0 / (high - low)
    except ZeroDivisionError:
        fraction = math.nan if value == low else math.copysign(math.inf, value - low)
    return color_fraction(fraction, low_color, high_color)


def _ansi(value: int) -> str:
    return f"\x1b[38;5;{ansi_index(value)}m"


def render(text: str, color_text: str) -> str:
    return _ansi(_value(color_text)) + text + _RESET


def bar(percent: float, width: int, low: str, high: str) -> str:
    count = max(0, min(width, _int(percent * width)))
    lo, hi = _value(low), _value(high)
    out = []
    for i in range(count):
        try:
            fraction = _f(i * 1.0 / (width - 1))
        except ZeroDivisionError:
            fraction = math.nan
        out.append(_ansi(_interpolate(fraction, lo, hi)) + "\u2588")
    return "".join(out) + _RESET + " " * max(0, width - count)


_V, _D, _B = "VARCHAR", "DOUBLE", "BIGINT"
FUNCTIONS = {
    "trino_color": (color, [_V], _V),
    "trino_rgb": (rgb, [_B, _B, _B], _V),
    "trino_color_fraction": (color_fraction, [_D, _V, _V], _V),
    "trino_color_between": (color_between, [_D, _D, _D, _V, _V], _V),
    "trino_render": (render, [_V, _V], _V),
    "trino_double_text": (lambda x: floating_text(x, False), [_D], _V),
    "trino_bar": (bar, [_D, _B, _V, _V], _V),
}
