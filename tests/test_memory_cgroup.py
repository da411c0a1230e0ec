"""Three GROUP BY queries in a 1.5 GB memory cgroup: the server must not be OOM-killed
(issue 8, item 5).  The server's default budget follows the cgroup's limit (half of it),
split across its three workers; what does not fit spills to PARTHENON_HOME/tmp."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

LIMIT = 1536 * 2**20
ROWS = 1_500_000


def _make_cgroup(name: str) -> tuple[Path, Path]:
    """(the cgroup's folder, its file of member processes), v2 or v1; skip if refused."""
    v2 = Path("/sys/fs/cgroup/cgroup.controllers")
    try:
        if v2.exists():
            if "memory" not in v2.read_text().split():
                pytest.skip("cgroup v2 without the memory controller")
            folder = Path("/sys/fs/cgroup") / name
            folder.mkdir()
            (folder / "memory.max").write_text(str(LIMIT))
            (folder / "memory.swap.max").write_text("0") if (folder / "memory.swap.max").exists() else None
        elif Path("/sys/fs/cgroup/memory").is_dir():
            folder = Path("/sys/fs/cgroup/memory") / name
            folder.mkdir()
            (folder / "memory.limit_in_bytes").write_text(str(LIMIT))
        else:
            pytest.skip("no memory cgroup hierarchy under /sys/fs/cgroup")
    except OSError as e:
        pytest.skip(f"the kernel refuses a memory cgroup here: {e}")
    return folder, folder / "cgroup.procs"


@pytest.fixture
def cgroup():
    folder, procs = _make_cgroup(f"parthenon-test-{os.getpid()}")
    yield procs
    for _ in range(50):
        try:
            folder.rmdir()
            return
        except OSError:
            time.sleep(0.1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_three_group_bys_in_a_small_cgroup_do_not_kill_the_server(cgroup, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for part in range(3):
        with open(data / f"part-{part}.csv", "w") as f:
            # 1.5M distinct keys, in shuffled order (7919 is prime to 500,000)
            f.writelines(f"{i},user-{part}-{i * 7919 % (ROWS // 3):09d}-padding-padding\n"
                         for i in range(ROWS // 3))
    home, port = tmp_path / "home", _free_port()
    env = {**os.environ, "PARTHENON_HOME": str(home)}
    # the shell joins the cgroup, then becomes the server: every byte it allocates counts
    server = subprocess.Popen(
        ["sh", "-c", f'echo $$ > {cgroup} && exec "$0" -m parthenon.cli serve --port {port} '
                     f"--no-auth --no-scheduler --concurrency 3 --data-root {data}", sys.executable],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        athena = boto3.client("athena", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                              aws_access_key_id="x", aws_secret_access_key="x")
        banner = server.stderr.readline() + server.stderr.readline()
        assert "memory 768.0 MiB: 192.0 MiB and 1 threads per query" in banner, banner

        def run(sql):
            return athena.start_query_execution(QueryString=sql)["QueryExecutionId"]

        def wait(qid):
            while True:
                q = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
                if q["Status"]["State"] not in ("QUEUED", "RUNNING"):
                    return q
                assert server.poll() is None, "the server died"
                time.sleep(0.2)
        assert wait(run("CREATE EXTERNAL TABLE wide (n bigint, k string) ROW FORMAT DELIMITED "
                        f"FIELDS TERMINATED BY ',' LOCATION '{data}/'"))["Status"]["State"] == "SUCCEEDED"
        ids = [run(f"SELECT count(*), max(c) FROM (SELECT k, count(*) + {i} AS c FROM wide GROUP BY k)")
               for i in range(3)]
        outcomes = [wait(qid) for qid in ids]
        assert server.poll() is None, "the server was killed"
        for i, q in enumerate(outcomes):
            assert q["Status"]["State"] == "SUCCEEDED", q["Status"].get("StateChangeReason")
            rows = athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])["ResultSet"]["Rows"]
            assert rows[1] == {"Data": [{"VarCharValue": str(ROWS)}, {"VarCharValue": str(1 + i)}]}
        assert wait(run("SELECT 1"))["Status"]["State"] == "SUCCEEDED"
    finally:
        server.terminate()
        server.wait(20)
