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

  fast    the seed query over bench/peers.py's 1 GB trail (--trail, generated if missing) on
          Session + the cancellable runner, read by the fast CloudTrail scan (chdb decoding
          batches of BATCH_BYTES in a thread; --batch-mb 32,8 compares sizes, alternately):
          the time from the interrupt to the statement letting go, until the next fast
          scan's chdb query could start (`next scan`), and (`chdb free`) until chdb's batch
          under way has ended too.

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


def _fast_session(trail: Path, batch_mb: float | None = None):
    """A Session over bench/peers.py's 1 GB trail (made if missing), the cache off: every run decodes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import peers

    import parthenon
    from parthenon.demo.cloudtrail_table import create_trail_table
    from parthenon.engine.duckdb import fast_cloudtrail
    from parthenon.session import Session
    m = peers.ensure_trail(trail, *peers.SHAPES["big"])
    if batch_mb is not None:
        fast_cloudtrail.BATCH_BYTES = int(batch_mb * 2**20)
    con = parthenon.connect()        # the table in this PARTHENON_HOME's catalog
    con.cursor().execute("DROP TABLE IF EXISTS cloudtrail_logs")
    create_trail_table(con.cursor(), m["location"], m["partitions"])
    con.cursor().execute("ALTER TABLE cloudtrail_logs SET TBLPROPERTIES ('parthenon.scan_cache'='false')")
    con.close()
    return Session()


def fast_scan_seconds(trail: Path) -> float:
    """How long the seed query takes uncancelled, after a warm-up run."""
    from parthenon.demo.cloudtrail_table import SEED_QUERY
    session = _fast_session(trail)
    try:
        list(session.execute_script(SEED_QUERY.format(predicates="")))
        t0 = time.monotonic()
        list(session.execute_script(SEED_QUERY.format(predicates="")))
        return time.monotonic() - t0
    finally:
        session.close()


def fast_once(into_scan: float, trail: Path, batch_mb: float | None = None) -> tuple[float, float, float]:
    from parthenon.demo.cloudtrail_table import SEED_QUERY
    from parthenon.engine.duckdb import fast_cloudtrail
    from parthenon.errors import QueryCancelled
    session = _fast_session(trail, batch_mb)
    stopped = []
    try:
        def run():
            try:
                list(session.execute_script(SEED_QUERY.format(predicates="")))
            except QueryCancelled:
                stopped.append(time.monotonic())
        worker = threading.Thread(target=run)
        worker.start()
        time.sleep(into_scan)
        sent = time.monotonic()
        while worker.is_alive():
            session.engine.interrupt()
            worker.join(0.05)
        assert stopped, "the query was not cancelled (it ended first: lower --into-scan)"
        if hasattr(fast_cloudtrail, "idle"):     # a batch under way runs on its own connection
            with fast_cloudtrail._connection():   # the next scan's chdb query could start
                ready = time.monotonic()
            fast_cloudtrail.idle()                # chdb's batch under way, if any, has ended
        else:                                     # trees before: one connection, one lock
            with fast_cloudtrail._LOCK:
                ready = time.monotonic()
        free = time.monotonic()
        return stopped[0] - sent, free - sent, ready - sent
    finally:
        session.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--into-join", type=float, default=1.0, help="seconds before the cancel")
    ap.add_argument("--into-scan", type=float, help="seconds into the fast scan before the cancel "
                    "(default: half of an uncancelled run, timed first)")
    ap.add_argument("--only", help="comma-separated measures: cli,engine,fast (default: all)")
    ap.add_argument("--batch-mb", help="fast: comma-separated stored MB per chdb batch, run alternately "
                    "(default: fast_cloudtrail.BATCH_BYTES)")
    ap.add_argument("--trail", default=str(Path(__file__).resolve().parent / "data" / "peers-big"))
    args = ap.parse_args()
    only = args.only.split(",") if args.only else ["cli", "engine", "fast"]
    print(f"Load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PARTHENON_HOME"] = tmp
        make_table(Path(tmp))
        for name, once in (("cli", cli_once), ("engine", engine_once)):
            if name in only:
                times = [once(args.into_join) for _ in range(args.runs)]
                print(f"{name:7s} cancel latency: median {statistics.median(times) * 1000:7.0f} ms "
                      f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)")
        if "fast" in only:
            sizes = [float(x) for x in args.batch_mb.split(",")] if args.batch_mb else [None]
            pairs = {size: [] for size in sizes}
            if args.into_scan is None:
                whole = fast_scan_seconds(Path(args.trail))
                args.into_scan = whole / 2
                print(f"fast: the seed query takes {whole:.2f} s uncancelled; cancelled {args.into_scan:.2f} s in")
            for _ in range(args.runs):
                for size in sizes:
                    pairs[size].append(fast_once(args.into_scan, Path(args.trail), size))
            for size in sizes:
                for i, label in ((0, "fast"), (2, "next scan"), (1, "chdb free")):
                    times = [p[i] for p in pairs[size]]
                    print(f"{label:9s} cancel latency: median {statistics.median(times) * 1000:7.0f} ms "
                          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)"
                          + (f", batches of {size:g} MB" if size is not None else ""))
    print(f"Load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
