"""The fast CloudTrail scan (chdb, engine/duckdb/fast_cloudtrail.py) gives what the usual one
gives, row for row and byte for byte, odd records and files included."""
from __future__ import annotations

import gzip
import json

import pytest

from conftest import CLOUDTRAIL_DDL, cloudtrail_file

fast_cloudtrail = pytest.importorskip("parthenon.engine.duckdb.fast_cloudtrail")
if not fast_cloudtrail.HAVE_CHDB:
    pytest.skip("chdb (the `fast` extra) is not installed", allow_module_level=True)

ACCOUNT = "123456789012"
ROLE = f"arn:aws:sts::{ACCOUNT}:assumed-role/autoscaler/i-0abc"


def record(name, **extra):
    r = {"eventVersion": "1.08", "eventName": name, "eventSource": "autoscaling.amazonaws.com",
         "userIdentity": {"type": "AssumedRole", "arn": ROLE, "accountId": ACCOUNT,
                          "sessionContext": {"sessionIssuer": {"userName": "autoscaler"}}},
         "sourceIPAddress": "10.0.0.7", "readOnly": True, "errorCode": "RequestLimitExceeded",
         "requestParameters": {"maxRecords": 100}}
    r.update(extra)
    return r


ODD_RECORDS = [   # each alone in a file of its own, besides plain good files
    record("MixedCase", EventName="shadow", SourceIPAddress="1.1.1.1", useridentity={"ARN": "x"}),
    record("ObjectInString", errorCode={"code": 1,  "why": [1.50, "x"]}),
    record("ArrayInString", sourceIPAddress=["10.0.0.1", "10.0.0.2"]),
    record("NumberInString", errorCode=1.50, apiVersion=7),
    record("StringAsStruct", userIdentity="not an object"),
    record("NullStruct", userIdentity=None),
    record("EmptyStruct", userIdentity={}),
    record("StructAsArray", userIdentity=[{"arn": "y"}]),
    record("Escapes", eventName="caf\u00e9 \"quoted\" \\ \n tab\t", sourceIPAddress="\u2603"),
    record("Quote'Back\\slash", errorCode="AccessDenied"),
    record("NoError", errorCode=None),
]
ODD_FILES = {   # stored text of whole files
    "bare-array": json.dumps([record("BareArray")]),
    "lower-records": json.dumps({"records": [record("LowerRecords")]}),
    "extra-key": json.dumps({"Records": [record("ExtraKey")], "other": 1}),
    "records-null": '{"Records": null}',
    "records-empty": '{ "Records" : [ \n ] }\n',
    "duplicate-key": '{"Records": [{"eventName": "A", "eventName": "B", "errorCode": "RequestLimitExceeded"}]}',
    "spaced": '  {\n "Records" :\n [ ' + json.dumps(record("Spaced"), indent=2) + ' ] \n}\n',
}


def write_trail(folder):
    for i in range(6):
        cloudtrail_file(folder / f"{ACCOUNT}_CloudTrail_us-east-1_good{i}.json.gz",
                        [record(f"Good{i}", sourceIPAddress=f"10.0.{i}.{j}") for j in range(i + 1)])
    for i, r in enumerate(ODD_RECORDS):
        cloudtrail_file(folder / f"{ACCOUNT}_CloudTrail_us-east-1_odd{i}.json.gz", [record("Neighbour"), r])
    for name, text in ODD_FILES.items():
        plain = folder / f"{ACCOUNT}_CloudTrail_us-east-1_{name}.json"
        plain.write_text(text)
        (folder / f"{ACCOUNT}_CloudTrail_us-east-1_{name}-gz.json.gz").write_bytes(gzip.compress(text.encode(), mtime=0))


def flat_table(cur, folder):
    cur.execute(CLOUDTRAIL_DDL.format(location=f"{folder}/").split("PARTITIONED BY")[0]
                + f"ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' LOCATION '{folder}/'"
                + " TBLPROPERTIES ('parthenon.scan_cache'='false')")


QUERIES = [
    "SELECT eventname, useridentity.arn, sourceipaddress, errorcode FROM cloudtrail_logs",
    "SELECT eventname, useridentity FROM cloudtrail_logs",
    "SELECT eventname, useridentity.sessioncontext.sessionissuer.username FROM cloudtrail_logs",
    "SELECT eventname, \"$path\" FROM cloudtrail_logs",
    "SELECT eventname, requestparameters, readonly, apiversion FROM cloudtrail_logs",
    "SELECT count(*) FROM cloudtrail_logs",
    """SELECT eventname, useridentity.arn, sourceipaddress, count(*) AS count FROM cloudtrail_logs
       WHERE errorcode = 'RequestLimitExceeded' GROUP BY 1, 2, 3""",
    # the WHERE's text conditions drop records while chdb decodes (Scan.early_filters)
    """SELECT eventname, sourceipaddress, errorcode FROM cloudtrail_logs
       WHERE errorcode IN ('RequestLimitExceeded', 'AccessDenied') AND eventname <> 'Neighbour'""",
    "SELECT eventname FROM cloudtrail_logs WHERE eventname = 'Quote''Back\\slash' AND errorcode = 'AccessDenied'",
    "SELECT eventname, errorcode FROM cloudtrail_logs c WHERE '10.0.3.2' = c.sourceipaddress",
    "SELECT count(*), count(errorcode) FROM (SELECT errorcode FROM cloudtrail_logs WHERE errorcode = 'None such')",
    """SELECT a.eventname, b.eventname FROM cloudtrail_logs a LEFT JOIN cloudtrail_logs b
       ON a.eventname = b.eventname AND b.errorcode = 'AccessDenied' WHERE a.errorcode = 'AccessDenied'""",
]


@pytest.fixture(autouse=True)
def any_file_size(monkeypatch):
    """The test files are small: the fast scan takes them anyway."""
    monkeypatch.setattr(fast_cloudtrail, "MIN_MEAN_FILE_BYTES", 0)


def both_paths(con, monkeypatch, sql):
    cur = con.cursor()
    out = []
    for switch in ("0", "1"):
        monkeypatch.setenv(fast_cloudtrail.SWITCH, switch)
        cur.execute(sql)
        rows = sorted(cur.fetchall(), key=repr)
        out.append((rows, [d[:2] for d in cur.description], cur.data_scanned_in_bytes))
    return out


def spy_on_decodes(monkeypatch) -> list[int]:
    """The number of files of each batch chdb decodes, as the scan runs."""
    decoded = []
    real = fast_cloudtrail._Decoder._decode
    monkeypatch.setattr(fast_cloudtrail._Decoder, "_decode",
                        lambda self, files: decoded.append(len(files)) or real(self, files))
    return decoded


@pytest.mark.parametrize("sql", QUERIES)
def test_fast_scan_gives_the_usual_rows_and_bytes(con, tmp_path, monkeypatch, sql):
    folder = tmp_path / "logs"
    folder.mkdir()
    write_trail(folder)
    flat_table(con.cursor(), folder)
    decoded = spy_on_decodes(monkeypatch)
    usual, fast = both_paths(con, monkeypatch, sql)
    assert fast == usual
    assert usual[0]                           # rows to compare
    if "requestparameters" not in sql and "$path" not in sql:
        assert decoded      # columns of text: chdb's (the others: every file as usual)


def test_records_the_where_drops_are_dropped_by_chdb(con, tmp_path, monkeypatch):
    """Only the records the WHERE keeps are built into Arrow (Scan.early_filters); the
    usual scan builds every record."""
    folder = tmp_path / "logs"
    folder.mkdir()
    write_trail(folder)
    flat_table(con.cursor(), folder)
    built = []
    real = fast_cloudtrail._Decoder._record_batch
    monkeypatch.setattr(fast_cloudtrail._Decoder, "_record_batch",
                        lambda self, records, f: built.append(len(records)) or real(self, records, f))
    cur = con.cursor()
    cur.execute("SELECT eventname FROM cloudtrail_logs WHERE errorcode = 'AccessDenied'")
    assert cur.fetchall() == [("Quote'Back\\slash",)]
    assert sum(built) == 1
    cur.execute("SELECT count(*) FROM cloudtrail_logs WHERE errorcode = 'AccessDenied' OR eventname = 'x'")
    assert cur.fetchall() == [(1,)]
    assert sum(built) > 20                  # no early filter: every record of the good files


@pytest.mark.parametrize("broken", [
    '{"Records": [{"eventName": "A"}, {"eventName": "B" oops}]}',
    json.dumps({"Records": [record("First")]}) + json.dumps({"Records": [record("Second")]}),
])
def test_fast_scan_on_a_malformed_file_fails_as_the_usual_one(con, tmp_path, monkeypatch, broken):
    folder = tmp_path / "logs"
    write_trail(folder)
    (folder / f"{ACCOUNT}_CloudTrail_us-east-1_broken.json").write_text(broken)
    flat_table(con.cursor(), folder)
    import parthenon
    messages = []
    for switch in ("0", "1"):
        monkeypatch.setenv(fast_cloudtrail.SWITCH, switch)
        with pytest.raises(parthenon.Error) as err:
            con.cursor().execute("SELECT eventname FROM cloudtrail_logs")
        messages.append(str(err.value).split(": ")[:2])
    assert messages[0] == messages[1] == ["HIVE_BAD_DATA", f"Error reading {folder}/{ACCOUNT}_CloudTrail_us-east-1_broken.json"]
