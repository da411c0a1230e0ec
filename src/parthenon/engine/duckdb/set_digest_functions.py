"""The engine functions of Trino's setdigest (``trino/set_digests``): each a plain Python
function over Trino's serialised digest (``sql.trino.set_digests``).  A digest Trino's
answer is not certain for is NOT_SUPPORTED, a malformed one INVALID_FUNCTION_ARGUMENT."""
from __future__ import annotations

import functools
import json

from ...sql.trino import set_digests as sd


def _refusing(f):
    @functools.wraps(f)     # (the engine reads the arity from the signature)
    def run(*args):
        try:
            return f(*args)
        except sd.Refused as e:
            raise ValueError(f"NOT_SUPPORTED: {e}") from None
    return run


def _of_json(text: str | None) -> bytes | None:
    """A digest of the JSON array of the values of a column whose type the analysis did
    not learn: integers as bigints, strings as varchars; any other type is NOT_SUPPORTED
    (Trino has make_set_digest of those two only)."""
    values = json.loads(text) if text is not None else None
    for v in values or ():
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, str))):
            raise ValueError("NOT_SUPPORTED: make_set_digest of a value that is neither bigint nor varchar")
        if isinstance(v, int) and not -2 ** 63 <= v < 2 ** 63:
            raise ValueError("NOT_SUPPORTED: make_set_digest of a value that is neither bigint nor varchar")
    return sd.make(values)


def _read(b: bytes) -> sd.SetDigest:
    return sd.SetDigest.deserialize(bytes(b))


_BLOB, _BIGINT = "BLOB", "BIGINT"

FUNCTIONS = {
    "trino_set_digest_of_bigints": (_refusing(sd.make), ["BIGINT[]"], _BLOB),
    "trino_set_digest_of_text": (_refusing(sd.make), ["VARCHAR[]"], _BLOB),
    "trino_set_digest_of_json": (_refusing(_of_json), ["VARCHAR"], _BLOB),
    "trino_set_digest_merge": (_refusing(lambda ds: sd.merge_all([bytes(d) for d in ds or () if d is not None])),
                               ["BLOB[]"], _BLOB),
    "trino_set_digest_cardinality": (_refusing(lambda d: _read(d).cardinality()), [_BLOB], _BIGINT),
    "trino_set_digest_intersection_cardinality": (
        _refusing(lambda a, b: sd.intersection_cardinality(_read(a), _read(b))), [_BLOB, _BLOB], _BIGINT),
    "trino_set_digest_jaccard_index": (_refusing(lambda a, b: sd.jaccard_index(_read(a), _read(b))),
                                       [_BLOB, _BLOB], "DOUBLE"),
    "trino_set_digest_hashes": (_refusing(lambda d: sorted(_read(d).minhash)), [_BLOB], "BIGINT[]"),
    "trino_set_digest_counts": (_refusing(lambda d: [c for _, c in sorted(_read(d).minhash.items())]),
                                [_BLOB], "SMALLINT[]"),
}

# make and merge give NULL for no values
MAY_RETURN_NULL = {"trino_set_digest_of_bigints", "trino_set_digest_of_json", "trino_set_digest_of_text", "trino_set_digest_merge"}
