#!/usr/bin/env python
"""Benchmark: CTAS of the CloudTrail demo trail to partitioned Parquet, and what it buys.

    .venv/bin/python bench/ctas.py                     # 128 MB of JSON, 3 runs each
    .venv/bin/python bench/ctas.py --size-mb 1024 --runs 1   # the 1 GB memory figure

In one run, on the same generated trail (parthenon.demo.generator, gzip {"Records":[...]}):

  ctas       Parthenon through the DB-API: CREATE TABLE ... WITH (format = 'PARQUET',
             write_compression = 'SNAPPY', partitioned_by = ARRAY['region','year','month',
             'day']) AS SELECT * FROM cloudtrail_logs (the CloudTrailSerde table).
  duckdb     DuckDB's own COPY (SELECT ...) TO ... (FORMAT parquet, PARTITION_BY (region,
             year, month, day)) over the same records, given to DuckDB in its fastest form:
             newline-delimited gzip JSON (converted once, not timed) with the table's
             columns declared, so it does no schema detection.
  seed       the seed query ("who is burning our API rate limit?") over the whole trail, on
             the CTAS table and on the gzip JSON table: median wall and CPU time (this
             process, engine threads included) after one untimed run, bytes scanned, ratios.

Each CTAS / COPY runs in its own subprocess, so its peak RSS (ru_maxrss from wait4) is its
own.  MB/s is MB (2**20 bytes) of uncompressed CloudTrail JSON divided by the median wall
time.  Not part of the test suite.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "us-west-2")
CTAS = """CREATE TABLE cloudtrail_parquet WITH (format = 'PARQUET', write_compression = 'SNAPPY',
  partitioned_by = ARRAY['region', 'year', 'month', 'day'], external_location = '{target}/')
AS SELECT * FROM cloudtrail_logs"""
DUCKDB_COLUMNS = {
    "eventVersion": "VARCHAR",
    "userIdentity": "STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, "
                    "invokedBy VARCHAR, accessKeyId VARCHAR, userName VARCHAR, sessionContext "
                    "STRUCT(attributes STRUCT(mfaAuthenticated VARCHAR, creationDate VARCHAR), "
                    "sessionIssuer STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, "
                    "accountId VARCHAR, userName VARCHAR)))",
    **{k: "VARCHAR" for k in (
        "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent",
        "errorCode", "errorMessage", "requestParameters", "responseElements",
        "additionalEventData", "requestID", "eventID")},
    "resources": "STRUCT(ARN VARCHAR, accountId VARCHAR, type VARCHAR)[]",
    **{k: "VARCHAR" for k in ("eventType", "apiVersion", "readOnly", "recipientAccountId",
                              "serviceEventDetails", "sharedEventID", "vpcEndpointId")},
}
COPY = """COPY (SELECT *, awsRegion AS region, substr(eventTime, 1, 4) AS year,
                substr(eventTime, 6, 2) AS month, substr(eventTime, 9, 2) AS day
          FROM read_json({files}, format = 'newline_delimited', columns = {columns}))
TO '{target}' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (region, year, month, day))"""


# ------------------------------------------------------------------ children (own process each)
def child_ctas(spec: dict) -> dict:
    import parthenon
    from parthenon.demo.cloudtrail_table import CLOUDTRAIL_DDL
    con = parthenon.connect(spec["home"])
    cur = con.cursor()
    cur.execute(CLOUDTRAIL_DDL.format(location=spec["location"]))
    clauses = " ".join(f"PARTITION (region='{r}', year='{y}', month='{m}', day='{d}') LOCATION '{p}/'"
                       for r, y, m, d, p in spec["partitions"])
    cur.execute(f"ALTER TABLE cloudtrail_logs ADD {clauses}")
    started = time.perf_counter()
    cur.execute(CTAS.format(target=spec["target"]))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": cur.rowcount}


def child_duckdb(spec: dict) -> dict:
    import duckdb
    con = duckdb.connect()
    files = "[" + ", ".join(f"'{f}'" for f in spec["ndjson"]) + "]"
    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in DUCKDB_COLUMNS.items()) + "}"
    started = time.perf_counter()
    con.execute(COPY.format(files=files, columns=columns, target=spec["target"]))
    return {"seconds": time.perf_counter() - started}


def run_child(kind: str, spec: dict) -> tuple[dict, float]:
    """(the child's answer, its peak RSS in MB)."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, json.dumps(spec)],
                            stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{kind} child failed ({status})")
    return json.loads(out), usage.ru_maxrss / 1024


# ------------------------------------------------------------------ the dataset
def dataset(root: Path, size_mb: int):
    from parthenon.demo.generator import generate
    import orjson
    stats = generate(root / "trail", account=ACCOUNT, regions=REGIONS, start=date(2017, 6, 15),
                     days=2, target_bytes=size_mb * 2**20, seed=42)
    ndjson = []
    for path in sorted((root / "trail").rglob("*.json.gz")):
        if "CloudTrail-Digest" in str(path):
            continue
        records = orjson.loads(gzip.decompress(path.read_bytes()))["Records"]
        out = root / "ndjson" / f"{len(ndjson):05d}.json.gz"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(gzip.compress(b"".join(orjson.dumps(r) + b"\n" for r in records), 6))
        ndjson.append(str(out))
    return stats, ndjson


def seed_figures(home: str, runs: int) -> dict:
    """{table: (median wall s, bytes scanned, rows, median CPU s of this process)}: CPU
    time too, since on a shared machine wall time is mostly other processes' load."""
    import parthenon
    from parthenon.demo.cloudtrail_table import SEED_QUERY
    con = parthenon.connect(home)
    cur = con.cursor()
    out = {}
    for table in ("cloudtrail_logs", "cloudtrail_parquet"):
        sql = SEED_QUERY.format(predicates="").replace("cloudtrail_logs", table)
        cur.execute(sql)        # once untimed: imports and first-use costs are not the query's
        cur.fetchall()
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            cur.execute(sql)
            rows = cur.fetchall()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        out[table] = (statistics.median(walls), cur.data_scanned_in_bytes, rows,
                      statistics.median(cpus))
    con.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=128, help="MB of uncompressed CloudTrail JSON")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, spec = args.child
        print(json.dumps((child_ctas if kind == "ctas" else child_duckdb)(json.loads(spec))))
        return
    root = Path(tempfile.mkdtemp(prefix="bench-ctas-"))
    try:
        started = time.perf_counter()
        stats, ndjson = dataset(root, args.size_mb)
        json_mb = stats.uncompressed_bytes / 2**20
        print(f"trail: {stats.records:,} events, {json_mb:.0f} MB of JSON, "
              f"{stats.compressed_bytes / 2**20:.1f} MB gzip, {len(stats.partitions)} day "
              f"partitions (made in {time.perf_counter() - started:.0f} s, not timed)")
        location = f"{root}/trail/AWSLogs/{ACCOUNT}/CloudTrail/"
        parts = [list(p) for p in stats.partitions]
        ctas, duck = [], []
        for run in range(args.runs):
            home, target = root / f"home{run}", root / f"ctas{run}"
            result, rss = run_child("ctas", {"home": str(home), "location": location,
                                             "partitions": parts, "target": str(target)})
            ctas.append((result["seconds"], rss))
            result, rss_d = run_child("duckdb", {"ndjson": ndjson, "target": str(root / f"duck{run}")})
            duck.append((result["seconds"], rss_d))
            if run < args.runs - 1:
                shutil.rmtree(home)
                shutil.rmtree(target)
            shutil.rmtree(root / f"duck{run}")
        c, d = statistics.median(t for t, _ in ctas), statistics.median(t for t, _ in duck)
        print(f"CTAS to partitioned Parquet  parthenon {json_mb / c:6.1f} MB/s ({c:.2f} s, peak "
              f"{max(r for _, r in ctas):.0f} MB RSS)   duckdb COPY {json_mb / d:6.1f} MB/s "
              f"({d:.2f} s, peak {max(r for _, r in duck):.0f} MB RSS)   ratio {c / d:.2f}x "
              "(target <= 1.5x)")
        seed = seed_figures(str(root / f"home{args.runs - 1}"), args.runs)
        (tj, bj, rj, cj), (tp, bp, rp, cp) = seed["cloudtrail_logs"], seed["cloudtrail_parquet"]
        least = min((r[-1] for r in rj), default=0)     # ties at the LIMIT may be cut either way
        if sorted(r for r in rj if r[-1] > least) != sorted(r for r in rp if r[-1] > least):
            raise SystemExit("the CTAS table answers the seed query differently")
        print(f"seed query, whole trail      gzip JSON {tj:.3f} s {bj / 2**20:.1f} MB scanned   "
              f"CTAS Parquet {tp:.3f} s {bp / 2**20:.2f} MB scanned   {tj / tp:.1f}x faster, "
              f"{bj / max(bp, 1):.0f}x fewer bytes (target >= 20x both)\n"
              f"seed query, CPU time           gzip JSON {cj:.3f} s   CTAS Parquet {cp:.3f} s   "
              f"{cj / max(cp, 1e-9):.1f}x less CPU")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
