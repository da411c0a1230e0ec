"""`parthenon demo`: the CloudTrail story on generated logs, from nothing to the culprit.

Writes a day-partitioned CloudTrail trail with a planted culprit, creates the
table and its partitions with the usual Athena DDL, and runs the query that
finds who is burning the API rate limit, printing each step as the user
would type it.
"""
from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from ..output import footer, render_table
from ..session import Session
from .cloudtrail_table import CLOUDTRAIL_DDL, SEED_QUERY, day_predicates
from .generator import generate

ACCOUNT = "123456789012"


# The CloudTrail user's next step: the same trail as a partitioned Parquet table.
PARQUET_CTAS = """CREATE TABLE cloudtrail_parquet WITH (
  format = 'PARQUET', write_compression = 'SNAPPY',
  partitioned_by = ARRAY['region', 'year', 'month', 'day'],
  external_location = '{location}')
AS SELECT * FROM cloudtrail_logs"""


def run_demo(folder: Path, size_mb: int = 64, parquet: bool = False) -> int:
    folder = folder.resolve()
    started = time.perf_counter()
    stats = generate(folder, account=ACCOUNT, target_bytes=size_mb * 2**20)
    print(f"Wrote {stats.files} CloudTrail log files ({stats.records:,} events, "
          f"{stats.uncompressed_bytes / 2**20:.0f} MB of JSON, {stats.compressed_bytes / 2**20:.1f} MB gzip) "
          f"under {folder}/AWSLogs in {time.perf_counter() - started:.1f} s\n")
    location = f"{folder}/AWSLogs/{ACCOUNT}/CloudTrail/"
    # The user's own PARTHENON_HOME, so `parthenon query` / `shell` / connect() find the table next.
    session = Session()
    try:
        existing = session.store.get_table("default", "cloudtrail_logs")
        if existing is not None and existing.location != location:
            print(f"A table default.cloudtrail_logs already exists in {session.home} "
                  f"(LOCATION '{existing.location}'); the demo leaves it alone: drop it "
                  "(parthenon query \"DROP TABLE cloudtrail_logs\") or give the demo another "
                  "PARTHENON_HOME.", file=sys.stderr)
            return 1
        session.execute("DROP TABLE IF EXISTS cloudtrail_logs")
        show(session, CLOUDTRAIL_DDL.format(location=location))
        clauses = "\n".join(
            f"  PARTITION (region='{region}', year='{y}', month='{m}', day='{d}')\n    LOCATION '{path}/'"
            for region, y, m, d, path in stats.partitions)
        show(session, f"ALTER TABLE cloudtrail_logs ADD IF NOT EXISTS\n{clauses}")
        region, y, m, d, _ = stats.partitions[0]
        show(session, SEED_QUERY.format(predicates=day_predicates(region, y, m, d)))
        if parquet:
            # The demo owns its folder: a previous run's Parquet copy goes (DROP TABLE keeps data).
            session.execute("DROP TABLE IF EXISTS cloudtrail_parquet")
            shutil.rmtree(folder / "parquet", ignore_errors=True)
            show(session, PARQUET_CTAS.format(location=f"{folder}/parquet/"))
            show(session, SEED_QUERY.format(predicates=day_predicates(region, y, m, d))
                 .replace("FROM cloudtrail_logs", "FROM cloudtrail_parquet"))
    finally:
        session.close()
    print(f"\nThe culprit: {stats.culprit_arn} from {stats.culprit_ip}.")
    command = shutil.which("parthenon") or f"{sys.executable} -m parthenon"   # venv not activated
    print(f"Try it yourself: {command} shell   (the catalog is {session.home}/catalog.db)")
    return 0


def show(session: Session, sql: str) -> None:
    print(sql + ";")
    started = time.perf_counter()
    result = session.execute(sql)
    print(render_table(result))
    print(footer(result, time.perf_counter() - started) + "\n")
