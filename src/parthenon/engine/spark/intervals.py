"""Trino's two interval types on Spark: literals, text, fields and arithmetic.

Representation: Spark's ANSI intervals, which hold what Trino's do: a Trino
``interval day to second`` (milliseconds) is a Spark ``INTERVAL DAY TO SECOND``
(microseconds, always whole milliseconds here), an ``interval year to month`` a
Spark ``INTERVAL YEAR TO MONTH`` (months).  The Trino type (``typing.interval``)
says which.  Comparisons, ``+``/``-`` between intervals of one kind, negation,
``max``/``min``/``sum``, and a timestamp or date moved by an interval are Spark's
own with Trino's answers; what differs is rewritten here:

- Literals are read by ``sql.trino.intervals`` (any qualifier Trino allows, its
  INVALID_LITERAL otherwise) and written in the one form Spark reads for each
  kind (Spark refuses ``INTERVAL '12 10' DAY TO SECOND``).
- Text: ``12 10:45:32.123`` (day to second, ``-`` before a negative one) and
  ``124-5`` (year to month), as a result column and ``CAST(... AS VARCHAR)``
  (Spark's text is ``INTERVAL '...' DAY TO SECOND``).
- Fields (``hour(i)``, ``EXTRACT(DAY FROM i)``, ``millisecond``,
  ``to_milliseconds``) of the millisecond or month count.
- ``interval * number`` and ``interval / number`` truncated to whole
  milliseconds or months (Spark rounds); NaN and division by zero are
  INVALID_FUNCTION_ARGUMENT.  ``avg`` truncates likewise.
- DATE plus a day-second interval stays a DATE and must be whole days (Spark
  makes a timestamp of ``DATE + INTERVAL '3' HOUR``).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ...sql.trino import intervals as literal
from ...sql.trino.nodes import DATE, is_type
from ...sql.trino.positions import position
from ...sql.trino.typing import interval_kind
from ...sql.trino.typing import TEXT
from .templates import spark

Rewrite = t.Callable[[t.Any], "exp.Expression | None"]


is_interval = literal.is_interval


def _year_month(node: exp.Expression) -> bool:
    return interval_kind(node.type) == literal.YEAR_TO_MONTH


def millis(x: exp.Expression) -> exp.Expression:
    """The millisecond count (BIGINT) of a day-second interval."""
    return spark("CAST(CAST(CAST(_x AS INTERVAL SECOND) AS DECIMAL(24, 6)) * 1000 AS BIGINT)", _x=x)


def months(x: exp.Expression) -> exp.Expression:
    """The month count (INT) of a year-month interval."""
    return spark("CAST(CAST(_x AS INTERVAL MONTH) AS INT)", _x=x)


def day_to_second(ms: exp.Expression) -> exp.Expression:
    return spark("MAKE_DT_INTERVAL(0, 0, 0, CAST(_m AS DECIMAL(18, 0)) / 1000)", _m=ms)


def year_to_month(m: exp.Expression) -> exp.Expression:
    return spark("MAKE_YM_INTERVAL(0, CAST(_m AS INT))", _m=m)


def text(x: exp.Expression) -> exp.Expression:
    """Trino's text of an interval: ``3 04:05:06.789`` (day to second), ``1-2`` (year to month)."""
    if _year_month(x):
        return spark("ELEMENT_AT(TRANSFORM(ARRAY(_m), __m -> CONCAT(CASE WHEN __m < 0 THEN '-' ELSE '' END, "
                     "CAST(ABS(__m) DIV 12 AS STRING), '-', CAST(ABS(__m) % 12 AS STRING))), 1)", _m=months(x))
    return spark(
        "ELEMENT_AT(TRANSFORM(ARRAY(_ms), __ms -> CONCAT(CASE WHEN __ms < 0 THEN '-' ELSE '' END, "
        "CAST(ABS(__ms) DIV 86400000 AS STRING), ' ', "
        "LPAD(CAST(ABS(__ms) DIV 3600000 % 24 AS STRING), 2, '0'), ':', "
        "LPAD(CAST(ABS(__ms) DIV 60000 % 60 AS STRING), 2, '0'), ':', "
        "LPAD(CAST(ABS(__ms) DIV 1000 % 60 AS STRING), 2, '0'), '.', "
        "LPAD(CAST(ABS(__ms) % 1000 AS STRING), 3, '0'))), 1)", _ms=millis(x))


# --------------------------------------------------------------------------------------
# Literals and casts
# --------------------------------------------------------------------------------------


def _literal(node: exp.Interval) -> exp.Expression | None:
    read = literal.read_node(node, *position(node))
    if read is None:
        return None
    kind, count = read
    sign, n = ("-" if count < 0 else ""), abs(count)
    if kind == literal.YEAR_TO_MONTH:
        return spark(f"INTERVAL '{sign}{n // 12}-{n % 12}' YEAR TO MONTH")
    seconds, ms = divmod(n, 1000)
    return spark(f"INTERVAL '{sign}{seconds // 86400} {seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:"
                 f"{seconds % 60:02d}.{ms:03d}' DAY TO SECOND")


def cast(node: exp.Cast) -> exp.Expression | None:
    """CAST(interval AS VARCHAR) is Trino's text."""
    if is_interval(node.this) and node.to.this in TEXT:
        return text(node.this)
    return None


# --------------------------------------------------------------------------------------
# Fields
# --------------------------------------------------------------------------------------

_DAY_FIELDS = {"millisecond": "_ms % 1000", "second": "_ms DIV 1000 % 60", "minute": "_ms DIV 60000 % 60",
               "hour": "_ms DIV 3600000 % 24", "day": "_ms DIV 86400000"}
_MONTH_FIELDS = {"month": "_m % 12", "year": "_m DIV 12"}
_FIELD_CLASSES = {exp.Hour: "hour", exp.Minute: "minute", exp.Second: "second", exp.Day: "day",
                  exp.DayOfMonth: "day", exp.Month: "month", exp.Year: "year"}


def field(x: exp.Expression, name: str) -> exp.Expression | None:
    """A field of an interval as a BIGINT (None when Trino has no such field for its type)."""
    name = name.lower()
    if _year_month(x):
        template = _MONTH_FIELDS.get(name)
        return spark(f"CAST({template} AS BIGINT)", _m=months(x)) if template else None
    template = _DAY_FIELDS.get(name)
    return spark(f"CAST({template} AS BIGINT)", _ms=millis(x)) if template else None


def _field_of(node: exp.Expression) -> exp.Expression | None:
    if isinstance(node, exp.Extract):
        unit = node.this.name if isinstance(node.this, (exp.Var, exp.Identifier, exp.Column)) else ""
        return field(node.expression, unit) if is_interval(node.expression) else None
    x = node.expressions[0] if isinstance(node, exp.Anonymous) else node.this
    if not is_interval(x):
        return None
    name = node.name.lower() if isinstance(node, exp.Anonymous) else _FIELD_CLASSES[type(node)]
    return field(x, name)


def _to_milliseconds(node: exp.Anonymous) -> exp.Expression:
    return millis(node.expressions[0])


# --------------------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------------------


def _scaled(interval: exp.Expression, factor: exp.Expression, divide: bool) -> exp.Expression:
    """interval * factor or interval / factor, truncated to whole milliseconds or months."""
    if divide:
        checked = spark("CASE WHEN ISNAN(CAST(_f AS DOUBLE)) THEN "
                        "RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: Cannot divide by double NaN') "
                        "WHEN CAST(_f AS DOUBLE) = 0 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: Cannot divide "
                        "by zero') ELSE 1 / CAST(_f AS DOUBLE) END", _f=factor)
    else:
        checked = spark("CASE WHEN ISNAN(CAST(_f AS DOUBLE)) THEN "
                        "RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: Cannot multiply by double NaN') "
                        "ELSE CAST(_f AS DOUBLE) END", _f=factor)
    if _year_month(interval):
        out = year_to_month(spark("CAST(_m * _f AS BIGINT)", _m=months(interval), _f=checked))
    else:
        out = day_to_second(spark("CAST(_ms * _f AS BIGINT)", _ms=millis(interval), _f=checked))
    out.type = interval.type.copy()     # the result's Trino type, whatever the factor's
    return out


def _multiply(node: exp.Mul) -> exp.Expression | None:
    operands = literal.scaling(node)
    return None if operands is None else _scaled(*operands, divide=False)


def _divide(node: exp.Div) -> exp.Expression | None:
    operands = literal.scaling(node)
    return None if operands is None else _scaled(*operands, divide=True)


def _plus(node: exp.Binary) -> exp.Expression | None:
    """DATE plus or minus a day-second interval: whole days, a DATE (Spark: a timestamp)."""
    value, interval = node.this, node.expression
    if isinstance(node, exp.Add) and is_interval(value) and not is_interval(interval):
        value, interval = interval, value
    if not is_interval(interval) or _year_month(interval) or not is_type(value, *DATE):
        return None
    sign = "-" if isinstance(node, exp.Sub) else ""
    return spark("ELEMENT_AT(TRANSFORM(ARRAY(_ms), __ms -> CASE WHEN __ms % 86400000 <> 0 THEN "
                 "RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: Cannot add hour, minutes or seconds to a date') "
                 f"ELSE DATE_ADD(_d, CAST({sign}(__ms DIV 86400000) AS INT)) END), 1)",
                 _ms=millis(interval), _d=value)


def _average(node: exp.Avg) -> exp.Expression | None:
    x = node.this
    if not is_interval(x):
        return None
    if _year_month(x):
        return year_to_month(spark("CAST(AVG(_n) AS BIGINT)", _n=months(x)))
    return day_to_second(spark("CAST(AVG(_n) AS BIGINT)", _n=millis(x)))


CLASS_REWRITES: dict[type[exp.Expression], Rewrite] = {
    exp.Interval: _literal,
    exp.Cast: cast,
    exp.Mul: _multiply,
    exp.Div: _divide,
    exp.Add: _plus,
    exp.Sub: _plus,
    exp.Avg: _average,
    exp.Extract: _field_of,
    **{cls: _field_of for cls in _FIELD_CLASSES},
}

ANONYMOUS_REWRITES: dict[str, Rewrite] = {
    "to_milliseconds": _to_milliseconds,
    "millisecond": _field_of,
}
