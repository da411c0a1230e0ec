"""Tables STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat': the files
in the location are manifests, one data file per line, and the rows are those files' rows read
with the table's SerDe (storage.symlinks says which rules are Hive's and Trino's).

Through the DB-API over local files, and over a moto S3 bucket holding the S3 Inventory reports
of tests/corpus/s3_inventory verbatim (their manifests name s3:// objects of that bucket).
The rows were worked out from the reports by hand (tests/corpus/SOURCES.md).
"""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import parthenon
from engines import ENGINES, connect as engine_connect, spark_available
from test_published_queries import (INVENTORY, INVENTORY_BUCKET, INVENTORY_CONFIG,
                                    copy_inventory, ddl)

SYMLINK = ("STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat' "
           "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat'")
CSV = "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'"
DELIMITED = "ROW FORMAT DELIMITED FIELDS TERMINATED BY ','"
DATA = INVENTORY / INVENTORY_CONFIG / "data"
DAY1 = "3f6c2a6e-4b1d-4a5e-9a47-0c1f2d8e9b10.csv.gz"      # 2024-05-01's one data file
DAY2 = ("81d0e7b4-6a2c-4f3e-8b5d-2e9f1a7c4d63.csv.gz", "c5a9f2e1-0d3b-4c7a-9e6f-7b8d1c2a3e45.csv.gz")
BY_DAY_AND_ENCRYPTION = [
    ("2024-05-01-00-00", "NOT-SSE", 1), ("2024-05-01-00-00", "SSE-KMS", 1),
    ("2024-05-01-00-00", "SSE-S3", 2),       # index.html, backups/db.dump
    ("2024-05-02-00-00", "NOT-SSE", 1), ("2024-05-02-00-00", "SSE-KMS", 1),
    ("2024-05-02-00-00", "SSE-S3", 3)]       # ... and the new photos/2024/new%2Bfile.png
ENCRYPTION_SQL = ("SELECT dt, encryption_status, count(*) FROM your_table_name "
                  "WHERE dt >= '2024-05-01-00-00' GROUP BY dt, encryption_status ORDER BY 1, 2")


def size(name: str) -> int:
    return (DATA / name).stat().st_size


def test_the_inventory_reports_by_day_and_encryption(con, tmp_path):
    cur = con.cursor()
    config = copy_inventory(tmp_path)
    cur.execute(ddl("s3_inventory_csv", f"{config}/hive/"))
    cur.execute(ENCRYPTION_SQL)
    assert cur.fetchall() == BY_DAY_AND_ENCRYPTION
    # the data files are scanned, not the manifests (nor the file no manifest names)
    assert cur.data_scanned_in_bytes == size(DAY1) + size(DAY2[0]) + size(DAY2[1])
    cur.execute("SELECT key, size, storage_class, \"$path\" FROM your_table_name "
                "WHERE dt = '2024-05-02-00-00' AND is_multipart_uploaded ORDER BY key")
    data = config / "data"
    assert cur.fetchall() == [
        ("backups/db.dump", "10485760", "GLACIER", f"{data}/{DAY2[1]}"),
        ("photos/2024/beach%20day.jpg", "2483214", "STANDARD", f"{data}/{DAY2[0]}")]
    assert cur.data_scanned_in_bytes == size(DAY2[0]) + size(DAY2[1])
    cur.execute("SELECT count(*) FROM your_table_name WHERE dt = '2024-05-03-00-00'")
    assert cur.fetchall() == [(0,)]          # no report that day: no manifest, no rows


@pytest.mark.parametrize("engine", ENGINES)
def test_both_engines_read_the_files_the_manifests_name(engine, tmp_path):
    if engine == "spark" and not spark_available():
        pytest.skip("Spark needs pyspark and Java")
    config = copy_inventory(tmp_path)
    con = engine_connect(engine, tmp_path / "home")
    cur = con.cursor()
    cur.execute(ddl("s3_inventory_csv", f"{config}/hive/"))
    cur.execute(ENCRYPTION_SQL)
    assert cur.fetchall() == BY_DAY_AND_ENCRYPTION


def symlink_table(cur, folder: Path, columns: str = "k string, v string", row_format: str = DELIMITED,
                  name: str = "t") -> None:
    cur.execute(f"CREATE EXTERNAL TABLE {name} ({columns}) {row_format} {SYMLINK} LOCATION '{folder}/'")


def test_manifest_lines_as_hive_reads_them(con, tmp_path):
    data = tmp_path / "data"
    (data / "more").mkdir(parents=True)
    (data / "a.csv").write_text("a,1\n")
    (data / "b.csv").write_text("b,2\n")
    (data / "more" / "c.csv").write_text("c,3\n")
    (data / "more" / "_c.csv").write_text("hidden,0\n")
    links = tmp_path / "links"
    links.mkdir()
    # \r\n and \r end lines too; no break after the last line; a line naming a folder stands
    # for its visible files; a file:// URL is a location
    (links / "symlink.txt").write_bytes(f"{data}/a.csv\r\nfile://{data}/b.csv\r{data}/more".encode())
    (links / "_SUCCESS").write_text("/nonexistent\n")          # hidden: no manifest
    (links / ".symlink.txt.crc").write_text("/nonexistent\n")
    (data / "d.csv").write_text("d,4\n")
    (links / "second").write_text(f"{data}/d.csv\n")            # any visible name is a manifest
    cur = con.cursor()
    symlink_table(cur, links)
    cur.execute("SELECT k, v, \"$path\" FROM t ORDER BY k")
    assert cur.fetchall() == [("a", "1", f"{data}/a.csv"), ("b", "2", f"{data}/b.csv"),
                              ("c", "3", f"{data}/more/c.csv"), ("d", "4", f"{data}/d.csv")]
    assert cur.data_scanned_in_bytes == 4 * 4


@pytest.mark.parametrize("manifest, error", [
    ("{data}/a.csv\n\n{data}/b.csv\n",
     "HIVE_UNKNOWN_ERROR: Can not create a Path from an empty string (line 2 of the symlink "
     "manifest {links}/symlink.txt)"),
    ("data/a.csv\n",
     "HIVE_BAD_DATA: Error parsing symlinks: line 1 of the symlink manifest {links}/symlink.txt: "
     "Invalid location 'data/a.csv': use s3://bucket/prefix/, file:///abs/path/ or an absolute path"),
    ("{data}/../data/a.csv\n",
     "HIVE_BAD_DATA: Error parsing symlinks: line 1 of the symlink manifest {links}/symlink.txt: "
     "Invalid location '{data}/../data/a.csv': '..' segments are not allowed in a location"),
    ("{data}/a.csv\n{data}/gone.csv\n",
     "HIVE_FILESYSTEM_ERROR: Input path does not exist: {data}/gone.csv (listed in the symlink "
     "manifest {links}/symlink.txt)"),
    (" {data}/a.csv\n",       # taken literally: a leading space is no absolute path
     "HIVE_BAD_DATA: Error parsing symlinks: line 1 of the symlink manifest {links}/symlink.txt: "
     "Invalid location ' {data}/a.csv': use s3://bucket/prefix/, file:///abs/path/ or an absolute path"),
])
def test_a_bad_manifest_line_fails_the_query(con, tmp_path, manifest, error):
    data, links = tmp_path / "data", tmp_path / "links"
    data.mkdir()
    links.mkdir()
    (data / "a.csv").write_text("a,1\n")
    (data / "b.csv").write_text("b,2\n")
    (links / "symlink.txt").write_text(manifest.format(data=data))
    cur = con.cursor()
    symlink_table(cur, links)
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT * FROM t")
        cur.fetchall()
    assert str(err.value) == error.format(data=data, links=links)


def test_a_folder_among_the_manifests_fails_the_query(con, tmp_path):
    # Trino lists the location's entries and cannot open a folder as a manifest
    data = tmp_path / "a.csv"
    data.write_text("a,1\n")
    (tmp_path / "hive" / "dt=1").mkdir(parents=True)
    (tmp_path / "hive" / "dt=1" / "symlink.txt").write_text(f"{data}\n")
    cur = con.cursor()
    symlink_table(cur, tmp_path / "hive")
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT * FROM t")
    assert str(err.value) == (f"HIVE_BAD_DATA: Error parsing symlinks from: {tmp_path}/hive/: dt=1/ "
                              "is a folder, not a manifest (a SymlinkTextInputFormat location holds "
                              "manifests only)")
    # as partitions, each folder is a location of manifests
    cur.execute(f"CREATE EXTERNAL TABLE p (k string, v string) PARTITIONED BY (dt string) {DELIMITED} "
                f"{SYMLINK} LOCATION '{tmp_path}/hive/'")
    cur.execute("MSCK REPAIR TABLE p")
    cur.execute("SELECT k, v, dt FROM p")
    assert cur.fetchall() == [("a", "1", "1")]


def test_parquet_and_json_data_files(con, tmp_path):
    # Delta Lake's symlink_format_manifest: a `manifest` per table, naming Parquet files
    table = tmp_path / "delta"
    (table / "_symlink_format_manifest").mkdir(parents=True)
    pq.write_table(pa.table({"id": [1, 2], "name": ["x", "y"]}), table / "part-00000.snappy.parquet")
    pq.write_table(pa.table({"id": [3], "name": ["z"]}), table / "part-00001.snappy.parquet")
    pq.write_table(pa.table({"id": [9], "name": ["removed"]}), table / "part-00002.snappy.parquet")
    (table / "_symlink_format_manifest" / "manifest").write_text(
        f"{table}/part-00000.snappy.parquet\n{table}/part-00001.snappy.parquet\n")
    json_file = tmp_path / "rows.json"
    json_file.write_text(json.dumps({"id": 7, "name": "j"}) + "\n")
    (tmp_path / "json_links").mkdir()
    (tmp_path / "json_links" / "symlink.txt").write_text(f"{json_file}\n")
    cur = con.cursor()
    symlink_table(cur, table / "_symlink_format_manifest", "id int, name string",
                  "ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'")
    symlink_table(cur, tmp_path / "json_links", "id int, name string",
                  "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'", name="j")
    cur.execute("SELECT id, name FROM t UNION ALL SELECT id, name FROM j ORDER BY id")
    assert cur.fetchall() == [(1, "x"), (2, "y"), (3, "z"), (7, "j")]
    assert cur.description[0][1] == "integer"


def test_inserting_into_a_symlink_table_is_refused(con, tmp_path):
    cur = con.cursor()
    (tmp_path / "links").mkdir()
    symlink_table(cur, tmp_path / "links", "id int",
                  "ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'")
    with pytest.raises(parthenon.Error) as err:
        cur.execute("INSERT INTO t VALUES (1)")
    assert str(err.value) == (
        "NOT_SUPPORTED: Inserting into tables with INPUTFORMAT "
        "'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat' is not supported (table default.t): "
        "their rows are the files their manifests name")
    assert list((tmp_path / "links").iterdir()) == []


def test_inventory_reports_in_an_s3_bucket(con, s3):
    """The corpus's destination bucket uploaded as it is: its manifests name s3:// objects."""
    s3.create_bucket(Bucket=INVENTORY_BUCKET)
    for path in sorted(p for p in INVENTORY.rglob("*") if p.is_file()):
        s3.put_object(Bucket=INVENTORY_BUCKET, Key=str(path.relative_to(INVENTORY)), Body=path.read_bytes())
    cur = con.cursor()
    cur.execute(ddl("s3_inventory_csv", f"s3://{INVENTORY_BUCKET}/{INVENTORY_CONFIG}/hive/"))
    cur.execute(ENCRYPTION_SQL)
    assert cur.fetchall() == BY_DAY_AND_ENCRYPTION
    assert cur.data_scanned_in_bytes == size(DAY1) + size(DAY2[0]) + size(DAY2[1])
    cur.execute("SELECT DISTINCT \"$path\" FROM your_table_name WHERE dt = '2024-05-01-00-00'")
    assert cur.fetchall() == [(f"s3://{INVENTORY_BUCKET}/{INVENTORY_CONFIG}/data/{DAY1}",)]
    # s3a:// (as Spark-written manifests say) is S3 too; a missing object fails the query
    links = f"{INVENTORY_CONFIG}/hive/dt=2024-05-03-00-00/symlink.txt"
    s3.put_object(Bucket=INVENTORY_BUCKET, Key=links, Body=(
        f"s3a://{INVENTORY_BUCKET}/{INVENTORY_CONFIG}/data/{DAY1}\n").encode())
    cur.execute("SELECT count(*) FROM your_table_name WHERE dt = '2024-05-03-00-00'")
    assert cur.fetchall() == [(4,)]
    s3.put_object(Bucket=INVENTORY_BUCKET, Key=links, Body=(
        f"s3://{INVENTORY_BUCKET}/{INVENTORY_CONFIG}/data/deleted.csv.gz\n").encode())
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT count(*) FROM your_table_name WHERE dt = '2024-05-03-00-00'")
    assert str(err.value) == (
        f"HIVE_FILESYSTEM_ERROR: Input path does not exist: s3://{INVENTORY_BUCKET}/{INVENTORY_CONFIG}"
        f"/data/deleted.csv.gz (listed in the symlink manifest s3://{INVENTORY_BUCKET}/{links})")


def test_a_serde_with_no_storage_format_of_its_own_is_refused(con, tmp_path):
    cur = con.cursor()
    symlink_table(cur, tmp_path / "links", "eventversion string",
                  "ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde'")
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT * FROM t")
    assert str(err.value) == ("NOT_SUPPORTED: Unknown SerDe for SymlinkTextInputFormat: "
                              "com.amazon.emr.hive.serde.CloudTrailSerde (table default.t)")
