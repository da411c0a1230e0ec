"""Trino's setdigest functions on DuckDB: the digest is a BLOB of Trino's exact bytes
(``sql.trino.set_digests``), made and read by the engine's ``trino_set_digest_*``
functions (``engine/duckdb/set_digest_functions``).

- ``make_set_digest(x)`` (bigint or varchar) and ``merge_set_digest(d)``: aggregates, the
  values collected by DuckDB's ``list`` and the digest made from them at once (NULL for no
  values, as Trino's empty state);
- ``cardinality(d)``, ``intersection_cardinality(d1, d2)``, ``jaccard_index(d1, d2)``,
  ``hash_counts(d)`` (map(bigint, smallint)).

A digest past airlift's sparse HyperLogLog (more than 251 entries, so sets of about 250
values and more) is NOT_SUPPORTED: Trino's dense HyperLogLog bytes are not written here.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ....errors import FunctionNotFound
from .nodes import INTEGERS, duck, fn, is_type, position, type_of
from ....sql.trino import typing as trino_typing


def is_set_digest(x: exp.Expression) -> bool:
    typ = type_of(x)
    return typ is not None and typ.this == exp.DType.USERDEFINED and typ.args.get("kind") == "setdigest"


def _digests(node: exp.Anonymous, name: str, count: int) -> list[exp.Expression]:
    args = node.expressions
    if len(args) != count or not all(is_set_digest(a) or type_of(a) is None or is_type(a, exp.DType.NULL)
                                      for a in args):
        types = ", ".join(trino_typing.type_name(type_of(a)) or "unknown" for a in args)
        expected = ", ".join(["setdigest"] * count)
        raise FunctionNotFound(f"Unexpected parameters ({types}) for function {name}. "
                               f"Expected: {name}({expected})", *position(node))
    return list(args)


def _make(node: exp.Anonymous) -> exp.Expression:
    if len(node.expressions) != 1:
        _digests(node, "make_set_digest", 1)
    x = node.expressions[0]
    if is_type(x, *INTEGERS):
        return duck("trino_set_digest_of_bigints(list(CAST(_x AS BIGINT)))", _x=x)
    if is_type(x, *trino_typing.TEXT):
        return duck("trino_set_digest_of_text(list(CAST(_x AS VARCHAR)))", _x=x)
    if type_of(x) is None or is_type(x, exp.DType.UNKNOWN):
        # a type the analysis did not learn (a VALUES column): the values' own, at run time
        return duck("trino_set_digest_of_json(CAST(to_json(list(_x)) AS VARCHAR))", _x=x)
    types = trino_typing.type_name(type_of(x)) or "unknown"
    raise FunctionNotFound(f"Unexpected parameters ({types}) for function make_set_digest. Expected: "
                           "make_set_digest(bigint), make_set_digest(varchar(x))", *position(node))


def _merge(node: exp.Anonymous) -> exp.Expression:
    d, = _digests(node, "merge_set_digest", 1)
    return duck("trino_set_digest_merge(list(_d))", _d=d)


def _cardinality(node: exp.ArraySize) -> exp.Expression | None:
    if not is_set_digest(node.this):
        return None
    return fn("trino_set_digest_cardinality", node.this)


def _two(name: str) -> t.Callable[[exp.Anonymous], exp.Expression]:
    def rewrite(node: exp.Anonymous) -> exp.Expression:
        a, b = _digests(node, name, 2)
        return fn(f"trino_set_digest_{name}", a, b)
    return rewrite


def _hash_counts(node: exp.Anonymous) -> exp.Expression:
    d, = _digests(node, "hash_counts", 1)
    return duck("CASE WHEN _d IS NOT NULL THEN map(trino_set_digest_hashes(_d), trino_set_digest_counts(_d)) END",
                _d=d)


CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.ArraySize: _cardinality,
}

ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "make_set_digest": _make,
    "merge_set_digest": _merge,
    "intersection_cardinality": _two("intersection_cardinality"),
    "jaccard_index": _two("jaccard_index"),
    "hash_counts": _hash_counts,
}
