"""Load on `parthenon serve`: latency of trivial queries and GetQueryResults paging speed.

Starts `parthenon serve` as its own process (so client and server don't share a GIL)
on a free loopback port with a throwaway PARTHENON_HOME and local result files, then:
1. N client threads each run M trivial queries (`SELECT 1`): StartQueryExecution, then
   GetQueryExecution without pause until SUCCEEDED; latency = Start sent -> SUCCEEDED seen.
2. One query returning R rows (3 columns), paged with boto3's get_query_results
   paginator (1000 rows a page): rows/s as the client sees them.
Targets (issue 3): median latency < 50 ms, paging >= 20,000 rows/s.

    .venv/bin/python bench/server_load.py [--clients 4] [--queries 25] [--rows 100000]
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import boto3
from botocore.config import Config


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: str, port: int, concurrency: int) -> subprocess.Popen:
    env = {**os.environ, "PARTHENON_HOME": home, "PARTHENON_ACCESS_KEYS": "bench:bench"}
    proc = subprocess.Popen([sys.executable, "-m", "parthenon.cli", "serve", "--port", str(port),
                             "--concurrency", str(concurrency)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def client(url: str):
    return boto3.client("athena", endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id="bench", aws_secret_access_key="bench",
                        config=Config(max_pool_connections=4, retries={"max_attempts": 1}))


def run_until_done(athena, sql: str) -> tuple[str, float]:
    t0 = time.perf_counter()
    qid = athena.start_query_execution(QueryString=sql)["QueryExecutionId"]
    while True:
        state = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]["Status"]["State"]
        if state in ("SUCCEEDED", "FAILED", "CANCELLED"):
            if state != "SUCCEEDED":
                raise SystemExit(f"{sql!r} ended {state}")
            return qid, time.perf_counter() - t0


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--queries", type=int, default=25, help="trivial queries per client")
    ap.add_argument("--concurrency", type=int, default=4, help="the server's query slots")
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as home:
        port = free_port()
        proc = start_server(home, port, args.concurrency)
        url = f"http://127.0.0.1:{port}"
        try:
            warm = client(url)
            for _ in range(args.concurrency * 2):        # every worker opens its Session once
                run_until_done(warm, "SELECT 1")

            latencies: list[float] = []
            lock = threading.Lock()

            def worker():
                athena = client(url)
                mine = [run_until_done(athena, "SELECT 1")[1] for _ in range(args.queries)]
                with lock:
                    latencies.extend(mine)
            threads = [threading.Thread(target=worker) for _ in range(args.clients)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
            ms = [x * 1000 for x in latencies]
            print(f"trivial queries: {len(ms)} by {args.clients} clients, server concurrency "
                  f"{args.concurrency}: {len(ms) / wall:.1f} queries/s")
            print(f"  Start -> SUCCEEDED seen: p50 {pct(ms, 50):.1f} ms, p90 {pct(ms, 90):.1f} ms, "
                  f"p99 {pct(ms, 99):.1f} ms, max {max(ms):.1f} ms "
                  f"(target: median < 50 ms: {'met' if statistics.median(ms) < 50 else 'MISSED'})")

            qid, took = run_until_done(warm, f"SELECT x, 'row ' || CAST(x AS varchar) AS label, "
                                             f"x * 0.5 AS half FROM UNNEST(sequence(1, {args.rows})) AS t(x)")
            print(f"{args.rows} row query: Start -> SUCCEEDED {took * 1000:.0f} ms")
            for attempt in ("first", "second"):
                t0 = time.perf_counter()
                n = pages = 0
                for page in warm.get_paginator("get_query_results").paginate(QueryExecutionId=qid):
                    n += len(page["ResultSet"]["Rows"])
                    pages += 1
                secs = time.perf_counter() - t0
                print(f"GetQueryResults paging ({attempt} pass): {n - 1} rows in {pages} pages, "
                      f"{secs:.2f} s, {(n - 1) / secs:,.0f} rows/s "
                      f"(target >= 20,000 rows/s: {'met' if (n - 1) / secs >= 20000 else 'MISSED'})")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
