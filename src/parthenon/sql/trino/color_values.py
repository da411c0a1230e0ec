"""Trino's ``color`` values (ColorFunctions), shared by both engines.

A color is an RGB value or one of the eight system colors, held as the text Trino shows for
it (``red``, ``#ff8000``).  Here: reading that text back as Trino's long (``color_value``:
the RGB value, or -(index + 1) for a system color), java.awt.Color's RGB to HSB in Java's
float arithmetic (``rgb_to_hsb``), the ANSI 256-color index ``render`` and ``bar`` write,
and the functions' signatures (``check_arguments``: another type is FUNCTION_NOT_FOUND, as
Trino has no coercion to color).
"""
from __future__ import annotations

import math
import struct

from sqlglot import exp

from ...errors import FunctionNotFound
from . import typing as trino_typing
from .nodes import INTEGERS, REALS, is_type, type_of
from .positions import position

SYSTEM_COLORS = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
RESET = "\x1b[0m"


def to_float(x: float) -> float:
    """x rounded to a Java float (one float operation's result)."""
    try:
        return struct.unpack(">f", struct.pack(">f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def color_value(color: str) -> int:
    """Trino's long of a color: the RGB value, or -(index + 1) for a system color."""
    if color.startswith("#"):
        return int(color[1:], 16)
    return -(SYSTEM_COLORS.index(color) + 1)


def color_text(value: int) -> str:
    return SYSTEM_COLORS[-value - 1] if value < 0 else f"#{value:06x}"


def parse_color(text: str) -> str:
    """The color ``color(text)`` makes of ``#rgb`` or a system color's name (any case);
    ValueError with Trino's message for other text."""
    if len(text.encode("utf-8")) == 4 and text[0] == "#" and \
            all(c in "0123456789abcdefABCDEF" for c in text[1:]):
        return "#" + "".join(c * 2 for c in text[1:].lower())
    if text.upper() in (s.upper() for s in SYSTEM_COLORS):
        return text.lower()
    raise ValueError(f"Invalid color: '{text}'")


def rgb_to_hsb(rgb_value: int) -> tuple[float, float, float]:
    """java.awt.Color.RGBtoHSB, float for float."""
    f = to_float
    r, g, b = (rgb_value >> 16) & 0xFF, (rgb_value >> 8) & 0xFF, rgb_value & 0xFF
    cmax, cmin = max(r, g, b), min(r, g, b)
    brightness = f(cmax / 255.0)
    saturation = f((cmax - cmin) / cmax) if cmax != 0 else 0.0
    if saturation == 0:
        return 0.0, saturation, brightness
    span = cmax - cmin
    redc, greenc, bluec = f((cmax - r) / span), f((cmax - g) / span), f((cmax - b) / span)
    if r == cmax:
        hue = f(bluec - greenc)
    elif g == cmax:
        hue = f(f(2.0 + redc) - bluec)
    else:
        hue = f(f(4.0 + greenc) - redc)
    hue = f(hue / 6.0)
    if hue < 0:
        hue = f(hue + 1.0)
    return hue, saturation, brightness


def ansi_index(value: int) -> int:
    """The ANSI 256-color index Trino writes for a color (a system color's own)."""
    if value < 0:
        return -value - 1
    r, g, b = ((value >> s) & 0xFF for s in (16, 8, 0))
    return 16 + (r * 6 // 256) * 36 + (g * 6 // 256) * 6 + b * 6 // 256


def is_color(x: exp.Expression) -> bool:
    typ = type_of(x)
    return typ is not None and typ.this == exp.DType.USERDEFINED and typ.args.get("kind") == "color"


def _numeric(x: exp.Expression) -> bool:
    return type_of(x) is None or is_type(x, *REALS, *INTEGERS)


def _text(x: exp.Expression) -> bool:
    return type_of(x) is None or is_type(x, *trino_typing.TEXT)


def check_arguments(node: exp.Anonymous) -> None:
    """FUNCTION_NOT_FOUND for a call of color, rgb, render or bar that no signature takes."""
    name, args = node.name.lower(), node.expressions
    if name == "color":
        expected, ok = {1: ("color(varchar(x))", lambda: _text(args[0])),
                        3: ("color(double, color, color)",
                            lambda: _numeric(args[0]) and all(is_color(a) for a in args[1:]))}.get(
            len(args), ("color(double, double, double, color, color)", lambda: len(args) == 5 and all(
                _numeric(a) for a in args[:3]) and all(is_color(a) for a in args[3:])))
        ok = ok()
    elif name == "rgb":
        expected = "rgb(bigint, bigint, bigint)"
        ok = len(args) == 3 and all(type_of(a) is None or is_type(a, *INTEGERS) for a in args)
    elif name == "render" and len(args) == 1:
        expected, ok = "render(boolean)", type_of(args[0]) is None or is_type(args[0], exp.DType.BOOLEAN)
    elif name == "render":
        expected = "render(varchar(x), color)"
        ok = len(args) == 2 and is_color(args[1]) and (_text(args[0]) or is_type(args[0], *REALS, *INTEGERS))
    else:
        expected = "bar(double, bigint, color, color)"
        ok = len(args) in (2, 4) and _numeric(args[0]) and (type_of(args[1]) is None or is_type(
            args[1], *INTEGERS)) and all(is_color(a) for a in args[2:])
    if not ok:
        shown = ", ".join(trino_typing.type_name(a.type) or "unknown" for a in node.expressions)
        raise FunctionNotFound(f"Unexpected parameters ({shown}) for function {name}. Expected: {expected}",
                               *position(node))
