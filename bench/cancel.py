#!/usr/bin/env python
"""Benchmark: how fast Ctrl-C stops `parthenon query`, and StopQueryExecution a served query.

    .venv/bin/python bench/cancel.py             # 5 runs each
    .venv/bin/python bench/cancel.py --runs 3

A JSON table of 20,000 rows (200 per key) in a temporary PARTHENON_HOME; its four-way
self-join runs for minutes.  Two measures, medians over the runs:

  cli     `parthenon query` in a subprocess; SIGINT once the join runs; the time from the
          signal to the process's exit (it prints `Query cancelled.`, status 130).
          Process exit (closing the catalog, interpreter shutdown) is included.
  engine  the same join in this process on Session + the cancellable runner; the time
          from the interrupt to the statement letting go: the engine's own latency.

The target (issue 14): under 1 s.  Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

JOIN = ("SELECT count(*) FROM slow a JOIN slow b ON a.k = b.k JOIN slow c ON b.k = c.k "
        "JOIN slow d ON c.k = d.k")


def make_table(home: Path) -> None:
    data = home / "slow-data" / "part-0.json"
    data.parent.mkdir(parents=True)
    data.write_text("".join(json.dumps({"k": i % 100}) + "\n" for i in range(20_000)))
    cli("query", f"CREATE EXTERNAL TABLE slow (k INT) ROW FORMAT SERDE "
                 f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{data.parent}/'", check=True)


def cli(*args, check=False, **kw):
    return subprocess.run([sys.executable, "-m", "parthenon.cli", *args], capture_output=True,
                          text=True, check=check, **kw)


def cli_once(into_join: float) -> float:
    proc = subprocess.Popen([sys.executable, "-m", "parthenon.cli", "query", "--format", "csv",
                             f"SELECT 'started' AS s; {JOIN}"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    proc.stdout.readline(), proc.stdout.readline()       # the first statement answered
    time.sleep(into_join)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    took = time.monotonic() - sent
    assert proc.returncode == 130 and err.splitlines()[-1] == "Query cancelled.", err
    return took


def engine_once(into_join: float) -> float:
    from parthenon.errors import QueryCancelled
    from parthenon.session import Session
    session = Session()
    stopped = []
    try:
        def run():
            try:
                list(session.execute_script(JOIN))
            except QueryCancelled:
                stopped.append(time.monotonic())
        worker = threading.Thread(target=run)
        worker.start()
        time.sleep(into_join)
        sent = time.monotonic()
        while worker.is_alive():          # as the CLI does: repeat until it lets go
            session.engine.interrupt()
            worker.join(0.05)
        assert stopped, "the query was not cancelled"
        return stopped[0] - sent
    finally:
        session.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--into-join", type=float, default=1.0, help="seconds before the cancel")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PARTHENON_HOME"] = tmp
        make_table(Path(tmp))
        for name, once in (("cli", cli_once), ("engine", engine_once)):
            times = [once(args.into_join) for _ in range(args.runs)]
            print(f"{name:7s} cancel latency: median {statistics.median(times) * 1000:7.0f} ms "
                  f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)")


if __name__ == "__main__":
    main()
