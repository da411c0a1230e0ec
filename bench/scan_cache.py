#!/usr/bin/env python
"""Benchmark: the scan cache's first and second run of the seed query over a CloudTrail trail.

    .venv/bin/python bench/scan_cache.py                  # 1 GB of JSON, 3 trials
    .venv/bin/python bench/scan_cache.py --size-mb 128    # a quick check

The trail is bench/cloudtrail.py's (generated once, reused). Each trial, in one process
and a fresh PARTHENON_HOME (so an empty cache), times through the DB-API:

  off     the seed query with the cache switched off for the table (TBLPROPERTIES
          'parthenon.scan_cache'='false'): today's raw decode, and the process's warm-up
  first   the same query with the cache on and empty: decodes, and fills the cache
  second  the same query again: answered from the cache

Prints the medians, first/second and off/second, data scanned and cache bytes of each, and
checks that every run gives the same rows. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cloudtrail as trail  # noqa: E402  (bench/cloudtrail.py: the dataset)

import parthenon  # noqa: E402
from parthenon.demo.cloudtrail_table import SEED_QUERY, create_trail_table  # noqa: E402


def trial(m: dict, query: str) -> dict:
    home = tempfile.mkdtemp(prefix="parthenon-bench-cache-")
    try:
        con = parthenon.connect(home=home)
        cur = con.cursor()
        create_trail_table(cur, m["location"], m["partitions"])
        out = {}
        for name, switch in (("off", "false"), ("first", "true"), ("second", "true")):
            cur.execute(f"ALTER TABLE cloudtrail_logs SET TBLPROPERTIES ('parthenon.scan_cache'='{switch}')")
            t = time.perf_counter()
            cur.execute(query)
            rows = cur.fetchall()
            out[name] = {"s": time.perf_counter() - t, "rows": rows,
                         "scanned": cur.data_scanned_in_bytes,
                         "cache": cur._result.cache_bytes_scanned}
        out["cache_size"] = sum(p.stat().st_size for p in Path(home, "scan-cache").rglob("*.parquet"))
        con.close()
        return out
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=int, default=1024, help="uncompressed JSON (default 1024)")
    ap.add_argument("--dir", default=str(trail.REPO / "bench" / "data"),
                    help="where the dataset lives (default bench/data, shared with cloudtrail.py)")
    ap.add_argument("--trials", type=int, default=3)
    args = ap.parse_args()
    m, _ = trail.ensure_dataset(Path(args.dir).resolve(), args.size_mb)
    query = SEED_QUERY.format(predicates="")
    print(f"{len(m['files'])} files, {m['uncompressed_bytes'] / 2**20:.0f} MB of JSON "
          f"({m['compressed_bytes'] / 2**20:.1f} MB gzip), {args.trials} trials", flush=True)
    trials = [trial(m, query) for _ in range(args.trials)]
    reference = trials[0]["off"]["rows"]
    same = all(trail.same_rows(t[k]["rows"], reference) for t in trials for k in ("off", "first", "second"))
    med = {k: statistics.median(t[k]["s"] for t in trials) for k in ("off", "first", "second")}
    last = trials[-1]
    for k in ("off", "first", "second"):
        runs = ", ".join(f"{t[k]['s']:.3f}" for t in trials)
        print(f"  {k:<7} {med[k]:7.3f} s  (runs {runs})  "
              f"data scanned {last[k]['scanned'] / 2**20:7.1f} MB, cache read {last[k]['cache'] / 2**20:6.1f} MB")
    print(f"  first/second: {med['first'] / med['second']:.1f}x   off/second: {med['off'] / med['second']:.1f}x   "
          f"first/off: {med['first'] / med['off']:.2f}x   cache on disk: {last['cache_size'] / 2**20:.1f} MB")
    print(f"  same rows in every run: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
