"""A cancel stops a bundle's fetches: small CloudTrail files of one partition are read as
one file (engine/duckdb/backend.py `_bundles`), and once the query is stopped none of its
members is fetched any more, on S3 (fetched several at once) as on a local disk."""
from __future__ import annotations

import gzip
import json
import threading

import pytest

from parthenon import storage
from parthenon.engine.duckdb.virtual_fs import MEMBER_FETCHES, QueryFiles, Served
from parthenon.errors import QueryCancelled
from parthenon.formats.cloudtrail import joined_arrays, presented_size, records_as_array
from test_server_support import BUCKET, athena, athena_server, rows, run, wait  # noqa: F401

DATA = "bundle-bucket"
FILES = 40
CLOUDTRAIL_TABLE = ("CREATE EXTERNAL TABLE ct (eventname STRING) "
                    "ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' "
                    "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat' "
                    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat' "
                    f"LOCATION 's3://{DATA}/ct/' TBLPROPERTIES ('parthenon.scan_cache'='false')")


def trail_file(i: int) -> bytes:
    records = [{"eventName": f"e{i:02d}", "eventTime": "2017-06-15T00:00:00Z"}] * 2
    return gzip.compress(json.dumps({"Records": records}).encode(), mtime=0)


def test_stop_query_execution_stops_fetching_a_bundle_from_s3(athena, s3, monkeypatch):
    s3.create_bucket(Bucket=DATA)
    for i in range(FILES):
        s3.put_object(Bucket=DATA, Key=f"ct/{i:02d}.json.gz", Body=trail_file(i))
    assert run(athena, CLOUDTRAIL_TABLE)[1]["Status"]["State"] == "SUCCEEDED"
    # the members, fetched at once, are joined in their order: every record once
    qid, q = run(athena, "SELECT count(*), count(DISTINCT eventname) FROM ct")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert q["Statistics"]["DataScannedInBytes"] == sum(len(trail_file(i)) for i in range(FILES))
    assert rows(athena, qid) == [("_col0", "_col1"), (str(2 * FILES), str(FILES))]

    fetched: list[str] = []
    after_stop: list[str] = []     # fetches begun once StopQueryExecution had answered
    lock = threading.Lock()
    running, stopped = threading.Event(), threading.Event()
    query: list[str] = []
    real = storage.read_bytes

    def read_bytes(url: str) -> bytes:
        if url.startswith(f"s3://{DATA}/"):
            with lock:
                fetched.append(url)
                n = len(fetched)
                if stopped.is_set():
                    after_stop.append(url)
            if n == 3:      # the user stops the query while its bundle is being fetched
                assert running.wait(30)
                athena.stop_query_execution(QueryExecutionId=query[0])
                stopped.set()
        return real(url)
    monkeypatch.setattr(storage, "read_bytes", read_bytes)
    query.append(athena.start_query_execution(
        QueryString="SELECT count(*) FROM ct",
        ResultConfiguration={"OutputLocation": f"s3://{BUCKET}/results/"})["QueryExecutionId"])
    running.set()
    final = wait(athena, query[0])
    assert final["Status"]["State"] == "CANCELLED"
    assert final["Status"]["StateChangeReason"] == "Query cancelled by user"
    # the two before the stop and those started with them (one window), never the other 30
    with lock:
        assert after_stop == []
        assert 3 <= len(fetched) <= 2 + MEMBER_FETCHES


def test_a_cancel_stops_a_local_bundle_between_two_members(tmp_path):
    files = QueryFiles("q1")
    used: list[str] = []

    def transform(data: bytes, url: str):
        used.append(url)
        if len(used) == 3:
            files.cancel()      # from another thread in life: Ctrl-C, StopQueryExecution
        return records_as_array(data, url)
    members = []
    for i in range(10):
        path = tmp_path / f"{i:02d}.json.gz"
        path.write_bytes(trail_file(i))
        obj = storage.ObjectInfo(str(path), path.stat().st_size)
        members.append(Served(obj, transform, presented_size))
    bundle = files.add("t/0.data.json", Served(members[0].obj, None, None, members=members, join=joined_arrays))
    with pytest.raises(QueryCancelled, match="Query cancelled by user"):
        files.load(bundle)
    assert len(used) == 3
