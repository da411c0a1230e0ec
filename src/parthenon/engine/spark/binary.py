"""Trino's varbinary functions on Spark.

- ``to_hex`` (upper case), ``crc32`` and ``to_utf8`` (ENCODE) are Spark's own; ``from_hex`` fails on an odd
  length or a non-hex digit (Spark: NULL, or a leading 0 nibble).
- ``md5``/``sha1``/``sha256``/``sha512`` are varbinary in Trino (Spark: hex text).
- ``to_base64``/``from_base64`` and their URL-safe forms (``-_`` for ``+/``, padded);
  text that is not plain base64 is refused as the query runs (Spark's decoder is
  lenient where Trino's Java decoder fails).
- ``to_big_endian_32/64``, ``from_big_endian_32/64`` (exactly 4 or 8 bytes, else
  INVALID_FUNCTION_ARGUMENT); ``to_ieee754_32/64`` and ``from_ieee754_32/64`` through
  Java's Float/Double bit conversions (REFLECT).
- ``hmac_md5/sha1/sha256/sha512(data, key)`` through Commons Codec's HmacUtils (REFLECT),
  which reads text: data and key that are not valid UTF-8, or an empty key (Java's key
  spec refuses it), are refused as the query runs.
"""
from __future__ import annotations

from sqlglot import exp

from .templates import spark

FUNCTIONS = frozenset("""to_hex from_hex md5 sha1 sha256 sha512 to_base64 from_base64 to_base64url from_base64url
to_big_endian_32 to_big_endian_64 from_big_endian_32 from_big_endian_64 to_ieee754_32 to_ieee754_64
from_ieee754_32 from_ieee754_64 crc32 to_utf8 hmac_md5 hmac_sha1 hmac_sha256 hmac_sha512""".split())


def _arg(node: exp.Expression) -> exp.Expression:
    return node.expressions[0] if isinstance(node, exp.Anonymous) else node.this


def _fail(message: str) -> str:
    return f"RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: {message}')"


def _text(x: exp.Expression) -> exp.Expression:
    return exp.Cast(this=x, to=exp.DataType.build("STRING"))


def _from_hex(node: exp.Expression) -> exp.Expression:
    return spark(f"CASE WHEN _s RLIKE '^([0-9A-Fa-f]{{2}})*$' THEN UNHEX(_s) ELSE {_fail('invalid hex string')} END",
                 _s=_text(_arg(node)))


def _hash(sql: str):
    return lambda node: spark(sql, _b=_arg(node))


def _from_base64(url: bool):
    alphabet = "A-Za-z0-9\\\\-_" if url else "A-Za-z0-9+/"

    def rewrite(node: exp.Expression) -> exp.Expression:
        s = _text(_arg(node))
        plain = spark("TRANSLATE(_s, '-_', '+/')", _s=s) if url else s
        return spark(f"CASE WHEN _s RLIKE '^[{alphabet}]*={{0,2}}$' AND LENGTH(_s) % 4 <> 1 THEN UNBASE64(_p) "
                     "ELSE RAISE_ERROR('NOT_SUPPORTED: from_base64 of text that is not plain base64 is not "
                     "supported on the Spark engine') END", _s=s, _p=plain)
    return rewrite


def _to_big_endian(bits: int):
    digits = bits // 4
    mask = " & 4294967295" if bits == 32 else ""
    return lambda node: spark(f"UNHEX(LPAD(HEX(CAST(_x AS BIGINT){mask}), {digits}, '0'))", _x=_arg(node))


def _from_big_endian_sql(bits: int) -> str:
    """The signed integer of `_b`'s bytes (bound once as __b)."""
    n, b = bits // 8, "__b"
    value = f"CAST(CONV(HEX({b}), 16, -10) AS BIGINT)"
    if bits == 32:
        value = f"CAST(CASE WHEN {value} >= 2147483648 THEN {value} - 4294967296 ELSE {value} END AS INT)"
    return (f"ELEMENT_AT(TRANSFORM(ARRAY(_b), {b} -> CASE WHEN LENGTH({b}) <> {n} THEN "
            f"{_fail(f'expected {n}-byte input')} ELSE {value} END), 1)")


def _from_big_endian(bits: int):
    return lambda node: spark(_from_big_endian_sql(bits), _b=_arg(node))


_JAVA = {32: ("java.lang.Float", "floatToIntBits", "intBitsToFloat", "FLOAT"),
         64: ("java.lang.Double", "doubleToLongBits", "longBitsToDouble", "DOUBLE")}


def _to_ieee754(bits: int):
    cls, to_bits, _, typ = _JAVA[bits]

    def rewrite(node: exp.Expression) -> exp.Expression:
        raw = spark(f"CAST(REFLECT('{cls}', '{to_bits}', CAST(_x AS {typ})) AS BIGINT)", _x=_arg(node))
        return _to_big_endian(bits)(exp.Anonymous(this="x", expressions=[raw]))
    return rewrite


def _from_ieee754(bits: int):
    cls, _, from_bits, typ = _JAVA[bits]
    return lambda node: spark(
        f"CAST(REFLECT('{cls}', '{from_bits}', {_from_big_endian_sql(bits)}) AS {typ})", _b=_arg(node))


def _hmac(algorithm: str):
    def rewrite(node: exp.Anonymous) -> exp.Expression:
        data, key = node.expressions
        refused = exp.Anonymous(this="RAISE_ERROR", expressions=[exp.Literal.string(
            f"NOT_SUPPORTED: Function 'hmac_{algorithm.lower()}' of bytes that are not UTF-8 text, or with an empty "
            "key, is not supported on the Spark engine")])
        return spark("CASE WHEN _d IS NULL OR _k IS NULL THEN CAST(NULL AS BINARY) WHEN NOT IS_VALID_UTF8(CAST(_d AS "
                     "STRING)) OR NOT IS_VALID_UTF8(CAST(_k AS STRING)) OR LENGTH(_k) = 0 THEN _x ELSE UNHEX(REFLECT("
                     f"'org.apache.commons.codec.digest.HmacUtils', 'hmac{algorithm}Hex', CAST(_k AS STRING), "
                     "CAST(_d AS STRING))) END", _d=data, _k=key, _x=refused)
    return rewrite


CLASS_REWRITES = {
    exp.Encode: lambda node: spark("ENCODE(_s, 'UTF-8')", _s=node.this),
    exp.Unhex: _from_hex,
    exp.MD5Digest: _hash("UNHEX(MD5(_b))"),
    exp.SHA: _hash("UNHEX(SHA1(_b))"),
    exp.SHA2Digest: lambda node: spark(f"UNHEX(SHA2(_b, {node.args.get('length') or 256}))", _b=node.this),
    exp.FromBase64: _from_base64(False),
}
ANONYMOUS_REWRITES = {
    "to_base64url": lambda node: spark("TRANSLATE(BASE64(_b), '+/', '-_')", _b=_arg(node)),
    "from_base64url": _from_base64(True),
    "to_big_endian_32": _to_big_endian(32),
    "to_big_endian_64": _to_big_endian(64),
    "from_big_endian_32": _from_big_endian(32),
    "from_big_endian_64": _from_big_endian(64),
    "to_ieee754_32": _to_ieee754(32),
    "to_ieee754_64": _to_ieee754(64),
    "from_ieee754_32": _from_ieee754(32),
    "from_ieee754_64": _from_ieee754(64),
    "hmac_md5": _hmac("Md5"),
    "hmac_sha1": _hmac("Sha1"),
    "hmac_sha256": _hmac("Sha256"),
    "hmac_sha512": _hmac("Sha512"),
}
