#!/usr/bin/env python
"""Benchmark: Parthenon's raw CloudTrail scan against its peers, on the same gzip files.

    .venv/bin/python bench/peers.py                      # 1 GB in ~200 files, 5 runs each
    .venv/bin/python bench/peers.py --shape small        # 10,000 small files (CloudTrail's real shape)
    .venv/bin/python bench/peers.py --shape memory       # Parthenon alone on 4 GB: peak RSS < 1 GB
    .venv/bin/python bench/peers.py --shape s3 --base-src DIR   # S3 (moto on loopback), vs another tree
    .venv/bin/python bench/peers.py --spark              # also Spark local[2] (needs a JVM)

The peers (chdb, DataFusion, Polars, DuckDB) are installed by this script into their own
venv (--venv, default .bench-venv; created on first use with pip), never into the
project's. Each system runs in its own worker process, kept alive for the whole run; the
runs go round-robin over the systems (one warm-up each, not counted), so a machine whose
load changes during the run slows every system alike. Every system's answer to the seed
query must equal Parthenon's (and the generator's own count).

Printed per system: median wall time, MB/s of JSON (MB = 2**20 bytes of uncompressed
CloudTrail JSON read), median CPU seconds of the worker (all its threads; a load-independent
measure on a shared machine), both as ratios to Parthenon, and the worker's peak RSS.
The load average is printed before and after. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAYS = 2
THROTTLE = "RequestLimitExceeded"
PEERS = ["chdb", "datafusion", "polars", "duckdb", "pyarrow", "isal", "orjson", "pysimdjson"]
SHAPES = {   # uncompressed MB, log files per region-hour (2 regions x 48 hours)
    "big": (1024, 2),          # 192 files of ~5 MB
    "small": (1024, 104),      # 9,984 files of ~100 KB
    "memory": (4096, 2),       # 192 files of ~21 MB
    "s3": (16, 2),             # 192 files of ~85 KB in moto's S3 server: per-object costs
}
RECORD_FIELDS = [("eventName", "string"), ("userIdentity", {"arn": "string"}),
                 ("sourceIPAddress", "string"), ("errorCode", "string")]


# ------------------------------------------------------------------ the peers' venv

def ensure_venv(venv: Path, spark: bool) -> Path:
    python = venv / "bin" / "python"
    wanted = PEERS + (["pyspark"] if spark else [])
    marker = venv / (".installed-" + "-".join(wanted))
    if not marker.exists():
        if not python.exists():
            print(f"Creating {venv} for the peers ...", flush=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        print(f"Installing {' '.join(wanted)} into {venv} ...", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *wanted], check=True)
        marker.touch()
    return python


def versions(python: Path, modules: list[str]) -> dict[str, str]:
    code = ("import importlib.metadata as m, json, sys\n"
            "out = {}\n"
            "for name in sys.argv[1:]:\n"
            "    try: out[name] = m.version(name)\n"
            "    except Exception: out[name] = '?'\n"
            "print(json.dumps(out))")
    return json.loads(subprocess.run([str(python), "-c", code, *modules], capture_output=True, text=True,
                                     check=True).stdout)


# ------------------------------------------------------------------ the trail

def _trail_tools():
    """bench/cloudtrail.py's generator and row comparison (imported by the parent only: the
    workers in the peers' venv cannot import parthenon)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import cloudtrail
    return cloudtrail


def ensure_trail(data_dir: Path, size_mb: int, files_per_hour: int) -> dict:
    ct = _trail_tools()
    ACCOUNT, REGIONS, SEED, START = ct.ACCOUNT, ct.REGIONS, ct.SEED, ct.START
    gen = ct._generator()
    params = {"size_mb": size_mb, "files_per_hour": files_per_hour, "account": ACCOUNT, "regions": list(REGIONS),
              "start": START.isoformat(), "days": DAYS, "seed": SEED, "generator_sha256": ct._generator_sha256()}
    manifest_path = data_dir / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("params") == params and all(Path(f).exists() for f in manifest["files"]):
            return manifest
    if data_dir.exists():
        import shutil
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    print(f"Generating {size_mb} MB of CloudTrail JSON ({files_per_hour} files per region-hour) "
          f"under {data_dir} ...", flush=True)
    stats = gen.generate(data_dir / "trail", account=ACCOUNT, regions=REGIONS, start=START, days=DAYS,
                         target_bytes=size_mb * 2**20, seed=SEED, files_per_hour=files_per_hour)
    files = sorted(str(p) for p in (data_dir / "trail").glob(f"AWSLogs/{ACCOUNT}/CloudTrail/*/*/*/*/*.json.gz"))
    flat = data_dir / "flat"        # one folder of links: DataFusion lists a folder, not a tree
    flat.mkdir()
    for i, f in enumerate(files):
        os.symlink(f, flat / f"{i:05d}.json.gz")
    manifest = {
        "params": params, "location": f"{data_dir / 'trail'}/AWSLogs/{ACCOUNT}/CloudTrail/",
        "files": files, "flat": str(flat),
        "raw_bytes": stats.uncompressed_bytes, "gz_bytes": sum(os.path.getsize(f) for f in files),
        "records": stats.records, "partitions": [list(p) for p in stats.partitions],
        "expected": [list(r) for r in stats.top_throttled(n=20)],
    }
    manifest_path.write_text(json.dumps(manifest))
    return manifest


def on_moto(m: dict, data_dir: Path) -> tuple[dict, dict, object]:
    """The trail uploaded to a moto S3 server on loopback; returns the manifest pointing at
    it, the environment that points Parthenon there, and the server (stop it at the end)."""
    import logging
    import socket

    import boto3
    from moto.server import ThreadedMotoServer
    logging.getLogger("werkzeug").setLevel(logging.ERROR)     # a line per request otherwise
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    env = {"AWS_ENDPOINT_URL_S3": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
    client = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL_S3"], aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1")
    client.create_bucket(Bucket="trail")
    root = str(data_dir / "trail")
    for f in m["files"]:
        client.put_object(Bucket="trail", Key=os.path.relpath(f, root), Body=Path(f).read_bytes())

    def s3(path: str) -> str:
        return "s3://trail/" + os.path.relpath(path, root) + ("/" if path.endswith("/") else "")
    remote = dict(m, location=s3(m["location"]), partitions=[[*p[:4], s3(p[4])] for p in m["partitions"]])
    return remote, env, server


# ------------------------------------------------------------------ the systems (run in a worker)

def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def setup_parthenon(m: dict):
    import parthenon
    from parthenon.demo.cloudtrail_table import SEED_QUERY, create_trail_table
    con = parthenon.connect(home=tempfile.mkdtemp(prefix="parthenon-peers-"))
    cur = con.cursor()
    create_trail_table(cur, m["location"], m["partitions"])
    # The raw scan is what is compared: with the scan cache on, every timed run after the
    # warm-up would read the cache's Parquet (bench/scan_cache.py times that).
    cur.execute("ALTER TABLE cloudtrail_logs SET TBLPROPERTIES ('parthenon.scan_cache'='false')")
    sql = SEED_QUERY.format(predicates="")

    def run():
        cur.execute(sql)
        return cur.fetchall()
    return run


def _glob(m: dict) -> str:
    return f"{m['location']}*/*/*/*/*.json.gz"


def setup_chdb(m: dict):
    import chdb

    def ch(t):
        return "Tuple(" + ", ".join(f"{k} Nullable(String)" for k in t) + ")" if isinstance(t, dict) \
            else "Nullable(String)"
    records = "Records Array(Tuple(" + ", ".join(f"{k} {ch(t)}" for k, t in RECORD_FIELDS) + "))"
    sql = f"""SELECT r.eventName, r.userIdentity.arn, r.sourceIPAddress, count() AS c
FROM file('{_glob(m)}', 'JSONEachRow', '{records}') ARRAY JOIN Records AS r
WHERE r.errorCode = '{THROTTLE}' GROUP BY 1, 2, 3 ORDER BY c DESC LIMIT 20
SETTINGS max_threads = 2"""
    return lambda: json.loads(str(chdb.query(sql, "JSONCompact")))["data"]


def setup_chdb_decoder(m: dict):
    """chdb as a decoder only: every record's fields the query uses, as Arrow, aggregated by
    DuckDB (the shape a chdb-based scan inside Parthenon would have)."""
    import chdb
    import duckdb
    records = "Records Array(Tuple(" + ", ".join(
        f"{k} " + ("Tuple(" + ", ".join(f"{f} Nullable(String)" for f in t) + ")" if isinstance(t, dict)
                   else "Nullable(String)") for k, t in RECORD_FIELDS) + "))"
    decode = f"""SELECT r.eventName AS eventname, r.userIdentity.arn AS arn, r.sourceIPAddress AS sourceipaddress,
       r.errorCode AS errorcode
FROM file('{_glob(m)}', 'JSONEachRow', '{records}') ARRAY JOIN Records AS r SETTINGS max_threads = 2"""
    con = duckdb.connect()
    con.execute("SET threads = 2")

    def run():
        decoded = chdb.query(decode, "ArrowTable")     # noqa: F841 (read by name below)
        return con.execute(f"""SELECT eventname, arn, sourceipaddress, count(*) AS c FROM decoded
WHERE errorcode = '{THROTTLE}' GROUP BY ALL ORDER BY c DESC LIMIT 20""").fetchall()
    return run


def _arrow_record():
    import pyarrow as pa
    return pa.struct([(k, pa.struct([(f, pa.string()) for f in t]) if isinstance(t, dict) else pa.string())
                      for k, t in RECORD_FIELDS])


def setup_datafusion(m: dict):
    import datafusion
    import pyarrow as pa
    ctx = datafusion.SessionContext(datafusion.SessionConfig().with_target_partitions(2))
    ctx.register_json("t", m["flat"] + "/", schema=pa.schema([("Records", pa.list_(_arrow_record()))]),
                      file_extension=".json.gz", file_compression_type="gzip")
    sql = f"""SELECT r['eventName'], r['userIdentity']['arn'], r['sourceIPAddress'], count(*) AS c
FROM (SELECT unnest("Records") AS r FROM t) WHERE r['errorCode'] = '{THROTTLE}'
GROUP BY 1, 2, 3 ORDER BY c DESC LIMIT 20"""
    return lambda: [list(r.values()) for r in ctx.sql(sql).to_arrow_table().to_pylist()]


def setup_polars(m: dict):
    import polars as pl   # POLARS_MAX_THREADS=2, set by the parent before the import
    schema = pl.Schema({"Records": pl.List(pl.Struct({k: pl.Struct({f: pl.String for f in t}) if isinstance(t, dict)
                                                        else pl.String for k, t in RECORD_FIELDS}))})

    def run():
        return (pl.scan_ndjson(m["files"], schema=schema).explode("Records").unnest("Records")
                .filter(pl.col("errorCode") == THROTTLE)
                .group_by(pl.col("eventName"), pl.col("userIdentity").struct.field("arn"), pl.col("sourceIPAddress"))
                .len().sort("len", descending=True).head(20).collect().rows())
    return run


def _duckdb(sql: str):
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads = 2")
    return lambda: con.execute(sql).fetchall()


def _files_sql(m: dict) -> str:
    return "[" + ", ".join("'" + f + "'" for f in m["files"]) + "]"


def setup_duckdb_typed(m: dict):
    def dt(t):
        return "STRUCT(" + ", ".join(f"{k} VARCHAR" for k in t) + ")" if isinstance(t, dict) else "VARCHAR"
    records = "STRUCT(" + ", ".join(f"{k} {dt(t)}" for k, t in RECORD_FIELDS) + ")[]"
    return _duckdb(f"""SELECT eventName, userIdentity.arn, sourceIPAddress, count(*) AS c
FROM (SELECT unnest(Records, max_depth := 2) FROM read_json({_files_sql(m)}, format = 'unstructured',
      records = true, columns = {{'Records': '{records}'}}, maximum_object_size = 268435456))
WHERE errorCode = '{THROTTLE}' GROUP BY ALL ORDER BY c DESC LIMIT 20""")


def setup_duckdb_plain(m: dict):
    return _duckdb(f"""SELECT r.eventName, r.userIdentity.arn, r.sourceIPAddress, count(*) AS c
FROM (SELECT unnest(Records) AS r FROM read_json({_files_sql(m)}, maximum_object_size = 268435456))
WHERE r.errorCode = '{THROTTLE}' GROUP BY ALL ORDER BY c DESC LIMIT 20""")


def setup_spark(m: dict):
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.driver.memory", "2g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    spark.read.json(m["flat"]).createOrReplaceTempView("t")
    sql = f"""SELECT r.eventName, r.userIdentity.arn, r.sourceIPAddress, count(*) AS c
FROM (SELECT explode(Records) AS r FROM t) WHERE r.errorCode = '{THROTTLE}'
GROUP BY 1, 2, 3 ORDER BY c DESC LIMIT 20"""
    return lambda: [list(r) for r in spark.sql(sql).collect()]


BASE = "parthenon-base"   # --base-src: Parthenon from another source tree (e.g. main's), same run

SYSTEMS = {   # name: (setup, runs in the peers' venv, what it reads)
    "parthenon": (setup_parthenon, False, "CREATE EXTERNAL TABLE ... CloudTrailSerde, a partition per day, no scan cache"),
    "chdb": (setup_chdb, True, "file() JSONEachRow, Records as Array(Tuple), ARRAY JOIN"),
    "chdb-decoder": (setup_chdb_decoder, True, "chdb decodes the used fields to Arrow, DuckDB aggregates"),
    "datafusion": (setup_datafusion, True, "NDJSON reader, one Records line per file, unnest"),
    "duckdb-typed": (setup_duckdb_typed, True, "read_json, Records typed as a list of the fields used, unnest"),
    "polars": (setup_polars, True, "scan_ndjson, Records typed, explode"),
    "duckdb-plain": (setup_duckdb_plain, True, "read_json with detection, unnest(Records)"),
    "spark": (setup_spark, True, "spark.read.json (schema inferred), explode(Records), local[2]"),
}


def worker(name: str, manifest_path: str) -> None:
    m = json.loads(Path(manifest_path).read_text())
    run = SYSTEMS[name][0](m)
    out = sys.stdout
    sys.stdout = sys.stderr          # the systems' own chatter stays off the protocol
    for line in sys.stdin:
        if line.strip() != "run":
            break
        try:
            cpu, t = _cpu(), time.perf_counter()
            rows = run()
            reply = {"wall": time.perf_counter() - t, "cpu": _cpu() - cpu, "rows": [list(r) for r in rows]}
        except Exception as e:
            reply = {"error": f"{type(e).__name__}: {e}"[:2000]}
        out.write(json.dumps(reply, default=str) + "\n")
        out.flush()


class Worker:
    def __init__(self, name: str, python: Path, manifest_path: Path, src: Path = REPO / "src",
                 env: dict | None = None, script: str = __file__):
        env = dict(os.environ, **(env or {}), POLARS_MAX_THREADS="2", PYTHONPATH=os.pathsep.join(filter(None, [str(src),
                                                                         os.environ.get("PYTHONPATH")])))
        self.name = name
        kind = "parthenon" if name == BASE else name
        self.proc = subprocess.Popen([str(python), script, "--worker", kind, str(manifest_path)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)

    def run(self) -> dict:
        try:
            self.proc.stdin.write("run\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except BrokenPipeError:
            line = ""
        return json.loads(line) if line else {"error": f"worker exited ({self.proc.poll()})"}

    def close(self) -> float:
        """Ends the worker; returns its peak RSS in MB."""
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        _, _, usage = os.wait4(self.proc.pid, 0)
        return usage.ru_maxrss / 1024


def round_robin(workers: dict[str, Worker], runs: int) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """Each worker's replies to `runs` timed runs, round-robin after one warm-up round (not
    kept), so a machine whose load changes slows every system alike; and each one's error."""
    results: dict[str, list[dict]] = {n: [] for n in workers}
    errors: dict[str, str] = {}
    for i in range(runs + 1):
        for n, w in workers.items():
            if n in errors:
                continue
            r = w.run()
            if "error" in r:
                errors[n] = r["error"]
            elif i:
                results[n].append(r)
        print(f"  round {i}/{runs} done (load {os.getloadavg()[0]:.1f})", flush=True)
    return results, errors


# ------------------------------------------------------------------ main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shape", choices=sorted(SHAPES), default="big")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per system (median reported)")
    ap.add_argument("--dir", default=str(REPO / "bench" / "data"), help="datasets live in DIR/peers-SHAPE")
    ap.add_argument("--venv", default=str(REPO / ".bench-venv"), help="the peers' own venv")
    ap.add_argument("--only", help="comma-separated systems (default: all but spark)")
    ap.add_argument("--spark", action="store_true", help="also Spark local[2] (installs pyspark; needs Java)")
    ap.add_argument("--base-src", help="also time Parthenon from this src folder (e.g. `git archive main src`)")
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(*args.worker)
        return 0

    size_mb, per_hour = SHAPES[args.shape]
    m = ensure_trail(Path(args.dir).resolve() / f"peers-{args.shape}", size_mb, per_hour)
    data_dir = Path(args.dir).resolve() / f"peers-{args.shape}"
    manifest_path = data_dir / "manifest.json"
    env, server = {}, None
    if args.shape == "s3":
        remote, env, server = on_moto(m, data_dir)
        manifest_path = data_dir / "manifest-s3.json"
        manifest_path.write_text(json.dumps(remote))
    if args.only:
        names = args.only.split(",")
    elif args.shape in ("memory", "s3"):
        names = ["parthenon"]
    else:
        names = [n for n in SYSTEMS if n != "spark" or args.spark]
    if args.base_src:
        names.append(BASE)
    peer_python = ensure_venv(Path(args.venv), args.spark) if any(SYSTEMS[n][1] for n in names if n != BASE) else None
    raw_mb = m["raw_bytes"] / 2**20
    print(f"\nTrail: {raw_mb:,.0f} MB of CloudTrail JSON, {m['gz_bytes'] / 2**20:,.1f} MB gzip, "
          f"{len(m['files']):,} files, {m['records']:,} events; {os.cpu_count()} cores")
    if peer_python:
        print("Peers: " + ", ".join(f"{k} {v}" for k, v in versions(peer_python, PEERS + ["pyspark"]).items()
                                    if v != "?"))
    load_before = os.getloadavg()
    print(f"Load average before: {' '.join(f'{x:.1f}' for x in load_before)}\n", flush=True)

    workers = {n: Worker(n, peer_python if SYSTEMS[n][1] else Path(sys.executable), manifest_path, env=env)
               for n in names if n != BASE}
    if args.base_src:
        workers[BASE] = Worker(BASE, Path(sys.executable), manifest_path, Path(args.base_src).resolve(), env)
    results, errors = round_robin(workers, args.runs)
    rss = {n: w.close() for n, w in workers.items()}
    if server is not None:
        server.stop()
    load_after = os.getloadavg()

    def med(n, key):
        return statistics.median(r[key] for r in results[n]) if results[n] else None
    same_rows = _trail_tools().same_rows
    base = results.get("parthenon") and (med("parthenon", "wall"), med("parthenon", "cpu"))
    base_rows = results["parthenon"][-1]["rows"] if results.get("parthenon") else m["expected"]
    print(f"\n{'system':<14} {'wall s':>8} {'MB/s':>7} {'CPU s':>7} {'wall/P':>7} {'CPU/P':>7} "
          f"{'RSS MB':>7}  same answer  reads")
    for n in sorted(names, key=lambda n: med(n, "wall") or 1e9):
        if n in errors:
            print(f"{n:<14} failed: {errors[n]}")
            continue
        wall, cpu = med(n, "wall"), med(n, "cpu")
        ok = same_rows(results[n][-1]["rows"], base_rows) and same_rows(results[n][-1]["rows"], m["expected"])
        ratios = f"{wall / base[0]:>7.2f} {cpu / base[1]:>7.2f}" if base else f"{'':>7} {'':>7}"
        print(f"{n:<14} {wall:>8.2f} {raw_mb / wall:>7,.0f} {cpu:>7.2f} {ratios} {rss[n]:>7,.0f}  "
              f"{'yes' if ok else 'NO':<11}  {SYSTEMS[n][2] if n != BASE else 'the same, from ' + args.base_src}")
    print(f"\nLoad average after: {' '.join(f'{x:.1f}' for x in load_after)} "
          f"(wall times on a loaded machine stretch; CPU seconds much less)")
    if args.shape == "memory" and "parthenon" in rss:
        print(f"Parthenon peak RSS on {raw_mb:,.0f} MB: {rss['parthenon']:,.0f} MB (target < 1024) "
              f"{'OK' if rss['parthenon'] < 1024 else 'MISSED'}")
    if base and args.shape in ("big", "small"):
        print(f"Parthenon: {raw_mb / base[0]:,.0f} MB/s wall (target {'500' if args.shape == 'small' else '1,200'} "
              f"on a quiet 2-core machine)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
