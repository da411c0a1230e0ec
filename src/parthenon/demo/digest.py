"""Digest files: CloudTrail's hourly digest of a region's log files (which readers must
skip), one per region-hour."""
from __future__ import annotations

import hashlib
import os
import random

from .encoding import HEX, gzip_bytes, iso, json_bytes, random_id
from .layout import digest_location, log_key


def write_digest(root: str, account: str, region: str, regions: tuple[str, ...], seed: int, t0: float,
                 files: list[tuple[str, str, str, str]], hrng: random.Random, first: bool) -> str:
    """The hourly digest: names and SHA-256 of the hour's (uncompressed) log files, given as
    (name, sha256, oldest event time, newest event time). The signature and the previous
    digest's hash are random but stable (nothing here can sign like AWS); the first digest
    of the range has no predecessor, as on a new trail. Returns the digest's path."""
    home = regions[0]
    offset = random.Random(f"{seed}|{region}|digest-offset").randint(60, 3000)
    end = t0 + 3600 + offset
    folder, name = digest_location(account, region, home, end)
    pfolder, pname = digest_location(account, region, home, end - 3600)
    bucket = f"acme-cloudtrail-{account}"
    doc = {
        "awsAccountId": account,
        "digestStartTime": iso(end - 3600), "digestEndTime": iso(end),
        "digestS3Bucket": bucket, "digestS3Object": f"{folder}/{name}",
        "digestPublicKeyFingerprint": random_id(hrng, HEX, 32),
        "digestSignatureAlgorithm": "SHA256withRSA",
        "newestEventTime": files[-1][3] if files else None,
        "oldestEventTime": files[0][2] if files else None,
        "previousDigestS3Bucket": bucket,
        "previousDigestS3Object": f"{pfolder}/{pname}",
        "previousDigestHashValue": hashlib.sha256(f"{seed}|{pfolder}/{pname}".encode()).hexdigest(),
        "previousDigestHashAlgorithm": "SHA-256",
        "previousDigestSignature": random_id(hrng, HEX, 512),
    }
    if first:
        for k in ("previousDigestS3Bucket", "previousDigestS3Object", "previousDigestHashValue",
                  "previousDigestHashAlgorithm", "previousDigestSignature"):
            doc[k] = None
    doc |= {
        "logFiles": [{"s3Bucket": bucket,
                      "s3Object": log_key(account, region, n),
                      "hashValue": h, "hashAlgorithm": "SHA-256", "newestEventTime": newest, "oldestEventTime": oldest}
                     for n, h, oldest, newest in files],
    }
    path = os.path.join(root, folder)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, name), "wb") as f:
        f.write(gzip_bytes(json_bytes(doc)))
    return os.path.join(path, name)
