"""Trino's IP address text, in Python: what both engines read an address's text with.

Trino parses with Guava's ``InetAddresses.forString`` and stores the 16 bytes of IPv6,
an IPv4 address mapped into it (``::ffff:a.b.c.d``).  Python's ``ipaddress`` accepts the
same ASCII texts (octets with a leading zero refused, one ``::`` that stands for at
least one group, a dotted quad only as the last 32 bits).  A scope (``fe80::1%eth0``)
is refused here: Trino keeps a scope only when Athena's worker has that network
interface, which no engine here can know.

``address_value`` is the DuckDB engine's parser (its ``trino_ipaddress`` function) and
the Spark engine's for constants (``engine/spark/ipaddress``, which reads other values
with Spark SQL under the same rules).
"""
from __future__ import annotations

import ipaddress

MAPPED = 0xFFFF << 32     # ::ffff:a.b.c.d, IPv4 as Trino stores it


def address_value(text: str) -> int | None:
    """An address's 128-bit value (IPv4 mapped into IPv6), None for what is not one."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 4:
        return MAPPED | int(address)
    if getattr(address, "scope_id", None):
        return None
    return int(address)


def is_mapped(value: int) -> bool:
    return value >> 32 == 0xFFFF


def address_text(value: int) -> str:
    """Dotted IPv4 for a mapped address, else RFC 5952's shortest IPv6 form (Guava's)."""
    if is_mapped(value):
        return str(ipaddress.IPv4Address(value & 0xFFFFFFFF))
    return ipaddress.IPv6Address(value).compressed
