"""The scan cache as users meet it: `parthenon query` processes sharing one PARTHENON_HOME.

The first query of a text/JSON table keeps the decoded columns in PARTHENON_HOME/scan-cache;
the next ones read them back, and the CLI footer says how much came from storage and how
much from the cache (Data scanned itself is the same either way: what Athena would bill).
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

from test_cli import ok, parthenon

FOOTER = re.compile(r"Run time: \d+\.\d\d sec, Data scanned: (\d+) B"
                    r"(?: \((\d+) B from storage, (\d+(?:\.\d\d)?) ([KM]?B) read from the scan cache\))?")


def write_records(path: Path, records: list[dict]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path.stat().st_size


def make_table(tmp_path: Path, name: str = "events", properties: str = "") -> Path:
    folder = tmp_path / f"{name}-data"
    write_records(folder / "a.json", [{"eventName": "GetObject", "n": 1}, {"eventName": "PutObject", "n": 2}])
    write_records(folder / "b.json", [{"eventName": "GetObject", "n": 3}])
    ok("query", f"CREATE EXTERNAL TABLE {name} (eventname STRING, n INT) "
                f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/' {properties}")
    return folder


def query(sql: str, *options: str) -> tuple[list[str], dict]:
    """The table lines and the footer's figures: scanned, from storage, from the cache (bytes)."""
    *table, footer = ok("query", sql, *options).splitlines()
    m = FOOTER.fullmatch(footer)
    assert m, footer
    scanned = int(m.group(1))
    if m.group(2) is None:
        return table, {"scanned": scanned, "storage": scanned, "cache": 0}
    cache = float(m.group(3)) * {"B": 1, "KB": 1024, "MB": 2**20}[m.group(4)]
    return table, {"scanned": scanned, "storage": int(m.group(2)), "cache": cache}


def cache_files(home: Path) -> list[Path]:
    return sorted((home / "scan-cache").rglob("*.parquet"))


def indexed_urls(home: Path) -> list[str]:
    with sqlite3.connect(home / "scan-cache" / "index.db") as db:
        return sorted(r[0] for r in db.execute("SELECT url FROM entries"))


SELECT = "SELECT eventname, n FROM events ORDER BY n"
ROWS = ["+-----------+---+", "| eventname | n |", "+-----------+---+",
        "| GetObject | 1 |", "| PutObject | 2 |", "| GetObject | 3 |", "+-----------+---+", "3 rows"]


def test_second_run_reads_the_cache_and_counts_it_apart(tmp_path, parthenon_home):
    folder = make_table(tmp_path)
    size = sum(p.stat().st_size for p in folder.iterdir())
    first, stats = query(SELECT)
    assert first == ROWS
    # the first run decodes: everything from storage, the footer exactly Athena's
    assert stats == {"scanned": size, "storage": size, "cache": 0}
    assert len(cache_files(parthenon_home)) == 1        # both objects' rows, one partition
    assert indexed_urls(parthenon_home) == [str(folder / "a.json"), str(folder / "b.json")]

    second, stats = query(SELECT)
    assert second == ROWS
    assert stats["scanned"] == size and stats["storage"] == 0 and stats["cache"] > 0


def test_a_query_needing_more_columns_decodes_again_then_hits(tmp_path, parthenon_home):
    folder = make_table(tmp_path)
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert query("SELECT count(*) AS c FROM events")[0][3] == "| 3 |"
    table, stats = query(SELECT)           # eventname was not kept: decoded again, with n
    assert table == ROWS and stats["storage"] == size
    table, stats = query("SELECT sum(n) AS s FROM events WHERE eventname = 'GetObject'")
    assert table[3] == "| 4 |" and stats["storage"] == 0 and stats["cache"] > 0


def test_changed_object_is_decoded_again_and_deleted_one_forgotten(tmp_path, parthenon_home):
    folder = make_table(tmp_path)
    query(SELECT)
    changed = write_records(folder / "b.json", [{"eventName": "ListBuckets", "n": 30},
                                                {"eventName": "GetObject", "n": 40}])
    table, stats = query(SELECT)
    assert table[3:7] == ["| GetObject   | 1  |", "| PutObject   | 2  |",
                          "| ListBuckets | 30 |", "| GetObject   | 40 |"]
    assert stats["storage"] == changed        # only the changed object was read
    (folder / "a.json").unlink()
    table, stats = query(SELECT)
    assert table[3:5] == ["| ListBuckets | 30 |", "| GetObject   | 40 |"] and table[-1] == "2 rows"
    assert stats == {"scanned": changed, "storage": 0, "cache": stats["cache"]} and stats["cache"] > 0
    assert indexed_urls(parthenon_home) == [str(folder / "b.json")]
    assert len(cache_files(parthenon_home)) == 1     # the first file held only forgotten rows now


def test_switched_off_per_table(tmp_path, parthenon_home):
    folder = make_table(tmp_path, properties="TBLPROPERTIES ('parthenon.scan_cache'='false')")
    size = sum(p.stat().st_size for p in folder.iterdir())
    for _ in range(2):
        table, stats = query(SELECT)
        assert table == ROWS and stats == {"scanned": size, "storage": size, "cache": 0}
    assert cache_files(parthenon_home) == []
    ok("query", "ALTER TABLE events SET TBLPROPERTIES ('parthenon.scan_cache'='true')")
    query(SELECT)
    assert query(SELECT)[1]["storage"] == 0


def test_cache_size_zero_and_bad_sizes(tmp_path, parthenon_home):
    make_table(tmp_path)
    for _ in range(2):
        assert query(SELECT, "--cache-size", "0")[1]["cache"] == 0
    assert cache_files(parthenon_home) == []
    proc = parthenon("query", SELECT, "--cache-size", "lots")
    assert proc.returncode == 2
    assert "argument --cache-size: Invalid cache size 'lots': give bytes with a unit (512MB, 10GB), " \
           "a share of the free disk (5%), or 0 for no cache" in proc.stderr


def test_least_recently_used_files_are_evicted_past_the_size(tmp_path, parthenon_home):
    make_table(tmp_path, "events")
    make_table(tmp_path, "other")
    query(SELECT, "--cache-size", "1KB")
    first = cache_files(parthenon_home)
    assert len(first) == 1 and first[0].stat().st_size > 1024 // 2
    # the other table's entries push the first table's out (the running query's stay)
    query("SELECT n FROM other ORDER BY n", "--cache-size", "1KB")
    assert not first[0].exists() and len(cache_files(parthenon_home)) == 1
    table, stats = query(SELECT, "--cache-size", "1KB")
    assert table == ROWS and stats["storage"] == stats["scanned"]    # decoded again
    # with room for both, both stay
    query("SELECT n FROM other ORDER BY n", "--cache-size", "1MB")
    assert query(SELECT, "--cache-size", "1MB")[1]["storage"] == 0
    assert query("SELECT n FROM other ORDER BY n", "--cache-size", "1MB")[1]["storage"] == 0


def test_a_damaged_cache_file_falls_back_to_decoding(tmp_path, parthenon_home):
    folder = make_table(tmp_path)
    size = sum(p.stat().st_size for p in folder.iterdir())
    query(SELECT)
    [cached] = cache_files(parthenon_home)
    cached.write_bytes(b"not parquet at all")           # replaced: size and mtime differ
    table, stats = query(SELECT)
    assert table == ROWS and stats == {"scanned": size, "storage": size, "cache": stats["cache"]}
    # garbage of the same size and mtime: only the engine can tell, and the query still answers
    [cached] = cache_files(parthenon_home)
    st = cached.stat()
    cached.write_bytes(b"\0" * st.st_size)
    os.utime(cached, ns=(st.st_atime_ns, st.st_mtime_ns))
    table, stats = query(SELECT)
    assert table == ROWS and stats["storage"] == size
    assert query(SELECT)[1]["storage"] == 0              # and the cache works again


def test_unusable_cache_folder_never_fails_a_query(tmp_path, parthenon_home):
    make_table(tmp_path)
    (parthenon_home / "scan-cache").write_text("a file where the folder should be")
    for _ in range(2):
        table, stats = query(SELECT)
        assert table == ROWS and stats["cache"] == 0


def test_a_plain_limit_query_does_not_fill_the_cache_but_reads_it(tmp_path, parthenon_home):
    folder = make_table(tmp_path)
    size = sum(p.stat().st_size for p in folder.iterdir())
    table, stats = query("SELECT n FROM events WHERE n > 2 LIMIT 5")
    assert table[3:5] == ["| 3 |", "+---+"] and stats["cache"] == 0
    assert cache_files(parthenon_home) == []       # it may stop early: nothing decoded for the cache
    query(SELECT)
    table, stats = query("SELECT n FROM events WHERE n > 2 LIMIT 5")
    assert table[3] == "| 3 |" and stats == {"scanned": size, "storage": 0, "cache": stats["cache"]}


def test_struct_fields_are_kept_as_read_and_grow_when_more_are_read(tmp_path, parthenon_home):
    """A query reading one field of a struct keeps that field only; one reading another field
    decodes again with both, and the whole struct once a query reads it whole."""
    folder = tmp_path / "who-data"
    size = write_records(folder / "a.json", [{"eventName": "A", "who": {"arn": "a1", "type": "Root", "id": 1}},
                                              {"eventName": "B", "who": {"arn": "b1", "type": "User", "id": 2}}])
    ok("query", "CREATE EXTERNAL TABLE who_events (eventname STRING, who STRUCT<arn:STRING,type:STRING,id:INT>) "
                f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'")
    runs = [("SELECT eventname, who.arn AS arn FROM who_events ORDER BY 1", ["| A         | a1  |", "| B         | b1  |"], size),
            ("SELECT who.arn AS arn FROM who_events ORDER BY 1", ["| a1  |", "| b1  |"], 0),
            ("SELECT who.type AS t FROM who_events ORDER BY 1", ["| Root |", "| User |"], size),
            ("SELECT who.type AS t, who.arn AS arn FROM who_events ORDER BY 1",
             ["| Root | a1  |", "| User | b1  |"], 0),
            ("SELECT who.id AS i FROM who_events ORDER BY 1", ["| 1 |", "| 2 |"], size),
            ("SELECT who FROM who_events ORDER BY who.id",
             ["| {arn=a1, type=Root, id=1} |", "| {arn=b1, type=User, id=2} |"], 0)]
    for sql, rows, storage in runs:
        table, stats = query(sql)
        assert (table[3:5], stats["storage"], stats["scanned"]) == (rows, storage, size), sql
