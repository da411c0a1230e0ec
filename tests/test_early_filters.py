"""Which WHERE conditions a scan may apply while decoding (sql/early_filters.py): only those
that can never change a result (the fast CloudTrail scan's use: test_fast_cloudtrail.py)."""
from __future__ import annotations

import pytest
from sqlglot import exp

from parthenon.catalog.model import Column, Table
from parthenon.formats.scan import TextIn
from parthenon.sql.early_filters import early_filters
from parthenon.sql.parser import parse_statement

TABLE = Table(database="default", name="logs",
              columns=[Column("errorcode", "string"), Column("eventname", "string"),
                       Column("n", "int"), Column("useridentity", "struct<arn:string>")],
              partition_keys=[Column("region", "string")])


def filters(sql: str) -> set[TextIn]:
    node = next(t for t in parse_statement(sql).find_all(exp.Table) if t.name == "logs")
    return set(early_filters(node, TABLE, node.alias_or_name))


@pytest.mark.parametrize("sql, expected", [
    ("SELECT * FROM logs WHERE errorcode = 'RequestLimitExceeded'",
     {TextIn("errorcode", frozenset({"RequestLimitExceeded"}))}),
    ("SELECT 1 FROM logs l WHERE 'A' = l.eventname AND errorcode IN ('x', 'it''s') AND n > 1",
     {TextIn("eventname", frozenset({"A"})), TextIn("errorcode", frozenset({"x", "it's"}))}),
    ("SELECT * FROM (SELECT eventname FROM logs WHERE EventName = 'A') WHERE eventname = 'B'",
     {TextIn("eventname", frozenset({"A"}))}),
])
def test_text_conditions_of_the_only_source_are_early_filters(sql, expected):
    assert filters(sql) == expected


@pytest.mark.parametrize("sql", [
    "SELECT * FROM logs WHERE errorcode = 'A' OR eventname = 'B'",       # not a conjunct
    "SELECT * FROM logs WHERE NOT errorcode = 'A'",
    "SELECT * FROM logs WHERE errorcode <> 'A'",
    "SELECT * FROM logs WHERE errorcode IN ('A', NULL)",
    "SELECT * FROM logs WHERE errorcode IN (SELECT 'A')",
    "SELECT * FROM logs WHERE lower(errorcode) = 'a'",
    "SELECT * FROM logs WHERE errorcode = eventname",
    "SELECT * FROM logs WHERE n = '1'",                                 # not a STRING column
    "SELECT * FROM logs WHERE region = 'us-east-1'",                    # a partition column
    "SELECT * FROM logs WHERE useridentity.arn = 'x'",                  # a struct field
    "SELECT * FROM logs l WHERE other.errorcode = 'A'",
    "SELECT * FROM logs a LEFT JOIN logs b ON a.n = b.n WHERE b.errorcode = 'A'",
    "SELECT * FROM logs CROSS JOIN UNNEST(ARRAY[1]) AS u(x) WHERE errorcode = 'A'",
    "SELECT * FROM logs GROUP BY 1 HAVING errorcode = 'A'",
])
def test_other_conditions_are_not(sql):
    assert filters(sql) == set()
