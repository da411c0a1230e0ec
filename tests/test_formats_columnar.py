"""Parquet, ORC and Avro tables: files written here by PyArrow / fastavro, read back exactly
through parthenon.connect(), with Athena's type names, name matching and Data scanned."""
from __future__ import annotations

import decimal
import json
import os
from datetime import date, datetime, timezone

import fastavro
import pyarrow as pa
import pyarrow.orc as orc
import pyarrow.parquet as pq
import pytest

from parthenon.engine.duckdb.ranged import RangeSet

D = decimal.Decimal
UTC = timezone.utc


def query(con, sql):
    cur = con.cursor()
    cur.execute(sql)
    return cur


def types(cur):
    return [(d[0], d[1]) for d in cur.description]


# -- Parquet ----------------------------------------------------------------------------------

PARQUET_DDL = """CREATE EXTERNAL TABLE events (
  id bigint, name string, amount decimal(10,2), ts timestamp,
  info struct<city:string, zip:int>, tags array<string>, attrs map<string,bigint>,
  day date, raw binary, score double, missing_col double)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION '{location}'"""

EXPECTED_TYPES = [("id", "bigint"), ("name", "varchar"), ("amount", "decimal(10,2)"),
                  ("ts", "timestamp"), ("info", "row(city varchar, zip integer)"),
                  ("tags", "array(varchar)"), ("attrs", "map(varchar, bigint)"), ("day", "date"),
                  ("raw", "varbinary"), ("score", "double"), ("missing_col", "double"),
                  ("dt", "varchar")]


def _write_parquet_pair(root):
    """Two files as writers produce them over time: camelCase names, then an evolved schema."""
    (root / "dt=2024-01-01").mkdir(parents=True)
    (root / "dt=2024-01-02").mkdir(parents=True)
    first = pa.table({
        "ID": pa.array([1, 2, 3], pa.int32()),
        "Name": ["alpha", None, "gamma"],
        "Amount": pa.array([D("1.50"), D("-2.25"), None], pa.decimal128(9, 2)),
        "Ts": pa.array([datetime(2024, 1, 1, 10, 0, 0, 123456), None,
                        datetime(2024, 1, 1, 23, 59, 59, 999600)], pa.timestamp("us")),
        "Info": pa.array([{"City": "Paris", "Zip": 75001}, None, {"City": None, "Zip": 2}],
                         pa.struct([("City", pa.string()), ("Zip", pa.int32())])),
        "Tags": pa.array([["a", None], None, []], pa.list_(pa.string())),
        "Attrs": pa.array([[("k", 1)], [], None], pa.map_(pa.string(), pa.int64())),
        "Day": pa.array([date(2024, 1, 1), None, date(1999, 12, 31)], pa.date32()),
        "Raw": pa.array([b"\x00\x01", None, b""], pa.binary()),
        "score": pa.array([0.5, None, 1e300]),
    })
    pq.write_table(first, root / "dt=2024-01-01" / "part-0.parquet")
    # Later: no Tags, info lost zip and gained a field, an extra column, INT96 timestamps.
    second = pa.table({
        "id": pa.array([4], pa.int64()),
        "name": ["delta"],
        "amount": pa.array([D("10.00")], pa.decimal128(10, 2)),
        "ts": pa.array([datetime(2024, 1, 2, 0, 0, 1, 500)], pa.timestamp("ns")),
        "info": pa.array([{"city": "Oslo", "country": "NO"}]),
        "extra": ["ignored"],
    })
    pq.write_table(second, root / "dt=2024-01-02" / "part-0.parquet",
                   use_deprecated_int96_timestamps=True)


def test_parquet_reads_by_name_with_nested_types_decimals_timestamps_and_nulls(con, tmp_path):
    root = tmp_path / "events"
    _write_parquet_pair(root)
    query(con, PARQUET_DDL.format(location=root))
    assert query(con, "MSCK REPAIR TABLE events").fetchall()[0][0].startswith("Partitions not in metastore")
    cur = query(con, "SELECT * FROM events ORDER BY id")
    assert types(cur) == EXPECTED_TYPES
    assert cur.fetchall() == [
        (1, "alpha", D("1.50"), datetime(2024, 1, 1, 10, 0, 0, 123000), {"city": "Paris", "zip": 75001},
         ["a", None], [("k", 1)], date(2024, 1, 1), b"\x00\x01", 0.5, None, "2024-01-01"),
        (2, None, D("-2.25"), None, None, None, [], None, None, None, None, "2024-01-01"),
        # Hive timestamps are milliseconds: 59.9996 s rounds up to the next second
        (3, "gamma", None, datetime(2024, 1, 2, 0, 0, 0), {"city": None, "zip": 2}, [], None,
         date(1999, 12, 31), b"", 1e300, None, "2024-01-01"),
        (4, "delta", D("10.00"), datetime(2024, 1, 2, 0, 0, 1, 1000), {"city": "Oslo", "zip": None},
         None, None, None, None, None, None, "2024-01-02"),
    ]
    cur = query(con, "SELECT info.city, count(*) AS n FROM events WHERE dt = '2024-01-02' GROUP BY 1")
    assert cur.fetchall() == [("Oslo", 1)]
    # one partition: a small file is read whole by the footer's 16 KiB tail read
    assert cur.data_scanned_in_bytes == os.path.getsize(root / "dt=2024-01-02" / "part-0.parquet")


def test_parquet_with_no_files_and_with_a_column_in_no_file(con, tmp_path):
    query(con, PARQUET_DDL.format(location=tmp_path / "nothing"))
    cur = query(con, "SELECT * FROM events")
    assert (types(cur), cur.fetchall(), cur.data_scanned_in_bytes) == (EXPECTED_TYPES, [], 0)
    (tmp_path / "one").mkdir()
    pq.write_table(pa.table({"other": [1]}), tmp_path / "one" / "one.parquet")
    query(con, f"CREATE EXTERNAL TABLE one (id bigint, name string) STORED AS PARQUET "
               f"LOCATION '{tmp_path}/one/'")
    assert query(con, "SELECT id, name FROM one").fetchall() == [(None, None)]


def _chunk_ranges(path, columns):
    meta = pq.ParquetFile(path).metadata
    for rg in range(meta.num_row_groups):
        for ci in range(meta.num_columns):
            chunk = meta.row_group(rg).column(ci)
            if chunk.path_in_schema.split(".")[0].lower() in columns:
                start = chunk.dictionary_page_offset if chunk.has_dictionary_page and \
                    chunk.dictionary_page_offset else chunk.data_page_offset
                yield start, start + chunk.total_compressed_size


@pytest.fixture
def wide_parquet(tmp_path):
    n = 60_000
    table = pa.table({"id": pa.array(range(n), pa.int64()),
                      "user": [f"user-{i % 97}" for i in range(n)],
                      "payload": [f"{i:08d}" * 12 for i in range(n)],
                      "blob": [f"{i * 7919:012d}" * 8 for i in range(n)],
                      "score": [i / 3 for i in range(n)]})
    path = tmp_path / "wide" / "data.parquet"
    path.parent.mkdir()
    pq.write_table(table, path, row_group_size=20_000)
    return path


WIDE_DDL = ("CREATE EXTERNAL TABLE wide (id bigint, user string, payload string, blob string, "
            "score double) STORED AS PARQUET LOCATION '{location}'")


def test_parquet_data_scanned_is_the_footer_and_the_columns_read(con, wide_parquet):
    size = os.path.getsize(wide_parquet)
    query(con, WIDE_DDL.format(location=wide_parquet.parent))
    cur = query(con, 'SELECT max(id), count(DISTINCT "user") FROM wide')
    assert cur.fetchall() == [(59_999, 97)]
    chunks = RangeSet()
    for start, end in _chunk_ranges(wide_parquet, {"id", "user"}):
        chunks.add(start, end)
    # The engine reads the column chunks of id and user, plus the footer (its tail read).
    assert chunks.total <= cur.data_scanned_in_bytes <= chunks.total + 64 * 1024
    assert cur.data_scanned_in_bytes < size * 0.2
    everything = query(con, "SELECT * FROM wide").data_scanned_in_bytes
    assert size * 0.95 <= everything <= size


def test_parquet_in_s3_is_read_by_range(con, s3, wide_parquet):
    s3.create_bucket(Bucket="columnar")
    s3.upload_file(str(wide_parquet), "columnar", "wide/data.parquet")
    query(con, WIDE_DDL.format(location="s3://columnar/wide/"))
    cur = query(con, "SELECT sum(score), max(id) FROM wide WHERE id >= 40000")
    assert cur.fetchall() == [(sum(i / 3 for i in range(40_000, 60_000)), 59_999)]
    # Row groups whose statistics exclude id >= 40000 are skipped too.
    assert 0 < cur.data_scanned_in_bytes < os.path.getsize(wide_parquet) * 0.15


# -- ORC -----------------------------------------------------------------------------------------

ORC_DDL = """CREATE EXTERNAL TABLE orc_events (
  id bigint, name string, amount decimal(10,2), ts timestamp,
  info struct<city:string, zip:int>, tags array<string>, attrs map<string,bigint>, missing_col int)
PARTITIONED BY (year int)
STORED AS ORC
LOCATION '{location}'"""


@pytest.fixture
def orc_table(con, tmp_path):
    n = 30_000
    table = pa.table({
        "Id": pa.array(range(n), pa.int64()),
        "Name": [None if i % 10 == 1 else f"n{i}" for i in range(n)],
        "amount": pa.array([D(i) / 100 for i in range(n)], pa.decimal128(10, 2)),
        "ts": pa.array([datetime(2024, 3, 1, 12, 0, 0, 250999)] * n, pa.timestamp("ns")),
        "info": pa.array([None if i % 10 == 1 else {"City": f"c{i % 3}", "zip": i} for i in range(n)]),
        "tags": pa.array([["x", "y"] if i % 2 else [] for i in range(n)]),
        "attrs": pa.array([[("k", i)] for i in range(n)], pa.map_(pa.string(), pa.int64())),
        "padding": [f"{i:010d}" * 10 for i in range(n)],
    })
    path = tmp_path / "orc" / "year=2024" / "data.orc"
    path.parent.mkdir(parents=True)
    orc.write_table(table, path, stripe_size=256 * 1024)
    query(con, ORC_DDL.format(location=tmp_path / "orc"))
    query(con, "MSCK REPAIR TABLE orc_events")
    return path


def test_orc_reads_nested_types_exactly(con, orc_table):
    cur = query(con, "SELECT * FROM orc_events WHERE id IN (0, 1, 3) ORDER BY id")
    assert types(cur) == [("id", "bigint"), ("name", "varchar"), ("amount", "decimal(10,2)"),
                          ("ts", "timestamp"), ("info", "row(city varchar, zip integer)"),
                          ("tags", "array(varchar)"), ("attrs", "map(varchar, bigint)"),
                          ("missing_col", "integer"), ("year", "integer")]
    ts = datetime(2024, 3, 1, 12, 0, 0, 251000)
    assert cur.fetchall() == [
        (0, "n0", D("0.00"), ts, {"city": "c0", "zip": 0}, [], [("k", 0)], None, 2024),
        (1, None, D("0.01"), ts, None, ["x", "y"], [("k", 1)], None, 2024),
        (3, "n3", D("0.03"), ts, {"city": "c0", "zip": 3}, ["x", "y"], [("k", 3)], None, 2024),
    ]


def test_orc_reads_only_the_columns_a_query_uses(con, orc_table):
    size = os.path.getsize(orc_table)
    one = query(con, "SELECT max(id) FROM orc_events")
    assert one.fetchall() == [(29_999,)]
    everything = query(con, "SELECT * FROM orc_events")
    assert len(everything.fetchall()) == 30_000
    # the file's own padding column is no table column: never read
    assert one.data_scanned_in_bytes * 3 < everything.data_scanned_in_bytes < size * 0.5
    count = query(con, "SELECT count(*), year FROM orc_events GROUP BY year")
    assert count.fetchall() == [(30_000, 2024)]
    assert count.data_scanned_in_bytes < 20_000          # the footer alone
    joined = query(con, "SELECT a.name FROM orc_events a JOIN orc_events b ON a.id = b.id + 1 "
                        "WHERE b.id = 4")
    assert joined.fetchall() == [("n5",)]


def test_orc_column_index_access(con, tmp_path):
    path = tmp_path / "legacy" / "000000_0"
    path.parent.mkdir()
    orc.write_table(pa.table({"_col0": ["a", "b"], "_col1": pa.array([1, 2], pa.int32())}), path)
    query(con, f"CREATE EXTERNAL TABLE legacy (letter string, number int) STORED AS ORC "
               f"LOCATION '{path.parent}' TBLPROPERTIES ('orc.column.index.access'='true')")
    assert query(con, "SELECT number, letter FROM legacy ORDER BY 1").fetchall() == [(1, "a"), (2, "b")]


def test_a_corrupt_orc_file_names_itself(con, tmp_path):
    path = tmp_path / "bad" / "x.orc"
    path.parent.mkdir()
    path.write_bytes(b"not an orc file at all")
    query(con, f"CREATE EXTERNAL TABLE bad (a int) STORED AS ORC LOCATION '{path.parent}'")
    with pytest.raises(Exception) as info:
        query(con, "SELECT a FROM bad")
    assert str(info.value).startswith(f"HIVE_BAD_DATA: Error reading ORC file {path}")


# -- Avro ----------------------------------------------------------------------------------------

AVRO_SCHEMA = {
    "type": "record", "name": "Event", "namespace": "example.avro",
    "fields": [
        {"name": "Id", "type": "long"},
        {"name": "name", "type": ["null", "string"], "default": None},
        {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "address", "type": ["null", {"type": "record", "name": "Address",
                                              "fields": [{"name": "City", "type": "string"},
                                                         {"name": "zip", "type": ["null", "int"]}]}]},
        {"name": "tags", "type": {"type": "array", "items": "string"}},
        {"name": "attrs", "type": {"type": "map", "values": "long"}},
        {"name": "color", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "BLUE"]}},
        {"name": "home", "type": ["null", "Address"], "default": None},
    ]}

AVRO_DDL = """CREATE EXTERNAL TABLE avro_events (
  id bigint, name string, amount decimal(10,2), ts timestamp, day date,
  address struct<city:string, zip:int>, tags array<string>, attrs map<string,bigint>,
  color string, home struct<city:string, zip:int>)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.avro.AvroSerDe'
WITH SERDEPROPERTIES ('avro.schema.literal'='{literal}')
STORED AS AVRO
LOCATION '{location}'"""


def _avro_records(first: int):
    return [{"Id": first + i, "name": None if i else f"r{first}",
             "amount": D("12.34") * (i + 1), "ts": datetime(2024, 5, 1, 8, 30, 0, 250000, tzinfo=UTC),
             "day": date(2024, 5, 1), "address": {"City": "Lyon", "zip": None} if i else None,
             "tags": ["t"] * i, "attrs": {"n": i}, "color": "BLUE" if i else "RED",
             "home": {"City": "Nice", "zip": 6000} if i else None} for i in range(2)]


def test_avro_with_a_schema_literal_deflate_and_snappy(con, tmp_path):
    root = tmp_path / "avro"
    root.mkdir()
    schema = fastavro.parse_schema(AVRO_SCHEMA)
    for n, codec in enumerate(("deflate", "snappy", "null")):
        with open(root / f"part-{n}.avro", "wb") as f:
            fastavro.writer(f, schema, _avro_records(10 * n), codec=codec)
    query(con, AVRO_DDL.format(literal=json.dumps(AVRO_SCHEMA), location=root))
    cur = query(con, "SELECT * FROM avro_events ORDER BY id")
    assert types(cur) == [("id", "bigint"), ("name", "varchar"), ("amount", "decimal(10,2)"),
                          ("ts", "timestamp"), ("day", "date"), ("address", "row(city varchar, zip integer)"),
                          ("tags", "array(varchar)"), ("attrs", "map(varchar, bigint)"),
                          ("color", "varchar"), ("home", "row(city varchar, zip integer)")]
    ts = datetime(2024, 5, 1, 8, 30, 0, 250000)
    rows = []
    for first in (0, 10, 20):
        rows.append((first, f"r{first}", D("12.34"), ts, date(2024, 5, 1), None, [], [("n", 0)],
                     "RED", None))
        rows.append((first + 1, None, D("24.68"), ts, date(2024, 5, 1), {"city": "Lyon", "zip": None},
                     ["t"], [("n", 1)], "BLUE", {"city": "Nice", "zip": 6000}))
    assert cur.fetchall() == rows
    # Avro is a row format: every byte of every file is read.
    assert cur.data_scanned_in_bytes == sum(p.stat().st_size for p in root.iterdir())


def test_avro_reader_schema_fills_defaults_for_older_files(con, tmp_path):
    old = {"type": "record", "name": "Event", "fields": [{"name": "id", "type": "long"}]}
    new = {"type": "record", "name": "Event",
           "fields": [{"name": "id", "type": "long"},
                      {"name": "source", "type": "string", "default": "legacy"}]}
    (tmp_path / "evo").mkdir()
    with open(tmp_path / "evo" / "old.avro", "wb") as f:
        fastavro.writer(f, fastavro.parse_schema(old), [{"id": 1}])
    query(con, f"CREATE EXTERNAL TABLE evo (id bigint, source string) STORED AS AVRO "
               f"LOCATION '{tmp_path / 'evo'}' TBLPROPERTIES ('avro.schema.literal'='{json.dumps(new)}')")
    assert query(con, "SELECT id, source FROM evo").fetchall() == [(1, "legacy")]


def test_avro_schema_url_is_refused(con, tmp_path):
    query(con, f"CREATE EXTERNAL TABLE remote (id bigint) "
               f"ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.avro.AvroSerDe' "
               f"WITH SERDEPROPERTIES ('avro.schema.url'='s3://bucket/schema.avsc') "
               f"STORED AS AVRO LOCATION '{tmp_path}'")
    with pytest.raises(Exception) as info:
        query(con, "SELECT * FROM remote")
    assert str(info.value) == ("NOT_SUPPORTED: avro.schema.url is not supported in Athena: specify "
                               "the table's schema with avro.schema.literal")


def test_a_corrupt_parquet_file_names_itself(con, tmp_path):
    path = tmp_path / "badpq" / "x.parquet"
    path.parent.mkdir()
    path.write_bytes(b"PAR1 this is not really parquet")
    query(con, f"CREATE EXTERNAL TABLE badpq (a int) STORED AS PARQUET LOCATION '{path.parent}'")
    with pytest.raises(Exception) as info:
        query(con, "SELECT a FROM badpq")
    assert str(info.value).startswith(f"HIVE_BAD_DATA: Error reading {path}: ")
    assert "parthenon://" not in str(info.value)


def test_orc_and_avro_in_s3(con, s3, tmp_path):
    s3.create_bucket(Bucket="rows")
    local = tmp_path / "x.orc"
    orc.write_table(pa.table({"id": pa.array(range(1000), pa.int64()), "s": [str(i) for i in range(1000)]}),
                    local)
    s3.upload_file(str(local), "rows", "orc/x.orc")
    with open(tmp_path / "x.avro", "wb") as f:
        fastavro.writer(f, fastavro.parse_schema(AVRO_SCHEMA), _avro_records(7), codec="deflate")
    s3.upload_file(str(tmp_path / "x.avro"), "rows", "avro/x.avro")
    query(con, "CREATE EXTERNAL TABLE o (id bigint, s string) STORED AS ORC LOCATION 's3://rows/orc/'")
    cur = query(con, "SELECT sum(id), max(s) FROM o")
    assert cur.fetchall() == [(499_500, "999")]
    assert 0 < cur.data_scanned_in_bytes <= local.stat().st_size
    query(con, AVRO_DDL.replace("avro_events", "a").format(literal=json.dumps(AVRO_SCHEMA),
                                                           location="s3://rows/avro/"))
    cur = query(con, "SELECT id, name, color FROM a ORDER BY id")
    assert cur.fetchall() == [(7, "r7", "RED"), (8, None, "BLUE")]
    assert cur.data_scanned_in_bytes == (tmp_path / "x.avro").stat().st_size
