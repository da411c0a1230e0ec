"""A process's first statements import nothing they do not use: pandas (0.2 s to import)
came in through pyarrow for partition pruning, the Parquet schema file and DDL results."""
from __future__ import annotations

import os
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq

PROGRAM = """
import sys, parthenon
cur = parthenon.connect().cursor()
out = []
for sql in sys.argv[1:]:
    cur.execute(sql)
    out.append(cur.fetchall())
print(repr(out), "pandas" in sys.modules)
"""


def test_a_first_pruned_parquet_query_and_ddl_do_not_import_pandas(parthenon_home, tmp_path):
    for day in ("1", "2"):
        (tmp_path / "t" / f"d={day}").mkdir(parents=True)
        pq.write_table(pa.table({"a": [int(day)] * 3}), tmp_path / "t" / f"d={day}" / "f.parquet")
    statements = [
        f"CREATE EXTERNAL TABLE t (a BIGINT) PARTITIONED BY (d STRING) STORED AS PARQUET "
        f"LOCATION '{tmp_path}/t/'",
        "MSCK REPAIR TABLE t",
        "SELECT d, sum(a) FROM t WHERE d LIKE '2%' OR d = '9' GROUP BY d",
        "SHOW PARTITIONS t",
        "SELECT 'x' AS s, NULL AS n",
    ]
    done = subprocess.run([sys.executable, "-c", PROGRAM, *statements], capture_output=True, text=True,
                          env=os.environ, timeout=120)
    assert done.returncode == 0, done.stderr
    msck = [("Partitions not in metastore:\tt:d=1\tt:d=2",), ("Repair: Added partition to metastore t:d=1",),
            ("Repair: Added partition to metastore t:d=2",)]
    assert done.stdout == f"{[[], msck, [('2', 6)], [('d=1',), ('d=2',)], [('x', None)]]!r} False\n"
