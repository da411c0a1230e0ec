#!/usr/bin/env python
"""Benchmark: "who is burning our API rate limit?" over generated CloudTrail logs.

    .venv/bin/python bench/cloudtrail.py                 # 1 GB of JSON, 3 runs each
    .venv/bin/python bench/cloudtrail.py --size-mb 256   # a quick check

Generates (or reuses) a CloudTrail trail with parthenon.demo.generator, then times the
seed query over the whole trail (no partition predicates) and over one day of one region,
three ways in the same run:

  parthenon   the DB-API: CREATE EXTERNAL TABLE ... CloudTrailSerde, ADD PARTITION per
              day, the query as Athena users write it.
  baseline    the fastest hand-written DuckDB: the same records converted once (not
              timed) to newline-delimited JSON, gzip level 1, one file per source file,
              read with read_json(format='newline_delimited') and only the needed columns.
  plain       DuckDB's read_json over the raw {"Records":[...]} files with schema
              auto-detection and unnest(Records). --plain-mb N times it on the first N MB
              only and extrapolates; the default times the whole trail, because a small
              subset understates its rate (fixed detection costs: ~90 MB/s on 64 MB against
              ~200 MB/s on 1 GB of ~1 MB files with DuckDB 2.0).

Each method runs in its own subprocess so that its peak RSS (ru_maxrss from wait4) is its
own. MB/s are MB (2**20 bytes) of uncompressed CloudTrail JSON covered by the query,
divided by the median wall time of execute + fetchall. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import date
from pathlib import Path

from parthenon.demo.cloudtrail_table import SEED_QUERY, create_trail_table, day_predicates

REPO = Path(__file__).resolve().parents[1]
ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "us-west-2")
START = date(2017, 6, 15)
DAYS = 2
SEED = 42
THROTTLE = "RequestLimitExceeded"


BASELINE_SQL = """SELECT eventName AS eventname, userIdentity.arn AS arn, sourceIPAddress AS sourceipaddress,
       count(*) AS count
FROM read_json({files}, format = 'newline_delimited',
               columns = {{'eventName': 'VARCHAR', 'userIdentity': 'STRUCT(arn VARCHAR)',
                          'sourceIPAddress': 'VARCHAR', 'errorCode': 'VARCHAR'}})
WHERE errorCode = 'RequestLimitExceeded'
GROUP BY ALL
ORDER BY count DESC
LIMIT 20"""

PLAIN_SQL = """SELECT r.eventName AS eventname, r.userIdentity.arn AS arn, r.sourceIPAddress AS sourceipaddress,
       count(*) AS count
FROM (SELECT unnest(Records) AS r FROM read_json({files}, maximum_object_size = 1073741824))
WHERE r.errorCode = 'RequestLimitExceeded'
GROUP BY ALL
ORDER BY count DESC
LIMIT 20"""


# ------------------------------------------------------------------ dataset

_GEN = None
_GEN_PACKAGE = "_parthenon_demo"


def _generator():
    """The package parthenon/demo (whose __init__ imports only the generator's modules: stdlib
    + orjson), loaded on its own under another name so that the dataset can be made even
    while the rest of parthenon does not import."""
    global _GEN
    if _GEN is None:
        import importlib.util
        demo = REPO / "src" / "parthenon" / "demo"
        spec = importlib.util.spec_from_file_location(_GEN_PACKAGE, demo / "__init__.py",
                                                      submodule_search_locations=[str(demo)])
        _GEN = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = _GEN
        spec.loader.exec_module(_GEN)
    return _GEN


def _generator_sha256() -> str:
    """A hash of the source of every module the generator loaded: a new one, a new trail."""
    _generator()
    h = hashlib.sha256()
    for name in sorted(n for n in sys.modules if n == _GEN_PACKAGE or n.startswith(_GEN_PACKAGE + ".")):
        h.update(name.encode() + b"\0" + Path(sys.modules[name].__file__).read_bytes())
    return h.hexdigest()


def _gz_isize(path: str) -> int:
    """Uncompressed size from the gzip trailer (exact below 4 GiB)."""
    with open(path, "rb") as f:
        f.seek(-4, 2)
        return int.from_bytes(f.read(4), "little")


def _to_ndjson(job: tuple[str, str]) -> int:
    import gzip
    import orjson
    _gzip = _generator().encoding.gzip_bytes
    src, dst = job
    records = orjson.loads(gzip.decompress(Path(src).read_bytes()))["Records"]
    body = b"".join(orjson.dumps(r) + b"\n" for r in records)
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    data = _gzip(body)  # same gzip level as the CloudTrail files
    Path(dst).write_bytes(data)
    return len(data)


def ensure_dataset(data_dir: Path, size_mb: int) -> tuple[dict, bool]:
    """The manifest of a trail of size_mb MB under data_dir, generated unless the same one
    (same parameters, same generator source) is already there. Returns (manifest, reused)."""
    gen = _generator()
    params = {"size_mb": size_mb, "account": ACCOUNT, "regions": list(REGIONS), "start": START.isoformat(),
              "days": DAYS, "seed": SEED,
              "generator_sha256": _generator_sha256()}
    manifest_path = data_dir / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("params") == params and all(Path(f).exists() for f in manifest["files"]) \
                and all(Path(f).exists() for f in manifest["ndjson"]):
            return manifest, True
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"Generating {size_mb} MB of CloudTrail JSON under {data_dir} ...", flush=True)
    stats = gen.generate(data_dir / "trail", account=ACCOUNT, regions=REGIONS, start=START, days=DAYS,
                         target_bytes=size_mb * 2**20, seed=SEED)
    files = sorted(str(p) for p in (data_dir / "trail").glob(f"AWSLogs/{ACCOUNT}/CloudTrail/*/*/*/*/*.json.gz"))
    t = time.perf_counter()
    trail_root = str(data_dir / "trail")
    ndjson = [str(data_dir / "ndjson" / os.path.relpath(f, trail_root)) for f in files]
    import multiprocessing
    with multiprocessing.get_context("fork").Pool() as pool:
        pool.map(_to_ndjson, list(zip(files, ndjson)), chunksize=4)
    convert_s = time.perf_counter() - t
    day = stats.partitions[0][:4]
    manifest = {
        "params": params,
        "location": f"{data_dir / 'trail'}/AWSLogs/{ACCOUNT}/CloudTrail/",
        "files": files, "ndjson": ndjson,
        "raw_sizes": [_gz_isize(f) for f in files],
        "gz_sizes": [os.path.getsize(f) for f in files],
        "ndjson_gz_sizes": [os.path.getsize(f) for f in ndjson],
        "records": stats.records, "uncompressed_bytes": stats.uncompressed_bytes,
        "compressed_bytes": stats.compressed_bytes, "generate_s": stats.seconds, "convert_s": convert_s,
        "culprit_arn": stats.culprit_arn, "culprit_ip": stats.culprit_ip,
        "partitions": [list(p) for p in stats.partitions],
        "day": list(day),
        "expected_full": [list(r) for r in stats.top_throttled(n=20)],
        "expected_day": [list(r) for r in stats.top_throttled(region=day[0], day=tuple(day[1:]), n=20)],
    }
    manifest_path.write_text(json.dumps(manifest))
    return manifest, False


# ------------------------------------------------------------------ methods (run in a child)

def _timed(fn, runs: int) -> tuple[list[float], object]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return times, out


def child_parthenon(spec: dict) -> dict:
    import parthenon
    m = spec["manifest"]
    home = tempfile.mkdtemp(prefix="parthenon-bench-")
    try:
        con = parthenon.connect(home=home)
        cur = con.cursor()
        create_trail_table(cur, m["location"], m["partitions"])
        out = {}
        for name, sql in spec["queries"].items():
            def run():
                cur.execute(sql)
                return cur.fetchall()
            try:
                times, rows = _timed(run, spec["runs"])
            except Exception as e:  # one failing query must not hide the others
                out[name] = {"error": f"{type(e).__name__}: {e}"}
                continue
            out[name] = {"times": times, "rows": [list(r) for r in rows],
                         "scanned": cur.data_scanned_in_bytes,
                         "engine_ms": cur.engine_execution_time_in_millis}
        con.close()
        return out
    finally:
        shutil.rmtree(home, ignore_errors=True)


def child_duckdb(spec: dict) -> dict:
    import duckdb
    con = duckdb.connect()
    out = {}
    for name, (sql, scanned) in spec["queries"].items():
        times, rows = _timed(lambda: con.execute(sql).fetchall(), spec["runs"])
        out[name] = {"times": times, "rows": [list(r) for r in rows], "scanned": scanned}
    return out


CHILDREN = {"parthenon": child_parthenon, "duckdb": child_duckdb}


def child_main(kind: str, spec_path: str, out_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    try:
        result = {"ok": CHILDREN[kind](spec)}
    except BaseException as e:  # report, don't hide: the parent prints it
        result = {"error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()}
    Path(out_path).write_text(json.dumps(result, default=str))


def run_child(kind: str, spec: dict, workdir: Path) -> tuple[dict, float]:
    """Run one method in a fresh interpreter; returns (its result, its peak RSS in MB)."""
    spec_path, out_path = workdir / f"{kind}-spec.json", workdir / f"{kind}-out.json"
    spec_path.write_text(json.dumps(spec))
    if out_path.exists():
        out_path.unlink()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])))
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, str(spec_path), str(out_path)], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss_mb = usage.ru_maxrss / 1024  # KiB on Linux
    if not out_path.exists():
        return {"error": f"child exited with {proc.returncode} and no result"}, rss_mb
    return json.loads(out_path.read_text()), rss_mb


# ------------------------------------------------------------------ comparing and printing

def norm(rows) -> list[tuple]:
    return [(str(r[0]), None if r[1] is None else str(r[1]), str(r[2]), int(r[3])) for r in rows]


def same_rows(a, b) -> bool:
    """Equal up to the order of ties (and which tied rows LIMIT kept at the boundary)."""
    a, b = norm(a), norm(b)
    if [r[3] for r in a] != [r[3] for r in b]:
        return False
    if not a:
        return True
    edge = a[-1][3]
    return {r for r in a if r[3] > edge} == {r for r in b if r[3] > edge}


def mb(n: float) -> float:
    return n / 2**20


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=int, default=1024, help="uncompressed JSON to generate (default 1024)")
    ap.add_argument("--dir", default=str(REPO / "bench" / "data"), help="where the dataset lives (default bench/data)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per query and method (median reported)")
    ap.add_argument("--keep", action="store_true", help="keep the dataset for the next run (reused if unchanged)")
    ap.add_argument("--plain-mb", type=int, default=0,
                    help="time DuckDB's plain read_json on only the first N MB of raw files and "
                         "extrapolate (default 0: the whole trail)")
    ap.add_argument("--child", nargs=3, metavar=("KIND", "SPEC", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child_main(*args.child)
        return 0

    data_dir = Path(args.dir).resolve()
    existed = (data_dir / "manifest.json").exists()
    m, reused = ensure_dataset(data_dir, args.size_mb)
    files, ndjson = m["files"], m["ndjson"]
    raw_total = sum(m["raw_sizes"])
    gz_total = sum(m["gz_sizes"])
    region, y, mo, d = m["day"]
    day_dir = os.path.join("CloudTrail", region, y, mo, d) + os.sep
    day_idx = [i for i, f in enumerate(files) if day_dir in f]
    plain_idx = []
    acc = 0
    for i in range(len(files)):
        if args.plain_mb and acc >= args.plain_mb * 2**20:
            break
        plain_idx.append(i)
        acc += m["raw_sizes"][i]

    print(f"\nDataset: {mb(raw_total):,.0f} MB of CloudTrail JSON ({raw_total:,} B), {mb(gz_total):,.1f} MB gzip "
          f"(ratio {raw_total / gz_total:.1f}), {len(files):,} files + digests, {m['records']:,} events, "
          f"{len(REGIONS)} regions x {DAYS} days")
    if reused:
        print(f"  reused from {data_dir}")
    else:
        print(f"  generated in {m['generate_s']:.1f} s ({mb(raw_total) / m['generate_s']:,.0f} MB/s, "
              f"{os.cpu_count()} cores); NDJSON copy for the baseline in {m['convert_s']:.1f} s (not timed)")
    print(f"  culprit: {m['culprit_arn']} from {m['culprit_ip']}")

    queries = {"full": SEED_QUERY.format(predicates=""),
               "day": SEED_QUERY.format(predicates=day_predicates(region, y, mo, d))}
    covered = {"full": raw_total, "day": sum(m["raw_sizes"][i] for i in day_idx)}

    def files_sql(idx, which):
        return "[" + ", ".join("'" + which[i].replace("'", "''") + "'" for i in idx) + "]"

    all_idx = list(range(len(files)))
    workdir = Path(tempfile.mkdtemp(prefix="parthenon-bench-run-"))
    results = {}
    try:
        print("\nRunning parthenon ...", flush=True)
        results["parthenon"] = run_child("parthenon", {"manifest": m, "queries": queries, "runs": args.runs}, workdir)
        print("Running the DuckDB NDJSON baseline ...", flush=True)
        baseline = {
            "full": (BASELINE_SQL.format(files=files_sql(all_idx, ndjson)), sum(m["ndjson_gz_sizes"])),
            "day": (BASELINE_SQL.format(files=files_sql(day_idx, ndjson)),
                    sum(m["ndjson_gz_sizes"][i] for i in day_idx))}
        if len(plain_idx) < len(files):  # only to check the plain rows on the same files
            baseline["subset"] = (BASELINE_SQL.format(files=files_sql(plain_idx, ndjson)),
                                  sum(m["ndjson_gz_sizes"][i] for i in plain_idx))
        results["baseline"] = run_child("duckdb", {"runs": args.runs, "queries": baseline}, workdir)
        print(f"Running DuckDB's plain read_json on {mb(acc):,.0f} MB ({len(plain_idx)} files) ...", flush=True)
        results["plain"] = run_child("duckdb", {"runs": args.runs, "queries": {
            "subset": (PLAIN_SQL.format(files=files_sql(plain_idx, files)),
                       sum(m["gz_sizes"][i] for i in plain_idx))}}, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    for name, (res, _) in results.items():
        if "error" in res:
            print(f"\n!! {name} failed: {res['error']}\n{res.get('traceback', '')}")

    def get(method, q):
        res, rss = results[method]
        r = (res.get("ok") or {}).get(q)
        return (None if r is None or "error" in r else r), rss

    for name, (res, _) in results.items():
        for q, r in (res.get("ok") or {}).items():
            if "error" in r:
                print(f"\n!! {name}, {q} query failed: {r['error']}")

    def line(label, r, rss, covered_bytes, note=""):
        if r is None:
            print(f"  {label:<30} {'failed':>9}")
            return None
        med = statistics.median(r["times"])
        rate = mb(covered_bytes) / med
        runs = " ".join(f"{t:.2f}" for t in r["times"])
        print(f"  {label:<30} {med:>8.3f}s {rate:>9,.0f} {mb(r['scanned'] or 0):>11,.1f} {rss:>10,.0f}   {runs}{note}")
        return rate

    header = f"  {'method':<30} {'median':>9} {'MB/s':>9} {'scanned MB':>11} {'peak RSS MB':>10}   runs (s)"
    rates = {}
    for q, title in (("full", "whole trail, no partition predicates"),
                     ("day", f"one day: region = '{region}' AND year = '{y}' AND month = '{mo}' AND day = '{d}'")):
        print(f"\nQuery over the {title} ({mb(covered[q]):,.0f} MB of JSON):")
        print(header)
        rp, rss_p = get("parthenon", q)
        rb, rss_b = get("baseline", q)
        rates[("parthenon", q)] = line("parthenon", rp, rss_p, covered[q])
        rates[("baseline", q)] = line("duckdb NDJSON baseline", rb, rss_b, covered[q])
        if q == "full":
            rs, rss_s = get("plain", "subset")
            subset = len(plain_idx) < len(files)
            plain_rate = line("duckdb plain read_json", rs, rss_s, acc,
                              f"   <- timed on {mb(acc):,.0f} MB ({len(plain_idx)} files), MB/s extrapolated"
                              if subset else "")
            if plain_rate and subset:
                print(f"  {'':<30} (~{mb(raw_total) / plain_rate:.1f} s for the whole trail at that rate)")
            rates[("plain", q)] = plain_rate
        if rp and rb:
            ratio = statistics.median(rp["times"]) / statistics.median(rb["times"])
            print(f"  Parthenon / baseline time: {ratio:.2f} (target <= 1.25) {'OK' if ratio <= 1.25 else 'MISSED'}")
            if rp.get("engine_ms") is not None:
                print(f"  Parthenon engine_execution_time_in_millis (last run): {rp['engine_ms']}")
        if q == "full" and rates.get(("plain", "full")) and rates.get(("parthenon", "full")):
            speedup = rates[("parthenon", "full")] / rates[("plain", "full")]
            print(f"  plain read_json -> Parthenon speed-up: {speedup:.1f}x (target >= 20) "
                  f"{'OK' if speedup >= 20 else 'MISSED'}")

    # the same answer everywhere
    print("\nSame rows?")
    expected = {"full": m["expected_full"], "day": m["expected_day"]}
    for q in ("full", "day"):
        rp, _ = get("parthenon", q)
        rb, _ = get("baseline", q)
        if rb:
            print(f"  {q}: baseline == generator's own count: {same_rows(rb['rows'], expected[q])}")
        if rp:
            print(f"  {q}: parthenon == generator's own count: {same_rows(rp['rows'], expected[q])}")
            if rb:
                print(f"  {q}: parthenon == baseline: {same_rows(rp['rows'], rb['rows'])}")
    rs, _ = get("plain", "subset")
    rbs, _ = get("baseline", "subset" if len(plain_idx) < len(files) else "full")
    if rs and rbs:
        what = "subset" if len(plain_idx) < len(files) else "full"
        print(f"  {what}: plain read_json == baseline on the same files: {same_rows(rs['rows'], rbs['rows'])}")
    top = (get("parthenon", "full")[0] or get("baseline", "full")[0] or {}).get("rows") or []
    if top:
        print("\nTop rows (whole trail):")
        for r in norm(top)[:5]:
            print(f"  {r[3]:>8}  {r[0]:<32} {r[1]}  {r[2]}")

    if not args.keep and not existed:
        shutil.rmtree(data_dir, ignore_errors=True)
        print(f"\nRemoved {data_dir} (use --keep to reuse it next time)")
    failed = [k for k, (res, _) in results.items()
              if "error" in res or any("error" in r for r in (res.get("ok") or {}).values())]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
