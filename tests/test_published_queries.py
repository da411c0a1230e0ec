"""Published Athena queries, verbatim, over real logs: do they run as they run on Athena?

tests/corpus/published_queries.yaml holds queries copied unchanged from the Amazon Athena
User Guide, the Amazon S3 User Guide and AWS's incident-response playbooks, each with its
source.  Each runs through the DB-API against the table its log type gets here: the DDL that
AWS publishes for it (tests/corpus/ddl, only LOCATION changed) over the real lines of
tests/corpus and tests/data.  A query's table name is mapped to ours (RENAMES); nothing else
in a query is changed, so placeholders such as 'START_TIME' stay and simply match nothing.

A query Athena itself refuses on these tables (a column the published DDL does not have, a
field of a varchar) carries Athena's error in `error:`.  EXPECTED holds the exact rows of the
queries whose answer can be read off the log lines; they were written by hand from the data
(see the comment at each), not copied from Parthenon's output.
"""
from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

import parthenon

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
TRAIL = HERE / "data" / "invictus-aws-dataset" / "CloudTrail"
QUERIES = yaml.safe_load((CORPUS / "published_queries.yaml").read_text())

# A query's table name -> the table created here for its log type.
RENAMES = {
    "alb": {"alb_logs": "alb_access_logs"},
    "cloudfront": {"cloudfront_logs": "cloudfront_standard_logs"},
    "cloudtrail": {
        "s3_cloudtrail_events_db.cloudtrail_myawsexamplebucket1_table_partitioned": "cloudtrail_logs",
        "s3_cloudtrail_events_db.cloudtrail_myawsexamplebucket1_table": "cloudtrail_logs",
        "s3_cloudtrail_events_db.cloudtrail_myawsexamplebucket_table": "cloudtrail_logs"},
    "s3": {"s3_access_logs_db.mybucket_logs": "s3_access_logs_db.mybucket_logs",
           "s3_access_logs_db": "s3_access_logs_db.mybucket_logs",
           "s3_access_logs": "s3_access_logs_db.mybucket_logs"},
    "elb": {"sampledb.elb_logs": "elb_logs"},
}


def ddl(name: str, location: str, template: str | None = None) -> str:
    """The published DDL with its LOCATION (and projection template) pointed at `location`."""
    text = (CORPUS / "ddl" / f"{name}.sql").read_text()
    text, count = re.subn(r"LOCATION\s+'[^']*'", lambda m: f"LOCATION '{location}'", text)
    assert count == 1
    if template is not None:
        text, count = re.subn(r"""(["']storage\.location\.template["']\s*=\s*)["'][^"']*["']""",
                              lambda m: f"{m.group(1)}'{template}'", text)
        assert count == 1
    return text


EMPTY = {"r53": "r53_rlogs", "anf": "anf_logs", "guardduty": "gd_logs", "aga": "aga_flow_logs"}


def create_tables(cur, log: str, tmp: Path) -> None:
    if log == "cloudtrail":
        # The guide's manual-partitioning table; the 2,900 events are one day of one region.
        cur.execute(ddl("cloudtrail_logs", f"{tmp}/AWSLogs/"))
        cur.execute(f"ALTER TABLE cloudtrail_logs ADD PARTITION (region='us-east-1', year='2023', "
                    f"month='07', day='10') LOCATION '{TRAIL}/'")
    elif log == "vpc":
        cur.execute(ddl("vpc_flow_logs", f"{CORPUS / 'vpc'}/"))
        cur.execute(f"ALTER TABLE vpc_flow_logs ADD PARTITION (`date`='2022-12-01') LOCATION '{CORPUS / 'vpc'}/'")
        # The guide's partition-projection table: the file where its template puts 2022/12/01.
        day = tmp / "vpcflowlogs" / "us-east-1" / "2022" / "12" / "01"
        day.mkdir(parents=True)
        shutil.copy(CORPUS / "vpc" / "vpcflowlog.log.gz", day)
        cur.execute(ddl("vpc_flow_logs_pp", f"{tmp}/vpcflowlogs/",
                        f"{tmp}/vpcflowlogs/${{region}}/${{day}}"))
    elif log == "vpcflow":
        # AWS Security Analytics Bootstrap's table (partition projection over account, region
        # and day) with its TODO placeholders filled in: the first day of the logs, the account.
        # The VPC User Guide's default-format example records are one day of us-east-1, the
        # three real records of vpcflowlog.log.gz the next day.
        base = tmp / "AWSLogs" / "111122223333" / "vpcflowlogs" / "us-east-1" / "2020" / "07"
        for day, path in (("15", CORPUS / "vpc_guide" / "vpcflow-records-examples.log"),
                          ("16", CORPUS / "vpc" / "vpcflowlog.log.gz")):
            (base / day).mkdir(parents=True)
            shutil.copy(path, base / day)
        text = ddl("vpcflow", f"{tmp}/AWSLogs/",
                   f"{tmp}/AWSLogs/${{account_partition}}/vpcflowlogs/${{region_partition}}/${{date_partition}}")
        text = text.replace('"<YYYY>/<MM>/<DD>,NOW"', '"2020/07/01,NOW"')
        cur.execute(text.replace('"<account_num_1>,<account_num_2>,..."', '"111122223333"'))
    elif log == "waf":
        # The guide's partition-projection table: each file under the day of its records.
        for name, day in (("waflog.log.gz", "2023/08/31"), ("waf_log.json", "2018/08/08")):
            folder = tmp / "WAFLogs" / "us-east-1" / "webACL" / day
            folder.mkdir(parents=True)
            shutil.copy(CORPUS / "waf" / name, folder)
        cur.execute(ddl("waf_logs_pp", f"{tmp}/WAFLogs/",
                        f"{tmp}/WAFLogs/${{region}}/webACL/${{date}}/"))
    elif log == "s3":
        cur.execute("CREATE DATABASE s3_access_logs_db")
        cur.execute(ddl("s3_access_logs", f"{CORPUS / 's3'}/"))
    elif log == "emr":
        # No EMR log is in the corpus: the tables are empty, the queries must still run.
        cur.execute(ddl("myemrlogs", f"{tmp}/emr/"))
        cur.execute(ddl("mypartitionedemrlogs", f"{tmp}/emr/"))
        for logtype in ("containers", "hadoop-mapreduce", "node"):
            (tmp / "emr" / logtype).mkdir(parents=True)
            cur.execute(f"ALTER TABLE mypartitionedemrlogs ADD PARTITION (logtype='{logtype}') "
                        f"LOCATION '{tmp}/emr/{logtype}/'")
    elif log == "iis":
        # The sample lines printed in the guide's IIS page, one folder per format.
        for table, folder in (("iis_w3c_logs", "w3c"), ("iis_format_logs", "iis_format"),
                              ("iis_ncsa_logs", "ncsa")):
            cur.execute(ddl(table, f"{CORPUS / 'iis' / folder}/"))
    elif log == "s3inventory":
        # The S3 User Guide's CSV inventory table (symlink manifests, projected daily dates)
        # over two daily reports (tests/corpus/s3_inventory, as S3 delivers them to the
        # destination bucket); the manifests' s3:// URLs become the local copy's paths.
        config = copy_inventory(tmp)
        cur.execute(ddl("s3_inventory_csv", f"{config}/hive/"))
    elif log in EMPTY:
        # Log types with no sample in the corpus: the published table over an empty folder.
        (tmp / log).mkdir()
        cur.execute(ddl(EMPTY[log], f"{tmp / log}/"))
    elif log != "none":
        table, folder = {"alb": ("alb_access_logs", "alb"), "elb": ("elb_logs", "elb"),
                         "apache": ("apache_logs", "apache"),
                         "nlb": ("nlb_tls_logs", "nlb"),
                         "cloudfront": ("cloudfront_standard_logs", "cloudfront")}[log]
        cur.execute(ddl(table, f"{CORPUS / folder}/"))


INVENTORY = CORPUS / "s3_inventory"
INVENTORY_BUCKET = "amzn-s3-demo-destination-bucket"
INVENTORY_CONFIG = "inventory/amzn-s3-demo-source-bucket/daily-csv"


def copy_inventory(tmp: Path) -> Path:
    """The corpus's S3 Inventory reports copied under `tmp`, their symlink.txt manifests
    naming the copied data files by local path; returns the copy's config-ID folder."""
    shutil.copytree(INVENTORY, tmp / "inventory-bucket")
    for manifest in (tmp / "inventory-bucket").rglob("symlink.txt"):
        manifest.write_text(manifest.read_text().replace(f"s3://{INVENTORY_BUCKET}/",
                                                         f"{tmp}/inventory-bucket/"))
    return tmp / "inventory-bucket" / INVENTORY_CONFIG


def our_sql(entry: dict) -> str:
    sql = entry["sql"]
    names = RENAMES.get(entry["log"], {})
    if names:
        pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        sql = re.sub(rf"(?<![\w.])({pattern})(?![\w.])", lambda m: names[m.group(1)], sql)
    return sql


NLB_CERT = "arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99"
NLB_COMMON = ("net/my-network-loadbalancer/c6e77e28c25b2234", "g3d4b5e8bb8464cd", "72.21.218.154", 51341,
              "172.100.100.185", 443, 5.0, 2.0, 98, 246, None, NLB_CERT, "-", "ECDHE-RSA-AES128-SHA", "tlsv12",
              "-", "my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com")
WAF_HEADERS = [("Host", "test-alb.ap-southeast-2.elb.amazonaws.com"),
               ("x-lb", "test-alb.ap-southeast-2.elb.amazonaws.com_127.0.0.1_52235"), ("accept", "*/*"),
               ("user-agent", "curl/8.1.2"), ("cache-control", "no-cache"), ("Connection", "Keep-Alive")]


RDS_ROLE = "arn:aws:iam::123837392027:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS"


def deleted(time: str, bucket: str) -> tuple:
    return ("us-east-1", bucket, time, "bert-jan", "123837392027")


# Exact answers, read off the log lines (tests/corpus/SOURCES.md says which file is which),
# compared as multisets (ties under ORDER BY come in any order).
EXPECTED: dict[str, list[tuple]] = {
    # ALB: the two Chrome lines of albaccesslog.log.gz come from 12.34.178.90.32, the h2 line
    # (loadbalancer_http2_entry_auth_error.csv) from 192.168.131.39; the old short line is a
    # row of NULLs (COUNT of NULL verbs is 0).  Status codes 301, 404, 401: none >= 500; no
    # time on 2018-05-30.
    "athena-ug/application-load-balancer-logs/1": [
        (2, "GET", "12.34.178.90.32"), (1, "GET", "192.168.131.39"), (0, None, None)],
    "athena-ug/application-load-balancer-logs/2": [
        ("http://5.334.234.101:80/",), ("https://5.334.234.101:443/",)],
    "athena-ug/application-load-balancer-logs/3": [],
    "athena-ug/application-load-balancer-logs/4": [],
    # Classic ELB: one line, backend 10.0.0.1 answered 200 in 0.001048 s.
    "athena-ug/elasticloadbalancer-classic-logs/1": [],
    "athena-ug/elasticloadbalancer-classic-logs/2": [(0.001048, "my-loadbalancer", "10.0.0.1")],
    # NLB: two TLS 1.2 connections from 72.21.218.154 with one certificate, in 2018 and 2020.
    "athena-ug/networkloadbalancer-classic-logs/1": [(2, NLB_CERT)],
    "athena-ug/networkloadbalancer-classic-logs/2": [("tlsv12", 2, "72.21.218.154")],
    "athena-ug/networkloadbalancer-classic-logs/3": [
        ("tls", "2.0", "2018-12-20T02:59:40", *NLB_COMMON, "-", "-", "-", "2018-12-20T02:59:30"),
        ("tls", "2.0", "2020-04-01T08:51:42", *NLB_COMMON, "h2", "h2", '"h2","http/1.1"', "2020-04-01T08:51:20")],
    "athena-ug/networkloadbalancer-classic-logs/4": [],
    # VPC: three ACCEPT records of 2022-12-01, none to port 443 in the last week.
    "athena-ug/vpc-flow-logs/2": [],
    "athena-ug/vpc-flow-logs/3": [],
    # WAF (projection table): the 2023-08-31 record (1693457862729 ms) is the only one in range.
    "athena-ug/waf-logs/5": [(
        "2023-08-31T04:57:42.000Z", "ALB", "944071908078-app/test-alb/6a1939d39ac9ef3c",
        {"clientip": "127.0.0.1", "country": "AU",
         "headers": [{"name": n, "value": v} for n, v in WAF_HEADERS], "uri": "/", "args": "",
         "httpversion": "HTTP/1.1", "httpmethod": "GET", "requestid": "1-64f01dc6-7d2deb5d54820c4d7284912a"})],
    "athena-ug/waf-logs/12": [],
    # S3 Inventory (tests/corpus/s3_inventory): the daily reports of 2024-05-01 and
    # 2024-05-02 have manifests (hive/dt=.../symlink.txt); the placeholders 'YYYY-MM-DD-HH-MM'
    # name no projected date, and no date is both above and below one.
    "s3-ug/storage-inventory-athena-query/1": [("2024-05-02-00-00",), ("2024-05-01-00-00",)],
    "s3-ug/storage-inventory-athena-query/2": [],
    "s3-ug/storage-inventory-athena-query/3": [],
    # S3 access logs: no request from 1.2.3.4, so the sums are one row of NULLs.
    "s3-ug/using-s3-access-logs-to-identify-requests/4": [(None, None, None)],
    # S3 access logs, GROUP BY requester, Sigv: 6 anonymous lines ('-', '-'), the aws-cli HEAD
    # (SigV4) and the 4 lines the regex does not match (NULLs, counted 0).
    "s3-ug/using-s3-access-logs-to-identify-requests/5": [
        ("-", "-", 6), ("arn:aws:sts::11111111111:assumed-role/some_existing_aws_role", "SigV4", 1),
        (None, None, 0)],
    # CloudTrail (invictus-ir): sorted by source and name, the first ten events with a session
    # issuer are the RDS service role's two ENI calls, then 8 of the 15 identical
    # DescribeInstanceAttribute calls of stratus-red-team-get-usr-data-role.
    "athena-ug/cloudtrail-logs/1": [
        ("ec2.amazonaws.com", "CreateNetworkInterface", "2023-07-10T12:16:15Z", RDS_ROLE),
        ("ec2.amazonaws.com", "DeleteNetworkInterface", "2023-07-10T12:32:00Z", RDS_ROLE),
        *[("ec2.amazonaws.com", "DescribeInstanceAttribute", "2023-07-10T12:02:54Z",
           "arn:aws:iam::123837392027:role/stratus-red-team-get-usr-data-role")] * 8],
    # The eight DeleteBucket events of the Stratus Red Team run; every S3 event's
    # SignatureVersion is SigV4.
    "athena-ug/cloudtrail-logs/2": [],
    "athena-ug/cloudtrail-logs/3": [
        deleted("2023-07-10T12:08:05Z", "stratus-red-team-ctes-bucket-qyxyekjbtk"),
        deleted("2023-07-10T12:08:05Z", "stratus-red-team-ctlr-bucket-zqfsvooxqj"),
        deleted("2023-07-10T12:08:06Z", "stratus-red-team-ctes-bucket-qyxyekjbtk"),
        deleted("2023-07-10T12:08:09Z", "stratus-red-team-ctlr-bucket-zqfsvooxqj"),
        deleted("2023-07-10T12:08:10Z", "stratus-red-team-ctlr-bucket-zqfsvooxqj"),
        deleted("2023-07-10T12:28:37Z", "stratus-red-team-bdbp-lhfzvgcamn"),
        deleted("2023-07-10T12:28:38Z", "stratus-red-team-olc-bucket-xhfgzaowxc"),
        deleted("2023-07-10T12:28:40Z", "stratus-red-team-backdoor-f-bucket-ufamgrrnmw")],
    "s3-ug/cloudtrail-request-identification/2": [],
    "s3-ug/cloudtrail-request-identification/3": [],
}


LA, NEWFOUNDLAND = ZoneInfo("America/Los_Angeles"), ZoneInfo("Canada/Newfoundland")

# The guide's array, map, row and JSON pages: self-contained queries, their answers the
# result tables the pages print (maps as their (key, value) pairs in the order written,
# rows as dicts of their fields, JSON as its text).
GUIDE = {
    "accessing-array-elements/1": [('{"a1":1,"a2":2,"a3":3}',)],
    "accessing-array-elements/2": [("hello", "amazon", "athena")],
    "arrays-and-aggregation/1": [([1, 2, 3, 4], 10), ([5, 6, 7, 8], 26), ([9, 0], 9)],
    "arrays-and-aggregation/2": [([1, 2, 3, 4], 10), ([5, 6, 7, 8], 26), ([9, 0], 9)],
    "concatenating-strings-and-arrays/1": [("This is a test.",)],
    "concatenating-strings-and-arrays/2": [("This is a test.",)],
    "concatenating-strings-and-arrays/3": [("This is a test.",)],
    "concatenating-strings-and-arrays/4": [([[4, 5], [1, 2], [3, 4]],)],
    "concatenating-strings-and-arrays/5": [(["Hello", "Amazon", "Athena", "Hi", "Alexa"],)],
    "converting-array-data-types/1": [(["4", "5"],)],
    "converting-array-data-types/2": [(['{"a1":1,"a2":2,"a3":3}', '{"b1":4,"b2":5,"b3":6}'],)],
    "converting-arrays-to-strings/1": [("hello amazon athena",)],
    "creating-arrays-from-subqueries/1": [([1, 2, 3, 4, 5],)],
    "creating-arrays-from-subqueries/2": [([1, 2, 3, 4, 5],)],
    "creating-arrays/1": [([1, 2, 3, 4],)],
    "creating-arrays/2": [([[1, 2], [3, 4]],)],
    "creating-arrays/3": [([1, 2, 3],)],
    "creating-arrays/4": [([["hello", "amazon", "athena"], ["hi", "alexa"]],)],
    "creating-arrays/5": [([[("first", "Bob"), ("last", "Smith"), ("age", "40")],
                            [("first", "Jane"), ("last", "Doe"), ("age", "30")],
                            [("first", "Billy"), ("last", "Smith"), ("age", "8")]],)],
    "filtering-arrays/1": [([4, 5],)],
    "filtering-arrays/2": [([1, 2, 3, 4],)],
    "filtering-arrays/3": [([1, 5],)],
    "filtering-arrays/4": [([-1, 10],)],
    "finding-lengths/1": [(4,)],
    "flattening-arrays/1": [([1, 2, 3, 4],)],
    "flattening-arrays/2": [("engineering", n) for n in ("Sharon", "John", "Bob", "Sally")],
    "flattening-arrays/3": [("Bob", "Smith", "engineering"), ("Jane", "Doe", "engineering"),
                            ("Billy", "Smith", "engineering")],
    "flattening-arrays/4": [("Amy", "devops", 54)],
    "flattening-arrays/5": [("Amy", 15)],
    "maps/1": [([("first", "Bob"), ("last", "Smith"), ("age", "35")],)],
    "maps/2": [("Bob",)],
    "rows-and-structs/1": [({"_0": "Bob", "_1": 38},)],
    "rows-and-structs/2": [({"name": "Bob", "age": 38},)],
    "rows-and-structs/4": [([{"name": "Bob", "age": 38}, {"name": "Alice", "age": 35},
                             {"name": "Jane", "age": 27}],)],
    "rows-and-structs/5": [({"hostname": "aws.amazon.com", "flaggedActivity": {"isNew": True}},)],
    "rows-and-structs/6": [("aws.amazon.com", True)],
    "rows-and-structs/7": [("aws.amazon.com", True)],
    "rows-and-structs/8": [("aws.amazon.com",), ("news.cnn.com",)],
    "rows-and-structs/9": [("news.cnn.com", ["politics"], 241), ("aws.amazon.com", ["bigdata"], 10)],
    "sorting-arrays/1": [([1, 2, 3, 4, 5, 6],)],
    "searching-for-values/1": [("Susan Smith",), ("Jane Smith",)],
    "searching-for-values/2": [("Susan Smith", 2), ("Jane Smith", 1)],
    "extracting-data-from-JSON/1": [(
        '"Susan Smith"', '[{"name":"project1","completed":false},{"name":"project2","completed":true}]')],
    "extracting-data-from-JSON/2": [("Susan Smith", None)],
    "extracting-data-from-JSON/3": [('{"name":"project1","completed":false}',)],
    "extracting-data-from-JSON/4": [("project1",)],
    "parsing-JSON/1": [('"HELLO ATHENA"', "12345", '{"a":1,"b":2}')],
    "parsing-JSON/2": [("HELLO ATHENA", 12345, [("a", 1), ("b", 2)])],
    "length-and-size/1": [("Susan Smith", 2), ("Bob Smith", 1), ("Jane Smith", 1)],
    "length-and-size/2": [("Susan Smith", 2), ("Bob Smith", 1), ("Jane Smith", 1)],
    "select/8": [("O'Reilly",)],
    # athena-supported-time-zones: the wall clocks the page prints (Newfoundland is UTC-2:30
    # in August); engine-versions-reference-0003: the answers its comments give, the rest
    # read off the VALUES (GROUPS frames over the peer groups {NULL, NULL} {1} {2, 2} {3, 3, 3}).
    "athena-supported-time-zones/1": [(datetime.datetime(2012, 10, 30, 18, 0, tzinfo=LA),)],
    "athena-supported-time-zones/2": [(datetime.datetime(2021, 8, 21, 21, 30, tzinfo=NEWFOUNDLAND),)],
    "athena-supported-time-zones/3": [(-2,)],
    "athena-supported-time-zones/4": [(-30,)],
    "athena-supported-time-zones/5": [(datetime.datetime(2021, 8, 22, 4, 0, tzinfo=NEWFOUNDLAND),)],
    "engine-versions-reference-0003/1": [("a,b,c",)],
    "engine-versions-reference-0003/2": [(True,)],
    "engine-versions-reference-0003/4": [("123K",)],
    "engine-versions-reference-0003/5": [("1M",)],
    "engine-versions-reference-0003/6": [(8,)],
    "engine-versions-reference-0003/7": [(35,)],
    # the guide prints no answer: Trino's SetDigest bytes (sparse HyperLogLog of 3 entries, 3
    # MinHash hashes of count 1) as sql/trino/set_digests writes them from airlift's format
    "engine-versions-reference-0003/13": [(bytes.fromhex(
        "01 10 00 00 00 02 0b 03 00 80 03 44 00 00 58 3d 5b 80 20 08 de 00 20 00 00 03 00 00 00 a8 c0 76 6c"
        " a0 20 08 de 4a c4 05 fb b7 03 44 00 0c 8b 48 b2 39 58 3d 5b 01 00 01 00 01 00"),)],
    "engine-versions-reference-0003/15": [("def,pqr,mno",)],
    "engine-versions-reference-0003/16": [([None, None, 1, 2, 2],)] * 2 + [([None, None, 1, 2, 2, 3, 3, 3],)]
                                         + [([1, 2, 2, 3, 3, 3],)] * 2 + [([2, 2, 3, 3, 3],)] * 3,
    "engine-versions-reference-0003/18": [(3,), (4,)],
    "engine-versions-reference-0003/19": [(1,), (2,)],
    "engine-versions-reference-0003/20": [(2,), (2,), (6,), (6,)],
    # Trino's TestRowPatternMatching.testRowPattern, empty pattern: every row an empty match
    "engine-versions-reference-0003/21": [(1, 1, None, None), (2, 2, None, None), (3, 3, None, None),
                                          (4, 4, None, None)],
    "engine-versions-reference-0003/28": [(datetime.datetime(2021, 6, 6, 23, 38, 46),)],
    "engine-versions-reference-0003/30": [("2023-01-01T00:00:00.000Z",)],
}
EXPECTED.update({f"athena-ug/{k}": v for k, v in GUIDE.items()})

# The Apache and IIS sample lines the guide prints (tests/corpus/apache, tests/corpus/iis):
# two 404s (Nikki, Ana), the other five 200; the IIS "format" fields keep the space after
# each comma.  Log types with no sample (Route 53 resolver, Network Firewall, GuardDuty,
# Global Accelerator, EMR) and the playbooks' placeholder queries match nothing.
NOT_FOUND = [("[11/Jan/2020:11:40:11 -0700]", '"GET /image.png HTTP/1.1"', "404"),
             ("[15/Feb/2019:10:12:22 -0700]", '"GET /favicon.ico HTTP/1.1"', "404")]
OK_LINES = [("Li", "[10/Oct/2019:13:55:36 -0700]", "logo.gif HTTP/1.0"),
            ("Jorge", "[24/Nov/2019:10:49:52 -0700]", "index.html HTTP/1.1"),
            ("Mateo", "[27/Dec/2019:11:38:12 -0700]", "about.html HTTP/1.1"),
            ("Saanvi", "[14/Mar/2019:11:40:33 -0700]", "intro.html HTTP/1.1"),
            ("Xiulan", "[22/Apr/2019:10:51:34 -0700]", "group/index.html HTTP/1.1")]
EXPECTED.update({
    "athena-ug/querying-apache-logs/1": NOT_FOUND,
    "athena-ug/querying-apache-logs/2": [(u, t, f'"GET /{r}"', "200") for u, t, r in OK_LINES],
    "athena-ug/querying-iis-logs/1": [("2020-01-19", "22:48:39", "/default.html", "157"),
                                      ("2020-01-19", "22:49:40", "/index.html", "164"),
                                      ("2020-01-19", "22:50:12", "/image.gif", "358"),
                                      ("2020-01-19", "22:51:44", "/faq.html", "288")],
    "athena-ug/querying-iis-logs/3": [(" 2020-02-24", " 22:48:38", " /index.htm", " 254"),
                                      (" 2020-02-24", " 22:48:39", " /about.html", " 147"),
                                      (" 2020-02-24", " 22:48:40", " /image.png", " 170"),
                                      (" 2020-02-24", " 22:48:41", " /intro.htm", " 125")],
    "athena-ug/querying-iis-logs/4": NOT_FOUND,
    "athena-ug/querying-iis-logs/5": [(f"AnyCompany\\{u}", t, f'"GET /{r}"', "200")
                                      for u, t, r in OK_LINES if u in ("Jorge", "Saanvi")],
    "athena-ug/select/6": [("classic_loadbalancer_http_entry.csv",)],
    "athena-ug/querying-glue-catalog/1": [("default",), ("information_schema",)],
    **{q["id"]: [] for q in QUERIES if q["log"] in ("r53", "anf", "guardduty", "aga", "emr")},
    **{f"athena-ug/querying-glue-catalog/{n}": [] for n in (2, 3, 4, 6, 7, 8, 9)},
    **{q["id"]: [] for q in QUERIES if q["log"] == "cloudtrail" and "error" not in q and (
        "START_TIME" in q["sql"] or "ExampleUser" in q["sql"] or "AROA…" in q["sql"]
        or "SUSPECTED_PRINCIPAL" in q["sql"])},
})

# AWS Security Analytics Bootstrap's VPC flow queries over its table: the VPC User Guide's
# IPv4 default-format example records (day 2020/07/15: the SSH and RDP flows inside
# 172.31.0.0/16, the NODATA and SKIPDATA records with '-' fields, the ping between
# 203.0.113.12 and 172.31.16.139 and its rejected answer) and the three real records of
# vpcflowlog.log.gz (2020/07/16: 10.26.1.153 <-> 3.239.232.29 on 443, 10.26.0.9 ->
# 10.26.4.139).  A '-' integer field is NULL; the v3-v5 columns are NULL (v2 records).
def _flow(version, account, eni, src, dst, sport, dport, proto, packets, size, start, end, action, status,
          day):
    return (version, account, eni, src, dst, sport, dport, proto, packets, size, start, end, action, status,
            *[None] * 15, f"2020/07/{day}", "us-east-1", "111122223333")


_G = "123456789010", "eni-1235b8ca123456789"
SSH = _flow(2, *_G, "172.31.16.139", "172.31.16.21", 20641, 22, 6, 20, 4249, 1418530010, 1418530070, "ACCEPT", "OK", 15)
RDP = _flow(2, *_G, "172.31.9.69", "172.31.9.12", 49761, 3389, 6, 20, 4249, 1418530010, 1418530070, "REJECT", "OK", 15)
NODATA = _flow(2, *_G, "-", "-", None, None, None, None, None, 1431280876, 1431280934, "-", "NODATA", 15)
SKIPDATA = _flow(2, "123456789010", "eni-11111111aaaaaaaaa", "-", "-", None, None, None, None, None,
                 1431280876, 1431280934, "-", "SKIPDATA", 15)
PING = _flow(2, *_G, "203.0.113.12", "172.31.16.139", 0, 0, 1, 4, 336, 1432917027, 1432917142, "ACCEPT", "OK", 15)
PONG = _flow(2, *_G, "172.31.16.139", "203.0.113.12", 0, 0, 1, 4, 336, 1432917094, 1432917142, "REJECT", "OK", 15)
HTTPS_OUT = _flow(2, "123456789012", "eni-0050644426037aa0f", "10.26.1.153", "3.239.232.29", 60220, 443, 6, 48,
                  21869, 1669842701, 1669842702, "ACCEPT", "OK", 16)
HTTPS_IN = _flow(2, "123456789012", "eni-0050644426037aa0f", "3.239.232.29", "10.26.1.153", 443, 60220, 6, 47,
                 12071, 1669842701, 1669842702, "ACCEPT", "OK", 16)
INTERNAL = _flow(2, "123456789012", "eni-01971454a0f14024a", "10.26.0.9", "10.26.4.139", 5007, 57879, 6, 2, 112,
                 1669842715, 1669842716, "ACCEPT", "OK", 16)
FLOWS = [SSH, RDP, NODATA, SKIPDATA, PING, PONG, HTTPS_OUT, HTTPS_IN, INTERNAL]
BOOTSTRAP_VPC = "security-analytics-bootstrap/vpcflow_demo_queries/"
EXPECTED.update({
    # previews: every partition predicate matches both days, the table has 9 rows (LIMIT 10);
    # 7: the last 30 days hold nothing
    **{f"{BOOTSTRAP_VPC}{n}": FLOWS for n in (1, 2, 3, 4, 5, 6, 8)},
    f"{BOOTSTRAP_VPC}7": [],
    # records per (region, instance, source, destination): region and instance are NULL
    f"{BOOTSTRAP_VPC}9": [(None, None, f[3], f[4], 1) for f in FLOWS if f[3] != "-"] + [(None, None, "-", "-", 2)],
    # 192.0.2.x, 203.0.113.2 and i-000000000000000 are in no record
    **{f"{BOOTSTRAP_VPC}{n}": [] for n in (10, 11, 12, 13)},
    # sources seen on a port below 32768 (22, 3389, 0, 0, 443): first start, last end, and the
    # distinct destinations, instances (NULL) and ports in the order met
    f"{BOOTSTRAP_VPC}15": [("172.31.16.139", 1418530010, 1432917142, ["172.31.16.21", "203.0.113.12"], [None], [22, 0]),
                           ("172.31.9.69", 1418530010, 1418530070, ["172.31.9.12"], [None], [3389]),
                           ("203.0.113.12", 1432917027, 1432917142, ["172.31.16.139"], [None], [0]),
                           ("10.26.1.153", 1669842701, 1669842702, ["3.239.232.29"], [None], [443])],
    # private (RFC 1918 ranges, compared as IPADDRESS) to public or back; the '-' records are
    # filtered out by log status before their addresses are cast
    f"{BOOTSTRAP_VPC}17": [PING, PONG, HTTPS_OUT, HTTPS_IN],
    # both ends in 172.16.0.0/12, and all the others with an address
    f"{BOOTSTRAP_VPC}18": [SSH, RDP],
    f"{BOOTSTRAP_VPC}19": [PING, PONG, HTTPS_OUT, HTTPS_IN, INTERNAL],
})
TYPES_BOOTSTRAP = {
    f"{BOOTSTRAP_VPC}9": [("region", "varchar"), ("instanceid", "varchar"), ("sourceaddress", "varchar"),
                          ("destinationaddress", "varchar"), ("record_count", "bigint")],
    f"{BOOTSTRAP_VPC}15": [("sourceaddress", "varchar"), ("first_seen", "integer"), ("last_seen", "integer"),
                           ("_col3", "array(varchar)"), ("_col4", "array(varchar)"), ("_col5", "array(integer)")],
}


# Where Parthenon's answer is not yet Athena's (strict: a fix must remove the entry).
DIVERGES: dict[str, str] = {}


# Result columns, as Athena names and types them (Trino's types of the DDL columns and
# functions: count is bigint, sum of a double is double, of a bigint bigint; to_iso8601 of a
# timestamp(3) with time zone varchar(32), as in tests/trino_cases/datetime).
V, B = "varchar", "bigint"
TYPES: dict[str, list[tuple[str, str]]] = {
    "athena-ug/application-load-balancer-logs/1": [("count", B), ("request_verb", V), ("client_ip", V)],
    "athena-ug/elasticloadbalancer-classic-logs/2": [("total_ms", "double"), ("elb_name", V), ("backend_ip", V)],
    "athena-ug/networkloadbalancer-classic-logs/1": [("ct", B), ("cert_arn", V)],
    "athena-ug/networkloadbalancer-classic-logs/2": [
        ("tls_protocol_version", V), ("num_connections", B), ("client_ip", V)],
    "s3-ug/storage-inventory-athena-query/1": [("dt", V)],
    "s3-ug/storage-inventory-athena-query/2": [("encryption_status", V), ("_col1", B)],
    "s3-ug/storage-inventory-athena-query/3": [("dt", V), ("encryption_status", V), ("_col2", B)],
    "s3-ug/using-s3-access-logs-to-identify-requests/4": [("uploadtotal", B), ("downloadtotal", B), ("total", B)],
    "s3-ug/using-s3-access-logs-to-identify-requests/5": [("requester", V), ("sigv", V), ("sigcount", B)],
    "athena-ug/cloudtrail-logs/3": [("awsregion", V), ("deleted_bucket", V), ("time_deleted", V),
                                    ("username", V), ("bucket_acct_id", V)],
    # a literal is a varchar of its length, a * over a WITH query keeps its columns' types
    "athena-ug/accessing-array-elements/2": [("first_word", "varchar(6)"), ("middle_word", "varchar(6)"),
                                             ("last_word", "varchar(6)")],
    "athena-ug/parsing-JSON/1": [("hello_msg", "json"), ("some_int", "json"), ("some_map", "json")],
    "athena-ug/parsing-JSON/2": [("hello_msg", V), ("some_int", "integer"), ("some_map", "map(varchar, integer)")],
    "athena-ug/rows-and-structs/1": [("users", "row(varchar(3), integer)")],
    "athena-ug/rows-and-structs/2": [("users", "row(name varchar, age integer)")],
    "athena-ug/creating-arrays/5": [("people", "array(map(varchar(5), varchar(5)))")],
    "athena-ug/finding-lengths/1": [("item_count", B)],
    "athena-ug/length-and-size/2": [("name", V), ("count", B)],
    "athena-ug/arrays-and-aggregation/2": [("array_items", "array(integer)"), ("total", "integer")],
    "athena-ug/select/8": [("_col0", "varchar(8)")],
    "athena-ug/athena-supported-time-zones/1": [("la_time", "timestamp(0) with time zone")],
    "athena-ug/athena-supported-time-zones/3": [("_col0", B)],
    "athena-ug/engine-versions-reference-0003/13": [("_col0", "setdigest")],
    "athena-ug/engine-versions-reference-0003/18": [("_col0", "integer")],
    "athena-ug/engine-versions-reference-0003/21": [("row_id", "integer"), ("match", B), ("val", "integer"),
                                                    ("label", V)],
    "athena-ug/engine-versions-reference-0003/28": [("this_time", "timestamp(3)")],
    "athena-ug/waf-logs/5": [("time_iso_8601", "varchar(32)"), ("httpsourcename", V), ("httpsourceid", V), (
        "httprequest", "row(clientip varchar, country varchar, headers array(row(name varchar, value varchar)), "
        "uri varchar, args varchar, httpversion varchar, httpmethod varchar, requestid varchar)")],
}


TYPES.update(TYPES_BOOTSTRAP)


@pytest.mark.parametrize("entry", [
    pytest.param(q, id=q["id"], marks=[pytest.mark.xfail(strict=True, reason=DIVERGES[q["id"]])]
                 if q["id"] in DIVERGES else []) for q in QUERIES])
def test_published_query(con, tmp_path, entry):
    cur = con.cursor()
    create_tables(cur, entry["log"], tmp_path)
    sql = our_sql(entry)
    if "error" in entry:
        with pytest.raises(parthenon.Error) as err:
            cur.execute(sql)
            cur.fetchall()
        assert str(err.value) == entry["error"]
        return
    cur.execute(sql)
    rows = cur.fetchall()
    if entry["id"] in TYPES:
        assert [d[:2] for d in cur.description] == TYPES[entry["id"]]
    if entry["id"] in EXPECTED:
        assert sorted(rows, key=repr) == sorted(EXPECTED[entry["id"]], key=repr)


def test_corpus_counts():
    """What the corpus holds, by source (the report quotes these)."""
    assert len(QUERIES) >= 60
    assert len({q["id"] for q in QUERIES}) == len(QUERIES)
    assert len([q for q in QUERIES if q["id"] in EXPECTED]) >= 12


# What the corpus found, each on its own (the published queries above meet them on data
# where the answer is empty or an error).

def test_joda_quoted_text_as_joda_reads_it(con):
    cur = con.cursor()
    cur.execute("SELECT parse_datetime('2018-07-02T22:23:00.186641Z', 'yyyy-MM-dd''T''HH:mm:ss.SSSSSS''Z'), "
                "format_datetime(TIMESTAMP '2020-01-02 03:04:05', 'HH '''' mm')")
    assert cur.description[0][1] == "timestamp(3) with time zone"
    assert cur.fetchall() == [(datetime.datetime(2018, 7, 2, 22, 23, 0, 186000, tzinfo=datetime.timezone.utc),
                               "03 ' 04")]


def test_grouped_by_a_zoned_value(con):
    cur = con.cursor()
    cur.execute("SELECT from_unixtime(n / 1000) AS t, count(*) FROM (VALUES 1693457862729, 1693457862001, "
                "1533689070589) v(n) GROUP BY from_unixtime(n / 1000) ORDER BY t")
    utc = datetime.timezone.utc
    assert cur.fetchall() == [(datetime.datetime(2018, 8, 8, 0, 44, 30, tzinfo=utc), 1),
                              (datetime.datetime(2023, 8, 31, 4, 57, 42, tzinfo=utc), 2)]


def test_names_resolved_and_reported_as_trino_does(con, tmp_path):
    cur = con.cursor()
    create_tables(cur, "cloudtrail", tmp_path)
    cur.execute("SELECT userIdentity.arn, sourceIPAddress, count(*) FROM cloudtrail_logs "
                "WHERE eventName = 'DeleteBucket' GROUP BY userIdentity.arn, sourceIPAddress")
    assert [r[2] for r in cur.fetchall()] == [8]
    failures = {
        "SELECT eventname, count(*) AS n FROM cloudtrail_logs GROUP BY eventname HAVING n > 1":
            "COLUMN_NOT_FOUND: line 1:80: Column 'n' cannot be resolved",
        "SELECT Bucket FROM cloudtrail_logs\nWHERE aclRequired = 'Yes'":
            "COLUMN_NOT_FOUND: line 2:7: Column 'aclrequired' cannot be resolved",
        "SELECT ct.requestParameters.bucketName FROM cloudtrail_logs ct":
            "TYPE_MISMATCH: line 1:8: Expression ct.requestParameters is not of type ROW",
    }
    for sql, message in failures.items():
        with pytest.raises(parthenon.Error) as err:
            cur.execute(sql)
        assert str(err.value) == message


def test_json_path_trino_refuses_fails_on_each_row(con):
    cur = con.cursor()
    cur.execute("SELECT json_extract_scalar(j, '$.x-amz-copy-source') FROM (VALUES '{}') v(j) WHERE j = 'x'")
    assert cur.fetchall() == []
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT json_extract_scalar(j, '$.x-amz-copy-source') FROM (VALUES '{}') v(j)")
        cur.fetchall()
    assert str(err.value) == "INVALID_FUNCTION_ARGUMENT: Invalid JSON path: '$.x-amz-copy-source'"
    cur.execute("""SELECT json_extract_scalar('{"x-amz-copy-source": "b/k"}', '$["x-amz-copy-source"]')""")
    assert cur.fetchall() == [("b/k",)]
    for path in ("a", "$a"):     # paths SQLGlot would read as $.a: the text as written decides
        with pytest.raises(parthenon.Error) as err:
            cur.execute(f"""SELECT json_extract('{{"a": 1}}', '{path}')""")
            cur.fetchall()
        assert str(err.value) == f"INVALID_FUNCTION_ARGUMENT: Invalid JSON path: '{path}'"


def test_typeof_an_aggregate_is_one_row(con):
    cur = con.cursor()
    cur.execute("SELECT typeof(array_agg(i)), typeof(count(i) + 1) FROM UNNEST(ARRAY[1, 2]) t(i)")
    assert cur.fetchall() == [("array(integer)", "bigint")]
    cur.execute("SELECT typeof(count(i) OVER ()) FROM UNNEST(ARRAY[1, 2]) t(i)")
    assert cur.fetchall() == [("bigint",), ("bigint",)]


def test_array_agg_distinct_in_first_seen_order(con):
    cur = con.cursor()
    cur.execute("SELECT k, array_agg(DISTINCT i) FROM (VALUES (1, 5), (1, NULL), (1, 2), (1, 5), (1, NULL), "
                "(2, 7)) t(k, i) GROUP BY k ORDER BY k")
    assert cur.fetchall() == [(1, [5, None, 2]), (2, [7])]
    cur.execute("SELECT array_agg(DISTINCT i) FROM UNNEST(ARRAY[3]) t(i) WHERE i > 5")
    assert cur.fetchall() == [(None,)]


def test_from_base64_reads_an_unpadded_last_unit_as_java(con):
    cur = con.cursor()
    cur.execute("SELECT from_base64('aaaaaa'), from_base64('YQ'), from_base64('YWI')")
    assert cur.fetchall() == [(b"i\xa6\x9ai", b"a", b"ab")]


def test_text_after_a_bare_date_is_no_zone(con):
    cur = con.cursor()
    cur.execute("SELECT CAST('2021-06-06 UTC' AS timestamp)")
    assert cur.fetchall() == [(datetime.datetime(2021, 6, 6),)]
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT CAST('2021-06-06x' AS timestamp)")
        cur.fetchall()
    assert str(err.value) == "INVALID_CAST_ARGUMENT: Value cannot be cast to timestamp: 2021-06-06x"


def test_values_columns_under_a_star_are_named_by_position(con):
    cur = con.cursor()
    cur.execute("SELECT 5, * FROM (VALUES (1, 2)) t, (VALUES 3)")
    assert [d[0] for d in cur.description] == ["_col0", "_col1", "_col2", "_col3"]
    assert cur.fetchall() == [(5, 1, 2, 3)]
    cur.execute("SELECT 1, * FROM (SELECT * FROM (VALUES (1, 2)))")
    assert [d[0] for d in cur.description] == ["_col0", "_col1", "_col2"]
