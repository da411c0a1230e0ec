"""What Spark cannot answer as Trino does is refused with NOT_SUPPORTED and a message
that says what, through the DB-API (tests/engines.py): each query below was answered
differently by the Spark engine before, and tests/trino_cases only checks the code."""
from __future__ import annotations

import math
from datetime import datetime

import pytest

from engines import connect
from parthenon.errors import NotSupported

REFUSED = [
    # Jackson writes the double it reads (1.1), the DuckDB engine the text (1.10)
    ("SELECT json_extract('{\"a\": [1.10]}', '$.a')",
     "NOT_SUPPORTED: This JSON value is not supported on the Spark engine (json_extract of a number Jackson "
     "rewrites)"),
    # Trino rounds a real's text to 7 digits half even on the double's exact value (8 digits
    # ending in 5: that value is not known here)
    ("SELECT cast(REAL '12345675' as varchar(50))",
     "NOT_SUPPORTED: CAST of this real to varchar is not supported on the Spark engine (Trino rounds its digits "
     "to 7)"),
    # Spark orders NaN above every double inside arrays; Trino passes over an element holding
    # one, which is kept for one-element arrays only (below)
    ("SELECT array_max(ARRAY[ARRAY[nan(), 1e0], ARRAY[2e0, 1e0]])",
     "NOT_SUPPORTED: array_max of arrays or rows with NULL or NaN parts is not supported on the Spark engine"),
    # Spark moves the wall clock to UTC; Trino drops the zone
    ("SELECT CAST(x AS timestamp) FROM (VALUES '2001-01-22 03:04:05 +07:09') t(x)",
     "NOT_SUPPORTED: CAST of text with a time zone to timestamp is not supported on the Spark engine"),
    # Trino's own refusal, where Spark called the arrays equal
    ("SELECT contains(ARRAY[ARRAY[1.1, 2.2]], ARRAY[1.1, NULL])",
     "NOT_SUPPORTED: contains does not support arrays with elements that are null or contain null"),
    ("SELECT row(1, CAST(NULL AS INTEGER)) < row(1, 2)",
     "NOT_SUPPORTED: ROW comparison not supported for fields with null elements"),
    # random(m, n) is an integer in [m, n) in Trino, Spark's one argument a seed
    ("SELECT random(1, 10)",
     "NOT_SUPPORTED: line 1:8: Function 'random' with a range is not supported on the Spark engine "
     "(Spark's argument is a seed)"),
]


@pytest.fixture(scope="module")
def spark_con(tmp_path_factory):
    con = connect("spark", tmp_path_factory.mktemp("home"))
    yield con
    con.close()


@pytest.mark.parametrize("sql, message", REFUSED, ids=[m.split(": ")[-1][:40] for _, m in REFUSED])
def test_spark_refuses_what_it_would_answer_otherwise(spark_con, sql, message):
    with pytest.raises(NotSupported) as e:
        spark_con.cursor().execute(sql)
    assert str(e.value) == message


def test_what_spark_keeps_is_trinos_answer(spark_con):
    """The same shapes where Spark does keep Trino's answer are answered, not refused."""
    cur = spark_con.cursor()
    cur.execute("SELECT json_extract_scalar('{\"0\" : 0, \"1\" : 1, }', '$.1'), cast(37.7E0 as varchar), "
                "array_max(ARRAY[ARRAY[nan()], ARRAY[2e0], ARRAY[3e0]]), CAST('2001-1-22 03:04:05 +07:09' AS timestamp), "
                "greatest(5, 4, nan(), 3), round(-0.3E0)")
    (row,) = cur.fetchall()
    assert row[:5] == ("1", "3.77E1", [3.0], datetime(2001, 1, 22, 3, 4, 5), 5.0)
    assert row[5] == 0 and math.copysign(1, row[5]) == -1      # -0.0, as Trino's Math.round gives
