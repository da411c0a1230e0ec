"""Every case of tests/trino_cases/*.tsv: Trino's value and type, through the DB-API, on
every engine (tests/engines.py); a case an engine does not pass yet is an expected
failure with its reason (tests/trino_cases/gaps/<engine>/<family>.txt)."""
from __future__ import annotations

import pytest

import parthenon
from engines import ENGINES, connect
from trino_cases import known_gaps, load_cases, run_case

GAPS = {engine: known_gaps(engine) for engine in ENGINES}
CASES = [pytest.param(engine, c, id=f"{engine}:{c.id}",
                      marks=pytest.mark.xfail(strict=True, reason=GAPS[engine][c.sql]))
         if c.sql in GAPS[engine] else pytest.param(engine, c, id=f"{engine}:{c.id}")
         for engine in ENGINES for c in load_cases()]


@pytest.fixture(scope="module")
def connections(tmp_path_factory):
    opened = {}

    def get(engine):
        if engine not in opened:
            opened[engine] = connect(engine, tmp_path_factory.mktemp(f"home-{engine}"))
        return opened[engine]
    yield get
    for con in opened.values():
        con.close()


@pytest.mark.parametrize("engine, case", CASES)
def test_trino_case(connections, engine, case):
    connection = connections(engine)
    value, typ = run_case(connection, case)
    assert value == case.expected, case.sql
    if not case.expected.startswith("ERROR"):
        assert typ == case.type, case.sql


# --------------------------------------------------------------------------- over a catalog table

@pytest.fixture()
def table_con(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "part-0.csv").write_text("1,x\n2,y\n")
    with parthenon.connect(home=tmp_path / "home") as con:
        con.execute(f"CREATE EXTERNAL TABLE t (a int, b string) ROW FORMAT DELIMITED "
                    f"FIELDS TERMINATED BY ',' LOCATION '{data}'")
        yield con


def test_database_qualified_column_names(table_con):
    """The AWS incident-response queries (and SQLAlchemy) write "db"."table".column."""
    cur = table_con.execute('SELECT "default"."t".a, t.b FROM "default"."t" WHERE "default"."t".a = 2')
    assert [d[:2] for d in cur.description] == [("a", "integer"), ("b", "varchar")]
    assert cur.fetchall() == [(2, "y")]
    assert table_con.execute("SELECT awsdatacatalog.default.t.a FROM awsdatacatalog.default.t "
                             "ORDER BY 1").fetchall() == [(1,), (2,)]


def test_unnamed_columns_after_a_star_count_its_columns(table_con):
    cur = table_con.execute("SELECT *, 1 + 1, a * 10 FROM t ORDER BY a")
    assert [d[0] for d in cur.description] == ["a", "b", "_col2", "_col3"]
    assert cur.fetchall() == [(1, "x", 2, 10), (2, "y", 2, 20)]


def test_a_string_column_compared_to_a_number_is_a_type_mismatch(table_con):
    with pytest.raises(parthenon.errors.TypeMismatch, match=r"Cannot apply operator: varchar = integer"):
        table_con.execute("SELECT a FROM t WHERE b = 1")


def test_placeholders_inside_comments_and_strings_are_text(table_con):
    cur = table_con.execute("SELECT a, '?' AS q -- is a = ? here\nFROM t /* %s ? */ WHERE a = ?", [2])
    assert cur.fetchall() == [(2, "?")]
    cur = table_con.execute("SELECT a /* %(x)s */ FROM t WHERE a = %(x)s", {"x": 1})
    assert cur.fetchall() == [(1,)]


def test_an_unbound_placeholder_is_a_user_error(table_con):
    with pytest.raises(parthenon.errors.ParthenonError) as e:
        table_con.execute("SELECT a FROM t WHERE b = ?")
    assert str(e.value) == "INVALID_PARAMETER_USAGE: Incorrect number of parameters: expected 1 but found 0"


def test_the_cli_says_a_placeholder_has_no_value(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, PARTHENON_HOME=str(tmp_path / "home"))
    proc = subprocess.run([sys.executable, "-m", "parthenon.cli", "query", "SELECT 1 WHERE 2 = ?"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode != 0
    assert "INVALID_PARAMETER_USAGE: Incorrect number of parameters: expected 1 but found 0" in proc.stderr
    assert "Traceback" not in proc.stderr
