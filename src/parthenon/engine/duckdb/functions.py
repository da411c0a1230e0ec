"""Trino functions the engine has no equivalent of, as scalar functions on its connection.

Hashes and encodings whose bytes must be Trino's exactly: crc32, sha512, the hmac_*
family, xxhash64 (XXH64, seed 0, big-endian as Trino returns it), murmur3 (MurmurHash3
x64 128-bit, seed 0), to_base32 / from_base32 (RFC 4648 with padding, as Guava's
base32()), soundex (Apache commons-codec's US English Soundex, which Trino calls), and
json_parse (keys sorted, as Trino's JSON values are).
Each is registered under a `trino_` name, so that it never shadows an engine function;
`sql/trino/hashes.py` rewrites the Trino names to these.  They compute values only: no
file, network or configuration access, so the engine's lock-down is unchanged.  A bad
argument raises "INVALID_FUNCTION_ARGUMENT: ...", which the session maps to Trino's error.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import zlib

import duckdb
import mmh3
import xxhash

_BLOB, _TEXT, _BIGINT = (duckdb.sqltype(t) for t in ("BLOB", "VARCHAR", "BIGINT"))

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


def from_base32(text: str) -> bytes:
    try:
        return base64.b32decode(text)
    except (binascii.Error, ValueError):
        raise ValueError(f"INVALID_FUNCTION_ARGUMENT: Invalid input for base32: {text}") from None


def json_parse(text: str) -> str:
    """Trino's json_parse: the value re-written compactly with object keys sorted (Jackson's
    ORDER_MAP_ENTRIES_BY_KEYS), so that equal JSON values have equal text."""
    try:
        value = json.loads(text)
    except ValueError:
        raise ValueError(f"INVALID_FUNCTION_ARGUMENT: Cannot convert value to JSON: '{text}'") from None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
    "trino_xxhash64": (lambda b: xxhash.xxh64_digest(b), [_BLOB], _BLOB),
    "trino_murmur3": (lambda b: mmh3.hash_bytes(b), [_BLOB], _BLOB),
    "trino_to_base32": (lambda b: base64.b32encode(b).decode("ascii"), [_BLOB], _TEXT),
    "trino_from_base32": (from_base32, [_TEXT], _BLOB),
    "trino_soundex": (soundex, [_TEXT], _TEXT),
    "trino_json_parse": (json_parse, [_TEXT], _TEXT),
}


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Add the functions to a connection (NULL in, NULL out, as Trino's are)."""
    for name, (function, args, result) in FUNCTIONS.items():
        con.create_function(name, function, args, result, side_effects=False)
