#!/usr/bin/env python
"""Benchmark: listing storage for a table with thousands of partitions (issue 14 item 6).

    .venv/bin/python bench/listing.py            # 3 runs each
    .venv/bin/python bench/listing.py --runs 5 --days-with-data 120

A CloudTrail trail in moto's S3 server on loopback: one region, a few small files on each of
`--days-with-data` days. Two tables over it, queried with no partition predicate
(`SELECT count(*)`), medians over the runs, with the S3 requests each one makes:

  projected   projection on `timestamp`, dates 2020/01/01 to NOW (one partition a day: the
              issue's 2,637-listing case)
  registered  the same days as partitions registered with ALTER TABLE ADD PARTITION
  flat        the same query over an unpartitioned table on the same prefix: one listing
              of the prefix, then the same reads (the baseline for the whole query)
  prefix      listing the table's prefix once (storage.list_objects), nothing read

The target: the projected query within 2x of listing the prefix once, so of `flat`.  Not part of the test suite.
"""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import socket
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

BUCKET = "bench-trail"
BASE = f"s3://{BUCKET}/AWSLogs/111122223333/CloudTrail/us-east-1"
COLUMNS = "eventversion STRING, eventname STRING, eventtime STRING, awsregion STRING"
SERDE = ("ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' STORED AS INPUTFORMAT "
         "'com.amazon.emr.cloudtrail.CloudTrailInputFormat' OUTPUTFORMAT "
         "'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill_bucket(s3, days: list[date], files_per_day: int) -> int:
    s3.create_bucket(Bucket=BUCKET)
    count = 0
    for day in days:
        for i in range(files_per_day):
            records = [{"eventVersion": "1.08", "eventName": f"Event{j % 7}",
                        "eventTime": f"{day.isoformat()}T00:0{i}:{j:02d}Z", "awsRegion": "us-east-1"}
                       for j in range(20)]
            key = (f"{BASE.split(BUCKET + '/', 1)[1]}/{day:%Y/%m/%d}/"
                   f"111122223333_CloudTrail_us-east-1_{day:%Y%m%d}T000{i}Z_{i}.json.gz")
            s3.put_object(Bucket=BUCKET, Key=key, Body=gzip.compress(json.dumps({"Records": records}).encode()))
            count += 1
    return count


class RequestCounter:
    """S3 requests Parthenon's own client sends (botocore's before-send event)."""

    def __init__(self):
        from parthenon.storage import s3 as s3_storage
        self.count = 0
        s3_storage.client().meta.events.register("before-send.s3", self._seen)

    def _seen(self, **_) -> None:
        self.count += 1


def timed(fn, runs: int, counter: RequestCounter) -> tuple[float, int, object]:
    times, requests, out = [], 0, None
    for _ in range(runs):
        before = counter.count
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        requests = counter.count - before
    return statistics.median(times), requests, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--days-with-data", type=int, default=60)
    ap.add_argument("--files-per-day", type=int, default=4)
    args = ap.parse_args()

    from moto.server import ThreadedMotoServer
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ.update(AWS_ENDPOINT_URL_S3=endpoint, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                      AWS_DEFAULT_REGION="us-east-1")
    home = tempfile.mkdtemp(prefix="parthenon-bench-listing-")
    os.environ["PARTHENON_HOME"] = home
    try:
        import boto3
        import parthenon
        from parthenon import storage

        today = date.today()
        all_days = [date(2020, 1, 1) + timedelta(n) for n in range((today - date(2020, 1, 1)).days + 1)]
        data_days = all_days[-args.days_with_data:]
        objects = fill_bucket(boto3.client("s3", endpoint_url=endpoint), data_days, args.files_per_day)
        counter = RequestCounter()
        con = parthenon.connect()
        cur = con.cursor()
        cur.execute(f"""CREATE EXTERNAL TABLE projected ({COLUMNS}) PARTITIONED BY (`timestamp` STRING)
            {SERDE} LOCATION '{BASE}/' TBLPROPERTIES ('projection.enabled'='true',
            'projection.timestamp.type'='date', 'projection.timestamp.format'='yyyy/MM/dd',
            'projection.timestamp.range'='2020/01/01,NOW', 'projection.timestamp.interval'='1',
            'projection.timestamp.interval.unit'='DAYS',
            'storage.location.template'='{BASE}/${{timestamp}}')""")
        cur.execute(f"CREATE EXTERNAL TABLE flat ({COLUMNS}) {SERDE} LOCATION '{BASE}/'")
        cur.execute(f"CREATE EXTERNAL TABLE registered ({COLUMNS}) PARTITIONED BY (day STRING) "
                    f"{SERDE} LOCATION '{BASE}/'")
        for i in range(0, len(all_days), 500):
            clauses = " ".join(f"PARTITION (day='{d:%Y-%m-%d}') LOCATION '{BASE}/{d:%Y/%m/%d}/'"
                               for d in all_days[i:i + 500])
            cur.execute(f"ALTER TABLE registered ADD {clauses}")

        def query(table):
            def run():
                cur.execute(f"SELECT count(*) FROM {table}")
                return cur.fetchall()[0][0]
            return run

        expected = args.days_with_data * args.files_per_day * 20
        results = {}
        for name, fn in (("prefix", lambda: len(storage.list_objects(BASE))),
                         ("flat", query("flat")), ("projected", query("projected")),
                         ("registered", query("registered"))):
            fn()    # warm: imports, connections
            results[name] = timed(fn, args.runs, counter)
        assert results["prefix"][2] == objects, results["prefix"]
        for name in ("flat", "projected", "registered"):
            assert results[name][2] == expected, (name, results[name][2], expected)
        base, flat = results["prefix"][0], results["flat"][0]
        print(f"{len(all_days)} daily partitions, {args.days_with_data} with data, {objects} objects; "
              f"median of {args.runs} runs")
        print(f"{'case':<12}{'seconds':>9}{'x prefix':>10}{'x flat':>8}{'S3 requests':>13}")
        for name, (secs, requests, _) in results.items():
            print(f"{name:<12}{secs:>9.3f}{secs / base:>10.1f}{secs / flat:>8.2f}{requests:>13}")
        con.close()
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
