"""Trino's types for every expression of a query, before any engine SQL is generated.

``annotate(tree, schema)`` runs SQLGlot's scope-aware type annotator with
Trino's rules where they differ from SQLGlot's defaults; every node's
``.type`` is then its Trino type (an ``exp.DataType``), which the rewrites read
to choose the engine SQL that gives Trino's answer for that type (any engine's
translator: DuckDB's is engine/duckdb/trino).
``type_name`` spells a type as Trino reports it (``decimal(10,2)``,
``timestamp(3) with time zone``, ``varchar(3)``, ``row(a integer)``).

Trino typing rules covered:

- Literals: ``1`` integer (bigint past 32 bits, decimal past 64), ``1.5``
  decimal(2,1), ``1e0`` double, ``'abc'`` varchar(3); typed literals
  (``TIMESTAMP '... zone'`` with its precision and zone, ``DECIMAL '1.23'``).
- Default precisions: ``timestamp`` is timestamp(3), ``time`` time(3), a
  bare ``decimal`` decimal(38,0).
- Arithmetic: integer widths, decimal precision and scale of ``+ - * / %``
  (e.g. ``decimal(p1,s1) / decimal(p2,s2)`` has scale max(s1,s2) and precision
  min(38, p1 + s2 + max(s2 - s1, 0))), double over decimal.
- Dates, times and intervals: an interval is day to second or year to month
  (two kinds do not add or compare: TYPE_MISMATCH); DATE + INTERVAL stays DATE;
  timestamp(p) or time(p) plus a day-second interval is of precision max(p, 3);
  timestamp - timestamp is a day-second interval; ``current_timestamp(p)``.
- Functions whose result type follows their argument (``floor``, ``abs``,
  ``upper``...), aggregates (``sum`` of decimal(p,s) is decimal(38,s), ``avg``
  of a decimal keeps its type), date fields are bigint.
"""
from __future__ import annotations

import re
import typing as t

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.optimizer.annotate_types import TypeAnnotator
from sqlglot.schema import ensure_schema

from ...types import anonymous_field
from . import text_types


DType = exp.DType
MAX_PRECISION = 38

INTEGER_WIDTH = {DType.TINYINT: 3, DType.SMALLINT: 5, DType.INT: 10, DType.BIGINT: 19}
_INTEGER_ORDER = [DType.TINYINT, DType.SMALLINT, DType.INT, DType.BIGINT]
TEXT = (DType.VARCHAR, DType.CHAR, DType.TEXT, DType.NVARCHAR, DType.NCHAR)
TIMESTAMPS = (DType.TIMESTAMP, DType.TIMESTAMPTZ)
NUMBERS = (*INTEGER_WIDTH, DType.DECIMAL, DType.DOUBLE, DType.FLOAT)


# --------------------------------------------------------------------------------------
# Type constructors and readers
# --------------------------------------------------------------------------------------


def build(text: str) -> exp.DataType:
    return exp.DataType.build(text, dialect="trino")


def decimal(precision: int, scale: int) -> exp.DataType:
    return exp.DataType(this=DType.DECIMAL, expressions=[
        exp.DataTypeParam(this=exp.Literal.number(min(precision, MAX_PRECISION))),
        exp.DataTypeParam(this=exp.Literal.number(scale))])


def with_precision(dtype: DType, precision: int) -> exp.DataType:
    return exp.DataType(this=dtype, expressions=[exp.DataTypeParam(this=exp.Literal.number(precision))])


def params(typ: exp.DataType | None) -> list[int]:
    if typ is None:
        return []
    out = []
    for p in typ.expressions:
        if isinstance(p, exp.DataTypeParam) and isinstance(p.this, exp.Literal) and p.this.is_int:
            out.append(int(p.this.name))
    return out


def precision(typ: exp.DataType | None, default: int = 3) -> int:
    found = params(typ)
    return found[0] if found else default


def decimal_ps(typ: exp.DataType | None) -> tuple[int, int] | None:
    """(precision, scale) of a decimal type, or of an integer type seen as a decimal."""
    if typ is None:
        return None
    if typ.this == DType.DECIMAL:
        found = params(typ)
        return (found[0], found[1] if len(found) > 1 else 0) if found else (MAX_PRECISION, 0)
    if typ.this in INTEGER_WIDTH:
        return INTEGER_WIDTH[typ.this], 0
    return None


def is_a(typ: exp.DataType | None, *dtypes: DType) -> bool:
    return typ is not None and typ.this in dtypes


def typeof_name(node: exp.Expression, x: exp.Expression) -> str | None:
    """What ``typeof(x)`` answers: the Trino type of x, ``unknown`` for NULL, None when not
    known here; a lambda is no value (FUNCTION_NOT_FOUND)."""
    if isinstance(x, exp.Lambda):
        from ...errors import FunctionNotFound
        from .positions import position
        raise FunctionNotFound("Unexpected parameters (<function>) for function typeof. Expected: typeof(t) T",
                               *position(node))
    if isinstance(x, exp.Null):
        return "unknown"
    return type_name(x.type)


def type_name(typ: exp.DataType | None) -> str | None:
    """A type as Trino names it in result metadata; None when unknown."""
    if typ is None or typ.this in (DType.UNKNOWN,):
        return None
    if typ.this == DType.NULL:
        return "unknown"
    if typ.this == DType.DECIMAL:
        p, s = decimal_ps(typ)
        return f"decimal({p},{s})"
    if typ.this == DType.ARRAY:
        inner = type_name(typ.expressions[0]) if typ.expressions else None
        return f"array({inner})" if inner else None
    if typ.this == DType.MAP:
        key, value = (type_name(e) for e in typ.expressions[:2]) if len(typ.expressions) == 2 else (None, None)
        return f"map({key}, {value})" if key and value else None
    if typ.this == DType.STRUCT:
        fields = []
        for i, field in enumerate(typ.expressions):
            inner = type_name(field.args.get("kind") if isinstance(field, exp.ColumnDef) else field)
            if inner is None:
                return None
            named = isinstance(field, exp.ColumnDef) and not anonymous_field(field.name, i)
            fields.append(f"{field.name} {inner}" if named else inner)
        return f"row({', '.join(fields)})"
    if typ.this in (DType.TEXT,):
        return "varchar"
    if isinstance(typ.this, exp.Interval):     # as DataType.build parses 'interval year to month'
        text = typ.this.sql("trino").lower()
        return "interval year to month" if "year" in text or "month" in text else "interval day to second"
    if typ.this == DType.INTERVAL:
        kind = typ.expressions[0].this.name if typ.expressions else "day to second"
        return f"interval {kind}"
    text = typ.sql("trino").lower()
    return {"int": "integer", "float": "real", "binary": "varbinary", "varbinary": "varbinary",
            "timestamp with time zone": "timestamp(3) with time zone",
            "timestamp": "timestamp(3)", "time": "time(3)", "char": "char(1)"}.get(text, text)


# --------------------------------------------------------------------------------------
# Trino's rules, as annotators for SQLGlot's TypeAnnotator
# --------------------------------------------------------------------------------------


def _set(self: TypeAnnotator, node: exp.Expression, typ: exp.DataType | DType | None):
    self._set_type(node, typ)
    return node


def _literal(self: TypeAnnotator, node: exp.Literal):
    if node.is_string:
        return _set(self, node, with_precision(DType.VARCHAR, len(node.this)))
    text = node.this.lower()
    if "e" in text:
        return _set(self, node, DType.DOUBLE)
    if "." in text:
        whole, frac = text.split(".", 1)
        digits = len(whole.lstrip("0")) + len(frac)
        return _set(self, node, decimal(max(digits, 1), len(frac)))
    value = int(text)
    if value <= 2**31 - 1:
        return _set(self, node, DType.INT)
    if value <= 2**63 - 1:
        return _set(self, node, DType.BIGINT)
    return _set(self, node, decimal(len(text), 0))


MIN_BIGINT = -2**63


def _negation(self: TypeAnnotator, node: exp.Neg):
    """``-9223372036854775808`` is a bigint in Trino (the literal's digits alone are past
    bigint, a decimal); any other negation has its operand's type."""
    literal = node.this
    if isinstance(literal, exp.Literal) and literal.is_int and -int(literal.name) == MIN_BIGINT:
        return _set(self, node, DType.BIGINT)
    return _DIALECT_METADATA[exp.Neg]["annotator"](self, node)


def _cast(self: TypeAnnotator, node: exp.Cast):
    to = node.to
    if to.this in (DType.TIMESTAMP, DType.TIMESTAMPTZ, DType.TIME) and not to.expressions:
        return _set(self, node, with_precision(to.this, 3))
    if to.this == DType.DECIMAL and not to.expressions:
        return _set(self, node, decimal(MAX_PRECISION, 0))
    return _set(self, node, to)


def _comparison(self: TypeAnnotator, node: exp.Binary):
    """Intervals of the two kinds do not compare (TYPE_MISMATCH)."""
    from ...errors import TypeMismatch
    from .positions import position

    left, right = node.left.type, node.right.type
    op = {exp.EQ: "=", exp.NEQ: "<>", exp.LT: "<", exp.LTE: "<=", exp.GT: ">", exp.GTE: ">="}[type(node)]
    if is_a(left, DType.INTERVAL) and is_a(right, DType.INTERVAL) and interval_kind(left) != interval_kind(right):
        raise TypeMismatch(f"Cannot apply operator: {type_name(left)} {op} {type_name(right)}", *position(node))
    if any(t is not None and any(p.this == DType.HLLSKETCH for p in t.find_all(exp.DataType))
           for t in (left, right)):
        # a HyperLogLog, in a row or array too, is neither comparable nor orderable
        names = [(type_name(t) or "unknown").replace("hllsketch", "HyperLogLog").replace("hyperloglog", "HyperLogLog")
                 for t in (left, right)]
        raise TypeMismatch(f"Cannot apply operator: {names[0]} {op} {names[1]}", *position(node))
    if op not in ("=", "<>") and any(t is not None and any(p.this == DType.MAP for p in t.find_all(exp.DataType))
                                     for t in (left, right)):
        # a map, in a row or array too, is comparable but not orderable (DuckDB orders maps)
        raise TypeMismatch(f"Cannot apply operator: {type_name(left)} {op} {type_name(right)}", *position(node))
    return _set(self, node, DType.BOOLEAN)


def _wider_integer(a: DType, b: DType) -> DType:
    return max(a, b, key=_INTEGER_ORDER.index)


def _numeric_result(left: exp.DataType, right: exp.DataType, op: type) -> exp.DataType | DType | None:
    if is_a(left, DType.DOUBLE) or is_a(right, DType.DOUBLE):
        return DType.DOUBLE
    if is_a(left, DType.FLOAT) or is_a(right, DType.FLOAT):
        return DType.FLOAT
    if is_a(left, DType.DECIMAL) or is_a(right, DType.DECIMAL):
        a, b = decimal_ps(left), decimal_ps(right)
        if a is None or b is None:
            return None
        (p1, s1), (p2, s2) = a, b
        if op in (exp.Add, exp.Sub):
            scale = max(s1, s2)
            return decimal(max(p1 - s1, p2 - s2) + scale + 1, scale)
        if op is exp.Mul:
            return decimal(p1 + p2, s1 + s2)
        if op is exp.Div:
            return decimal(p1 + s2 + max(s2 - s1, 0), max(s1, s2))
        if op is exp.Mod:
            scale = max(s1, s2)
            return decimal(min(p2 - s2, p1 - s1) + scale, scale)
    if left.this in INTEGER_WIDTH and right.this in INTEGER_WIDTH:
        return _wider_integer(left.this, right.this)
    return None


_INTEGER_AS_DECIMAL = {DType.TINYINT: 3, DType.SMALLINT: 5, DType.INT: 10, DType.BIGINT: 19}


def common_super_type(types: list[exp.DataType | None]) -> exp.DataType | DType | None:
    """Trino's common super type of numbers (or of varchars) that CASE, IF, COALESCE,
    greatest and least coerce their values to: the widest integer; double over real over
    decimal; decimals and integers (integer as decimal(10,0)...) as a decimal with the
    most integer digits and the largest scale; varchar(n) of the longest, varchar if one is
    unbounded; timestamp(p) (with or without zone) or time(p) of the largest p.  None (SQLGlot's choice stands) for other types; NULLs do not count."""
    known = [t for t in types if t is not None and t.this not in (DType.NULL, DType.UNKNOWN)]
    if not known:
        return None
    if all(t.this == DType.VARCHAR for t in known):
        lengths = [params(t) for t in known]
        return DType.VARCHAR if any(not n for n in lengths) else with_precision(DType.VARCHAR, max(n[0] for n in lengths))
    kinds = {t.this for t in known}
    if len(kinds) == 1 and known[0].this in (*TIMESTAMPS, DType.TIME):     # the finest precision
        return with_precision(known[0].this, max(precision(t) for t in known))
    if not all(t.this in NUMBERS for t in known):
        return None
    for wide in (DType.DOUBLE, DType.FLOAT):
        if any(t.this == wide for t in known):
            return wide
    if all(t.this in INTEGER_WIDTH for t in known):
        return max((t.this for t in known), key=_INTEGER_ORDER.index)
    ps = [decimal_ps(t) if t.this == DType.DECIMAL else (_INTEGER_AS_DECIMAL[t.this], 0) for t in known]
    if any(p is None for p in ps):
        return None
    scale = max(s for _, s in ps)
    return decimal(min(MAX_PRECISION, max(p - s for p, s in ps) + scale), scale)


def _coerced(values: t.Callable[[exp.Expression], list]):
    """An annotator: SQLGlot's, then Trino's common super type of the node's values."""
    def annotate(self: TypeAnnotator, node: exp.Expression):
        _DIALECT_METADATA[type(node)]["annotator"](self, node)
        typ = common_super_type([v.type for v in values(node) if v is not None])
        return node if typ is None else _set(self, node, typ)
    return annotate


def _case_values(node: exp.Expression) -> list:
    return [i.args.get("true") for i in node.args.get("ifs") or []] + [node.args.get("default")]


def _listed_values(node: exp.Expression) -> list:
    return [node.this, *node.expressions]


def _arithmetic(self: TypeAnnotator, node: exp.Binary):
    left, right = node.left.type, node.right.type
    if left is not None and right is not None:
        result = _numeric_result(left, right, type(node))
        if result is not None:
            return _set(self, node, result)
        result = _datetime_result(node, left, right)
        if result is not None:
            return _set(self, node, result)
    return self._annotate_binary(node)


def _datetime_result(node: exp.Binary, left: exp.DataType, right: exp.DataType) -> exp.DataType | None:
    """Intervals and date/time arithmetic: interval +- interval of one kind (two kinds are a
    TYPE_MISMATCH), interval * / number, datetime +- interval (timestamp(p) or time(p) plus a
    day-second interval is of precision max(p, 3), as the interval counts milliseconds),
    timestamp - timestamp and time - time (interval day to second)."""
    from ...errors import TypeMismatch
    from .positions import position

    moving = (exp.Add, exp.Sub)
    if left.this == DType.INTERVAL and right.this == DType.INTERVAL and isinstance(node, moving):
        if interval_kind(left) != interval_kind(right):
            op = "+" if isinstance(node, exp.Add) else "-"
            raise TypeMismatch(f"Cannot apply operator: {type_name(left)} {op} {type_name(right)}",
                               *position(node))
        return interval(interval_kind(left))
    if isinstance(node, (exp.Mul, exp.Div)) and left.this == DType.INTERVAL and right.this in NUMBERS:
        return interval(interval_kind(left))
    if isinstance(node, exp.Mul) and right.this == DType.INTERVAL and left.this in NUMBERS:
        return interval(interval_kind(right))
    if isinstance(node, exp.Add) and left.this == DType.INTERVAL:
        left, right = right, left
    if isinstance(node, moving) and right.this == DType.INTERVAL and left.this in (DType.DATE, DType.TIME, *TIMESTAMPS):
        if left.this == DType.DATE or interval_kind(right) == "year to month":
            return left
        return with_precision(left.this, max(precision(left), 3))
    if isinstance(node, exp.Sub) and (left.this in TIMESTAMPS and right.this in TIMESTAMPS or
                                      left.this == right.this == DType.TIME):
        return interval("day to second")
    return None


def _bracket(self: TypeAnnotator, node: exp.Bracket):
    """``r[2]`` of a row is its second field's type (so that ``r[1][1]`` of a row in a row
    is a row's subscript in turn); other subscripts as SQLGlot types them."""
    index = node.expressions[0] if len(node.expressions) == 1 else None
    row = node.this.type
    if is_a(row, DType.STRUCT) and isinstance(index, exp.Literal) and index.is_int:
        # SQLGlot made a literal index 0-based where it saw no row at parse time (prepare)
        i = int(index.name) + (1 if node.meta.get("zero_based_index") and not node.args.get("offset") else 0)
        if 1 <= i <= len(row.expressions):
            field = row.expressions[i - 1]
            return _set(self, node, field.args.get("kind") if isinstance(field, exp.ColumnDef) else field)
    return _DIALECT_METADATA[exp.Bracket]["annotator"](self, node) \
        if "annotator" in _DIALECT_METADATA.get(exp.Bracket, {}) else self._annotate_bracket(node)


def _same_as_argument(self: TypeAnnotator, node: exp.Expression):
    return _set(self, node, node.this.type)


def _varchar_kept(self: TypeAnnotator, node: exp.Expression):
    """json_extract_scalar(varchar(n), path) is varchar(n), of json varchar."""
    typ = node.this.type
    return _set(self, node, typ if is_a(typ, DType.VARCHAR) else DType.VARCHAR)


def _floor_ceil(self: TypeAnnotator, node: exp.Expression):
    typ = node.this.type
    if node.args.get("decimals") is None and is_a(typ, DType.DECIMAL):
        p, s = decimal_ps(typ)
        return _set(self, node, decimal(p - s + min(s, 1), 0))
    if is_a(typ, *INTEGER_WIDTH, DType.DOUBLE, DType.FLOAT):
        return _set(self, node, typ)
    return _set(self, node, DType.DOUBLE)


def _round(self: TypeAnnotator, node: exp.Expression):
    """round(decimal(p,s)) is decimal(p-s+min(s,1), 0); round(decimal(p,s), n) is
    decimal(min(38,p+1), s); other numbers keep their type."""
    typ = node.this.type
    if is_a(typ, DType.DECIMAL):
        p, s = decimal_ps(typ)
        if node.args.get("decimals") is None:
            return _set(self, node, decimal(p - s + min(s, 1), 0))
        return _set(self, node, decimal(p + 1, s))
    return _set(self, node, typ)


def _truncate(self: TypeAnnotator, node: exp.Expression):
    """truncate(decimal(p,s)) is decimal(max(1, p-s), 0); truncate(x, n) and the truncate of
    a double or real keep x's type."""
    typ = node.this.type
    if isinstance(node.this, exp.Null) or is_a(typ, DType.NULL):
        # Trino's unknown binds to decimal(p,s), the most specific of truncate's
        # signatures: truncate(NULL, NULL) is decimal(1,0)
        return _set(self, node, decimal(1, 0))
    if is_a(typ, DType.DECIMAL) and node.args.get("decimals") is None:
        p, s = decimal_ps(typ)
        return _set(self, node, decimal(max(1, p - s), 0))
    if is_a(typ, DType.DECIMAL, DType.DOUBLE, DType.FLOAT):
        return _set(self, node, typ)
    return _set(self, node, DType.DOUBLE)


def _sign(self: TypeAnnotator, node: exp.Expression):
    """sign of a decimal is decimal(1,0); of any other number, its own type."""
    typ = node.this.type
    if is_a(typ, DType.DECIMAL):
        return _set(self, node, decimal(1, 0))
    return _set(self, node, typ if is_a(typ, *NUMBERS) else DType.DOUBLE)


def _sum(self: TypeAnnotator, node: exp.Expression):
    typ = node.this.type
    if is_a(typ, *INTEGER_WIDTH):
        return _set(self, node, DType.BIGINT)
    if is_a(typ, DType.DECIMAL):
        return _set(self, node, decimal(MAX_PRECISION, decimal_ps(typ)[1]))
    return _set(self, node, typ if is_a(typ, DType.FLOAT, DType.DOUBLE, DType.INTERVAL) else DType.DOUBLE)


def _avg(self: TypeAnnotator, node: exp.Expression):
    typ = node.this.type
    if is_a(typ, DType.DECIMAL, DType.FLOAT, DType.INTERVAL):
        return _set(self, node, typ)
    return _set(self, node, DType.DOUBLE)


def _interval(self: TypeAnnotator, node: exp.Interval):
    unit = node.args.get("unit")
    text = unit.sql("trino").lower() if unit is not None else "day"
    kind = "year to month" if text.startswith(("year", "month", "quarter")) else "day to second"
    return _set(self, node, interval(kind))


def interval_kind(typ: exp.DataType | None) -> str:
    """'year to month' or 'day to second' (the default) of an interval type."""
    name = type_name(typ) if typ is not None else None
    return "year to month" if name == "interval year to month" else "day to second"


def interval(kind: str) -> exp.DataType:
    """Trino's two interval types, told apart by a parameter: 'year to month' or 'day to second'."""
    return exp.DataType(this=DType.INTERVAL, expressions=[exp.DataTypeParam(this=exp.Var(this=kind))])


def _current(dtype: DType):
    """current_timestamp(p), localtimestamp(p): precision p, 3 when not given."""
    def annotate(self: TypeAnnotator, node: exp.Expression):
        p = node.this
        given = int(p.name) if isinstance(p, exp.Literal) and p.is_int else 3
        return _set(self, node, with_precision(dtype, given))
    return {"annotator": annotate}


def _returns(typ: str):
    built = build(typ)
    return {"annotator": lambda self, e: _set(self, e, built)}


_TSTZ3 = "timestamp(3) with time zone"
_TSTZ9 = "timestamp(9) with time zone"


def _at_time_zone(self: TypeAnnotator, node: exp.Expression):
    typ = node.this.type
    return _set(self, node, with_precision(DType.TIMESTAMPTZ, precision(typ)))


def _timestamp_kept(self: TypeAnnotator, node: exp.Expression):
    """date_trunc / date_add keep their timestamp argument's type."""
    typ = node.this.type
    if is_a(typ, DType.DATE, *TIMESTAMPS):
        return _set(self, node, typ)
    return self._annotate_timeunit(node) if isinstance(node, exp.TimestampTrunc) else _set(self, node, typ)


_DIALECT_METADATA = Dialect.get_or_raise("trino").EXPRESSION_METADATA

TRINO_METADATA = {
    **_DIALECT_METADATA,
    exp.Literal: {"annotator": _literal},
    exp.Cast: {"annotator": _cast},
    exp.Neg: {"annotator": _negation},
    exp.TryCast: {"annotator": _cast},
    **{cls: {"annotator": _arithmetic} for cls in (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)},
    **{cls: {"annotator": _comparison} for cls in (exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE)},
    exp.Abs: {"annotator": _same_as_argument},
    exp.Case: {"annotator": _coerced(_case_values)},
    exp.If: {"annotator": _coerced(lambda node: [node.args.get("true"), node.args.get("false")])},
    **{cls: {"annotator": _coerced(_listed_values)} for cls in (exp.Coalesce, exp.Greatest, exp.Least)},
    exp.Try: {"annotator": _same_as_argument},
    exp.Trim: {"annotator": _same_as_argument},
    exp.Upper: {"annotator": _same_as_argument},
    exp.Lower: {"annotator": _same_as_argument},
    exp.Floor: {"annotator": _floor_ceil},
    exp.Trunc: {"annotator": _truncate},
    exp.Bracket: {"annotator": _bracket},
    exp.Sign: {"annotator": _sign},
    exp.Grouping: _returns("integer"),     # Trino: integer up to 31 arguments
    exp.Round: {"annotator": _round},
    exp.Ceil: {"annotator": _floor_ceil},
    exp.Sum: {"annotator": _sum},
    exp.Avg: {"annotator": _avg},
    exp.AtTimeZone: {"annotator": _at_time_zone},
    exp.Interval: {"annotator": _interval},
    exp.TimestampTrunc: {"annotator": _timestamp_kept},
    exp.DateTrunc: {"annotator": _timestamp_kept},
    exp.DateAdd: {"annotator": _timestamp_kept},
    exp.CurrentTimestamp: _current(DType.TIMESTAMPTZ),
    exp.Localtimestamp: _current(DType.TIMESTAMP),
    exp.CurrentTime: _current(DType.TIMETZ),
    exp.CurrentTimezone: _returns("varchar"),
    exp.Format: _returns("varchar"),         # format(): Trino's varchar, whatever its arguments
    exp.ParseJSON: _returns("json"),
    # json_extract is json; json_query (SQLGlot's JSONExtract too) is varchar
    exp.JSONExtract: {"annotator": lambda self, e: _set(self, e, build("varchar" if e.args.get("json_query")
                                                                     else "json"))},
    exp.JSONExtractScalar: {"annotator": _varchar_kept},
    # json_value is varchar, or its RETURNING type (coalesce(json_value(...), 'd') was varchar(1))
    exp.JSONValue: {"annotator": lambda self, e: _set(self, e, e.args["returning"].copy()
                                                       if isinstance(e.args.get("returning"), exp.DataType)
                                                       else build("varchar"))},
    exp.UnixToTime: _returns(_TSTZ3),
    exp.FromISO8601Timestamp: _returns(_TSTZ3),
    exp.FromISO8601TimestampNanos: _returns(_TSTZ9),
    exp.FromBase: _returns("bigint"),
    exp.ParseDatetime: _returns(_TSTZ3),
    **{cls: _returns("bigint") for cls in (
        exp.Year, exp.Month, exp.Day, exp.Hour, exp.Minute, exp.Second, exp.Quarter, exp.Week,
        exp.DayOfWeek, exp.DayOfMonth, exp.DayOfYear, exp.Extract, exp.Count, exp.ArraySize,
        exp.DateDiff)},
    **text_types.CLASS_TYPES,      # string, regex, URL and varbinary functions
}

# Anonymous calls (functions SQLGlot has no class for) whose Trino result type is fixed.
ANONYMOUS_TYPES = {
    "from_iso8601_timestamp": _TSTZ3, "from_unixtime_nanos": _TSTZ9, "with_timezone": _TSTZ3, "at_timezone": _TSTZ3,
    "timezone_hour": "bigint", "timezone_minute": "bigint", "millisecond": "bigint",
    "to_milliseconds": "bigint", "yow": "bigint", "current_timezone": "varchar",
    "to_iso8601": "varchar", "typeof": "varchar", "json_parse": "json", "json_extract": "json",
    "format_number": "varchar", "human_readable_seconds": "varchar", "to_base": "varchar(64)",
    "from_base": "bigint", "parse_duration": "interval day to second",
    "parse_data_size": "decimal(38,0)", "nan": "double", "infinity": "double",
    "json_array_get": "json", "bit_count": "bigint",
    **dict.fromkeys(("normal_cdf", "inverse_normal_cdf", "wilson_interval_lower", "wilson_interval_upper",
                     "cosine_similarity", "beta_cdf", "inverse_beta_cdf"), "double"),
}

# Anonymous calls of their first argument's type (the shifts keep tinyint..bigint)
_FIRST_ARGUMENT_TYPED = ("bitwise_left_shift", "bitwise_right_shift", "bitwise_right_shift_arithmetic")


def _iso8601_length(typ: exp.DataType | None) -> int:
    """to_iso8601's varchar(n), as Trino's ToIso8601: a sign and 6 year digits, 15 for
    -MM-DDTHH:MM:SS, the period and p digits, 6 more for a zone's offset; 16 for a date."""
    if not is_a(typ, DType.TIMESTAMP, DType.TIMESTAMPTZ):
        return 16
    p = precision(typ)
    return 1 + 6 + 15 + min(p, 1) + p + (6 if typ.this == DType.TIMESTAMPTZ else 0)


def _anonymous(self: TypeAnnotator, node: exp.Anonymous):
    name = node.name.lower()
    if name in ("ngrams", "combinations") and node.expressions and \
            is_a(node.expressions[0].type, DType.ARRAY):   # array(T) -> array(array(T))
        return _set(self, node, exp.DataType(this=DType.ARRAY, expressions=[node.expressions[0].type.copy()],
                                             nested=True))
    if name in ("with_timezone", "at_timezone") and node.expressions:
        return _set(self, node, with_precision(DType.TIMESTAMPTZ, precision(node.expressions[0].type)))
    if name in _FIRST_ARGUMENT_TYPED and node.expressions and is_a(node.expressions[0].type, *INTEGER_WIDTH):
        return _set(self, node, node.expressions[0].type.copy())
    if name in text_types.ANONYMOUS_ANNOTATORS:
        return text_types.ANONYMOUS_ANNOTATORS[name](self, node)
    if name == "to_iso8601" and node.expressions:
        return _set(self, node, with_precision(DType.VARCHAR, _iso8601_length(node.expressions[0].type)))
    if name in ANONYMOUS_TYPES:
        typ = ANONYMOUS_TYPES[name]
        return _set(self, node, interval("day to second") if typ == "interval day to second" else build(typ))
    return _set(self, node, DType.UNKNOWN)


TRINO_METADATA[exp.Anonymous] = {"annotator": _anonymous}


def _array(self: TypeAnnotator, node: exp.Array):
    """ARRAY['a', 'bc'] is array(varchar(2)): strings of several lengths share the longest."""
    self._annotate_by_args(node, "expressions", array=True)
    kinds = [e.type for e in node.expressions]
    if kinds and all(is_a(k, DType.VARCHAR, DType.CHAR) and params(k) for k in kinds):
        longest = max(params(k)[0] for k in kinds)
        kind = DType.CHAR if all(k.this == DType.CHAR for k in kinds) else DType.VARCHAR
        _set(self, node, exp.DataType(this=DType.ARRAY, expressions=[with_precision(kind, longest)],
                                      nested=True))
    return node


TRINO_METADATA[exp.Array] = {"annotator": _array}


# --------------------------------------------------------------------------------------
# Typed literals SQLGlot parses into casts
# --------------------------------------------------------------------------------------

def is_typed_literal(cast: exp.Cast) -> bool:
    """``DECIMAL '1.23'`` rather than ``CAST('1.23' AS DECIMAL)``: SQLGlot parses both
    into a Cast, and only the CAST syntax sets its optional arguments."""
    return isinstance(cast.this, exp.Literal) and cast.this.is_string and "safe" not in cast.args


_DATE_AND_ZONE = re.compile(r"^\s*[+-]?\d{4,6}-\d{1,2}-\d{1,2}\s*(?:[+-]\d|(?!T\d)[A-Za-z])")


def _typed_literals(tree: exp.Expression) -> None:
    """``DECIMAL '1.23'`` is decimal(3,2): its precision and scale are the literal's.
    (SQLGlot already gives ``TIMESTAMP '...'`` the literal's precision and zone.)"""
    for cast in tree.find_all(exp.Cast):
        if cast.to.this == DType.CHAR and not cast.to.expressions and is_typed_literal(cast):
            cast.set("to", with_precision(DType.CHAR, len(cast.this.this)))   # CHAR 'ab' is char(2)
        if cast.to.this == DType.DECIMAL and not cast.to.expressions and is_typed_literal(cast):
            text = cast.this.this.strip().lstrip("+-")
            whole, _, frac = text.partition(".")
            cast.set("to", decimal(max(len(whole.lstrip("0")) + len(frac), 1), len(frac)))
        if cast.to.this == DType.TIMESTAMP and is_typed_literal(cast) and _DATE_AND_ZONE.match(cast.this.this):
            cast.set("to", with_precision(DType.TIMESTAMPTZ, 0))    # TIMESTAMP '2001-01-02 +07:09'


def _qualify(tree: exp.Expression, schema) -> None:
    """Give each unqualified column the source it belongs to (``x`` -> ``t.x``), so
    that the annotator can type it: SQLGlot's qualify_columns runs on a copy, and only
    its choice of table is taken back (names, stars and aliases stay as written).  The
    copy's identifiers are folded to lower case first, as Trino resolves names
    (``sourceIPAddress`` is the column ``sourceipaddress``)."""
    from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
    from sqlglot.optimizer.qualify_columns import qualify_columns

    originals = {}
    for i, col in enumerate(tree.find_all(exp.Column)):
        if not col.table and not col.find_ancestor(exp.Lambda):
            col.meta["column_id"] = i
            originals[i] = col
    if not originals:
        return
    copy = normalize_identifiers(tree.copy(), dialect="trino")
    try:
        qualify_columns(copy, schema, expand_alias_refs=False, expand_stars=False,
                        allow_partial_qualification=True, dialect="trino")
    except Exception:   # noqa: BLE001 - what cannot be qualified stays unqualified (untyped)
        for col in originals.values():
            col.meta.pop("column_id", None)
        return
    for col in copy.find_all(exp.Column):
        original = originals.get(col.meta.get("column_id"))
        if original is not None and col.table and not original.table:
            original.set("table", exp.to_identifier(col.table))
            original.meta["implicit_table"] = True      # (written unqualified: see unnest_names)
    for col in originals.values():
        col.meta.pop("column_id", None)
    _refuse_grouping_by_alias(tree)


def _refuse_grouping_by_alias(tree: exp.Expression) -> None:
    """Trino's GROUP BY names input columns (or output positions), never a select alias:
    ``SELECT x * 2 AS y ... GROUP BY y`` is COLUMN_NOT_FOUND, where DuckDB groups by the
    alias; so does HAVING.  An alias that only repeats its column's name (``t.a AS a``, as
    qualifying writes ``a``) names that input column.  Checked where the select's other columns could be resolved (so its
    sources' columns are known)."""
    from ...errors import missing_column
    from .positions import position

    for select in tree.find_all(exp.Select):
        group = select.args.get("group")
        if group is None:
            continue
        aliases = {p.alias.lower() for p in select.expressions if isinstance(p, exp.Alias)
                   and not (isinstance(p.this, exp.Column) and p.this.name.lower() == p.alias.lower())}
        resolved = [c for p in select.expressions for c in p.find_all(exp.Column) if c.table]
        for col in group.expressions:
            if isinstance(col, exp.Column) and not col.table and col.name.lower() in aliases and resolved:
                raise missing_column(col.name, *position(col))
        having = select.args.get("having")
        # HAVING reads the input columns too (``HAVING call_count > 10`` of a count's alias)
        for col in having.find_all(exp.Column) if having is not None and resolved else ():
            if not col.table and col.name.lower() in aliases and col.parent_select is select \
                    and not col.find_ancestor(exp.Lambda):
                raise missing_column(col.name, *position(col))


def annotate(tree: exp.Expression, schema: dict | None = None) -> exp.Expression:
    """Annotate every node of ``tree`` with its Trino type (in place).  Unqualified
    columns are qualified with their table's name (see ``_qualify``)."""
    _typed_literals(tree)
    mapping = ensure_schema(schema or {}, dialect="trino")
    _qualify(tree, mapping)
    annotator = _TrinoAnnotator(schema=mapping, expression_metadata=TRINO_METADATA)
    annotator.annotate(tree)
    return tree


class _TrinoAnnotator(TypeAnnotator):
    """SQLGlot's annotator, coercing across VALUES rows and set operation branches to
    Trino's common super type (``VALUES 1.25, 2.5`` is decimal(3,2), not the last row's
    decimal(2,1); ``VALUES 'a', 'bcd'`` is varchar(3))."""

    def _maybe_coerce(self, type1, type2):
        typ = common_super_type([t if isinstance(t, exp.DataType) else exp.DataType(this=t)
                                 for t in (type1, type2)])
        return super()._maybe_coerce(type1, type2) if typ is None else typ


def _rand(self: TypeAnnotator, node: exp.Rand) -> exp.Rand:
    """random() is a double; random(n) an integer below n, of n's type."""
    bound = node.this
    self._set_type(node, bound.type if bound is not None and is_a(bound.type, *INTEGER_WIDTH)
                   else exp.DataType.build("double"))
    return node


TRINO_METADATA[exp.Rand] = {"annotator": _rand}


# The array, map and lambda functions' result types (their own module)
from . import collection_types  # noqa: E402 - it reads the helpers above

collection_types.install(TRINO_METADATA)

# corr, covar_* and regr_* of arguments that coerce to real are real (their own module)
from . import statistics_types  # noqa: E402

statistics_types.install(TRINO_METADATA)
