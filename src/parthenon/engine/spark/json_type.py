"""Trino's json type on Spark: a STRING holding the JSON text Trino's function gives.

Trino compares json values by their text, so each producer writes Trino's text:

- ``JSON '...'`` is read at translation (``json_reading.json_parse``: keys sorted,
  compact); text Trino's parser refuses is INVALID_LITERAL.  ``json_parse(x)`` does the
  same at run time (a UDF, ``json_udfs``), INVALID_FUNCTION_ARGUMENT for text that is not
  one JSON value.
- ``json_extract``, ``json_size`` and ``json_array_get`` read the text as Trino's stream
  does (``json_reading``); a literal path Trino's tokenizer refuses is
  INVALID_FUNCTION_ARGUMENT on each row, as is a path given at run time.
- ``json_format`` is the text itself.
- ``CAST(x AS JSON)``: a string quoted as Jackson writes it (Spark's to_json is Jackson
  too), a number or boolean its text (a double's NaN and infinities quoted strings), a
  decimal with its scale, a date or timestamp(p) quoted (p digits); an array, map or row with its
  map keys sorted (the DuckDB engine's ``row_json``).
- ``CAST(json AS ...)`` by Trino's rules: to varchar (a fraction as a double's text,
  1.289E2), to the numbers and boolean (``json_to_scalar``, shared with the DuckDB engine),
  to arrays, maps and rows (the UDF converts each value by the same rules and writes JSON
  that Spark's from_json reads as the Spark type; a map's keys other than varchar cast
  after).  ``CAST(json_parse(x) AS array...)`` is one step in Trino: malformed text is
  INVALID_CAST_ARGUMENT there.
- ``=``, ``<>`` and IS DISTINCT FROM compare the texts, as Trino does.

An array of json written in place is read by a cast to json and array_join
(``json_arrays``).  A json value anywhere else (an argument of another function) is refused, and so is a
UDF inside a lambda (Spark cannot call one there), except json_extract_scalar of a json
element, which Spark's own functions read (``json``).
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import InvalidLiteral, TypeMismatch
from ...sql.trino import typing as trino_typing
from ...sql.trino.json_paths import tokens
from ...sql.trino.nodes import INTEGERS, is_type, not_supported, string_literal
from ...sql.trino.positions import position
from ...sql.trino import json_reading
from . import json_arrays, nano_timestamps
from .json_udfs import call
from .templates import spark

DType = exp.DType
JSON = DType.JSON

# where a json value may go: these read it as text (or are the json functions)
_READERS = (exp.Cast, exp.TryCast, exp.EQ, exp.NEQ, exp.NullSafeEQ, exp.NullSafeNEQ, exp.Is, exp.Alias,
            exp.Select, exp.Paren, exp.ParseJSON, exp.JSONExtract, exp.JSONExtractScalar, exp.JSONFormat,
            exp.JSONArrayContains, exp.Lambda, exp.Coalesce, exp.If, exp.Case, exp.Not, exp.Try)
_JSON_FUNCTIONS = {"json_array_length", "is_json_scalar", "json_size", "json_array_get", "json_extract_scalar",
                   "json_format", "json_extract", "transform"}


def representable(node: exp.Expression) -> bool:
    """A json value Spark holds as its text: read by a json function, a cast or a
    comparison, or a result column."""
    parent = node.parent
    if parent is None or isinstance(parent, _READERS) or json_arrays.element_read(node):
        return True
    return isinstance(parent, exp.Anonymous) and parent.name.lower() in _JSON_FUNCTIONS


def in_lambda(node: exp.Expression) -> bool:
    return node.find_ancestor(exp.Lambda) is not None


def _refuse_in_lambda(node: exp.Expression, name: str) -> None:
    if in_lambda(node):
        raise not_supported(node, f"{name} inside a lambda is not supported on the Spark engine")


def literal_text(node: exp.Expression) -> str | None:
    """The text of a json value known at translation (a JSON literal, once rewritten)."""
    if is_type(node, JSON) and isinstance(node, exp.Literal) and node.is_string:
        return node.this
    return None


# --------------------------------------------------------------------------------------
# json_parse, JSON literals
# --------------------------------------------------------------------------------------


def _structure_target(node: exp.Expression) -> bool:
    parent = node.parent
    return isinstance(parent, exp.Cast) and type(parent) is exp.Cast and parent.to.this in (
        DType.ARRAY, DType.MAP, DType.STRUCT)


def parse_json(node: exp.ParseJSON) -> exp.Expression:
    text = string_literal(node.this)
    if node.args.get("is_literal") and text is not None:
        try:
            return exp.Literal.string(json_reading.json_parse(text))
        except ValueError:
            raise InvalidLiteral(f"'{text}' is not a valid JSON literal", *position(node)) from None
        except (json_reading.Refused, RecursionError):
            raise not_supported(node, "This JSON literal is not supported on the Spark engine") from None
    if _structure_target(node):
        return node         # CAST(json_parse(x) AS array...): the cast reads x (one step in Trino)
    if text is not None:
        try:
            return exp.Literal.string(json_reading.json_parse(text))
        except (ValueError, json_reading.Refused, RecursionError):
            pass
    _refuse_in_lambda(node, "json_parse")
    return call("parse", node.this)


def json_format(node: exp.JSONFormat) -> exp.Expression:
    return node.this


# --------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------


def path_argument(node: exp.Expression, path: exp.Expression) -> exp.Expression:
    """The path as Spark SQL text: a literal one as written (checked: Trino's error for
    each row, if its tokenizer refuses it), another as it is."""
    text = path.meta.get("path_text") if path is not None else None
    if text is None:
        text = string_literal(path)
    if text is None and isinstance(path, exp.JSONPath):
        text = path.sql(dialect="trino").strip("'")
    if text is None:
        return exp.cast(path, "STRING")
    if tokens(text) is None:
        return spark(f"RAISE_ERROR({_quoted('INVALID_FUNCTION_ARGUMENT: Invalid JSON path: ' + repr(text))})")
    return exp.Literal.string(text)


def _quoted(text: str) -> str:
    return exp.Literal.string(text).sql(dialect="spark")


def _text(j: exp.Expression) -> exp.Expression:
    return j if is_type(j, JSON) or is_type(j, *trino_typing.TEXT) else exp.cast(j, "STRING")


def json_extract(node: exp.JSONExtract) -> exp.Expression:
    _refuse_in_lambda(node, "json_extract")
    return call("extract", _text(node.this), path_argument(node, node.expression))


def json_extract_scalar_udf(j: exp.Expression, path: exp.Expression, node: exp.Expression) -> exp.Expression:
    return call("extract_scalar", _text(j), path_argument(node, path))


def json_size(node: exp.Anonymous) -> exp.Expression:
    _refuse_in_lambda(node, "json_size")
    j, path = node.expressions
    return exp.cast(call("size", _text(j), path_argument(node, path)), "BIGINT")


def json_array_get(node: exp.Anonymous) -> exp.Expression:
    _refuse_in_lambda(node, "json_array_get")
    j, index = node.expressions
    return call("array_get", _text(j), exp.cast(index, "BIGINT"))


# --------------------------------------------------------------------------------------
# Casts
# --------------------------------------------------------------------------------------

_SCALAR_TARGETS = (*INTEGERS, DType.DOUBLE, DType.FLOAT, DType.BOOLEAN, DType.DECIMAL)
_SPARK_SCALARS = {DType.TINYINT: "TINYINT", DType.SMALLINT: "SMALLINT", DType.INT: "INT", DType.BIGINT: "BIGINT",
                  DType.DOUBLE: "DOUBLE", DType.FLOAT: "FLOAT", DType.BOOLEAN: "BOOLEAN"}


def _spark_schema(typ: exp.DataType, node: exp.Expression, top: bool = True) -> str:
    """The Spark type from_json reads a cast's target as (json leaves as their text)."""
    if typ.this == JSON or typ.this in trino_typing.TEXT:
        return "STRING"
    if typ.this in _SPARK_SCALARS:
        return _SPARK_SCALARS[typ.this]
    if typ.this == DType.DECIMAL:
        p, s = trino_typing.decimal_ps(typ) or (38, 0)
        return f"DECIMAL({p},{s})"
    if typ.this == DType.ARRAY and len(typ.expressions) == 1:
        return f"ARRAY<{_spark_schema(typ.expressions[0], node, False)}>"
    if typ.this == DType.MAP and len(typ.expressions) == 2:
        key = typ.expressions[0]
        if not (key.this in trino_typing.TEXT or top and key.this in _SPARK_SCALARS):
            raise not_supported(node, f"CAST(json AS {trino_typing.type_name(typ)}) is not supported on the Spark "
                                      "engine")
        return f"MAP<STRING,{_spark_schema(typ.expressions[1], node, False)}>"
    if typ.this == DType.STRUCT and typ.expressions:
        # an unnamed field named as Spark names a row's (``rows``); the UDF reads it by position
        fields = ",".join(f"`{f.name}`:{_spark_schema(f.args['kind'], node, False)}" if isinstance(f, exp.ColumnDef)
                          else f"`col{i}`:{_spark_schema(f, node, False)}"
                          for i, f in enumerate(typ.expressions, start=1))
        return f"STRUCT<{fields}>"
    raise not_supported(node, f"CAST(json AS {trino_typing.type_name(typ) or typ.sql('trino')}) is not supported "
                              "on the Spark engine")


def _cast_from_json(node: exp.Cast, x: exp.Expression, to: exp.DataType) -> exp.Expression:
    name = trino_typing.type_name(node.type if node.type is not None else to) or to.sql("trino").lower()
    if to.this in trino_typing.TEXT:
        n = trino_typing.params(to)
        return call("to_varchar", x, exp.Literal.number(n[0] if n else -1))
    if to.this in _SCALAR_TARGETS:
        spark_type = _spark_schema(to, node)
        return exp.cast(call("to_scalar", x, exp.Literal.string(name)), exp.DataType.build(spark_type, dialect="spark"))
    if to.this == JSON:
        return x
    if to.this in (DType.ARRAY, DType.MAP, DType.STRUCT):
        if to.this == DType.MAP and to.expressions and to.expressions[0].this in (DType.ARRAY, DType.MAP,
                                                                                     DType.STRUCT):
            raise TypeMismatch(f"Cannot cast json to {name}", *position(node))
        schema = _spark_schema(to, node)
        parse_error = "INVALID_FUNCTION_ARGUMENT"
        if isinstance(x, exp.ParseJSON):       # one step: malformed text is INVALID_CAST_ARGUMENT
            x, parse_error = x.this, "INVALID_CAST_ARGUMENT"
        # JSON null is NULL (Spark's from_json reads it as a row of NULLs)
        value = spark(f"CASE WHEN _t = 'null' THEN NULL ELSE FROM_JSON(_t, {_quoted(schema)}) END",
                      _t=call("to_structure", x, exp.Literal.string(name), exp.Literal.string(parse_error)))
        key = to.expressions[0] if to.this == DType.MAP else None
        if key is not None and key.this in _SPARK_SCALARS:
            value = spark(f"TRANSFORM_KEYS(_m, (k, v) -> CAST(k AS {_SPARK_SCALARS[key.this]}))", _m=value)
        return value
    raise not_supported(node, f"CAST(json AS {name}) is not supported on the Spark engine")


_NESTED_LEAVES = {*INTEGERS, DType.DOUBLE, DType.FLOAT, DType.BOOLEAN, DType.DECIMAL, *trino_typing.TEXT,
                  DType.ARRAY, DType.MAP, DType.STRUCT, DType.DATE, DType.TIMESTAMP, DType.UNKNOWN, DType.NULL}


def _timestamp_precisions(typ: exp.DataType) -> set[int]:
    return {trino_typing.precision(t) for t in typ.find_all(exp.DataType) if t.this == DType.TIMESTAMP}


def _nested_json(typ: exp.DataType) -> bool:
    """An array, map or row whose JSON Spark's to_json writes as Trino reads it (``row_json``
    then writes Trino's text from the Trino type): its leaves numbers, booleans, text,
    dates, NULLs, timestamps of one precision up to microseconds (written by that pattern),
    rows with or without field names (an unnamed field is "" in Trino's JSON)."""
    if not all(t.this in _NESTED_LEAVES for t in typ.find_all(exp.DataType)):
        return False
    precisions = _timestamp_precisions(typ)
    return len(precisions) <= 1 and all(p <= 6 for p in precisions)


def _known_name(typ: exp.DataType) -> str:
    """The Trino type's name, a part of unknown type (``MAP()``'s) named ``unknown``."""
    typ = typ.copy()
    for t in list(typ.find_all(exp.DataType)):
        if t.this == DType.UNKNOWN:
            t.set("this", DType.NULL)
        elif t.this in (DType.ARRAY, DType.MAP) and not t.expressions:
            t.set("expressions", [exp.DataType.build("NULL") for _ in range(1 if t.this == DType.ARRAY else 2)])
    return trino_typing.type_name(typ)


def _timestamp_fields_as_text(x: exp.Expression, typ: exp.DataType) -> tuple[exp.Expression, exp.DataType] | None:
    """``ROW(TIMESTAMP '... 00:00:01', CAST(NULL AS TIMESTAMP))``, a row written in place
    whose timestamp fields are of several precisions (to_json has one pattern): each such
    field as its text of its own precision, which is the JSON string Trino writes for it.
    The row and the type to_json then reads, or None."""
    if not (isinstance(x, exp.Struct) and typ.this == DType.STRUCT and len(_timestamp_precisions(typ)) > 1
            and len(x.expressions) == len(typ.expressions)):
        return None
    row, kinds = x.copy(), typ.copy()
    for e, field in zip(row.expressions, kinds.expressions):
        kind = field.args.get("kind") if isinstance(field, exp.ColumnDef) else field
        if not (isinstance(kind, exp.DataType) and kind.this == DType.TIMESTAMP):
            continue
        p = trino_typing.precision(kind)
        if p > 6:
            return None
        value = e.expression if isinstance(e, (exp.PropertyEQ, exp.Alias)) else e
        pattern = "yyyy-MM-dd HH:mm:ss" + ("." + "S" * p if p else "")
        value.replace(spark(f"DATE_FORMAT(_x, '{pattern}')", _x=value.copy()))
        kind.replace(exp.DataType.build("VARCHAR"))
    return (row, kinds) if _nested_json(kinds) else None


def _to_json(x: exp.Expression, typ: exp.DataType) -> exp.Expression:
    """Spark's JSON of the value, a row's NULL fields kept (Spark leaves them out by default)."""
    options = "'ignoreNullFields', 'false'"
    precisions = _timestamp_precisions(typ)
    if precisions:
        p = precisions.pop()
        pattern = _quoted("yyyy-MM-dd HH:mm:ss" + ("." + "S" * p if p else ""))
        options += f", 'timestampFormat', {pattern}, 'timestampNTZFormat', {pattern}"
    return spark(f"TO_JSON(_x, MAP({options}))", _x=x)


def _cast_to_json(node: exp.Cast, x: exp.Expression) -> exp.Expression:
    typ = x.type
    if isinstance(x, exp.Null) or typ is None or typ.this in (DType.NULL, DType.UNKNOWN):
        out = exp.cast(exp.Null(), "STRING")
        out.meta["json_null"] = True        # still a json value for a cast around it
        return out
    if typ.this in trino_typing.TEXT:
        return spark("CASE WHEN _x IS NULL THEN NULL ELSE SUBSTR(TO_JSON(ARRAY(_x)), 2, "
                     "LENGTH(TO_JSON(ARRAY(_x))) - 2) END", _x=x)
    if typ.this in INTEGERS or typ.this in (DType.BOOLEAN, DType.DECIMAL):
        return exp.cast(x, "STRING")
    if typ.this in (DType.DOUBLE, DType.FLOAT):
        return spark("CASE WHEN ISNAN(_x) THEN '\"NaN\"' WHEN _x = CAST('Infinity' AS DOUBLE) THEN '\"Infinity\"' "
                     "WHEN _x = CAST('-Infinity' AS DOUBLE) THEN '\"-Infinity\"' ELSE CAST(_x AS STRING) END", _x=x)
    if typ.this == DType.DATE:
        return spark("'\"' || CAST(_x AS STRING) || '\"'", _x=x)
    if typ.this == DType.TIMESTAMP and trino_typing.precision(typ) <= 6:
        # Trino's text of a timestamp(p): p fractional digits
        p = trino_typing.precision(typ)
        pattern = "yyyy-MM-dd HH:mm:ss" + ("." + "S" * p if p else "")
        return spark(f"'\"' || DATE_FORMAT(_x, '{pattern}') || '\"'", _x=x)
    if typ.this == DType.TIMESTAMP and nano_timestamps.is_nano(x):     # its 7..9 digits, quoted
        return spark("'\"' || _t || '\"'", _t=nano_timestamps.text(x, trino_typing.precision(typ)))
    written = json_arrays.to_json(x)       # ARRAY[JSON ...]: the elements' texts
    if written is not None:
        return written
    written = _timestamp_fields_as_text(x, typ)
    if written is not None:
        _refuse_in_lambda(node, "CAST(... AS JSON)")
        return call("from_value", _to_json(written[0], written[1]), exp.Literal.string(_known_name(typ)))
    if typ.this in (DType.ARRAY, DType.MAP, DType.STRUCT) and _nested_json(typ):
        _refuse_in_lambda(node, "CAST(... AS JSON)")
        return call("from_value", _to_json(x, typ), exp.Literal.string(_known_name(typ)))
    raise not_supported(node, f"CAST({trino_typing.type_name(typ) or 'this value'} AS JSON) is not supported on the "
                              "Spark engine")


def cast(node: exp.Cast) -> exp.Expression | None:
    x, to = node.this, node.to
    if x.meta.get("json_null"):       # CAST(CAST(NULL AS JSON) AS ...)
        return exp.cast(exp.Null(), exp.DataType.build(_spark_schema(to, node), dialect="spark")) \
            if to.this in (DType.ARRAY, DType.MAP, DType.STRUCT) else None
    from_json = is_type(x, JSON) or isinstance(x, exp.ParseJSON)
    if not from_json and to.this != JSON:
        return None
    if type(node) is not exp.Cast:
        raise not_supported(node, "TRY_CAST with json is not supported on the Spark engine")
    if from_json:
        if to.this != JSON:
            _refuse_in_lambda(node, "CAST(json AS ...)")
        return _cast_from_json(node, x, to)
    return _cast_to_json(node, x)


def array_json_in_lambda(node: exp.Expression) -> bool:
    """A json value read inside a lambda (Spark's own functions must read it there)."""
    return in_lambda(node)


# A family of its own, first of all (functions._FAMILIES): a cast of or to json is
# this module's before any other family reads its argument as text.
CLASS_REWRITES: dict = {exp.Cast: cast, exp.TryCast: cast}
ANONYMOUS_REWRITES: dict = {}
