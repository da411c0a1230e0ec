"""Trino's functions on Spark: which run with Trino's answers, and the rewrites they need.

``SPARK_FUNCTIONS`` lists the Trino functions the Spark engine runs (each
checked against Trino's answers by tests/trino_cases and
tests/test_spark_translate.py), natively through SQLGlot's spark dialect or
through a rewrite here.  Any other Trino function is refused with
NOT_SUPPORTED naming it (default deny), so a function Spark would answer
differently never runs.

Trino semantics kept, by family:

- Arithmetic: ``/`` on integers truncates toward zero (Spark's ``div``) and
  keeps the operands' integer type; REAL/DOUBLE division by zero gives
  +-Infinity or NaN (Spark fails); integer overflow and integer or decimal
  division by zero fail (ANSI mode).  ``CAST`` of a REAL/DOUBLE/DECIMAL to an
  integer rounds half away from zero (Spark truncates).
- Strings: ``trim``/``ltrim``/``rtrim`` remove Java whitespace (Spark only
  spaces); ``split``'s delimiter is literal text (Spark's is a regex);
  ``split_part`` past the last part is NULL (Spark: '').  ``strpos``,
  ``substr``, ``lpad``/``rpad``, ``replace``, ``reverse``, ``concat``,
  ``concat_ws``, ``starts_with``, ``ends_with``, ``levenshtein_distance``,
  ``translate`` are Spark's own with Trino's answers.
- Regular expressions: Java's, in both engines.  ``regexp_extract`` is NULL
  without a match (Spark: '') and group 0 by default (Spark: 1);
  ``regexp_extract_all`` defaults to group 0; ``regexp_replace`` without a
  replacement removes the matches.
- Arrays and maps: ``cardinality``, ``element_at`` (NULL past the end),
  ``contains``, ``array_position``, ``slice``, ``sequence``, ``transform``,
  ``filter``, ``reduce``, ``any_match``/``all_match``/``none_match``
  (three-valued), ``array_agg`` keeps NULL elements (Spark's collect_list
  drops them), ``map(keys, values)``, ``map_keys``, ``map_values``.
- Dates and times: ``day_of_week`` is ISO (Monday 1), ``to_unixtime`` keeps
  the fraction of a second, ``date_diff``/``date_add``/``date_trunc``,
  ``year``... through Spark's equivalents.
- Aggregates: ``arbitrary`` is a non-NULL value; ``approx_distinct`` asks
  Spark's HyperLogLog++ for Trino's standard error (2.3%);
  ``approx_percentile`` is Spark's percentile_approx: both are approximations
  within their documented error, not the same digits for large inputs.
"""
from __future__ import annotations

import functools
import re
import zoneinfo
import typing as t

from sqlglot import exp

from ...errors import (FunctionNotFound, InvalidFunctionArgument, TypeMismatch,
                      check_array_elements)
from ...sql.trino import position
from ...sql.trino import comparisons
from ...sql.trino.functions import TRINO_FUNCTIONS, function_name
from ...sql.trino.functions import _classes_by_name
from ...sql.trino.nodes import (FLOATS, INTEGERS, REALS, int_literal, is_type, not_supported,
                               string_literal)
from ...sql.trino.typing import INTEGER_WIDTH, precision, type_name, typeof_name
from . import (aggregates, arrays, binary, bitwise, chars, clocks, colors, conditions, data_sizes, date_formats,
               dates, durations, equality, formatting, intervals, ipaddress, joda_formats, joda_parsing, json,
               json_arrays, json_type, lambdas, maps, nano_arrays, nano_timestamps, numbers, python_functions, regex,
               rows, sql_json, statistics, strings, templates, times, timetz, types, urls, zoned)
from .regex import always_takes_part  # noqa: F401 - tests/test_spark_translate.py reads it here

Rewrite = t.Callable[[t.Any], "exp.Expression | None"]

#: Trino functions the Spark engine runs with Trino's answers.
SPARK_FUNCTIONS: frozenset[str] = frozenset("""
abs acos asin atan atan2 cbrt ceil ceiling cos cosh degrees e exp floor ln log log10 log2 mod
pi pow power radians round sign sin sinh sqrt tan tanh greatest least is_nan infinity nan
rand random coalesce nullif if try try_cast cast
avg count count_if max min sum arbitrary any_value bool_and bool_or every stddev stddev_pop
stddev_samp variance var_pop var_samp corr covar_pop covar_samp max_by min_by array_agg
approx_distinct approx_percentile
row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value
concat concat_ws length lower upper lpad rpad ltrim rtrim trim replace reverse split split_part
strpos position substr substring starts_with ends_with levenshtein_distance translate
regexp_like regexp_extract regexp_extract_all regexp_replace regexp_count
cardinality element_at contains array_position slice sequence transform filter reduce
any_match all_match none_match map map_keys map_values array_join array_max array_min
current_date current_timestamp localtimestamp now year month day day_of_month day_of_year doy quarter hour
minute second day_of_week dow week week_of_year date_trunc date_add date_diff to_unixtime
from_iso8601_timestamp from_iso8601_timestamp_nanos from_iso8601_date date extract millisecond typeof
bitwise_and bitwise_or bitwise_xor bitwise_not json_extract_scalar
to_milliseconds date_format date_parse year_of_week yow last_day_of_month
at_timezone with_timezone from_unixtime_nanos format_datetime parse_datetime timezone_hour timezone_minute to_iso8601 from_unixtime current_time
truncate width_bucket from_base to_base is_finite is_infinite
""".split()) | strings.FUNCTIONS | regex.FUNCTIONS | urls.FUNCTIONS | bitwise.FUNCTIONS | binary.FUNCTIONS | arrays.FUNCTIONS | maps.FUNCTIONS | json.FUNCTIONS | formatting.FUNCTIONS | data_sizes.FUNCTIONS | colors.FUNCTIONS | durations.FUNCTIONS | aggregates.FUNCTIONS | statistics.FUNCTIONS | python_functions.FUNCTIONS | clocks.FUNCTIONS | conditions.FUNCTIONS

#: Sequences longer than this fail in Trino (sequence_count_exceeded).
SEQUENCE_LIMIT = 10000


# --------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------


spark = templates.spark
_call = templates.call


# --------------------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------------------


def _division(node: exp.Div) -> exp.Expression | None:
    left, right = node.this, node.expression
    if is_type(left, *FLOATS) or is_type(right, *FLOATS):
        # IEEE division: Spark fails on a zero divisor where Trino gives +-Infinity or NaN
        return spark("CASE WHEN _b = 0 THEN CASE WHEN _a > 0 THEN CAST('Infinity' AS DOUBLE) "
                     "WHEN _a < 0 THEN CAST('-Infinity' AS DOUBLE) ELSE CAST('NaN' AS DOUBLE) END "
                     "ELSE _a / _b END", _a=left, _b=right)
    if is_type(left, *INTEGERS) and is_type(right, *INTEGERS):
        quotient = exp.IntDiv(this=left, expression=right)
        return exp.Cast(this=quotient, to=node.type.copy()) if node.type is not None else quotient
    if is_type(node, exp.DType.DECIMAL):
        return exp.Cast(this=node.copy(), to=node.type.copy())
    return None


def _cast(node: exp.Cast) -> exp.Expression | None:
    """Trino rounds (half away from zero) a fraction cast to an integer; Spark truncates.
    A timestamp(p) keeps p fractional digits, rounded; Spark's keeps microseconds.
    Trino's unknown (``ARRAY(UNKNOWN)``, only NULLs) has no Spark name: text, as a result
    of only NULLs is held (``types.spark_type``)."""
    types.unknown_as_text(node)
    if node.to.this in INTEGER_WIDTH and is_type(node.this, *REALS) and not is_type(node.this, *INTEGERS):
        node.set("this", exp.Round(this=node.this.copy()))
        if node.to.this == exp.DType.BIGINT and type(node) is exp.Cast and is_type(node.this.this, *FLOATS):
            # 2^63 (the double nearest Long.MAX_VALUE) passes Spark's range check and saturates
            return spark("CASE WHEN _r >= 9.223372036854775807E18 THEN RAISE_ERROR('INVALID_CAST_ARGUMENT: "
                         "Out of range for bigint: ' || CAST(_r AS STRING)) ELSE _c END",
                         _r=node.this.copy(), _c=node.copy())
        return None
    if node.to.this == exp.DType.ARRAY and node.to.expressions and node.to.expressions[0].this == exp.DType.TIMESTAMP \
            and arrays._element(node.this.type) is not None and arrays._element(node.this.type).this in INTEGER_WIDTH:
        # Trino has no cast of a number to a timestamp (Spark reads it as seconds)
        raise TypeMismatch(f"Cannot cast {type_name(node.this.type)} to {type_name(node.to)}", *position(node))
    if node.to.this == exp.DType.TIMESTAMP and is_type(node.this, *_TEXT):
        _zone_dropped(node)
    if node.to.this == exp.DType.TIMESTAMP:
        p = precision(node.to)
        source = node.this.type
        text = string_literal(node.this)
        if p < 6 and not is_type(node.this, exp.DType.DATE) and not (
                source is not None and source.this == exp.DType.TIMESTAMP and precision(source) <= p) and not (
                text is not None and len(text.partition(".")[2].split(" ")[0].rstrip()) <= p):
            unit = 10 ** (6 - p)
            plain = exp.Cast(this=node.this, to=exp.DataType.build("TIMESTAMP"))
            rounded = spark(f"TIMESTAMP_MICROS(CAST(ROUND(UNIX_MICROS(_t) / {unit}) * {unit} AS BIGINT))",
                            _t=plain)
            return exp.TryCast(this=rounded, to=exp.DataType.build("TIMESTAMP"), safe=True) \
                if isinstance(node, exp.TryCast) else rounded
    return None


_ZONE_SUFFIX = re.compile(r"^(\s*\d+-\d+-\d+(?:[ T][\d:.]+)?)\s+([+-]\d{1,2}(?::\d{2})?|[A-Za-z][\w/+-]*)\s*$")


def _zone_dropped(node: exp.Cast) -> None:
    """Text with a zone cast to a zoneless timestamp keeps its wall clock in Trino (Spark
    moves it to UTC): a literal's zone is dropped here, other text with one is refused."""
    text = string_literal(node.this)
    if text is None:
        node.set("this", spark("CASE WHEN _s RLIKE '[0-9] +[-+A-Za-z]' THEN RAISE_ERROR('NOT_SUPPORTED: "
                               "CAST of text with a time zone to timestamp is not supported on the Spark engine') "
                               "ELSE _s END", _s=node.this))
        return
    m = _ZONE_SUFFIX.match(text)
    if m is None:
        return
    zone = m.group(2)
    if zone[0] not in "+-":
        try:
            zoneinfo.ZoneInfo(zone)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            raise not_supported(node, f"CAST of text with the time zone {zone!r} to timestamp is not supported "
                                      "on the Spark engine") from None
    node.set("this", exp.Literal.string(m.group(1)))


# --------------------------------------------------------------------------------------
# Strings
# --------------------------------------------------------------------------------------

_JAVA_SPACE = r"\\p{javaWhitespace}"


def _trim(node: exp.Trim) -> exp.Expression | None:
    if node.expression is not None:          # trim(x, chars): Spark's TRIM(BOTH chars FROM x)
        return None
    pattern = {"LEADING": f"^{_JAVA_SPACE}+", "TRAILING": f"{_JAVA_SPACE}+$"}.get(
        (node.args.get("position") or "").upper(), f"^{_JAVA_SPACE}+|{_JAVA_SPACE}+$")
    return exp.RegexpReplace(this=node.this, expression=exp.Literal.string(pattern.replace("\\\\", "\\")),
                             replacement=exp.Literal.string(""))


def _anonymous_trim(position: str) -> Rewrite:
    def rewrite(node: exp.Anonymous) -> exp.Expression:
        if len(node.expressions) != 1:
            raise not_supported(node, f"Function '{node.name.lower()}' with characters to remove is not "
                                      "supported on the Spark engine")
        return _trim(exp.Trim(this=node.expressions[0], position=position))
    return rewrite


# --------------------------------------------------------------------------------------
# Regular expressions
# --------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------
# Arrays and aggregates
# --------------------------------------------------------------------------------------


def _array_agg(node: exp.ArrayAgg) -> exp.Expression:
    if isinstance(node.this, exp.Order) or node.find(exp.Order):
        raise not_supported(node, "array_agg(... ORDER BY ...) is not supported on the Spark engine")
    x = node.this.this if isinstance(node.this, exp.Distinct) else node.this
    if isinstance(node.this, exp.Distinct):
        raise not_supported(node, "array_agg(DISTINCT ...) is not supported on the Spark engine")
    if isinstance(node.parent, (exp.Window, exp.Filter)):
        return spark("TRANSFORM(COLLECT_LIST(NAMED_STRUCT('v', _x)), e -> e.v)", _x=x)
    # of no rows: NULL in Trino (Spark: an empty array)
    return spark("CASE WHEN SIZE(COLLECT_LIST(NAMED_STRUCT('v', _x))) = 0 THEN NULL "
                 "ELSE TRANSFORM(COLLECT_LIST(NAMED_STRUCT('v', _x)), e -> e.v) END", _x=x)


def _match(kind: str) -> Rewrite:
    def rewrite(node: exp.Expression) -> exp.Expression:
        args = node.expressions if isinstance(node, exp.Anonymous) else [node.this, node.expression]
        found = _call("EXISTS" if kind != "all" else "FORALL", *args)
        return exp.Not(this=found) if kind == "none" else found
    return rewrite


def _arbitrary(node: exp.Expression) -> exp.Expression:
    return _call("ANY_VALUE", node.this, exp.true())


def _approx_distinct(node: exp.ApproxDistinct) -> exp.Expression:
    if node.args.get("accuracy") is not None:
        return _call("APPROX_COUNT_DISTINCT", node.this, node.args["accuracy"])
    return _call("APPROX_COUNT_DISTINCT", node.this, exp.Literal.number("0.023"))


# --------------------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------------------


def _day_of_week(node: exp.Expression) -> exp.Expression:
    return spark("WEEKDAY(_d) + 1", _d=node.this)


def _to_unixtime(node: exp.Expression) -> exp.Expression:
    x = node.this if not isinstance(node, exp.Anonymous) else node.expressions[0]
    return spark("UNIX_MICROS(CAST(_t AS TIMESTAMP)) / 1e6", _t=x)


def _constant(sql: str) -> Rewrite:
    return lambda node: spark(sql)


def _extract(node: exp.Extract) -> exp.Expression | None:
    unit = node.this.name.upper() if isinstance(node.this, (exp.Var, exp.Identifier, exp.Column)) else ""
    if unit in ("DOW", "DAY_OF_WEEK", "DAYOFWEEK"):
        return spark("WEEKDAY(_d) + 1", _d=node.expression)
    if unit in ("DOY", "DAY_OF_YEAR"):
        return spark("DAYOFYEAR(_d)", _d=node.expression)
    return None


def _millisecond(node: exp.Anonymous) -> exp.Expression:
    return spark("CAST(FLOOR(EXTRACT(SECOND FROM _t) * 1000) AS BIGINT) % 1000", _t=node.expressions[0])


def _round(node: exp.Round) -> exp.Expression | None:
    digits = node.args.get("decimals")
    if digits is not None and int_literal(digits) is None:
        raise not_supported(node, "Function 'round' with a number of digits that is not a constant is not "
                                  "supported on the Spark engine")
    return None


# --------------------------------------------------------------------------------------
# Arrays, maps, rows
# --------------------------------------------------------------------------------------


def _subscript(node: exp.Bracket) -> exp.Expression | None:
    """``a[i]`` on an array is ELEMENT_AT (1-based, failing outside the array as in Trino);
    ``r[n]`` on a row is its n-th field."""
    if len(node.expressions) != 1:
        return None
    base, index = node.this, node.expressions[0]
    typ = base.type
    if typ is not None and typ.this == exp.DType.STRUCT:
        n = int_literal(index)
        fields = typ.expressions
        if n is not None:
            n = rows.field_number(node, n)    # SQLGlot makes it 0-based where it did not see the row
            if n is None:
                raise not_supported(node, "A subscript of a row that is not written in place is not supported on "
                                          "the Spark engine")
        if n is None or not 1 <= n <= max(len(fields), 1):
            raise not_supported(node, "A row subscript that is not a constant field number is not supported")
        field = fields[n - 1] if fields else None
        name = field.name if isinstance(field, exp.ColumnDef) and field.name else f"col{n}"
        return exp.Dot(this=base, expression=exp.to_identifier(name))
    if typ is not None and typ.this == exp.DType.MAP and not node.args.get("safe"):
        # a key not in the map fails in Trino (Spark: NULL)
        new = spark("CASE WHEN MAP_CONTAINS_KEY(_m, _k) THEN ELEMENT_AT(_m, _k) ELSE RAISE_ERROR("
                    "'INVALID_FUNCTION_ARGUMENT: Key not present in map') END", _m=base, _k=index)
        new.meta["try_form"] = _call("TRY_ELEMENT_AT", base.copy(), index.copy())     # try(): NULL
        return new
    if typ is not None and typ.this == exp.DType.MAP:      # element_at(m, k): NULL for a key not there
        return _call("TRY_ELEMENT_AT", base, index)
    if typ is not None and typ.this == exp.DType.ARRAY or node.args.get("safe"):
        n = int_literal(index)
        if n is not None and not node.args.get("offset"):
            n += 1
            index = exp.Literal.number(n)     # SQLGlot made a literal subscript 0-based
        return _array_subscript(base, index, n, bool(node.args.get("safe")))
    return None


_START_AT_1 = "RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: SQL array indices start at 1')"


def _array_subscript(base: exp.Expression, index: exp.Expression, n: int | None, safe: bool) -> exp.Expression:
    """element_at(a, i) (``safe``): NULL past either end, negative from the end, 0 fails.
    a[i]: fails outside the array with Trino's messages (Spark's ELEMENT_AT counts a
    negative i from the end)."""
    if safe:
        if n is not None:
            return spark(_START_AT_1) if n == 0 else _call("TRY_ELEMENT_AT", base, index)
        return spark(f"CASE WHEN _i = 0 THEN {_START_AT_1} ELSE TRY_ELEMENT_AT(_a, _i) END", _a=base, _i=index)
    if n is not None and n >= 1 and isinstance(base, exp.Array) and n <= len(base.expressions):
        return _call("ELEMENT_AT", base, index)        # inside the array for certain (stays foldable)
    new = spark("CASE WHEN _i < 0 THEN RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: Array subscript is negative: ', _i)) "
                f"WHEN _i = 0 THEN {_START_AT_1} WHEN _i > SIZE(_a) THEN RAISE_ERROR(CONCAT("
                "'INVALID_FUNCTION_ARGUMENT: Array subscript must be less than or equal to array length: ', _i, ' > ', "
                "SIZE(_a))) ELSE ELEMENT_AT(_a, _i) END", _a=base, _i=index)
    # inside try(): NULL outside the array (Trino's try catches INVALID_FUNCTION_ARGUMENT)
    new.meta["try_form"] = spark("CASE WHEN _i <= 0 OR _i > SIZE(_a) THEN NULL ELSE ELEMENT_AT(_a, _i) END",
                                 _a=base.copy(), _i=index.copy())
    return new


def _array_extreme(name: str) -> Rewrite:
    """array_min / array_max are NULL when an element is NULL (Spark skips NULLs); they pass
    over NaN (Spark's largest double), NaN when all are."""
    def rewrite(node: exp.Expression) -> exp.Expression:
        arr = node.this if not isinstance(node, exp.Anonymous) else node.expressions[0]
        element = arr.type.expressions[0] if arr.type is not None and arr.type.expressions else None
        if element is not None and element.this in (exp.DType.ARRAY, exp.DType.STRUCT):
            return _nested_extreme(name, arr, element)
        if element is not None and element.this in FLOATS:    # Trino passes over NaN (Spark: the largest)
            return spark(f"CASE WHEN EXISTS(_a, e -> e IS NULL) THEN NULL WHEN FORALL(_a, e -> ISNAN(e)) AND "
                         f"SIZE(_a) > 0 THEN ELEMENT_AT(_a, 1) ELSE {name}(FILTER(_a, e -> NOT ISNAN(e))) END", _a=arr)
        return spark(f"CASE WHEN EXISTS(_a, e -> e IS NULL) THEN NULL ELSE {name}(_a) END", _a=arr)
    return rewrite


def _nested_extreme(name: str, arr: exp.Expression, element: exp.DataType) -> exp.Expression:
    """array_min / array_max of arrays or rows: NULL with a NULL element; Trino refuses to
    order NULL parts.  It passes over an element holding NaN, as over a NaN: done for a
    one-field row or a one-element array, refused for others (and for NaN only)."""
    e = exp.column("__m")
    nested = (exp.DType.ARRAY, exp.DType.MAP, exp.DType.STRUCT)
    if element.this == exp.DType.STRUCT:
        fields = equality.row_fields(element)
        single = exp.true() if len(fields) == 1 and fields[0][1] is not None and fields[0][1].this not in nested \
            else exp.false()
    else:
        inner = equality.element(element)
        single = spark("SIZE(__m) = 1") if inner is not None and inner.this not in nested else exp.false()
    refuse = (f"RAISE_ERROR('NOT_SUPPORTED: {name.lower()} of arrays or rows with NULL or NaN parts is not "
              "supported on the Spark engine')")
    return spark(f"CASE WHEN EXISTS(_a, __m -> __m IS NULL) THEN NULL WHEN EXISTS(_a, __m -> _null) THEN {refuse} "
                 f"WHEN EXISTS(_a, __m -> _nan AND NOT _single) OR (SIZE(_a) > 0 AND FORALL(_a, __m -> _nan)) "
                 f"THEN {refuse} ELSE {name}(FILTER(_a, __m -> NOT _nan)) END", _a=arr,
                 _null=equality.holds_null(e, element), _nan=equality.holds_null(e.copy(), element, nan=True, null=False),
                 _single=single)


def _array_in(node: exp.In) -> exp.Expression | None:
    """x IN (arrays...) as Trino's ``=`` of each (Spark's IN finds NaN equal to NaN)."""
    x = node.this
    if node.args.get("query") or not node.expressions or not is_type(x, exp.DType.ARRAY):
        return None
    tests = []
    for item in node.expressions:
        eq = exp.EQ(this=x.copy(), expression=item.copy())
        eq.this.type, eq.expression.type = x.type, item.type
        tests.append(equality.comparison(eq) or eq)
    return exp.Paren(this=exp.or_(*tests))


def _map_from_entries(node: exp.MapFromEntries) -> exp.Expression:
    """A NULL entry fails in Trino (Spark: a NULL map)."""
    unknown = maps.unknown_entries(node, node.this)
    if unknown is not None:
        return unknown
    return spark("CASE WHEN EXISTS(_a, e -> e IS NULL) THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: map entry "
                 "cannot be null') ELSE MAP_FROM_ENTRIES(_a) END", _a=node.this)


def _constructor(node: exp.Array) -> None:
    check_array_elements(len(node.expressions), *position(node))
    return None


def _sequence(node: exp.Expression) -> exp.Expression:
    """Trino fails on a zero step and past SEQUENCE_LIMIT elements (Spark: an internal error
    for the first, the whole array for the second)."""
    if isinstance(node, exp.Anonymous):
        args = node.expressions
    else:
        args = [node.args.get("start"), node.args.get("end")] + ([node.args["step"]] if node.args.get("step") else [])
    if len(args) != 2 and not (len(args) == 3 and is_type(args[0], *INTEGERS)):
        if len(args) == 3:
            return _temporal_sequence(node, *args)
        return _call("SEQUENCE", *args)
    if not is_type(args[0], *INTEGERS):
        if len(args) == 2 and is_type(args[0], exp.DType.DATE):    # a day apart: Trino's limit holds
            return spark(f"CASE WHEN ABS(DATEDIFF(_b, _a)) + 1 > {SEQUENCE_LIMIT} THEN RAISE_ERROR("
                         f"'INVALID_FUNCTION_ARGUMENT: result of sequence function must not have more than "
                         f"{SEQUENCE_LIMIT} entries') ELSE SEQUENCE(_a, _b) END", _a=args[0], _b=args[1])
        return _call("SEQUENCE", *args)
    start, stop = args[0], args[1]
    step = args[2] if len(args) == 3 else spark("CASE WHEN _a <= _b THEN 1 ELSE -1 END", _a=start, _b=stop)
    out = spark(
        "CASE WHEN _s = 0 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: step must not be zero') "
        "WHEN (_s > 0 AND _a > _b) OR (_s < 0 AND _a < _b) THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: "
        "sequence stop value should be greater than or equal to start value if step is greater than zero "
        "otherwise stop should be less than or equal to start') "
        # more than the limit: (b - a) / s >= limit, exact in decimals (b - a may pass bigint's range)
        "WHEN CASE WHEN _s > 0 THEN CAST(_b AS DECIMAL(20, 0)) - CAST(_a AS DECIMAL(20, 0)) >= "
        f"CAST(_s AS DECIMAL(20, 0)) * {SEQUENCE_LIMIT} ELSE CAST(_b AS DECIMAL(20, 0)) - CAST(_a AS DECIMAL(20, 0)) <= "
        f"CAST(_s AS DECIMAL(20, 0)) * {SEQUENCE_LIMIT} END THEN RAISE_ERROR("
        f"'INVALID_FUNCTION_ARGUMENT: result of sequence function must not have more than {SEQUENCE_LIMIT} "
        "entries') ELSE SEQUENCE(CAST(_a AS BIGINT), CAST(_b AS BIGINT), CAST(_s AS BIGINT)) END",
        _a=start, _b=stop, _s=step)
    out.type = exp.DataType.build("ARRAY<BIGINT>")
    out.meta["trino_typed"] = True
    return out


_DAY_MICROS = 86400 * 10 ** 6


def _interval_literal(step: exp.Expression) -> tuple[int | None, int | None]:
    """(microseconds, months) of an interval literal as ``intervals`` writes it
    ('-1 02:03:04.500' DAY TO SECOND, '-1-2' YEAR TO MONTH); (None, None) for another step."""
    if not isinstance(step, exp.Interval) or not isinstance(step.this, exp.Literal):
        return None, None
    text, unit = step.this.name.strip(), step.unit
    span = (unit.this.name.upper(), unit.expression.name.upper()) if isinstance(unit, exp.IntervalSpan) else ()
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    try:
        if span == ("DAY", "SECOND"):
            days, _, clock = body.partition(" ")
            h, m, sec = clock.split(":")
            whole, _, frac = sec.partition(".")
            micros = ((int(days) * 24 + int(h)) * 60 + int(m)) * 60 + int(whole)
            return sign * (micros * 10 ** 6 + int((frac + "000000")[:6])), None
        if span == ("YEAR", "MONTH"):
            years, _, months = body.partition("-")
            return None, sign * (int(years) * 12 + int(months))
    except ValueError:
        pass
    return None, None


_STEP_DIRECTION = ("RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: sequence stop value should be greater than or equal to "
                   "start value if step is greater than zero otherwise stop should be less than or equal to start')")
_TOO_MANY = (f"RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: result of sequence function must not have more than "
             f"{SEQUENCE_LIMIT} entries')")


def _temporal_sequence(node: exp.Expression, start: exp.Expression, stop: exp.Expression,
                       step: exp.Expression) -> exp.Expression:
    """sequence(date or timestamp, ..., interval literal): Spark's SEQUENCE (each entry start
    + i * step, as Trino's) with Trino's checks: a step toward stop, at most SEQUENCE_LIMIT
    entries, a whole number of days between dates."""
    micros, months = _interval_literal(step)
    dates = is_type(start, exp.DType.DATE) and is_type(stop, exp.DType.DATE)
    if micros is None and months is None or not (
            dates or is_type(start, exp.DType.TIMESTAMP) and is_type(stop, exp.DType.TIMESTAMP)):
        raise not_supported(node, "Function 'sequence' with this step is not supported on the Spark engine")
    n = micros if micros is not None else months
    if n == 0:
        return spark("RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: step must not be zero')")
    if micros is not None:
        if dates and micros % _DAY_MICROS:
            return spark("RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: sequence step must be a day interval if start "
                         "and end values are dates')")
        span = "CAST(DATEDIFF(_b, _a) AS BIGINT) * 86400000000" if dates else "UNIX_MICROS(_b) - UNIX_MICROS(_a)"
        count = f"({span}) DIV {abs(micros)} + 1"
        if micros < 0:
            span = span.replace("_b", "_t").replace("_a", "_b").replace("_t", "_a")
            count = f"({span}) DIV {-micros} + 1"
        interval = f"MAKE_DT_INTERVAL(0, 0, 0, {micros} / 1000000.0)" if not dates else \
            f"INTERVAL '{micros // _DAY_MICROS}' DAY"
        checks = f"WHEN {count} > {SEQUENCE_LIMIT} THEN {_TOO_MANY} "
    else:
        span = "(YEAR(_b) - YEAR(_a)) * 12 + MONTH(_b) - MONTH(_a)"
        # a month's day and time may fall before or after: the count is known to within one
        if months < 0:
            span = span.replace("_b", "_t").replace("_a", "_b").replace("_t", "_a")
        count = f"({span}) DIV {abs(months)} + 1"
        interval = f"MAKE_YM_INTERVAL(0, {months})"
        checks = (f"WHEN {count} > {SEQUENCE_LIMIT + 1} THEN {_TOO_MANY} WHEN {count} >= {SEQUENCE_LIMIT} THEN "
                  "RAISE_ERROR('NOT_SUPPORTED: sequence near 10000 entries is not supported on the Spark engine') ")
    direction = "_b < _a" if n > 0 else "_b > _a"
    return spark(f"CASE WHEN {direction} THEN {_STEP_DIRECTION} {checks}ELSE SEQUENCE(_a, _b, {interval}) END",
                 _a=start, _b=stop)


def _bitwise(operator: str) -> Rewrite:
    def rewrite(node: exp.Expression) -> exp.Expression:
        args = node.expressions if isinstance(node, exp.Anonymous) else [node.this, node.expression]
        a, b = (exp.Cast(this=x, to=exp.DataType.build("BIGINT")) for x in args)
        return spark(f"_a {operator} _b", _a=a, _b=b)
    return rewrite


def _bitwise_not(node: exp.Expression) -> exp.Expression:
    x = node.expressions[0] if isinstance(node, exp.Anonymous) else node.this
    return spark("~ CAST(_x AS BIGINT)", _x=x)


# --------------------------------------------------------------------------------------
# What Trino refuses and Spark would coerce
# --------------------------------------------------------------------------------------

_TEXT = (exp.DType.VARCHAR, exp.DType.CHAR, exp.DType.TEXT)
_TIMES = {exp.DType.TIMESTAMP: "timestamp", exp.DType.TIMESTAMPTZ: "timestamp with time zone",
          exp.DType.DATE: "date"}


def _text_function(name: str) -> Rewrite:
    """A string function given a number is FUNCTION_NOT_FOUND in Trino (Spark casts it)."""
    def check(node: exp.Expression) -> None:
        typ = node.this.type
        if typ is not None and typ.this in INTEGER_WIDTH or is_type(node.this, *REALS):
            raise FunctionNotFound(f"Unexpected parameters ({type_name(typ)}) for function {name}")
        return None
    return check


def _not_empty(what: str, arg: str) -> Rewrite:
    """lpad/rpad with an empty padding, split with an empty delimiter: INVALID_FUNCTION_ARGUMENT."""
    def check(node: exp.Expression) -> None:
        if string_literal(node.args.get(arg)) == "":
            raise InvalidFunctionArgument(f"{what} must not be empty")
        return None
    return check


def _numeric_aggregate(name: str) -> Rewrite:
    def check(node: exp.Expression) -> None:
        if is_type(node.this, *_TEXT):
            raise FunctionNotFound(f"Unexpected parameters (varchar) for function {name}")
        return None
    return check


def _localtimestamp(node: exp.Localtimestamp) -> exp.Expression:
    """localtimestamp(p): the query's start in the session zone (UTC: ``SPARK_CONF``), cast
    to timestamp(p) as Trino's (rounded half up; Spark's clock keeps microseconds)."""
    p = precision(node.type)
    now = exp.Cast(this=call_now(), to=exp.DataType.build("TIMESTAMP"))
    if p > 6:
        return nano_timestamps.make(now, 0)
    unit = 10 ** (6 - p)
    return now if unit == 1 else spark(f"TIMESTAMP_MICROS(CAST(ROUND(UNIX_MICROS(_t) / {unit}) * {unit} AS BIGINT))",
                                       _t=now)


def call_now() -> exp.Expression:
    return _call("CURRENT_TIMESTAMP")


def _numeric_function(name: str) -> Rewrite:
    """abs, sign, sqrt, ... of text are FUNCTION_NOT_FOUND in Trino (Spark casts the text
    to a double, and fails on text that is no number with a cast error)."""
    def check(node: exp.Expression) -> None:
        if is_type(node.this, *_TEXT):
            raise FunctionNotFound(f"Unexpected parameters ({type_name(node.this.type)}) for function {name}",
                                   *position(node))
        return None
    return check


def _comparison(node: exp.Binary) -> None:
    """Text against a date or timestamp is TYPE_MISMATCH in Trino (Spark casts the text)."""
    for a, b in ((node.left, node.right), (node.right, node.left)):
        if is_type(a, *_TEXT) and isinstance(a, (exp.Column, exp.Literal)) and is_type(b, *_TIMES):
            names = ["varchar", _TIMES[exp.DType.TIMESTAMPTZ if b.meta.get("zoned_instant") else b.type.this]]
            left, right = names if a is node.left else names[::-1]
            raise TypeMismatch(f"Cannot apply operator: {left} and {right}")
    return comparisons.PORTABLE_REWRITES[type(node)](node)


# --------------------------------------------------------------------------------------
# try
# --------------------------------------------------------------------------------------

_INTEGER_BYTES = {exp.DType.TINYINT: 1, exp.DType.SMALLINT: 2, exp.DType.INT: 4, exp.DType.BIGINT: 8}
_TRY_ARITHMETIC = {exp.Add: "TRY_ADD", exp.Sub: "TRY_SUBTRACT", exp.Mul: "TRY_MULTIPLY"}


def _refusal(raise_error: exp.Anonymous) -> bool:
    """RAISE_ERROR('NOT_SUPPORTED: ...'): a refusal, which try() lets through as Trino
    would its answer, never as NULL."""
    message = raise_error.expressions[0] if raise_error.expressions else None
    return isinstance(message, exp.Literal) and message.name.startswith("NOT_SUPPORTED: ")


def _try(node: exp.Try) -> exp.Expression:
    """try(x): NULL where x fails on division by zero, a bad cast, an overflow or a subscript
    outside the array (Spark has no general try: each failing operation is made NULL-safe;
    anything else that can fail inside is refused)."""
    x = node.this
    while True:     # a family's own NULL-for-failure forms (ipaddress's), outermost first
        inner = next((n for n in x.walk() if n.meta.get("try_form") is not None), None)
        if inner is None:
            break
        form = inner.meta.pop("try_form")
        if inner is x:
            x = form
        else:
            inner.replace(form)
    for inner in list(x.walk()):
        if isinstance(inner, exp.Anonymous) and inner.name.upper() == "RAISE_ERROR" and not _refusal(inner) \
                and not inner.meta.get("try_passes"):
            raise not_supported(node, "try() around this expression is not supported on the Spark engine")
    for inner in reversed(list(x.walk())):
        new = None
        if type(inner) is exp.Cast:
            new = exp.TryCast(this=inner.this, to=inner.to, safe=True)
        elif isinstance(inner, (exp.IntDiv, exp.Div, exp.Mod)):
            new = type(inner)(this=inner.this, expression=exp.Nullif(this=inner.expression,
                                                                    expression=exp.Literal.number(0)))
        elif type(inner) in _TRY_ARITHMETIC and (is_type(inner, *INTEGERS) or is_type(inner, exp.DType.DECIMAL)):
            new = _call(_TRY_ARITHMETIC[type(inner)], inner.this, inner.expression)
        elif isinstance(inner, exp.Anonymous) and inner.name.upper() == "ELEMENT_AT":
            new = _call("TRY_ELEMENT_AT", *inner.expressions)
        elif isinstance(inner, (exp.Abs, exp.Neg)) and inner.type is not None and inner.type.this in INTEGER_WIDTH:
            # abs and - of the type's least value overflow (NUMERIC_VALUE_OUT_OF_RANGE): NULL
            largest = 2 ** (8 * _INTEGER_BYTES[inner.type.this] - 1) - 1
            new = spark(f"CASE WHEN _x < -{largest} THEN NULL ELSE _v END", _x=inner.this, _v=inner.copy())
        if new is not None:
            if inner is x:
                x = new
            else:
                inner.replace(new)
    return x


# --------------------------------------------------------------------------------------
# typeof
# --------------------------------------------------------------------------------------


def _typeof(node: exp.Expression) -> exp.Expression:
    x = node.this if isinstance(node, exp.Typeof) else node.expressions[0]
    name = typeof_name(node, x)
    if name is None:
        raise not_supported(node, "Function 'typeof' of an expression whose Trino type is not known is not "
                                  "supported on the Spark engine")
    return exp.Literal.string(name)


# --------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------

_OWN_CLASS_REWRITES: dict[type[exp.Expression], Rewrite] = {
    exp.Div: _division,
    exp.Cast: _cast,
    exp.TryCast: _cast,
    exp.Trim: _trim,
    exp.ArrayAgg: _array_agg,
    exp.ArrayAny: _match("any"),
    exp.ArrayAll: _match("all"),
    exp.AnyValue: _arbitrary,
    exp.ApproxDistinct: _approx_distinct,
    exp.DayOfWeek: _day_of_week,
    exp.DayOfWeekIso: _day_of_week,
    exp.TimeToUnix: _to_unixtime,
    exp.Extract: _extract,
    exp.Round: _round,
    exp.Bracket: _subscript,
    exp.ArrayMin: _array_extreme("ARRAY_MIN"),
    exp.ArrayMax: _array_extreme("ARRAY_MAX"),
    exp.GenerateSeries: _sequence,
    exp.GenerateDateArray: _sequence,
    exp.BitwiseAnd: _bitwise("&"),
    exp.BitwiseOr: _bitwise("|"),
    exp.BitwiseXor: _bitwise("^"),
    exp.BitwiseNot: _bitwise_not,
    exp.Typeof: _typeof,
    exp.Localtimestamp: _localtimestamp,
    exp.Try: _try,
    exp.MapFromEntries: _map_from_entries,
    **comparisons.PORTABLE_REWRITES,
    exp.In: lambda node: _first(comparisons.PORTABLE_REWRITES[exp.In], _array_in)(node),
    exp.Array: lambda node: _constructor(node) or comparisons.PORTABLE_REWRITES[exp.Array](node),
    **{cls: _comparison for cls in (exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE)},
    exp.Length: _text_function("length"),
    exp.Substring: _text_function("substr"),
    exp.Upper: _text_function("upper"),
    exp.Lower: _text_function("lower"),
    exp.Pad: _not_empty("Padding string", "fill_pattern"),
    exp.Sum: _numeric_aggregate("sum"),
    exp.Avg: _numeric_aggregate("avg"),
}

_OWN_ANONYMOUS_REWRITES: dict[str, Rewrite] = {
    "ltrim": _anonymous_trim("LEADING"),
    "rtrim": _anonymous_trim("TRAILING"),
    "any_match": _match("any"),
    "all_match": _match("all"),
    "none_match": _match("none"),
    "arbitrary": lambda node: _call("ANY_VALUE", node.expressions[0], exp.true()),
    "infinity": _constant("CAST('Infinity' AS DOUBLE)"),
    "nan": _constant("CAST('NaN' AS DOUBLE)"),
    "to_unixtime": _to_unixtime,
    "day_of_week": lambda node: spark("WEEKDAY(_d) + 1", _d=node.expressions[0]),
    "dow": lambda node: spark("WEEKDAY(_d) + 1", _d=node.expressions[0]),
    "millisecond": _millisecond,
    "typeof": _typeof,
    "try": _try,
    "sequence": _sequence,
    "array_min": _array_extreme("ARRAY_MIN"),
    "array_max": _array_extreme("ARRAY_MAX"),
    "bitwise_and": _bitwise("&"),
    "bitwise_or": _bitwise("|"),
    "bitwise_xor": _bitwise("^"),
    "bitwise_not": _bitwise_not,
}


def _first(*rewrites: Rewrite) -> Rewrite:
    """The first of several families' rewrites of one node that changes it."""
    def rewrite(node: exp.Expression) -> exp.Expression | None:
        for r in rewrites:
            new = r(node)
            if new is not None and new is not node:
                return new
        return None
    return rewrite


def _merged(*tables: dict) -> dict:
    """Families' rewrite tables as one: where two rewrite one node, the earlier family's
    comes first (the more specific one: intervals before arithmetic)."""
    by_key: dict = {}
    for table in tables:
        for key, rewrite in table.items():
            by_key.setdefault(key, []).append(rewrite)
    return {key: rs[0] if len(rs) == 1 else _first(*rs) for key, rs in by_key.items()}


# The families, most specific first; after this module's own (their checks first), the
# families that write a call's whole Spark SQL.
_FAMILIES = (sql_json, json_type, json_arrays, rows, conditions, ipaddress, nano_timestamps, nano_arrays, timetz,
             zoned, times, clocks, intervals, chars, date_formats, joda_formats, joda_parsing, dates, numbers, regex,
             arrays, aggregates)
_LAST_FAMILIES = (strings, urls, bitwise, binary, maps, lambdas, json, formatting, data_sizes, colors, durations,
                  statistics, python_functions)
# Checks that refuse a call as Trino does, before any family rewrites it.
_CHECKS: dict[type[exp.Expression], Rewrite] = {
    cls: _numeric_function(name) for cls, name in (
        (exp.Abs, "abs"), (exp.Sign, "sign"), (exp.Sqrt, "sqrt"), (exp.Cbrt, "cbrt"), (exp.Ceil, "ceiling"),
        (exp.Floor, "floor"), (exp.Exp, "exp"), (exp.Ln, "ln"))}
CLASS_REWRITES: dict[type[exp.Expression], Rewrite] = _merged(
    _CHECKS, *(f.CLASS_REWRITES for f in _FAMILIES), _OWN_CLASS_REWRITES, *(f.CLASS_REWRITES for f in _LAST_FAMILIES))
ANONYMOUS_REWRITES: dict[str, Rewrite] = _merged(
    *(f.ANONYMOUS_REWRITES for f in _FAMILIES), _OWN_ANONYMOUS_REWRITES,
    *(f.ANONYMOUS_REWRITES for f in _LAST_FAMILIES))


@functools.lru_cache(maxsize=None)
def _trino_names_by_class() -> dict[type[exp.Expression], frozenset[str]]:
    by_class: dict[type[exp.Expression], set[str]] = {}
    for name, cls in _classes_by_name().items():
        by_class.setdefault(cls, set()).add(name)
    return {cls: frozenset(names) for cls, names in by_class.items()}


def rewrite_for(node: exp.Expression) -> Rewrite | None:
    """The rewrite for a node: a family's, a refusal for a Trino function Spark does not
    run with Trino's answers, or None (SQLGlot's spark dialect keeps it as it is)."""
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name in ANONYMOUS_REWRITES and name in SPARK_FUNCTIONS:
            return ANONYMOUS_REWRITES[name]
        if name in TRINO_FUNCTIONS and name not in SPARK_FUNCTIONS:
            return _unsupported
        return None
    names = _trino_names_by_class().get(type(node))
    if names is not None and not (names & SPARK_FUNCTIONS):
        return _unsupported
    return CLASS_REWRITES.get(type(node))


def _unsupported(node: exp.Expression) -> exp.Expression:
    names = _trino_names_by_class().get(type(node))
    name = function_name(node) if isinstance(node, exp.Anonymous) or not names else sorted(names)[0]
    raise not_supported(node, f"Function '{name}' is not supported on the Spark engine")
