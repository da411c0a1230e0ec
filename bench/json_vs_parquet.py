#!/usr/bin/env python
"""Benchmark: the same query over the same CloudTrail records as gzip JSON and as Parquet.

    .venv/bin/python bench/json_vs_parquet.py                 # 128 MB of JSON, 3 runs each
    .venv/bin/python bench/json_vs_parquet.py --size-mb 512 --dir /tmp/jvp --keep

Generates a trail with parthenon.demo.generator (gzip {"Records":[...]} files, as CloudTrail
delivers them), then converts it once (not timed) to Parquet, one file per day-partition, by
reading it back through Parthenon's own CloudTrail table: same records, same columns, nested
types kept, written by PyArrow with Snappy.  Both tables are queried through the DB-API with
the seed query ("who is burning our API rate limit?") over the whole trail and over one day;
each figure is the median of --runs runs.  Data scanned is what Parthenon reports: gzip bytes
of every file read for JSON, the footer and column chunks actually read for Parquet.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

import parthenon
from parthenon.demo.cloudtrail_table import CLOUDTRAIL_DDL, SEED_QUERY, day_predicates
from parthenon.demo.generator import generate

ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "us-west-2")
PARQUET_DDL = CLOUDTRAIL_DDL.split("ROW FORMAT")[0].replace("cloudtrail_logs", "cloudtrail_parquet") \
    + "STORED AS PARQUET\nLOCATION '{location}'"


def build(data_dir: Path, size_mb: int, con) -> tuple[list[tuple], object]:
    """The JSON trail (generated) and its Parquet copy; returns the day partitions and stats."""
    stats = generate(data_dir / "json", account=ACCOUNT, regions=REGIONS, start=date(2017, 6, 15),
                     days=2, target_bytes=size_mb * 2**20, seed=42)
    cur = con.cursor()
    cur.execute(CLOUDTRAIL_DDL.format(location=f"{data_dir}/json/AWSLogs/{ACCOUNT}/CloudTrail/"))
    cur.execute(PARQUET_DDL.format(location=f"{data_dir}/parquet/"))
    started = time.perf_counter()
    for region, y, m, d, folder in stats.partitions:
        spec = f"region = '{region}', year = '{y}', month = '{m}', day = '{d}'"
        cur.execute(f"ALTER TABLE cloudtrail_logs ADD PARTITION ({spec}) LOCATION '{folder}/'")
        cur.execute(f"SELECT * FROM cloudtrail_logs WHERE {spec.replace(',', ' AND')}")
        data = cur.fetch_arrow().drop_columns(["region", "year", "month", "day"])
        out = data_dir / "parquet" / f"region={region}" / f"year={y}" / f"month={m}" / f"day={d}"
        out.mkdir(parents=True, exist_ok=True)
        pq.write_table(data, out / "part-00000.snappy.parquet", compression="snappy",
                       row_group_size=128 * 1024)
    cur.execute("MSCK REPAIR TABLE cloudtrail_parquet")
    print(f"  converted to Parquet in {time.perf_counter() - started:.1f} s (not timed)")
    return stats.partitions, stats


def measure(con, sql: str, runs: int) -> tuple[float, int, list]:
    cur = con.cursor()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        cur.execute(sql)
        rows = cur.fetchall()
        times.append(time.perf_counter() - started)
    return statistics.median(times), cur.data_scanned_in_bytes, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=128, help="MB of uncompressed CloudTrail JSON")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", help="where to write the data (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the data afterwards")
    args = parser.parse_args()
    data_dir = Path(args.dir or tempfile.mkdtemp(prefix="json-vs-parquet-"))
    if data_dir.exists() and args.dir:
        shutil.rmtree(data_dir)
    home = tempfile.mkdtemp(prefix="parthenon-bench-")
    try:
        con = parthenon.connect(home=home)
        print(f"Generating {args.size_mb} MB of CloudTrail JSON under {data_dir} ...", flush=True)
        partitions, stats = build(data_dir, args.size_mb, con)
        parquet_bytes = sum(p.stat().st_size for p in (data_dir / "parquet").rglob("*.parquet"))
        print(f"  {stats.records:,} records: {stats.compressed_bytes / 2**20:.1f} MB gzip JSON "
              f"({stats.files} files), {parquet_bytes / 2**20:.1f} MB Parquet "
              f"({len(partitions)} files)\n")
        region, y, m, d, _ = partitions[0]
        queries = {"whole trail": "", f"one day ({region} {y}-{m}-{d})": day_predicates(region, y, m, d)}
        print(f"  {'query':34} {'format':8} {'median':>8} {'scanned MB':>11}")
        for label, predicates in queries.items():
            # ties broken, so that both formats must give the very same 20 rows
            json_sql = SEED_QUERY.format(predicates=predicates).replace(
                "ORDER BY count DESC", "ORDER BY count DESC, 1, 2, 3")
            parquet_sql = json_sql.replace("FROM cloudtrail_logs", "FROM cloudtrail_parquet")
            j_time, j_bytes, j_rows = measure(con, json_sql, args.runs)
            p_time, p_bytes, p_rows = measure(con, parquet_sql, args.runs)
            assert j_rows == p_rows, f"{label}: JSON and Parquet disagree"
            print(f"  {label:34} {'JSON':8} {j_time:7.3f}s {j_bytes / 2**20:11.2f}")
            print(f"  {'':34} {'Parquet':8} {p_time:7.3f}s {p_bytes / 2**20:11.2f}")
            print(f"  {'':34} {'ratio':8} {j_time / p_time:7.1f}x {j_bytes / max(p_bytes, 1):10.1f}x"
                  f"   (JSON / Parquet; same {len(j_rows)} rows)\n")
        con.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
