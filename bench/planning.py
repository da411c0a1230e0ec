#!/usr/bin/env python
"""Benchmark: Parthenon's per-query overhead on a Parquet table (issue 14 item 6).

    .venv/bin/python bench/planning.py           # 7 runs
    .venv/bin/python bench/planning.py --runs 11

A day-partitioned Parquet table (30 partitions, 2 files each, 20,000 rows a file) in a
temporary PARTHENON_HOME. Measured in the same run, medians:

  warm    the same query in this process through parthenon.connect(), against DuckDB reading
          the same files itself (read_parquet over the file list): the difference is the
          planning overhead (catalog, pruning, listing, translation, registering the scan)
  fsspec  DuckDB reading the same files through fsspec's own LocalFileSystem: what any
          Python filesystem costs DuckDB (Parthenon's serves every read through one, to
          count the bytes read and keep reads inside the table's files)
  first   a fresh process (`python -c`): importing parthenon, connecting (the engine's
          modules and its DuckDB connection with Parthenon's functions), and one query with a
          partition predicate until its answer; and whether pandas was imported on the way
          (it costs about 0.2 s; nothing needs it)

Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fsspec.implementations.local import LocalFileSystem

QUERIES = {
    "all": "SELECT count(*), sum(a) FROM events",
    "one day": "SELECT count(*), sum(a) FROM events WHERE day = '2024-01-07'",
}
FIRST = """
import sys, time
t0 = time.perf_counter()
import parthenon
t1 = time.perf_counter()
cur = parthenon.connect().cursor()
t2 = time.perf_counter()
cur.execute("SELECT count(*), sum(a) FROM events WHERE day = '2024-01-07'")
rows = cur.fetchall()
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "connect": t2 - t1, "query": t3 - t2, "pandas": "pandas" in sys.modules,
                  "rows": rows}))
"""


class LocalAsFsspec(LocalFileSystem):
    """fsspec's LocalFileSystem under a protocol of its own, for DuckDB to read through."""
    protocol = "benchlocal"
    root_marker = ""

    @classmethod
    def _strip_protocol(cls, path):
        return str(path).removeprefix(cls.protocol + "://")


def read_parquet(con, files: list[str]) -> list[tuple]:
    """The benchmark's query, DuckDB reading the files itself."""
    return [tuple(r) for r in con.execute("SELECT count(*), sum(a) FROM read_parquet($1)", [files]).fetchall()]


def make_table(root: Path) -> dict[str, list[str]]:
    import pyarrow as pa
    import pyarrow.parquet as pq
    files: dict[str, list[str]] = {}
    for d in range(1, 31):
        day = f"2024-01-{d:02d}"
        for n in range(2):
            path = root / "events" / f"day={day}" / f"part-{n}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.table({"a": list(range(20_000)), "b": [f"v{i % 97}" for i in range(20_000)]}), path)
            files.setdefault(day, []).append(str(path))
    return files


def median_of(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="parthenon-bench-planning-"))
    os.environ["PARTHENON_HOME"] = str(home / "home")
    files = make_table(home)

    import duckdb
    import parthenon
    con = parthenon.connect()
    cur = con.cursor()
    cur.execute(f"CREATE EXTERNAL TABLE events (a BIGINT, b STRING) PARTITIONED BY (day STRING) "
                f"STORED AS PARQUET LOCATION '{home}/events/'")
    cur.execute("MSCK REPAIR TABLE events")
    direct = duckdb.connect()
    via_fsspec = duckdb.connect()
    via_fsspec.register_filesystem(LocalAsFsspec())
    direct_sql = {"all": [f for fs in files.values() for f in fs], "one day": files["2024-01-07"]}

    print(f"30 partitions x 2 Parquet files, 20,000 rows each; median of {args.runs} runs")
    print(f"{'query':<10}{'parthenon':>11}{'duckdb':>9}{'overhead':>10}{'ratio':>7}{'fsspec':>9}{'beyond fsspec':>15}")
    for name, sql in QUERIES.items():
        def ours():
            cur.execute(sql)
            return cur.fetchall()

        def theirs():
            return read_parquet(direct, direct_sql[name])

        def fsspec_read():
            return read_parquet(via_fsspec, [LocalAsFsspec.protocol + "://" + f for f in direct_sql[name]])
        assert ours() == theirs() == fsspec_read(), name
        p, d, f = median_of(ours, args.runs), median_of(theirs, args.runs), median_of(fsspec_read, args.runs)
        print(f"{name:<10}{p * 1000:>9.1f}ms{d * 1000:>7.1f}ms{(p - d) * 1000:>8.1f}ms{p / d:>7.1f}"
              f"{f * 1000:>7.1f}ms{(p - f) * 1000:>13.1f}ms")
    con.close()

    # As a user's Python runs it: modules compiled once and kept (these machines set
    # PYTHONDONTWRITEBYTECODE, which makes every process compile ~120 modules again: ~0.17 s).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    firsts = []
    for _ in range(1 + max(3, args.runs // 2)):     # the first run writes the compiled modules
        out = subprocess.run([sys.executable, "-c", "import json\n" + FIRST], capture_output=True,
                             text=True, env=env, check=True)
        firsts.append(json.loads(out.stdout))
    firsts = firsts[1:]

    def ms(key: str) -> str:
        return f"{statistics.median(f[key] for f in firsts) * 1000:.0f} ms"
    print(f"first query in a fresh process (median of {len(firsts)}): import parthenon {ms('import')}, "
          f"connect {ms('connect')}, then the query {ms('query')}; pandas imported: "
          f"{sorted({f['pandas'] for f in firsts})}")


if __name__ == "__main__":
    sys.exit(main())
