"""Trino's JSON functions as Python UDFs of a Spark session (``json_reading`` holds the
rules; ``json`` calls them where Spark's own functions cannot give Trino's answer).

Spark evaluates a Python UDF for every row, even in a CASE branch not taken, so a UDF
never raises: its answer is text, or ``MARK`` then Trino's ``CODE: message``, which the
SQL around it (``call``) raises with RAISE_ERROR only on a row that takes it.  A refusal
(``json_reading.Refused``) is NOT_SUPPORTED so.  A UDF cannot be used inside a lambda
(Spark: LAMBDA_FUNCTION_WITH_PYTHON_UDF): ``json`` refuses there.

``ensure(spark)`` registers them on a session before the SQL that calls them runs (the
backend does, for the SQL it is given); the executors' Python imports this module, as it
does Parthenon's readers.
"""
from __future__ import annotations

import re

from sqlglot import exp

from ...sql.trino.json_reading import Refused
from .templates import spark as _spark

MARK = "\x00"
PREFIX = "trino_json_"
_CODE = re.compile(r"^[A-Z][A-Z_]+: ")


def _guarded(f, none_ok: bool = False):
    def run(*args):
        if not none_ok and any(a is None for a in args):
            return None
        try:
            out = f(*args)
        except Refused as e:
            return f"{MARK}NOT_SUPPORTED: This JSON value is not supported on the Spark engine ({e})"
        except RecursionError:
            return f"{MARK}NOT_SUPPORTED: JSON nested this deeply is not supported on the Spark engine"
        except ValueError as e:
            text = str(e)
            return MARK + (text if _CODE.match(text) else f"INVALID_FUNCTION_ARGUMENT: {text}")
        if out is None:
            return None
        if isinstance(out, bool):
            return "true" if out else "false"
        return str(out)
    run.__name__ = getattr(f, "__name__", "json_udf")
    return run


def _functions() -> dict:
    from ...sql.trino.json_values import json_to_scalar, row_json
    from ...sql.trino import json_reading as r
    return {
        "parse": r.json_parse,
        "extract": r.json_extract,
        "extract_scalar": r.json_extract_scalar,
        "size": r.json_size,
        "array_get": r.json_array_get,
        "array_length": r.json_array_length,
        "array_contains": r.json_array_contains,
        "is_scalar": r.is_json_scalar,
        "to_scalar": json_to_scalar,
        "to_varchar": lambda text, n: r.json_to_varchar(text, None if n < 0 else n),
        "to_structure": r.json_to_structure,
        "from_value": row_json,
    }


def ensure(spark, sql: str) -> None:
    """Register the UDFs on ``spark`` if ``sql`` calls them (once per session)."""
    if PREFIX not in sql.lower():
        return
    functions = _functions()
    # asked of the session's own registry, not remembered here: a flag kept on the Python
    # session object was seen set while the functions were missing (UNRESOLVED_ROUTINE)
    if spark.catalog.functionExists(PREFIX + next(iter(functions))):
        return
    from pyspark.sql.types import StringType
    for name, f in functions.items():
        spark.udf.register(PREFIX + name, _guarded(f), StringType())


def call(name: str, *args: exp.Expression) -> exp.Expression:
    """``trino_json_<name>(args)`` as Spark SQL, its error raised (a STRING, or NULL)."""
    udf = exp.Anonymous(this=PREFIX + name, expressions=list(args))
    node = _spark("CASE WHEN LEFT(_r, 1) = CHR(0) THEN RAISE_ERROR(SUBSTR(_r, 2)) ELSE _r END", _r=udf)
    # inside try(): NULL for the errors Trino's try catches, any other (a refusal) raised
    form = _spark(f"CASE WHEN LEFT(_r, 1) = CHR(0) THEN CASE WHEN SUBSTR(_r, 2) RLIKE '^({'|'.join(TRY_CATCHES)}):' "
                  "THEN NULL ELSE RAISE_ERROR(SUBSTR(_r, 2)) END ELSE _r END", _r=udf)
    for raised in form.find_all(exp.Anonymous):     # the form's own, not one in the arguments
        if raised.name.upper() == "RAISE_ERROR" and not any(
                isinstance(a, exp.Anonymous) and a.name.startswith(PREFIX) for a in _ancestors(raised)):
            raised.meta["try_passes"] = True
    node.meta["try_form"] = form
    return node


def _ancestors(node: exp.Expression):
    while node.parent is not None:
        node = node.parent
        yield node


#: the error codes Trino's try() turns into NULL (TryFunction)
TRY_CATCHES = ("DIVISION_BY_ZERO", "INVALID_CAST_ARGUMENT", "INVALID_FUNCTION_ARGUMENT", "NUMERIC_VALUE_OUT_OF_RANGE")
