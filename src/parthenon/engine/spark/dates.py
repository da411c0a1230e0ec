"""``date_add``, ``date_diff``, ``date_trunc`` and calendar fields with Trino's answers on Spark.

- ``date_add(unit, n, x)``: Spark's TIMESTAMPADD for a timestamp (months clamp to the
  month's end, as Joda's); a DATE stays a DATE for day units and up (DATE_ADD,
  ADD_MONTHS), as in Trino (SQLGlot's own Spark text moved days whatever the unit).
- ``datediff(unit, a, b)``: whole units elapsed (Spark's TIMESTAMPDIFF is
  ``ChronoUnit.between``, Joda's count); a unit that is not a constant is chosen
  row by row.
- ``date_trunc(unit, x)``: weeks start on Monday; a DATE stays a DATE (Spark's
  TRUNC of a date is NULL for 'day').
- An unknown unit is INVALID_FUNCTION_ARGUMENT ("'fortnight' is not a valid DATE
  field"); units shorter than a day on a DATE are refused (not covered).
- ``year_of_week`` / ``yow`` (the ISO week's year), ``last_day_of_month``,
  ``EXTRACT(DAY_OF_MONTH ...)``.
Zoned timestamps never reach these (``types`` refuses them on Spark).
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import InvalidFunctionArgument
from ...sql.trino import units
from ...sql.trino.nodes import DATE, is_type, not_supported
from ...sql.trino.positions import position
from .templates import call, spark

#: the ISO week's year of the date _d (the year of its week's Thursday)
ISO_YEAR = "YEAR(DATE_ADD(_d, 3 - WEEKDAY(_d)))"


def _unit(node: exp.Expression) -> exp.Expression | None:
    """The unit argument; SQLGlot reads a column there as a unit name too, so a name that
    is no unit is the column holding one (when there are columns: a FROM)."""
    unit = node.args.get("unit")
    select = node.find_ancestor(exp.Select)
    if isinstance(unit, exp.Var) and unit.name.lower() not in units.UNITS and select is not None \
            and select.args.get("from_"):
        return exp.column(unit.name.lower())
    return unit


def _constant_unit(node: exp.Expression, name: str, kind: str) -> str | None:
    """The unit as a lower-case name (None: not a constant).  ``kind`` is Trino's word in
    its message (DATE, TIMESTAMP)."""
    unit = _unit(node)
    if unit is None:
        return "day"
    if isinstance(unit, exp.Literal) and unit.is_string or isinstance(unit, exp.Var):
        text = unit.name.lower()
        if text not in units.UNITS:
            raise InvalidFunctionArgument(f"'{text}' is not a valid {kind} field", *position(node))
        return text
    return None


def _kind(x: exp.Expression) -> str:
    return "DATE" if is_type(x, *DATE) else "TIMESTAMP"


def _date_add(node: exp.DateAdd) -> exp.Expression:
    x, n = node.this, node.expression
    unit = _constant_unit(node, "date_add", _kind(x))
    if unit is None:
        raise not_supported(node, "Function 'date_add' with a unit that is not a constant is not supported "
                                  "on the Spark engine")
    if is_type(x, *DATE):
        if unit in units.DURATIONS:
            raise not_supported(node, f"Function 'date_add' of {unit}s to a date is not supported on the "
                                      "Spark engine")
        if unit in units.MONTHS:
            return spark(f"ADD_MONTHS(_d, CAST(_n AS INT) * {units.MONTHS[unit]})", _d=x, _n=n)
        return spark(f"DATE_ADD(_d, CAST(_n AS INT) * {7 if unit == 'week' else 1})", _d=x, _n=n)
    return call("TIMESTAMPADD", exp.Var(this=unit.upper()), n, x)


def diff(unit: str, a: exp.Expression, b: exp.Expression) -> exp.Expression:
    if unit in units.MONTHS:
        return spark(f"CAST(_m DIV {units.MONTHS[unit]} AS BIGINT)", _m=_months_between(a, b))
    return exp.Cast(this=call("TIMESTAMPDIFF", exp.Var(this=unit.upper()), a, b),
                    to=exp.DataType.build("BIGINT"))


def _months_between(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    """Whole months from a to b as Joda counts them: the most months that, added to a
    (clamped to the month's end), do not pass b (Spark's TIMESTAMPDIFF(MONTH) is Java's
    ChronoUnit, for which 2020-01-31 to 2020-02-29 is no month)."""
    add = "ADD_MONTHS(_a, __r)" if is_type(a, *DATE) and is_type(b, *DATE) else "TIMESTAMPADD(MONTH, __r, _a)"
    return spark(
        "ELEMENT_AT(TRANSFORM(ARRAY((YEAR(_b) * 12 + MONTH(_b)) - (YEAR(_a) * 12 + MONTH(_a))), __r -> "
        f"CASE WHEN __r > 0 AND {add} > _b THEN __r - 1 WHEN __r < 0 AND {add} < _b THEN __r + 1 "
        "ELSE __r END), 1)", _a=a, _b=b)


def _date_diff(node: exp.DateDiff) -> exp.Expression:
    a, b = node.expression, node.this
    unit = _constant_unit(node, "date_diff", _kind(a))
    if unit is not None:
        return diff(unit, a, b)
    cases = exp.Case(this=exp.Lower(this=_unit(node)),
                     ifs=[exp.If(this=exp.Literal.string(u), true=diff(u, a, b)) for u in units.UNITS],
                     default=spark("RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: ', _u, "
                                   f"' is not a valid {_kind(a)} field'))", _u=_unit(node)))
    return cases


def _date_trunc(node: exp.Expression) -> exp.Expression:
    x = node.this
    unit = _constant_unit(node, "date_trunc", _kind(x))
    if unit is None:
        raise not_supported(node, "Function 'date_trunc' with a unit that is not a constant is not "
                                  "supported on the Spark engine")
    truncated = call("DATE_TRUNC", exp.Literal.string(unit.upper()), x)
    if is_type(x, *DATE):
        if unit in units.DURATIONS:
            raise not_supported(node, f"Function 'date_trunc' to the {unit} of a date is not supported on "
                                      "the Spark engine")
        return exp.Cast(this=truncated, to=exp.DataType.build("DATE"))
    return truncated


def _year_of_week(node: exp.Expression) -> exp.Expression:
    x = node.expressions[0] if isinstance(node, exp.Anonymous) else node.this
    return spark(f"CAST({ISO_YEAR} AS BIGINT)", _d=exp.Cast(this=x, to=exp.DataType.build("DATE")))


def _last_day_of_month(node: exp.Anonymous) -> exp.Expression:
    return call("LAST_DAY", exp.Cast(this=node.expressions[0], to=exp.DataType.build("DATE")))


def _extract(node: exp.Extract) -> exp.Expression | None:
    unit = node.this.name.upper() if isinstance(node.this, (exp.Var, exp.Identifier, exp.Column)) else ""
    if unit == "DAY_OF_MONTH":
        return spark("CAST(DAYOFMONTH(_t) AS BIGINT)", _t=node.expression)
    if unit in ("YEAR_OF_WEEK", "YOW"):
        return spark(f"CAST({ISO_YEAR} AS BIGINT)", _d=exp.Cast(this=node.expression,
                                                                to=exp.DataType.build("DATE")))
    return None


CLASS_REWRITES = {
    exp.DateAdd: _date_add,
    exp.DateDiff: _date_diff,
    exp.TimestampTrunc: _date_trunc,
    exp.DateTrunc: _date_trunc,
    exp.Extract: _extract,
    exp.YearOfWeek: _year_of_week,
}
ANONYMOUS_REWRITES = {
    "year_of_week": _year_of_week,
    "yow": _year_of_week,
    "last_day_of_month": _last_day_of_month,
}
