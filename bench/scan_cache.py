#!/usr/bin/env python
"""Benchmark: the scan cache's first and second run of the seed query over a CloudTrail trail.

    .venv/bin/python bench/scan_cache.py                  # 1 GB of JSON, 3 trials
    .venv/bin/python bench/scan_cache.py --size-mb 128    # a quick check

The trail is bench/cloudtrail.py's (generated once, reused). Each trial makes a fresh
PARTHENON_HOME (so an empty cache) and creates the table there, then times, each in a
fresh process (as a CLI user runs them: the process's own first-query costs count, and
nothing of the decode stays warm in memory for the next run):

  off     the seed query with the cache switched off for the table (TBLPROPERTIES
          'parthenon.scan_cache'='false'): the raw decode
  first   the same query with the cache on and empty: decodes, and fills the cache
  second  the same query again: answered from the cache

Printed per run: the median wall time of execute + fetchall and the median CPU seconds of
the process over it (all threads; steadier than wall time on a shared machine), first/off
and first/second as ratios of both, data scanned and cache bytes read; it checks that
every run gives the same rows. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cloudtrail as trail  # noqa: E402  (bench/cloudtrail.py: the dataset)

RUNS = (("off", "false"), ("first", "true"), ("second", "true"))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def child(kind: str, home: str, manifest: str) -> None:
    """One step in a fresh process: `setup` creates the table; a run's name times the query."""
    import parthenon
    from parthenon.demo.cloudtrail_table import SEED_QUERY, create_trail_table
    m = json.loads(Path(manifest).read_text())
    con = parthenon.connect(home=home)
    cur = con.cursor()
    if kind == "setup":
        create_trail_table(cur, m["location"], m["partitions"])
        print(json.dumps({}))
        return
    switch = dict(RUNS)[kind]
    cur.execute(f"ALTER TABLE cloudtrail_logs SET TBLPROPERTIES ('parthenon.scan_cache'='{switch}')")
    cpu, t = _cpu(), time.perf_counter()
    cur.execute(SEED_QUERY.format(predicates=""))
    rows = cur.fetchall()
    out = {"s": time.perf_counter() - t, "cpu": _cpu() - cpu, "rows": [list(r) for r in rows],
           "scanned": cur.data_scanned_in_bytes, "cache": cur._result.cache_bytes_scanned}
    con.close()
    print(json.dumps(out, default=str))


def run_child(kind: str, home: str, manifest: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", kind, home, str(manifest)],
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def trial(manifest: Path) -> dict:
    home = tempfile.mkdtemp(prefix="parthenon-bench-cache-")
    try:
        run_child("setup", home, manifest)
        out = {name: run_child(name, home, manifest) for name, _ in RUNS}
        out["cache_size"] = sum(p.stat().st_size for p in Path(home, "scan-cache").rglob("*.parquet"))
        return out
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=int, default=1024, help="uncompressed JSON (default 1024)")
    ap.add_argument("--dir", default=str(trail.REPO / "bench" / "data"),
                    help="where the dataset lives (default bench/data, shared with cloudtrail.py)")
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0
    m, _ = trail.ensure_dataset(Path(args.dir).resolve(), args.size_mb)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"location": m["location"], "partitions": m["partitions"]}, f)
    manifest = Path(f.name)
    print(f"{len(m['files'])} files, {m['uncompressed_bytes'] / 2**20:.0f} MB of JSON "
          f"({m['compressed_bytes'] / 2**20:.1f} MB gzip), {args.trials} trials, "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    try:
        trials = [trial(manifest) for _ in range(args.trials)]
    finally:
        manifest.unlink()
    reference = trials[0]["off"]["rows"]
    same = all(trail.same_rows(t[k]["rows"], reference) for t in trials for k, _ in RUNS)
    med = {k: statistics.median(t[k]["s"] for t in trials) for k, _ in RUNS}
    cpu = {k: statistics.median(t[k]["cpu"] for t in trials) for k, _ in RUNS}
    last = trials[-1]
    for k, _ in RUNS:
        runs = ", ".join(f"{t[k]['s']:.3f}" for t in trials)
        print(f"  {k:<7} {med[k]:7.3f} s wall  {cpu[k]:7.2f} s CPU  (runs {runs})  "
              f"data scanned {last[k]['scanned'] / 2**20:7.1f} MB, cache read {last[k]['cache'] / 2**20:6.1f} MB")
    print(f"  first/second: {med['first'] / med['second']:.1f}x wall, {cpu['first'] / cpu['second']:.1f}x CPU   "
          f"first/off: {med['first'] / med['off']:.2f}x wall, {cpu['first'] / cpu['off']:.2f}x CPU   "
          f"cache on disk: {last['cache_size'] / 2**20:.1f} MB")
    print(f"  load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"  same rows in every run: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
