"""Trino's regular expressions and text functions through the DB-API, on every engine
(tests/engines.py), over a CloudTrail table: patterns from a column and lambdas, which the
Spark engine used to refuse, answer as Trino does; what Spark cannot tell apart is refused."""
from __future__ import annotations

import pytest

from conftest import CLOUDTRAIL_DDL, cloudtrail_file
from engines import ENGINES, engine_connection
from parthenon.errors import InvalidFunctionArgument, NotSupported

RECORDS = [
    {"eventVersion": "1.08", "eventTime": "2017-06-15T12:00:00Z", "eventName": "GetObject",
     "eventSource": "s3.amazonaws.com", "userAgent": "aws-cli/2.13.0 Python/3.11.4"},
    {"eventVersion": "1.08", "eventTime": "2017-06-15T13:30:00Z", "eventName": "PutObject",
     "eventSource": "s3.amazonaws.com", "userAgent": "Boto3/1.28.0"},
    {"eventVersion": "1.08", "eventTime": "2017-06-16T00:00:01Z", "eventName": "ListBuckets",
     "eventSource": "s3.amazonaws.com"},
]


@pytest.fixture(params=ENGINES)
def cur(request, parthenon_home, tmp_path):
    con = engine_connection(request, parthenon_home)
    cloudtrail_file(tmp_path / "ct" / "123456789012_CloudTrail_us-east-1_x.json.gz", RECORDS)
    cursor = con.cursor()
    ddl = CLOUDTRAIL_DDL.format(location=f"{tmp_path}/ct/").split("PARTITIONED BY")[0]
    cursor.execute(ddl + f"ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' LOCATION '{tmp_path}/ct/'")
    yield cursor
    con.close()


def rows(cur, sql):
    cur.execute(sql)
    return cur.fetchall()


def test_patterns_from_a_column(cur):
    assert rows(cur, r"""SELECT regexp_extract(useragent, p, 1), regexp_extract(useragent, '^([\w-]+)/(x)?', 2),
                                regexp_split(useragent, q), regexp_position(useragent, q, 2, 2),
                                regexp_count(eventname, '')
                         FROM cloudtrail_logs CROSS JOIN (VALUES ('^([\w-]+)/(x)?', '[/ ]')) r(p, q)
                         ORDER BY eventtime""") == [
        ("aws-cli", None, ["aws-cli", "2.13.0", "Python", "3.11.4"], 15, 10),
        ("Boto3", None, ["Boto3", "1.28.0"], -1, 10),
        (None, None, None, None, 12)]


def test_a_group_number_the_pattern_lacks_fails_without_a_match(cur):
    with pytest.raises(InvalidFunctionArgument, match="Pattern has 1 groups. Cannot access group 2"):
        rows(cur, "SELECT regexp_extract(eventname, p, 2) FROM cloudtrail_logs CROSS JOIN (VALUES 'x(y)') r(p)")


def test_regexp_replace_with_a_lambda(cur):
    assert rows(cur, """SELECT regexp_replace(eventname, '([A-Z])([a-z]*)', x -> lower(x[1]) || x[2] || '_'),
                               regexp_replace(eventname, 'B(x)?', x -> coalesce(x[1], '-'))
                        FROM cloudtrail_logs ORDER BY eventtime""") == [
        ("get_object_", "GetObject"), ("put_object_", "PutObject"), ("list_buckets_", "List-uckets")]


def test_spark_refuses_an_empty_group_it_cannot_tell_from_a_missing_one(parthenon_home):
    from engines import connect
    con = connect("spark", parthenon_home)
    try:
        with pytest.raises(NotSupported, match="An empty capturing group of a regular expression"):
            rows(con.cursor(), "SELECT regexp_extract(s, p, 1) FROM (VALUES ('y', '(x*)?y')) t(s, p)")
        # Trino's answer, NULL, where the group cannot match the empty string
        assert rows(con.cursor(), "SELECT regexp_extract(s, '(x)?y', 1) FROM (VALUES 'y') t(s)") == [(None,)]
    finally:
        con.close()


def test_hashes_and_base32_are_trinos_bytes(cur):
    """murmur3 (x64 128-bit), xxhash64 (seed 0, big-endian), spooky_hash_v2_32/64 and base32:
    Trino's bytes on both engines (Spark runs them as Python UDFs), NULL for NULL."""
    assert rows(cur, """SELECT to_hex(murmur3(to_utf8(a))), to_hex(xxhash64(to_utf8(a))),
                               to_hex(spooky_hash_v2_32(to_utf8(b))), to_hex(spooky_hash_v2_64(to_utf8(b))),
                               to_base32(to_utf8(c)), from_utf8(from_base32(to_base32(to_utf8(c)))),
                               from_utf8(from_base32(d)), typeof(murmur3(to_utf8(a)))
                        FROM (VALUES ('hashme', 'hello', 'abc', 'MFRGG'), (NULL, NULL, NULL, NULL)) t(a, b, c, d)
                        ORDER BY a NULLS LAST""") == [
        ("93192FE805BE23041C8318F67EC4F2BC", "F9D96E0E1165E892", "D382E6CA", "3768826AD382E6CA", "MFRGG===",
         "abc", "abc", "varbinary"),
        (None, None, None, None, None, None, None, "varbinary")]


@pytest.mark.parametrize("text", ["!!", "mfrgg===", "MFRGGM=="])
def test_from_base32_of_text_guava_refuses_fails(cur, text):
    with pytest.raises(InvalidFunctionArgument, match=f"Invalid input for base32: {text}"):
        rows(cur, f"SELECT from_base32(s) FROM (VALUES '{text}') t(s)")


def test_spooky_hash_of_192_bytes_or_more_is_refused(cur):
    assert rows(cur, "SELECT length(spooky_hash_v2_64(to_utf8(rpad('', 191, 'x'))))") == [(8,)]
    with pytest.raises(NotSupported, match="spooky_hash_v2 of 192 bytes or more is not supported"):
        rows(cur, "SELECT spooky_hash_v2_64(to_utf8(rpad('', 192, 'x')))")


def test_word_stem_is_the_snowball_stemmer_of_the_language(cur):
    assert rows(cur, """SELECT word_stem(w), word_stem(w, l) FROM (VALUES ('generally', 'en'),
                               ('continuerait', 'fr'), ('bastão', 'pt'), (NULL, 'en')) t(w, l)
                        ORDER BY w NULLS LAST""") == [
        ("bastão", "bastã"), ("continuerait", "continu"), ("general", "general"), (None, None)]
    with pytest.raises(InvalidFunctionArgument, match="Unknown stemmer language: xx"):
        rows(cur, "SELECT word_stem(w, l) FROM (VALUES ('test', 'xx')) t(w, l)")


def test_spark_refuses_its_python_functions_inside_a_lambda(parthenon_home):
    """A Python UDF cannot run in a Spark lambda: refused, not an internal error."""
    from engines import connect
    con = connect("spark", parthenon_home)
    try:
        with pytest.raises(NotSupported, match="Function 'word_stem' inside a lambda is not supported on the Spark"):
            rows(con.cursor(), "SELECT transform(ARRAY['runs'], x -> word_stem(x))")
        with pytest.raises(NotSupported, match="Function 'xxhash64' inside a lambda is not supported"):
            rows(con.cursor(), "SELECT transform(ARRAY[X'00'], x -> xxhash64(x))")
    finally:
        con.close()


def test_the_characters_trim_removes_may_be_a_char_value_its_padding_included(cur):
    assert rows(cur, """SELECT ltrim(a, CHAR ' '), rtrim(b, CAST('l' AS CHAR(2))), trim(b, CAST('h' AS CHAR(1)))
                        FROM (VALUES ('  hello  ', 'hell  ')) t(a, b)""") == [("hello  ", "he", "ell  ")]
