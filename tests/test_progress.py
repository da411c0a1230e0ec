"""The progress bar of `parthenon query` and `parthenon shell`: drawn on a terminal's stderr
(a pseudo-terminal here, the real CLI in a subprocess) for a query running over a second,
erased before the results; nothing on a pipe, nothing with --quiet."""
from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest

from parthenon.output import human_bytes
from parthenon.progress import ProgressBar, Snapshot, render

# a three-way self-join: 300 keys of 150 rows each, a billion joined rows (seconds on any
# machine: at 100 rows a key a quiet machine answered in under the bar's first second)
SLOW = "SELECT count(*) AS n FROM slow a JOIN slow b ON a.k = b.k JOIN slow c ON b.k = c.k"
RESULT = "+------------+\n| n          |\n+------------+\n| 1012500000 |\n+------------+\n1 row\n"
BAR = re.compile(r"\r\[[#.]{10,30}\] +(\d+)%  ([\d.]+ [KMG]?B) of ([\d.]+ [KMG]?B)  (\d[\d,]*) rows"
                 r"  (\d+\.\d) s(?:  ~\d+\.\d s left)?\x1b\[K")


@pytest.fixture
def slow_table(parthenon_home, tmp_path):
    data = tmp_path / "slow-data" / "part-0.json"
    data.parent.mkdir()
    data.write_text("".join(json.dumps({"k": i % 300}) + "\n" for i in range(45_000)))
    done = subprocess.run(cli("query", "CREATE EXTERNAL TABLE slow (k INT) ROW FORMAT SERDE "
                              f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{data.parent}/'"),
                          capture_output=True, text=True, env=os.environ, timeout=120)
    assert done.returncode == 0, done.stderr
    return data.stat().st_size


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "parthenon", *args]


def run_on_terminal(args: list[str], stdin_text: str | None = None, timeout: float = 180):
    """Run the CLI with stderr on a pseudo-terminal; (stdout, what the terminal got, status)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave,
                            stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
                            env=os.environ)
    os.close(slave)
    if stdin_text is not None:
        proc.stdin.write(stdin_text.encode())
        proc.stdin.close()
    terminal, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:        # the child closed its end
                break
            if not chunk:
                break
            terminal += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    stdout = proc.stdout.read().decode()
    return stdout, terminal.decode(), proc.wait(timeout=30)


def test_a_slow_query_shows_a_bar_on_the_terminal(slow_table):
    stdout, terminal, status = run_on_terminal(cli("query", SLOW))
    assert status == 0, terminal
    assert stdout.startswith(RESULT) and "\r" not in stdout and "[#" not in stdout and "[." not in stdout
    bars = BAR.findall(terminal)
    assert bars, terminal
    for percent, read, total, rows, elapsed in bars:
        assert total == human_bytes(slow_table)       # the planned bytes: the file, once
        assert float(elapsed) >= 1.0                  # nothing in the first second
        assert int(percent) <= 100 and rows == "0"
    assert bars[-1][0] == "100" and bars[-1][1] == human_bytes(slow_table)
    assert terminal.endswith("\r\x1b[K")              # erased before the results came
    assert BAR.sub("", terminal).replace("\r\x1b[K", "") == ""


def test_nothing_on_a_pipe_or_with_quiet(slow_table):
    done = subprocess.run(cli("query", SLOW), capture_output=True, text=True, env=os.environ, timeout=180)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(RESULT)
    stdout, terminal, status = run_on_terminal(cli("query", "--quiet", SLOW))
    assert (status, terminal) == (0, "")
    assert stdout.startswith(RESULT)


def test_a_quick_query_shows_no_bar(slow_table, monkeypatch):
    # "quick" is under the delay: a delay no loaded machine reaches, so the test cannot race
    # (the one-second default is test_the_bar_waits_for_its_delay's)
    monkeypatch.setenv("PARTHENON_PROGRESS_DELAY", "600")
    stdout, terminal, status = run_on_terminal(cli("query", "SELECT count(*) AS n FROM (SELECT k FROM slow LIMIT 10)"))
    assert (status, terminal) == (0, "")
    assert stdout.startswith("+----+\n| n  |\n+----+\n| 10 |\n")


def test_a_script_through_the_shell_shows_the_bar_for_its_slow_statement(slow_table):
    # `parthenon shell < script` (no prompt on a pipe) runs the script as `query -f -` does
    stdout, terminal, status = run_on_terminal(cli("shell"), stdin_text=f"SELECT 1 AS one;\n{SLOW};\n")
    assert status == 0, terminal
    assert stdout.startswith("+-----+\n| one |\n+-----+\n| 1   |\n+-----+\n1 row\n")
    assert RESULT in stdout
    assert BAR.findall(terminal) and terminal.endswith("\r\x1b[K")


def test_the_interactive_shell_draws_the_bar_then_the_result_then_its_prompt(slow_table):
    master, slave = pty.openpty()      # stdin, stdout and stderr all on the terminal
    proc = subprocess.Popen(cli("shell"), stdin=slave, stdout=slave, stderr=slave, env=os.environ,
                            start_new_session=True)
    os.close(slave)
    seen = bytearray()

    def read_until(done, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not done(bytes(seen)):
            if select.select([master], [], [], 0.1)[0]:
                chunk = os.read(master, 65536)
                seen.extend(chunk)
                if b"\x1b[6n" in chunk:          # prompt_toolkit asks where the cursor is
                    os.write(master, b"\x1b[1;1R")
        return done(bytes(seen))
    try:
        assert read_until(lambda out: b"default>" in out)
        start = len(seen)
        os.write(master, SLOW.encode() + b";\r")
        assert read_until(lambda out: b"Run time" in out[start:] and
                          b"default>" in out[out.rfind(b"Run time"):])
        os.write(master, b"\x04")                # Ctrl-D ends the shell
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    after = bytes(seen[start:]).decode()
    bars = BAR.findall(after)
    assert bars and all(total == human_bytes(slow_table) for _, _, total, _, _ in bars)
    erased = after.rfind("\r\x1b[K")
    assert after.find(RESULT.replace("\n", "\r\n")) == erased + len("\r\x1b[K")


def test_the_bar_erases_itself_before_an_error(slow_table):
    stdout, terminal, status = run_on_terminal(cli("query", f"{SLOW}; SELECT * FROM missing_table"))
    assert status == 1 and stdout.startswith(RESULT)
    assert BAR.findall(terminal)
    before, message = terminal.rsplit("\r\x1b[K", 1)
    assert BAR.sub("", before).replace("\r\x1b[K", "") == ""
    assert message.startswith("TABLE_NOT_FOUND: line 1:") and message.endswith(
        ": Table 'awsdatacatalog.default.missing_table' does not exist\r\n")


@pytest.mark.parametrize("snapshot, line", [
    (Snapshot(1.5, 0, None, 0), "planning: listing storage  0 rows  1.5 s"),
    (Snapshot(2.0, 512 * 1024, 2 * 1024 * 1024, 1234),
     "[#######.......................]  25%  512.00 KB of 2.00 MB  1,234 rows  2.0 s  ~6.0 s left"),
    (Snapshot(75.0, 3 * 2**30, 3 * 2**30, 7),
     "[##############################] 100%  3.00 GB of 3.00 GB  7 rows  1 min 15 s"),
    (Snapshot(3.0, 10, 0, 0), "0 B of 0 B  0 rows  3.0 s"),     # no files to read
])
def test_render(snapshot, line):
    assert render(snapshot, 100) == line


def test_render_fits_a_narrow_terminal():
    line = render(Snapshot(2.0, 512 * 1024, 2 * 1024 * 1024, 1234), 40)
    assert line == "25%  512.00 KB of 2.00 MB  1,234 rows  2"


class FakeTerminal:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass

    def isatty(self):
        return True


def test_the_bar_waits_for_its_delay(monkeypatch):
    monkeypatch.delenv("PARTHENON_PROGRESS_DELAY", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    terminal, now = FakeTerminal(), [Snapshot(0.9, 0, 100, 0)]
    bar = ProgressBar.for_stream(terminal, lambda: now[0])
    bar.tick()
    assert terminal.text == ""                 # under a second: nothing, not even an erase
    now[0] = Snapshot(1.0, 50, 100, 3)
    bar.tick()
    line = "\r[##############...............]  50%  50 B of 100 B  3 rows  1.0 s  ~1.0 s left\x1b[K"
    assert terminal.text == line
    bar.clear()
    assert terminal.text == line + "\r\x1b[K"
    assert ProgressBar.for_stream(terminal, lambda: now[0], quiet=True) is None


def test_the_delay_is_the_users_to_set(monkeypatch):
    monkeypatch.setenv("PARTHENON_PROGRESS_DELAY", "5")
    terminal = FakeTerminal()
    bar = ProgressBar.for_stream(terminal, lambda: Snapshot(4.9, 0, 100, 0))
    bar.tick()
    assert terminal.text == ""
    bar.snapshot = lambda: Snapshot(5.0, 0, 100, 0)
    bar.tick()
    assert "0%  0 B of 100 B  0 rows  5.0 s" in terminal.text
