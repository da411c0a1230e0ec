"""Spark Connect (`sc://`): a Connect server started from PySpark's own jars on loopback,
the Spark backend as its client.  Rows and types equal DuckDB's; Data scanned is not
reported over Connect yet (its observed metrics do not reach a client that runs SQL over
temporary views), which the README states."""
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
    finally:
        spark.close()
        duck.close()
