"""The Spark engine's IP address parser and text (Spark SQL, engine/spark/ipaddress)
against the Python reading both engines share for constants (sql/trino/ip_addresses),
over generated texts: valid and invalid IPv4, IPv6 in every form, dotted quad tails;
and contains() against the DuckDB engine's, over networks of every prefix length."""
from __future__ import annotations

import ipaddress
import random

import pytest

from engines import connect, spark_available
from parthenon.engine.duckdb.functions import ip_contains
from parthenon.sql.trino.ip_addresses import address_text, address_value

pytestmark = pytest.mark.skipif(not spark_available(), reason="pyspark and java are needed")


def _texts(n: int) -> list[str]:
    rng = random.Random(7)
    masks = [(1 << 128) - 1, 0xFFFF0000FFFF0000FFFFFFFF00000000, 0xFFFF000000000000000000000000FFFF, 0xFFFF, 0]
    parts = ["", "0", "00", "000", "0000", "1", "ab", "FFFF", "fffff", "g", "1.2.3.4", "01.2.3.4"]
    octets = [0, 1, 9, 10, 99, 100, 199, 249, 250, 255, 256, 300]
    out = set()
    while len(out) < n:
        k = rng.random()
        if k < 0.3:
            a = ipaddress.IPv6Address(rng.getrandbits(128) & rng.choice(masks))
            out.add(rng.choice([a.compressed, a.exploded]))
        elif k < 0.45:
            out.add(".".join(str(rng.choice(octets + [rng.randint(0, 255)])) for _ in range(rng.choice([3, 4, 4, 5]))))
        elif k < 0.55:
            out.add("::ffff:" + ".".join(str(rng.randint(0, 260)) for _ in range(4)))
        else:
            out.add(":".join(rng.choice(parts) for _ in range(rng.randint(1, 10))))
    return sorted(out)


def test_addresses_read_and_written_as_trino_does(tmp_path):
    texts = _texts(800)
    con = connect("spark", tmp_path)
    cur = con.cursor()
    values = ", ".join(f"'{s}'" for s in texts)
    cur.execute(f"SELECT a, CAST(TRY_CAST(a AS IPADDRESS) AS VARCHAR), to_hex(CAST(TRY_CAST(a AS IPADDRESS) "
                f"AS VARBINARY)) FROM (VALUES {values}) t(a)")
    got = {a: (text, hex_) for a, text, hex_ in cur.fetchall()}
    values_of = {a: address_value(a) for a in texts}
    want = {a: (None, None) if v is None else (address_text(v), f"{v:032X}") for a, v in values_of.items()}
    assert got == want
    assert 200 < sum(v is not None for v in values_of.values()) < 600     # both kinds, many of each


def test_contains_checks_networks_as_trino_does(tmp_path):
    networks = ["10.0.0.0", "10.1.0.0", "0.0.0.0", "255.255.255.255", "::ffff:10.0.0.0", "2001:db8::",
                "2001:db8::1", "::", "64:ff9b::10.0.0.0", "x"]
    addresses = ["10.0.0.1", "10.1.2.3", "11.0.0.0", "255.255.255.255", "0.0.0.0", "2001:db8::5", "2001:db9::",
                 "::", "64:ff9b::a00:1", "::ffff:0:0"]
    rng = random.Random(11)
    rows = [(f"{n}/{p}", a) for n in networks for p in ["0", "1", "8", "16", "31", "32", "33", "64", "127", "128",
                                                        "129", "-1", "+8"] for a in rng.sample(addresses, 3)]
    rows.append(("10.0.0.0", "10.0.0.1"))
    con = connect("spark", tmp_path)
    cur = con.cursor()
    values = ", ".join(f"('{n}', '{a}')" for n, a in rows)
    cur.execute(f"SELECT n, a, try(contains(n, CAST(a AS IPADDRESS))) FROM (VALUES {values}) t(n, a)")

    def trino(network: str, address: str) -> bool | None:
        try:
            return ip_contains(network, address_value(address))
        except ValueError:      # Trino's INVALID_FUNCTION_ARGUMENT, NULL inside try()
            return None
    got = {(n, a): c for n, a, c in cur.fetchall()}
    assert got == {(n, a): trino(n, a) for n, a in rows}
    assert {True, False, None} <= set(got.values())
