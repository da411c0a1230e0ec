"""One location model: how locations are parsed, and the rules every interface obeys
(no `..`, partition values that stay inside their table, symbolic links that stay inside
the table's location, loops detected), through the DB-API and the CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import parthenon
from parthenon.storage.location import Location, Rules

SERDE = "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'"
CLIMB = "HIVE_INVALID_METADATA: Invalid location '{}': '..' segments are not allowed in a location"


def refused(con, sql: str) -> str:
    with pytest.raises(parthenon.Error) as err:
        con.execute(sql)
    return str(err.value)


def lines(folder, name, *values):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("".join(json.dumps({"x": v}) + "\n" for v in values))


# -- parsing -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, url, written", [
    ("s3://bucket/AWSLogs/", "s3://bucket/AWSLogs", "s3://bucket/AWSLogs"),
    ("S3://bucket/a//b//", "s3://bucket/a//b", "s3://bucket/a//b"),       # S3 keys are literal
    ("s3://bucket", "s3://bucket/", "s3://bucket/"),
    ("/data//logs/./x/", "/data/logs/x", "/data/logs/x"),
    ("/", "/", "/"),
    ("file:///data/my%20logs/", "/data/my logs", "file:///data/my%20logs"),
    ("file://localhost/data/x", "/data/x", "file:///data/x"),
    ("FILE:/data/k=v", "/data/k=v", "file:///data/k=v"),
    ("/data/100%25/", "/data/100%25", "/data/100%25"),                    # paths are not decoded
])
def test_locations_are_parsed_and_normalised_once(text, url, written):
    loc = Location.parse(text)
    assert (loc.url, str(loc), loc.folder_text) == (url, written, written.rstrip("/") + "/")
    assert Location.parse(str(loc)) == loc


@pytest.mark.parametrize("text, message", [
    ("/data/../etc/", CLIMB.format("/data/../etc/")),
    ("file:///data/%2e%2e/etc/", CLIMB.format("file:///data/%2e%2e/etc/")),
    ("s3://bucket/a/../b/", CLIMB.format("s3://bucket/a/../b/")),
    ("file://relative/dir/", "HIVE_INVALID_METADATA: Invalid location 'file://relative/dir/': "
     "a file:// URL needs an absolute path, as in file:///abs/path/ ('relative' would be a host "
     "name, not a folder)"),
    ("file:relative", "HIVE_INVALID_METADATA: Invalid location 'file:relative': use "
     "s3://bucket/prefix/, file:///abs/path/ or an absolute path"),
    ("s3:///key", "HIVE_INVALID_METADATA: Invalid location 's3:///key': use s3://bucket/prefix/, "
     "file:///abs/path/ or an absolute path"),
    ("/data/\nx", "HIVE_INVALID_METADATA: Invalid location '/data/\\nx': use s3://bucket/prefix/, "
     "file:///abs/path/ or an absolute path"),
])
def test_bad_locations_are_refused(text, message):
    with pytest.raises(parthenon.Error) as err:
        Location.parse(text)
    assert str(err.value) == message


def test_within_compares_whole_names():
    assert Location.parse("/a/b/c").within(Location.parse("/a/b/"))
    assert not Location.parse("/a/bc").within(Location.parse("/a/b"))
    assert not Location.parse("s3://b/a").within(Location.parse("/a"))
    assert Location.parse("s3://b/x/y").within(Location.parse("s3://b"))
    assert not Location.parse("s3://b2/x").within(Location.parse("s3://b"))
    with pytest.raises(parthenon.Error, match=r"'\.\.' segments"):
        Location.parse("/t").child("k=../..")


# -- `..` and partition values, everywhere --------------------------------------------------------

def test_climbing_locations_are_refused_in_ddl(con, tmp_path):
    bad = f"{tmp_path}/t/../outside/"
    assert refused(con, f"CREATE EXTERNAL TABLE t (x string) {SERDE} LOCATION '{bad}'") == \
        CLIMB.format(bad)
    assert con.execute("SHOW TABLES").fetchall() == []
    con.execute(f"CREATE EXTERNAL TABLE p (x string) PARTITIONED BY (dt string) {SERDE} "
                f"LOCATION '{tmp_path}/p/'")
    bad = f"file://{tmp_path}/p/%2E%2E/outside/"
    assert refused(con, f"ALTER TABLE p ADD PARTITION (dt='1') LOCATION '{tmp_path}/p/1/' "
                        f"PARTITION (dt='2') LOCATION '{bad}'") == CLIMB.format(bad)
    assert con.execute("SHOW PARTITIONS p").fetchall() == []


def test_a_partition_value_is_one_folder_name(con, tmp_path):
    # Hive escapes path characters in values: '../x' is the folder dt=..%2Fx inside the table.
    lines(tmp_path / "outside", "o.json", "OUT")
    con.execute(f"CREATE EXTERNAL TABLE p (x string) PARTITIONED BY (dt string) {SERDE} "
                f"LOCATION '{tmp_path}/p/'")
    con.execute("ALTER TABLE p ADD PARTITION (dt='../outside') PARTITION (dt='..')")
    assert con.execute("SELECT * FROM p").fetchall() == []
    from parthenon.catalog.store import CatalogStore
    store = CatalogStore(con.session.home / "catalog.db")
    assert sorted(p.location for p in store.list_partitions("default", "p")) == \
        [f"{tmp_path}/p/dt=..%2Foutside/", f"{tmp_path}/p/dt=../"]


@pytest.fixture
def projected(con, tmp_path):
    """The issue's attack: an injected column substituted into storage.location.template."""
    lines(tmp_path / "data" / "proj" / "a", "in.json", "in")
    lines(tmp_path / "outside", "o.json", "OUT")
    con.execute(f"CREATE EXTERNAL TABLE proj (x string) PARTITIONED BY (dt string) {SERDE} "
                f"LOCATION '{tmp_path}/data/proj/' TBLPROPERTIES ('projection.enabled'='true', "
                f"'projection.dt.type'='injected', "
                f"'storage.location.template'='{tmp_path}/data/proj/${{dt}}/')")
    return con


@pytest.mark.parametrize("value", ["../../outside", "a/../../../outside", "..", "a/./../../outside"])
def test_an_injected_value_cannot_climb_out_of_the_template(projected, tmp_path, value):
    assert projected.execute("SELECT * FROM proj WHERE dt = 'a'").fetchall() == [("in", "a")]
    assert refused(projected, f"SELECT * FROM proj WHERE dt = '{value}'") == (
        f"HIVE_INVALID_PARTITION_VALUE: Invalid partition value for table default.proj "
        f"(dt='{value}'): its location {tmp_path}/data/proj/{value}/ would leave the folder "
        f"{tmp_path}/data/proj/ of storage.location.template")


def test_a_percent_encoded_climb_through_a_file_url_template(con, tmp_path):
    lines(tmp_path / "outside", "o.json", "OUT")
    con.execute(f"CREATE EXTERNAL TABLE proj (x string) PARTITIONED BY (dt string) {SERDE} "
                f"LOCATION 'file://{tmp_path}/proj/' TBLPROPERTIES ('projection.enabled'='true', "
                f"'projection.dt.type'='injected', "
                f"'storage.location.template'='file://{tmp_path}/proj/${{dt}}/')")
    message = refused(con, "SELECT * FROM proj WHERE dt = '%2e%2e/outside'")
    assert message.startswith("HIVE_INVALID_PARTITION_VALUE: Invalid partition value for table "
                              "default.proj (dt='%2e%2e/outside')")


# -- symbolic links, everywhere --------------------------------------------------------------------

@pytest.fixture
def linked(con, tmp_path):
    lines(tmp_path / "t", "a.json", "in")
    con.execute(f"CREATE EXTERNAL TABLE t (x string) {SERDE} LOCATION '{tmp_path}/t/'")
    return con, tmp_path / "t"


def test_a_link_to_a_file_outside_is_refused(linked, tmp_path):
    con, t = linked
    secret = tmp_path / "secret.json"
    secret.write_text('{"x": "SECRET"}\n')
    os.symlink(secret, t / "b.json")
    assert refused(con, "SELECT * FROM t") == (
        f"PERMISSION_DENIED: Access Denied: {t}/b.json is a symbolic link to {secret}, "
        f"outside the table's location {t}/")
    os.symlink("/etc/passwd", t / "c")
    assert "SECRET" not in refused(con, "SELECT * FROM t")


def test_a_link_to_a_folder_outside_is_refused(linked, tmp_path):
    con, t = linked
    lines(tmp_path / "elsewhere", "o.json", "OUT")
    os.symlink(tmp_path / "elsewhere", t / "sub")
    assert refused(con, "SELECT * FROM t") == (
        f"PERMISSION_DENIED: Access Denied: {t}/sub is a symbolic link to {tmp_path}/elsewhere, "
        f"outside the table's location {t}/")


def test_links_inside_the_table_are_followed_once(linked):
    con, t = linked
    lines(t / "real", "r.json", "r")
    os.symlink(t / "a.json", t / "copy.json")            # a second name for a file: two objects
    os.symlink(t / "real", t / "again")                  # a folder already listed: listed once
    os.symlink(t / "missing.json", t / "dangling.json")  # nothing to read
    assert sorted(con.execute("SELECT x FROM t").fetchall()) == [("in",), ("in",), ("r",)]


def test_the_table_location_itself_may_be_a_link(con, tmp_path):
    lines(tmp_path / "2024", "a.json", "in")
    os.symlink(tmp_path / "2024", tmp_path / "current")
    con.execute(f"CREATE EXTERNAL TABLE t (x string) {SERDE} LOCATION '{tmp_path}/current/'")
    assert con.execute("SELECT x FROM t").fetchall() == [("in",)]


@pytest.mark.parametrize("make_loop, why", [
    (lambda t: os.symlink(t, t / "sub" / "loop"), "it leads back to a folder being listed"),
    (lambda t: (os.symlink(t / "l2", t / "l1"), os.symlink(t / "l1", t / "l2")),
     "too many levels of symbolic links"),
])
def test_link_loops_are_detected(linked, make_loop, why):
    con, t = linked
    (t / "sub").mkdir()
    make_loop(t)
    looped = f"{t}/sub/loop" if "back" in why else f"{t}/l1"
    assert refused(con, "SELECT * FROM t") == \
        f"HIVE_FILESYSTEM_ERROR: Symbolic link loop at {looped}: {why}"


def test_msck_does_not_follow_a_partition_folder_out(con, tmp_path):
    lines(tmp_path / "m" / "dt=1", "a.json", "in")
    lines(tmp_path / "etc", "passwd.json", "root")
    os.symlink(tmp_path / "etc", tmp_path / "m" / "dt=2")
    con.execute(f"CREATE EXTERNAL TABLE m (x string) PARTITIONED BY (dt string) {SERDE} "
                f"LOCATION '{tmp_path}/m/'")
    assert refused(con, "MSCK REPAIR TABLE m") == (
        f"PERMISSION_DENIED: Access Denied: {tmp_path}/m/dt=2 is a symbolic link to "
        f"{tmp_path}/etc, outside the table's location {tmp_path}/m/")
    assert con.execute("SHOW PARTITIONS m").fetchall() == []
    # Registered by hand, the linked partition is still refused when read.
    con.execute("ALTER TABLE m ADD PARTITION (dt='1') PARTITION (dt='2')")
    assert con.execute("SELECT x FROM m WHERE dt = '1'").fetchall() == [("in",)]
    assert refused(con, "SELECT x FROM m WHERE dt = '2'").startswith(
        f"PERMISSION_DENIED: Access Denied: {tmp_path}/m/dt=2 is a symbolic link")


def test_msck_refuses_a_folder_linked_back_to_the_table(con, tmp_path):
    (tmp_path / "m").mkdir()
    os.symlink(tmp_path / "m", tmp_path / "m" / "dt=1")
    con.execute(f"CREATE EXTERNAL TABLE m (x string) PARTITIONED BY (dt string) {SERDE} "
                f"LOCATION '{tmp_path}/m/'")
    assert refused(con, "MSCK REPAIR TABLE m") == (
        f"HIVE_FILESYSTEM_ERROR: Symbolic link loop at {tmp_path}/m/dt=1: it leads back to a "
        "folder being listed")


def test_the_cli_obeys_the_same_rules(tmp_path):
    lines(tmp_path / "t", "a.json", "in")
    os.symlink("/etc/passwd", tmp_path / "t" / "passwd")
    env = {**os.environ, "PARTHENON_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "parthenon.cli", "query",
         f"CREATE EXTERNAL TABLE t (x string) {SERDE} LOCATION '{tmp_path}/t/'; SELECT * FROM t"],
        capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"PERMISSION_DENIED: Access Denied: {tmp_path}/t/passwd is a symbolic link to /etc/passwd, "
        f"outside the table's location {tmp_path}/t/")
    assert "root:" not in done.stdout


def test_the_local_user_keeps_local_freedom(con, tmp_path):
    # No data roots outside the server: any absolute folder, even under PARTHENON_HOME.
    lines(tmp_path / "home" / "mine", "a.json", "in")
    con.execute(f"CREATE EXTERNAL TABLE t (x string) {SERDE} LOCATION '{tmp_path}/home/mine/'")
    assert con.execute("SELECT x FROM t").fetchall() == [("in",)]
    assert Rules().check_table("/etc/") == Location.parse("/etc")


def test_an_output_inside_any_table_data_is_refused(tmp_path):
    from parthenon.catalog.model import Column, Partition, Table
    from parthenon.catalog.store import CatalogStore
    store = CatalogStore(tmp_path / "catalog.db")          # written before any rule: free
    store.put_table(Table("default", "t", [Column("x", "string")], location=f"{tmp_path}/t/"))
    store.put_table(Table("default", "p", [Column("x", "string")], [Column("dt", "string")],
                          location="s3://logs/p/", table_properties={
                              "storage.location.template": "s3://logs/proj/${dt}/"}))
    store.add_partitions("default", "p", [Partition(("1",), "s3://elsewhere/p1")])
    rules = Rules.server(data_roots=[], result_roots=[tmp_path], private=[])
    for inside, table in [(f"file://{tmp_path}/t/out/", "default.t"), ("s3://logs/p/x/", "default.p"),
                          ("s3://logs/proj/dt/", "default.p"), ("s3://elsewhere/p1/r/", "default.p")]:
        with pytest.raises(parthenon.Error) as err:
            rules.check_output(inside, store.table_holding)
        assert str(err.value) == (f"PERMISSION_DENIED: Access Denied: output location '{inside}' "
                                  f"lies inside the location of table {table}: its results would "
                                  "become rows of that table")
    for fine in (f"{tmp_path}/results/", "s3://logs/other/", "s3://elsewhere/p10/"):
        assert rules.check_output(fine, store.table_holding) == Location.parse(fine)


def test_a_mapped_bucket_keeps_links_inside_the_table(con, tmp_path):
    # serve --s3-bucket NAME=FOLDER: s3://NAME/ tables are files, with the same link rule.
    from parthenon.storage import bucket_folders
    lines(tmp_path / "bucket" / "t", "a.json", "in")
    lines(tmp_path / "bucket" / "other", "secret.json", "SECRET")
    os.symlink(tmp_path / "bucket" / "other" / "secret.json", tmp_path / "bucket" / "t" / "s.json")
    bucket_folders.configure({"mapped": tmp_path / "bucket"})
    try:
        con.execute(f"CREATE EXTERNAL TABLE t (x string) {SERDE} LOCATION 's3://mapped/t/'")
        assert refused(con, "SELECT * FROM t") == (
            f"PERMISSION_DENIED: Access Denied: {tmp_path}/bucket/t/s.json is a symbolic link to "
            f"{tmp_path}/bucket/other/secret.json, outside the table's location {tmp_path}/bucket/t/")
        os.remove(tmp_path / "bucket" / "t" / "s.json")
        assert con.execute("SELECT x FROM t").fetchall() == [("in",)]
    finally:
        bucket_folders.configure({})
