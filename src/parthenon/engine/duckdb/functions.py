"""Trino functions the engine has no equivalent of, as scalar functions on its connection.

Hashes and encodings whose bytes must be Trino's exactly: crc32, sha512, the hmac_*
family, xxhash64, murmur3, to_base32 / from_base32 (their rules in sql/trino/binary_hashes,
which the Spark engine calls too), soundex (Apache commons-codec's US English Soundex, which Trino calls), and
json_parse (keys sorted, as Trino's JSON values are: ``json_values``, a batch at a time: ``json_batches``), decimal division and remainder past 38
digits (``trino/arithmetic``, ``trino/decimals``), and IP addresses: their parsing,
text and ``contains(cidr, address)`` (see ``trino/ipaddress``).
Each is registered under a `trino_` name, so that it never shadows an engine function;
`sql/trino/hashes.py` rewrites the Trino names to these.  They compute values only: no
file, network or configuration access, so the engine's lock-down is unchanged.  A bad
argument raises "INVALID_FUNCTION_ARGUMENT: ...", which the session maps to Trino's error.
"""
from __future__ import annotations

import decimal
import hashlib
import hmac
import zlib

import duckdb

from ...sql.trino.binary_hashes import from_base32, murmur3, to_base32, xxhash64
from ...sql.trino.ip_addresses import address_text, address_value, is_mapped
from ...sql.trino import json_values
from ...sql.trino.zones import zone_key
from . import (binary_functions, color_functions, java_format, json_batches, json_numbers,
               regex_functions, set_digest_functions, sql_json_functions, statistics_functions, text_functions)

# Type names, made types on the connection they are registered on (register): duckdb.sqltype
# at import opened DuckDB's default connection, a second database (20-50 ms a process).
_BLOB, _TEXT, _BIGINT, _UHUGEINT, _BOOLEAN = "BLOB", "VARCHAR", "BIGINT", "UHUGEINT", "BOOLEAN"

# commons-codec's US English mapping, A..Z; H and W neither code nor separate codes
_SOUNDEX_CODES = "01230120022455012623010202"


def soundex(text: str) -> str:
    letters = [c.upper() for c in text if c.isalpha()]
    if not letters:
        return ""
    for c in letters:
        if not "A" <= c <= "Z":
            raise ValueError(f"INVALID_FUNCTION_ARGUMENT: The character is not mapped: {c}")
    out, last = [letters[0]], _SOUNDEX_CODES[ord(letters[0]) - 65]
    for c in letters[1:]:
        if len(out) == 4:
            break
        if c in "HW":
            continue
        digit = _SOUNDEX_CODES[ord(c) - 65]
        if digit != "0" and digit != last:
            out.append(digit)
        last = digit
    return "".join(out).ljust(4, "0")


def ipaddress_parse(text: str) -> int:
    value = address_value(text)
    if value is None:
        raise ValueError(f"INVALID_CAST_ARGUMENT: Cannot cast value to IPADDRESS: {text}")
    return value


def ip_contains(network: str, address: int) -> bool:
    """Trino's contains(varchar, ipaddress), its checks of the CIDR in their order."""
    def invalid(message: str) -> ValueError:
        return ValueError(f"INVALID_FUNCTION_ARGUMENT: {message}")
    base_text, slash, length = network.partition("/")
    if not slash:
        raise invalid("Invalid CIDR")
    base = address_value(base_text)
    if base is None:
        raise invalid("Invalid network IP address")
    try:
        prefix = int(length)
    except ValueError:
        raise invalid("Invalid prefix length") from None
    if prefix < 0:
        raise invalid("Invalid prefix length")
    v4 = is_mapped(base)
    bits = 32 if v4 else 128
    if prefix > bits:
        raise invalid("Prefix length exceeds address length")
    if v4 and base & (0xFFFFFFFF >> prefix):
        raise invalid("Invalid CIDR")
    if v4 != is_mapped(address):
        raise invalid("IP address version should be the same")
    if v4:
        base, address = base & 0xFFFFFFFF, address & 0xFFFFFFFF
    return prefix == 0 or base >> (bits - prefix) == address >> (bits - prefix)


def decimal_divide(dividend: str, divisor: str, precision: int, scale: int) -> str:
    """Trino's decimal division where 128 bits cannot hold the scaled dividend (Trino
    computes it on 256): the quotient rounded half up at ``scale``, as text."""
    context = decimal.Context(prec=200, rounding=decimal.ROUND_HALF_UP)
    n, d = decimal.Decimal(dividend), decimal.Decimal(divisor)
    if d == 0:
        raise ValueError("Division by zero")
    q = context.divide(n, d).quantize(decimal.Decimal(1).scaleb(-scale), context=context)
    if len(q.as_tuple().digits) > precision and q != 0:
        raise ValueError("NUMERIC_VALUE_OUT_OF_RANGE: Decimal overflow in division")
    return format(q, "f")


def decimal_remainder(dividend: str, divisor: str, scale: int) -> str:
    """Trino's decimal remainder (the dividend's sign) where one operand at the common
    scale passes 38 digits (DuckDB's % then goes through a double)."""
    context = decimal.Context(prec=200)
    n, d = decimal.Decimal(dividend), decimal.Decimal(divisor)
    if d == 0:
        raise ValueError("Division by zero")
    return format(context.remainder(n, d).quantize(decimal.Decimal(1).scaleb(-scale), context=context), "f")


def _hmac(digest: str):
    return lambda data, key: hmac.new(key, data, digest).digest()


# name -> (function, argument types, result type)
FUNCTIONS = {
    "trino_crc32": (lambda b: zlib.crc32(b), [_BLOB], _BIGINT),
    "trino_sha512": (lambda b: hashlib.sha512(b).digest(), [_BLOB], _BLOB),
    "trino_hmac_md5": (_hmac("md5"), [_BLOB, _BLOB], _BLOB),
    "trino_hmac_sha1": (_hmac("sha1"), [_BLOB, _BLOB], _BLOB),
    "trino_hmac_sha256": (_hmac("sha256"), [_BLOB, _BLOB], _BLOB),
    "trino_hmac_sha512": (_hmac("sha512"), [_BLOB, _BLOB], _BLOB),
    "trino_xxhash64": (xxhash64, [_BLOB], _BLOB),
    "trino_murmur3": (murmur3, [_BLOB], _BLOB),
    "trino_to_base32": (to_base32, [_BLOB], _TEXT),
    "trino_from_base32": (from_base32, [_TEXT], _BLOB),
    "trino_soundex": (soundex, [_TEXT], _TEXT),
    "trino_ipaddress": (ipaddress_parse, [_TEXT], _UHUGEINT),
    "trino_try_ipaddress": (lambda t: None if t is None else address_value(t), [_TEXT], _UHUGEINT),
    "trino_ipaddress_text": (address_text, [_UHUGEINT], _TEXT),
    "trino_ip_contains": (ip_contains, [_TEXT, _UHUGEINT], _BOOLEAN),
    "trino_decimal_divide": (decimal_divide, [_TEXT, _TEXT, _BIGINT, _BIGINT], _TEXT),
    "trino_decimal_remainder": (decimal_remainder, [_TEXT, _TEXT, _BIGINT], _TEXT),
    # Trino's key of the zone of a text cast to a zoned timestamp, NULL if unknown (temporal_casts)
    "trino_zone_key": (lambda z: None if z is None else zone_key(z), [_TEXT], _TEXT),
    **json_values.FUNCTIONS,    # Trino's JSON casts and element rules
}


_MAY_RETURN_NULL = {"trino_try_ipaddress", "trino_zone_key", *regex_functions.MAY_RETURN_NULL, *json_values.MAY_RETURN_NULL,
                    *sql_json_functions.MAY_RETURN_NULL, *set_digest_functions.MAY_RETURN_NULL}


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Add the functions to a connection (NULL in, NULL out, as Trino's are), with those of
    the regular expression, varbinary and string modules."""
    every = {**FUNCTIONS, **regex_functions.FUNCTIONS, **binary_functions.FUNCTIONS,
             **text_functions.FUNCTIONS, **statistics_functions.FUNCTIONS, **java_format.FUNCTIONS,
             **color_functions.FUNCTIONS, **sql_json_functions.FUNCTIONS, **set_digest_functions.FUNCTIONS}
    for name, (function, args, result) in every.items():
        # a function that can give NULL for a value must say so to DuckDB
        nulls = {"null_handling": "special"} if name in _MAY_RETURN_NULL else {}
        con.create_function(name, function, [_typed(con, a) for a in args], _typed(con, result),
                            side_effects=False, **nulls)
    for name, (function, args, result) in {**json_batches.FUNCTIONS, **json_numbers.FUNCTIONS}.items():
        # a batch at a time
        con.create_function(name, function, [_typed(con, a) for a in args], _typed(con, result),
                            type="arrow", side_effects=False, null_handling="special")


def _typed(con: duckdb.DuckDBPyConnection, t):
    return con.sqltype(t) if isinstance(t, str) else t
