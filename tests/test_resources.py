"""Bounded resources: the engine's memory, spilling, JSON buffers (issue 8, item 5)."""
from __future__ import annotations

import gzip
import json

import pytest

import parthenon
from parthenon.engine.limits import EngineLimits, parse_size
from parthenon.engine.duckdb.scans.json import MIN_OBJECT_BYTES, object_size_limit
from parthenon.session import Session

ROWS = 2_000_000


@pytest.fixture(scope="module")
def wide_table(tmp_path_factory):
    """2M distinct keys: a GROUP BY over them needs more than 200 MB."""
    folder = tmp_path_factory.mktemp("wide")
    with open(folder / "data.csv", "w") as f:
        f.writelines(f"{i},user-{i * 7919 % ROWS:09d}-padding-padding\n" for i in range(ROWS))
    return folder


def _create(con, folder):
    con.execute("CREATE EXTERNAL TABLE wide (n bigint, k string) ROW FORMAT DELIMITED "
                f"FIELDS TERMINATED BY ',' LOCATION '{folder}/'")


GROUP_BY = "SELECT count(*), max(c) FROM (SELECT k, count(*) AS c FROM wide GROUP BY k)"


def test_a_big_group_by_spills_instead_of_failing(wide_table, tmp_path):
    home = tmp_path / "home"
    con = parthenon.connect(home, memory="267MB")       # 200 MB for the engine
    engine = con.session.engine
    assert con.execute("SELECT 1").fetchall() == [(1,)]
    limits = engine.con.execute("SELECT current_setting('memory_limit'), "
                                "current_setting('threads')").fetchone()
    assert limits == ("200.2 MiB", 1)     # 75% of 214 MB: the rest is the Python side's
    assert engine.spill.parent == home / "tmp"
    _create(con, wide_table)
    assert con.execute(GROUP_BY).fetchall() == [(ROWS, 1)]
    spill = engine.spill
    con.close()
    assert not spill.exists()          # the connection's spill folder goes with it


def test_without_a_spill_folder_the_same_query_runs_out_of_memory(wide_table, tmp_path):
    """The contrast that shows the spill is real: same limit, nowhere to spill (and the raw
    CSV scan each time: the scan cache's Parquet copy groups in less memory)."""
    session = Session(tmp_path / "home", limits=EngineLimits(200 * 2**20, 1, None),
                      scan_cache_bytes=0)
    try:
        _create(session, wide_table)
        with pytest.raises(parthenon.errors.ParthenonError,
                           match="^EXCEEDED_LOCAL_MEMORY_LIMIT: Query exhausted resources at this "
                                 r"scale factor \(memory limit 200.0 MiB per query\)"):
            session.execute(GROUP_BY)
    finally:
        session.close()


def test_orphaned_spill_folders_are_removed_at_start(tmp_path):
    home = tmp_path / "home"
    orphan = home / "tmp" / "999999999-1"        # no such process
    orphan.mkdir(parents=True)
    (orphan / "duckdb_temp_storage-0.tmp").write_bytes(b"x" * 1000)
    con = parthenon.connect(home)
    try:
        assert not orphan.exists()
        assert con.session.engine.spill.is_dir()
    finally:
        con.close()


def test_json_buffers_follow_the_data(tmp_path):
    """A small JSON table runs under a small memory limit (a fixed 256 MiB buffer reserved
    512 MiB), and a 20 MB record, above the engine's default 16 MiB, still reads."""
    small, big = tmp_path / "small", tmp_path / "big"
    small.mkdir(), big.mkdir()
    (small / "a.json").write_text('{"id": 1, "s": "x"}\n{"id": 2, "s": "y"}\n')
    record = {"id": 3, "s": "z" * (20 * 2**20)}
    (big / "b.json.gz").write_bytes(gzip.compress(json.dumps(record).encode() + b"\n"))
    session = Session(tmp_path / "home", limits=EngineLimits(100 * 2**20, 1, tmp_path / "spill"))
    try:
        for name, folder in (("small", small), ("big", big)):
            session.execute(f"CREATE EXTERNAL TABLE {name} (id int, s string) ROW FORMAT SERDE "
                            f"'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'")
        assert session.execute("SELECT id, s FROM small ORDER BY id").rows() == [(1, "x"), (2, "y")]
        assert session.execute("SELECT id, length(s) FROM big").rows() == [(3, 20 * 2**20)]
    finally:
        session.close()


def test_object_size_limit():
    assert object_size_limit(100) == MIN_OBJECT_BYTES
    assert object_size_limit(20 * 2**20) == 21 * 2**20
    assert object_size_limit(10 * 2**30) == 256 * 2**20


@pytest.mark.parametrize("text, expected", [("512MB", 512 * 2**20), ("1.5g", 3 * 2**29),
                                            ("2GiB", 2**31), ("1048576", 2**20)])
def test_memory_sizes(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "lots", "0", "-1GB", "150%", "12 parsecs"])
def test_bad_memory_sizes(text):
    with pytest.raises(ValueError, match="Invalid memory size"):
        parse_size(text)


# -- schedule templates ---------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("{{ 'x' * 10000000 }}", "template output would exceed 262144 characters"),
    ("{% for i in range(100000) %}{{ 'abcdefgh' }}{% endfor %}",
     "template output would exceed 262144 characters"),
    ("{{ 10 ** 10000000 }}", "exponent too large in template"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "template took more than 2 s to render"),
])
def test_templates_are_bounded_in_size_and_time(text, message):
    import time
    from parthenon.scheduler import templates
    from parthenon.scheduler.errors import SchedulerError
    t0 = time.monotonic()
    with pytest.raises(SchedulerError, match=f"^SCHEDULER_ERROR: Cannot expand template: {message}$"):
        templates.render(text, {})
    assert time.monotonic() - t0 < 3
    assert templates.render("{% for i in range(3) %}{{ i }}{% endfor %}", {}) == "012"
    assert templates.render("{{ range(0)|list }}", {}) == "[]"
