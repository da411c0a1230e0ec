"""Trino functions Spark has nothing exact for, as Python UDFs of a Spark session: the
same plain-Python rules the DuckDB engine calls (``sql/trino/binary_hashes``,
``sql/trino/word_stems``).

- ``murmur3`` (MurmurHash3 x64 128-bit, seed 0), ``xxhash64`` (seed 0, big-endian),
  ``spooky_hash_v2_32/64`` (SpookyHash V2, seed 0; 192 bytes or more NOT_SUPPORTED):
  Spark's own ``hash``/``xxhash64`` use other seeds and encodings.
- ``to_base32`` / ``from_base32`` (Guava's base32(): padding optional on input; other
  text INVALID_FUNCTION_ARGUMENT).
- ``word_stem(word[, language])``: the Snowball stemmers (Spark ships no stemmer); an
  unknown language is INVALID_FUNCTION_ARGUMENT.
- ``from_utf8`` of bytes that are not valid UTF-8 (``sql/trino/utf8_repair``: Spark's
  decoders replace invalid sequences by another rule); ``strings`` calls it (``udf``).
- Java 21's ``Double.toString`` of a double of more than 15 significant digits
  (``sql/trino/json_reading.java_double_text``): Spark's Java 17 prints other digits in
  some cases; ``formatting`` calls it.

As in ``json_udfs``, a UDF never raises (Spark evaluates it for every row, in a CASE
branch not taken too): its answer is text (varbinary as hex, UNHEX'd around it), or
``MARK`` then Trino's ``CODE: message``, raised by the SQL around it only on a row that
takes it.  A Python UDF cannot run inside a lambda (LAMBDA_FUNCTION_WITH_PYTHON_UDF): these
functions are NOT_SUPPORTED there.  ``ensure(spark, sql)`` registers the UDFs the SQL
calls (the backend does, before running it).
"""
from __future__ import annotations

import re

from sqlglot import exp

from ...sql.trino.nodes import not_supported
from .templates import spark as _spark

MARK = "\x00"
PREFIX = "trino_py_"
_CODE = re.compile(r"^[A-Z][A-Z_]+: ")

# Trino name -> whether the result is varbinary (the UDF answers hex)
_BINARY = {"murmur3": True, "xxhash64": True, "spooky_hash_v2_32": True, "spooky_hash_v2_64": True,
           "to_base32": False, "from_base32": True, "word_stem": False, "from_utf8": False,
           "java_double_text": False}
# UDFs other families' rewrites call (``udf``), not Trino functions of their own here
_HELPERS = {"from_utf8", "java_double_text"}
FUNCTIONS = frozenset(_BINARY) - _HELPERS


def _rules() -> dict:
    from ...sql.trino import binary_hashes as h
    from ...sql.trino.json_reading import java_double_text
    from ...sql.trino.utf8_repair import from_utf8
    from ...sql.trino.word_stems import word_stem
    return {"from_utf8": from_utf8, "java_double_text": java_double_text, "murmur3": h.murmur3, "xxhash64": h.xxhash64, "spooky_hash_v2_32": h.spooky_hash_v2_32,
            "spooky_hash_v2_64": h.spooky_hash_v2_64, "to_base32": h.to_base32, "from_base32": h.from_base32,
            "word_stem": word_stem}


def _guarded(f, binary: bool):
    def run(*args):
        if any(a is None for a in args):
            return None
        try:
            out = f(*args)
        except ValueError as e:
            text = str(e)
            return MARK + (text if _CODE.match(text) else f"INVALID_FUNCTION_ARGUMENT: {text}")
        except Exception as e:       # noqa: BLE001 - never a traceback out of an executor
            return f"{MARK}GENERIC_INTERNAL_ERROR: {type(e).__name__}: {e}"
        return out.hex() if binary else out
    run.__name__ = getattr(f, "__name__", "trino_udf")
    return run


def ensure(spark, sql: str) -> None:
    """Register the UDFs on ``spark`` if ``sql`` calls them (once per session)."""
    if PREFIX not in sql.lower():
        return
    functions = _rules()
    # asked of the session's own registry, not remembered here: a flag kept on the Python
    # session object was seen set while the functions were missing (UNRESOLVED_ROUTINE)
    if spark.catalog.functionExists(PREFIX + next(iter(functions))):
        return
    from pyspark.sql.types import StringType
    for name, f in functions.items():
        spark.udf.register(PREFIX + name, _guarded(f, _BINARY[name]), StringType())


def udf(name: str, args: list[exp.Expression]) -> exp.Expression:
    """The call of the UDF for Trino's function ``name``: its answer, or its error raised."""
    call = exp.Anonymous(this=PREFIX + name, expressions=list(args))
    value = "UNHEX(_r)" if _BINARY[name] else "_r"
    return _spark(f"CASE WHEN LEFT(_r, 1) = CHR(0) THEN RAISE_ERROR(SUBSTR(_r, 2)) ELSE {value} END", _r=call)


def _rewrite(name: str):
    def rewrite(node: exp.Expression) -> exp.Expression:
        if node.find_ancestor(exp.Lambda) is not None:
            raise not_supported(node, f"Function '{name}' inside a lambda is not supported on the Spark engine")
        args = node.expressions if isinstance(node, exp.Anonymous) else \
            [a for a in (node.this, node.args.get("expression")) if a is not None]
        return udf(name, args)
    return rewrite


CLASS_REWRITES = {
    exp.ToBase32: _rewrite("to_base32"),
    exp.FromBase32: _rewrite("from_base32"),
}
ANONYMOUS_REWRITES = {name: _rewrite(name) for name in ("murmur3", "xxhash64", "spooky_hash_v2_32",
                                                        "spooky_hash_v2_64", "word_stem")}
