"""The `parthenon` command."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from . import __version__
from .cancellation import CANCELLED_MESSAGE, run_cancellable
from .errors import ParthenonError, QueryCancelled
from .output import footer, render_csv, render_json, render_table
from .progress import ProgressBar

CANCEL_GRACE_SECONDS = 5     # how long Ctrl-C waits for the query to let go before exiting
RENDERERS = {"table": render_table, "csv": render_csv, "json": render_json}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parthenon", description="Athena's SQL on your own machine.")
    parser.add_argument("--version", action="version", version=f"parthenon {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    q = sub.add_parser("query", help="run SQL statements and print their results")
    q.add_argument("sql", nargs="?", help="one or more statements separated by ';'")
    q.add_argument("-f", "--file", help="read the statements from a file ('-' for stdin)")
    q.add_argument("--format", choices=sorted(RENDERERS), default="table")
    q.add_argument("--database", default="default")
    q.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                   help="run queries on DuckDB (default) or on Spark (pip install 'parthenon[spark]')")
    q.add_argument("--spark-master", default="local[*]", metavar="URL",
                   help="with --engine spark: local[N], spark://host:port, sc://host:port or k8s://https://host "
                        "(default local[*])")
    q.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar on stderr (it shows only on a terminal anyway)")
    _cache_size_option(q)

    s = sub.add_parser("shell", help="interactive SQL prompt")
    s.add_argument("--database", default="default")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _cache_size_option(s)

    d = sub.add_parser("demo", help="generate CloudTrail logs with a planted culprit and find it")
    d.add_argument("--dir", default="demo-data", help="where to write the logs (default ./demo-data)")
    d.add_argument("--parquet", action="store_true",
                   help="then CTAS the trail into a partitioned Parquet table and query that")
    d.add_argument("--size-mb", type=int, default=64, help="uncompressed size of the logs")

    v = sub.add_parser("serve", help="serve the Athena API (boto3, AWS CLI, PyAthena) over HTTP")
    v.add_argument("--host", default="127.0.0.1")
    v.add_argument("--port", type=int, default=8080)
    v.add_argument("--concurrency", type=int, default=4, help="queries run at once (default 4)")
    v.add_argument("--max-queued", type=int, default=200,
                   help="queued + running queries before TooManyRequestsException (default 200)")
    v.add_argument("--memory", type=_memory_size, metavar="SIZE",
                   help="memory budget (512MB, 4GB, 40%%); default half of RAM or of the "
                        "cgroup limit; split across the concurrent queries, which spill to "
                        "PARTHENON_HOME/tmp past it")
    v.add_argument("--no-auth", action="store_true", help="accept unsigned requests (unsafe)")
    v.add_argument("--access-keys-file", help="file of KEYID:SECRET lines for SigV4")
    v.add_argument("--policy-file", help="JSON: IAM-style permissions per access key "
                   "(default: every key is an administrator)")
    v.add_argument("--tls", choices=["self-signed"],
                   help="serve HTTPS with a certificate made and kept in PARTHENON_HOME/tls")
    v.add_argument("--tls-cert", help="serve HTTPS with this certificate chain (PEM)")
    v.add_argument("--tls-key", help="the private key of --tls-cert (PEM)")
    v.add_argument("--allow-plain-http", action="store_true",
                   help="allow plain HTTP on a non-loopback address (e.g. behind a TLS proxy)")
    v.add_argument("--spark-master", default="local[*]", metavar="URL",
                   help="where workgroups tagged parthenon:engine=spark run their queries (as --engine spark's): "
                        "local[N], spark://host:port or sc://host:port (default local[*])")
    v.add_argument("--no-scheduler", action="store_true", help="do not run schedules and hooks")
    v.add_argument("--data-root", action="append", default=[], metavar="DIR",
                   help="a folder local tables may read (repeatable; default none: S3 only)")
    v.add_argument("--result-root", action="append", default=[], metavar="DIR",
                   help="a folder local OutputLocations may name (repeatable; "
                        "PARTHENON_HOME/query-results always)")
    v.add_argument("--config", metavar="FILE",
                   help="settings file (TOML; default PARTHENON_HOME/server.toml if present)")
    v.add_argument("--s3-bucket", action="append", default=[], metavar="NAME=FOLDER",
                   help="serve bucket NAME from a local folder on the same port (S3 subset), "
                        "and write s3://NAME/ results there; repeatable")

    _cache_size_option(v)

    from .scheduler.cli import add_parsers as add_schedule_parsers
    add_schedule_parsers(sub)           # `schedule ...` and `scheduler`

    args = parser.parse_args(argv)
    # SQLGlot logs a warning for every Hive statement it keeps as a Command; that is
    # Parthenon's business, not the user's, and it must not pollute stderr.
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    try:
        if getattr(args, "cache_size", None) is not None:
            from . import config, scan_cache
            try:
                scan_cache.configure(scan_cache.parse_size(args.cache_size, config.home()))
            except ValueError as e:
                parser.error(f"argument --cache-size: {e}")
        if args.command == "query":
            return run_query(args)
        if args.command == "shell":
            if not sys.stdin.isatty():    # `parthenon shell < script.sql`: no prompt to draw
                args.sql, args.file, args.format = None, "-", "table"
                return run_query(args)
            from .shell import run_shell
            return run_shell(args.database, quiet=args.quiet)
        if args.command == "serve":
            from .server.serve import serve
            return serve(args)
        if args.command == "demo":
            from .demo.run import run_demo
            return run_demo(Path(args.dir), args.size_mb, parquet=args.parquet)
        if args.command in ("schedule", "scheduler"):
            from .scheduler.cli import run as run_schedule
            return run_schedule(args)
    except ParthenonError as e:
        print(str(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:          # `parthenon query ... | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as e:             # a script file that cannot be read, ...
        print(f"parthenon: {e.strerror or e}: {e.filename}" if e.filename else f"parthenon: {e}",
              file=sys.stderr)
        return 1
    except Exception as e:           # a bug: still no traceback for the user
        print(f"GENERIC_INTERNAL_ERROR: {type(e).__name__}: {e}".split("\n")[0], file=sys.stderr)
        return 1
    return 0


def _cache_size_option(p) -> None:
    p.add_argument("--cache-size", metavar="SIZE",
                   help="bound of the scan cache of decoded text/JSON objects in "
                        "PARTHENON_HOME/scan-cache (10GB, 5%% of the free disk, 0 = off); "
                        "default 10 GiB or 10%% of the free disk, whichever is smaller")


def _memory_size(text: str) -> int:
    from .engine.limits import parse_size
    try:
        return parse_size(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def run_query(args) -> int:
    if args.file:
        script = sys.stdin.read() if args.file == "-" else Path(args.file).read_text()
    elif args.sql:
        script = args.sql
    else:
        print("parthenon query: give SQL text or -f FILE", file=sys.stderr)
        return 2
    from .session import Session
    session = Session(database=args.database, engine=getattr(args, "engine", "duckdb"),
                      spark_master=getattr(args, "spark_master", None))
    render = RENDERERS[args.format]
    bar = ProgressBar.for_stream(sys.stderr, session.progress_snapshot, quiet=args.quiet)
    def run():
        session.store.require_database(session.database)
        started = time.perf_counter()
        for _, result in session.execute_script(script):
            if bar is not None:
                bar.clear()
            text = render(result)
            if text:
                print(text, end="" if text.endswith("\n") else "\n")
            # The footer goes with the table; with csv/json it must not pollute the data.
            print(footer(result, time.perf_counter() - started),
                  file=sys.stdout if args.format == "table" else sys.stderr)
            started = time.perf_counter()
    cancelled = False
    try:
        # the process exits after a cancel: a worker stuck past the bound is abandoned
        run_cancellable(run, session.engine.interrupt, give_up_after=CANCEL_GRACE_SECONDS,
                        tick=bar.tick if bar is not None else None)
    except QueryCancelled:
        cancelled = True
        if bar is not None:
            bar.clear()
        print(CANCELLED_MESSAGE, file=sys.stderr)
        return 130
    finally:
        if bar is not None:
            bar.clear()       # an error's message starts at the line's beginning
        try:
            session.close()
        except Exception:
            if not cancelled:
                raise       # after a cancel, an abandoned worker may still hold the engine
    return 0


if __name__ == "__main__":
    sys.exit(main())
