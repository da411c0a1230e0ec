"""S3-compatible object storage through boto3.

The endpoint follows the AWS convention (AWS_ENDPOINT_URL_S3, then
AWS_ENDPOINT_URL) and credentials come from the standard AWS chain, so the same
settings that point the AWS CLI at MinIO or moto point Parthenon there too.
"""
from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Iterator

import boto3
import botocore.config
from botocore.exceptions import BotoCoreError, ClientError
from urllib3.exceptions import HTTPError

# What a request can raise: the service's answer, the SDK's own errors, and a connection
# broken while a body is read (urllib3's, or the socket's).
_FAILURES = (ClientError, BotoCoreError, HTTPError, OSError)

from ..config import s3_endpoint_url
from ..errors import InvalidLocation, StorageError

_lock = threading.Lock()

# An endpoint that is down or stops answering must fail the query, not hang it: each
# request waits CONNECT_TIMEOUT_S to connect and READ_TIMEOUT_S for each read of the
# socket, and is tried MAX_ATTEMPTS times (the first included) with the SDK's standard
# back-off.  Worst case for one request: 2 x 10 s + back-off; a query that meets a silent
# endpoint makes at most two such requests in a row (a size, then the read), so it fails
# within a minute (measured: 3 x 15 s let it run past 60 s).  A healthy endpoint under
# load answers each read far within 10 s.
CONNECT_TIMEOUT_S = 5
READ_TIMEOUT_S = 10
MAX_ATTEMPTS = 2

# Objects larger than this go up as multipart uploads, in parts of PART_SIZE (S3's minimum
# part is 5 MiB; a part failing is retried alone, and no partial object is ever visible).
MULTIPART_THRESHOLD = 64 * 1024 * 1024
PART_SIZE = 16 * 1024 * 1024


@lru_cache(maxsize=4)
def _client_for(endpoint: str | None, keys: tuple[str, str, str | None] | None):
    with _lock:   # boto3's default session is not thread-safe while creating clients
        session = boto3.session.Session()
        return session.client(
            "s3", endpoint_url=endpoint,
            aws_access_key_id=keys[0] if keys else None,
            aws_secret_access_key=keys[1] if keys else None,
            aws_session_token=keys[2] if keys else None,
            config=botocore.config.Config(
                max_pool_connections=32, connect_timeout=CONNECT_TIMEOUT_S,
                read_timeout=READ_TIMEOUT_S,
                retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"}))


def _environment_keys() -> tuple[str, str, str | None] | None:
    """The keys the environment gives (the first link of the AWS chain), if any."""
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    return (key, secret, os.environ.get("AWS_SESSION_TOKEN")) if key and secret else None


def client():
    # The endpoint and the environment's keys are read together and name the client: a
    # client made while the environment changes (a thread starting a fetch as settings are
    # swapped) is kept for the settings it was made with, never for the new ones.  Without
    # keys in the environment botocore walks the rest of the chain (files, roles) itself.
    return _client_for(s3_endpoint_url(), _environment_keys())


def split(url: str) -> tuple[str, str]:
    rest = url[len("s3://"):]
    bucket, _, key = rest.partition("/")
    if not bucket:
        raise InvalidLocation(f"Invalid S3 location '{url}': no bucket name")
    return bucket, key


def _storage_error(url: str, e: Exception) -> StorageError:
    if isinstance(e, ClientError):
        code = e.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchBucket",):
            return StorageError(f"The specified bucket does not exist: {split(url)[0]}")
        if code in ("AccessDenied", "403"):
            return StorageError(f"Access Denied (Service: Amazon S3; Status Code: 403) reading {url}")
        if code in ("NoSuchKey", "404"):
            return StorageError(f"Error opening Hive split {url}: the object does not exist")
        return StorageError(f"Error reading {url}: {code} {e.response.get('Error', {}).get('Message', '')}".strip())
    return StorageError(f"Error opening Hive split {url}: {e}")


def iter_objects(location: str, include_hidden: bool = True) -> Iterator[tuple[str, int]]:
    """Objects under a location in key order, a page (1000 keys) at a time; hidden names
    too (storage/__init__ decides what listings skip)."""
    for url, size, _ in iter_entries(location):
        yield url, size


def iter_entries(location: str) -> Iterator[tuple[str, int, str | None]]:
    """iter_objects with each object's ETag (what changes when its content does)."""
    bucket, prefix = split(location)
    if prefix and not prefix.endswith("/"):
        prefix += "/"   # a LOCATION is a folder: .../CloudTrail must not match .../CloudTrail-Digest
    try:
        for page in client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                key = obj["Key"]
                if key.endswith("/"):
                    continue   # folder marker
                yield f"s3://{bucket}/{key}", obj["Size"], obj.get("ETag")
    except _FAILURES as e:
        raise _storage_error(location, e) from None


def list_folders(location: str) -> Iterator[str]:
    """The immediate 'sub-folders' (common prefixes) of a location, as URLs ending in '/'."""
    bucket, prefix = split(location)
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    try:
        for page in client().get_paginator("list_objects_v2").paginate(
                Bucket=bucket, Prefix=prefix, Delimiter="/"):
            for common in page.get("CommonPrefixes", []):
                yield f"s3://{bucket}/{common['Prefix']}"
    except _FAILURES as e:
        raise _storage_error(location, e) from None


def list_objects(location: str) -> list[tuple[str, int]]:
    return list(iter_objects(location))


def read_bytes(url: str) -> bytes:
    bucket, key = split(url)
    try:
        return client().get_object(Bucket=bucket, Key=key)["Body"].read()
    except _FAILURES as e:
        raise _storage_error(url, e) from None


def read_tail(url: str, n: int) -> bytes:
    bucket, key = split(url)
    try:
        return client().get_object(Bucket=bucket, Key=key, Range=f"bytes=-{n}")["Body"].read()
    except _FAILURES as e:
        raise _storage_error(url, e) from None


def head(url: str) -> tuple[int, str | None] | None:
    """(size, ETag) of the object a URL names exactly, None if there is none."""
    bucket, key = split(url)
    try:
        answer = client().head_object(Bucket=bucket, Key=key)
    except ClientError as e:
        if e.response.get("Error", {}).get("Code", "") in ("NoSuchKey", "404", "NotFound"):
            return None
        raise _storage_error(url, e) from None
    except _FAILURES as e:
        raise _storage_error(url, e) from None
    return answer["ContentLength"], answer.get("ETag")


def modified(url: str) -> float:
    """The object's LastModified, seconds since the epoch."""
    bucket, key = split(url)
    try:
        return client().head_object(Bucket=bucket, Key=key)["LastModified"].timestamp()
    except _FAILURES as e:
        raise _storage_error(url, e) from None


def read_range(url: str, start: int, length: int) -> bytes:
    if length <= 0:
        return b""
    bucket, key = split(url)
    try:
        return client().get_object(Bucket=bucket, Key=key,
                                   Range=f"bytes={start}-{start + length - 1}")["Body"].read()
    except _FAILURES as e:
        raise _storage_error(url, e) from None


# -- writes
def put(url: str, data: bytes) -> None:
    bucket, key = split(url)
    try:
        client().put_object(Bucket=bucket, Key=key, Body=data)   # one PUT: all or nothing
    except (ClientError, BotoCoreError) as e:
        raise _write_error(url, e) from None


def move_in(path: str, url: str) -> None:
    """Upload a local file (one PUT, or multipart above the threshold), then remove it."""
    size = os.path.getsize(path)
    if size <= MULTIPART_THRESHOLD:
        with open(path, "rb") as f:
            put(url, f.read())
    else:
        _multipart(path, url)
    os.remove(path)


def _multipart(path: str, url: str) -> None:
    bucket, key = split(url)
    s3 = client()
    try:
        upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    except (ClientError, BotoCoreError) as e:
        raise _write_error(url, e) from None
    try:
        parts = []
        with open(path, "rb") as f:
            while chunk := f.read(PART_SIZE):
                n = len(parts) + 1
                etag = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=n,
                                      Body=chunk)["ETag"]
                parts.append({"PartNumber": n, "ETag": etag})
        s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload,
                                     MultipartUpload={"Parts": parts})
    except BaseException as e:
        try:     # an aborted upload leaves no object and no stored parts
            s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload)
        except (ClientError, BotoCoreError):
            pass
        if isinstance(e, (ClientError, BotoCoreError)):
            raise _write_error(url, e) from None
        raise


def rename(source: str, target: str) -> None:
    sb, sk = split(source)
    tb, tk = split(target)
    try:
        client().copy(CopySource={"Bucket": sb, "Key": sk}, Bucket=tb, Key=tk)
        client().delete_object(Bucket=sb, Key=sk)
    except (ClientError, BotoCoreError) as e:
        raise _write_error(target, e) from None


def delete(url: str) -> None:
    bucket, key = split(url)
    try:
        client().delete_object(Bucket=bucket, Key=key)
    except (ClientError, BotoCoreError) as e:
        raise _write_error(url, e) from None


def delete_tree(location: str) -> None:
    bucket, _ = split(location)
    keys = [url[len(f"s3://{bucket}/"):] for url, _ in iter_objects(location)]
    try:
        for i in range(0, len(keys), 1000):
            client().delete_objects(Bucket=bucket, Delete={
                "Objects": [{"Key": k} for k in keys[i:i + 1000]], "Quiet": True})
    except (ClientError, BotoCoreError) as e:
        raise _write_error(location, e) from None


def _write_error(url: str, e: Exception) -> StorageError:
    if isinstance(e, ClientError):
        code = e.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchBucket",):
            return StorageError(f"The specified bucket does not exist: {split(url)[0]}")
        if code in ("AccessDenied", "403"):
            return StorageError(f"Access Denied (Service: Amazon S3; Status Code: 403) writing {url}")
        return StorageError(f"Error writing {url}: {code} "
                            f"{e.response.get('Error', {}).get('Message', '')}".strip())
    return StorageError(f"Error writing {url}: {e}")
