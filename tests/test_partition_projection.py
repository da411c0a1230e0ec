"""Partition projection: values and locations from TBLPROPERTIES, pruned by the query's predicates,
with Athena's errors; the CloudTrail table of the Athena user guide over a generated trail."""
from __future__ import annotations

import gzip
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from parthenon.demo.generator import generate
from parthenon.partitions import dates

ACCOUNT = "123456789012"

# The Athena user guide's "Create the table for CloudTrail logs in Athena using partition
# projection", unchanged but for the location (and the range's start, which the guide asks
# users to replace with their own first day).
USER_GUIDE_DDL = """CREATE EXTERNAL TABLE cloudtrail_logs_pp(
    eventversion STRING,
    useridentity STRUCT<
        type: STRING,
        principalid: STRING,
        arn: STRING,
        accountid: STRING,
        invokedby: STRING,
        accesskeyid: STRING,
        username: STRING,
        onbehalfof: STRUCT<
             userid: STRING,
             identitystorearn: STRING>,
        sessioncontext: STRUCT<
            attributes: STRUCT<
                mfaauthenticated: STRING,
                creationdate: STRING>,
            sessionissuer: STRUCT<
                type: STRING,
                principalid: STRING,
                arn: STRING,
                accountid: STRING,
                username: STRING>,
            ec2roledelivery:string,
            webidfederationdata: STRUCT<
                federatedprovider: STRING,
                attributes: map<string,string>>
        >
    >,
    eventtime STRING,
    eventsource STRING,
    eventname STRING,
    awsregion STRING,
    sourceipaddress STRING,
    useragent STRING,
    errorcode STRING,
    errormessage STRING,
    requestparameters STRING,
    responseelements STRING,
    additionaleventdata STRING,
    requestid STRING,
    eventid STRING,
    readonly STRING,
    resources ARRAY<STRUCT<
        arn: STRING,
        accountid: STRING,
        type: STRING>>,
    eventtype STRING,
    apiversion STRING,
    recipientaccountid STRING,
    serviceeventdetails STRING,
    sharedeventid STRING,
    vpcendpointid STRING,
    vpcendpointaccountid STRING,
    eventcategory STRING,
    addendum STRUCT<
      reason:STRING,
      updatedfields:STRING,
      originalrequestid:STRING,
      originaleventid:STRING>,
    sessioncredentialfromconsole STRING,
    edgedevicedetails STRING,
    tlsdetails STRUCT<
      tlsversion:STRING,
      ciphersuite:STRING,
      clientprovidedhostheader:STRING>
  )
PARTITIONED BY (
   `timestamp` string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION
  '{base}/us-east-1'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.timestamp.format'='yyyy/MM/dd',
  'projection.timestamp.interval'='1',
  'projection.timestamp.interval.unit'='DAYS',
  'projection.timestamp.range'='2017/06/01,NOW',
  'projection.timestamp.type'='date',
  'storage.location.template'='{base}/us-east-1/${{timestamp}}')"""


@pytest.fixture(scope="module")
def trail(tmp_path_factory):
    root = tmp_path_factory.mktemp("trail")
    stats = generate(root, account=ACCOUNT, regions=("us-east-1", "us-west-2"),
                     start=date(2017, 6, 15), days=2, target_bytes=3 * 2**20, seed=11, workers=1)
    return root / "AWSLogs" / ACCOUNT / "CloudTrail", stats


def day_files(base, region, day):
    return sorted((base / region / "2017" / "06" / day).glob("*.json.gz"))


def records(files):
    return [r for f in files for r in json.loads(gzip.decompress(f.read_bytes()))["Records"]]


def run(con, sql):
    cur = con.cursor()
    cur.execute(sql)
    return cur, cur.fetchall()


def test_user_guide_cloudtrail_table_with_projection(con, trail):
    base, stats = trail
    run(con, USER_GUIDE_DDL.format(base=base))
    # Registered partitions are ignored once projection is enabled.
    run(con, f"ALTER TABLE cloudtrail_logs_pp ADD PARTITION (`timestamp`='2017/06/15') "
             f"LOCATION '{base}/us-west-2/2017/06/15/'")
    files = day_files(base, "us-east-1", "15")
    cur, rows = run(con, "SELECT eventid, eventname, \"timestamp\" FROM cloudtrail_logs_pp "
                         "WHERE \"timestamp\" = '2017/06/15' ORDER BY eventid")
    assert rows == sorted((r["eventID"], r["eventName"], "2017/06/15") for r in records(files))
    assert cur.data_scanned_in_bytes == sum(f.stat().st_size for f in files)

    cur, rows = run(con, """SELECT eventname, useridentity.arn, sourceipaddress, count(*) AS count
        FROM cloudtrail_logs_pp
        WHERE errorcode = 'RequestLimitExceeded' AND timestamp = '2017/06/16'
        GROUP BY eventname, useridentity.arn, sourceipaddress
        ORDER BY count DESC, eventname LIMIT 5""")
    assert rows == [tuple(r) for r in stats.top_throttled("us-east-1", ("2017", "06", "16"), 5)]

    both = day_files(base, "us-east-1", "15") + day_files(base, "us-east-1", "16")
    for where in ("\"timestamp\" BETWEEN '2017/06/15' AND '2017/06/16'", "\"timestamp\" >= '2017/06/14'",
                  "\"timestamp\" LIKE '2017/06/1%'", "1 = 1"):
        cur, rows = run(con, f"SELECT count(*) FROM cloudtrail_logs_pp WHERE {where}")
        assert rows == [(len(records(both)),)], where
        assert cur.data_scanned_in_bytes == sum(f.stat().st_size for f in both)
    # Out of range, or in range with no data: no rows, nothing read, no error.
    for day in ("2016/06/15", "2017/06/17", "2017/6/15", "not a date"):
        cur, rows = run(con, f"SELECT count(*) FROM cloudtrail_logs_pp WHERE timestamp = '{day}'")
        assert (rows, cur.data_scanned_in_bytes) == ([(0,)], 0), day


def test_region_and_day_projection_over_the_whole_trail(con, trail):
    base, stats = trail
    run(con, f"""CREATE EXTERNAL TABLE ct (eventid string, eventname string, awsregion string)
        PARTITIONED BY (region string, day string)
        ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde'
        STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
        OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
        LOCATION '{base}/'
        TBLPROPERTIES ('projection.enabled'='TRUE',
          'projection.region.type'=' Enum ', 'projection.region.values'='us-east-1,us-west-2,eu-west-1',
          'projection.day.type'='date', 'projection.day.format'='yyyy/MM/dd',
          'projection.day.range'='NOW-10YEARS,NOW',
          'storage.location.template'='{base}/${{region}}/${{day}}/')""")
    cur, rows = run(con, "SELECT region, day, awsregion, count(*) FROM ct "
                         "WHERE day IN ('2017/06/15', '2017/06/16') GROUP BY 1, 2, 3 ORDER BY 1, 2")
    expected = []
    for region in ("us-east-1", "us-west-2"):
        for day in ("15", "16"):
            expected.append((region, f"2017/06/{day}", region, len(records(day_files(base, region, day)))))
    assert rows == expected
    assert sum(r[3] for r in rows) == stats.records
    assert cur.data_scanned_in_bytes == stats.compressed_bytes
    cur, rows = run(con, "SELECT count(*) FROM ct WHERE region = 'us-west-2' AND day = '2017/06/16'")
    assert rows == [(len(records(day_files(base, "us-west-2", "16"))),)]
    assert cur.data_scanned_in_bytes == sum(f.stat().st_size for f in day_files(base, "us-west-2", "16"))


def test_integer_enum_and_the_default_location(con, tmp_path):
    for hour in (1, 2, 3, 12):
        folder = tmp_path / "t" / "source=web" / f"hour={hour:02d}"
        folder.mkdir(parents=True)
        (folder / "x.json").write_text(json.dumps({"n": hour}) + "\n")
    run(con, f"""CREATE EXTERNAL TABLE hourly (n int) PARTITIONED BY (source string, hour int)
        ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{tmp_path}/t'
        TBLPROPERTIES ('projection.enabled'='true',
          'projection.source.type'='enum', 'projection.source.values'='web,app',
          'projection.hour.type'='integer', 'projection.hour.range'='0,23', 'projection.hour.digits'='2')""")
    assert run(con, "SELECT n, source, hour FROM hourly WHERE hour BETWEEN 2 AND 12 ORDER BY n")[1] == [
        (2, "web", 2), (3, "web", 3), (12, "web", 12)]
    assert run(con, "SELECT n FROM hourly WHERE hour = 1 OR hour = 3 ORDER BY n")[1] == [(1,), (3,)]
    assert run(con, "SELECT count(*) FROM hourly WHERE hour = 24")[1] == [(0,)]
    assert run(con, "SELECT count(*) FROM hourly WHERE source = 'app'")[1] == [(0,)]
    assert run(con, "SELECT count(*) FROM hourly")[1] == [(4,)]


def test_injected_columns_need_an_equality(con, tmp_path):
    for device in ("a1", "b2"):
        folder = tmp_path / "d" / device
        folder.mkdir(parents=True)
        (folder / "x.json").write_text(json.dumps({"v": device}) + "\n")
    run(con, f"""CREATE EXTERNAL TABLE devices (v string) PARTITIONED BY (device string)
        ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{tmp_path}/d'
        TBLPROPERTIES ('projection.enabled'='true', 'projection.device.type'='injected',
          'storage.location.template'='{tmp_path}/d/${{device}}')""")
    assert run(con, "SELECT v, device FROM devices WHERE device = 'b2'")[1] == [("b2", "b2")]
    assert run(con, "SELECT v FROM devices WHERE device IN ('a1', 'b2', 'zz') ORDER BY v")[1] == [
        ("a1",), ("b2",)]
    for where in ("", " WHERE device LIKE 'a%'", " WHERE v = 'a1'"):
        with pytest.raises(Exception) as info:
            run(con, f"SELECT v FROM devices{where}")
        assert str(info.value) == ("CONSTRAINT_VIOLATION: Injected projected partition column device "
                                   "must have only (and at least one) equality conditions in the WHERE clause!")


def test_configuration_errors(con, tmp_path):
    run(con, f"""CREATE EXTERNAL TABLE half (v string) PARTITIONED BY (a string, b string)
        ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{tmp_path}'
        TBLPROPERTIES ('projection.enabled'='true', 'projection.a.type'='enum', 'projection.a.values'='x')""")
    with pytest.raises(Exception) as info:
        run(con, "SELECT * FROM half")
    assert str(info.value) == ("HIVE_METASTORE_ERROR: Table default.half is configured for partition "
                               "projection, but the following partition columns are missing projection "
                               "configuration: [b]")
    run(con, f"""CREATE EXTERNAL TABLE minutes (v string) PARTITIONED BY (m string)
        ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{tmp_path}'
        TBLPROPERTIES ('projection.enabled'='true', 'projection.m.type'='date',
          'projection.m.format'='yyyy-MM-dd HH:mm', 'projection.m.range'='NOW-3YEARS,NOW',
          'projection.m.interval'='1', 'projection.m.interval.unit'='MINUTES')""")
    with pytest.raises(Exception) as info:
        run(con, "SELECT * FROM minutes")
    assert str(info.value) == ("HIVE_EXCEEDED_PARTITION_LIMIT: Query over table 'default.minutes' can "
                               "potentially read more than 1000000 partitions")
    now = datetime.now(timezone.utc)
    recent = (now - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")
    assert run(con, f"SELECT count(*) FROM minutes WHERE m = '{recent}'")[1] == [(0,)]
    run(con, f"""CREATE EXTERNAL TABLE hours (v string) PARTITIONED BY (h string)
        ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{tmp_path}'
        TBLPROPERTIES ('projection.enabled'='true', 'projection.h.type'='date',
          'projection.h.format'='yyyy-MM-dd-HH', 'projection.h.range'='2020-01-01-00,NOW')""")
    with pytest.raises(Exception) as info:
        run(con, "SELECT * FROM hours WHERE h = '2020-01-01-05'")
    assert str(info.value) == ("INVALID_TABLE_PROPERTY: Column projection for column 'h' failed. "
                               "Property: 'projection.h.interval.unit' needs to be set when the format "
                               "is less than single-day precision")


def test_date_typed_partition_column_and_months(con, tmp_path):
    for month in ("2023-11", "2024-01", "2024-02"):
        folder = tmp_path / "m" / month
        folder.mkdir(parents=True)
        (folder / "x.json").write_text(json.dumps({"v": month}) + "\n")
    run(con, f"""CREATE EXTERNAL TABLE monthly (v string) PARTITIONED BY (month date)
        ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{tmp_path}/m'
        TBLPROPERTIES ('projection.enabled'='true', 'projection.month.type'='date',
          'projection.month.format'='yyyy-MM', 'projection.month.range'='2023-01,2024-12',
          'storage.location.template'='{tmp_path}/m/${{month}}/')""")
    cur, rows = run(con, "SELECT v, month FROM monthly WHERE month >= DATE '2023-12-01' ORDER BY v")
    assert rows == [("2024-01", date(2024, 1, 1)), ("2024-02", date(2024, 2, 1))]
    assert [d[1] for d in cur.description] == ["varchar", "date"]


def test_java_date_formats():
    when = datetime(2024, 3, 7, 15, 4, 5, 123000)
    for pattern, text in [("yyyy/MM/dd", "2024/03/07"), ("yyyy-MM-dd-HH", "2024-03-07-15"),
                          ("yyyyMMdd'T'HHmmss.SSS", "20240307T150405.123"), ("d MMM yy", "7 Mar 24"),
                          ("MMMM d, yyyy h a", "March 7, 2024 3 PM"), ("'year='yyyy", "year=2024")]:
        fmt = dates.JavaDateFormat(pattern)
        assert fmt.format(when) == text, pattern
        parsed = fmt.parse(text)
        assert parsed is not None and fmt.format(parsed) == text, pattern
    assert dates.JavaDateFormat("yyyy/MM/dd").parse("2024/3/07") is None
    assert dates.count_steps(datetime(2024, 1, 31), datetime(2024, 4, 29), 1, "MONTHS") == 3
    assert dates.step(datetime(2024, 1, 31), 1, "MONTHS") == datetime(2024, 2, 29)
    assert dates.index_of(datetime(2024, 1, 1), datetime(2024, 1, 15), 7, "DAYS") == 2
    assert dates.index_of(datetime(2024, 1, 1), datetime(2024, 1, 16), 7, "DAYS") is None
