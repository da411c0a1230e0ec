"""Listing a table's many partitions in as few S3 requests as the layout allows
(storage.folder_sets), on moto's S3 server: the same objects as listing each folder alone,
one prefix listing where the folders are sparse, the parallel listing where they are not."""
from __future__ import annotations

import gzip
import json
from datetime import date, timedelta

import pytest

import parthenon
from parthenon import storage
from parthenon.storage import folder_sets
from parthenon.storage import s3 as s3_storage

BUCKET = "many-parts"


class Requests:
    """S3 requests Parthenon's own client sends, by operation."""

    def __init__(self):
        self.seen: list[str] = []
        s3_storage.client().meta.events.register("before-call.s3", self._call)

    def _call(self, model, **_):
        self.seen.append(model.name)

    def count(self, name: str) -> int:
        return self.seen.count(name)


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket=BUCKET)
    return s3


def put(s3, key: str, body: bytes = b"x") -> None:
    s3.put_object(Bucket=BUCKET, Key=key, Body=body)


def test_the_same_objects_as_listing_each_folder(bucket):
    keys = ["t/day=1/a", "t/day=1/sub/b", "t/day=10/c", "t/day=2/_SUCCESS", "t/day=2/.tmp/d",
            "t/day=2/e", "t/_staging/day=3/f", "t/day=4/", "t/other/g", "t/day=5/h"]
    for key in keys:
        put(bucket, key)
    locations = [f"s3://{BUCKET}/t/day={n}" for n in range(1, 40)] + [
        f"s3://{BUCKET}/t/_staging/day=3/", f"s3://{BUCKET}/t/day=1/", f"s3://{BUCKET}/t/day=1/sub"]
    requests = Requests()
    got = folder_sets.list_each(locations)
    assert requests.count("ListObjectsV2") == 1
    assert got == [storage.list_objects(loc) for loc in locations]
    assert [o.url.rsplit("/t/", 1)[1] for o in got[0]] == ["day=1/a", "day=1/sub/b"]
    assert [o.url.rsplit("/t/", 1)[1] for o in got[1]] == ["day=2/e"]
    assert [o.url.rsplit("/t/", 1)[1] for o in got[9]] == ["day=10/c"]
    assert [o.url.rsplit("/t/", 1)[1] for o in got[39]] == ["_staging/day=3/f"]
    assert got[40] == got[0] and [o.size for o in got[41]] == [1]


def test_dense_folders_are_listed_in_parallel(bucket, monkeypatch):
    # a prefix holding more keys than one page per PARALLEL folders: listing it once
    # would take more rounds than listing each folder, so it stops and lists each
    monkeypatch.setattr(folder_sets, "PAGE", 4)
    for n in range(40):
        put(bucket, f"d/p={n}/file")
    locations = [f"s3://{BUCKET}/d/p={n}/" for n in range(40)]
    requests = Requests()
    got = folder_sets.list_each(locations)
    assert requests.count("ListObjectsV2") == 1 + 40
    assert [len(objs) for objs in got] == [1] * 40
    assert got == [storage.list_objects(loc) for loc in locations]


def test_few_or_scattered_folders_are_listed_each(bucket):
    put(bucket, "a/x/1")
    put(bucket, "b/y/2")
    requests = Requests()
    assert [len(o) for o in folder_sets.list_each([f"s3://{BUCKET}/a/x/", f"s3://{BUCKET}/b/y/"])] == [1, 1]
    assert requests.count("ListObjectsV2") == 2


CLOUDTRAIL = """CREATE EXTERNAL TABLE trail (eventname STRING, eventtime STRING)
PARTITIONED BY (`timestamp` STRING)
ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://many-parts/AWSLogs/1/CloudTrail/us-east-1/'
TBLPROPERTIES ('projection.enabled'='true', 'projection.timestamp.type'='date',
  'projection.timestamp.format'='yyyy/MM/dd', 'projection.timestamp.range'='2020/01/01,NOW',
  'projection.timestamp.interval'='1', 'projection.timestamp.interval.unit'='DAYS',
  'storage.location.template'='s3://many-parts/AWSLogs/1/CloudTrail/us-east-1/${timestamp}')"""


def test_a_projected_trail_without_predicate_lists_its_prefix_once(bucket, parthenon_home):
    days = [date(2021, 3, 4), date(2024, 2, 29), date.today()]
    for i, day in enumerate(days):
        records = [{"eventName": f"E{i}", "eventTime": f"{day.isoformat()}T01:02:0{j}Z"} for j in range(i + 1)]
        put(bucket, f"AWSLogs/1/CloudTrail/us-east-1/{day:%Y/%m/%d}/1_CloudTrail_{i}.json.gz",
            gzip.compress(json.dumps({"Records": records}).encode()))
    con = parthenon.connect()
    cur = con.cursor()
    cur.execute(CLOUDTRAIL)
    requests = Requests()
    cur.execute('SELECT "timestamp", eventname, count(*) FROM trail GROUP BY 1, 2 ORDER BY 1')
    assert cur.fetchall() == [("2021/03/04", "E0", 1), ("2024/02/29", "E1", 2),
                              (f"{date.today():%Y/%m/%d}", "E2", 3)]
    assert (date.today() - date(2020, 1, 1)).days > 2000      # partitions projected
    assert requests.count("ListObjectsV2") == 1
    # a predicate on a few days still lists only those days
    requests.seen.clear()
    cur.execute("SELECT count(*) FROM trail WHERE \"timestamp\" BETWEEN '2024/02/28' AND '2024/03/01'")
    assert cur.fetchall() == [(2,)]
    assert requests.count("ListObjectsV2") == 3
    con.close()


def test_registered_partitions_list_their_prefix_once(bucket, parthenon_home):
    put(bucket, "logs/2023/01/05/a.json", b'{"n": 1}\n{"n": 2}\n')
    put(bucket, "logs/2023/02/07/b.json", b'{"n": 3}\n')
    put(bucket, "logs/2023/02/07/_SUCCESS", b"")
    con = parthenon.connect()
    cur = con.cursor()
    cur.execute(f"CREATE EXTERNAL TABLE logs (n INT) PARTITIONED BY (day STRING) "
                f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://{BUCKET}/logs/'")
    start = date(2023, 1, 1)
    clauses = " ".join(f"PARTITION (day='{start + timedelta(n)}') LOCATION "
                       f"'s3://{BUCKET}/logs/{start + timedelta(n):%Y/%m/%d}/'" for n in range(365))
    cur.execute(f"ALTER TABLE logs ADD {clauses}")
    requests = Requests()
    cur.execute("SELECT day, sum(n) FROM logs GROUP BY day ORDER BY day")
    assert cur.fetchall() == [("2023-01-05", 3), ("2023-02-07", 3)]
    assert requests.count("ListObjectsV2") == 1
    con.close()
