"""The synthetic CloudTrail generator: S3 delivery layout, file contents, determinism, the
planted culprit, and the size it was asked for."""
from __future__ import annotations

import gzip
import hashlib
import os
import re
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

import orjson
import pytest

from parthenon.demo.generator import CULPRIT_EVENT_NAME, THROTTLE_CODE, generate

ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "us-west-2")
SIZE = 8 * 2**20

LOG_RE = re.compile(
    r"AWSLogs/(?P<acct>\d{12})/CloudTrail/(?P<region>[a-z]{2}-[a-z]+-\d)/(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/"
    r"(?P=acct)_CloudTrail_(?P=region)_(?P<stamp>\d{8}T\d{4}Z)_[A-Za-z0-9]{16}\.json\.gz")
DIGEST_RE = re.compile(
    r"AWSLogs/(?P<acct>\d{12})/CloudTrail-Digest/(?P<region>[a-z]{2}-[a-z]+-\d)/(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/"
    r"(?P=acct)_CloudTrail-Digest_(?P=region)_[A-Za-z0-9_.-]+_[a-z]{2}-[a-z]+-\d_(?P<stamp>\d{8}T\d{6}Z)\.json\.gz")


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def read_log(path: Path) -> tuple[bytes, dict]:
    raw = gzip.decompress(path.read_bytes())
    return raw, orjson.loads(raw)


@pytest.fixture(scope="module")
def trail(tmp_path_factory):
    root = tmp_path_factory.mktemp("trail")
    stats = generate(root, account=ACCOUNT, regions=REGIONS, start=date(2017, 6, 15), days=2,
                     target_bytes=SIZE, seed=42, workers=2)
    return root, stats


def test_every_file_is_a_log_or_a_digest_in_the_delivery_layout(trail):
    root, stats = trail
    logs, digests = [], []
    for rel in files_under(root):
        if m := LOG_RE.fullmatch(rel):
            assert m["stamp"][:8] == m["y"] + m["m"] + m["d"], rel  # name time matches its folder
            logs.append(m)
        elif m := DIGEST_RE.fullmatch(rel):
            digests.append(m)
        else:
            pytest.fail(f"unexpected file {rel}")
    assert len(logs) == stats.files and len(digests) == stats.digest_files
    assert {m["acct"] for m in logs} == {ACCOUNT}
    # every region and day has log files, and a digest per region-hour
    assert {(m["region"], m["y"], m["m"], m["d"]) for m in logs} == {
        (r, "2017", "06", d) for r in REGIONS for d in ("15", "16")}
    assert stats.digest_files == len(REGIONS) * 2 * 24
    # the partitions the generator reports are exactly the day folders
    assert [(r, y, m, d) for r, y, m, d, _ in stats.partitions] == [
        (r, "2017", "06", d) for r in REGIONS for d in ("15", "16")]
    for region, y, m, d, folder in stats.partitions:
        assert Path(folder).is_dir() and Path(folder).is_absolute()
        assert folder.endswith(os.path.join("AWSLogs", ACCOUNT, "CloudTrail", region, y, m, d))


def test_log_files_are_compact_records_objects(trail):
    root, stats = trail
    records = 0
    raw_bytes = gz_bytes = 0
    event_ids = set()
    for path in sorted(root.glob("AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz")):
        data = path.read_bytes()
        assert data[:2] == b"\x1f\x8b" and data[4:8] == b"\0\0\0\0"  # gzip, mtime 0
        raw, doc = read_log(path)
        assert raw.startswith(b'{"Records":[{"eventVersion":"') and raw.endswith(b"}]}")
        assert b"\n" not in raw
        assert list(doc) == ["Records"] and doc["Records"]
        region, y, m, d = path.parts[-5:-1]
        for rec in doc["Records"]:
            for key in ("eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
                        "sourceIPAddress", "userAgent", "requestParameters", "responseElements", "eventID",
                        "readOnly", "eventType", "managementEvent", "recipientAccountId", "eventCategory"):
                assert key in rec, (key, rec)
            assert rec["eventTime"].startswith(f"{y}-{m}-{d}T") and rec["eventTime"].endswith("Z")
            assert rec["awsRegion"] in (region, "us-east-1")
            assert isinstance(rec["readOnly"], bool) and isinstance(rec["managementEvent"], bool)
            assert rec["recipientAccountId"] == ACCOUNT
            assert rec["userIdentity"]["type"] in ("IAMUser", "AssumedRole", "AWSService", "Root")
            assert rec["requestParameters"] is None or isinstance(rec["requestParameters"], dict)
            assert ("errorMessage" not in rec) or ("errorCode" in rec)
            for res in rec.get("resources") or []:
                assert "ARN" in res
            event_ids.add(rec["eventID"])
        records += len(doc["Records"])
        raw_bytes += len(raw)
        gz_bytes += len(data)
    assert records == stats.records == len(event_ids)
    assert raw_bytes == stats.uncompressed_bytes and gz_bytes == stats.compressed_bytes


def test_records_look_like_a_real_account(trail):
    root, _ = trail
    recs = []
    for path in sorted(root.glob("AWSLogs/*/CloudTrail/us-east-1/2017/06/15/*.json.gz"))[:30]:
        recs += read_log(path)[1]["Records"]
    kinds = Counter(r["userIdentity"]["type"] for r in recs)
    assert kinds["IAMUser"] and kinds["AssumedRole"] and kinds["AWSService"]
    assert len({r["eventSource"] for r in recs}) >= 12
    assert len({(r["eventSource"], r["eventName"]) for r in recs}) >= 50
    assert len({r["sourceIPAddress"] for r in recs}) >= 20
    assert len({r["userAgent"] for r in recs}) >= 15
    errors = Counter(r.get("errorCode") for r in recs)
    assert 0.01 < 1 - errors[None] / len(recs) < 0.2
    assert errors["AccessDenied"] and errors[THROTTLE_CODE]
    keys = Counter(k for r in recs for k in r)
    for optional in ("tlsDetails", "resources", "additionalEventData", "vpcEndpointId",
                     "sessionCredentialFromConsole", "sharedEventID", "apiVersion"):
        assert keys[optional], optional
    assert any("invokedBy" in r["userIdentity"] for r in recs)
    assert any(r["eventCategory"] == "Data" and r["managementEvent"] is False for r in recs)
    shapes = {tuple(sorted(r["requestParameters"])) for r in recs if r["requestParameters"]}
    assert len(shapes) >= 40


def test_digests_list_the_hours_log_files(trail):
    root, _ = trail
    digests = sorted(root.glob("AWSLogs/*/CloudTrail-Digest/*/*/*/*/*.json.gz"))
    listed = set()
    for path in digests:
        doc = orjson.loads(gzip.decompress(path.read_bytes()))
        assert doc["awsAccountId"] == ACCOUNT and doc["digestSignatureAlgorithm"] == "SHA256withRSA"
        assert doc["digestS3Object"].endswith(path.name)
        for entry in doc["logFiles"]:
            log = root / entry["s3Object"]
            assert log.is_file(), entry["s3Object"]
            assert entry["hashAlgorithm"] == "SHA-256"
            assert entry["hashValue"] == hashlib.sha256(gzip.decompress(log.read_bytes())).hexdigest()
            listed.add(entry["s3Object"])
    logs = {str(p.relative_to(root)) for p in root.glob("AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz")}
    assert listed == logs


def test_culprit_tops_the_seed_query(trail):
    root, stats = trail
    region = stats.culprit_region
    assert region == REGIONS[0]
    assert re.fullmatch(rf"arn:aws:sts::{ACCOUNT}:assumed-role/eks-cluster-autoscaler/i-0[0-9a-f]{{16}}",
                        stats.culprit_arn)
    for day in ("15", "16"):
        counts: Counter = Counter()
        for path in root.glob(f"AWSLogs/{ACCOUNT}/CloudTrail/{region}/2017/06/{day}/*.json.gz"):
            for rec in read_log(path)[1]["Records"]:
                if rec.get("errorCode") == THROTTLE_CODE:
                    counts[(rec["eventName"], rec["userIdentity"].get("arn"), rec["sourceIPAddress"])] += 1
        (top, top_count), *rest = counts.most_common()
        assert top == (CULPRIT_EVENT_NAME, stats.culprit_arn, stats.culprit_ip)
        others = [c for (name, arn, ip), c in rest if arn != stats.culprit_arn]
        assert others, "other callers are throttled too"
        assert top_count >= 10 * max(others)
        # the generator's own account of the answer is exact
        expected = stats.top_throttled(region=region, day=("2017", "06", day), n=10**6)
        assert {(n, a, i): c for n, a, i, c in expected} == dict(counts)
        culprit_msgs = set()
        for path in root.glob(f"AWSLogs/{ACCOUNT}/CloudTrail/{region}/2017/06/{day}/*.json.gz"):
            for rec in read_log(path)[1]["Records"]:
                if rec.get("errorCode") == THROTTLE_CODE and rec["eventName"] == CULPRIT_EVENT_NAME:
                    culprit_msgs.add(rec["errorMessage"])
        assert culprit_msgs == {"Rate exceeded"}
    # the other region has no autoscaler, so it is not on top there
    top_other = stats.top_throttled(region=REGIONS[1], n=1)
    assert not top_other or top_other[0][1] != stats.culprit_arn


def test_target_bytes_is_honoured(trail):
    _, stats = trail
    assert 0.97 * SIZE <= stats.uncompressed_bytes <= 1.05 * SIZE
    assert stats.compressed_bytes < stats.uncompressed_bytes / 3


def test_same_arguments_give_the_same_bytes(tmp_path):
    def tree(root):
        return {rel: (root / rel).read_bytes() for rel in files_under(root)}

    kw = dict(account=ACCOUNT, regions=REGIONS, days=1, target_bytes=2 * 2**20, seed=7)
    a = generate(tmp_path / "a", workers=1, **kw)
    b = generate(tmp_path / "b", workers=2, **kw)
    c = generate(tmp_path / "c", workers=1, **{**kw, "seed": 8})
    ta, tb, tc = tree(tmp_path / "a"), tree(tmp_path / "b"), tree(tmp_path / "c")
    assert ta == tb
    assert (a.records, a.uncompressed_bytes, a.compressed_bytes, a.throttle_counts) == \
           (b.records, b.uncompressed_bytes, b.compressed_bytes, b.throttle_counts)
    assert set(ta) != set(tc)
    assert c.culprit_arn != a.culprit_arn


def test_files_per_hour_and_sizes(tmp_path):
    stats = generate(tmp_path, regions=("eu-west-1",), days=1, target_bytes=6 * 2**20, files_per_hour=3, workers=1)
    logs = sorted(tmp_path.glob("AWSLogs/*/CloudTrail/eu-west-1/*/*/*/*.json.gz"))
    assert len(logs) == stats.files == 24 * 3
    stamps = Counter(LOG_RE.search(str(p.relative_to(tmp_path)))["stamp"][:11] for p in logs)
    assert set(stamps.values()) == {3}                 # three files in every hour
    times = [rec["eventTime"] for rec in read_log(logs[0])[1]["Records"]]
    first = datetime.strptime(times[0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert first.hour == 0 and all(t.startswith("2017-06-15T00:") for t in times)
    assert stats.culprit_region == "eu-west-1"


def test_auto_file_count_keeps_files_near_a_megabyte(tmp_path):
    stats = generate(tmp_path, regions=("us-east-1",), days=1, target_bytes=48 * 2**20, workers=2)
    assert stats.files >= 36
    sizes = [len(gzip.decompress(p.read_bytes()))
             for p in tmp_path.glob("AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz")]
    assert 100_000 < min(sizes) and max(sizes) < 4 * 2**20
    assert stats.mb_per_s > 0


def test_quirks_plant_keys_that_differ_only_in_case(tmp_path):
    generate(tmp_path, regions=("us-east-1",), days=1, target_bytes=2 * 2**20, quirks=True, workers=1)
    clashes = 0
    for path in tmp_path.glob("AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz"):
        for rec in read_log(path)[1]["Records"]:
            keys = list(rec["requestParameters"] or {})
            clashes += len(keys) != len({k.lower() for k in keys})
    assert clashes > 0
