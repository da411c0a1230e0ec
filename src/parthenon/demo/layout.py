"""Where CloudTrail delivers its files, as S3 keys and as paths under the local root:

    <root>/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/
        <account>_CloudTrail_<region>_<yyyyMMddTHHmmZ>_<16 alnum>.json.gz
    <root>/AWSLogs/<account>/CloudTrail-Digest/<region>/<yyyy>/<MM>/<dd>/
        <account>_CloudTrail-Digest_<region>_<trail>_<region>_<yyyyMMddTHHmmssZ>.json.gz
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

TRAIL_NAME = "management-events"


def log_folder(root: str, account: str, region: str, yyyy: str, mm: str, dd: str) -> str:
    """The local folder of one region-day's log files."""
    return os.path.join(root, "AWSLogs", account, "CloudTrail", region, yyyy, mm, dd)


def log_file_name(account: str, region: str, stamp: str, unique: str) -> str:
    """A log file's name; `stamp` is yyyyMMddTHHmmZ, `unique` 16 alphanumerics."""
    return f"{account}_CloudTrail_{region}_{stamp}_{unique}.json.gz"


def log_key(account: str, region: str, name: str) -> str:
    """The S3 key of a log file, from its name (whose stamp gives the day)."""
    stamp = name.split("_")[3]
    return f"AWSLogs/{account}/CloudTrail/{region}/{stamp[:4]}/{stamp[4:6]}/{stamp[6:8]}/{name}"


def digest_location(account: str, region: str, home: str, end: float) -> tuple[str, str]:
    """(S3 folder, file name) of the digest of the hour ending at `end`; `home` is the
    trail's home region."""
    e = datetime.fromtimestamp(end, timezone.utc)
    folder = f"AWSLogs/{account}/CloudTrail-Digest/{region}/{e:%Y}/{e:%m}/{e:%d}"
    return folder, f"{account}_CloudTrail-Digest_{region}_{TRAIL_NAME}_{home}_{e:%Y%m%dT%H%M%SZ}.json.gz"
