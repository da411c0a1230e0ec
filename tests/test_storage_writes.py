"""Storage writes, local and on moto S3: whole objects or none, multipart above the threshold."""
from __future__ import annotations

import os

from parthenon import storage
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
