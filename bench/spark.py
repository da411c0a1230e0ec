#!/usr/bin/env python
"""Benchmark: the seed query over demo trails on DuckDB and on Spark, in the same run.

    .venv/bin/python bench/spark.py                      # 1 GB and 4 GB trails, 3 runs each
    .venv/bin/python bench/spark.py --sizes 1024 --runs 1

Engines: DuckDB (Parthenon's default), Spark local[1], local[2], and a standalone cluster
of two one-core workers started here (engine/spark/standalone.py), all on this machine.
Each engine runs in its own interpreter (one Spark context per process) through
parthenon.connect(): CREATE EXTERNAL TABLE with the CloudTrail SerDe, ADD PARTITION per
day, then the seed query over the whole trail (no partition predicate).  The scan cache
is switched off for the table (TBLPROPERTIES 'parthenon.scan_cache'='false'): every run
decodes the JSON, as Spark's readers do (with it on, DuckDB's timed runs read the cache
the warm-up filled: 0.13 s for the 1 GB trail).  One untimed
warm-up query per engine (Spark's first job pays for the JVM's and the Python workers'
start); then `--runs` timed runs, median reported.  MB/s: MB (2**20 B) of uncompressed
JSON in the trail divided by the median.  The rows and Data scanned of every engine must
equal DuckDB's.  Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cloudtrail import same_rows  # noqa: E402  (equal up to the order of tied counts)
from spark_data import ensure_trail  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ENGINES = ["duckdb", "local[1]", "local[2]", "cluster"]


def child(spec: dict) -> dict:
    """In a fresh interpreter: one engine, one trail."""
    import parthenon
    from parthenon.demo.cloudtrail_table import SEED_QUERY, create_trail_table
    m, master = spec["manifest"], spec["master"]
    home = tempfile.mkdtemp(prefix="parthenon-bench-spark-")
    try:
        options = {} if master is None else {"engine": "spark", "spark_master": master}
        con = parthenon.connect(home=home, **options)
        cur = con.cursor()
        create_trail_table(cur, m["location"], m["partitions"])
        cur.execute("ALTER TABLE cloudtrail_logs SET TBLPROPERTIES ('parthenon.scan_cache'='false')")
        sql = SEED_QUERY.format(predicates="")
        started = time.perf_counter()
        cur.execute(sql)
        cur.fetchall()
        warmup = time.perf_counter() - started
        times = []
        for _ in range(spec["runs"]):
            started = time.perf_counter()
            cur.execute(sql)
            rows = cur.fetchall()
            times.append(time.perf_counter() - started)
        out = {"warmup": warmup, "times": times, "rows": [list(r) for r in rows],
               "scanned": cur.data_scanned_in_bytes}
        con.close()
        return out
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _load() -> str:
    """The 1-minute load average now (the machine is shared: it says what a time is worth)."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def run_child(manifest: dict, master: str | None, runs: int) -> dict:
    load_before = _load()
    with tempfile.TemporaryDirectory() as tmp:
        spec, out = Path(tmp) / "spec.json", Path(tmp) / "out.json"
        spec.write_text(json.dumps({"manifest": manifest, "master": master, "runs": runs}))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "src"),
                                                                        os.environ.get("PYTHONPATH")])))
        proc = subprocess.run([sys.executable, __file__, "--child", str(spec), str(out)], env=env)
        if not out.exists():
            return {"error": f"exited with {proc.returncode}"}
        return {**json.loads(out.read_text()), "load": f"{load_before}-{_load()}"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1024, 4096], help="trail sizes, MB of JSON")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--engines", nargs="+", default=ENGINES, choices=ENGINES)
    ap.add_argument("--dir", default=str(REPO / "bench" / "data"))
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        spec = json.loads(Path(args.child[0]).read_text())
        try:
            result = child(spec)
        except Exception as e:     # reported by the parent
            result = {"error": f"{type(e).__name__}: {e}"}
        Path(args.child[1]).write_text(json.dumps(result, default=str))
        return 0

    from parthenon.engine.spark.standalone import LocalCluster
    results: dict = {}
    manifests = {size: ensure_trail(Path(args.dir), size) for size in args.sizes}
    cluster = LocalCluster(workers=2, cores=1) if "cluster" in args.engines else None
    url = cluster.__enter__() if cluster else None
    try:
        for size, m in manifests.items():
            for engine in args.engines:
                master = {"duckdb": None, "cluster": url}.get(engine, engine)
                print(f"{size} MB trail on {engine} ...", flush=True)
                results[(size, engine)] = run_child(m, master, args.runs)
    finally:
        if cluster:
            cluster.stop()

    print(f"\nSeed query over the whole trail, median of {args.runs} runs after one warm-up "
          f"({os.cpu_count()} cores, shared with whatever else runs here):")
    print(f"  {'trail':>8} {'engine':<10} {'median s':>9} {'MB/s':>7} {'vs DuckDB':>9} "
          f"{'scanned MB':>11} {'warm-up s':>9} {'load 1m':>10}  same rows/bytes as DuckDB")
    for size, m in manifests.items():
        base = results.get((size, "duckdb"), {})
        for engine in args.engines:
            r = results[(size, engine)]
            if "error" in r:
                print(f"  {size:>6}MB {engine:<10} failed: {r['error']}")
                continue
            med = statistics.median(r["times"])
            ratio = med / statistics.median(base["times"]) if base.get("times") else float("nan")
            same = same_rows(base.get("rows") or [], r["rows"]) and base.get("scanned") == r["scanned"]
            print(f"  {size:>6}MB {engine:<10} {med:>9.2f} {m['uncompressed_bytes'] / 2**20 / med:>7.0f} "
                  f"{ratio:>8.2f}x {r['scanned'] / 2**20:>11.1f} {r['warmup']:>9.1f} {r.get('load', '?'):>10}  {same}")
            print(f"  {'':>8} {'':<10} runs: {', '.join(f'{x:.2f}' for x in r['times'])}")
        one, two = results.get((size, "local[1]"), {}), results.get((size, "local[2]"), {})
        if one.get("times") and two.get("times"):
            print(f"  {'':>8} scaling local[1] -> local[2]: "
                  f"{statistics.median(one['times']) / statistics.median(two['times']):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
