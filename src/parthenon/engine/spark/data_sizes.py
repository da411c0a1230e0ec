"""Trino's ``parse_data_size('2.3MB')`` on Spark (``sql/trino/data_sizes``, shared with the
DuckDB engine): the number times its unit's power of 1024, truncated, exact in
DECIMAL(38, 0) arithmetic; text that is not a data size is INVALID_FUNCTION_ARGUMENT, bytes
past 38 digits NUMERIC_VALUE_OUT_OF_RANGE.  A fraction of more than 12 digits is refused
(NOT_SUPPORTED: its bytes would not be exact in 38 digits)."""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.data_sizes import DATA_SIZE, SIZE_UNITS, invalid_message
from .templates import spark

FUNCTIONS = frozenset({"parse_data_size"})

_MAX = 10 ** 38 - 1
_FRACTION_DIGITS = 12


def _per_unit(values: dict[str, int]) -> str:
    """A CASE on the unit (``__u``) giving each unit's DECIMAL(38, 0) constant."""
    return "CASE __u " + " ".join(f"WHEN '{u}' THEN CAST({v} AS DECIMAL(38, 0))" for u, v in values.items()) + " END"


def _parse_data_size(node: exp.Anonymous) -> exp.Expression:
    text = node.expressions[0]
    unit = _per_unit(SIZE_UNITS)
    most = _per_unit({u: _MAX // v for u, v in SIZE_UNITS.items()})       # the largest whole number of units
    rest = _per_unit({u: _MAX - (_MAX // v) * v for u, v in SIZE_UNITS.items()})   # and bytes past it
    before, after = invalid_message("\0").split("\0")
    # __i: the whole number without leading zeros, __f: the fraction's bytes (its digits times the
    # unit, less its 12 fraction digits: truncated)
    body = (
        "CASE WHEN __s IS NULL THEN NULL "
        "WHEN NOT __s RLIKE _p OR (" + unit.replace("__u", "REGEXP_EXTRACT(__s, _p, 2)") + ") IS NULL "
        "THEN CAST(RAISE_ERROR(CONCAT(_before, __s, _after)) AS DECIMAL(38, 0)) "
        f"WHEN LENGTH(SPLIT_PART(REGEXP_EXTRACT(__s, _p, 1), '.', 2)) > {_FRACTION_DIGITS} THEN CAST(RAISE_ERROR("
        "'NOT_SUPPORTED: parse_data_size with more than 12 fraction digits is not supported on the Spark engine') "
        "AS DECIMAL(38, 0)) "
        "ELSE ELEMENT_AT(TRANSFORM(ARRAY(NAMED_STRUCT('u', REGEXP_EXTRACT(__s, _p, 2), "
        "'i', COALESCE(NULLIF(REGEXP_REPLACE(SPLIT_PART(REGEXP_EXTRACT(__s, _p, 1), '.', 1), '^0+', ''), ''), '0'), "
        f"'f', RPAD(SPLIT_PART(REGEXP_EXTRACT(__s, _p, 1), '.', 2), {_FRACTION_DIGITS}, '0'))), "
        "__d -> ELEMENT_AT(TRANSFORM(ARRAY(__d.u), __u -> "
        "ELEMENT_AT(TRANSFORM(ARRAY(CAST(CAST(__d.f AS DECIMAL(12, 0)) * " + unit + " AS STRING)), "
        f"__t -> ELEMENT_AT(TRANSFORM(ARRAY(CASE WHEN LENGTH(__t) <= {_FRACTION_DIGITS} THEN CAST(0 AS DECIMAL(38, 0)) "
        f"ELSE CAST(SUBSTRING(__t, 1, LENGTH(__t) - {_FRACTION_DIGITS}) AS DECIMAL(38, 0)) END), "
        "__f -> CASE WHEN LENGTH(__d.i) > 38 OR CAST(__d.i AS DECIMAL(38, 0)) > " + most + " OR (CAST(__d.i AS "
        "DECIMAL(38, 0)) = " + most + " AND __f > " + rest + ") THEN CAST(RAISE_ERROR(CONCAT("
        "_range, __s, _after)) AS DECIMAL(38, 0)) "
        "ELSE CAST(CAST(__d.i AS DECIMAL(38, 0)) * " + unit + " + __f AS DECIMAL(38, 0)) END), 1)), 1)), 1)), 1) END")
    return spark(f"ELEMENT_AT(TRANSFORM(ARRAY(_x), __s -> {body}), 1)", _x=text, _p=exp.Literal.string(DATA_SIZE),
                 _before=exp.Literal.string(f"INVALID_FUNCTION_ARGUMENT: {before}"), _after=exp.Literal.string(after),
                 _range=exp.Literal.string("NUMERIC_VALUE_OUT_OF_RANGE: Value out of range: '"))


CLASS_REWRITES: dict = {}
ANONYMOUS_REWRITES = {"parse_data_size": _parse_data_size}
