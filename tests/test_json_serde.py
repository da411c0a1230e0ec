"""JSON SerDe tables (OpenX and Hive): one object per line, keys matched case-insensitively."""
from __future__ import annotations

import gzip

import pytest

import parthenon


def write_lines(path, lines, compress=False):
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if compress else data)


@pytest.mark.parametrize("serde", ["org.openx.data.jsonserde.JsonSerDe",
                                   "org.apache.hive.hcatalog.data.JsonSerDe"])
def test_json_lines_with_mixed_case_keys(con, tmp_path, serde):
    write_lines(tmp_path / "t" / "a.json", [
        '{"Name": "alice", "Age": 31, "Tags": ["x", "y"], "Meta": {"Source": "s3", "N": 1}}',
        '{"Name": "bob", "Age": null, "Meta": {"Source": "local"}}',
    ])
    write_lines(tmp_path / "t" / "b.json.gz", ['{"Name": "carol", "Age": 40, "extra": 1}'], compress=True)
    cur = con.cursor()
    cur.execute(f"""CREATE EXTERNAL TABLE people (name STRING, age INT, tags ARRAY<STRING>,
                    meta STRUCT<source:STRING, n:INT>)
                    ROW FORMAT SERDE '{serde}' LOCATION '{tmp_path}/t/'""")
    cur.execute("SELECT name, age, tags, meta.source, meta FROM people ORDER BY name")
    assert [d[:2] for d in cur.description] == [
        ("name", "varchar"), ("age", "integer"), ("tags", "array(varchar)"), ("source", "varchar"),
        ("meta", "row(source varchar, n integer)")]
    assert cur.fetchall() == [
        ("alice", 31, ["x", "y"], "s3", {"source": "s3", "n": 1}),
        ("bob", None, None, "local", {"source": "local", "n": None}),
        ("carol", 40, None, None, None),
    ]


def test_malformed_json_fails_unless_ignored(con, tmp_path):
    write_lines(tmp_path / "t" / "a.json", ['{"a": 1}', 'this is not json', '{"a": 3}'])
    cur = con.cursor()
    cur.execute(f"CREATE EXTERNAL TABLE strict_t (a INT) ROW FORMAT SERDE "
                f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{tmp_path}/t/'")
    with pytest.raises(parthenon.Error) as err:
        cur.execute("SELECT sum(a) FROM strict_t")
    assert str(err.value).startswith("HIVE_BAD_DATA: ")
    cur.execute(f"CREATE EXTERNAL TABLE lenient_t (a INT) ROW FORMAT SERDE "
                f"'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('ignore.malformed.json'='true') "
                f"LOCATION '{tmp_path}/t/'")
    cur.execute("SELECT sum(a) FROM lenient_t")
    assert cur.fetchall() == [(4,)]
