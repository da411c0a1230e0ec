"""Trino 435's SQL-level query tests (core/trino-main/src/test/java/io/trino/sql/query),
transcribed in tests/trino_queries/<Class>.txt: each query runs through the DB-API on
DuckDB and its rows (as Athena's text) and column types must be Trino's expected
relation; rows compare as a multiset unless the case is ORDERED.  Cases not passing
yet are strict xfail with their reason in tests/trino_queries/gaps.txt."""
from __future__ import annotations

from collections import Counter

import pytest

import parthenon
from trino_queries import known_gaps, load_queries, run_query

GAPS = known_gaps()
QUERIES = load_queries()
CASES = [pytest.param(q, id=q.id, marks=pytest.mark.xfail(strict=True, reason=GAPS[q.sql]))
         if q.sql in GAPS else pytest.param(q, id=q.id) for q in QUERIES]


def test_every_gap_is_a_case():
    assert set(GAPS) <= {q.sql for q in QUERIES}


@pytest.fixture(scope="module")
def connection(tmp_path_factory):
    with parthenon.connect(home=tmp_path_factory.mktemp("home")) as con:
        yield con


@pytest.mark.parametrize("query", CASES)
def test_trino_query(connection, query):
    rows, types = run_query(connection, query.sql)
    if query.error:
        assert rows == query.error, query.sql
        return
    assert not isinstance(rows, str), f"{rows}: {query.sql}"
    if query.types is not None:
        assert types == query.types, query.sql
    if query.ordered:
        assert rows == query.rows, query.sql
    else:
        assert Counter(rows) == Counter(query.rows), query.sql
