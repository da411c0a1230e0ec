"""``CAST`` to VARCHAR and to/from JSON, where DuckDB's answer differs from Trino's.

Trino semantics covered:

- ``CAST(x AS JSON)`` (a string becomes a JSON string, not parsed JSON) and
  ``CAST(json AS VARCHAR)`` (unquotes scalars, fails on objects/arrays).
- ``CAST(double AS VARCHAR)`` in Trino's scientific form (``1.5E0``),
  ``CAST(real AS VARCHAR)`` the same with at most 7 significant digits (``1.234568E7``),
  ``CAST(timestamp AS VARCHAR)`` with milliseconds.

Knowingly not covered:

- The rewrite to VARCHAR needs the operand's type: it is taken from the
  syntax (typed literals, CASTs); otherwise ``CAST(x AS VARCHAR)`` checks
  ``typeof`` at run time.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from . import intervals, ipaddress, rows, temporal_casts as temporal, times, zoned
from .nodes import FLOATS, JSON, TIMESTAMPS, duck, fn, is_type, type_of
from ....sql.trino.typing import interval_kind, precision
from ....sql.trino.typing import type_name as trino_type_name


_DOUBLE_TO_VARCHAR = """
list_transform([_text], lambda s:
  CASE WHEN s IS NULL THEN NULL
       WHEN s IN ('nan', '-nan') THEN 'NaN' WHEN s = 'inf' THEN 'Infinity' WHEN s = '-inf' THEN '-Infinity'
       WHEN TRY_CAST(s AS DOUBLE) = 0 THEN CASE WHEN s LIKE '-%' THEN '-0E0' ELSE '0E0' END
       ELSE list_transform(
         [regexp_extract(s, '^(-?)([0-9]*)\\.?([0-9]*)(?:e([-+]?[0-9]+))?$',
                         ['sign', 'int', 'frac', 'exp'])],
         lambda m: list_transform(
           [rtrim(ltrim(m.int || m.frac, '0'), '0')],
           lambda sig: m.sign || substr(sig, 1, 1) || '.'
             || CASE WHEN length(sig) > 1 THEN substr(sig, 2) ELSE '0' END
             || 'E' || CAST(COALESCE(TRY_CAST(m.exp AS INTEGER), 0) + length(m.int) - 1
                  - (length(m.int || m.frac) - length(ltrim(m.int || m.frac, '0'))) AS VARCHAR)
         )[1]
       )[1]
  END)[1]
"""


def float_to_varchar(x: exp.Expression, real: bool) -> exp.Expression:
    """Trino's scientific text of a double (its shortest digits) or of a real (rounded to
    7 significant digits, as Trino formats a REAL: ``REAL '12345678.9'`` is ``1.234568E7``).
    (A value of unknown type goes through its text, which any type has.)"""
    if not real:
        return duck(_DOUBLE_TO_VARCHAR, _text=exp.Cast(this=x, to=exp.DataType.build("VARCHAR")))
    wide = x if is_type(x, *FLOATS) else duck("CAST(CAST(_x AS VARCHAR) AS DOUBLE)", _x=x)
    text = duck("printf('%.6e', CAST(_x AS DOUBLE))", _x=wide)
    return duck(_DOUBLE_TO_VARCHAR, _text=text)


def _timestamp_format(precision: int | None) -> str:
    if precision == 0:
        return "%Y-%m-%d %H:%M:%S"
    if precision is not None and precision > 3:
        return "%Y-%m-%d %H:%M:%S.%f"
    return "%Y-%m-%d %H:%M:%S.%g"


def _precision(typ: exp.DataType | None) -> int | None:
    if typ is None:
        return None
    params = typ.expressions
    if params and isinstance(params[0], exp.DataTypeParam) and params[0].this.is_int:
        return int(params[0].this.name)
    return None


def _static_type(x: exp.Expression) -> exp.DataType | None:
    """A type that is certain from the syntax alone: typed literals and CASTs.
    (SQLGlot's inferred types are not trusted here: it types ``1.5`` as DOUBLE
    where Trino has DECIMAL.)"""
    typ = type_of(x)
    if typ is not None and typ.this in (*TIMESTAMPS, exp.DType.INTERVAL, exp.DType.TIMETZ):
        return typ
    if isinstance(x, (exp.Cast, exp.TryCast)):
        return x.to
    if isinstance(x, exp.Literal):
        if x.is_string:
            return exp.DataType.build("VARCHAR")
        text = x.name.lower()
        return exp.DataType.build("DOUBLE" if "e" in text else "DECIMAL" if "." in text else "BIGINT")
    if isinstance(x, (exp.Boolean, exp.ParseJSON)):
        return exp.DataType.build("BOOLEAN" if isinstance(x, exp.Boolean) else "JSON")
    typ = type_of(x)
    if typ is not None and typ.this in (exp.DType.VARCHAR, exp.DType.TEXT, exp.DType.JSON):
        return typ
    return None


def _cast_to_varchar(node: exp.Cast, x: exp.Expression) -> exp.Expression | None:
    typ = _static_type(x)
    if typ is not None:
        if typ.this in FLOATS:
            return float_to_varchar(x, typ.this == exp.DType.FLOAT)
        if typ.this in JSON:
            return json_to_varchar(x)
        if typ.this == exp.DType.INTERVAL:
            return intervals.text(x, interval_kind(typ))
        if typ.this == exp.DType.TIMESTAMP:
            return zoned.timestamp_text(x, precision(typ))
        if typ.this == exp.DType.TIMETZ:
            return times.zoned_text(x, precision(typ))
        if typ.this in TIMESTAMPS:
            fmt = _timestamp_format(_precision(typ))
            if typ.this in (exp.DType.TIMESTAMPTZ, exp.DType.TIMESTAMPLTZ):
                fmt += " %Z"
            return fn("strftime", x, exp.Literal.string(fmt))
        if typ.this not in (exp.DType.UNKNOWN, exp.DType.NULL):
            return None
    return duck(
        "CASE WHEN typeof(_x) = 'DOUBLE' THEN _double WHEN typeof(_x) = 'FLOAT' THEN _real"
        " WHEN typeof(_x) = 'TIMESTAMP' "
        "THEN strftime(CAST(CAST(_x AS VARCHAR) AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%g') "
        " WHEN typeof(_x) = 'TIMESTAMP WITH TIME ZONE' "
        "THEN strftime(CAST(CAST(_x AS VARCHAR) AS TIMESTAMPTZ), '%Y-%m-%d %H:%M:%S.%g %Z') "
        " WHEN typeof(_x) = 'JSON' THEN "
        + _JSON_TO_VARCHAR.replace("_j", "CAST(CAST(_x AS VARCHAR) AS JSON)") +
        " ELSE CAST(_x AS VARCHAR) END",
        _x=x, _double=float_to_varchar(x, False), _real=float_to_varchar(x, True))


_TOO_LONG = ("list_transform([_s], lambda s: CASE WHEN length(s) > _n THEN error("
             "'INVALID_CAST_ARGUMENT: Value ' || s || ' cannot be represented as varchar(' || _n || ')') "
             "ELSE s END)[1]")


def _bounded(node: exp.Cast, x: exp.Expression, text: exp.Expression | None) -> exp.Expression | None:
    """varchar(n): a string is cut to n characters; any other value whose text is longer
    is refused (INVALID_CAST_ARGUMENT), as Trino does."""
    found = [int(p.this.name) for p in node.to.expressions
             if isinstance(p, exp.DataTypeParam) and isinstance(p.this, exp.Literal)]
    if not found:
        return text
    n = exp.Literal.number(found[0])
    typ = type_of(x)
    if text is None:
        text = exp.Cast(this=x, to=exp.DataType.build("VARCHAR"))
    if typ is None or typ.this in (exp.DType.VARCHAR, exp.DType.CHAR, exp.DType.TEXT,
                                   exp.DType.UNKNOWN, exp.DType.NULL):
        return fn("left", text, n)
    return duck(_TOO_LONG, _s=text, _n=n)


def _cast_to_char(node: exp.Cast, x: exp.Expression) -> exp.Expression | None:
    """CHAR(n) holds exactly n characters: shorter text is padded with spaces, longer cut."""
    found = [int(p.this.name) for p in node.to.expressions
             if isinstance(p, exp.DataTypeParam) and isinstance(p.this, exp.Literal)]
    if not found:
        return None
    text = _cast_to_varchar(node, x) or exp.Cast(this=x, to=exp.DataType.build("VARCHAR"))
    return fn("rpad", text, exp.Literal.number(found[0]), exp.Literal.string(" "))


# a JSON number with a fraction or exponent is a double's text to Trino (1.289E2, 0E0)
_JSON_TO_VARCHAR = (
    "CASE WHEN json_type(_j) IN ('OBJECT', 'ARRAY') "
    "THEN error('INVALID_CAST_ARGUMENT: Cannot cast JSON object or array to varchar') "
    "WHEN json_type(_j) = 'DOUBLE' AND regexp_matches(CAST(_j AS VARCHAR), '[.eE]') THEN "
    + _DOUBLE_TO_VARCHAR.replace("_text", "CAST(CAST(_j AS DOUBLE) AS VARCHAR)") +
    " ELSE json_extract_string(_j, '$') END"
)


def json_to_varchar(j: exp.Expression) -> exp.Expression:
    return duck(_JSON_TO_VARCHAR, _j=j)


def _named_row_fields(to: exp.DataType) -> None:
    """``ROW(BIGINT, VARCHAR)`` has anonymous fields; DuckDB's STRUCT needs names, at any
    depth (``ARRAY(ROW(DOUBLE, BIGINT))`` was DuckDB's syntax error)."""
    for typ in list(to.walk()):
        if isinstance(typ, exp.DataType) and typ.this == exp.DType.STRUCT and typ.expressions and \
                not any(isinstance(e, exp.ColumnDef) for e in typ.expressions):
            typ.set("expressions", [exp.ColumnDef(this=exp.to_identifier(f"_{i}"), kind=e)
                                    for i, e in enumerate(typ.expressions)])


def _cast(node: exp.Cast) -> exp.Expression | None:
    to = node.to
    x = node.this
    _named_row_fields(to)
    by_address = ipaddress.cast(node)
    if by_address is not None:
        return by_address
    to_row = rows.cast_to_row(node) or rows.cast_to_rows(node)
    if to_row is not None:
        return to_row
    if temporal.applies(node):
        return temporal.cast(node)
    if to.this in (exp.DType.VARCHAR, exp.DType.TEXT, exp.DType.CHAR, exp.DType.NVARCHAR):
        if to.this == exp.DType.CHAR:
            return _cast_to_char(node, x)
        return _bounded(node, x, _cast_to_varchar(node, x))
    if to.this in JSON:
        if is_type(x, *JSON) or isinstance(x, exp.ParseJSON):
            return x
        name = trino_type_name(x.type)
        if name and "row(" in name:     # field names, map keys and numbers as Trino writes them
            return duck("CAST(trino_row_json(CAST(to_json(_x) AS VARCHAR), _t) AS JSON)", _x=x,
                        _t=exp.Literal.string(name))
        # CAST('abc' AS JSON) is the JSON string "abc" in Trino, not parsed JSON
        return fn("to_json", x)
    if is_type(x, *JSON) and to.this in (exp.DType.DATE, exp.DType.TIME):
        return exp.Cast(this=fn("json_extract_string", x, exp.Literal.string("$")), to=to)
    return None


def rewrite_cast(node: exp.Cast) -> exp.Expression | None:
    """The rewrite of a cast made by another rewrite (a row's field cast: ``rows``)."""
    return _cast(node)


# Which node each rewrite above handles (merged by rewrite.py).
CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Cast: _cast,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
