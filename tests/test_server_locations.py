"""A real `parthenon serve` confines locations: tables read only under its data roots (never
PARTHENON_HOME or its keys), results go only to result roots or S3 (never into a table), and
the `..`, projection and symbolic-link rules hold through the API.  The issue's attacks, with
boto3 against a server started as an operator would (`--access-keys-file`, `--config`)."""
from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

import parthenon
from conftest import _free_port

SERDE = "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'"
DELIMITED = "ROW FORMAT DELIMITED FIELDS TERMINATED BY ':'"
KEY, SECRET = "AKIDALICE", "alice-secret"


@dataclass
class Served:
    url: str
    root: Path
    home: Path
    data: Path
    results: Path
    keys: Path
    athena: object
    s3: object

    def run(self, sql: str, output: str | None = None) -> dict:
        extra = {"ResultConfiguration": {"OutputLocation": output}} if output else {}
        qid = self.athena.start_query_execution(QueryString=sql, **extra)["QueryExecutionId"]
        deadline = time.monotonic() + 60
        while True:
            q = self.athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            if q["Status"]["State"] not in ("QUEUED", "RUNNING") or time.monotonic() > deadline:
                return q

    def rows(self, q: dict) -> list[tuple]:
        pages = self.athena.get_paginator("get_query_results").paginate(
            QueryExecutionId=q["QueryExecutionId"])
        return [tuple(d.get("VarCharValue") for d in r["Data"])
                for page in pages for r in page["ResultSet"]["Rows"]]

    def failed(self, sql: str) -> str:
        q = self.run(sql)
        assert q["Status"]["State"] == "FAILED", q["Status"]
        return q["Status"]["StateChangeReason"]

    def refused_output(self, output: str) -> str:
        with pytest.raises(ClientError) as err:
            self.athena.start_query_execution(QueryString="SELECT 1",
                                              ResultConfiguration={"OutputLocation": output})
        assert err.value.response["Error"]["Code"] == "InvalidRequestException"
        return err.value.response["Error"]["Message"]


def serve(root: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "PARTHENON_HOME": str(root / "home"), **(env or {})}
    env.pop("PARTHENON_ACCESS_KEYS", None)
    return subprocess.Popen([sys.executable, "-m", "parthenon.cli", "serve", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory, s3_server):
    root = tmp_path_factory.mktemp("served")
    data, results = root / "data", root / "results"
    data.mkdir()
    keys = data / "keys.txt"          # inside a data root on purpose: still never table data
    keys.write_text(f"{KEY}:{SECRET}\nAKIDBOB:bob-secret\n")
    (root / "server.toml").write_text('data_roots = ["data"]\n')   # relative to the file
    port = _free_port()
    proc = serve(root, "--port", str(port), "--access-keys-file", str(keys), "--no-scheduler",
                 "--config", str(root / "server.toml"), "--result-root", str(results),
                 env={"AWS_ENDPOINT_URL_S3": s3_server, "AWS_ACCESS_KEY_ID": "testing",
                      "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"})
    banner = []
    for line in proc.stderr:
        banner.append(line)
        if line.startswith("Tables may read"):
            break
    url = f"http://127.0.0.1:{port}"
    athena = boto3.client("athena", endpoint_url=url, region_name="us-east-1",
                          aws_access_key_id=KEY, aws_secret_access_key=SECRET)
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    s3.create_bucket(Bucket="logs")
    yield Served(url, root, root / "home", data, results, keys, athena, s3), "".join(banner)
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def server(served):
    return served[0]


def test_the_banner_states_the_roots(served):
    server, banner = served
    assert banner.splitlines()[-1] == (
        f"Tables may read S3 and {server.data}/; results go to S3 or "
        f"{server.home}/query-results/, {server.results}/")


@pytest.mark.parametrize("location, why", [
    ("{data}/keys.txt", "own"),
    ("file://{data}/keys.txt", "own"),
    ("/etc/shadow", "outside"),
    ("/etc/", "outside"),
    ("{home}/service.db", "own"),
    ("file://{home}/", "own"),
    ("{root}/", "own"),                  # would hold PARTHENON_HOME
    ("{results}/", "results"),           # other users' results
    ("{home}/query-results/", "own"),
])
def test_a_location_outside_the_data_roots_fails_the_query(server, location, why):
    location = location.format(data=server.data, home=server.home, root=server.root,
                               results=server.results)
    reason = server.failed(f"CREATE EXTERNAL TABLE stolen (k string, s string) {DELIMITED} "
                           f"LOCATION '{location}'")
    assert reason == "PERMISSION_DENIED: Access Denied: " + {
        "own": f"location '{location}' holds or lies inside this server's own files "
               "(PARTHENON_HOME, keys, configuration)",
        "outside": f"location '{location}' is outside this server's data roots ({server.data}/)",
        "results": f"location '{location}' holds the result folder {server.results}/",
    }[why]
    assert server.rows(server.run("SHOW TABLES LIKE 'stolen'")) == []


def test_a_table_that_predates_the_rules_is_refused_when_read(server, monkeypatch):
    # A catalog written by the local user (no roots), then served: checked again at read time.
    monkeypatch.setenv("PARTHENON_HOME", str(server.home))
    with parthenon.connect() as con:
        con.execute(f"CREATE EXTERNAL TABLE old_keys (k string, s string) {DELIMITED} "
                    f"LOCATION '{server.keys}'")
    try:
        reason = server.failed("SELECT * FROM old_keys")
        assert reason == (f"PERMISSION_DENIED: Access Denied: location '{server.keys}' holds or "
                          "lies inside this server's own files (PARTHENON_HOME, keys, configuration)")
        assert SECRET not in reason
    finally:
        server.run("DROP TABLE old_keys")


def test_a_table_under_a_data_root_is_served(server):
    folder = server.data / "events"
    folder.mkdir(exist_ok=True)
    (folder / "a.json").write_text('{"x": "in"}\n')
    q = server.run(f"CREATE EXTERNAL TABLE events (x string) {SERDE} LOCATION 'file://{folder}/'")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert server.rows(server.run("SELECT x FROM events")) == [("x",), ("in",)]


def test_output_locations_are_confined(server):
    (server.data / "t").mkdir(exist_ok=True)
    anywhere = f"file://{server.root}/anywhere/"
    assert server.refused_output(anywhere) == (
        f"Invalid OutputLocation {anywhere}: Access Denied: output location '{anywhere}' is "
        f"outside this server's result roots ({server.home}/query-results/, {server.results}/); "
        "use one of them or an s3:// location")
    assert server.refused_output("file://relative/dir/") == (
        "Invalid OutputLocation file://relative/dir/: Invalid location 'file://relative/dir/': a "
        "file:// URL needs an absolute path, as in file:///abs/path/ ('relative' would be a host "
        "name, not a folder)")
    climb = f"{server.results}/../anywhere/"
    assert server.refused_output(climb) == (
        f"Invalid OutputLocation {climb}: Invalid location '{climb}': '..' segments are not "
        "allowed in a location")
    assert not (server.root / "anywhere").exists()
    # inside a table's location: results would become rows of the table
    q = server.run(f"CREATE EXTERNAL TABLE s3logs (x string) {SERDE} LOCATION 's3://logs/app/'")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert server.refused_output("s3://logs/app/results/") == (
        "Invalid OutputLocation s3://logs/app/results/: Access Denied: output location "
        "'s3://logs/app/results/' lies inside the location of table default.s3logs: its results "
        "would become rows of that table")
    assert "Contents" not in server.s3.list_objects_v2(Bucket="logs", Prefix="app/")
    # what is allowed: a result root, S3 elsewhere, and the default under PARTHENON_HOME
    q = server.run("SELECT 1 AS one", output=f"{server.results}/mine/")
    assert q["ResultConfiguration"]["OutputLocation"] == \
        f"{server.results}/mine/{q['QueryExecutionId']}.csv"
    assert (server.results / "mine" / f"{q['QueryExecutionId']}.csv").read_text() == '"one"\n"1"\n'
    q = server.run("SELECT 1 AS one", output="s3://logs/athena/")
    assert q["Status"]["State"] == "SUCCEEDED"
    q = server.run("SELECT 1 AS one")
    assert q["ResultConfiguration"]["OutputLocation"] == \
        f"file://{server.home}/query-results/{q['QueryExecutionId']}.csv"


def test_a_workgroup_output_is_confined_too(server):
    with pytest.raises(ClientError) as err:
        server.athena.create_work_group(Name="sneaky", Configuration={
            "ResultConfiguration": {"OutputLocation": "file:///etc/cron.d/"}})
    assert err.value.response["Error"]["Code"] == "InvalidRequestException"
    assert err.value.response["Error"]["Message"].startswith(
        "Invalid OutputLocation file:///etc/cron.d/: Access Denied: output location "
        "'file:///etc/cron.d/' is outside this server's result roots")
    with pytest.raises(ClientError):
        server.athena.update_work_group(WorkGroup="primary", ConfigurationUpdates={
            "ResultConfigurationUpdates": {"OutputLocation": "file://relative/x/"}})
    names = [w["Name"] for w in server.athena.list_work_groups()["WorkGroups"]]
    assert "sneaky" not in names


def test_an_injected_projection_value_cannot_climb(server):
    proj = server.data / "proj"
    (proj / "a").mkdir(parents=True, exist_ok=True)
    (proj / "a" / "in.json").write_text('{"x": "in"}\n')
    (server.data / "outside").mkdir(exist_ok=True)
    (server.data / "outside" / "o.json").write_text('{"x": "OUTSIDE"}\n')
    q = server.run(f"CREATE EXTERNAL TABLE proj (x string) PARTITIONED BY (dt string) {SERDE} "
                   f"LOCATION '{proj}/' TBLPROPERTIES ('projection.enabled'='true', "
                   f"'projection.dt.type'='injected', 'storage.location.template'='{proj}/${{dt}}/')")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert server.rows(server.run("SELECT x FROM proj WHERE dt = 'a'")) == [("x",), ("in",)]
    assert server.failed("SELECT x FROM proj WHERE dt = '../outside'") == (
        f"HIVE_INVALID_PARTITION_VALUE: Invalid partition value for table default.proj "
        f"(dt='../outside'): its location {proj}/../outside/ would leave the folder {proj}/ "
        "of storage.location.template")


def test_symbolic_links_to_server_files_are_refused(server):
    t = server.data / "linked"
    t.mkdir(exist_ok=True)
    (t / "a.txt").write_text("a:b\n")
    os.symlink("/etc/passwd", t / "passwd")
    q = server.run(f"CREATE EXTERNAL TABLE linked (k string, s string) {DELIMITED} LOCATION '{t}/'")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert server.failed("SELECT * FROM linked") == (
        f"PERMISSION_DENIED: Access Denied: {t}/passwd is a symbolic link to /etc/passwd, "
        f"outside the table's location {t}/")
    os.remove(t / "passwd")
    os.symlink(server.keys, t / "keys")      # inside a data root, but outside the table
    assert server.failed("SELECT * FROM linked").startswith(
        f"PERMISSION_DENIED: Access Denied: {t}/keys is a symbolic link to {server.keys}")


def test_a_symlinked_partition_folder_is_not_registered(server):
    m = server.data / "parts"
    (m / "dt=1").mkdir(parents=True, exist_ok=True)
    (m / "dt=1" / "a.txt").write_text("a:b\n")
    os.symlink("/etc", m / "dt=2")
    q = server.run(f"CREATE EXTERNAL TABLE parts (k string, s string) PARTITIONED BY (dt string) "
                   f"{DELIMITED} LOCATION '{m}/'")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert server.failed("MSCK REPAIR TABLE parts") == (
        f"PERMISSION_DENIED: Access Denied: {m}/dt=2 is a symbolic link to /etc, outside the "
        f"table's location {m}/")
    assert server.rows(server.run("SHOW PARTITIONS parts")) == []


def test_a_symlink_loop_fails_cleanly_and_the_server_carries_on(server):
    t = server.data / "loop"
    (t / "sub").mkdir(parents=True, exist_ok=True)
    (t / "a.json").write_text('{"x": "in"}\n')
    os.symlink(t, t / "sub" / "back")
    q = server.run(f"CREATE EXTERNAL TABLE looped (x string) {SERDE} LOCATION '{t}/'")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert server.failed("SELECT * FROM looped") == (
        f"HIVE_FILESYSTEM_ERROR: Symbolic link loop at {t}/sub/back: it leads back to a folder "
        "being listed")
    assert server.rows(server.run("SELECT 1 AS one")) == [("one",), ("1",)]


# -- starting the server: roots and the config file ------------------------------------------------

@pytest.mark.parametrize("config, args, message", [
    ("data_roots = ['x']\ndata_root = ['typo']\n", [],
     "INVALID_CONFIGURATION: Unknown setting 'data_root' in {root}/server.toml "
     "(known: data_roots, result_roots)"),
    ("data_roots = '/srv'\n", [],
     "INVALID_CONFIGURATION: Setting 'data_roots' in {root}/server.toml must be a list"),
    ("data_roots = [\n", [], None),
    ("", ["--data-root", "{root}/home/inside"],
     "INVALID_CONFIGURATION: Data root {root}/home/inside lies inside PARTHENON_HOME "
     "({root}/home), which is never readable as table data"),
])
def test_a_bad_configuration_stops_the_server_with_a_message(tmp_path, config, args, message):
    (tmp_path / "home").mkdir()
    (tmp_path / "server.toml").write_text(config)
    proc = serve(tmp_path, "--port", str(_free_port()), "--no-scheduler",
                 "--config", str(tmp_path / "server.toml"),
                 *(a.format(root=tmp_path) for a in args), env={"PARTHENON_ACCESS_KEYS": ""})
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    last = err.strip().splitlines()[-1]
    if message is None:
        assert last.startswith(f"INVALID_CONFIGURATION: Cannot read configuration file "
                               f"{tmp_path}/server.toml: ")
    else:
        assert last == message.format(root=tmp_path)


def test_writes_are_confined_like_reads_and_results(server, monkeypatch):
    # UNLOAD goes where an OutputLocation may; CTAS and INSERT write only table data it may read.
    anywhere = server.root / "unloaded"
    assert server.failed(f"UNLOAD (SELECT 1 AS one) TO 'file://{anywhere}/' WITH (format = 'JSON')") == (
        f"PERMISSION_DENIED: Access Denied: output location 'file://{anywhere}/' is outside this "
        f"server's result roots ({server.home}/query-results/, {server.results}/); use one of "
        "them or an s3:// location")
    assert not anywhere.exists()
    q = server.run(f"UNLOAD (SELECT 1 AS one) TO '{server.results}/unloaded/' WITH (format = 'JSON')")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert [gzip.decompress(p.read_bytes()) for p in (server.results / "unloaded").iterdir()] == \
        [b'{"one":1}\n']      # UNLOAD gzips text formats by default, as Athena does

    assert server.failed("CREATE TABLE ctas_etc WITH (external_location = '/etc/parthenon-ctas/') "
                         "AS SELECT 1 AS one") == (
        "PERMISSION_DENIED: Access Denied: location '/etc/parthenon-ctas/' is outside this "
        f"server's data roots ({server.data}/)")
    # no external_location: under the query's result folder, as Athena does, and readable
    q = server.run("CREATE TABLE ctas_default AS SELECT 1 AS one")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert server.rows(server.run("SELECT one FROM ctas_default")) == [("one",), ("1",)]

    monkeypatch.setenv("PARTHENON_HOME", str(server.home))
    with parthenon.connect() as con:        # a table the local user made outside the roots
        con.execute(f"CREATE EXTERNAL TABLE outside_t (one int) {SERDE} "
                    f"LOCATION '{server.root}/outside-t/'")
    assert server.failed("INSERT INTO outside_t SELECT 1") == (
        f"PERMISSION_DENIED: Access Denied: location '{server.root}/outside-t/' is outside this "
        f"server's data roots ({server.data}/)")
    assert not (server.root / "outside-t").exists()


def test_set_location_is_confined_too(server):
    folder = server.data / "movable"
    (folder / "dt=1").mkdir(parents=True, exist_ok=True)
    q = server.run(f"CREATE EXTERNAL TABLE movable (x string) PARTITIONED BY (dt string) {SERDE} "
                   f"LOCATION '{folder}/'")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert server.run("ALTER TABLE movable ADD PARTITION (dt='1')")["Status"]["State"] == "SUCCEEDED"
    outside = "PERMISSION_DENIED: Access Denied: location '/etc/' is outside this server's data " \
              f"roots ({server.data}/)"
    assert server.failed("ALTER TABLE movable SET LOCATION '/etc/'") == outside
    assert server.failed("ALTER TABLE movable PARTITION (dt='1') SET LOCATION '/etc/'") == outside
    described = server.rows(server.run("DESCRIBE FORMATTED movable"))
    assert not any("/etc" in (v or "") for row in described for v in row)
def test_alter_table_locations_obey_the_data_roots(server):
    """ALTER TABLE ... SET LOCATION (table or partition) is held to the same roots as CREATE."""
    (server.data / "t").mkdir(exist_ok=True)
    q = server.run(f"CREATE EXTERNAL TABLE moved (k string) PARTITIONED BY (d string) {DELIMITED} "
                   f"LOCATION '{server.data}/t/'")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert server.run("ALTER TABLE moved ADD PARTITION (d='1')")["Status"]["State"] == "SUCCEEDED"
    outside = f"location '/etc/' is outside this server's data roots ({server.data}/)"
    assert server.failed("ALTER TABLE moved SET LOCATION '/etc/'") == \
        f"PERMISSION_DENIED: Access Denied: {outside}"
    assert server.failed("ALTER TABLE moved PARTITION (d='1') SET LOCATION '/etc/'") == \
        f"PERMISSION_DENIED: Access Denied: {outside}"
    created = server.rows(server.run("SHOW CREATE TABLE moved"))
    assert (f"  '{server.data}/t'",) in created or (f"  '{server.data}/t/'",) in created


SYMLINK = ("STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat' "
           "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat'")


def test_a_manifest_names_only_files_a_location_may_name(server):
    """SymlinkTextInputFormat: each line of a manifest obeys the rules of a LOCATION."""
    t = server.data / "manifests"
    t.mkdir(exist_ok=True)
    ok = server.data / "ok.txt"
    ok.write_text("a:b\n")
    (t / "symlink.txt").write_text(f"{ok}\n")
    q = server.run(f"CREATE EXTERNAL TABLE manifests (k string, s string) {DELIMITED} {SYMLINK} "
                   f"LOCATION '{t}/'")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert server.rows(server.run("SELECT * FROM manifests")) == [("k", "s"), ("a", "b")]
    own = "holds or lies inside this server's own files (PARTHENON_HOME, keys, configuration)"
    for target, why in (("/etc/passwd", f"is outside this server's data roots ({server.data}/)"),
                        (f"file://{server.keys}", own), (f"{server.home}/service.db", own),
                        (f"{server.results}/", f"holds the result folder {server.results}/")):
        (t / "symlink.txt").write_text(f"{ok}\n{target}\n")
        reason = server.failed("SELECT * FROM manifests")
        assert reason == (f"PERMISSION_DENIED: Access Denied: location '{target}' {why} "
                          f"(line 2 of the symlink manifest {t}/symlink.txt)")
        assert SECRET not in reason


def test_a_manifest_in_a_bucket_names_objects_not_the_servers_files(server):
    s3 = server.s3
    s3.put_object(Bucket="logs", Key="inv/data/a.txt", Body=b"a:b\n")
    s3.put_object(Bucket="logs", Key="inv/hive/dt=1/symlink.txt", Body=b"s3://logs/inv/data/a.txt\n")
    q = server.run(f"CREATE EXTERNAL TABLE inv (k string, s string) PARTITIONED BY (dt string) "
                   f"{DELIMITED} {SYMLINK} LOCATION 's3://logs/inv/hive/'")
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    assert server.run("MSCK REPAIR TABLE inv")["Status"]["State"] == "SUCCEEDED"
    q = server.run("SELECT k, s, dt, \"$path\" FROM inv")
    assert server.rows(q) == [("k", "s", "dt", "$path"), ("a", "b", "1", "s3://logs/inv/data/a.txt")]
    assert q["Statistics"]["DataScannedInBytes"] == 4
    s3.put_object(Bucket="logs", Key="inv/hive/dt=1/symlink.txt", Body=f"{server.keys}\n".encode())
    reason = server.failed("SELECT * FROM inv")
    assert reason == (f"PERMISSION_DENIED: Access Denied: location '{server.keys}' holds or lies "
                      "inside this server's own files (PARTHENON_HOME, keys, configuration) "
                      "(line 1 of the symlink manifest s3://logs/inv/hive/dt=1/symlink.txt)")
