"""MSCK REPAIR TABLE: key=value folders at every partition level, found folder by folder
(never object by object), locally and in S3 past one listing page."""
from __future__ import annotations

import inspect
from concurrent.futures import ThreadPoolExecutor

from parthenon import storage


def run(con, sql):
    cur = con.cursor()
    cur.execute(sql)
    return cur


def touch(path, data=b"{}\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_three_levels_files_deeper_hidden_and_empty_folders(con, tmp_path):
    root = tmp_path / "logs"
    touch(root / "region=eu" / "year=2024" / "month=01" / "a.json")
    touch(root / "region=eu" / "year=2024" / "month=01" / "deep" / "er" / "b.json")
    touch(root / "region=eu" / "year=2024" / "month=02" / "c.json")
    touch(root / "region=us" / "year=2023" / "month=12" / "d.json")
    (root / "region=us" / "year=2024" / "month=01").mkdir(parents=True)    # empty: Hive adds it
    touch(root / "region=us" / "year=2024" / "_temporary" / "e.json")      # hidden
    touch(root / "region=us" / ".staging" / "year=2024" / "month=03" / "f.json")
    touch(root / "_SUCCESS")
    touch(root / "region=eu" / "year=2024" / "g.json")                     # above the last level
    touch(root / "region=eu" / "month=01" / "year=2024" / "h.json")        # keys out of order
    run(con, f"CREATE EXTERNAL TABLE logs (a int) PARTITIONED BY (region string, year int, month string) "
             f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{root}'")
    cur = run(con, "MSCK REPAIR TABLE logs")
    names = ["logs:region=eu/year=2024/month=01", "logs:region=eu/year=2024/month=02",
             "logs:region=us/year=2023/month=12", "logs:region=us/year=2024/month=01"]
    assert cur.fetchall() == [("Partitions not in metastore:\t" + "\t".join(names),)] + [
        (f"Repair: Added partition to metastore {n}",) for n in names]
    # region=eu, region=us; year=2024, month=01 (eu); year=2023, year=2024 (us); then months
    assert run(con, "SHOW PARTITIONS logs").fetchall() == [
        ("region=eu/year=2024/month=01",), ("region=eu/year=2024/month=02",),
        ("region=us/year=2023/month=12",), ("region=us/year=2024/month=01",)]
    assert run(con, "SELECT count(*), region FROM logs GROUP BY region ORDER BY region").fetchall() == [
        (3, "eu"), (1, "us")]
    again = run(con, "MSCK REPAIR TABLE logs")
    assert again.fetchall() == []


def test_message_says_how_many_folders_it_looked_at(parthenon_home, tmp_path):
    from parthenon.session import Session   # the message is what the CLI prints
    root = tmp_path / "t"
    for day in range(3):
        for n in range(50):     # many objects in a partition cost nothing: they are never listed
            touch(root / f"dt={day}" / f"part-{n:03d}.json")
    session = Session()
    session.execute(f"CREATE EXTERNAL TABLE t (a int) PARTITIONED BY (dt string) "
                    f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{root}/'")
    result = session.execute("MSCK REPAIR TABLE t")
    assert result.message == "Added 3 partitions to default.t (looked at 3 folders)"


def test_s3_bucket_past_one_listing_page(con, s3):
    s3.create_bucket(Bucket="many")
    keys = [f"data/dt={n:04d}/part.json" for n in range(1050)]
    keys += [f"data/dt=0000/extra-{n:04d}.json" for n in range(100)]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda key: s3.put_object(Bucket="many", Key=key, Body=b"{}\n"), keys))
    run(con, "CREATE EXTERNAL TABLE many (a int) PARTITIONED BY (dt string) "
             "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://many/data/'")
    cur = run(con, "MSCK REPAIR TABLE many")
    rows = cur.fetchall()
    assert len(rows) == 1 + 1050
    assert rows[1] == ("Repair: Added partition to metastore many:dt=0000",)
    assert rows[-1] == ("Repair: Added partition to metastore many:dt=1049",)
    assert run(con, "SELECT count(*) FROM many WHERE dt IN ('0000', '1049')").fetchall() == [(102,)]

    # The object listing streams page by page: a generator, in key order, hidden names skipped.
    listing = storage.iter_objects("s3://many/data/dt=0000/")
    assert inspect.isgenerator(listing)
    urls = [o.url for o in listing]
    assert len(urls) == 101 and urls == sorted(urls)
    assert len(list(storage.list_folders("s3://many/data/"))) == 1050


def test_local_listing_streams_in_key_order(tmp_path):
    for rel in ("a/b.json", "a.txt", "a-b/c.json", "_hidden/x", "a/.tmp", "z"):
        touch(tmp_path / rel)
    listing = storage.iter_objects(str(tmp_path))
    assert inspect.isgenerator(listing)
    assert [o.url[len(str(tmp_path)) + 1:] for o in listing] == ["a-b/c.json", "a.txt", "a/b.json", "z"]
    assert list(storage.list_folders(str(tmp_path))) == [f"{tmp_path}/a/", f"{tmp_path}/a-b/"]
    assert storage.read_range(str(tmp_path / "a.txt"), 1, 10) == b"}\n"
