"""Varbinary functions, on the engine's BLOB and its ``trino_*`` functions
(``engine/duckdb/binary_functions``, ``engine/duckdb/functions``).

Trino semantics covered:

- ``from_hex`` (of varchar or varbinary; an odd count or a non-hex digit is
  INVALID_FUNCTION_ARGUMENT), ``to_hex``, ``from_base64`` / ``to_base64`` and their
  URL-safe ``base64url`` forms, ``to/from_big_endian_32/64``,
  ``to/from_ieee754_32/64`` (a wrong byte count is an error), ``sha1`` (varbinary).
- ``length``, ``substr`` / ``substring``, ``reverse``, ``lpad`` / ``rpad`` of a
  varbinary as bytes (``strings`` leaves varbinary arguments to these).
- ``spooky_hash_v2_32/64`` (of fewer than 192 bytes; NOT_SUPPORTED beyond).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....sql.trino import text_types
from .nodes import fn


def _bytes(x: exp.Expression) -> exp.Expression:
    """A varchar argument as its UTF-8 bytes (a varbinary one as it is)."""
    return x if text_types.is_binary(x) else fn("encode", x)


def _from_hex(node: exp.Unhex) -> exp.Expression:
    return fn("trino_from_hex", _bytes(node.this))


def _from_base64(node: exp.FromBase64) -> exp.Expression:
    return fn("trino_from_base64", _bytes(node.this))


def _sha1(node: exp.SHA) -> exp.Expression:
    """sha1(varbinary) is varbinary (DuckDB's sha1 gives hex text)."""
    return fn("unhex", fn("sha1", node.this))


def _length(node: exp.Length) -> exp.Expression | None:
    return fn("octet_length", node.this) if text_types.is_binary(node.this) else None


def _substring(node: exp.Substring) -> exp.Expression | None:
    if not text_types.is_binary(node.this):
        return None
    length = node.args.get("length")
    if length is None:
        return fn("trino_binary_substr", node.this, node.args.get("start"))
    return fn("trino_binary_substr_for", node.this, node.args.get("start"), length)


def _reverse(node: exp.Reverse) -> exp.Expression | None:
    return fn("trino_binary_reverse", node.this) if text_types.is_binary(node.this) else None


def _pad(node: exp.Pad) -> exp.Expression | None:
    if not text_types.is_binary(node.this):
        return None
    name = "lpad" if node.args.get("is_left") else "rpad"
    return fn(f"trino_binary_{name}", node.this, node.expression, node.args.get("fill_pattern"))


def _call(name: str, cast: str | None = None) -> t.Callable[[exp.Anonymous], exp.Expression]:
    def rewrite(node: exp.Anonymous) -> exp.Expression:
        args = list(node.expressions)
        if cast is not None:
            args[0] = exp.Cast(this=args[0], to=exp.DataType.build(cast))
        elif name.startswith("from_"):
            args[0] = _bytes(args[0])
        return fn(f"trino_{name}", *args)
    return rewrite


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Unhex: _from_hex,
    exp.FromBase64: _from_base64,
    exp.SHA: _sha1,
    exp.Length: _length,
    exp.Substring: _substring,
    exp.Reverse: _reverse,
    exp.Pad: _pad,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "to_base64url": _call("to_base64url"),
    "from_base64url": _call("from_base64url"),
    "to_big_endian_64": _call("to_big_endian_64", "BIGINT"),
    "from_big_endian_64": _call("from_big_endian_64"),
    "to_big_endian_32": _call("to_big_endian_32", "INTEGER"),
    "from_big_endian_32": _call("from_big_endian_32"),
    "to_ieee754_32": _call("to_ieee754_32", "FLOAT"),
    "from_ieee754_32": lambda node: exp.Cast(this=_call("from_ieee754_32")(node), to=exp.DataType.build("FLOAT")),
    "to_ieee754_64": _call("to_ieee754_64", "DOUBLE"),
    "spooky_hash_v2_32": _call("spooky_hash_v2_32"),
    "spooky_hash_v2_64": _call("spooky_hash_v2_64"),
    "from_ieee754_64": lambda node: exp.Cast(this=_call("from_ieee754_64")(node), to=exp.DataType.build("DOUBLE")),
}
