"""Server memory for a 10M-row result: peak and held RSS of a real `parthenon serve`.

Runs the server as a child process (fresh PARTHENON_HOME, --no-auth, loopback), sends one
SELECT of 10,000,000 rows through boto3, waits for it, reads its first and last
GetQueryResults pages, and samples the server's VmRSS every 50 ms throughout.

    .venv/bin/python bench/result_memory.py [--rows N] [--memory SIZE]
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

import boto3

from parthenon.service.paging import next_token


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--memory", default=None)
    args = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = tempfile.mkdtemp(prefix="parthenon-bench-")
    env = {**os.environ, "PARTHENON_HOME": home, "AWS_ACCESS_KEY_ID": "x",
           "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1"}
    cmd = [sys.executable, "-m", "parthenon.cli", "serve", "--port", str(port), "--no-auth",
           "--no-scheduler"] + (["--memory", args.memory] if args.memory else [])
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        athena = boto3.client("athena", endpoint_url=url, region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x")
        for _ in range(200):
            try:
                athena.list_work_groups()
                break
            except Exception:
                time.sleep(0.1)
        idle = rss_mb(server.pid)
        peak, stop = [idle], threading.Event()

        def sample():
            while not stop.is_set():
                peak.append(rss_mb(server.pid))
                time.sleep(0.05)
        threading.Thread(target=sample, daemon=True).start()
        outer = 1000
        sql = (f"SELECT x * {outer} + y AS n, 'row ' || CAST(x AS varchar) AS label, "
               f"CAST(y AS double) / 7 AS ratio FROM UNNEST(sequence(0, {args.rows // outer - 1})) AS a(x) "
               f"CROSS JOIN UNNEST(sequence(1, {outer})) AS b(y)")
        t0 = time.perf_counter()
        qid = athena.start_query_execution(QueryString=sql)["QueryExecutionId"]
        while True:
            q = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            if q["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - t0
        assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
        first = athena.get_query_results(QueryExecutionId=qid, MaxResults=1000)
        last = athena.get_query_results(QueryExecutionId=qid, MaxResults=1000,
                                        NextToken=next_token(args.rows - 999))
        stop.set()
        time.sleep(0.1)
        stats = athena.get_query_runtime_statistics(QueryExecutionId=qid)["QueryRuntimeStatistics"]
        print(f"rows {stats['Rows']['OutputRows']:,}  result file {stats['Rows']['OutputBytes'] / 2**20:.0f} MiB  "
              f"query {seconds:.1f} s")
        print(f"server RSS MiB: idle {idle:.0f}, peak {max(peak):.0f} (kernel high-water "
              f"{rss_mb(server.pid, 'VmHWM'):.0f}), held after {rss_mb(server.pid):.0f}")
        print(f"pages: first {len(first['ResultSet']['Rows'])} rows, "
              f"last {len(last['ResultSet']['Rows'])} rows")
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
