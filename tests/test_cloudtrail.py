"""The CloudTrail story end to end through the DB-API: DDL, partitions, the seed query."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import CLOUDTRAIL_DDL, TEST_DATA, cloudtrail_file
from engines import ENGINES, engine_connection

ACCOUNT = "123456789012"
AUTOSCALER = f"arn:aws:sts::{ACCOUNT}:assumed-role/autoscaler/i-0abc"
SEED_QUERY = """SELECT eventname, useridentity.arn, sourceipaddress, count(*) AS count
FROM cloudtrail_logs
WHERE errorcode = 'RequestLimitExceeded' AND eventsource LIKE '%autoscaling%'
  AND region = 'us-east-1' AND year = '2017' AND month = '06' AND day = '15'
GROUP BY eventname, useridentity.arn, sourceipaddress
ORDER BY count DESC
LIMIT 20"""


def event(name, arn, ip, error=None, **extra):
    record = {"eventVersion": "1.05", "eventSource": "autoscaling.amazonaws.com", "eventName": name,
              "userIdentity": {"type": "AssumedRole", "arn": arn, "accountId": ACCOUNT,
                               "sessionContext": {"sessionIssuer": {"userName": "autoscaler"}}},
              "sourceIPAddress": ip, "awsRegion": "us-east-1", "readOnly": True,
              "requestParameters": {"autoScalingGroupNames": ["web"], "maxRecords": 100}}
    if error:
        record["errorCode"] = error
    record.update(extra)
    return record


def write_trail(root):
    """Two days of logs as CloudTrail delivers them, plus a digest file and a stray object."""
    base = root / "AWSLogs" / ACCOUNT / "CloudTrail" / "us-east-1" / "2017" / "06"
    day15 = [event("DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.7", "RequestLimitExceeded")] * 5
    day15 += [event("DescribeAutoScalingGroups", "arn:aws:iam::123456789012:user/alice", "198.51.100.1",
                    "RequestLimitExceeded")] * 2
    day15 += [event("UpdateAutoScalingGroup", AUTOSCALER, "10.0.0.7")]
    f1 = cloudtrail_file(base / "15" / f"{ACCOUNT}_CloudTrail_us-east-1_20170615T0000Z_aaaa.json.gz", day15[:4])
    f2 = cloudtrail_file(base / "15" / f"{ACCOUNT}_CloudTrail_us-east-1_20170615T0005Z_bbbb.json.gz", day15[4:])
    cloudtrail_file(base / "16" / f"{ACCOUNT}_CloudTrail_us-east-1_20170616T0000Z_cccc.json.gz",
                    [event("DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.7", "RequestLimitExceeded")] * 50)
    digest = root / "AWSLogs" / ACCOUNT / "CloudTrail-Digest" / "us-east-1" / "2017" / "06" / "15"
    digest.mkdir(parents=True)
    (digest / f"{ACCOUNT}_CloudTrail-Digest_us-east-1_trail_us-east-1_20170615T010000Z.json.gz").write_bytes(b"\x1f\x8bnot-a-log")
    (base / "15" / "README.txt").write_text("not a log file")
    return f1.stat().st_size + f2.stat().st_size


def add_partitions(cur, location):
    cur.execute(f"""ALTER TABLE cloudtrail_logs ADD IF NOT EXISTS
      PARTITION (region='us-east-1', year='2017', month='06', day='15')
        LOCATION '{location}us-east-1/2017/06/15/'
      PARTITION (region='us-east-1', year='2017', month='06', day='16')
        LOCATION '{location}us-east-1/2017/06/16/'""")


@pytest.fixture(params=ENGINES)
def engine_con(request, parthenon_home):
    """A connection on each engine (tests/engines.py) for the queries both must answer alike."""
    connection = engine_connection(request, parthenon_home)
    yield connection
    connection.close()


def test_seed_query_finds_the_autoscaler_and_scans_one_day(engine_con, tmp_path):
    con = engine_con
    day15_bytes = write_trail(tmp_path)
    location = f"{tmp_path}/AWSLogs/{ACCOUNT}/CloudTrail/"
    cur = con.cursor()
    cur.execute(CLOUDTRAIL_DDL.format(location=location))
    add_partitions(cur, location)
    cur.execute(SEED_QUERY)
    assert [d[:2] for d in cur.description] == [
        ("eventname", "varchar"), ("arn", "varchar"), ("sourceipaddress", "varchar"), ("count", "bigint")]
    assert cur.fetchall() == [
        ("DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.7", 5),
        ("DescribeAutoScalingGroups", "arn:aws:iam::123456789012:user/alice", "198.51.100.1", 2),
    ]
    # Data scanned: the two files of day 15, compressed; not day 16, not the digest.
    assert cur.data_scanned_in_bytes == day15_bytes


def test_cloudtrail_fields_map_like_the_serde(engine_con, tmp_path):
    con = engine_con
    odd = {"eventVersion": "1.08", "userIdentity": "not-an-object", "eventName": "Odd",
           "requestParameters": {"Key": 1, "key": 2}, "responseElements": None,
           "resources": [{"ARN": "arn:aws:s3:::b", "accountId": ACCOUNT, "type": "AWS::S3::Bucket"}],
           "readOnly": False, "newTopLevelField": {"x": 1}}
    cloudtrail_file(tmp_path / "logs" / f"{ACCOUNT}_CloudTrail_us-east-1_x.json.gz",
                    [event("A", AUTOSCALER, "10.0.0.7"), odd])
    cur = con.cursor()
    ddl = CLOUDTRAIL_DDL.format(location=f"{tmp_path}/logs/").split("PARTITIONED BY")[0]
    cur.execute(ddl + "ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' "
                "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat' "
                "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat' "
                f"LOCATION '{tmp_path}/logs/'")
    cur.execute("SELECT eventname, useridentity.arn, useridentity.sessioncontext.sessionissuer.username, "
                "requestparameters, readonly, errorcode, resources[1].arn FROM cloudtrail_logs ORDER BY eventname")
    assert cur.fetchall() == [
        ("A", AUTOSCALER, "autoscaler", '{"autoScalingGroupNames":["web"],"maxRecords":100}', "true", None, None),
        ("Odd", None, None, '{"Key":1,"key":2}', "false", None, "arn:aws:s3:::b"),
    ]


def test_real_cloudtrail_delivery_files(con):
    """2,900 real events (invictus-ir dataset, plain .json delivery files)."""
    folder = TEST_DATA / "invictus-aws-dataset" / "CloudTrail"
    expected = Counter()
    for path in folder.glob("*.json"):
        for r in json.loads(path.read_text())["Records"]:
            expected[(r.get("eventSource"), r.get("errorCode"))] += 1
    cur = con.cursor()
    ddl = CLOUDTRAIL_DDL.format(location=f"{folder}/").split("PARTITIONED BY")[0]
    cur.execute(ddl + f"ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe' "
                "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat' "
                "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat' "
                f"LOCATION '{folder}/'")
    cur.execute("SELECT eventsource, errorcode, count(*) FROM cloudtrail_logs GROUP BY 1, 2")
    assert Counter({(s, e): n for s, e, n in cur.fetchall()}) == expected
    assert sum(expected.values()) == 2900


def test_cloudtrail_table_on_s3(con, tmp_path, s3):
    write_trail(tmp_path)
    s3.create_bucket(Bucket="trail-bucket")
    local_root = tmp_path / "AWSLogs"
    sizes = 0
    for path in sorted(local_root.rglob("*")):
        if path.is_file():
            key = str(path.relative_to(tmp_path))
            s3.put_object(Bucket="trail-bucket", Key=key, Body=path.read_bytes())
            if "/15/" in key and key.endswith(".json.gz") and "Digest" not in key:
                sizes += path.stat().st_size
    location = f"s3://trail-bucket/AWSLogs/{ACCOUNT}/CloudTrail/"
    cur = con.cursor()
    cur.execute(CLOUDTRAIL_DDL.format(location=location))
    add_partitions(cur, location)
    cur.execute(SEED_QUERY)
    assert cur.fetchall()[0] == ("DescribeAutoScalingGroups", AUTOSCALER, "10.0.0.7", 5)
    assert cur.data_scanned_in_bytes == sizes
    cur.execute("SELECT day, count(*) FROM cloudtrail_logs GROUP BY day ORDER BY day")
    assert cur.fetchall() == [("15", 8), ("16", 50)]


def test_missing_bucket_is_a_clear_error(con, s3):
    import parthenon
    cur = con.cursor()
    cur.execute(CLOUDTRAIL_DDL.format(location="s3://no-such-bucket/AWSLogs/").split("PARTITIONED BY")[0]
                + "ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' LOCATION 's3://no-such-bucket/AWSLogs/'")
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT count(*) FROM cloudtrail_logs")
    assert str(err.value) == "HIVE_CANNOT_OPEN_SPLIT: The specified bucket does not exist: no-such-bucket"


def test_corrupt_log_file_names_the_file(con, tmp_path):
    folder = tmp_path / "logs"
    cloudtrail_file(folder / f"{ACCOUNT}_CloudTrail_us-east-1_a.json.gz", [event("A", AUTOSCALER, "10.0.0.7")])
    broken = folder / f"{ACCOUNT}_CloudTrail_us-east-1_b.json.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 20)
    cur = con.cursor()
    cur.execute(CLOUDTRAIL_DDL.format(location=f"{folder}/").split("PARTITIONED BY")[0]
                + f"ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' LOCATION '{folder}/'")
    import parthenon
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT count(*) FROM cloudtrail_logs")
    assert str(err.value).startswith(f"HIVE_BAD_DATA: Error reading {broken}: ")


def test_files_of_unusual_shape_give_the_same_rows(con, tmp_path):
    """Records not led by eventVersion, nested objects that look like records, pretty-printing:
    every record of every file, whatever its layout."""
    folder = tmp_path / "logs"
    nested = event("Nested", AUTOSCALER, "10.0.0.7",
                   requestParameters={"items": [{"x": 1}, {"eventVersion": "fake", "y": 2}]})
    reordered = {"eventName": "Reordered", "eventVersion": "1.08", "sourceIPAddress": "10.0.0.9"}
    cloudtrail_file(folder / f"{ACCOUNT}_CloudTrail_us-east-1_a.json.gz", [nested, event("Plain", AUTOSCALER, "10.0.0.7")])
    cloudtrail_file(folder / f"{ACCOUNT}_CloudTrail_us-east-1_b.json.gz", [reordered])
    pretty = folder / f"{ACCOUNT}_CloudTrail_us-east-1_c.json"
    pretty.write_text(json.dumps({"Records": [event("Pretty", AUTOSCALER, "10.0.0.7")]}, indent=2))
    cur = con.cursor()
    cur.execute(CLOUDTRAIL_DDL.format(location=f"{folder}/").split("PARTITIONED BY")[0]
                + f"ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' LOCATION '{folder}/'")
    cur.execute("SELECT eventname, sourceipaddress, json_extract_scalar(requestparameters, '$.items[1].y') "
                "FROM cloudtrail_logs ORDER BY eventname")
    assert cur.fetchall() == [("Nested", "10.0.0.7", "2"), ("Plain", "10.0.0.7", None),
                              ("Pretty", "10.0.0.7", None), ("Reordered", "10.0.0.9", None)]


def _flat_table(cur, folder):
    cur.execute(CLOUDTRAIL_DDL.format(location=f"{folder}/").split("PARTITIONED BY")[0]
                + f"ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' LOCATION '{folder}/'"
                + " TBLPROPERTIES ('parthenon.scan_cache'='false')")


def test_many_small_files_give_every_record_once_and_count_every_byte(con, tmp_path):
    """Small files of one partition are read together (the engine's bundles): every record of
    every file once, empty and whitespace-only record lists, plain and gzip files alike, and
    Data scanned is the sum of the stored bytes of exactly the log files."""
    folder = tmp_path / "logs"
    stored = 0
    for i in range(150):
        records = [] if i % 7 == 0 else [event(f"E{i}", AUTOSCALER, f"10.0.{i}.{j}") for j in range(i % 3 + 1)]
        path = folder / (f"{ACCOUNT}_CloudTrail_us-east-1_{i:03d}.json" + ("" if i % 5 == 0 else ".gz"))
        if i % 5 == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text('{ "Records" : [ \n ] }\n' if i % 7 == 0 else json.dumps({"Records": records}, indent=1))
        else:
            cloudtrail_file(path, records)
        stored += path.stat().st_size
    cur = con.cursor()
    _flat_table(cur, folder)
    cur.execute("SELECT eventname, count(*) FROM cloudtrail_logs GROUP BY eventname")
    expected = {f"E{i}": i % 3 + 1 for i in range(150) if i % 7}
    assert dict(cur.fetchall()) == expected
    assert cur.data_scanned_in_bytes == stored


def test_malformed_record_in_one_of_many_files_names_that_file(con, tmp_path):
    folder = tmp_path / "logs"
    for i in range(5):
        cloudtrail_file(folder / f"{ACCOUNT}_CloudTrail_us-east-1_{i}.json.gz", [event(f"E{i}", AUTOSCALER, "10.0.0.7")])
    broken = folder / f"{ACCOUNT}_CloudTrail_us-east-1_3b.json"
    broken.write_text('{"Records": [{"eventName": "A"}, {"eventName": "B" oops}]}')
    cur = con.cursor()
    _flat_table(cur, folder)
    import parthenon
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT count(*) FROM cloudtrail_logs")
    assert str(err.value).startswith(f"HIVE_BAD_DATA: Error reading {broken}: ")
