"""Trino's setdigest functions through the DB-API on the DuckDB engine, with the answers
of Trino's documentation (functions/setdigest.md): make_set_digest's bytes exactly (a
sparse airlift HyperLogLog and the MinHash of MurmurHash3 hashes), cardinality,
intersection_cardinality, jaccard_index, hash_counts; merge_set_digest.  A digest past
airlift's sparse HyperLogLog (about 250 values and more) is NOT_SUPPORTED."""
from __future__ import annotations

import pytest

import parthenon

DIGEST_123 = bytes.fromhex(
    "01 10 00 00 00 02 0b 03 00 80 03 44 00 00 58 3d 5b 80 20 08 de 00 20 00 00 03 00 00 00 a8 c0 76 6c"
    " a0 20 08 de 4a c4 05 fb b7 03 44 00 0c 8b 48 b2 39 58 3d 5b 01 00 01 00 01 00")
DIGEST_WORDS = bytes.fromhex(
    "01 14 00 00 00 02 0b 04 00 c0 8c 7d 1e c0 75 c9 2d c0 1a 1a 66 03 11 c3 a5 00 20 00 00 04 00 00 00"
    " 06 e5 2d 45 05 11 c3 a5 48 85 6b d5 e0 8c 7d 1e b9 1a 8a 39 ff 75 c9 2d 02 ad 0c 7c ed 1a 1a 66"
    " 01 00 01 00 01 00 01 00")


def run(con, sql: str):
    cur = con.cursor()
    cur.execute(sql)
    return cur.fetchall(), [d[1] for d in cur.description]


def test_make_set_digest_of_bigints_is_trinos_bytes(con):
    assert run(con, "SELECT make_set_digest(value) FROM (VALUES 1, 2, 3) T(value)") == (
        [(DIGEST_123,)], ["setdigest"])
    assert run(con, "SELECT make_set_digest(CAST(v AS BIGINT)) FROM (VALUES 3, 1, NULL, 2) t(v)")[0] == [
        (DIGEST_123,)]


def test_make_set_digest_of_varchars_is_trinos_bytes(con):
    assert run(con, "SELECT make_set_digest(value) FROM (VALUES 'Trino', 'SQL', 'on', 'everything') T(value)") \
        == ([(DIGEST_WORDS,)], ["setdigest"])
    assert run(con, "SELECT to_hex(CAST(make_set_digest(v) AS varbinary)), typeof(make_set_digest(v)) "
                    "FROM (VALUES 'Trino', 'SQL', 'on', 'everything') t(v)")[0] == [
        (DIGEST_WORDS.hex().upper(), "setdigest")]


def test_digest_functions(con):
    assert run(con, "SELECT cardinality(make_set_digest(value)) FROM (VALUES 1, 2, 2, 3, 3, 4, 4, 4, 5) "
                    "T(value)") == ([(5,)], ["bigint"])
    assert run(con, "SELECT intersection_cardinality(make_set_digest(v1), make_set_digest(v2)) "
                    "FROM (VALUES (1, 1), (NULL, 2), (2, 3), (3, 4)) T(v1, v2)") == ([(3,)], ["bigint"])
    assert run(con, "SELECT jaccard_index(make_set_digest(v1), make_set_digest(v2)) "
                    "FROM (VALUES (1, 1), (NULL, 2), (2, 3), (NULL, 4)) T(v1, v2)") == ([(0.5,)], ["double"])
    rows, types = run(con, "SELECT hash_counts(make_set_digest(value)) FROM (VALUES 1, 1, 1, 2, 2) T(value)")
    assert dict(rows[0][0]) == {19144387141682250: 3, -2447670524089286488: 2}
    assert types == ["map(bigint, smallint)"]


def test_merge_set_digest_adds_the_counts(con):
    rows, types = run(con, "SELECT merge_set_digest(d), cardinality(merge_set_digest(d)) FROM ("
                           "SELECT g, make_set_digest(v) AS d FROM (VALUES (1, 1), (1, 2), (2, 3)) t(g, v) "
                           "GROUP BY g)")
    assert rows == [(DIGEST_123, 3)] and types == ["setdigest", "bigint"]
    rows, _ = run(con, "SELECT hash_counts(merge_set_digest(d)) FROM (SELECT make_set_digest(v) AS d "
                       "FROM (VALUES (1, 1), (1, 2), (2, 1)) t(g, v) GROUP BY g)")
    assert dict(rows[0][0]) == {19144387141682250: 2, -2447670524089286488: 1}     # 1 twice, 2 once


def test_no_values_is_null(con):
    assert run(con, "SELECT make_set_digest(v), cardinality(make_set_digest(v)) FROM (VALUES 1) t(v) "
                    "WHERE v > 5")[0] == [(None, None)]


def test_large_digest_is_refused_and_wrong_argument_not_found(con):
    assert run(con, "SELECT cardinality(make_set_digest(x)) FROM UNNEST(sequence(1, 200)) t(x)")[0] == [(200,)]
    with pytest.raises(parthenon.Error) as err:
        run(con, "SELECT cardinality(make_set_digest(x)) FROM UNNEST(sequence(1, 1000)) t(x)")
    assert str(err.value).startswith("NOT_SUPPORTED: ")
    with pytest.raises(parthenon.Error) as err:
        run(con, "SELECT make_set_digest(x) FROM (VALUES 1.5) t(x)")
    assert str(err.value) == ("FUNCTION_NOT_FOUND: line 1:8: Unexpected parameters (decimal(2,1)) for function "
                              "make_set_digest. Expected: make_set_digest(bigint), make_set_digest(varchar(x))")
