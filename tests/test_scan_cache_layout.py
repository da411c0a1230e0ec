"""The scan cache's files are laid out for reading back: rows in large Parquet row groups,
not one group per batch the engine decoded (~700 CloudTrail rows each, which made the
second run of the 1 GB benchmark's seed query 7x slower to read)."""
from __future__ import annotations

import json

import pyarrow.parquet as pq

from parthenon.scan_cache.decode import ROW_GROUP_ROWS


def test_a_cache_file_holds_its_rows_in_large_row_groups(tmp_path, parthenon_home, con):
    folder = tmp_path / "events-data"
    folder.mkdir()
    rows = 0
    for f in range(12):      # many files, many engine batches
        lines = [json.dumps({"eventName": f"E{i % 7}", "n": i}) for i in range(f, 60_000, 12)]
        (folder / f"{f:02d}.json").write_text("\n".join(lines) + "\n")
        rows += len(lines)
    cur = con.cursor()
    cur.execute("CREATE EXTERNAL TABLE events (eventname STRING, n INT) "
                f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'")
    query = "SELECT eventname, count(*), sum(n) FROM events GROUP BY eventname ORDER BY eventname"
    cur.execute(query)
    first = cur.fetchall()
    assert first == [(f"E{k}", len(range(k, 60_000, 7)), sum(range(k, 60_000, 7))) for k in range(7)]
    files = sorted((parthenon_home / "scan-cache").rglob("*.parquet"))
    assert len(files) == 1
    meta = pq.ParquetFile(files[0]).metadata
    assert meta.num_rows == rows == 60_000
    assert meta.num_row_groups == -(-rows // ROW_GROUP_ROWS) == 1
    cur.execute(query)      # read back from it: the same answer
    assert cur.fetchall() == first
    assert cur._result.cache_bytes_scanned > 0
