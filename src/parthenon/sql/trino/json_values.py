"""Trino's JSON rules that DuckDB's JSON reader does not share, in plain Python: the DuckDB
engine registers them as scalar functions (``engine/duckdb/functions``, ``FUNCTIONS``
below), and the Spark engine's JSON UDFs reuse the casts (``engine/spark/json_udfs``).

- ``trino_json_to_scalar(json, type)``: ``CAST(json AS BIGINT/INTEGER/.../DOUBLE/REAL/
  BOOLEAN/DECIMAL(p,s))`` as Trino casts: a JSON integer out of the type's range is
  INVALID_CAST_ARGUMENT, a JSON fraction is rounded half up and out of range is
  NUMERIC_VALUE_OUT_OF_RANGE, ``true`` is 1, a JSON string is parsed as the type's text,
  an object or array is INVALID_CAST_ARGUMENT, ``null`` is NULL.  The result is the value's
  text, which the engine then casts to the type.
- ``trino_json_array_get(json, i)``: Trino's element text (a string element unquoted, a
  JSON ``null`` is NULL, objects and arrays compact), NULL for malformed JSON or an index
  outside the array.
- ``trino_is_json_scalar`` (INVALID_FUNCTION_ARGUMENT on malformed JSON),
  ``trino_json_valid`` (malformed JSON: json_array_contains gives NULL),
  ``trino_float_json(x, real)``: a double or real as JSON (``"NaN"``, ``"Infinity"``
  quoted; a real by its shortest float text, 3.14 not 3.140000104904175).
"""
from __future__ import annotations

import decimal
import json
import math
import re

from ...output import row_part_named, shortest_real, type_parts
from ...sql.trino.json_paths import tokens


# type names: functions.register makes them types on its connection
_TEXT, _BIGINT, _BOOLEAN, _DOUBLE = "VARCHAR", "BIGINT", "BOOLEAN", "DOUBLE"

_INTEGER_RANGES = {"tinyint": 7, "smallint": 15, "integer": 31, "bigint": 63}
_INTEGER_TEXT = re.compile(r"\s*[+-]?\d+\s*")


class _Float(str):
    """A JSON number token with a fraction or exponent, kept as written."""


def not_json(name: str):
    raise ValueError(name)      # NaN / Infinity are not JSON


def _parse(text: str):
    return json.loads(text, parse_float=_Float, parse_constant=not_json)


def _cast_error(text: str, target: str) -> ValueError:
    return ValueError(f"INVALID_CAST_ARGUMENT: Cannot cast '{text.strip()}' to {target.upper()}")


def _to_integer(value, text: str, target: str) -> str:
    bits = _INTEGER_RANGES[target]
    low, high = -(1 << bits), (1 << bits) - 1
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, _Float):
        number = float(value)
        if math.isnan(number) or math.isinf(number) or not low <= number <= high + 0.5:
            raise ValueError(f"NUMERIC_VALUE_OUT_OF_RANGE: Out of range for {target}: {value}")
        rounded = int(decimal.Decimal(number).quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))
        if not low <= rounded <= high:
            raise ValueError(f"NUMERIC_VALUE_OUT_OF_RANGE: Out of range for {target}: {value}")
        return str(rounded)
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value):
        value = int(value)
    if isinstance(value, int) and low <= value <= high:
        return str(value)
    raise _cast_error(text, target)


_DOUBLE_TEXT = re.compile(r"[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)")


def _to_float(value, text: str, target: str) -> str:
    """Numbers as doubles; a JSON string as Java's Double.parseDouble reads it."""
    if isinstance(value, bool):
        return "1.0" if value else "0.0"
    if isinstance(value, (int, _Float)):
        return repr(float(value))
    if isinstance(value, str) and _DOUBLE_TEXT.fullmatch(value.strip()):
        return repr(float(value.strip()))
    raise _cast_error(text, target)


def _to_boolean(value, text: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _Float):
        return "true" if float(value) != 0 else "false"
    if isinstance(value, int):
        if not -(1 << 63) <= value < (1 << 63):
            raise _cast_error(text, "boolean")
        return "true" if value != 0 else "false"
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower()
    raise _cast_error(text, "boolean")


def _to_decimal(value, text: str, precision: int, scale: int) -> str:
    target = f"DECIMAL({precision},{scale})"
    if isinstance(value, bool):
        number = decimal.Decimal(int(value))
    elif isinstance(value, (int, _Float)) or isinstance(value, str) and \
            re.fullmatch(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", value):
        number = decimal.Decimal(str(value).strip())
    else:
        raise ValueError(f"INVALID_CAST_ARGUMENT: Cannot cast '{text.strip()}' to {target}")
    with decimal.localcontext() as context:
        context.prec = 80
        rounded = number.quantize(decimal.Decimal(1).scaleb(-scale), rounding=decimal.ROUND_HALF_UP)
    if len(rounded.as_tuple().digits) > precision and rounded != 0:
        raise ValueError(f"NUMERIC_VALUE_OUT_OF_RANGE: Cannot cast input json to {target}")
    return format(rounded, "f")


def json_to_scalar(text: str, target: str) -> str | None:
    if text is None or target is None:
        return None
    try:
        value = _parse(text)
    except ValueError:
        raise _cast_error(text, target) from None
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise _cast_error(json.dumps(value, separators=(",", ":")), target)
    if target in _INTEGER_RANGES:
        return _to_integer(value, text, target)
    if target in ("double", "real"):
        return _to_float(value, text, target)
    if target == "boolean":
        return _to_boolean(value, text)
    m = re.fullmatch(r"decimal\((\d+),(\d+)\)", target)
    if m:
        return _to_decimal(value, text, int(m.group(1)), int(m.group(2)))
    raise ValueError(f"INVALID_CAST_ARGUMENT: Cannot cast json to {target}")


def try_json_to_scalar(text: str, target: str) -> str | None:
    try:
        return json_to_scalar(text, target)
    except ValueError:
        return None


def _element_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and not isinstance(value, _Float):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return _compact(value)


def _compact(value, sort_keys: bool = False) -> str:
    """JSON text with number tokens as written (json.dumps would quote _Float)."""
    if isinstance(value, _Float):
        return str(value)
    if isinstance(value, dict):
        items = sorted(value.items()) if sort_keys else value.items()
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{_compact(v, sort_keys)}"
                              for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_compact(v, sort_keys) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def json_array_get(text: str, index: int) -> str | None:
    if text is None or index is None:
        return None
    try:
        value = _parse(text)
    except ValueError:
        return None
    if not isinstance(value, list):
        return None
    if index < 0:
        index += len(value)
    if not 0 <= index < len(value):
        return None
    return _element_text(value[index])


def is_json_scalar(text: str) -> bool:
    try:
        value = _parse(text)
    except ValueError:
        raise ValueError(f"INVALID_FUNCTION_ARGUMENT: Invalid JSON value: {text}") from None
    return not isinstance(value, (dict, list))


def try_is_json_scalar(text: str) -> bool | None:
    """is_json_scalar under TRY: NULL for malformed JSON."""
    return None if text is None or not json_valid(text) else is_json_scalar(text)


def json_valid(text: str) -> bool:
    try:
        _parse(text)
    except ValueError:
        return False
    return True


def json_parse(text: str) -> str:
    """Trino's json_parse: the value re-written compactly with object keys sorted (Jackson's
    ORDER_MAP_ENTRIES_BY_KEYS), so that equal JSON values have equal text; numbers as
    written (1e309 stays 1e309, for a cast to read)."""
    try:
        value = _parse(text)
    except ValueError:
        raise ValueError(f"INVALID_FUNCTION_ARGUMENT: Cannot convert value to JSON: '{text}'") from None
    return _compact(value, sort_keys=True)


def float_json(x: float, real: bool) -> str:
    if math.isnan(x):
        return '"NaN"'
    if math.isinf(x):
        return '"Infinity"' if x > 0 else '"-Infinity"'
    return _java_text(shortest_real(x) if real else x)   # Java's Float.toString digits for a real


def _java_text(x: float) -> str:
    """Java's Double.toString, as Jackson writes a double: its shortest digits, plain from
    1e-3 to 1e7 (3.14, 100.0), else d.dddEn (1.0E308, 1.0E-4)."""
    if x == 0 or 1e-3 <= abs(x) < 1e7:
        return repr(x)
    sign, digits, exponent = decimal.Decimal(repr(x)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    return ("-" if sign else "") + text[0] + "." + (text[1:] or "0") + f"E{exponent + len(digits) - 1}"


def row_json(text: str, type_name: str) -> str:
    """CAST(row AS JSON) as Trino writes it: from the engine's JSON of the value (to_json)
    and its Trino type, a row an object of its fields in order (an anonymous field named
    ""), a map an object with its keys sorted, doubles and reals as Java writes them."""
    return _typed_json(_parse(text), type_name)


def _typed_json(value, type_name: str) -> str:
    kind, parts = type_parts(type_name)
    if value is None:
        return "null"
    if kind == "row" and isinstance(value, dict):
        fields = []
        for (key, item), part in zip(value.items(), parts):
            # an anonymous field by its type (the engine names it _0, _1... or col1, col2...)
            name, typ = ("", part) if not row_part_named(part) else (key, part[len(key):].strip())
            fields.append(f"{json.dumps(name, ensure_ascii=False)}:{_typed_json(item, typ)}")
        return "{" + ",".join(fields) + "}"
    if kind == "map" and isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{_typed_json(v, parts[1])}"
                              for k, v in sorted(value.items())) + "}"
    if kind == "array" and isinstance(value, list):
        return "[" + ",".join(_typed_json(v, parts[0]) for v in value) + "]"
    if type_name in ("double", "real") and isinstance(value, (int, _Float)):
        return float_json(float(value), type_name == "real")
    return _compact(value)


def json_path_segments(path: str) -> list[str]:
    """The segments of a JSON path given at run time (``json_paths`` walks them), Trino's
    INVALID_FUNCTION_ARGUMENT for text its tokenizer does not read."""
    segments = tokens(path)
    if segments is None:
        raise ValueError(f"INVALID_FUNCTION_ARGUMENT: Invalid JSON path: '{path}'")
    return segments


# name -> (function, argument types, result type); merged into ``functions.FUNCTIONS``
# (json_parse and json_to_scalar are called a batch at a time: ``json_batches``)
FUNCTIONS = {
    "trino_json_array_get": (json_array_get, [_TEXT, _BIGINT], _TEXT),
    "trino_is_json_scalar": (is_json_scalar, [_TEXT], _BOOLEAN),
    "trino_try_is_json_scalar": (try_is_json_scalar, [_TEXT], _BOOLEAN),
    "trino_json_valid": (json_valid, [_TEXT], _BOOLEAN),
    "trino_json_path_segments": (json_path_segments, [_TEXT], "VARCHAR[]"),
    "trino_float_json": (float_json, [_DOUBLE, _BOOLEAN], _TEXT),
    "trino_row_json": (row_json, [_TEXT, _TEXT], _TEXT),
}

# functions that give NULL for a value (DuckDB must be told)
MAY_RETURN_NULL = {"trino_json_array_get", "trino_try_is_json_scalar"}
