"""A `*` over sources that repeat a column name outputs that name repeated, as Trino
does (two columns both named `id`): DuckDB's binder renames a derived table's repeated
column `id_1`, and the result had carried that name in the DB-API description, the
API's ResultSetMetadata and the result file's header.  A column its query names `id_1`
keeps that name."""
from __future__ import annotations

import pytest

from test_server_support import athena, athena_server, rows, run  # noqa: F401

JOINED = "SELECT * FROM (SELECT * FROM (VALUES (1, 'a')) a(id, x) JOIN (VALUES (1, 'b')) b(id, y) ON a.id = b.id)"


@pytest.mark.parametrize("query, description, values", [
    (JOINED, [("id", "integer"), ("x", "varchar(1)"), ("id", "integer"), ("y", "varchar(1)")], [(1, "a", 1, "b")]),
    ("WITH j AS (SELECT a.id, b.id FROM (VALUES 1) a(id), (VALUES 2) b(id)) SELECT * FROM j",
     [("id", "integer"), ("id", "integer")], [(1, 2)]),
    ("SELECT *, 3 FROM (SELECT 1 x, 2 x) t, (SELECT 5 x) u",
     [("x", "integer"), ("x", "integer"), ("x", "integer"), ("_col3", "integer")], [(1, 2, 5, 3)]),
    ("SELECT * FROM (SELECT 1 x, 2 x_1)", [("x", "integer"), ("x_1", "integer")], [(1, 2)]),
])
def test_repeated_names_are_kept_through_the_dbapi(con, query, description, values):
    cursor = con.cursor()
    cursor.execute(query)
    assert [d[:2] for d in cursor.description] == description
    assert cursor.fetchall() == values


def test_repeated_names_are_kept_over_the_api(athena):
    qid, q = run(athena, JOINED)
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    page = athena.get_query_results(QueryExecutionId=qid)
    assert [(c["Name"], c["Type"]) for c in page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]] == [
        ("id", "integer"), ("x", "varchar"), ("id", "integer"), ("y", "varchar")]
    assert rows(athena, qid) == [("id", "x", "id", "y"), ("1", "a", "1", "b")]     # the header row is the file's


def test_a_table_cannot_take_a_repeated_name_from_a_star(con):
    """CTAS of the same `*` is refused as CTAS of `SELECT 1 x, 2 x` is (the table had
    taken DuckDB's x_1); a name the query itself gives is kept."""
    import parthenon
    cursor = con.cursor()
    for query in ("SELECT * FROM (SELECT 1 x, 2 x)", "SELECT 1 x, 2 x"):
        with pytest.raises(parthenon.errors.SqlSyntaxError, match=r"^SYNTAX_ERROR: Column name 'x' specified "
                                                                  r"more than once$"):
            cursor.execute(f"CREATE TABLE t AS {query}")
    cursor.execute("CREATE TABLE t AS SELECT * FROM (SELECT 1 x, 2 x_1)")
    cursor.execute("SELECT * FROM t")
    assert [d[:2] for d in cursor.description] == [("x", "integer"), ("x_1", "integer")]
    assert cursor.fetchall() == [(1, 2)]
