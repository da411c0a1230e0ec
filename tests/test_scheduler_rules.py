"""Conditions over a result: row_count, any row, always, failed, and SQL predicates
evaluated safely by DuckDB over the result's Arrow rows."""
from __future__ import annotations

import pyarrow as pa
import pytest

from parthenon.scheduler import rules
from parthenon.scheduler.errors import DefinitionError, SchedulerError

TABLE = pa.table({"eventname": ["A", "B", "C", "D"], "arn": ["x", "auto", None, "auto"],
                  "count": pa.array([1500, 30, 2000, 1001], pa.int64())})


def test_word_conditions_and_row_count():
    assert rules.parse_condition("Any row").kind == "any"
    assert rules.parse_condition("always").kind == "always"
    assert rules.parse_condition("failed").kind == "failed"
    c = rules.parse_condition("row_count >= 4")
    assert (c.kind, c.op, c.value) == ("row_count", ">=", 4)
    assert rules.evaluate(c, True, TABLE).fired
    assert not rules.evaluate(rules.parse_condition("row_count > 4"), True, TABLE).fired
    empty = TABLE.slice(0, 0)
    assert not rules.evaluate(rules.parse_condition("any row"), True, empty).fired
    assert rules.evaluate(rules.parse_condition("always"), True, empty).fired
    assert rules.evaluate(rules.parse_condition("failed"), False, None).fired
    assert not rules.evaluate(rules.parse_condition("any row"), False, None).fired


def test_predicate_returns_matching_rows_in_result_order():
    m = rules.evaluate(rules.parse_condition("count > 1000"), True, TABLE)
    assert m.fired and m.count == 3
    assert m.rows.column("eventname").to_pylist() == ["A", "C", "D"]
    assert m.rows.column_names == ["eventname", "arn", "count"]
    m = rules.evaluate(rules.parse_condition("arn = 'auto' AND count BETWEEN 1000 AND 1200"), True, TABLE)
    assert m.rows.column("eventname").to_pylist() == ["D"]
    m = rules.evaluate(rules.parse_condition("lower(eventname) = 'zzz'"), True, TABLE)
    assert not m.fired and m.count == 0


def test_trino_semantics_apply_to_predicates():
    # integer division as Trino does it: 1001 / 2 = 500, not 500.5
    m = rules.evaluate(rules.parse_condition("count / 2 = 500"), True, TABLE)
    assert m.rows.column("eventname").to_pylist() == ["D"]


@pytest.mark.parametrize("bad", [
    "count > (SELECT 1)",                      # a subquery
    "1=1) UNION (SELECT 1",                    # breaking out of the WHERE
    "read_text('/etc/passwd') IS NOT NULL",    # DuckDB's file functions
    "getenv('HOME') = ''",
    "count > 1; DROP TABLE x",
    "SELECT 1",
    "count >",
])
def test_unsafe_or_broken_predicates_are_refused_at_definition(bad):
    with pytest.raises(DefinitionError):
        rules.parse_condition(bad)


def test_unknown_columns_are_reported_with_the_result_columns():
    with pytest.raises(SchedulerError, match=r"no column 'cnt' .*eventname, arn, count"):
        rules.matching_rows("cnt > 1", TABLE)
    with pytest.raises(SchedulerError, match="not a column"):
        rules.matching_rows("other.count > 1", TABLE)


def test_a_result_read_back_from_csv_is_typed_from_its_column_info():
    columns = [{"Name": "name", "Type": "varchar"}, {"Name": "n", "Type": "bigint"},
               {"Name": "ok", "Type": "boolean"}, {"Name": "x", "Type": "double"}]
    table = rules.table_from_text(columns, [("a", "1500", "true", "1.5"), ("b", None, "false", "2")])
    assert table.column("n").to_pylist() == [1500, None]
    assert table.column("ok").to_pylist() == [True, False]
    m = rules.evaluate(rules.parse_condition("n > 1000 AND ok"), True, table)
    assert m.rows.column("name").to_pylist() == ["a"]
