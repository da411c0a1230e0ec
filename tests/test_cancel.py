"""A cancel stops the read-ahead too: nothing more is fetched, and a wait on a fetch ends."""
from __future__ import annotations

import threading
from concurrent import futures
import time

import pytest

from parthenon import storage
from parthenon.engine.duckdb.virtual_fs import READ_AHEAD, QueryFiles, Served
from parthenon.errors import QueryCancelled

BUCKET = "cancel-bucket"


def objects(s3, n: int) -> list[storage.ObjectInfo]:
    s3.create_bucket(Bucket=BUCKET)
    for i in range(n):
        s3.put_object(Bucket=BUCKET, Key=f"logs/{i}.json", Body=b'{"i": %d}\n' % i)
    return [storage.ObjectInfo(f"s3://{BUCKET}/logs/{i}.json", len(b'{"i": %d}\n' % i))
            for i in range(n)]


def test_cancel_drops_the_read_ahead_and_refuses_further_reads(s3):
    files = QueryFiles("q1")
    paths = [files.add(f"t/{i}.data", Served(obj, None, None)) for i, obj in enumerate(objects(s3, 10))]
    assert files.load(paths[0]) == b'{"i": 0}\n'
    assert len(files._pending) == READ_AHEAD        # the next ones were sent for
    sent = list(files._pending.values())
    files.cancel()
    assert files._pending == {}
    with pytest.raises(QueryCancelled, match="Query cancelled by user"):
        files.load(paths[1])
    assert list(files.read_urls) == [f"s3://{BUCKET}/logs/0.json"]    # only what the engine used
    # fetches already under way end here, not in the next test as its S3 settings change
    futures.wait(sent, timeout=30)


def test_cancel_ends_a_wait_on_a_slow_fetch_at_once(s3):
    release = threading.Event()

    def slow_transform(data, url):          # a fetch the engine waits on for long
        release.wait(10)
        return data
    files = QueryFiles("q2")
    path = files.add("t/0.data", Served(objects(s3, 1)[0], slow_transform, None))
    outcome = []

    def engine_read():
        try:
            files.load(path)
        except QueryCancelled as e:
            outcome.append((e, time.monotonic()))
    reader = threading.Thread(target=engine_read)
    reader.start()
    time.sleep(0.3)
    cancelled_at = time.monotonic()
    files.cancel()
    reader.join(5)
    release.set()
    assert outcome, "the read did not stop"
    # well before the fetch's own 10 s (a loaded machine can delay a thread's wake-up;
    # bench/cancel.py measures the latency)
    assert outcome[0][1] - cancelled_at < 5
