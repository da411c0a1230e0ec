"""kill -9 in the middle of a CTAS, on local disk and on moto S3, then a restart:
no table, no partition, no file presented, and the staging cleaned up.

Two moments: while files are staged (the query is still running), and in the
middle of the commit (some files have landed at their final names).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import parthenon
from test_server_support import BUCKET

BIG = ("SELECT a.x * 10000 + b.y AS v, b.y % 20 AS k FROM UNNEST(sequence(1, 3000)) AS a(x) "
       "CROSS JOIN UNNEST(sequence(1, 10000)) AS b(y)")
SMALL = "SELECT x AS v, x % 5 AS k FROM UNNEST(sequence(1, 1000)) AS u(x)"

# The child dies by SIGKILL after landing two files: a kill in the middle of the commit.
DIE_IN_COMMIT = """
import os, signal
from parthenon import storage
landed = []
real = storage.move_in
def move_in(path, url):
    real(path, url)
    landed.append(url)
    if len(landed) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
storage.move_in = move_in
"""


def child(home: Path, sql: str, env: dict, die_in_commit: bool) -> subprocess.Popen:
    code = (DIE_IN_COMMIT if die_in_commit else "") + textwrap.dedent(f"""
        import parthenon
        parthenon.connect().cursor().execute({sql!r})
        """)
    return subprocess.Popen([sys.executable, "-c", code], env={**env, "PARTHENON_HOME": str(home)})


def staged_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def ctas(target: str) -> str:
    return f"CREATE TABLE big WITH (partitioned_by = ARRAY['k'], external_location = '{target}') AS "


def kill_while_staging(proc: subprocess.Popen, staging_root: Path) -> None:
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if any(staged_files(staging_root)):
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the CTAS ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def check_restart(home: Path) -> parthenon.Connection:
    assert list((home / "writes").glob("*.json")), "a journal is left for the restart to undo"
    con = parthenon.connect(str(home))        # the restart: recovery runs as the session opens
    cur = con.cursor()
    cur.execute("SHOW TABLES")
    assert cur.fetchall() == []
    assert not list((home / "writes").glob("*.json"))
    assert not staged_files(home / "staging")
    return con


@pytest.mark.parametrize("die_in_commit", [False, True], ids=["staging", "commit"])
def test_kill_9_during_a_local_ctas(tmp_path, parthenon_home, die_in_commit):
    target = tmp_path / "table"
    proc = child(parthenon_home, ctas(f"{target}/") + (SMALL if die_in_commit else BIG),
                 dict(os.environ), die_in_commit)
    if die_in_commit:
        assert proc.wait(timeout=120) == -signal.SIGKILL
        assert len([p for p in staged_files(target) if "_parthenon_staging" not in str(p)]) == 2
    else:
        kill_while_staging(proc, target / "_parthenon_staging")
    check_restart(parthenon_home).close()
    assert staged_files(target) == [] and not (target / "_parthenon_staging").exists()


@pytest.mark.parametrize("die_in_commit", [False, True], ids=["staging", "commit"])
def test_kill_9_during_an_s3_ctas(tmp_path, parthenon_home, s3, die_in_commit):
    s3.create_bucket(Bucket=BUCKET)
    prefix = f"kill-{'commit' if die_in_commit else 'staging'}/"
    proc = child(parthenon_home, ctas(f"s3://{BUCKET}/{prefix}") + (SMALL if die_in_commit else BIG),
                 dict(os.environ), die_in_commit)
    if die_in_commit:
        assert proc.wait(timeout=120) == -signal.SIGKILL
        assert len(s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])) == 2
    else:
        kill_while_staging(proc, parthenon_home / "staging")
    check_restart(parthenon_home).close()
    assert s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", []) == []
