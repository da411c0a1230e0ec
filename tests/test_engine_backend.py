"""The engine seam: a real query driven through the Backend protocol, and the import rule
that keeps DuckDB behind it."""
from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
import sqlglot

from parthenon import formats
from parthenon.engine import Backend, BackendQuery, open_backend
from parthenon.formats.scan import DelimitedText, JsonRecords
from parthenon.planner import Planner
from parthenon.session import Session
from parthenon.sql.parser import parse_statement

SRC = Path(__file__).resolve().parent.parent / "src" / "parthenon"

# Where a part outside engine/ may use the DuckDB package itself: the scheduler's alert
# conditions run over a finished result in engine.duckdb.isolated, whatever engine ran it.
DUCKDB_OUTSIDE_ENGINE = {"scheduler/rules.py"}


@pytest.fixture
def session(tmp_path):
    for day, rows in (("2024-01-01", "old,1\n"), ("2024-01-02", "a,1\nb,2\n")):
        folder = tmp_path / "logs" / f"day={day}"
        folder.mkdir(parents=True)
        (folder / "part.csv").write_text(rows)
    s = Session(tmp_path / "home")
    s.execute("CREATE EXTERNAL TABLE logs (name string, n int) PARTITIONED BY (day date) "
              f"ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '{tmp_path}/logs/'")
    s.execute("MSCK REPAIR TABLE logs")
    yield s
    s.close()


def test_a_query_runs_through_the_protocol_alone(session, tmp_path):
    backend = session.engine
    assert isinstance(backend, Backend) and backend.name == "duckdb"
    text = "SELECT name, n * 2 AS twice, day FROM logs WHERE day >= DATE '2024-01-02' ORDER BY name"
    planner = Planner(session.store, "default", backend.matching_partitions)
    with backend.query() as q:
        assert isinstance(q, BackendQuery)
        planned = planner.plan(parse_statement(text), text)
        assert [len(p.scan.files) for p in planner.scans] == [1]     # pruned by the engine
        for p in planner.scans:
            q.add_scan(p.name, p.scan)
        translation = backend.translate(planned, {})
        rows = q.stream(translation.sql).read_all()
        assert rows.to_pylist() == [
            {"name": "a", "twice": 2, "day": date(2024, 1, 2)},
            {"name": "b", "twice": 4, "day": date(2024, 1, 2)}]
        assert q.bytes_scanned == len("a,1\nb,2\n")
        assert backend.scanned_so_far() == len("a,1\nb,2\n")
    assert backend.scanned_so_far() is None       # idle again


def test_formats_describe_scans_as_plain_data(session, tmp_path):
    table = session.store.get_table("default", "logs")
    scan = formats.format_for(table).build_scan(table, [])
    assert scan.reading == DelimitedText(header_lines=0, separators=[",", *"\x02\x03\x04\x05\x06\x07\x08"],
                                         escape=None, null="\\N")
    assert [c.name for c in scan.columns] == ["name", "n"]
    assert [k.name for k in scan.partition_keys] == ["day"]
    session.execute("CREATE EXTERNAL TABLE trail (eventname string, useridentity struct<arn:string>) "
                    "ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' "
                    "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat' "
                    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat' "
                    f"LOCATION '{tmp_path}/trail/'")
    trail = session.store.get_table("default", "trail")
    scan = formats.format_for(trail).build_scan(trail, [])
    assert isinstance(scan.reading, JsonRecords)
    assert (scan.reading.layout, scan.reading.compression, scan.reading.ignore_malformed) == \
        ("array", "none", True)
    assert scan.reading.spelling.spell((), "eventname") == "eventName"     # CloudTrail's spelling
    assert scan.transform is not None       # the {"Records": [...]} wrapper, presented as an array


def test_partition_predicates_are_evaluated_by_the_backend():
    backend = open_backend()
    try:
        predicates = [sqlglot.parse_one("day > DATE '2024-01-01'", read="athena"),
                      sqlglot.parse_one("hour IN (1, 3)", read="athena")]
        columns = {"day": ("date", ["2024-01-01", "2024-01-02", "2024-01-03", "not a date"]),
                   "hour": ("int", ["1", "1", "2", "1"])}
        assert backend.matching_partitions(columns, predicates) == {1}
    finally:
        backend.close()


def test_engine_failures_come_back_in_athenas_words():
    backend = open_backend()
    try:
        text = "SELECT 1 / 0"
        with backend.query() as q:
            translation = backend.translate(parse_statement(text), {})
            with pytest.raises(backend.errors) as failure:
                q.stream(translation.sql).read_all()
        assert str(backend.athena_error(failure.value, text)) == "DIVISION_BY_ZERO: Division by zero"
        backend.interrupt()          # idle: harmless, the next query runs
        with backend.query() as q:
            assert q.stream(backend.translate(parse_statement("SELECT 7"), {}).sql) \
                .read_all().column(0).to_pylist() == [7]
    finally:
        backend.close()


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="Unknown engine 'nope'"):
        open_backend("nope")


def _imports(path: Path) -> set[str]:
    """The modules a source file imports, relative imports made absolute."""
    package = ["parthenon", *path.relative_to(SRC).parent.parts]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            found |= {f"{module}.{a.name}" for a in node.names}
    return found


def test_only_the_engine_package_uses_duckdb():
    users = set()
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith("engine/"):
            continue
        names = _imports(path)
        if any(n == "duckdb" or n.startswith(("duckdb.", "parthenon.engine.duckdb")) for n in names):
            users.add(relative)
    assert users == DUCKDB_OUTSIDE_ENGINE


def test_no_spark_module_imports_duckdb():
    """The Spark backend reaches DuckDB only as a Backend (open_backend: the executors'
    reader, the partition predicates); Trino's rules it shares live in sql/trino/."""
    users = {path.name for path in (SRC / "engine" / "spark").rglob("*.py")
             if any(n == "duckdb" or n.startswith(("duckdb.", "parthenon.engine.duckdb"))
                    for n in _imports(path))}
    assert users == set()


# DuckDB's own functions and statements, which only engine/duckdb/ may write (TRY_CAST is
# Spark SQL's too).
_DUCKDB_SQL = ("read_json(", "read_csv(", "read_parquet(", "struct_pack(", "list_transform(",
               "CREATE OR REPLACE TEMP VIEW", "current_setting(")


def test_duckdb_sql_is_written_only_under_engine_duckdb():
    writers = set()
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith("engine/duckdb/"):
            continue
        if any(s in text for text in _string_literals(path) for s in _DUCKDB_SQL):
            writers.add(relative)
    assert writers == set()


def _string_literals(path: Path) -> list[str]:
    """The strings a module's code holds (f-string parts too), docstrings left out."""
    tree = ast.parse(path.read_text())
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)
                  and isinstance(node.value, ast.Constant)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docstrings]


@pytest.mark.parametrize("duckdb_message, athena", [
    ('Parser Error: syntax error at or near "BY"', "mismatched input 'BY'"),
    ("Parser Error: syntax error at end of input", "mismatched input '<EOF>'"),
])
def test_duckdbs_parser_text_never_reaches_the_user(duckdb_message, athena):
    """SQL DuckDB refuses is the translation's, not the user's: Athena's words only."""
    import duckdb

    from parthenon.engine.duckdb.errors import engine_error

    error = engine_error(duckdb.ParserException(duckdb_message), "SELECT 1")
    assert (error.code, error.message) == ("SYNTAX_ERROR", athena)
