"""The fast CloudTrail scan over S3 (moto's server on loopback): small objects are fetched
several at once, in order, and the rows and Data scanned are the usual scan's."""
from __future__ import annotations

import threading
import time

import pytest

from conftest import CLOUDTRAIL_DDL, cloudtrail_file
from parthenon import storage
from parthenon.engine.duckdb import virtual_fs
from test_fast_cloudtrail import ACCOUNT, QUERIES, both_paths, fast_cloudtrail, record, spy_on_decodes, write_trail

BUCKET = "fast-trail"
LATENCY = 0.02      # a real store's round trip, added to moto's


def upload(s3, tmp_path) -> int:
    folder = tmp_path / "logs"
    write_trail(folder)
    for i in range(30):       # enough small objects for a window of fetches
        cloudtrail_file(folder / f"{ACCOUNT}_CloudTrail_us-east-1_more{i:02d}.json.gz",
                        [record(f"More{i}", sourceIPAddress=f"10.1.{i}.{j}") for j in range(3)])
    s3.create_bucket(Bucket=BUCKET)
    total = 0
    for path in sorted(folder.iterdir()):
        s3.put_object(Bucket=BUCKET, Key=f"logs/{path.name}", Body=path.read_bytes())
        total += path.stat().st_size
    return total


def s3_table(cur):
    cur.execute(CLOUDTRAIL_DDL.format(location=f"s3://{BUCKET}/logs/").split("PARTITIONED BY")[0]
                + f"ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' LOCATION 's3://{BUCKET}/logs/'"
                + " TBLPROPERTIES ('parthenon.scan_cache'='false')")


@pytest.fixture
def fetches(monkeypatch):
    """Each S3 read takes LATENCY longer; the most reads under way at once is kept."""
    real, lock, state = storage.read_bytes, threading.Lock(), {"now": 0, "most": 0, "reads": 0}

    def read_bytes(url):
        if url.startswith(f"s3://{BUCKET}/"):
            with lock:
                state["now"] += 1
                state["reads"] += 1
                state["most"] = max(state["most"], state["now"])
            try:
                time.sleep(LATENCY)
                return real(url)
            finally:
                with lock:
                    state["now"] -= 1
        return real(url)
    monkeypatch.setattr(storage, "read_bytes", read_bytes)
    return state


@pytest.mark.parametrize("sql", [QUERIES[0], QUERIES[6], "SELECT count(*) FROM cloudtrail_logs"])
def test_fast_scan_on_s3_gives_the_usual_rows_and_bytes(con, s3, tmp_path, monkeypatch, fetches, sql):
    stored = upload(s3, tmp_path)
    s3_table(con.cursor())
    decoded = spy_on_decodes(monkeypatch)
    usual, fast = both_paths(con, monkeypatch, sql)
    assert fast == usual
    assert usual[0] and usual[2] == stored        # every object read once, whole
    assert decoded                                # chdb's, though the objects are small


def test_fast_scan_fetches_small_objects_several_at_once(con, s3, tmp_path, monkeypatch, fetches):
    stored = upload(s3, tmp_path)
    s3_table(con.cursor())
    cur = con.cursor()
    monkeypatch.setenv(fast_cloudtrail.SWITCH, "0")
    cur.execute("SELECT count(*) FROM cloudtrail_logs")
    usual = cur.fetchall()
    monkeypatch.setenv(fast_cloudtrail.SWITCH, "1")
    fetches["most"] = 0
    cur.execute("SELECT count(*) FROM cloudtrail_logs")
    assert cur.fetchall() == usual
    assert cur.data_scanned_in_bytes == stored
    # the usual read-ahead keeps READ_AHEAD + 1 under way; a scan read in order, a window of
    # MEMBER_FETCHES (as a bundle's members)
    assert virtual_fs.READ_AHEAD + 1 < fetches["most"] <= virtual_fs.READ_AHEAD + virtual_fs.MEMBER_FETCHES
