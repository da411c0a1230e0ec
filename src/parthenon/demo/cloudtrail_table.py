"""The CloudTrail table and the seed query, as Athena users type them (demo, bench, tests)."""
from __future__ import annotations

CLOUDTRAIL_DDL = """CREATE EXTERNAL TABLE cloudtrail_logs (
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

# "Who is burning our API rate limit?"; {predicates} takes e.g. day_predicates(...)
SEED_QUERY = """SELECT eventname, useridentity.arn, sourceipaddress, count(*) AS count
FROM cloudtrail_logs
WHERE errorcode = 'RequestLimitExceeded'{predicates}
GROUP BY eventname, useridentity.arn, sourceipaddress
ORDER BY count DESC
LIMIT 20"""


def day_predicates(region: str, year: str, month: str, day: str) -> str:
    return (f"\n  AND region = '{region}' AND year = '{year}' AND month = '{month}'"
            f" AND day = '{day}'")


def create_trail_table(cursor, location: str, partitions) -> None:
    """CREATE the table over `location` and ADD PARTITION each (region, year, month, day,
    folder) of `partitions`, as a user would (the benchmarks' set-up)."""
    cursor.execute(CLOUDTRAIL_DDL.format(location=location))
    for region, year, month, day, folder in partitions:
        cursor.execute(f"ALTER TABLE cloudtrail_logs ADD PARTITION (region = '{region}', "
                       f"year = '{year}', month = '{month}', day = '{day}') LOCATION '{folder}/'")
