"""A CTAS table is readable by Spark without Parthenon: a local pyspark session reads the
Parquet output folder (key=value partition folders) and gets exactly the rows written.
Skipped where pyspark (the `spark` extra) or a Java runtime is missing."""
from __future__ import annotations

import datetime
import decimal
import shutil

import pytest

pyspark = pytest.importorskip("pyspark")
pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession
    session = (SparkSession.Builder().master("local[1]").appName("parthenon-ctas")
               .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    yield session
    session.stop()


def test_spark_reads_a_partitioned_ctas_parquet_folder(con, tmp_path, spark):
    target = tmp_path / "ctas"
    cur = con.cursor()
    cur.execute(f"""CREATE TABLE events WITH (format = 'PARQUET', external_location = '{target}/',
        partitioned_by = ARRAY['day']) AS SELECT * FROM (VALUES
          (1, 'a', CAST(1.50 AS DECIMAL(10,2)), TIMESTAMP '2024-01-02 03:04:05.678', ARRAY['x'], '15'),
          (2, NULL, NULL, NULL, ARRAY[], '15'),
          (3, 'c', CAST(-2.25 AS DECIMAL(10,2)), TIMESTAMP '2024-01-03 00:00:00', NULL, '16'))
        AS t(id, name, amount, at, tags, day)""")
    assert cur.rowcount == 3
    cur.execute("SELECT id, name, amount, at, tags, day FROM events ORDER BY id")
    ours = cur.fetchall()
    frame = spark.read.parquet(str(target))
    # Hive timestamps carry no zone: Spark 3.4+ reads them as timestamp_ntz; partition values'
    # type is inferred from the folder names
    assert [(f.name, f.dataType.simpleString().replace("timestamp_ntz", "timestamp"))
            for f in frame.schema.fields] == [
        ("id", "int"), ("name", "string"), ("amount", "decimal(10,2)"), ("at", "timestamp"),
        ("tags", "array<string>"), ("day", "int")]
    theirs = [tuple(r) for r in frame.orderBy("id").collect()]
    assert theirs == [
        (1, "a", decimal.Decimal("1.50"), datetime.datetime(2024, 1, 2, 3, 4, 5, 678000), ["x"], 15),
        (2, None, None, None, [], 15),
        (3, "c", decimal.Decimal("-2.25"), datetime.datetime(2024, 1, 3), None, 16)]
    assert [(i, n, a, t, g, int(d)) for i, n, a, t, g, d in ours] == theirs
