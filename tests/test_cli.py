"""`parthenon query` as a user runs it: a separate process, PARTHENON_HOME in the environment."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CLOUDTRAIL_DDL

FOOTER = re.compile(r"Run time: \d+\.\d\d sec, Data scanned: (\d+ B|\d+\.\d\d [KMGT]B)")

EVENTS = [
    {"eventName": "DescribeInstances", "errorCode": "RequestLimitExceeded", "n": 1},
    {"eventName": "DescribeInstances", "errorCode": "RequestLimitExceeded", "n": 2},
    {"eventName": "GetObject", "errorCode": None, "n": 3},
]


def parthenon(*args: str, stdin: str | None = None, cwd: Path | None = None,
              env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the CLI in its own process; whatever happens, no Python traceback reaches the user."""
    proc = subprocess.run([sys.executable, "-m", "parthenon.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, cwd=cwd,
                          env=env or dict(os.environ))
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc


def ok(*args: str, **kw) -> str:
    proc = parthenon(*args, **kw)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def events_table(tmp_path: Path, name: str = "events", database: str | None = None) -> tuple[str, int]:
    """A JSON table over one local file; (its DDL, the file's size in bytes)."""
    data = tmp_path / f"{name}-data" / "part-0.json"
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    qualified = f"{database}.{name}" if database else name
    ddl = (f"CREATE EXTERNAL TABLE {qualified} (eventname STRING, errorcode STRING, n INT) "
           f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{data.parent}/'")
    return ddl, data.stat().st_size


# -- output formats ------------------------------------------------------------------------------

def test_table_output_with_athena_footer(tmp_path):
    ddl, size = events_table(tmp_path)
    assert ok("query", ddl).splitlines()[-1].startswith("Run time: ")
    out = ok("query", "SELECT eventname, count(*) AS calls, max(errorcode) AS err FROM events "
                      "GROUP BY eventname ORDER BY calls DESC")
    *table, footer = out.splitlines()
    assert table == [
        "+-------------------+-------+----------------------+",
        "| eventname         | calls | err                  |",
        "+-------------------+-------+----------------------+",
        "| DescribeInstances | 2     | RequestLimitExceeded |",
        "| GetObject         | 1     | NULL                 |",
        "+-------------------+-------+----------------------+",
        "2 rows",
    ]
    assert FOOTER.fullmatch(footer), footer
    assert footer.endswith(f"Data scanned: {size} B")


def test_footer_scales_bytes_like_the_console(tmp_path):
    big = tmp_path / "big" / "part-0.json"
    big.parent.mkdir()
    big.write_text("".join(json.dumps({"eventName": f"e{i}", "n": i}) + "\n" for i in range(60_000)))
    size = big.stat().st_size
    ok("query", f"CREATE EXTERNAL TABLE big (eventname STRING, n INT) ROW FORMAT SERDE "
                f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{big.parent}/'")
    out = ok("query", "SELECT count(*) AS c FROM big")
    footer = out.splitlines()[-1]
    assert FOOTER.fullmatch(footer), footer
    assert footer.endswith(f"Data scanned: {size / 1024 / 1024:.2f} MB")


def test_csv_is_exactly_athenas_result_file_and_footer_goes_to_stderr(tmp_path):
    ddl, _ = events_table(tmp_path)
    ok("query", ddl)
    proc = parthenon("query", "--format", "csv",
                     "SELECT eventname, errorcode, n, 'say \"hi\"' AS q FROM events ORDER BY n")
    assert proc.returncode == 0
    assert proc.stdout == (
        '"eventname","errorcode","n","q"\n'
        '"DescribeInstances","RequestLimitExceeded","1","say ""hi"""\n'
        '"DescribeInstances","RequestLimitExceeded","2","say ""hi"""\n'
        '"GetObject",,"3","say ""hi"""\n')
    assert FOOTER.fullmatch(proc.stderr.strip()), proc.stderr


def test_json_is_one_valid_object_per_row(tmp_path):
    ddl, _ = events_table(tmp_path)
    ok("query", ddl)
    proc = parthenon("query", "--format", "json",
                     "SELECT eventname, errorcode, n, n / 2.0e0 AS half, n = 1 AS first, "
                     "nan() AS nan, MAP(ARRAY['k'], ARRAY[n]) AS m, ARRAY[n, NULL] AS a, "
                     "DATE '2017-06-15' AS d FROM events ORDER BY n")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert rows[0] == {"eventname": "DescribeInstances", "errorcode": "RequestLimitExceeded", "n": 1,
                       "half": 0.5, "first": True, "nan": "NaN", "m": {"k": 1}, "a": [1, None],
                       "d": "2017-06-15"}
    assert [r["errorcode"] for r in rows] == ["RequestLimitExceeded", "RequestLimitExceeded", None]
    assert FOOTER.fullmatch(proc.stderr.strip())


def test_ddl_prints_what_it_did():
    out = ok("query", "CREATE DATABASE logs")
    assert out.splitlines()[0] == "Database logs created"
    out = ok("query", "SHOW DATABASES")
    assert out.splitlines()[:6] == [
        "+---------------+", "| database_name |", "+---------------+",
        "| default       |", "| logs          |", "+---------------+"]


# -- --database, scripts, files ------------------------------------------------------------------

def test_database_option_qualifies_names(tmp_path):
    ddl, _ = events_table(tmp_path, database="logs")
    ok("query", f"CREATE DATABASE logs; {ddl}")
    out = ok("query", "--database", "logs", "--format", "csv", "SELECT count(*) AS c FROM events")
    assert out == '"c"\n"3"\n'
    proc = parthenon("query", "SELECT count(*) AS c FROM events")
    assert proc.returncode == 1
    assert proc.stderr == "TABLE_NOT_FOUND: line 1:27: Table 'awsdatacatalog.default.events' does not exist\n"
    out = ok("query", "--database", "LOGS", "--format", "csv", "SHOW TABLES")
    assert out == '"tab_name"\n"events"\n'


def test_unknown_database_option_is_an_error():
    proc = parthenon("query", "--database", "nosuch", "SELECT 1")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == "SCHEMA_NOT_FOUND: Schema 'nosuch' does not exist\n"


def test_several_statements_run_in_order(tmp_path):
    ddl, _ = events_table(tmp_path, database="logs")
    out = ok("query", "--format", "csv",
             f"CREATE DATABASE logs;\n{ddl};\nSELECT 'a;b' AS x; SELECT count(*) AS c FROM logs.events;"
             "SHOW TABLES IN logs;")
    assert out == '"x"\n"a;b"\n"c"\n"3"\n"tab_name"\n"events"\n'


def test_statements_stop_at_the_first_error():
    proc = parthenon("query", "--format", "csv", "SELECT 1 AS a; SELECT * FROM nosuch; SELECT 3 AS c")
    assert proc.returncode == 1
    assert proc.stdout == '"a"\n"1"\n'
    # positions are the script's, not the statement's: nosuch starts at column 30
    assert proc.stderr.splitlines()[-1] == \
        "TABLE_NOT_FOUND: line 1:30: Table 'awsdatacatalog.default.nosuch' does not exist"


def test_errors_in_a_script_file_point_at_the_file_line(tmp_path):
    script = tmp_path / "report.sql"
    script.write_text("SELECT 1 AS a;\nSELECT 2 AS b,\n       nosuchcol;\nSELECT 3 AS c;\n")
    proc = parthenon("query", "--format", "csv", "-f", str(script))
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == "COLUMN_NOT_FOUND: line 3:8: Column 'nosuchcol' cannot be resolved"
    script.write_text("SELECT 1 AS a;\n\nSELECT * FROM\n")
    proc = parthenon("query", "--format", "csv", "-f", str(script))
    assert proc.stderr.splitlines()[-1] == "SYNTAX_ERROR: line 3:14: mismatched input '<EOF>'. Expecting: table name"


def test_file_option_and_stdin(tmp_path):
    ddl, _ = events_table(tmp_path)
    script = tmp_path / "script.sql"
    script.write_text(f"-- the events table\n{ddl};\n\nSELECT eventname\nFROM events\nWHERE n = 3;\n")
    out = ok("query", "-f", str(script))
    assert "| GetObject |" in out.splitlines()
    assert len(FOOTER.findall(out)) == 2
    out = ok("query", "--format", "csv", "-f", "-", stdin="SELECT max(n) AS m FROM events;\n")
    assert out == '"m"\n"3"\n'


def test_comments_after_the_last_statement_are_not_a_statement(tmp_path):
    script = tmp_path / "report.sql"
    script.write_text("-- daily report\nSELECT 1 AS a;\n-- end of report\n")
    assert ok("query", "--format", "csv", "-f", str(script)) == '"a"\n"1"\n'
    assert ok("query", "--format", "csv", "SELECT 2 AS b; /* done */") == '"b"\n"2"\n'


def test_missing_script_file(tmp_path):
    proc = parthenon("query", "-f", str(tmp_path / "nope.sql"))
    assert proc.returncode == 1
    assert proc.stderr == f"parthenon: No such file or directory: {tmp_path / 'nope.sql'}\n"


def test_no_sql_at_all():
    proc = parthenon("query")
    assert proc.returncode == 2
    assert proc.stderr == "parthenon query: give SQL text or -f FILE\n"


# -- errors --------------------------------------------------------------------------------------

def test_syntax_error_is_one_line_on_stderr():
    proc = parthenon("query", "SELECT * FROM t WHERE")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("SYNTAX_ERROR: line 1:")
    assert "<class" not in proc.stderr and "sqlglot" not in proc.stderr


def test_syntax_error_at_end_of_statement_is_athenas():
    # Athena (Trino): the parser fails at the end of the input, column 22, expecting an expression.
    proc = parthenon("query", "SELECT * FROM t WHERE")
    assert proc.returncode == 1
    assert proc.stderr == "SYNTAX_ERROR: line 1:22: mismatched input '<EOF>'. Expecting: <expression>\n"


def test_seed_article_ddl_typo_names_line_and_column_and_creates_nothing(tmp_path):
    typo = CLOUDTRAIL_DDL.replace("username:STRING>>>,", "username:STRING>>>>,").format(
        location=f"{tmp_path}/AWSLogs/")
    script = tmp_path / "typo.sql"
    script.write_text(typo)
    line = typo.splitlines().index(next(l for l in typo.splitlines() if ">>>>" in l)) + 1
    column = typo.splitlines()[line - 1].index(">>>>") + 4
    proc = parthenon("query", "-f", str(script))
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"SYNTAX_ERROR: line {line}:{column}: mismatched input '>'.")
    assert proc.stderr.count("\n") == 1
    assert ok("query", "--format", "csv", "SHOW TABLES") == '"tab_name"\n'


@pytest.mark.parametrize("sql, message", [
    ("SELECT nosuch FROM events", "COLUMN_NOT_FOUND: line 1:8: Column 'nosuch' cannot be resolved"),
    # Trino points at the start of the table reference and names the missing schema
    ("SELECT * FROM logs.events", "SCHEMA_NOT_FOUND: line 1:15: Schema 'logs' does not exist"),
    ("SELECT * FROM default.nosuch",
     "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.nosuch' does not exist"),
    ("SELECT * FROM read_csv('/etc/passwd')",
     "PERMISSION_DENIED: line 1:15: Access Denied: Table function 'read_csv' is not allowed: "
     "queries may read only catalog tables"),
    # DuckDB's GROUP BY ALL / ORDER BY ALL are not Trino's grammar
    ("SELECT eventname FROM events GROUP BY ALL ORDER BY 1",
     "SYNTAX_ERROR: line 1:43: mismatched input 'ORDER'. Expecting: <expression>"),
    ("SELECT eventname FROM events ORDER BY ALL", "SYNTAX_ERROR: line 1:39: mismatched input 'ALL'"),
])
def test_errors_are_athenas_message_on_stderr(tmp_path, sql, message):
    ddl, _ = events_table(tmp_path)
    ok("query", ddl)
    proc = parthenon("query", sql)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == message + "\n"


def test_a_broken_object_is_one_line_on_stderr(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "x.json.gz").write_bytes(b"\x1f\x8bnot really gzip")
    ok("query", f"CREATE EXTERNAL TABLE broken (a INT) ROW FORMAT SERDE "
                f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'")
    proc = parthenon("query", "SELECT count(*) FROM broken")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.split(":")[0].isupper()


def test_unreadable_home_is_an_error_not_a_traceback(tmp_path):
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    proc = parthenon("query", "SELECT 1", env=dict(os.environ, PARTHENON_HOME=str(home)))
    assert proc.returncode == 1
    assert len(proc.stderr.splitlines()) == 1
    assert str(home) in proc.stderr


def test_no_warnings_on_stderr_for_hive_statements(tmp_path):
    ddl, _ = events_table(tmp_path)
    proc = parthenon("query", f"{ddl}; SHOW TABLES; SHOW PARTITIONS events")
    # SHOW PARTITIONS on an unpartitioned table is an error; nothing else may reach stderr.
    assert proc.returncode == 1
    assert "contains unsupported syntax" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1


# -- state across processes ----------------------------------------------------------------------

def test_catalog_persists_across_processes(tmp_path, parthenon_home):
    ddl, size = events_table(tmp_path)
    ok("query", "CREATE DATABASE logs")
    ok("query", "--database", "logs", ddl)
    ok("query", "--database", "logs", "CREATE VIEW errors AS SELECT eventname FROM events "
                                      "WHERE errorcode IS NOT NULL")
    assert (parthenon_home / "catalog.db").exists()
    out = ok("query", "--format", "csv", "SELECT eventname, count(*) AS c FROM logs.errors GROUP BY 1")
    assert out == '"eventname","c"\n"DescribeInstances","2"\n'
    # another home sees none of it
    other = dict(os.environ, PARTHENON_HOME=str(tmp_path / "other-home"))
    assert ok("query", "--format", "csv", "SHOW DATABASES", env=other) == '"database_name"\n"default"\n'
    proc = parthenon("query", "--database", "logs", "SELECT 1", env=other)
    assert proc.returncode == 1
    assert proc.stderr == "SCHEMA_NOT_FOUND: Schema 'logs' does not exist\n"


def test_python_dash_m_and_console_script():
    script = Path(sys.executable).parent / "parthenon"
    out = ok("query", "--format", "csv", "SELECT 1 AS one")
    assert out == '"one"\n"1"\n'
    if not script.exists():
        pytest.skip("no console script next to this interpreter")
    proc = subprocess.run([str(script), "query", "--format", "csv", "SELECT 2 AS two"],
                          capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout) == (0, '"two"\n"2"\n'), proc.stderr


def test_output_piped_into_head_does_not_crash(tmp_path):
    sql = ("SELECT a.x * 1000 + b.x AS n FROM UNNEST(sequence(1, 1000)) AS a(x) "
           "CROSS JOIN UNNEST(sequence(1, 100)) AS b(x)")
    proc = subprocess.run(f"{sys.executable} -m parthenon.cli query --format csv \"{sql}\" | head -2",
                          shell=True, capture_output=True, text=True, timeout=120)
    assert proc.stdout.splitlines()[0] == '"n"'
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


def test_version():
    from importlib.metadata import version
    assert ok("--version") == f"parthenon {version('parthenon')}\n"


def test_the_demo_table_is_found_by_the_next_commands(tmp_path):
    # README: `make demo`, then `parthenon query ...` in the same PARTHENON_HOME finds the table.
    out = ok("demo", "--size-mb", "1", cwd=tmp_path)
    assert "The culprit: arn:aws:sts::123456789012:assumed-role/eks-cluster-autoscaler/" in out
    assert ok("query", "--format", "csv", "SHOW TABLES", cwd=tmp_path) == '"tab_name"\n"cloudtrail_logs"\n'
    counted = ok("query", "--format", "csv", "SELECT count(*) > 0 AS found FROM cloudtrail_logs "
                 "WHERE errorcode = 'RequestLimitExceeded'", cwd=tmp_path)
    assert counted == '"found"\n"true"\n'
    # a second demo elsewhere leaves that table alone
    other = parthenon("demo", "--size-mb", "1", "--dir", str(tmp_path / "other"), cwd=tmp_path)
    assert other.returncode == 1
    assert other.stderr.strip().endswith("the demo leaves it alone: drop it (parthenon query "
                                         "\"DROP TABLE cloudtrail_logs\") or give the demo another "
                                         "PARTHENON_HOME.")


# -- Ctrl-C ------------------------------------------------------------------------------------

def slow_table(tmp_path: Path) -> str:
    """DDL of a JSON table whose four-way self-join runs for minutes (200 rows per key)."""
    data = tmp_path / "slow-data" / "part-0.json"
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text("".join(json.dumps({"k": i % 100, "v": i}) + "\n" for i in range(20_000)))
    return (f"CREATE EXTERNAL TABLE slow (k INT, v INT) "
            f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{data.parent}/'")


SLOW_JOIN = ("SELECT count(*) FROM slow a JOIN slow b ON a.k = b.k JOIN slow c ON b.k = c.k "
             "JOIN slow d ON c.k = d.k")


def test_ctrl_c_cancels_the_running_query_at_once(tmp_path):
    import signal
    import time
    ok("query", slow_table(tmp_path))
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    # the first statement says the engine is up; the second runs until cancelled
    proc = subprocess.Popen([sys.executable, "-m", "parthenon.cli", "query", "--format", "csv",
                             f"SELECT 'started' AS s; {SLOW_JOIN}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline() == '"s"\n'
        assert proc.stdout.readline() == '"started"\n'
        time.sleep(0.5)                 # into the join
        assert proc.poll() is None
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err.splitlines()[-1] == "Query cancelled."
    assert "GENERIC_INTERNAL_ERROR" not in err and "Traceback" not in err
    assert out == ""
    assert took < 15, took              # not the join's minutes; bench/cancel.py measures the real latency


def test_real_values_print_the_shortest_digits_of_the_32_bit_float():
    """A REAL reaches Python widened to a double (1.100000023841858); Athena prints 1.1."""
    out = ok("query", "--format", "csv",
             "SELECT REAL '1.1' AS r, REAL '1.1' + REAL '2.2' AS s, CAST(REAL '1.1' AS double) AS d")
    assert out == '"r","s","d"\n"1.1","3.3000002","1.100000023841858"\n'
