"""Text tables: LazySimpleSerDe, OpenCSV, Regex, Grok, JSON SerDe properties, compression."""
from __future__ import annotations

import bz2
import datetime
import gzip
import zlib

import cramjam
import pytest

import parthenon


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def rows(cur, sql):
    cur.execute(sql)
    return cur.fetchall()


# -- LazySimpleSerDe -------------------------------------------------------------------------

def test_default_delimiter_null_marker_and_typing(con, tmp_path):
    write(tmp_path / "t" / "a", b"1\x01alice\x011.5\x01true\x012024-01-02\n"
                                b"x\x01\\N\x01\x01TRUE\x01not a date\n"
                                b"2.5\x01bob\n"       # missing trailing fields are NULL
                                b"3\x01carol\x012\x01false\x012024-01-03\x01extra\n"
                                b"\n")               # an empty line is a row: '' then NULLs
    cur = con.cursor()
    cur.execute(f"CREATE EXTERNAL TABLE t (id int, name string, score double, ok boolean, d date) "
                f"LOCATION '{tmp_path}/t/'")
    cur.execute("SELECT * FROM t")
    assert [d[1] for d in cur.description] == ["integer", "varchar", "double", "boolean", "date"]
    assert sorted(cur.fetchall(), key=str) == sorted([
        (1, "alice", 1.5, True, datetime.date(2024, 1, 2)),
        (None, None, None, True, None),
        (None, "bob", None, None, None),
        (3, "carol", 2.0, False, datetime.date(2024, 1, 3)),
        (None, None, None, None, None),
    ], key=str)
    assert rows(cur, "SELECT count(*) FROM t WHERE name = ''") == [(0,)]


def test_row_format_delimited_clauses_and_escapes(con, tmp_path):
    write(tmp_path / "t" / "a.tsv", b"a\\,b,x:1|y:2,k1=1;k2=2,s1;7,NULL\r\n"
                                    b"c\\\\,z,,;,\\n\r\n")
    cur = con.cursor()
    cur.execute(f"""CREATE EXTERNAL TABLE t (s string, arr array<string>, m map<string,int>,
                    st struct<a:string,b:int>, n string)
                    ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' ESCAPED BY '\\\\'
                    COLLECTION ITEMS TERMINATED BY ';' MAP KEYS TERMINATED BY '='
                    NULL DEFINED AS 'NULL' LOCATION '{tmp_path}/t/'""")
    cur.execute("SELECT * FROM t ORDER BY s")
    assert cur.fetchall() == [
        ("a,b", ["x:1|y:2"], [("k1", 1), ("k2", 2)], {"a": "s1", "b": 7}, None),
        ("c\\", ["z"], [], {"a": "", "b": None}, "\n"),
    ]


def test_default_collection_and_map_delimiters(con, tmp_path):
    write(tmp_path / "t" / "a", "1\x01a\x02b\x02c\x01k\x03v\x02j\x03w\x01x\x02\\N\n".encode())
    cur = con.cursor()
    cur.execute(f"CREATE EXTERNAL TABLE t (id int, tags array<string>, kv map<string,string>, "
                f"pair array<string>) STORED AS TEXTFILE LOCATION '{tmp_path}/t/'")
    assert rows(cur, "SELECT * FROM t") == [(1, ["a", "b", "c"], [("k", "v"), ("j", "w")], ["x", None])]


def test_numeric_delimiter_and_header_skip_per_file(con, tmp_path):
    for name in ("a.csv", "b.csv"):
        write(tmp_path / "t" / name, f"col1,col2\n# second header\n{name},1\n".encode())
    cur = con.cursor()
    # serialization.format / field.delim given as a number is a byte value: 44 is ','.
    cur.execute(f"""CREATE EXTERNAL TABLE t (f string, n bigint)
                    ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'
                    WITH SERDEPROPERTIES ('field.delim' = '44') LOCATION '{tmp_path}/t/'
                    TBLPROPERTIES ('skip.header.line.count' = '2')""")
    assert rows(cur, "SELECT * FROM t ORDER BY f") == [("a.csv", 1), ("b.csv", 1)]


def test_integers_are_not_parsed_leniently(con, tmp_path):
    write(tmp_path / "t" / "a", b"12\n-7\n+3\n1.5\n1e3\n0x1F\n 4\n\n")
    cur = con.cursor()
    cur.execute(f"CREATE EXTERNAL TABLE t (n int) LOCATION '{tmp_path}/t/'")
    assert sorted(rows(cur, "SELECT n FROM t"), key=str) == sorted(
        [(12,), (-7,), (3,), (None,), (None,), (None,), (None,), (None,)], key=str)


def test_line_endings_and_invalid_utf8(con, tmp_path):
    write(tmp_path / "t" / "a", b"crlf\r\nlf\nlone-cr\rbad\xff-byte\r\n")
    cur = con.cursor()
    cur.execute(f"CREATE EXTERNAL TABLE t (s string) LOCATION '{tmp_path}/t/'")
    assert sorted(rows(cur, "SELECT s FROM t")) == [("bad?-byte",), ("crlf",), ("lf",), ("lone-cr",)]


# -- compression -----------------------------------------------------------------------------

LINES = b"".join(b"%d\x01name-%d\n" % (i, i) for i in range(1000))


def _hadoop_block(raw: bytes, compress) -> bytes:
    chunk = compress(raw)
    return len(raw).to_bytes(4, "big") + len(chunk).to_bytes(4, "big") + chunk


CODECS = {
    "plain.txt": lambda d: d,
    "a.gz": gzip.compress,
    "b.bz2": bz2.compress,
    "c.zst": lambda d: bytes(cramjam.zstd.compress(d)),
    "d.lz4": lambda d: bytes(cramjam.lz4.compress(d)),                       # LZ4 frame
    "e.lz4": lambda d: _hadoop_block(d, lambda r: bytes(cramjam.lz4.compress_block(r, store_size=False))),
    "f.snappy": lambda d: bytes(cramjam.snappy.compress(d)),                 # snappy framing
    "g.snappy": lambda d: _hadoop_block(d, lambda r: bytes(cramjam.snappy.compress_raw(r))),
    "h.deflate": zlib.compress,
    "i.gz": lambda d: gzip.compress(d[:500]) + gzip.compress(d[500:]),       # multi-member gzip
}


@pytest.mark.parametrize("name", sorted(CODECS))
def test_every_codec_and_data_scanned_is_stored_bytes(con, tmp_path, name):
    path = write(tmp_path / "t" / name, CODECS[name](LINES))
    cur = con.cursor()
    cur.execute(f"CREATE EXTERNAL TABLE t (id int, name string) LOCATION '{tmp_path}/t/'")
    assert rows(cur, "SELECT count(*), sum(id), max(name) FROM t") == [(1000, 499500, "name-999")]
    assert cur.data_scanned_in_bytes == path.stat().st_size


def test_upper_case_extension_is_not_a_codec(con, tmp_path):
    write(tmp_path / "t" / "a.GZ", gzip.compress(b"1\x01x\n"))
    cur = con.cursor()
    cur.execute(f"CREATE EXTERNAL TABLE t (id int, name string) LOCATION '{tmp_path}/t/'")
    assert rows(cur, "SELECT count(*) FILTER (WHERE id = 1) FROM t") == [(0,)]


def test_corrupt_object_is_hive_bad_data_naming_it(con, tmp_path):
    write(tmp_path / "t" / "good.gz", gzip.compress(b"1\x01x\n"))
    bad = write(tmp_path / "t" / "bad.gz", gzip.compress(b"2\x01y\n")[:-12] + b"garbage!")
    cur = con.cursor()
    cur.execute(f"CREATE EXTERNAL TABLE t (id int, name string) LOCATION '{tmp_path}/t/'")
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT * FROM t")
    assert str(err.value).startswith("HIVE_BAD_DATA: ") and str(bad) in str(err.value)


# -- OpenCSV ---------------------------------------------------------------------------------

def test_opencsv_quotes_escapes_newlines_and_types(con, tmp_path):
    write(tmp_path / "t" / "a.csv.gz", gzip.compress(
        b'id,text,n,ok,ts,d\n'
        b'1,"has, comma",10,true,1579059880000,19000\n'
        b'2,"say ""hi"" \\"there\\"",,false,0,0\n'
        b'3,"two\nlines",7,TRUE,1000,1\n'
        b'4,short\n'))
    cur = con.cursor()
    cur.execute(f"""CREATE EXTERNAL TABLE t (id int, text string, n bigint, ok boolean, ts timestamp, d date)
                    ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
                    LOCATION '{tmp_path}/t/'
                    TBLPROPERTIES ('skip.header.line.count'='1', 'use.null.for.invalid.data'='true')""")
    cur.execute("SELECT * FROM t ORDER BY id")
    assert [d[1] for d in cur.description] == ["integer", "varchar", "bigint", "boolean", "timestamp", "date"]
    assert cur.fetchall() == [
        (1, "has, comma", 10, True, datetime.datetime(2020, 1, 15, 3, 44, 40), datetime.date(2022, 1, 8)),
        (2, 'say "hi" "there"', None, False, datetime.datetime(1970, 1, 1), datetime.date(1970, 1, 1)),
        (3, "two\nlines", 7, True, datetime.datetime(1970, 1, 1, 0, 0, 1), datetime.date(1970, 1, 2)),
        (4, "short", None, None, None, None),
    ]


def test_opencsv_custom_separator_and_quote(con, tmp_path):
    write(tmp_path / "t" / "a", b"`a|b`|c\n")
    cur = con.cursor()
    cur.execute(f"""CREATE EXTERNAL TABLE t (x string, y string)
                    ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
                    WITH SERDEPROPERTIES ('separatorChar'='|', 'quoteChar'='`') LOCATION '{tmp_path}/t/'""")
    assert rows(cur, "SELECT * FROM t") == [("a|b", "c")]


# -- RegexSerDe ------------------------------------------------------------------------------

def regex_table(cur, tmp_path, regex, columns="a string, b int", data=b"x 1\ny z\nno-match\n"):
    write(tmp_path / "t" / "a.log", data)
    cur.execute(f"""CREATE EXTERNAL TABLE t ({columns})
                    ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
                    WITH SERDEPROPERTIES ('input.regex' = '{regex}') LOCATION '{tmp_path}/t/'""")


def test_regex_full_match_types_and_non_matching_lines(con, tmp_path):
    cur = con.cursor()
    regex_table(cur, tmp_path, r"(\\w+) (\\w+)")
    assert sorted(rows(cur, "SELECT * FROM t"), key=str) == sorted(
        [("x", 1), ("y", None), (None, None)], key=str)


def test_regex_named_groups_extra_columns_and_optional_groups(con, tmp_path):
    cur = con.cursor()
    regex_table(cur, tmp_path, r"(?<word>[a-z]+)(?: (\\d+))?(x?)", "w string, n string, e string, more string",
                data=b"abc 12\nabc\n")
    assert sorted(rows(cur, "SELECT * FROM t"), key=str) == sorted(
        [("abc", "12", "", None), ("abc", None, "", None)], key=str)


def test_regex_leading_lookahead_from_the_guide(con, tmp_path):
    cur = con.cursor()
    regex_table(cur, tmp_path, r"^(?!#)([^ ]+)\\s+([^ ]+)$", data=b"#Version: 1.0\nkey 5\n")
    assert sorted(rows(cur, "SELECT * FROM t"), key=str) == [("key", 5), (None, None)]


@pytest.mark.parametrize("regex, construct", [
    (r"(a)\\1", "Backreference"),
    (r"(?<=a)b", "Lookbehind"),
    (r"a(?=b)", "Lookahead"),
    (r"(?>ab)", "Atomic group"),
    (r"a*+", "Possessive quantifier"),
])
def test_regex_constructs_re2_lacks_are_not_supported(con, tmp_path, regex, construct):
    cur = con.cursor()
    regex_table(cur, tmp_path, regex)
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT * FROM t")
    assert str(err.value).startswith("NOT_SUPPORTED: ") and construct in str(err.value)


def test_regex_case_insensitive_property(con, tmp_path):
    write(tmp_path / "t" / "a", b"GET /x\n")
    cur = con.cursor()
    cur.execute(f"""CREATE EXTERNAL TABLE t (m string) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
                    WITH SERDEPROPERTIES ('input.regex'='(get) .*', 'input.regex.case.insensitive'='true')
                    LOCATION '{tmp_path}/t/'""")
    assert rows(cur, "SELECT m FROM t") == [("GET",)]


# -- Grok ------------------------------------------------------------------------------------

def test_grok_guide_s3_example_with_two_custom_patterns(con, tmp_path):
    write(tmp_path / "t" / "a", b'owner bkt [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57427F3 REST.GET.VERSIONING '
                                b'- "GET /bkt?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" -\n')
    cur = con.cursor()
    cur.execute(f"""CREATE EXTERNAL TABLE t (bucket_owner string, bucket string, time string, request_uri string,
                    http_status int, user_agent string, version_id string)
                    ROW FORMAT SERDE 'com.amazonaws.glue.serde.GrokSerDe'
                    WITH SERDEPROPERTIES (
                      'input.format'='%{{NOTSPACE:bucket_owner}} %{{NOTSPACE:bucket}} \\\\[%{{INSIDE_BRACKETS:time}}\\\\] %{{NOTSPACE:remote_ip}} %{{NOTSPACE:requester}} %{{NOTSPACE:request_id}} %{{NOTSPACE:operation}} %{{NOTSPACE:key}} \\"?%{{INSIDE_QS:request_uri}}\\"? %{{NOTSPACE:http_status}} %{{NOTSPACE:error_code}} %{{NOTSPACE:bytes_sent}} %{{NOTSPACE:object_size}} %{{NOTSPACE:total_time}} %{{NOTSPACE:turnaround_time}} \\"?%{{INSIDE_QS:referrer}}\\"? \\"?%{{INSIDE_QS:user_agent}}\\"? %{{NOTSPACE:version_id}}',
                      'input.grokCustomPatterns'='INSIDE_QS ([^\\"]*)\\nINSIDE_BRACKETS ([^\\\\]]*)')
                    STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
                    OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
                    LOCATION '{tmp_path}/t/'""")
    assert rows(cur, "SELECT * FROM t") == [("owner", "bkt", "06/Feb/2019:00:00:38 +0000",
                                             "GET /bkt?versioning HTTP/1.1", 200, "S3Console/0.4", "-")]


def test_grok_unknown_pattern_is_an_error(con, tmp_path):
    write(tmp_path / "t" / "a", b"x\n")
    cur = con.cursor()
    cur.execute(f"""CREATE EXTERNAL TABLE t (a string) ROW FORMAT SERDE 'com.amazonaws.glue.serde.GrokSerDe'
                    WITH SERDEPROPERTIES ('input.format'='%{{NOPE:a}}') LOCATION '{tmp_path}/t/'""")
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT * FROM t")
    assert "NOPE" in str(err.value)


# -- JSON SerDe properties -------------------------------------------------------------------

def test_openx_mapping_dots_and_case_sensitivity(con, tmp_path):
    write(tmp_path / "t" / "a.json.bz2", bz2.compress(
        b'{"Name": "a", "ts:utc": "x", "user.id": 7, "URL": "u1"}\n'))
    cur = con.cursor()
    cur.execute(f"""CREATE EXTERNAL TABLE t (name string, ts string, user_id int, url1 string, ts2 string)
                    ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
                    WITH SERDEPROPERTIES ('case.insensitive'='false', 'dots.in.keys'='true',
                      'mapping.ts'='ts:utc', 'mapping.url1'='URL', 'mapping.name'='Name',
                      'mapping.user_id'='user.id', 'mapping.ts2'='TS:UTC')
                    LOCATION '{tmp_path}/t/'""")
    # Case-sensitive: 'TS:UTC' is not 'ts:utc'.
    with pytest.raises(parthenon.Error) as err:   # ...but the engine cannot read both spellings
        cur.execute("SELECT * FROM t")
    assert str(err.value).startswith("NOT_SUPPORTED: Columns ts and ts2 read JSON keys that differ only in case")
    cur.execute("DROP TABLE t")
    cur.execute(f"""CREATE EXTERNAL TABLE t (name string, ts string, user_id int, url1 string, missing string)
                    ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
                    WITH SERDEPROPERTIES ('case.insensitive'='false', 'dots.in.keys'='true',
                      'mapping.ts'='ts:utc', 'mapping.url1'='URL', 'mapping.name'='Name',
                      'mapping.user_id'='user.id')
                    LOCATION '{tmp_path}/t/'""")
    assert rows(cur, "SELECT * FROM t") == [("a", "x", 7, "u1", None)]
    cur.execute(f"""CREATE EXTERNAL TABLE d (user_id int, name string)
                    ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
                    WITH SERDEPROPERTIES ('dots.in.keys'='true') LOCATION '{tmp_path}/t/'""")
    assert rows(cur, "SELECT * FROM d") == [(7, "a")]


def test_hive_json_timestamp_formats(con, tmp_path):
    write(tmp_path / "t" / "a.json", b'{"t": "2024-03-05T06:07:08.123Z"}\n{"t": "1700000000000"}\n'
                                     b'{"t": "2024-01-02 03:04:05"}\n')
    cur = con.cursor()
    cur.execute(f"""CREATE EXTERNAL TABLE t (t timestamp) ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
                    WITH SERDEPROPERTIES ('timestamp.formats'='yyyy-MM-dd\\'T\\'HH:mm:ss.SSS\\'Z\\',millis')
                    LOCATION '{tmp_path}/t/'""")
    assert sorted(rows(cur, "SELECT t FROM t")) == [
        (datetime.datetime(2023, 11, 14, 22, 13, 20),), (datetime.datetime(2024, 1, 2, 3, 4, 5),),
        (datetime.datetime(2024, 3, 5, 6, 7, 8, 123000),)]
