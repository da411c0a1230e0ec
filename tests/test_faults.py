"""Faults through the real server (issue 8, items 5 and 6): a query timeout, an S3 endpoint
that stops answering or dies mid-scan, a full disk under PARTHENON_HOME."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import boto3
import pytest

from test_server_support import start_server, stop_server, wait

LONG = ("SELECT count(*) FROM UNNEST(sequence(1, 100000)) AS a(x) "
        "CROSS JOIN UNNEST(sequence(1, 100000)) AS b(y) WHERE (x * y) % 7 = 3")


@pytest.fixture
def server(parthenon_home, monkeypatch):
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    for k, v in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                 ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(k, v)
    started = []

    def start(home=parthenon_home, **kw):
        s = start_server(home, **kw)
        started.append(s)
        return s, boto3.client("athena", endpoint_url=s.url, region_name="us-east-1")
    yield start
    for s in started:
        stop_server(s)


def test_a_query_past_its_workgroups_timeout_fails_with_athenas_error(server):
    _, athena = server()
    athena.create_work_group(Name="quick", Tags=[
        {"Key": "parthenon:query-timeout-minutes", "Value": "0.02"}])     # 1.2 s
    t0 = time.monotonic()
    qid = athena.start_query_execution(QueryString=LONG, WorkGroup="quick")["QueryExecutionId"]
    q = wait(athena, qid, timeout=30)
    assert time.monotonic() - t0 < 10
    status = q["Status"]
    assert status["State"] == "FAILED"
    assert status["StateChangeReason"] == "EXCEEDED_TIME_LIMIT: Query exceeded maximum time limit of 0.02m"
    assert status["AthenaError"]["ErrorType"] == 206
    # the default workgroup keeps Athena's 30 minutes: the same worker answers at once
    qid = athena.start_query_execution(QueryString="SELECT 1")["QueryExecutionId"]
    assert wait(athena, qid)["Status"]["State"] == "SUCCEEDED"


def test_a_bad_timeout_tag_is_refused(server):
    _, athena = server()
    with pytest.raises(athena.exceptions.InvalidRequestException, match="parthenon:query-timeout"):
        athena.create_work_group(Name="bad", Tags=[
            {"Key": "parthenon:query-timeout-minutes", "Value": "soon"}])


# -- S3 that stops answering, or dies, while a query reads it --------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_s3(monkeypatch):
    """A moto server in a process of its own, which the test may stop or kill."""
    from parthenon.storage import s3 as s3_storage
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "moto did not start"
            time.sleep(0.1)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", url)
    s3_storage._client_for.cache_clear()
    client = boto3.client("s3", endpoint_url=url, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    client.create_bucket(Bucket="faults")
    for i in range(120):
        client.put_object(Bucket="faults", Key=f"data/part-{i:04d}.csv",
                          Body="".join(f"{i},{n},{'x' * 60}\n" for n in range(2000)).encode())
    yield proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGCONT)
        proc.kill()
    proc.wait()
    s3_storage._client_for.cache_clear()


SCAN = "SELECT count(*), sum(n) FROM wide"
DDL = ("CREATE EXTERNAL TABLE wide (part int, n int, pad string) ROW FORMAT DELIMITED "
       "FIELDS TERMINATED BY ',' LOCATION 's3://faults/data/'")


def _start_scan(athena):
    qid = athena.start_query_execution(QueryString=DDL)["QueryExecutionId"]
    assert wait(athena, qid)["Status"]["State"] == "SUCCEEDED"
    qid = athena.start_query_execution(QueryString=SCAN)["QueryExecutionId"]
    deadline = time.monotonic() + 10
    while athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]["Status"]["State"] != "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)       # into the scan
    return qid


@pytest.mark.parametrize("fault", [signal.SIGSTOP, signal.SIGKILL])
def test_s3_that_stops_answering_or_dies_mid_scan_fails_the_query_cleanly(server, own_s3, fault):
    _, athena = server(concurrency=1)
    qid = _start_scan(athena)
    own_s3.send_signal(fault)
    t0 = time.monotonic()
    q = wait(athena, qid, timeout=90)
    took = time.monotonic() - t0
    reason = q["Status"]["StateChangeReason"]
    assert took < 60, (took, reason)
    assert q["Status"]["State"] == "FAILED", reason
    # the object being read, or the listing if the fault came first (a loaded machine)
    assert reason.startswith("HIVE_CANNOT_OPEN_SPLIT: Error opening Hive split s3://faults/data"), reason
    assert "Traceback" not in reason and "\n" not in reason
    # the server answers on, and a query that needs no S3 runs
    qid = athena.start_query_execution(QueryString="SELECT 1")["QueryExecutionId"]
    assert wait(athena, qid)["Status"]["State"] == "SUCCEEDED"


# -- a full disk under PARTHENON_HOME ----------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a 2 MB tmpfs for PARTHENON_HOME (needs root): {done.stderr.strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


BIG_RESULT = "SELECT x, 'padding-padding-padding-padding' AS pad FROM UNNEST(sequence(1, 200000)) AS t(x)"


def test_disk_full_fails_the_query_cleanly_and_the_service_answers_on(server, small_disk):
    home = small_disk / "home"
    _, athena = server(home=home, concurrency=1)
    qid = athena.start_query_execution(QueryString=BIG_RESULT)["QueryExecutionId"]
    q = wait(athena, qid, timeout=60)
    assert q["Status"]["State"] == "FAILED"
    results = home / "query-results"
    assert q["Status"]["StateChangeReason"] == (
        f"HIVE_WRITER_DATA_ERROR: Error writing the query result to file://{results}/{qid}.csv: "
        "No space left on device")
    assert sorted(p.name for p in results.iterdir()) == []       # no temporary file left
    # the service answers on, and writes its database: queries run and are recorded
    for _ in range(3):
        qid = athena.start_query_execution(QueryString="SELECT 1")["QueryExecutionId"]
        assert wait(athena, qid)["Status"]["State"] == "SUCCEEDED"
        assert athena.get_query_results(QueryExecutionId=qid)["ResultSet"]["Rows"][1] == \
            {"Data": [{"VarCharValue": "1"}]}
    athena.create_work_group(Name="after")
    assert athena.get_work_group(WorkGroup="after")["WorkGroup"]["Name"] == "after"


# -- a read-only PARTHENON_HOME ----------------------------------------------------------------

@pytest.fixture
def read_only_view(tmp_path):
    """A read-only bind mount of a folder: its files, on a filesystem that refuses writes."""
    source, view = tmp_path / "writable", tmp_path / "read-only"
    source.mkdir(), view.mkdir()
    done = subprocess.run(["mount", "--bind", str(source), str(view)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot bind-mount a folder read-only (needs root): {done.stderr.strip()}")
    done = subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], capture_output=True, text=True)
    if done.returncode != 0:
        subprocess.run(["umount", "-l", str(view)], check=False)
        pytest.skip(f"cannot remount the bind mount read-only: {done.stderr.strip()}")
    yield source, view
    subprocess.run(["umount", "-l", str(view)], check=False)


def test_a_read_only_home_still_answers_reading_queries(read_only_view, tmp_path, monkeypatch):
    """A catalog on a read-only filesystem (shared, mounted): reading works through the
    DB-API and the CLI; a change is refused with the reason, never a traceback."""
    import parthenon
    writable, home = read_only_view
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("1,alpha\n2,beta\n")
    con = parthenon.connect(writable)
    con.execute(f"CREATE EXTERNAL TABLE t (n int, s string) ROW FORMAT DELIMITED "
                f"FIELDS TERMINATED BY ',' LOCATION '{data}/'")
    con.close()
    con = parthenon.connect(home)
    try:
        assert con.execute("SELECT n, s FROM t ORDER BY n").fetchall() == [(1, "alpha"), (2, "beta")]
        assert con.session.engine.spill is None          # nowhere to spill: it says so by failing
        with pytest.raises(parthenon.errors.ParthenonError) as e:
            con.execute("CREATE DATABASE other")
        assert str(e.value) == (f"HIVE_METASTORE_ERROR: Cannot change the catalog {home}/catalog.db: "
                                "its folder is on a read-only filesystem (PARTHENON_HOME is "
                                "read-only); only statements that read can run")
    finally:
        con.close()
    monkeypatch.setenv("PARTHENON_HOME", str(home))
    done = subprocess.run([sys.executable, "-m", "parthenon.cli", "query", "--format", "csv",
                           "SELECT s FROM t WHERE n = 2"], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, '"s"\n"beta"\n'), done.stderr


def test_temporary_result_files_of_a_crashed_server_are_removed_at_start(server, parthenon_home):
    results, spool = parthenon_home / "query-results", parthenon_home / "tmp" / "results"
    results.mkdir(parents=True), spool.mkdir(parents=True)
    dead = 999999999        # no such process
    orphans = [results / f".q1.csv.{dead}-0a1b.tmp", spool / f"result-{dead}-x1y2.tmp"]
    alive = [results / f".q2.csv.{os.getpid()}-0a1b.tmp", results / "kept.csv"]
    for path in orphans + alive:
        path.write_bytes(b"partial")
    server()
    assert [p.exists() for p in orphans] == [False, False]
    assert [p.exists() for p in alive] == [True, True]


# -- big results: streamed to the file, pages read back from it ------------------------------

TRICKY = ("SELECT x AS n, CASE WHEN x % 3 = 0 THEN 'say \"hi\",' || chr(10) || 'twice' "
          "WHEN x % 5 = 0 THEN NULL WHEN x % 7 = 0 THEN '' ELSE 'v' || CAST(x AS varchar) END AS s "
          "FROM UNNEST(sequence(1, 4321)) AS t(x) ORDER BY x")


def _expected(x):
    if x % 3 == 0:
        return (str(x), 'say "hi",\ntwice')
    if x % 5 == 0:
        return (str(x), None)
    return (str(x), "" if x % 7 == 0 else f"v{x}")


def _all_rows(athena, qid, page=1000):
    out = []
    for p in athena.get_paginator("get_query_results").paginate(
            QueryExecutionId=qid, PaginationConfig={"PageSize": page}):
        out += [tuple(d.get("VarCharValue") for d in r["Data"]) for r in p["ResultSet"]["Rows"]]
    return out


def test_a_result_too_big_for_the_cache_is_paged_from_its_file(server, parthenon_home):
    s, athena = server()
    s.service.cache.max_bytes = 10_000            # this result is far bigger
    qid = athena.start_query_execution(QueryString=TRICKY)["QueryExecutionId"]
    assert wait(athena, qid)["Status"]["State"] == "SUCCEEDED"
    assert s.service.cache.get(qid) is None
    expected = [("n", "s")] + [_expected(x) for x in range(1, 4322)]
    assert _all_rows(athena, qid) == expected
    assert _all_rows(athena, qid, page=333) == expected
    body = (parthenon_home / "query-results" / f"{qid}.csv").read_bytes()
    assert body.startswith(b'"n","s"\n"1","v1"\n"2","v2"\n"3","say ""hi"",\ntwice"\n')
    assert b'\n"5",\n' in body and b'\n"7",""\n' in body        # NULL and '' stay distinct
    # after a restart the page offsets are found again from the file
    s2, athena2 = server()
    s2.service.cache.max_bytes = 10_000
    assert _all_rows(athena2, qid, page=777) == expected
