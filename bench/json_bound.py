#!/usr/bin/env python
"""Benchmark: the physical bound of a raw gzip CloudTrail scan on this machine, as issue 14 defines it.

    .venv/bin/python bench/json_bound.py [--runs 3] [--processes 2]

Issue 14 puts the bound at inflating with isal plus parsing with simdjson, fused, on 2 cores
(1,948 MB/s of JSON on its trail).  This measures the same two steps over bench/peers.py's 1 GB
trail (made on first use): each of N processes takes every N-th file, inflates it with isal into
a buffer sized from the gzip trailer and parses the whole file with simdjson (no field is read:
any decoder that builds columns costs more).  Prints CPU-s per GB of JSON per step, the wall
MB/s of both steps with N processes, and what that leaves of the 1.67 CPU-s/GB that the
1.2 GB/s target allows.  Runs in the peers' venv (bench/peers.py installs pysimdjson there).
Not part of the test suite.
"""
import argparse
import json
import statistics
import subprocess
import sys
import time
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402  (the trail and the peers' venv)

TARGET_CPU_S_PER_GB = 2 / 1.2   # 1.2 GB/s on 2 cores


def _steps(files: list[str]) -> tuple[float, float, int]:
    """Inflate then parse each file; the CPU seconds of each step and the JSON bytes."""
    from isal import igzip_lib
    import simdjson
    parser = simdjson.Parser()
    inflate = parse = 0.0
    raw = 0
    for f in files:
        data = Path(f).read_bytes()
        size = int.from_bytes(data[-4:], "little")   # ISIZE: the trail's files are < 4 GiB
        c0 = peers._cpu()
        # One gzip member per file, header without optional fields (checked: FLG == 0).
        assert data[3] == 0, f"{f}: gzip header with optional fields"
        plain = igzip_lib.decompress(data[10:-8], flag=igzip_lib.DECOMP_DEFLATE, bufsize=size + 64)
        c1 = peers._cpu()
        doc = parser.parse(plain)
        del doc
        parse += peers._cpu() - c1
        inflate += c1 - c0
        raw += len(plain)
    return inflate, parse, raw


def worker(files: list[str], runs: int, processes: int) -> None:
    rows = []
    shares = [files[i::processes] for i in range(processes)]
    with Pool(processes) as pool:
        pool.map(_steps, shares)   # warm-up
        for _ in range(runs):
            w0 = time.perf_counter()
            parts = pool.map(_steps, shares)
            wall = time.perf_counter() - w0
            raw = sum(p[2] for p in parts)
            gb = raw / 2**30
            rows.append((sum(p[0] for p in parts) / gb, sum(p[1] for p in parts) / gb, raw / 1e6 / wall))
    inflate = statistics.median(r[0] for r in rows)
    parse = statistics.median(r[1] for r in rows)
    mbs = statistics.median(r[2] for r in rows)
    print(f"{len(files)} files, {gb:.2f} GB of JSON, {processes} processes, medians of {runs}")
    print(f"  inflate (isal, pre-sized)   {inflate:5.2f} CPU-s/GB")
    print(f"  parse (simdjson, whole doc) {parse:5.2f} CPU-s/GB")
    print(f"  both                        {inflate + parse:5.2f} CPU-s/GB = {2 / (inflate + parse) * 1024:,.0f} MB/s "
          f"on 2 busy cores; measured wall {mbs:,.0f} MB/s")
    left = TARGET_CPU_S_PER_GB - inflate - parse
    print(f"  the 1.2 GB/s target allows {TARGET_CPU_S_PER_GB:.2f} CPU-s/GB: {left:+.2f} left for building columns, "
          f"the rules and the query")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--dir", default=str(peers.REPO / "bench" / "data"))
    ap.add_argument("--venv", default=str(peers.REPO / ".bench-venv"), help="the peers' own venv")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(json.loads(Path(args.worker).read_text())["files"], args.runs, args.processes)
        return 0
    data_dir = Path(args.dir).resolve() / "peers-big"
    peers.ensure_trail(data_dir, *peers.SHAPES["big"])
    python = peers.ensure_venv(Path(args.venv), spark=False)
    print(f"Load average before: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    rc = subprocess.run([str(python), __file__, "--worker", str(data_dir / "manifest.json"),
                         "--runs", str(args.runs), "--processes", str(args.processes)]).returncode
    print(f"Load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
