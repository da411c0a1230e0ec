"""Writing the trail: one task per region-hour (its log files, gzipped, and its digest),
run in this process or by a pool of processes."""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
from collections import Counter
from datetime import date, datetime, timezone
from typing import NamedTuple

from .digest import write_digest
from .encoding import ALNUM, gzip_bytes, iso, random_id
from .fragments import pools_for
from .layout import log_file_name, log_folder
from .records import file_records, hour_actors


class HourTask(NamedTuple):
    """One region-hour to write; `region_hour` runs it, in this process or a worker."""
    root: str
    seed: int
    account: str
    regions: tuple[str, ...]
    quirks: bool
    region: str
    day_iso: str
    hour: int
    hour_bytes: float      # uncompressed bytes of this hour's log files together
    nfiles: int
    first: bool            # the first hour of the range: its digest has no predecessor


def region_hour(task: HourTask) -> dict:
    """Write one region-hour's log files and digest; returns their counts and the hour's
    RequestLimitExceeded counts."""
    (root, seed, account, regions, quirks, region, day_iso, hour, hour_bytes, nfiles, first) = task
    pools = pools_for(seed, account, regions, quirks)
    rp = pools.regions[region]
    apis = pools.apis
    d = date.fromisoformat(day_iso)
    t0 = datetime(d.year, d.month, d.day, hour, tzinfo=timezone.utc).timestamp()
    yyyy, mm, dd = f"{d.year:04d}", f"{d.month:02d}", f"{d.day:02d}"
    hrng = random.Random(f"{seed}|{account}|{region}|{day_iso}|{hour}")
    actor_table, idents = hour_actors(rp, hrng, t0)
    hour_prefix = iso(t0)[:14].encode()  # 2017-06-15T13:

    # file sizes in this hour
    shares = [min(6.0, hrng.lognormvariate(0.0, 0.6)) for _ in range(nfiles)]  # a few big files
    ssum = sum(shares)
    folder = log_folder(root, account, region, yyyy, mm, dd)
    os.makedirs(folder, exist_ok=True)
    files, throttles = [], Counter()
    n_records = raw_total = gz_total = 0
    for fi in range(nfiles):
        rng = random.Random(f"{seed}|{account}|{region}|{day_iso}|{hour}|{fi}")
        target = max(1, int(hour_bytes * shares[fi] / ssum))
        w0 = int(3600 * fi / nfiles)
        w1 = max(w0 + 1, int(3600 * (fi + 1) / nfiles))
        recs = file_records(rng, rp, apis, actor_table, idents, hour_prefix, w0, w1, target, throttles)
        body = b'{"Records":[' + b",".join(recs) + b"]}"
        gz = gzip_bytes(body)
        stamp = datetime.fromtimestamp(t0 + (w1 - 1) // 300 * 300, timezone.utc).strftime("%Y%m%dT%H%MZ")
        name = log_file_name(account, region, stamp, random_id(rng, ALNUM, 16))
        with open(os.path.join(folder, name), "wb") as f:
            f.write(gz)
        files.append((name, hashlib.sha256(body).hexdigest(), iso(t0 + w0), iso(t0 + w1 - 1)))
        n_records += len(recs)
        raw_total += len(body)
        gz_total += len(gz)

    digest = write_digest(root, account, region, regions, seed, t0, files, hrng, first)
    return {"region": region, "day": (yyyy, mm, dd), "files": len(files), "records": n_records,
            "raw": raw_total, "gz": gz_total, "digest": digest,
            "throttles": {(region, yyyy, mm, dd) + k: v for k, v in throttles.items()}}


def run_tasks(tasks: list[HourTask], workers: int) -> list[dict]:
    """Each task's result, in task order: here when workers == 1, else by a pool of
    `workers` processes, the biggest hours first."""
    if workers == 1 or len(tasks) == 1:
        return [region_hour(t) for t in tasks]
    order = sorted(range(len(tasks)), key=lambda i: -tasks[i].hour_bytes)  # big hours first
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(workers) as pool:
        out = pool.map(region_hour, [tasks[i] for i in order], chunksize=1)
    results = [None] * len(tasks)
    for i, r in zip(order, out):
        results[i] = r
    return results
