"""Spark Connect (`sc://`): a Connect server started from PySpark's own jars on loopback,
the Spark backend as its client.  Rows, types and Data scanned equal DuckDB's; results
stream back in batches."""
from __future__ import annotations

import os

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("grpc")

from conftest import CLOUDTRAIL_DDL, TEST_DATA           # noqa: E402
from parthenon.engine.spark.standalone import LocalConnectServer  # noqa: E402
from parthenon.session import Session                    # noqa: E402

INVICTUS = TEST_DATA / "invictus-aws-dataset" / "CloudTrail"


@pytest.fixture(scope="module")
def connect_url(tmp_path_factory):
    with LocalConnectServer("local[2]", logs=tmp_path_factory.mktemp("spark-connect")) as url:
        yield url
    # PySpark marks the whole process as Connect-only once a remote session exists; the
    # other Spark tests of this process run classic sessions
    for name in ("SPARK_CONNECT_MODE_ENABLED", "SPARK_REMOTE"):
        os.environ.pop(name, None)


def test_a_query_over_spark_connect_answers_as_duckdb(connect_url, parthenon_home):
    duck = Session(home=parthenon_home)
    spark = Session(home=parthenon_home, engine="spark", spark_master=connect_url)
    try:
        duck.execute(CLOUDTRAIL_DDL.replace(
            "PARTITIONED BY (region STRING, year STRING, month STRING, day STRING)\n", "")
            .format(location=INVICTUS))
        sql = ("SELECT eventname, useridentity.arn, count(*) AS count FROM cloudtrail_logs "
               "GROUP BY eventname, useridentity.arn ORDER BY count DESC, eventname, arn LIMIT 10")
        expected, got = duck.execute(sql), spark.execute(sql)
        assert [(c.name, c.type) for c in got.columns] == [(c.name, c.type) for c in expected.columns]
        assert got.table.to_pylist() == expected.table.to_pylist()
        assert len(got.table) == 10
        trail_bytes = sum(p.stat().st_size for p in INVICTUS.iterdir())
        assert got.data_scanned_bytes == expected.data_scanned_bytes == trail_bytes

        # every event, in more than one batch, as they come off the stream
        every = "SELECT eventid, eventname, eventtime FROM cloudtrail_logs"
        with spark.stream(every) as result:
            batches = list(result.batches())
        assert len(batches) > 1
        rows = sorted(r for b in batches for r in zip(*(c.to_pylist() for c in b.columns)))
        assert rows == sorted(tuple(r.values()) for r in duck.execute(every).table.to_pylist())
        assert result.data_scanned_bytes == trail_bytes

        # a self-join reads the trail twice in Spark; Data scanned counts it once, as DuckDB
        join = ("SELECT count(*) AS n FROM cloudtrail_logs a JOIN cloudtrail_logs b "
                "ON a.eventid = b.eventid AND a.eventname = b.eventname")
        expected, got = duck.execute(join), spark.execute(join)
        assert got.table.to_pylist() == expected.table.to_pylist()
        assert got.data_scanned_bytes == expected.data_scanned_bytes == trail_bytes
    finally:
        spark.close()
        duck.close()
