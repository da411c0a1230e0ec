"""Trino's number functions on Spark where Spark's own answer differs.

- ``ceil``/``floor`` of a DOUBLE or REAL keep its type (Spark: BIGINT).
- ``ln``/``log10``/``log2``/``log(b, x)``: -Infinity at 0, NaN below (Spark: NULL);
  ``log10``/``log2`` as Spark's own (SQLGlot's ``LOG(10, x)`` gives 2.9999999999999996
  for ``log10(1000)``).
- ``truncate(x)`` toward zero keeping a float's type, a decimal's integer digits;
  ``truncate(decimal, n)`` with a constant n.
- ``width_bucket(x, bound1, bound2, n)`` (Spark's, with Trino's errors for n <= 0,
  NaN and equal bounds) and ``width_bucket(x, bins)`` (sorted bins without NULL).
- ``width_bucket``'s bounds must be finite (Spark: NULL).
- ``greatest``/``least``: at most 127 arguments, NULL if any argument is NULL (Spark
  skips NULLs), NaN counted only when every argument is NaN (Spark orders it above all).
- ``round`` of a float is Trino's ``Math.round(|x| * 10^d) / 10^d`` with x's sign
  (``round(-0.3E0)`` is -0.0; Spark: 0.0); of an integer to more than 18 places
  left of the point, NUMERIC_VALUE_OUT_OF_RANGE (Trino's 10^d overflows; Spark: 0).
- ``is_nan(NULL)`` is NULL (Spark: false).  ``random(n)`` is an integer below n, of n's
  type (Spark's argument is a seed); ``random(m, n)`` is refused.
- ``from_base``/``to_base`` (bases 2 to 36, a ``-`` sign), ``is_finite``,
  ``is_infinite``.
- A number and text in arithmetic are TYPE_MISMATCH (Spark casts the text).
- ``-decimal`` keeps its 38 digits; a float modulo zero is NaN; a decimal quotient
  of more than 36 fractional digits is refused (Spark keeps fewer).
- CAST to VARCHAR(n) cuts text to n characters and fails for a longer number.
- CAST to DECIMAL that does not fit, or of NaN and infinities, is
  INVALID_CAST_ARGUMENT (Spark: NUMERIC_VALUE_OUT_OF_RANGE, or NULL for NaN).
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import TypeMismatch, check_argument_count
from ...sql.trino import position
from ...sql.trino.nodes import FLOATS, INTEGERS, int_literal, is_type, not_supported
from ...sql.trino.typing import decimal_ps, is_typed_literal, type_name
from .templates import call, spark

DType = exp.DType


def _float_kept(node: exp.Expression) -> exp.Expression | None:
    x = node.this
    if not is_type(x, *FLOATS) or node.args.get("decimals") is not None:
        return None
    name = "CEIL" if isinstance(node, exp.Ceil) else "FLOOR"
    out = spark(f"CASE WHEN ISNAN(_x) OR ABS(_x) >= 4503599627370496 THEN _x ELSE CAST({name}(_x) AS "
                f"{'FLOAT' if is_type(x, DType.FLOAT) else 'DOUBLE'}) END", _x=x)
    return out


def _guarded(name: str, x: exp.Expression) -> exp.Expression:
    # the call as Spark's own: SQLGlot would read LOG10(x) back as LOG(10, x)
    return spark("CASE WHEN _x = 0 THEN CAST('-Infinity' AS DOUBLE) WHEN _x < 0 THEN CAST('NaN' AS DOUBLE) "
                 "ELSE _v END", _x=x, _v=call(name, x))


def _log(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Ln):
        return _guarded("LN", node.this)
    base, x = node.this, node.expression
    if x is None:                         # log(x): SQLGlot's natural log
        return _guarded("LN", node.this)
    b = int_literal(base)
    if b in (10, 2):
        return _guarded(f"LOG{b}", x)
    return spark("CASE WHEN _b = 0 THEN CASE WHEN _a > 0 THEN CAST('Infinity' AS DOUBLE) WHEN _a < 0 THEN "
                 "CAST('-Infinity' AS DOUBLE) ELSE CAST('NaN' AS DOUBLE) END ELSE _a / _b END",
                 _a=_guarded("LN", x), _b=_guarded("LN", base))


def _truncate(node: exp.Trunc) -> exp.Expression:
    x, digits = node.this, node.args.get("decimals")
    if is_type(x, *FLOATS):
        if digits is not None:
            raise not_supported(node, "Function 'truncate' of a float to digits is not supported on the "
                                      "Spark engine")
        out = spark("CASE WHEN ISNAN(_x) OR ABS(_x) = CAST('Infinity' AS DOUBLE) THEN _x ELSE _x - _x % 1 END",
                    _x=x)
        return exp.Cast(this=out, to=exp.DataType.build("FLOAT")) if is_type(x, DType.FLOAT) else out
    if is_type(x, *INTEGERS) and digits is None:
        return x
    if isinstance(x, exp.Null):         # truncate(NULL): of decimal(1, 0)
        return exp.Cast(this=exp.Null(), to=exp.DataType.build("DECIMAL(1, 0)"))
    ps = decimal_ps(x.type)
    if ps is None:
        raise not_supported(node, "Function 'truncate' of this value is not supported on the Spark engine")
    n = 0 if digits is None else int_literal(digits)
    if n is None:        # one branch a number of digits that changes the value
        return _by_digits(digits, x, ps, range(-(ps[0] - ps[1]), ps[1]), lambda k: _truncated(x, ps, k))
    return _truncated(x, ps, n)


def _truncated(x: exp.Expression, ps: tuple[int, int], n: int) -> exp.Expression:
    if n >= ps[1]:
        return x
    unit = "0." + "0" * (n - 1) + "1" if n > 0 else "1" + "0" * -n
    return spark(f"_x - _x % CAST('{unit}' AS DECIMAL({len(unit.replace('.', '')) + 1}, {max(n, 0)}))", _x=x)


def _by_digits(digits: exp.Expression, x: exp.Expression, ps: tuple[int, int], changing: range,
               branch, result: tuple[int, int] | None = None) -> exp.Expression:
    """A decimal rounded or truncated to a number of digits given as the query runs: a
    branch for each number that changes it (Spark's ROUND takes a constant), `x` itself
    for more digits than its scale, 0 for fewer than its integer digits; of Trino's type
    `result` (default: x's)."""
    p, s = result or ps
    typ = exp.DataType.build(f"DECIMAL({p}, {s})")
    ifs = [exp.If(this=exp.EQ(this=digits.copy(), expression=exp.Literal.number(k)),
                  true=exp.Cast(this=branch(k), to=typ.copy())) for k in changing]
    ifs.insert(0, exp.If(this=exp.GTE(this=digits.copy(), expression=exp.Literal.number(changing.stop)),
                         true=exp.Cast(this=x.copy(), to=typ.copy())))
    zero = spark("CASE WHEN _x IS NULL THEN NULL ELSE 0 END", _x=x)
    return exp.Case(ifs=ifs, default=spark("CASE WHEN _d IS NULL THEN NULL ELSE _z END", _d=digits,
                                           _z=exp.Cast(this=zero, to=typ.copy())))


def _width_bucket(node: exp.WidthBucket) -> exp.Expression:
    x = node.this
    low, high, n = node.args.get("min_value"), node.args.get("max_value"), node.args.get("num_buckets")
    if high is None and is_type(low, DType.ARRAY):      # width_bucket(x, bins)
        bins = low
        return spark("CASE WHEN EXISTS(_b, e -> e IS NULL) THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: Bin "
                     "values cannot be NULL') WHEN _b <> ARRAY_SORT(_b) THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: "
                     "Bin values are not sorted in ascending order') ELSE CAST(SIZE(FILTER(_b, e -> e <= _x)) AS "
                     "BIGINT) END", _b=bins, _x=x)
    return spark("CASE WHEN _n <= 0 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: bucketCount must be greater "
                 "than 0') WHEN ISNAN(CAST(_x AS DOUBLE)) THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: operand "
                 "must not be NaN') WHEN ISNAN(CAST(_l AS DOUBLE)) OR ABS(CAST(_l AS DOUBLE)) = CAST('Infinity' AS DOUBLE) "
                 "THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: first bound must be finite') "
                 "WHEN ISNAN(CAST(_h AS DOUBLE)) OR ABS(CAST(_h AS DOUBLE)) = CAST('Infinity' AS DOUBLE) "
                 "THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: second bound must be finite') WHEN _l = _h THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: bounds cannot equal "
                 "each other') ELSE CAST(WIDTH_BUCKET(_x, _l, _h, _n) AS BIGINT) END", _x=x, _l=low, _h=high, _n=n)


def _extremum(node: exp.Greatest | exp.Least) -> exp.Expression:
    """greatest / least as Trino: NULL if any argument is; of floats, NaN only if all are."""
    values = [node.this, *node.expressions]
    name = "GREATEST" if isinstance(node, exp.Greatest) else "LEAST"
    check_argument_count(name.lower(), len(values), *position(node))
    if len(values) == 1:                # Spark's GREATEST takes two or more
        return values[0]
    floats = [is_type(v, *FLOATS) for v in values]
    picked = call(name, *(spark("CASE WHEN ISNAN(_v) THEN NULL ELSE _v END", _v=v) if f else v
                          for v, f in zip(values, floats)))
    if any(floats):     # every argument NaN: the first is that NaN
        picked = exp.Coalesce(this=picked, expressions=[values[0]])
    anynull = exp.or_(*(exp.Is(this=exp.Paren(this=v), expression=exp.Null()) for v in values))
    return exp.Case(ifs=[exp.If(this=anynull, true=exp.Null())], default=picked)


_LONG_MAX = "9.223372036854775807E18"     # Java's Math.round saturates at Long.MAX_VALUE


def _round(node: exp.Round) -> exp.Expression | None:
    """round(float, d) as Trino computes it; round(integer, d < -18) overflows in Trino."""
    x, digits = node.this, node.args.get("decimals")
    d = 0 if digits is None else int_literal(digits)
    if d is None:
        return _round_by(node, x, digits)
    if is_type(x, *INTEGERS) and d < -18:
        return spark("CASE WHEN _x IS NULL THEN NULL ELSE RAISE_ERROR(CONCAT('NUMERIC_VALUE_OUT_OF_RANGE: "
                     "numerical overflow: ', CAST(_x AS STRING))) END", _x=x)
    if not is_type(x, *FLOATS):
        return None
    if abs(d) > 300:
        raise not_supported(node, "Function 'round' of a float to more than 300 places is not supported on the "
                                  "Spark engine")
    y = exp.Cast(this=x, to=exp.DataType.build("DOUBLE"))
    out = spark(f"CASE WHEN _y IS NULL THEN NULL WHEN ISNAN(_y) OR ABS(_y) = CAST('Infinity' AS DOUBLE) THEN _y "
                f"WHEN _y < 0 THEN -(LEAST(ROUND(-_y * POW(10, {d}), 0), {_LONG_MAX}) / POW(10, {d})) "
                f"ELSE LEAST(ROUND(_y * POW(10, {d}), 0), {_LONG_MAX}) / POW(10, {d}) END", _y=y)
    return exp.Cast(this=out, to=exp.DataType.build("FLOAT")) if is_type(x, DType.FLOAT) else out


def _round_by(node: exp.Round, x: exp.Expression, digits: exp.Expression) -> exp.Expression:
    """round(x, d) with d given as the query runs: of a float Trino's formula with 10^d; of
    an integer or a decimal a branch for each d that changes it (Spark's ROUND takes a
    constant)."""
    if is_type(x, *FLOATS):
        y = exp.Cast(this=x, to=exp.DataType.build("DOUBLE"))
        out = spark("CASE WHEN _y IS NULL OR _d IS NULL THEN NULL WHEN ISNAN(_y) OR ABS(_y) = CAST('Infinity' AS "
                    "DOUBLE) THEN _y WHEN ABS(_d) > 300 THEN _x "
                    f"WHEN _y < 0 THEN -(LEAST(ROUND(-_y * POW(10, _d), 0), {_LONG_MAX}) / POW(10, _d)) "
                    f"ELSE LEAST(ROUND(_y * POW(10, _d), 0), {_LONG_MAX}) / POW(10, _d) END", _y=y, _d=digits,
                    _x=call("RAISE_ERROR", exp.Literal.string("NOT_SUPPORTED: Function 'round' of a float to more "
                                                              "than 300 places is not supported on the Spark engine")))
        return exp.Cast(this=out, to=exp.DataType.build("FLOAT")) if is_type(x, DType.FLOAT) else out
    if is_type(x, *INTEGERS):
        typ = x.type.copy()
        ifs = [exp.If(this=exp.EQ(this=digits.copy(), expression=exp.Literal.number(k)),
                      true=exp.Cast(this=exp.Round(this=x.copy(), decimals=exp.Literal.number(k)), to=typ.copy()))
               for k in range(-1, -19, -1)]
        return spark("CASE WHEN _d IS NULL THEN NULL WHEN _d >= 0 THEN _x WHEN _d < -18 THEN CASE WHEN _x IS NULL "
                     "THEN NULL ELSE RAISE_ERROR(CONCAT('NUMERIC_VALUE_OUT_OF_RANGE: numerical overflow: ', "
                     "CAST(_x AS STRING))) END ELSE _r END", _d=digits, _x=x,
                     _r=exp.Cast(this=exp.Case(ifs=ifs), to=typ.copy()))
    ps, result = decimal_ps(x.type) if is_type(x, DType.DECIMAL) else None, decimal_ps(node.type)
    if ps is None or result is None:
        raise not_supported(node, "Function 'round' of this value with a number of digits that is not a constant "
                                  "is not supported on the Spark engine")
    return _by_digits(digits, x, ps, range(-(ps[0] - ps[1]) - 1, ps[1]),
                      lambda k: exp.Round(this=x.copy(), decimals=exp.Literal.number(k)), result)


def _sign(node: exp.Sign) -> exp.Expression | None:
    """sign(real) is a real (Spark: DOUBLE)."""
    if is_type(node.this, DType.FLOAT):
        return exp.Cast(this=exp.Sign(this=node.this), to=exp.DataType.build("FLOAT"))
    return None


def _is_nan(node: exp.IsNan) -> exp.Expression:
    return spark("CASE WHEN _x IS NULL THEN CAST(NULL AS BOOLEAN) ELSE ISNAN(_x) END", _x=node.this)


def _random(node: exp.Rand) -> exp.Expression | None:
    """random(n) is an integer from 0 to n - 1 of n's type (Spark's RAND(n) is seeded by n);
    n of 0 or less is INVALID_FUNCTION_ARGUMENT.  random(m, n) is refused."""
    bound = node.this
    if bound is None:
        return None
    if node.args.get("lower") is not None or not is_type(bound, *INTEGERS):
        raise not_supported(node, "Function 'random' with a range is not supported on the Spark engine "
                                  "(Spark's argument is a seed)")
    # LEAST: a double product near a large bound may round up to the bound itself
    value = exp.Cast(this=spark("LEAST(FLOOR(RAND() * _n), _n - 1)", _n=bound), to=exp.DataType.build(bound.type.this))
    return spark("CASE WHEN _n <= 0 THEN RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: bound must be positive') "
                 "ELSE _v END", _n=bound, _v=value)


_BAD_BASE = "RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: Radix must be between 2 and 36')"


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _digits_of(n: int, base: int) -> int:
    count = 0
    while n:
        n, count = n // base, count + 1
    return count


# how many base-b digits 2**63 has (b = 2..36): a longer magnitude is out of range
_LONGEST = ", ".join(str(_digits_of(2**63, b)) for b in range(2, 37))
_NOT_VALID = "RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: Not a valid base-', CAST(_b AS STRING), ' number: ', _s))"


def _from_base(node: exp.Expression) -> exp.Expression:
    """Java's Long.parseLong(s, base), Trino's own reading (through Spark's reflect).
    Inside a lambda, where Spark cannot run reflect, the same reading in Spark SQL."""
    s, base = node.this, node.expression
    if node.find_ancestor(exp.Lambda) is not None:
        return _from_base_in_sql(s, base)
    return spark(
        f"CASE WHEN _s IS NULL OR _b IS NULL THEN CAST(NULL AS BIGINT) WHEN _b < 2 OR _b > 36 THEN {_BAD_BASE} "
        "ELSE COALESCE(CAST(TRY_REFLECT('java.lang.Long', 'parseLong', CAST(_s AS STRING), CAST(_b AS INT)) AS BIGINT), "
        "RAISE_ERROR(CONCAT('INVALID_FUNCTION_ARGUMENT: Not a valid base-', CAST(_b AS STRING), ' number: ', _s))) "
        "END", _s=s, _b=base)


def _from_base_in_sql(s: exp.Expression, base: exp.Expression) -> exp.Expression:
    """Long.parseLong in Spark SQL: an optional sign, then at least one of the base's
    digits (either case); the magnitude's digits summed in a DECIMAL(38,0) (at most as
    many as 2**63 has, so it cannot overflow), then checked against the bigint range.
    Java also reads non-ASCII digits (Unicode's, full-width letters): text that is not
    ASCII is refused at run time rather than read otherwise."""
    return spark(
        f"CASE WHEN _s IS NULL OR _b IS NULL THEN CAST(NULL AS BIGINT) WHEN _b < 2 OR _b > 36 THEN {_BAD_BASE} "
        "WHEN OCTET_LENGTH(_s) <> CHAR_LENGTH(_s) THEN RAISE_ERROR('NOT_SUPPORTED: from_base of text that is not "
        "ASCII inside a lambda is not supported on the Spark engine') "
        f"WHEN NOT LOWER(_s) RLIKE CONCAT('^[+-]?[', SUBSTR('{_DIGITS}', 1, CAST(_b AS INT)), ']+$') "
        f"OR CHAR_LENGTH(REGEXP_REPLACE(LOWER(_s), '^[+-]?0*', '')) > ELEMENT_AT(ARRAY({_LONGEST}), CAST(_b AS INT) - 1) "
        f"THEN {_NOT_VALID} "
        "ELSE CAST(_v AS BIGINT) END",
        _s=s, _b=base, _v=spark(
            "CASE WHEN _m > (CASE WHEN _s LIKE '-%' THEN 9223372036854775808 ELSE 9223372036854775807 END) "
            f"THEN {_NOT_VALID} WHEN _s LIKE '-%' THEN 0 - _m ELSE _m END", _s=s, _b=base, _m=spark(
                f"AGGREGATE(SPLIT(REGEXP_REPLACE(LOWER(_s), '^[+-]?0*', ''), ''), CAST(0 AS DECIMAL(38,0)), "
                f"(fb_n, fb_c) -> CAST(fb_n * _b + GREATEST(INSTR('{_DIGITS}', fb_c) - 1, 0) AS DECIMAL(38,0)))",
                _s=s, _b=base)))


def _to_base(node: exp.Anonymous) -> exp.Expression:
    x, base = node.expressions
    return spark(f"CASE WHEN _b < 2 OR _b > 36 THEN {_BAD_BASE} ELSE CONCAT(CASE WHEN _x < 0 THEN '-' ELSE '' END, "
                 "LOWER(CONV(CAST(ABS(CAST(_x AS BIGINT)) AS STRING), 10, _b))) END", _x=x, _b=base)


def _negate(node: exp.Neg) -> exp.Expression | None:
    """-decimal as 0 - decimal: Spark's unary minus of a 38-digit decimal loses its last digits.
    ``-9223372036854775808`` is a bigint literal in Trino (Spark: a decimal)."""
    if int_literal(node) == -2**63 and is_type(node, DType.BIGINT):
        return exp.Cast(this=exp.Literal.string(str(-2**63)), to=exp.DataType.build("BIGINT"))
    if is_type(node.this, DType.DECIMAL):
        return spark("0 - _x", _x=node.this)
    return None


def _float_mod(node: exp.Mod) -> exp.Expression | None:
    """A float modulo zero is NaN (Spark fails)."""
    if is_type(node.this, *FLOATS) or is_type(node.expression, *FLOATS):
        return spark("CASE WHEN _b = 0 THEN CAST('NaN' AS DOUBLE) ELSE _a % _b END", _a=node.this, _b=node.expression)
    return None


def _decimal_division(node: exp.Div) -> exp.Expression | None:
    """A decimal quotient of more than 36 fractional digits: Spark keeps fewer digits, so a
    value it finds is refused as the query runs (its overflow and division by zero are
    Trino's errors already)."""
    ps = decimal_ps(node.type)
    if ps is None or ps[1] <= 36:
        return None
    typ = f"DECIMAL({ps[0]}, {ps[1]})"
    return spark(f"CASE WHEN CAST(_q AS {typ}) IS NULL THEN CAST(NULL AS {typ}) ELSE RAISE_ERROR("
                 "'NOT_SUPPORTED: A decimal division with more than 36 fractional digits is not supported on the "
                 "Spark engine (Spark keeps fewer digits of the quotient)') END", _q=node.copy())


def float_text(x: exp.Expression) -> exp.Expression:
    """Trino's text of a double or real: scientific, its shortest digits (``37.7E0`` is
    '3.77E1', ``0E0`` '0E0'), from Java's (Spark's) text of it, which has the same digits,
    plain between 1e-3 and 1e7.  A real's text of 8 digits is rounded to 7, as Trino's
    (``REAL '12345678.9'`` is '1.234568E7'); where that cannot be kept, refused."""
    s = exp.Cast(this=x, to=exp.DataType.build("STRING"))
    m = spark("REGEXP_REPLACE(_s, '^-|E.*$', '')", _s=s)                      # int.frac
    ip = spark("SUBSTRING_INDEX(_m, '.', 1)", _m=m)
    digits = spark("CONCAT(_i, SUBSTRING_INDEX(_m, '.', -1))", _i=ip, _m=m)
    sig = spark("REGEXP_REPLACE(REGEXP_REPLACE(_d, '^0+', ''), '0+$', '')", _d=digits)
    power = spark("CASE WHEN _s LIKE '%E%' THEN CAST(SUBSTRING_INDEX(_s, 'E', -1) AS INT) ELSE 0 END "
                  "+ LENGTH(_i) - 1 - (LENGTH(_d) - LENGTH(REGEXP_REPLACE(_d, '^0+', '')))", _s=s, _i=ip, _d=digits)
    text = spark("CONCAT(CASE WHEN _s LIKE '-%' THEN '-' ELSE '' END, LEFT(_g, 1), '.', "
                 "CASE WHEN LENGTH(_g) > 1 THEN SUBSTRING(_g, 2) ELSE '0' END, 'E', CAST(_e AS STRING))",
                 _s=s, _g=sig, _e=power)
    too_long = ""
    if is_type(x, DType.FLOAT):
        # Trino formats a real's digits with DecimalFormat("0.0#####E0"): 8 rounded to 7 (half
        # even, on the double's exact value, so a last digit 5 is refused: that value is not
        # known here); 9 digits are refused (Java 17's Float.toString, Spark's, may print 9
        # where Trino's Java prints fewer)
        r = spark("CAST(ROUND(CAST(CONCAT('0.', _g) AS DECIMAL(12, 10)), 7) AS STRING)", _g=sig)
        rounded = spark("CONCAT(CASE WHEN _s LIKE '-%' THEN '-' ELSE '' END, CASE WHEN _r LIKE '1%' THEN '1.0' ELSE "
                        "CONCAT(SUBSTRING(_r, 3, 1), '.', COALESCE(NULLIF(REGEXP_REPLACE(SUBSTRING(_r, 4), '0+$', ''), "
                        "''), '0')) END, 'E', CAST(_e + CASE WHEN _r LIKE '1%' THEN 1 ELSE 0 END AS STRING))",
                        _s=s, _r=r, _e=power)
        too_long = spark("CASE WHEN LENGTH(_g) = 8 AND RIGHT(_g, 1) <> '5' THEN _o ELSE RAISE_ERROR('NOT_SUPPORTED: "
                         "CAST of this real to varchar is not supported on the Spark engine (Trino rounds its digits "
                         "to 7)') END", _g=sig, _o=rounded)
    return spark("CASE WHEN _s IS NULL THEN NULL WHEN _s IN ('NaN', 'Infinity', '-Infinity') THEN _s "
                 "WHEN CAST(_s AS DOUBLE) = 0 THEN CASE WHEN _s LIKE '-%' THEN '-0E0' ELSE '0E0' END "
                 + ("WHEN LENGTH(_g) > 7 THEN _l " if too_long else "") + "ELSE _t END", _s=s, _g=sig, _t=text,
                 **({"_l": too_long} if too_long else {}))


def _float_varchar_cast(node: exp.Cast) -> exp.Expression | None:
    """CAST(float AS VARCHAR) as Trino's text (``float_text``); of an array of floats, refused."""
    if type(node) is not exp.Cast:
        return None
    source = node.this.type
    if node.to.this == DType.ARRAY and source is not None \
            and any(d.this in FLOATS for d in source.find_all(exp.DataType)) \
            and any(d.this in (DType.VARCHAR, DType.TEXT) for d in node.to.find_all(exp.DataType)):
        raise not_supported(node, "CAST of an array of floats to an array of varchar is not supported on the "
                                  "Spark engine")
    if node.to.this not in (DType.VARCHAR, DType.TEXT):
        return None
    if not is_type(node.this, *FLOATS) or node.to.expressions:
        return None
    return float_text(node.this)


def _float_array_join(node: exp.ArrayToString) -> exp.Expression | None:
    """array_join of floats joins Trino's text of each (Spark's differs: ``float_text``)."""
    arr = node.this
    element = arr.type.expressions[0] if is_type(arr, DType.ARRAY) and arr.type.expressions else None
    if element is None or element.this not in FLOATS:
        return None
    e = exp.column("__f")
    e.type = element.copy()
    texts = spark("TRANSFORM(_a, __f -> _t)", _a=arr, _t=float_text(e))
    return exp.ArrayToString(this=texts, expression=node.expression, null=node.args.get("null"))


def varchar_cast(node: exp.Cast) -> exp.Expression | None:
    """CAST(x AS VARCHAR(n)): text is cut to n characters, other values whose text is longer
    fail (INVALID_CAST_ARGUMENT), as in Trino (Spark ignores n)."""
    n = int_literal(node.to.expressions[0].this) if node.to.this == DType.VARCHAR and node.to.expressions else None
    if n is None or type(node) is not exp.Cast:
        return None
    text = float_text(node.this) if is_type(node.this, *FLOATS) else \
        exp.Cast(this=node.this, to=exp.DataType.build("STRING"))
    if is_type(node.this, DType.VARCHAR, DType.CHAR, DType.TEXT):
        return call("SUBSTRING", text, exp.Literal.number(1), exp.Literal.number(n))
    return spark(f"CASE WHEN LENGTH(_t) > {n} THEN RAISE_ERROR(CONCAT('INVALID_CAST_ARGUMENT: Value ', _t, "
                 f"' cannot be represented as varchar({n})')) ELSE _t END", _t=text)


_TEXT = (DType.VARCHAR, DType.CHAR, DType.TEXT)
_OPERATORS = {exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/", exp.Mod: "%"}


def text_operand(node: exp.Binary) -> None:
    """A number and text in arithmetic: TYPE_MISMATCH in Trino (Spark casts the text)."""
    a, b = node.this, node.expression
    numbers = (*INTEGERS, DType.DECIMAL, *FLOATS)
    if is_type(a, *_TEXT) and is_type(b, *numbers) or is_type(b, *_TEXT) and is_type(a, *numbers):
        raise TypeMismatch(f"Cannot apply operator: {type_name(a.type)} {_OPERATORS[type(node)]} "
                           f"{type_name(b.type)}")
    return None


def _grouping(node: exp.Grouping) -> exp.Expression:
    """grouping() is an integer in Trino (Spark: TINYINT)."""
    return exp.Cast(this=node.copy(), to=exp.DataType.build("INT"))


def _is_finite(node: exp.Anonymous) -> exp.Expression:
    return spark("NOT ISNAN(CAST(_x AS DOUBLE)) AND ABS(CAST(_x AS DOUBLE)) <> CAST('Infinity' AS DOUBLE)",
                 _x=node.expressions[0])


def _is_infinite(node: exp.Anonymous) -> exp.Expression:
    return spark("ABS(CAST(_x AS DOUBLE)) = CAST('Infinity' AS DOUBLE)", _x=node.expressions[0])


def _widened(x: exp.Expression, to: exp.DataType) -> bool:
    """Whether decimal `x` fits `to` whatever its value (as many integer and fractional digits)."""
    source, target = decimal_ps(x.type) if is_type(x, DType.DECIMAL) else None, decimal_ps(to)
    return source is not None and target is not None and target[1] >= source[1] \
        and target[0] - target[1] >= source[0] - source[1]


def decimal_cast(node: exp.Cast) -> exp.Expression | None:
    """CAST(x AS DECIMAL(p, s)) that does not fit: INVALID_CAST_ARGUMENT, as in Trino.  A
    DECIMAL literal (checked at translation, its own type) and a decimal cast to one that
    holds all its values stay Spark's plain CAST (Spark refuses RAISE_ERROR inside VALUES)."""
    if type(node) is not exp.Cast or node.to.this != DType.DECIMAL or not node.to.expressions \
            or is_type(node.this, DType.DECIMAL) and node.this.type == node.to \
            or is_typed_literal(node) or _widened(node.this, node.to) \
            or node.find_ancestor(exp.Try) is not None:      # try() makes it a TRY_CAST
        return None
    target = node.to.sql(dialect="spark")
    return spark(f"CASE WHEN _x IS NOT NULL AND TRY_CAST(_x AS {target}) IS NULL THEN RAISE_ERROR(CONCAT("
                 f"'INVALID_CAST_ARGUMENT: Cannot cast ', CAST(_x AS STRING), ' to {target}')) "
                 f"ELSE TRY_CAST(_x AS {target}) END", _x=node.this)


CLASS_REWRITES = {
    exp.Ceil: _float_kept,
    exp.Floor: _float_kept,
    exp.Ln: _log,
    exp.Log: _log,
    exp.Trunc: _truncate,
    exp.WidthBucket: _width_bucket,
    exp.Greatest: _extremum,
    exp.Least: _extremum,
    exp.Round: _round,
    exp.IsNan: _is_nan,
    exp.Sign: _sign,
    exp.Rand: _random,
    exp.FromBase: _from_base,
    exp.Cast: lambda node: decimal_cast(node) or _float_varchar_cast(node) or varchar_cast(node),
    exp.ArrayToString: _float_array_join,
    exp.Grouping: _grouping,
    exp.Neg: _negate,
    exp.Mod: lambda node: text_operand(node) or _float_mod(node),
    exp.Div: lambda node: text_operand(node) or _decimal_division(node),
    exp.Add: text_operand,
    exp.Sub: text_operand,
    exp.Mul: text_operand,
}
ANONYMOUS_REWRITES = {
    "to_base": _to_base,
    "from_base": _from_base,
    "is_finite": _is_finite,
    "is_infinite": _is_infinite,
}
