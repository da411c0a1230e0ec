#!/usr/bin/env python
"""Benchmark: json_parse and CAST(json AS ...) a row at a time against a batch at a time.

    .venv/bin/python bench/json_functions.py              # 200,000 rows, 5 runs each
    .venv/bin/python bench/json_functions.py --rows 50000 --runs 3

Each query is translated once by Parthenon's DuckDB translation (the SQL the engine runs),
then run on two DuckDB connections holding the same table of texts, in this one process:

  before   Parthenon's functions, but trino_json_parse / trino_json_to_scalar registered
           as before this change: Python UDFs called once per row (json_values' rules)
  after    as Parthenon registers them now: Arrow UDFs called once per batch, with their
           fast paths (engine/duckdb/json_batches)
  duckdb   for scale, DuckDB's own json / cast over the same column (not Trino's answers)

Every figure is the median of --runs runs; both connections' answers are checked equal.
Not part of the test suite.
"""
from __future__ import annotations

import argparse
import statistics
import time

import duckdb

from parthenon.engine.duckdb import functions, json_batches
from parthenon.sql.trino import json_values
from parthenon.engine.duckdb.trino.rewrite import to_duckdb_sql
from parthenon.sql.parser import parse_statement

_SCHEMA = {"t": {"doc": "varchar", "floats": "varchar", "n": "varchar", "x": "varchar"}}
# (label, Trino query, DuckDB's own query for scale)
QUERIES = [
    ("json_parse(doc)", "SELECT count(json_parse(doc)) FROM t",
     "SELECT count(json(doc)) FROM t"),
    ("json_parse(doc with floats)", "SELECT count(json_parse(floats)) FROM t",
     "SELECT count(json(floats)) FROM t"),
    ("CAST(json_parse(n) AS bigint)", "SELECT sum(CAST(json_parse(n) AS bigint)) FROM t",
     "SELECT sum(CAST(json(n) AS BIGINT)) FROM t"),
    ("CAST(json_extract(doc, '$.id') AS bigint)",
     "SELECT sum(CAST(json_extract(doc, '$.id') AS bigint)) FROM t",
     "SELECT sum(CAST(json_extract(doc, '$.id') AS BIGINT)) FROM t"),
    ("CAST(json_extract(doc, '$.score') AS double)",
     "SELECT sum(CAST(json_extract(doc, '$.score') AS double)) FROM t",
     "SELECT sum(CAST(json_extract(doc, '$.score') AS DOUBLE)) FROM t"),
]

_TABLE = """CREATE TABLE t AS SELECT
  '{"id": ' || i || ', "user": {"name": "u' || (i % 97) || '", "roles": ["admin", "dev"]}, '
    || '"version": "1.08", "score": ' || (i % 1000) || ', "ok": ' || (i % 2 = 0) || '}' AS doc,
  '{"id": ' || i || ', "ratio": ' || (i % 100) || '.25, "tags": ["a", "b"]}' AS floats,
  CAST(i AS VARCHAR) AS n, 'x' AS x
FROM range(?) r(i)"""


def _connection(rows: int, row_at_a_time: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    functions.register(con)
    if row_at_a_time:
        for name in json_batches.FUNCTIONS:
            con.remove_function(name)
        text = con.sqltype("VARCHAR")
        con.create_function("trino_json_parse", json_values.json_parse, [text], text, side_effects=False)
        for name, rule in (("trino_json_to_scalar", json_values.json_to_scalar),
                           ("trino_try_json_to_scalar", json_values.try_json_to_scalar)):
            con.create_function(name, rule, [text, text], text, side_effects=False, null_handling="special")
    con.execute(_TABLE, [rows])
    return con


def _median(con, sql: str, runs: int) -> tuple[float, list]:
    times, answer = [], None
    for _ in range(runs):
        start = time.perf_counter()
        answer = con.execute(sql).fetchall()
        times.append(time.perf_counter() - start)
    return statistics.median(times), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    before, after = _connection(args.rows, True), _connection(args.rows, False)
    print(f"{args.rows:,} rows, median of {args.runs} runs (seconds)")
    print(f"{'query':<46} {'before':>8} {'after':>8} {'ratio':>7} {'duckdb':>8}")
    for label, trino_sql, native_sql in QUERIES:
        sql = to_duckdb_sql(parse_statement(trino_sql), _SCHEMA)
        slow, slow_answer = _median(before, sql, args.runs)
        fast, fast_answer = _median(after, sql, args.runs)
        native, _ = _median(after, native_sql, args.runs)
        assert slow_answer == fast_answer, (label, slow_answer, fast_answer)
        print(f"{label:<46} {slow:8.3f} {fast:8.3f} {slow / fast:6.1f}x {native:8.3f}")


if __name__ == "__main__":
    main()
