"""Storage writes, local and on moto S3: whole objects or none, multipart above the threshold."""
from __future__ import annotations

import os

import pytest

from parthenon import storage
from parthenon.errors import StorageError
from parthenon.storage import s3 as s3_storage

BUCKET = "storage-writes"


def test_local_put_move_rename_delete(tmp_path):
    target = tmp_path / "a" / "b.txt"
    storage.put(str(target), b"one")
    assert target.read_bytes() == b"one" and os.listdir(target.parent) == ["b.txt"]
    staged = tmp_path / "staged"
    staged.write_bytes(b"two")
    storage.move_in(str(staged), f"file://{tmp_path}/c/d.txt")
    assert not staged.exists() and (tmp_path / "c" / "d.txt").read_bytes() == b"two"
    storage.rename(str(tmp_path / "c" / "d.txt"), str(tmp_path / "e.txt"))
    assert (tmp_path / "e.txt").read_bytes() == b"two" and not (tmp_path / "c" / "d.txt").exists()
    storage.delete(str(tmp_path / "e.txt"))
    storage.delete(str(tmp_path / "e.txt"))       # already gone: no error
    storage.delete_tree(str(tmp_path / "a"))
    assert sorted(os.listdir(tmp_path)) == ["c"]


def test_s3_put_multipart_rename_delete(tmp_path, s3, monkeypatch):
    s3.create_bucket(Bucket=BUCKET)
    monkeypatch.setattr(s3_storage, "MULTIPART_THRESHOLD", 5 * 2**20)
    monkeypatch.setattr(s3_storage, "PART_SIZE", 5 * 2**20)
    big = tmp_path / "big"
    data = os.urandom(11 * 2**20)
    big.write_bytes(data)
    storage.move_in(str(big), f"s3://{BUCKET}/t/big.bin")
    head = s3.head_object(Bucket=BUCKET, Key="t/big.bin")
    assert head["ContentLength"] == len(data) and head["ETag"].strip('"').endswith("-3")
    assert s3.get_object(Bucket=BUCKET, Key="t/big.bin")["Body"].read() == data
    assert not big.exists()
    storage.put(f"s3://{BUCKET}/t/small.txt", b"hello")
    storage.rename(f"s3://{BUCKET}/t/small.txt", f"s3://{BUCKET}/u/small.txt")
    assert [o.url for o in storage.list_objects(f"s3://{BUCKET}/u/")] == [f"s3://{BUCKET}/u/small.txt"]
    storage.delete_tree(f"s3://{BUCKET}/t/")
    storage.delete(f"s3://{BUCKET}/u/small.txt")
    assert s3.list_objects_v2(Bucket=BUCKET).get("Contents", []) == []
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []


def test_a_client_made_without_keys_is_not_kept_once_the_environment_has_them(s3, monkeypatch):
    """The S3 client follows the environment's keys as they are when it is asked for: one
    made while they were missing (a thread starting a fetch as settings are swapped) fails
    alone and is not the one the next write gets (the CI failure of test_cancel_bundle:
    'Unable to verify/create output bucket' from a kept key-less client)."""
    s3.create_bucket(Bucket=BUCKET)
    key, secret = os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)     # no other link either
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(StorageError, match="Unable to locate credentials"):
        storage.put(f"s3://{BUCKET}/keys/first.txt", b"1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    storage.put(f"s3://{BUCKET}/keys/second.txt", b"2")     # no cache cleared in between
    assert s3.get_object(Bucket=BUCKET, Key="keys/second.txt")["Body"].read() == b"2"
