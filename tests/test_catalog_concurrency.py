"""The catalog under PARTHENON_HOME: several processes at once lose nothing, a restart sees all."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

import parthenon
from parthenon.catalog.model import Column

TABLES_PER_WORKER = 12

# Each worker waits for the 'go' file, then connects (so even the first creation of the
# catalog file races) and hammers the catalog with DDL, some of it on shared objects.
WORKER = textwrap.dedent("""
    import os, sys, time
    worker, go, n, root = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    while not os.path.exists(go):
        time.sleep(0.001)
    import parthenon
    con = parthenon.connect()
    cur = con.cursor()
    cur.execute("CREATE DATABASE IF NOT EXISTS shared")
    cur.execute("CREATE EXTERNAL TABLE IF NOT EXISTS shared.events (eventname STRING) "
                "PARTITIONED BY (worker STRING, k STRING) "
                f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{root}/events/'")
    cur.execute(f"CREATE DATABASE w{worker} COMMENT 'worker {worker}' "
                f"LOCATION '{root}/w{worker}/' WITH DBPROPERTIES ('worker'='{worker}')")
    for k in range(n):
        cur.execute(f'''CREATE EXTERNAL TABLE w{worker}.t{k} (
              eventname STRING COMMENT 'the API call',
              useridentity STRUCT<type:STRING, arn:STRING,
                sessioncontext:STRUCT<attributes:STRUCT<mfaauthenticated:STRING>>>,
              resources ARRAY<STRUCT<arn:STRING, type:STRING>>,
              tags MAP<STRING, STRING>, n BIGINT, ratio DOUBLE, price DECIMAL(10,2), ok BOOLEAN)
            COMMENT 'table {k} of worker {worker}'
            PARTITIONED BY (dt STRING, hour INT)
            ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
            WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'mapping.eventname'='eventName')
            LOCATION '{root}/w{worker}/t{k}/'
            TBLPROPERTIES ('classification'='json', 'worker'='{worker}', 'k'='{k}')''')
        cur.execute(f"ALTER TABLE w{worker}.t{k} ADD PARTITION (dt='2017-06-15', hour=1) "
                    f"PARTITION (dt='2017-06-16', hour=2) LOCATION '{root}/elsewhere/{worker}/{k}/'")
        cur.execute(f"ALTER TABLE shared.events ADD IF NOT EXISTS PARTITION (worker='{worker}', k='{k}') "
                    f"LOCATION '{root}/events/{worker}/{k}/' "
                    f"PARTITION (worker='all', k='{k}') LOCATION '{root}/events/all/{k}/'")
    cur.execute(f"CREATE OR REPLACE VIEW w{worker}.v AS SELECT eventname, count(*) AS c "
                f"FROM w{worker}.t0 GROUP BY eventname")
    cur.execute("CREATE OR REPLACE VIEW shared.latest AS SELECT * FROM shared.events")
    cur.execute(f"DROP TABLE w{worker}.t{n - 1}")
    con.close()
    print("done", worker)
""")


def run_workers(home, tmp_path, workers: list[str], n: int = TABLES_PER_WORKER):
    go = tmp_path / f"go-{'-'.join(workers)}"
    env = dict(os.environ, PARTHENON_HOME=str(home))
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, w, str(go), str(n), str(tmp_path / "data")],
                              env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for w in workers]
    time.sleep(0.5)          # let every interpreter start and wait at the line
    go.touch()
    results = [(p, *p.communicate(timeout=300)) for p in procs]
    for (p, out, err), w in zip(results, workers):
        assert p.returncode == 0, f"worker {w} failed:\n{err}"
        assert out == f"done {w}\n"
        assert "Traceback" not in err and "locked" not in err


def check_worker(store, w: str, root, n: int = TABLES_PER_WORKER):
    db = store.require_database(f"w{w}")
    assert (db.comment, db.location, db.properties) == (f"worker {w}", f"{root}/w{w}/", {"worker": w})
    tables = {t.name: t for t in store.list_tables(f"w{w}")}
    assert sorted(tables) == sorted([f"t{k}" for k in range(n - 1)] + ["v"])
    for k in range(n - 1):
        t = tables[f"t{k}"]
        assert t.columns == [
            Column("eventname", "string", "the API call"),
            Column("useridentity",
                   "struct<type:string,arn:string,sessioncontext:struct<attributes:struct<mfaauthenticated:string>>>"),
            Column("resources", "array<struct<arn:string,type:string>>"),
            Column("tags", "map<string,string>"),
            Column("n", "bigint"), Column("ratio", "double"), Column("price", "decimal(10,2)"),
            Column("ok", "boolean"),
        ]
        assert t.partition_keys == [Column("dt", "string"), Column("hour", "int")]
        assert t.comment == f"table {k} of worker {w}"
        assert t.location == f"{root}/w{w}/t{k}/"
        assert t.serde == "org.openx.data.jsonserde.JsonSerDe"
        assert t.serde_properties == {"ignore.malformed.json": "true", "mapping.eventname": "eventName"}
        assert {key: t.table_properties[key] for key in ("classification", "worker", "k")} == \
            {"classification": "json", "worker": w, "k": str(k)}
        assert [(p.values, p.location) for p in store.list_partitions(f"w{w}", f"t{k}")] == [
            (("2017-06-15", "1"), f"{root}/w{w}/t{k}/dt=2017-06-15/hour=1/"),
            (("2017-06-16", "2"), f"{root}/elsewhere/{w}/{k}/"),
        ]
    assert tables["v"].is_view
    assert tables["v"].view_sql == f"SELECT eventname, count(*) AS c FROM w{w}.t0 GROUP BY eventname"
    assert store.list_partitions(f"w{w}", f"t{n - 1}") == []     # dropped with its table


def test_two_processes_share_one_home_and_lose_nothing(parthenon_home, tmp_path):
    run_workers(parthenon_home, tmp_path, ["1", "2"])
    with parthenon.connect() as con:         # a restart: a new connection, a new process state
        store = con.session.store
        assert [d.name for d in store.list_databases()] == ["default", "shared", "w1", "w2"]
        for w in ("1", "2"):
            check_worker(store, w, tmp_path / "data")
        keys = [p.values for p in store.list_partitions("shared", "events")]
        expected = {(w, str(k)) for w in ("1", "2", "all") for k in range(TABLES_PER_WORKER)}
        assert len(keys) == len(expected) and set(keys) == expected
        assert store.require_table("shared", "latest").is_view
        # and through SQL, as a user sees it
        cur = con.cursor()
        assert cur.execute("SHOW TABLES IN w2").fetchall() == \
            [(f"t{k}",) for k in sorted(range(TABLES_PER_WORKER - 1), key=str)] + [("v",)]
        assert cur.execute("SHOW PARTITIONS w1.t3").fetchall() == \
            [("dt=2017-06-15/hour=1",), ("dt=2017-06-16/hour=2",)]
        assert len(cur.execute("SHOW PARTITIONS shared.events").fetchall()) == 3 * TABLES_PER_WORKER
        rows = cur.execute("SHOW CREATE TABLE w1.t0").fetchall()
        text = "\n".join(r[0] for r in rows)
        assert "  `price` decimal(10,2)" in text
        assert "'mapping.eventname'='eventName'" in text
        assert f"  '{tmp_path}/data/w1/t0/'" in text


def test_many_processes_on_a_fresh_home(parthenon_home, tmp_path):
    """Creating the catalog file itself races too: four processes start on an empty home."""
    assert not parthenon_home.exists()
    run_workers(parthenon_home, tmp_path, ["a", "b", "c", "d"], n=4)
    with parthenon.connect() as con:
        store = con.session.store
        assert [d.name for d in store.list_databases()] == ["default", "shared", "wa", "wb", "wc", "wd"]
        for w in "abcd":
            check_worker(store, w, tmp_path / "data", n=4)
        assert len(store.list_partitions("shared", "events")) == 5 * 4


def test_restart_keeps_every_kind_of_object(parthenon_home, tmp_path):
    with parthenon.connect() as con:
        cur = con.cursor()
        cur.execute("CREATE SCHEMA logs COMMENT 'all logs' WITH DBPROPERTIES ('team'='sec')")
        cur.execute(f"""CREATE EXTERNAL TABLE logs.alb (
              type STRING, time STRING, elb STRING, request_processing_time DOUBLE,
              target_status_code STRING, received_bytes BIGINT)
            PARTITIONED BY (day STRING)
            ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
            WITH SERDEPROPERTIES ('serialization.format' = '1',
              'input.regex' = '([^ ]*) ([^ ]*) ([^ ]*) ([-.0-9]*) ([-0-9]*) ([-0-9]*)')
            LOCATION '{tmp_path}/logs/alb/'
            TBLPROPERTIES ('projection.enabled'='false', 'has_encrypted_data'='false')""")
        cur.execute(f"""CREATE EXTERNAL TABLE logs.flows (version INT, account STRING)
            ROW FORMAT DELIMITED FIELDS TERMINATED BY ' ' LINES TERMINATED BY '\\n'
            STORED AS TEXTFILE LOCATION '{tmp_path}/logs/flows/'""")
        cur.execute(f"CREATE EXTERNAL TABLE logs.p (a INT) STORED AS PARQUET LOCATION '{tmp_path}/logs/p/'")
        cur.execute(f"ALTER TABLE logs.alb ADD PARTITION (day='2024/01/01') "
                    f"LOCATION '{tmp_path}/logs/alb/2024/01/01/'")
        cur.execute(f"CREATE EXTERNAL TABLE logs.events (eventname STRING, errorcode STRING) "
                    f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{tmp_path}/logs/e/'")
        cur.execute("CREATE VIEW logs.errors AS SELECT eventname, errorcode FROM logs.events "
                    "WHERE errorcode IS NOT NULL")
        before = {t.name: t for t in con.session.store.list_tables("logs")}
    with parthenon.connect() as con:
        store = con.session.store
        assert store.require_database("logs").comment == "all logs"
        assert store.require_database("logs").properties == {"team": "sec"}
        after = {t.name: t for t in store.list_tables("logs")}
        assert after == before
        alb = after["alb"]
        assert alb.serde == "org.apache.hadoop.hive.serde2.RegexSerDe"
        assert alb.serde_properties["input.regex"] == \
            "([^ ]*) ([^ ]*) ([^ ]*) ([-.0-9]*) ([-0-9]*) ([-0-9]*)"
        assert alb.table_properties["projection.enabled"] == "false"
        assert [c.type for c in alb.columns] == ["string", "string", "string", "double", "string", "bigint"]
        assert after["flows"].row_format_delimited
        assert after["p"].input_format == "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
        assert [(p.values, p.location) for p in store.list_partitions("logs", "alb")] == \
            [(("2024/01/01",), f"{tmp_path}/logs/alb/2024/01/01/")]
        assert after["errors"].is_view
        assert after["errors"].view_sql == "SELECT eventname, errorcode FROM logs.events WHERE errorcode IS NOT NULL"
        assert con.execute("SHOW TABLES IN logs").fetchall() == \
            [("alb",), ("errors",), ("events",), ("flows",), ("p",)]


def test_default_database_always_exists(parthenon_home):
    with parthenon.connect() as con:
        assert con.execute("SHOW DATABASES").fetchall() == [("default",)]
        with pytest.raises(parthenon.Error) as err:
            con.execute("DROP DATABASE default")
        assert str(err.value) == "INVALID_DDL: Can not drop default database"
    with parthenon.connect() as con:
        assert con.execute("SHOW DATABASES").fetchall() == [("default",)]


def test_a_file_that_is_not_a_catalog_is_a_clear_error(parthenon_home):
    parthenon_home.mkdir(parents=True)
    catalog = parthenon_home / "catalog.db"
    catalog.write_bytes(b"this is not a SQLite database, " * 100)
    with pytest.raises(parthenon.Error) as err:
        parthenon.connect()
    assert str(err.value) == f"HIVE_METASTORE_ERROR: Cannot open the catalog {catalog}: file is not a database"
    assert catalog.read_bytes() == b"this is not a SQLite database, " * 100     # left as it was


def test_create_view_reads_no_storage(con, monkeypatch):
    """A view is analysed against the catalog, not the data: creating one over a table whose
    bucket is unreachable (or holds 100,000 partitions) lists and reads nothing."""
    from parthenon import storage
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    listed = []
    real = storage.list_objects
    monkeypatch.setattr(storage, "list_objects", lambda location, *a, **k: listed.append(location)
                        or real(location, *a, **k))
    con.execute("CREATE EXTERNAL TABLE trail (eventname STRING) PARTITIONED BY (day STRING) "
                "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                "LOCATION 's3://no-such-bucket-parthenon/trail/'")
    con.execute("ALTER TABLE trail ADD PARTITION (day='1') PARTITION (day='2')")
    con.execute("CREATE VIEW calls AS SELECT eventname, count(*) AS c FROM trail GROUP BY eventname")
    assert listed == []
    assert con.execute("SHOW VIEWS").fetchall() == [("calls",)]


def test_create_view_over_a_table_parthenon_cannot_read_yet(con, tmp_path):
    # ROW FORMAT DELIMITED / RegexSerDe tables are stored now and read later; a view over one
    # is still a valid Athena statement.
    con.execute(f"CREATE EXTERNAL TABLE alb (elb STRING, code STRING) "
                f"ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe' "
                f"WITH SERDEPROPERTIES ('input.regex' = '([^ ]*) ([^ ]*)') LOCATION '{tmp_path}/alb/'")
    con.execute("CREATE VIEW errors AS SELECT elb FROM alb WHERE code LIKE '5%'")
    assert con.execute("SHOW VIEWS").fetchall() == [("errors",)]
