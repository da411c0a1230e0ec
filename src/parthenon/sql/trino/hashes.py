"""Hash and encoding functions, on the engine's `trino_*` scalar functions
(engine/functions.py), which compute Trino's exact bytes: crc32 (bigint), sha512,
hmac_md5 / hmac_sha1 / hmac_sha256 / hmac_sha512(data, key), xxhash64 and murmur3
(varbinary), to_base32 (varchar) / from_base32 (varbinary), and soundex (varchar).
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from .nodes import fn, int_literal


def _call(name: str) -> t.Callable[[exp.Expression], exp.Expression]:
    def rewrite(node: exp.Expression) -> exp.Expression:
        args = node.expressions if isinstance(node, exp.Anonymous) else \
            [a for a in (node.this, node.args.get("expression")) if a is not None]
        return fn(f"trino_{name}", *args)
    return rewrite


def _sha2(node: exp.SHA2Digest) -> exp.Expression | None:
    if int_literal(node.args.get("length")) == 512:
        return fn("trino_sha512", node.this)
    return None      # sha256: the engine's own


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.SHA2Digest: _sha2,
    exp.ToBase32: _call("to_base32"),
    exp.FromBase32: _call("from_base32"),
    exp.Soundex: _call("soundex"),
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    name: _call(name) for name in
    ("crc32", "hmac_md5", "hmac_sha1", "hmac_sha256", "hmac_sha512", "xxhash64", "murmur3")
}

# Trino's result types, for typeof() and the result's column types
TYPES = {"crc32": "bigint", "hmac_md5": "varbinary", "hmac_sha1": "varbinary",
         "hmac_sha256": "varbinary", "hmac_sha512": "varbinary", "xxhash64": "varbinary",
         "murmur3": "varbinary"}
