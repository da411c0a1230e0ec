"""Athena's hidden columns "$path", "$file_size" and "$file_modified_time": which file each
row was read from, through the DB-API on local files and boto3 against `parthenon serve`."""
from __future__ import annotations

import datetime
import os

import pytest

import parthenon
from test_server_support import TRAIL_BUCKET, athena, athena_server, rows, run, trail  # noqa: F401


@pytest.fixture()
def con(tmp_path):
    for part, name, body in (("dt=1", "a.csv", "1,x\n2,y\n"), ("dt=2", "b.csv", "3,z\n")):
        (tmp_path / "data" / part).mkdir(parents=True)
        (tmp_path / "data" / part / name).write_text(body)
    os.utime(tmp_path / "data" / "dt=2" / "b.csv", (1700000000.25, 1700000000.25))
    with parthenon.connect(home=tmp_path / "home") as c:
        c.execute(f"CREATE EXTERNAL TABLE t (a int, b string) PARTITIONED BY (dt string) ROW FORMAT "
                  f"DELIMITED FIELDS TERMINATED BY ',' LOCATION '{tmp_path}/data'")
        c.execute("MSCK REPAIR TABLE t")
        yield c


def test_path_groups_rows_by_their_file(con, tmp_path):
    cur = con.execute('SELECT "$path", count(*) FROM t GROUP BY 1 ORDER BY 1')
    assert [d[:2] for d in cur.description] == [("$path", "varchar"), ("_col1", "bigint")]
    assert cur.fetchall() == [(f"{tmp_path}/data/dt=1/a.csv", 2), (f"{tmp_path}/data/dt=2/b.csv", 1)]


def test_size_and_modified_time_of_the_file(con):
    cur = con.execute('SELECT a, "$file_size", "$file_modified_time", t."$path" LIKE \'%/b.csv\' '
                      "FROM t WHERE dt = '2'")
    assert [d[1] for d in cur.description] == ["integer", "bigint", "timestamp(3) with time zone",
                                                "boolean"]
    (a, size, when, is_b), = cur.fetchall()
    assert (a, size, is_b) == (3, 4, True)
    assert when == datetime.datetime(2023, 11, 14, 22, 13, 20, 250000, tzinfo=datetime.timezone.utc)


def test_no_file_no_row_and_the_types_stay(con):
    cur = con.execute("SELECT \"$path\", \"$file_size\" FROM t WHERE dt = '9'")
    assert cur.fetchall() == [] and [d[1] for d in cur.description] == ["varchar", "bigint"]


def test_path_over_the_api_on_s3(athena, trail):
    qid, q = run(athena, 'SELECT "$path", count(*) AS n FROM cloudtrail_logs GROUP BY 1 ORDER BY 1')
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    prefix = f"s3://{TRAIL_BUCKET}/AWSLogs/123456789012/CloudTrail/us-east-1/2017/06/"
    got = rows(athena, qid)
    assert got[0] == ("$path", "n")
    assert [p for p, _ in got[1:]] == sorted(p for p, _ in got[1:])
    assert all(p.startswith(prefix) and p.endswith(".json.gz") for p, _ in got[1:])
    assert sum(int(n) for _, n in got[1:]) == 58 and len(got) > 2


def test_star_does_not_show_hidden_columns(con, tmp_path):
    cur = con.execute("SELECT * FROM t WHERE \"$path\" LIKE '%/b.csv' ")
    assert [d[0] for d in cur.description] == ["a", "b", "dt"] and cur.fetchall() == [(3, "z", "2")]
    cur = con.execute('SELECT t.*, "$file_size" FROM t WHERE a = 1')
    assert [d[0] for d in cur.description] == ["a", "b", "dt", "$file_size"]
    assert cur.fetchall() == [(1, "x", "1", 8)]
