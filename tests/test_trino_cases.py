"""Every case of tests/trino_cases/*.tsv: Trino's value and type, through the DB-API."""
from __future__ import annotations

import pytest

import parthenon
from trino_cases import known_gaps, load_cases, run_case

GAPS = known_gaps()
CASES = [pytest.param(c, id=c.id, marks=pytest.mark.xfail(strict=True, reason="known gap"))
         if c.sql in GAPS else pytest.param(c, id=c.id) for c in load_cases()]


@pytest.fixture(scope="module")
def connection(tmp_path_factory):
    with parthenon.connect(home=tmp_path_factory.mktemp("home")) as con:
        yield con


@pytest.mark.parametrize("case", CASES)
def test_trino_case(connection, case):
    value, typ = run_case(connection, case)
    assert value == case.expected, case.sql
    if not case.expected.startswith("ERROR"):
        assert typ == case.type, case.sql
