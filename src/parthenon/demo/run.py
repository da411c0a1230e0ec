"""`parthenon demo`: the CloudTrail story on generated logs, from nothing to the culprit.

Writes a day-partitioned CloudTrail trail with a planted culprit, creates the
table and its partitions with the usual Athena DDL, and runs the query that
finds who is burning the API rate limit, printing each step as the user
would type it.
"""
from __future__ import annotations

import time
from pathlib import Path

from ..output import footer, render_table
from ..session import Session
from .generator import generate

DDL = """CREATE EXTERNAL TABLE IF NOT EXISTS cloudtrail_logs (
  eventversion STRING,
  useridentity STRUCT<type:STRING, principalid:STRING, arn:STRING, accountid:STRING,
    invokedby:STRING, accesskeyid:STRING, username:STRING,
    sessioncontext:STRUCT<attributes:STRUCT<mfaauthenticated:STRING, creationdate:STRING>,
      sessionissuer:STRUCT<type:STRING, principalid:STRING, arn:STRING, accountid:STRING, username:STRING>>>,
  eventtime STRING, eventsource STRING, eventname STRING, awsregion STRING,
  sourceipaddress STRING, useragent STRING, errorcode STRING, errormessage STRING,
  requestparameters STRING, responseelements STRING, additionaleventdata STRING,
  requestid STRING, eventid STRING,
  resources ARRAY<STRUCT<arn:STRING, accountid:STRING, type:STRING>>,
  eventtype STRING, apiversion STRING, readonly STRING, recipientaccountid STRING,
  serviceeventdetails STRING, sharedeventid STRING, vpcendpointid STRING)
PARTITIONED BY (region STRING, year STRING, month STRING, day STRING)
ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '{location}'"""

QUERY = """SELECT eventname, useridentity.arn, sourceipaddress, count(*) AS count
FROM cloudtrail_logs
WHERE errorcode = 'RequestLimitExceeded'
  AND region = '{region}' AND year = '{year}' AND month = '{month}' AND day = '{day}'
GROUP BY eventname, useridentity.arn, sourceipaddress
ORDER BY count DESC
LIMIT 20"""

ACCOUNT = "123456789012"


def run_demo(folder: Path, size_mb: int = 64) -> int:
    folder = folder.resolve()
    started = time.perf_counter()
    stats = generate(folder, account=ACCOUNT, target_bytes=size_mb * 2**20)
    print(f"Wrote {stats.files} CloudTrail log files ({stats.records:,} events, "
          f"{stats.uncompressed_bytes / 2**20:.0f} MB of JSON, {stats.compressed_bytes / 2**20:.1f} MB gzip) "
          f"under {folder}/AWSLogs in {time.perf_counter() - started:.1f} s\n")
    location = f"{folder}/AWSLogs/{ACCOUNT}/CloudTrail/"
    session = Session(home=folder / ".parthenon")
    try:
        session.execute("DROP TABLE IF EXISTS cloudtrail_logs")
        ddl = DDL.format(location=location)
        show(session, ddl)
        clauses = "\n".join(
            f"  PARTITION (region='{region}', year='{y}', month='{m}', day='{d}')\n    LOCATION '{path}/'"
            for region, y, m, d, path in stats.partitions)
        show(session, f"ALTER TABLE cloudtrail_logs ADD IF NOT EXISTS\n{clauses}")
        region, y, m, d, _ = stats.partitions[0]
        show(session, QUERY.format(region=region, year=y, month=m, day=d))
    finally:
        session.close()
    print(f"\nThe culprit: {stats.culprit_arn} from {stats.culprit_ip}.")
    print(f"Try it yourself: PARTHENON_HOME={folder}/.parthenon parthenon shell")
    return 0


def show(session: Session, sql: str) -> None:
    print(sql + ";")
    started = time.perf_counter()
    result = session.execute(sql)
    print(render_table(result))
    print(footer(result, time.perf_counter() - started) + "\n")
