"""IPADDRESS as Trino has it.

DuckDB has no IP address type here (its ``inet`` extension is not built in), so
a Trino ``ipaddress`` is represented as a DuckDB ``UHUGEINT``: the address's
16 bytes as one unsigned 128-bit number, an IPv4 address mapped into IPv6
(``::ffff:a.b.c.d``), as Trino stores it.  So equality, ordering, ``min``/
``max`` and grouping are Trino's (IPv4 ``10.0.0.1`` equals ``::ffff:10.0.0.1``);
its text is Trino's: dotted for a mapped IPv4 address, else RFC 5952's
shortest IPv6 form (``2001:db8::1``).

Trino semantics covered: ``CAST(varchar AS IPADDRESS)`` and ``IPADDRESS '...'``
(INVALID_CAST_ARGUMENT for what is not an address, octets with a leading zero
included, as Guava's parser refuses them), ``CAST(varbinary AS IPADDRESS)`` (4 or
16 bytes), ``CAST(ipaddress AS VARCHAR | VARBINARY)`` (TYPE_MISMATCH for a bounded
``varchar(n)``), comparisons, arrays of addresses shown as text, and
``contains(cidr, ipaddress)`` with Trino's checks of the CIDR (INVALID_FUNCTION_ARGUMENT:
``Invalid CIDR``, ``Invalid network IP address``, ``Invalid prefix length``,
``Prefix length exceeds address length``, ``IP address version should be the
same``); a network written as a mapped IPv6 address (``::ffff:7f00:1/32``) is IPv4.

Trino (and so Athena) has no IPPREFIX type and no ``ip_subnet_*`` /
``is_subnet_of`` functions (they are Presto's): ``IPPREFIX '...'`` is
TYPE_NOT_FOUND (``sql.trino.typing``), the functions FUNCTION_NOT_FOUND (guard).
"""
from __future__ import annotations

from sqlglot import exp

from ....errors import TypeMismatch
from .nodes import duck, fn, position

# Parsing, text and contains() are the engine's functions (engine/duckdb/functions.py):
# DuckDB cannot bind the lambdas an SQL parser of IPv6 text needs inside an aggregate
# (max(CAST(x AS IPADDRESS))).
_MAPPED = "(CAST(65535 AS UHUGEINT) << CAST(32 AS UHUGEINT))"


def _try_parse(s: exp.Expression) -> exp.Expression:
    """The address's 128-bit value, NULL for NULL or for text that is not an address."""
    return fn("trino_try_ipaddress", s)


def _parse(s: exp.Expression) -> exp.Expression:
    """The address's value; INVALID_CAST_ARGUMENT for text that is not an address."""
    return fn("trino_ipaddress", s)


def text(v: exp.Expression) -> exp.Expression:
    """Trino's text of an address: dotted IPv4 when mapped, else the shortest IPv6 form."""
    return fn("trino_ipaddress_text", v)


def is_ipaddress(node: exp.Expression | None) -> bool:
    return node is not None and node.type is not None and node.type.this == exp.DType.IPADDRESS


def is_ipaddress_array(node: exp.Expression | None) -> bool:
    typ = node.type if node is not None else None
    return typ is not None and typ.this == exp.DType.ARRAY and bool(typ.expressions) and \
        isinstance(typ.expressions[0], exp.DataType) and typ.expressions[0].this == exp.DType.IPADDRESS


def array_text(v: exp.Expression) -> exp.Expression:
    """An array of addresses as an array of their text."""
    return duck("list_transform(_v, lambda ip: _t)", _v=v, _t=text(exp.column("ip")))


def _from_varbinary(b: exp.Expression) -> exp.Expression:
    """4 bytes are an IPv4 address, 16 an IPv6 one (Trino's cast from VARBINARY)."""
    return duck(
        "CASE WHEN _b IS NULL THEN NULL "
        f"WHEN octet_length(_b) = 4 THEN {_MAPPED} + CAST('0x' || hex(_b) AS UHUGEINT) "
        "WHEN octet_length(_b) = 16 THEN CAST('0x' || hex(_b) AS UHUGEINT) "
        "ELSE CAST(error('INVALID_CAST_ARGUMENT: Invalid IP address binary length: ' || "
        "CAST(octet_length(_b) AS VARCHAR)) AS UHUGEINT) END", _b=b)


def _to_varbinary(v: exp.Expression) -> exp.Expression:
    return duck("unhex(lpad(hex(_v), 32, '0'))", _v=v)


_BINARY = (exp.DType.VARBINARY, exp.DType.BINARY, exp.DType.BLOB)


def _cast(node: exp.Cast) -> exp.Expression | None:
    x, to = node.this, node.to
    if to.this == exp.DType.IPADDRESS:
        if is_ipaddress(x):
            return x
        if x.type is not None and x.type.this in _BINARY:
            return _from_varbinary(x)
        return _parse(x)
    if not is_ipaddress(x):
        return None
    if to.this in (exp.DType.VARCHAR, exp.DType.TEXT):
        if to.expressions:      # Trino casts an address to unbounded varchar only
            raise TypeMismatch(f"Cannot cast ipaddress to {to.sql('trino').lower()}", *position(node))
        return text(x)
    if to.this in _BINARY:
        return _to_varbinary(x)
    return None


def _contains(node: exp.Expression) -> exp.Expression | None:
    """contains(network, address): whether the CIDR network holds the address, with
    Trino's checks of the network (engine function ``trino_ip_contains``)."""
    args = [node.this, node.expression] if not isinstance(node, exp.Anonymous) else node.expressions
    if len(args) != 2 or not is_ipaddress(args[1]):
        return None
    return fn("trino_ip_contains", *args)


# Used by casts (CAST to and from IPADDRESS) and arrays (contains) before their own rules.
cast = _cast
contains = _contains
