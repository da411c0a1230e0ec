"""Synthetic AWS CloudTrail logs, laid out exactly as CloudTrail delivers them to S3.

    generate("/tmp/ct", target_bytes=256 * 2**20)

writes

    <root>/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/
        <account>_CloudTrail_<region>_<yyyyMMddTHHmmZ>_<16 alnum>.json.gz
    <root>/AWSLogs/<account>/CloudTrail-Digest/<region>/<yyyy>/<MM>/<dd>/
        <account>_CloudTrail-Digest_<region>_<trail>_<region>_<yyyyMMddTHHmmssZ>.json.gz

Each log file is the gzip of one compact JSON object `{"Records":[...]}`; each digest
file is an hourly CloudTrail digest (which readers must skip).

The records imitate real CloudTrail (eventVersion 1.08/1.09 shapes, see the samples in
shared/data/invictus-aws-dataset): IAM users on the console and the CLI, assumed roles of
EC2 instances, Lambda functions, EKS controllers, SSO and a third-party monitoring
account, AWS services acting on the account's behalf (`invokedBy`), management and S3
data events, console sign-ins, service events, and a realistic share of errors.

Planted problem: an EKS cluster autoscaler (assumed role `eks-cluster-autoscaler`, one
node, one source IP) hammers `autoscaling:DescribeAutoScalingGroups` in the first region
and is throttled (`errorCode = 'RequestLimitExceeded'`, `errorMessage = 'Rate exceeded'`)
most of the time. Other callers are throttled too, far less often, so the question
"who is burning our API rate limit?" has one clear answer per day of the first region.

Determinism: every output byte is a function of the arguments. Each file draws from its
own `random.Random` seeded from (seed, region, hour, index); shared pools of identities
and request shapes are built from the seed alone; gzip headers carry mtime 0.

Speed: records are assembled from pre-serialised (orjson) fragments, gzipped at level 1
(ISA-L when installed, else zlib) and written by a process pool, one task per region-hour.

The pieces, in the order data flows:

    world.py       the account's named resources (instances, buckets, roles, ...)
    catalogue.py   the events: service, event name, request parameters, errors
    identities.py  the Actor model, user agents, principal ids
    mixes.py       which APIs each kind of caller calls, and how often
    actors.py      the cast of callers
    culprit.py     the planted problem
    fragments.py   per region, every API's and actor's JSON pieces, as bytes
    records.py     one file's records, joined from the fragments
    layout.py      S3 keys and local paths of log and digest files
    digest.py      the hourly digest files
    writer.py      one region-hour's files; the process pool
    stats.py       GenerationStats, what was written and the seed query's answer
    encoding.py    random ids, timestamps, JSON, deterministic gzip

and here, the plan (how target_bytes is shared among region-hours) and `generate`.
"""
from __future__ import annotations

import math
import os
import random
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from .culprit import CULPRIT_EVENT_NAME, CULPRIT_ROLE, THROTTLE_CODE
from .fragments import pools_for
from .layout import log_folder
from .stats import GenerationStats
from .writer import HourTask, run_tasks

__all__ = ["generate", "GenerationStats", "CULPRIT_ROLE", "CULPRIT_EVENT_NAME", "THROTTLE_CODE"]

AVG_FILE_BYTES = 1 << 20  # auto files_per_hour aims at ~1 MiB uncompressed per file


def _hour_weight(hour: int) -> float:
    # business-hours peak around 15-18 UTC (US), trough around 06-09 UTC
    return 1.0 + 0.45 * math.sin((hour - 10) / 24 * 2 * math.pi)


def _plan(root: str, account: str, regions: tuple[str, ...], start: date, days: int, target_bytes: int,
          seed: int, files_per_hour: int | None, quirks: bool) -> list[HourTask]:
    """One task per region-hour; target_bytes shared by region (the first is the busiest),
    day and hour of day (business hours peak), with some noise."""
    rng = random.Random(f"parthenon-demo|{seed}|{account}|plan")
    slots = []
    for ri, region in enumerate(regions):
        rw = 1.0 if ri == 0 else rng.uniform(0.35, 0.6)
        for di in range(days):
            dw = rng.uniform(0.85, 1.15)
            for h in range(24):
                slots.append((region, start + timedelta(days=di), h, rw * dw * _hour_weight(h) * rng.uniform(0.9, 1.1)))
    total_w = sum(s[3] for s in slots)
    tasks = []
    for region, d, h, wt in slots:
        hb = target_bytes * wt / total_w
        nf = files_per_hour or min(60, max(1, round(hb / AVG_FILE_BYTES)))
        tasks.append(HourTask(root, seed, account, regions, quirks, region, d.isoformat(), h, hb, nf, d == start and h == 0))
    return tasks


def generate(root: str | os.PathLike, *, account: str = "123456789012",
             regions: tuple[str, ...] | list[str] = ("us-east-1", "us-west-2"),
             start: date = date(2017, 6, 15), days: int = 2, target_bytes: int = 64 * 2**20,
             seed: int = 42, files_per_hour: int | None = None, workers: int | None = None,
             quirks: bool = False) -> GenerationStats:
    """Write synthetic CloudTrail logs (and hourly digests) under `root`.

    target_bytes: uncompressed JSON bytes of all log files together (approximate: each file
    stops at the first record past its share). files_per_hour: log files per region-hour;
    default aims at ~1 MiB per file (1..60 per hour). workers: processes (default
    os.cpu_count(); 1 = in this process). quirks: plant real-world oddities (requestParameters
    keys that differ only in case) that trip naive JSON schema detection.
    """
    t_start = time.perf_counter()
    regions = tuple(regions)
    if not regions or days < 1:
        raise ValueError("need at least one region and one day")
    root = str(Path(root).resolve())
    tasks = _plan(root, account, regions, start, days, target_bytes, seed, files_per_hour, quirks)
    workers = (os.cpu_count() or 1) if workers is None else max(1, workers)
    results = run_tasks(tasks, workers)

    pools = pools_for(seed, account, regions, quirks)
    merged: Counter = Counter()
    for r in results:
        for k, v in r["throttles"].items():
            merged[k] += v
    partitions = []
    for region in regions:
        for di in range(days):
            d = start + timedelta(days=di)
            y, m, dd = f"{d.year:04d}", f"{d.month:02d}", f"{d.day:02d}"
            partitions.append((region, y, m, dd, log_folder(root, account, region, y, m, dd)))
    culprit = pools.culprit
    return GenerationStats(
        root=root, account=account, regions=regions,
        files=sum(r["files"] for r in results), digest_files=len(results),
        records=sum(r["records"] for r in results),
        uncompressed_bytes=sum(r["raw"] for r in results), compressed_bytes=sum(r["gz"] for r in results),
        seconds=time.perf_counter() - t_start,
        culprit_arn=culprit.arn, culprit_ip=culprit.ips[0], culprit_region=regions[0],
        partitions=partitions, throttle_counts=dict(merged))
