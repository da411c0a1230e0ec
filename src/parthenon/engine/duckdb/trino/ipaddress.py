"""IPADDRESS as Trino has it.

DuckDB has no IP address type here (its ``inet`` extension is not built in), so
a Trino ``ipaddress`` is represented as a DuckDB ``UHUGEINT``: the address's
16 bytes as one unsigned 128-bit number, an IPv4 address mapped into IPv6
(``::ffff:a.b.c.d``), as Trino stores it.  So equality, ordering, ``min``/
``max`` and grouping are Trino's (IPv4 ``10.0.0.1`` equals ``::ffff:10.0.0.1``);
its text is Trino's: dotted for a mapped IPv4 address, else RFC 5952's
shortest IPv6 form (``2001:db8::1``).

Trino semantics covered: ``CAST(varchar AS IPADDRESS)`` and ``IPADDRESS '...'``
(INVALID_CAST_ARGUMENT for what is not an address), ``CAST(ipaddress AS
VARCHAR)``, comparisons, ``contains(cidr, ipaddress)`` for IPv4 and IPv6
networks.

Knowingly not covered: IPPREFIX, casts to and from VARBINARY.
"""
from __future__ import annotations

from sqlglot import exp

from .nodes import duck

_V4 = r"^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$"

_V4_VALUE = ("list_reduce(list_transform(string_split(_s, '.'), lambda o: CAST(o AS UHUGEINT)), "
             "lambda a, b: a * 256 + b)")

def _parse(s: exp.Expression) -> exp.Expression:
    return duck(
        "CASE WHEN _s IS NULL THEN NULL "
        f"WHEN regexp_matches(_s, '{_V4}') AND list_bool_and(list_transform(string_split(_s, '.'), "
        "lambda o: CAST(o AS INTEGER) <= 255)) "
        f"THEN (CAST(65535 AS UHUGEINT) << CAST(32 AS UHUGEINT)) + {_V4_VALUE} "
        "WHEN regexp_matches(_s, '^[0-9a-fA-F:.]+$') AND _s LIKE '%:%' THEN _v6 "
        "ELSE CAST(error('Cannot cast value to IPADDRESS: ' || _s) AS UHUGEINT) END",
        _s=s, _v6=_v6_value(s))


def _v6_value(s: exp.Expression) -> exp.Expression:
    """The 128-bit value of IPv6 text; an error for malformed text."""
    return duck(
        "list_transform([" + _SPLIT + "], lambda parts: CASE "
        "WHEN parts IS NULL OR len(parts) <> 8 OR NOT list_bool_and(list_transform(parts, "
        "lambda p: regexp_matches(p, '^[0-9a-fA-F]{1,4}$'))) "
        "THEN CAST(error('Cannot cast value to IPADDRESS: ' || _s) AS UHUGEINT) "
        "ELSE list_reduce(list_transform(parts, lambda p: CAST(CAST('0x' || p AS INTEGER) AS UHUGEINT)), "
        "lambda a, b: a * 65536 + b) END)[1]", _s=s)


# IPv6 text -> list of 8 hextet strings, or a list of another length when malformed
_SPLIT = """
list_transform([CASE WHEN _s LIKE '%.%'
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


def _cast(node: exp.Cast) -> exp.Expression | None:
    x, to = node.this, node.to
    if to.this == exp.DType.IPADDRESS:
        return x if is_ipaddress(x) else _parse(x)
    if is_ipaddress(x) and to.this in (exp.DType.VARCHAR, exp.DType.TEXT):
        return text(x)
    return None


def _contains(node: exp.Expression) -> exp.Expression | None:
    """contains(network, address): whether the CIDR network holds the address."""
    args = [node.this, node.expression] if not isinstance(node, exp.Anonymous) else node.expressions
    if len(args) != 2 or not is_ipaddress(args[1]):
        return None
    network, address = args
    base = _parse(duck("split_part(_n, '/', 1)", _n=network))
    bits = duck("CAST(split_part(_n, '/', 2) AS INTEGER) + CASE WHEN split_part(_n, '/', 1) LIKE '%:%' "
                "THEN 0 ELSE 96 END", _n=network)
    return duck("list_transform([_b], lambda n: CASE WHEN n = 0 THEN TRUE ELSE "
                "(_a >> CAST(128 - n AS UHUGEINT)) = (_base >> CAST(128 - n AS UHUGEINT)) END)[1]",
                _b=bits, _a=address, _base=base)


# Used by casts (CAST to and from IPADDRESS) and arrays (contains) before their own rules.
cast = _cast
contains = _contains
