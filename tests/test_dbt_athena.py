"""dbt-athena, unchanged, against a real `parthenon serve`: the project in tests/dbt_project
(a seed, a view, a partitioned Parquet table, incremental models with insert_overwrite and
append run twice, data tests), with AWS_ENDPOINT_URL naming the server (Athena, Glue, STS)
and moto's S3 server holding the staging and data dirs.  Each step is checked by its rows."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_server_support import BUCKET, athena, athena_server, rows, run  # noqa: F401

pytest.importorskip("dbt.adapters.athena", reason="dbt-athena is not installed (pip install .[test])")
DBT = Path(sys.executable).parent / "dbt"
PROJECT = Path(__file__).resolve().parent / "dbt_project"
DATA_BUCKET = "dbt-data"


def runner(url, tmp_path, staging, data_dir):
    """`dbt <args>` against the server at `url`; the run's results by node name."""
    env = {**os.environ,
           "AWS_ENDPOINT_URL": url,          # Athena, Glue and STS (and S3 when not overridden)
           "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
           "DBT_PROFILES_DIR": str(PROJECT), "DBT_PROJECT_DIR": str(PROJECT),
           "DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs"),
           "DBT_STAGING_DIR": staging, "DBT_DATA_DIR": data_dir,
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_VERSION_CHECK": "false"}
    env.pop("AWS_ENDPOINT_URL_ATHENA", None)

    def invoke(*args):
        done = subprocess.run([str(DBT), *args], env=env, capture_output=True, text=True,
                              timeout=180)
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
        if args[0] == "debug":
            return done.stdout
        results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
        return {r["unique_id"].split(".")[2]: r for r in results}
    return invoke


@pytest.fixture
def dbt(athena_server, s3, tmp_path):
    """Staging and data dirs on moto's S3 (AWS_ENDPOINT_URL_S3, from the `s3` fixture)."""
    s3.create_bucket(Bucket=DATA_BUCKET)
    return runner(athena_server.url, tmp_path, f"s3://{BUCKET}/dbt/", f"s3://{DATA_BUCKET}/tables/")


def select(athena, sql, output=f"s3://{BUCKET}/results/"):
    qid, q = run(athena, sql, database="dbt_demo", output=output)
    assert q["Status"]["State"] == "SUCCEEDED", q["Status"]
    return rows(athena, qid)


def data_files(s3, table):
    listed = s3.list_objects_v2(Bucket=DATA_BUCKET, Prefix=f"tables/dbt_demo/{table}/")
    return sorted(o["Key"].split(f"/{table}/", 1)[1].split("/", 1)[1] for o in listed.get("Contents", []))


def test_dbt_project_against_parthenon(dbt, athena, s3):
    import boto3
    glue = boto3.client("glue", endpoint_url=athena._endpoint.host, region_name="us-east-1")
    # debug before the schema exists: `select 1` runs in a database not created yet
    assert "All checks passed!" in dbt("debug")

    results = dbt("seed")
    assert (results["people"]["status"], results["people"]["adapter_response"]["rows_affected"]) == \
        ("success", 3)
    assert select(athena, "SELECT id, name, team, joined, typeof(id), typeof(joined) FROM people "
                          "ORDER BY id") == [
        ("id", "name", "team", "joined", "_col4", "_col5"),
        ("1", "alice", "red", "2024-01-01", "integer", "date"),
        ("2", "bob", "blue", "2024-01-02", "integer", "date"),
        ("3", "carol", "red", "2024-01-02", "integer", "date")]

    results = dbt("run")
    assert {name: r["status"] for name, r in results.items()} == {
        "people_view": "success", "teams": "success", "daily_overwrite": "success",
        "events_append": "success"}
    view = glue.get_table(DatabaseName="dbt_demo", Name="people_view")["Table"]
    assert (view["TableType"], view["Parameters"]) == \
        ("VIRTUAL_VIEW", {"presto_view": "true", "comment": "Presto View"})
    assert select(athena, "SELECT * FROM people_view ORDER BY id") == [
        ("id", "name", "team"), ("1", "alice", "red"), ("2", "bob", "blue"), ("3", "carol", "red")]
    teams = glue.get_table(DatabaseName="dbt_demo", Name="teams")["Table"]
    assert teams["PartitionKeys"] == [{"Name": "team", "Type": "string"}]
    assert teams["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"] == \
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    assert select(athena, "SELECT * FROM teams ORDER BY team") == [
        ("members", "last_name", "team"), ("1", "bob", "blue"), ("2", "carol", "red")]
    assert select(athena, "SHOW PARTITIONS teams") == [("team=blue",), ("team=red",)]
    assert select(athena, "SELECT * FROM daily_overwrite ORDER BY day") == [
        ("amount", "label", "day"), ("10", "one", "1"), ("20", "two", "2")]
    assert select(athena, "SELECT * FROM events_append ORDER BY batch, id") == [
        ("batch", "id", "name"), ("1", "1", "alice"), ("1", "2", "bob")]
    first_teams = data_files(s3, "teams")

    results = dbt("run", "--vars", "{batch: 2}")
    assert {r["status"] for r in results.values()} == {"success"}
    # insert_overwrite replaced day 2 (its old file deleted) and added day 3
    assert select(athena, "SELECT * FROM daily_overwrite ORDER BY day") == [
        ("amount", "label", "day"), ("10", "one", "1"), ("21", "two-again", "2"),
        ("30", "three", "3")]
    assert [f.split("/")[0] for f in data_files(s3, "daily_overwrite")] == ["day=1", "day=2", "day=3"]
    assert select(athena, "SHOW PARTITIONS daily_overwrite") == [("day=1",), ("day=2",), ("day=3",)]
    assert select(athena, "SELECT * FROM events_append ORDER BY batch, id") == [
        ("batch", "id", "name"), ("1", "1", "alice"), ("1", "2", "bob"),
        ("2", "1", "alice"), ("2", "2", "bob"), ("2", "3", "carol")]
    # the table was rebuilt at a new location, the old one's files deleted
    assert len(data_files(s3, "teams")) == 2 and not set(data_files(s3, "teams")) & set(first_teams)
    assert select(athena, "SELECT * FROM teams ORDER BY team") == [
        ("members", "last_name", "team"), ("1", "bob", "blue"), ("2", "carol", "red")]

    results = dbt("test")
    assert {name: (r["status"], r["failures"]) for name, r in results.items()} == {
        "not_null_people_view_id": ("pass", 0), "unique_people_view_id": ("pass", 0),
        "not_null_people_view_name": ("pass", 0), "not_null_teams_team": ("pass", 0),
        "unique_teams_team": ("pass", 0),
        "accepted_values_people_view_team__red": ("warn", 1)}      # bob is blue


def test_dbt_with_local_results_through_the_s3_subset(parthenon_home, tmp_path, monkeypatch):
    """No S3 but the server's own: `--s3-bucket lake=FOLDER` holds the seed's CSV, the staging
    dir and every table's files, which dbt-athena lists, writes and deletes through it."""
    from parthenon.storage import bucket_folders
    from test_server_support import start_server, stop_server
    lake = tmp_path / "lake"
    lake.mkdir()
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1",
                        "PARTHENON_ACCESS_KEYS": "testing:testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    server = start_server(parthenon_home, s3_buckets={"lake": lake})
    try:
        dbt = runner(server.url, tmp_path, "s3://lake/staging/", "s3://lake/tables/")
        assert dbt("seed")["people"]["status"] == "success"
        dbt("run", "--select", "people_view", "daily_overwrite")
        results = dbt("run", "--select", "daily_overwrite", "--vars", "{batch: 2}")
        assert results["daily_overwrite"]["status"] == "success"
        import boto3
        athena = boto3.client("athena", endpoint_url=server.url)
        assert select(athena, "SELECT * FROM daily_overwrite ORDER BY day", "s3://lake/q/") == [
            ("amount", "label", "day"), ("10", "one", "1"), ("21", "two-again", "2"),
            ("30", "three", "3")]
        assert select(athena, "SELECT name FROM people_view ORDER BY id", "s3://lake/q/") == [
            ("name",), ("alice",), ("bob",), ("carol",)]
        files = sorted(str(f.relative_to(lake / "tables" / "dbt_demo")).split("/", 2)[::2]
                       for f in (lake / "tables" / "dbt_demo").rglob("*.parquet"))
        assert [f[0] for f in files] == ["daily_overwrite"] * 3 + ["people"]
        assert not list((lake / "tables" / "dbt_demo").glob("*__dbt_tmp*"))   # temporaries gone
    finally:
        stop_server(server)
        bucket_folders.configure({})
