"""ORDER BY of a set operation (``... UNION [ALL] ... ORDER BY x``) over a value the
branches present as Trino's text (an interval, an address, a zoned timestamp or time).

Each branch presents its values as text so that they unite as text (``_present``), so
the set operation's own ORDER BY sees only that text: ``'10 00:00:00.000'`` sorted
before ``'2 00:00:00.000'``.  Trino sorts by the value.  The text is Trino's, one text
for one value, so reading it back gives the value: each reference to such an output
column in the ORDER BY (by name, or by position) becomes the value read back from its
text, in the engine's own representation, so that an expression over it
(``ORDER BY x + INTERVAL '1' DAY``) is computed as the rewrites expect.  The set
operation itself is untouched: DISTINCT, INTERSECT and EXCEPT still compare the text,
which is as Trino compares the values.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino import typing as trino_typing
from . import zoned
from .intervals import day_to_second, year_to_month
from .nodes import duck

# Trino's text of a day to second interval is [-]D HH:MM:SS.mmm, of a year to month [-]Y-M
# (intervals.text)
_DAY_TO_SECOND_MILLIS = (
    "list_transform([_t], lambda t: CASE WHEN starts_with(t, '-') THEN -1 ELSE 1 END * ("
    "CAST(split_part(ltrim(t, '-'), ' ', 1) AS BIGINT) * 86400000 + "
    "CAST(substr(split_part(ltrim(t, '-'), ' ', 2), 1, 2) AS BIGINT) * 3600000 + "
    "CAST(substr(split_part(ltrim(t, '-'), ' ', 2), 4, 2) AS BIGINT) * 60000 + "
    "CAST(substr(split_part(ltrim(t, '-'), ' ', 2), 7, 2) AS BIGINT) * 1000 + "
    "CAST(substr(split_part(ltrim(t, '-'), ' ', 2), 10, 3) AS BIGINT)))[1]")
_YEAR_TO_MONTH_MONTHS = (
    "list_transform([_t], lambda t: CASE WHEN starts_with(t, '-') THEN -1 ELSE 1 END * ("
    "CAST(split_part(ltrim(t, '-'), '-', 1) AS BIGINT) * 12 + "
    "CAST(split_part(ltrim(t, '-'), '-', 2) AS BIGINT)))[1]")

_READ_BACK_BY_CAST = (exp.DType.IPADDRESS, exp.DType.TIMESTAMPTZ, exp.DType.TIMETZ)


def read_back(text: exp.Expression, typ: exp.DataType,
              rewrite: t.Callable[[exp.Expression], exp.Expression]) -> exp.Expression | None:
    """The value (the engine's representation) of a presented value's text, or None
    where its text is not read back (it orders as the value does, or is not known)."""
    if typ.this == exp.DType.INTERVAL:
        if trino_typing.interval_kind(typ) == "year to month":
            return year_to_month(duck(_YEAR_TO_MONTH_MONTHS, _t=text))
        return day_to_second(duck(_DAY_TO_SECOND_MILLIS, _t=text))
    if typ.this in _READ_BACK_BY_CAST:
        if typ.this in (exp.DType.TIMESTAMPTZ, exp.DType.TIMETZ) \
                and zoned.carries_nanos(trino_typing.precision(typ)):
            return None     # not read back: the nanoseconds' representation differs
        # Trino's own cast from varchar, as the rewrites translate it
        text.type = exp.DataType.build("varchar")
        cast = exp.Cast(this=text, to=typ.copy())
        cast.type = typ.copy()
        return rewrite(cast)
    return None


def order_by_values(tree: exp.Expression, presented: dict[int, tuple[str, exp.DataType]],
                    rewrite: t.Callable[[exp.Expression], exp.Expression]) -> None:
    """Sort keys of a set operation naming a presented output column (``presented``:
    position -> (output name, Trino type)) order by its value read back from its text."""
    order = tree.args.get("order") if isinstance(tree, exp.SetOperation) else None
    if order is None or not presented:
        return
    by_name = {name.lower(): (name, typ) for name, typ in presented.values()}

    def value_of(name: str, typ: exp.DataType) -> exp.Expression | None:
        return read_back(exp.column(exp.to_identifier(name, quoted=True)), typ, rewrite)

    for ordered in order.expressions:
        key = ordered.this
        if isinstance(key, exp.Literal) and key.is_int and int(key.name) in presented:
            value = value_of(*presented[int(key.name)])
            if value is not None:
                ordered.set("this", value)
            continue
        for column in list(key.find_all(exp.Column)):
            if column.table or column.name.lower() not in by_name:
                continue
            value = value_of(*by_name[column.name.lower()])
            if value is None:
                continue
            if column is key:
                ordered.set("this", value)
            else:
                column.replace(value)
