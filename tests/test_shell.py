"""`parthenon shell` driven for real: keystrokes through prompt_toolkit's pipe input."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from prompt_toolkit.application.current import create_app_session
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

import parthenon
from parthenon.session import Session
from parthenon.shell import CatalogCompleter, run_shell

from conftest import CLOUDTRAIL_DDL, cloudtrail_file

CTRL_D = "\x04"
TAB = "\t"


def shell(keys: str | list[str], capsys, database: str = "default") -> tuple[int, str, str]:
    """Type `keys` into a fresh shell, then Ctrl-D on an empty line; (exit code, stdout, stderr).

    A list of strings is typed piece by piece with a pause after each, the way a person
    waits for completion after pressing Tab."""
    chunks = [keys] if isinstance(keys, str) else list(keys)
    capsys.readouterr()
    with create_pipe_input() as pipe:
        def typist():
            for chunk in chunks:
                pipe.send_text(chunk)
                time.sleep(0.3 if len(chunks) > 1 else 0)
            pipe.send_text(CTRL_D)
        thread = threading.Thread(target=typist, daemon=True)
        thread.start()
        try:
            with create_app_session(input=pipe, output=DummyOutput()):
                code = run_shell(database)
        finally:
            thread.join()
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ct_table(con, tmp_path):
    """The CloudTrail table of the README, empty, in the default database."""
    con.execute(CLOUDTRAIL_DDL.format(location=f"{tmp_path}/AWSLogs/"))
    return "cloudtrail_logs"


def test_statement_over_two_lines_prints_table_and_footer(capsys):
    code, out, err = shell("SELECT 1 AS a,\n  'x' AS b;\n", capsys)
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    start = lines.index("+---+---+")
    assert lines[start:start + 6] == ["+---+---+", "| a | b |", "+---+---+", "| 1 | x |", "+---+---+",
                                      "1 row"]
    assert lines[start + 6].startswith("Run time: ") and lines[start + 6].endswith("Data scanned: 0 B")


def test_several_statements_on_one_line_and_errors_do_not_end_the_shell(capsys):
    code, out, err = shell("SELECT 1 AS a; SELECT 2 AS b;\nSELECT * FROM nosuch;\nSELECT 3 AS c;\n", capsys)
    assert code == 0
    assert "| 1 |" in out and "| 2 |" in out and "| 3 |" in out
    assert err == "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.nosuch' does not exist\n"


def test_use_changes_the_database_and_exit_quits(capsys, con):
    con.execute("CREATE DATABASE logs")
    code, out, err = shell("USE logs;\nSHOW TABLES;\nexit\nSELECT 'never' AS x;\n", capsys)
    assert code == 0
    assert err == ""
    assert "never" not in out
    code, out, err = shell("SELECT * FROM nosuch;\n", capsys, database="logs")
    assert err == "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.logs.nosuch' does not exist\n"


def test_ddl_in_the_shell_is_visible_to_other_connections(capsys, tmp_path):
    code, out, err = shell(f"CREATE DATABASE logs;\nCREATE EXTERNAL TABLE logs.t (a INT)\n"
                           f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n"
                           f"LOCATION '{tmp_path}/t/';\n", capsys)
    assert err == ""
    with parthenon.connect() as other:
        assert other.execute("SHOW TABLES IN logs").fetchall() == [("t",)]


def test_completion_offers_keywords_tables_and_columns(ct_table):
    session = Session()
    try:
        completer = CatalogCompleter(session)

        def complete(text):
            return [c.text for c in completer.get_completions(Document(text), None)]

        assert complete("SELECT eventn") == ["eventname"]
        assert "useridentity" in complete("SELECT useri")
        assert complete("SELECT count(*) FROM cloudt") == ["cloudtrail_logs"]
        assert complete("sel") == ["select"]          # keywords follow the user's case
        assert complete("SEL") == ["SELECT"]
        assert "day" in complete("SELECT * FROM cloudtrail_logs WHERE da")   # partition keys too
        assert complete("SELECT ") == []
    finally:
        session.close()


def test_completion_after_a_dot(ct_table, con, tmp_path):
    con.execute("CREATE DATABASE logs")
    con.execute(f"CREATE EXTERNAL TABLE logs.requests (requestpath STRING) "
                f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{tmp_path}/r/'")
    session = Session()
    try:
        completer = CatalogCompleter(session)

        def complete(text):
            return [c.text for c in completer.get_completions(Document(text), None)]

        assert complete("SELECT * FROM logs.") == ["requests"]          # a database's tables
        assert complete("SELECT * FROM logs.re") == ["requests"]
        assert complete("SELECT cloudtrail_logs.eventn") == ["eventname"]  # a table's columns
        assert complete("SELECT useridentity.a") == ["accesskeyid", "accountid", "arn"]   # struct fields
        assert complete("SELECT useridentity.sessioncontext.sessionissuer.user") == ["username"]
        assert complete("SELECT cloudtrail_logs.useridentity.sessioncontext.") == \
            ["attributes", "sessionissuer"]
        assert complete("SELECT eventname.") == []                     # not a struct
        assert complete("SELECT nosuch.x") == []
    finally:
        session.close()


def test_completion_follows_use(con, capsys, tmp_path):
    con.execute("CREATE DATABASE logs")
    con.execute(f"CREATE EXTERNAL TABLE logs.requests (requestpath STRING) "
                f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{tmp_path}/r/'")
    session = Session()
    try:
        completer = CatalogCompleter(session)
        assert [c.text for c in completer.get_completions(Document("SELECT requestp"), None)] == []
        session.execute("USE logs")
        assert [c.text for c in completer.get_completions(Document("SELECT requestp"), None)] == \
            ["requestpath"]
    finally:
        session.close()


def test_tab_completes_in_the_real_prompt(con, ct_table, tmp_path, capsys):
    day = tmp_path / "AWSLogs" / "us-east-1" / "2017" / "06" / "15"
    cloudtrail_file(day / "123456789012_CloudTrail_us-east-1_20170615T0000Z_a.json.gz",
                    [{"eventName": "GetObject"}])
    con.execute("ALTER TABLE cloudtrail_logs ADD PARTITION (region='us-east-1', year='2017', "
                f"month='06', day='15') LOCATION '{day}/'")
    code, out, err = shell(["SELECT eventn", TAB, " FROM cloudtr", TAB, ";\n"], capsys)
    assert err == ""
    assert "| eventname |" in out and "| GetObject |" in out


def test_history_persists_in_parthenon_home(parthenon_home, capsys):
    shell("SELECT 41 AS answer;\n", capsys)
    history = (parthenon_home / "shell_history").read_text()
    assert "+SELECT 41 AS answer;" in history.splitlines()
    # a new shell recalls it with the up arrow
    code, out, err = shell("\x1b[A\n", capsys)
    assert "| 41     |" in out


def test_semicolon_inside_a_string_does_not_end_the_statement(capsys):
    code, out, err = shell("SELECT 'a;\nb' AS s, 1 AS n;\n", capsys)
    assert err == ""
    assert "| a; b | 1 |" in out           # the table shows the newline as a space


def test_ctrl_c_discards_the_statement_being_typed(capsys):
    code, out, err = shell("SELECT 'discarded' AS x,\n\x03SELECT 'kept' AS y;\n", capsys)
    assert code == 0
    assert err == ""
    assert "discarded" not in out and "| kept |" in out


def test_an_unexpected_failure_does_not_end_the_shell(capsys, monkeypatch):
    original = Session.execute_script
    calls = []

    def flaky(self, script):
        calls.append(script)
        if len(calls) == 1:
            raise RuntimeError("engine exploded\nwith details")
        return original(self, script)

    monkeypatch.setattr(Session, "execute_script", flaky)
    code, out, err = shell("SELECT 1 AS a;\nSELECT 2 AS b;\n", capsys)
    assert code == 0
    assert err == "GENERIC_INTERNAL_ERROR: RuntimeError: engine exploded\n"
    assert "Traceback" not in out + err
    assert "| 2 |" in out


def test_shell_with_piped_input_runs_it_as_a_script(parthenon_home):
    proc = subprocess.run([sys.executable, "-m", "parthenon.cli", "shell"],
                          input="SELECT 1 AS a;\nSELECT 2\n  AS b;\n", capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[:6] == ["+---+", "| a |", "+---+", "| 1 |", "+---+", "1 row"]
    assert lines[7:13] == ["+---+", "| b |", "+---+", "| 2 |", "+---+", "1 row"]
    assert "\x1b" not in proc.stdout and "default>" not in proc.stdout


def test_shell_on_an_unknown_database_is_an_error(parthenon_home):
    proc = subprocess.run([sys.executable, "-m", "parthenon.cli", "shell", "--database", "nosuch"],
                          input="", capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr == "SCHEMA_NOT_FOUND: Schema 'nosuch' does not exist\n"


def test_interactive_shell_on_an_unknown_database_refuses_to_start(capsys):
    with pytest.raises(parthenon.Error) as err:
        shell("SELECT 1;\n", capsys, database="nosuch")
    assert str(err.value) == "SCHEMA_NOT_FOUND: Schema 'nosuch' does not exist"


def test_ctrl_c_during_a_query_cancels_it_and_returns_to_the_prompt(capsys, tmp_path):
    import json
    import os
    import signal
    data = tmp_path / "slow" / "part-0.json"
    data.parent.mkdir()
    data.write_text("".join(json.dumps({"k": i % 100}) + "\n" for i in range(20_000)))
    slow_join = ("SELECT count(*) AS n FROM slow a JOIN slow b ON a.k = b.k JOIN slow c ON b.k = c.k "
                 "JOIN slow d ON c.k = d.k;\n")
    ddl = (f"CREATE EXTERNAL TABLE slow (k INT) ROW FORMAT SERDE "
           f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{data.parent}/';\n")
    sent = []

    def ctrl_c():                    # a real SIGINT, as the terminal sends it, into the join
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)
    timer = threading.Timer(3, ctrl_c)
    timer.start()
    try:
        code, out, err = shell([ddl, slow_join, "SELECT 'after' AS x;\n"], capsys)
    finally:
        timer.cancel()
    assert sent, "the query ended before Ctrl-C"
    assert code == 0
    assert err == "Query cancelled.\n"
    assert "| after |" in out          # the shell went on to the next statement
