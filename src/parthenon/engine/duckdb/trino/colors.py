"""Trino's color functions and ``fail``, as calls of the engine functions that compute them.

- ``color(text)``, ``rgb(r, g, b)``, ``color(x, low, high, low_color, high_color)`` and
  ``color(fraction, low_color, high_color)`` make a ``color`` value, held as the text Trino
  shows for it (``red``, ``#ff8000``: ``engine/duckdb/color_functions``);
- ``render(x, color)`` writes x (a varchar, a bigint, or a double as Java's Double.toString)
  in the color's ANSI escape, ``render(boolean)`` a green check or a red cross, and
  ``bar(x, width[, low_color, high_color])`` an ANSI bar chart's line;
- ``fail(message)`` / ``fail(json)`` (the hidden function Trino's planner calls to raise an
  error; the JSON is a FailureInfo, whose ``message`` is read) raise GENERIC_USER_ERROR, which
  ``try`` does not catch: inside ``try`` (whose engine TRY catches every error) it is NOT_SUPPORTED.
A color argument of another type is FUNCTION_NOT_FOUND, as Trino has no coercion to color.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....errors import FunctionNotFound
from ....sql.trino import typing as trino_typing
from ....sql.trino.color_values import check_arguments
from . import chars
from .nodes import FLOATS, INTEGERS, duck, fn, is_type, not_supported, position, type_of


def _double(x: exp.Expression) -> exp.Expression:
    return exp.Cast(this=x, to=exp.DataType.build("DOUBLE"))


def _bigint(x: exp.Expression) -> exp.Expression:
    return exp.Cast(this=x, to=exp.DataType.build("BIGINT"))


def _text(x: exp.Expression) -> exp.Expression:
    return chars.text(x) or exp.Cast(this=x, to=exp.DataType.build("VARCHAR"))


def _color(node: exp.Anonymous) -> exp.Expression:
    check_arguments(node)
    args = node.expressions
    if len(args) == 1:
        return fn("trino_color", _text(args[0]))
    if len(args) == 3:
        return fn("trino_color_fraction", _double(args[0]), *args[1:])
    return fn("trino_color_between", *map(_double, args[:3]), *args[3:])


def _rgb(node: exp.Anonymous) -> exp.Expression:
    check_arguments(node)
    return fn("trino_rgb", *map(_bigint, node.expressions))


def _render(node: exp.Anonymous) -> exp.Expression:
    check_arguments(node)
    args = node.expressions
    if len(args) == 1:
        return duck("trino_render(CASE WHEN _b THEN '\u2713' ELSE '\u2717' END, "
                    "CASE WHEN _b THEN 'green' ELSE 'red' END)", _b=args[0])
    x = args[0]
    if is_type(x, *INTEGERS):
        text = exp.Cast(this=_bigint(x), to=exp.DataType.build("VARCHAR"))
    elif is_type(x, *FLOATS, exp.DType.DECIMAL):
        text = fn("trino_double_text", _double(x))
    else:
        text = _text(x)
    return fn("trino_render", text, args[1])


def _bar(node: exp.Anonymous) -> exp.Expression:
    check_arguments(node)
    args = node.expressions
    low, high = args[2:] or [exp.Literal.string("#ff0000"), exp.Literal.string("#00ff00")]
    return fn("trino_bar", _double(args[0]), _bigint(args[1]), low, high)


def _fail(node: exp.Anonymous) -> exp.Expression:
    args = node.expressions
    if node.find_ancestor(exp.Try) is not None:     # the engine's TRY would catch its error
        raise not_supported(node, "fail() inside try() is not supported")
    if len(args) == 1 and is_type(args[0], exp.DType.JSON):
        kind, message = "json", exp.Cast(this=args[0], to=exp.DataType.build("VARCHAR"))
    else:
        if not (len(args) == 1 and (type_of(args[0]) is None or is_type(args[0], *trino_typing.TEXT))):
            shown = ", ".join(trino_typing.type_name(a.type) or "unknown" for a in args)
            raise FunctionNotFound(f"Unexpected parameters ({shown}) for function fail. Expected: fail(varchar)",
                                   *position(node))
        kind, message = "text", _text(args[0])
    # a NULL of no type (Trino's unknown), which joins any other branch's type
    return duck("CASE WHEN trino_fail(_k, _m) THEN NULL END", _k=exp.Literal.string(kind), _m=message)


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "color": _color, "rgb": _rgb, "render": _render, "bar": _bar, "fail": _fail,
}
