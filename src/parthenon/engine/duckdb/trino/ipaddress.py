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
from .nodes import duck, position

# Guava's (so Trino's) dotted quad: decimal octets without leading zeros
_OCTET = "(0|[1-9][0-9]{0,2})"
_V4 = rf"^{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}$"

_V4_VALUE = ("list_reduce(list_transform(string_split(_s, '.'), lambda o: CAST(o AS UHUGEINT)), "
             "lambda a, b: a * 256 + b)")

_MAPPED = "(CAST(65535 AS UHUGEINT) << CAST(32 AS UHUGEINT))"


def _try_parse(s: exp.Expression) -> exp.Expression:
    """The address's 128-bit value, NULL for NULL or for text that is not an address."""
    return duck(
        f"CASE WHEN regexp_matches(_s, '{_V4}') AND list_bool_and(list_transform(string_split(_s, '.'), "
        "lambda o: CAST(o AS INTEGER) <= 255)) "
        f"THEN {_MAPPED} + {_V4_VALUE} "
        "WHEN regexp_matches(_s, '^[0-9a-fA-F:.]+$') AND _s LIKE '%:%' THEN _v6 END",
        _s=s, _v6=_v6_value(s))


def _parse(s: exp.Expression) -> exp.Expression:
    return duck("CASE WHEN _s IS NULL THEN NULL ELSE coalesce(_v, "
                "CAST(error('Cannot cast value to IPADDRESS: ' || _s) AS UHUGEINT)) END",
                _s=s, _v=_try_parse(s))


def _v6_value(s: exp.Expression) -> exp.Expression:
    """The 128-bit value of IPv6 text; NULL for malformed text."""
    return duck(
        "list_transform([" + _SPLIT + "], lambda parts: CASE "
        "WHEN parts IS NULL OR len(parts) <> 8 OR NOT list_bool_and(list_transform(parts, "
        "lambda p: regexp_matches(p, '^[0-9a-fA-F]{1,4}$'))) THEN NULL "
        "ELSE list_reduce(list_transform(parts, lambda p: CAST(CAST('0x' || p AS INTEGER) AS UHUGEINT)), "
        "lambda a, b: a * 65536 + b) END)[1]", _s=s)


# IPv6 text -> list of 8 hextet strings, or a list of another length when malformed
_SPLIT = """
list_transform([CASE WHEN _s LIKE '%.%' AND NOT regexp_matches(regexp_extract(_s, '([0-9.]+)$', 1), '{_V4_TAIL}')
    THEN NULL
    WHEN _s LIKE '%.%'
    THEN list_transform([regexp_extract(_s, '([0-9.]+)$', 1)], lambda v:
      substr(_s, 1, length(_s) - length(v)) || list_transform([string_split(v, '.')], lambda o:
        printf('%x:%x', CAST(o[1] AS INTEGER) * 256 + CAST(o[2] AS INTEGER),
                        CAST(o[3] AS INTEGER) * 256 + CAST(o[4] AS INTEGER)))[1])[1]
    ELSE _s END], lambda s6: list_transform([string_split(s6, '::')], lambda h:
      CASE WHEN len(h) > 2 THEN []
           WHEN len(h) = 1 THEN string_split(h[1], ':')
           ELSE list_transform([[CASE WHEN h[1] = '' THEN [] ELSE string_split(h[1], ':') END,
                                 CASE WHEN h[2] = '' THEN [] ELSE string_split(h[2], ':') END]],
             lambda lr: lr[1] || list_transform(range(8 - len(lr[1]) - len(lr[2])), lambda i: '0')
                        || lr[2])[1]
      END)[1])[1]
"""
_SPLIT = _SPLIT.replace("{_V4_TAIL}", _V4)


def _shift(bits: int) -> str:
    return f"CAST({bits} AS UHUGEINT)"


def text(v: exp.Expression) -> exp.Expression:
    """Trino's text of an address: dotted IPv4 when mapped, else the shortest IPv6 form."""
    full = ("array_to_string(list_transform(range(8), lambda i: lower(printf('%x', "
            "CAST((_v >> CAST(16 * (7 - i) AS UHUGEINT)) & CAST(65535 AS UHUGEINT) AS INTEGER)))), ':')")
    compress = "_f"
    for k in range(1, 8):    # the longest run of zero hextets (two or more) becomes '::'
        pattern = "(^|:)0" + "(:0)" * k + "(:|$)"
        compress = f"CASE WHEN regexp_matches(_f, '{pattern}') THEN regexp_replace(_f, '{pattern}', '::') " \
                   f"ELSE {compress} END"
    v6 = duck(f"list_transform([{full}], lambda _f: {compress})[1]".replace("lambda _f", "lambda f6")
              .replace("_f", "f6"), _v=v)
    octet = "CAST((_v >> {s}) & CAST(255 AS UHUGEINT) AS INTEGER)"
    v4 = " || '.' || ".join(f"CAST({octet.format(s=_shift(s))} AS VARCHAR)" for s in (24, 16, 8, 0))
    return duck(f"CASE WHEN _v >> {_shift(32)} = CAST(65535 AS UHUGEINT) THEN {v4} ELSE _six END",
                _v=v, _six=v6)


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


def _invalid(message: str) -> str:
    return f"error('INVALID_FUNCTION_ARGUMENT: {message}')"


def _contains(node: exp.Expression) -> exp.Expression | None:
    """contains(network, address): whether the CIDR network holds the address, with
    Trino's checks of the network (in their order)."""
    args = [node.this, node.expression] if not isinstance(node, exp.Anonymous) else node.expressions
    if len(args) != 2 or not is_ipaddress(args[1]):
        return None
    network, address = args
    # c: the network's text, b: its base address, v4: whether it is IPv4, n: its prefix length
    return duck(
        "CASE WHEN _net IS NULL OR _a IS NULL THEN NULL ELSE list_transform([_net], lambda c: "
        "CASE WHEN strpos(c, '/') = 0 THEN " + _invalid("Invalid CIDR") + " ELSE "
        "list_transform([_base], lambda b: "
        "CASE WHEN b IS NULL THEN " + _invalid("Invalid network IP address") + " ELSE "
        f"list_transform([b >> CAST(32 AS UHUGEINT) = CAST(65535 AS UHUGEINT)], lambda v4: "
        "list_transform([CAST(substr(c, strpos(c, '/') + 1) AS INTEGER)], lambda n: "
        "CASE WHEN n < 0 THEN " + _invalid("Invalid prefix length") + " "
        "WHEN n > CASE WHEN v4 THEN 32 ELSE 128 END THEN " + _invalid("Prefix length exceeds address length") + " "
        "WHEN v4 AND (b & (CAST(4294967295 AS UHUGEINT) >> CAST(n AS UHUGEINT))) <> CAST(0 AS UHUGEINT) "
        "THEN " + _invalid("Invalid CIDR") + " "
        "WHEN v4 <> (_a >> CAST(32 AS UHUGEINT) = CAST(65535 AS UHUGEINT)) "
        "THEN " + _invalid("IP address version should be the same") + " "
        "WHEN n = 0 THEN TRUE "
        "ELSE (_a >> CAST(CASE WHEN v4 THEN 32 ELSE 128 END - n AS UHUGEINT)) = "
        "(b >> CAST(CASE WHEN v4 THEN 32 ELSE 128 END - n AS UHUGEINT)) END)[1])[1] END)[1] END)[1] END",
        _net=network, _a=address, _base=_try_parse(duck("substr(c, 1, strpos(c, '/') - 1)")))


# Used by casts (CAST to and from IPADDRESS) and arrays (contains) before their own rules.
cast = _cast
contains = _contains
