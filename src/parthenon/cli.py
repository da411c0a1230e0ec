"""The `parthenon` command."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import ParthenonError
from .output import footer, render_csv, render_json, render_table

RENDERERS = {"table": render_table, "csv": render_csv, "json": render_json}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parthenon", description="Athena's SQL on your own machine.")
    sub = parser.add_subparsers(dest="command", required=True)

    q = sub.add_parser("query", help="run SQL statements and print their results")
    q.add_argument("sql", nargs="?", help="one or more statements separated by ';'")
    q.add_argument("-f", "--file", help="read the statements from a file ('-' for stdin)")
    q.add_argument("--format", choices=sorted(RENDERERS), default="table")
    q.add_argument("--database", default="default")

    s = sub.add_parser("shell", help="interactive SQL prompt")
    s.add_argument("--database", default="default")

    d = sub.add_parser("demo", help="generate CloudTrail logs with a planted culprit and find it")
    d.add_argument("--dir", default="demo-data", help="where to write the logs (default ./demo-data)")
    d.add_argument("--size-mb", type=int, default=64, help="uncompressed size of the logs")

    args = parser.parse_args(argv)
    try:
        if args.command == "query":
            return run_query(args)
        if args.command == "shell":
            from .shell import run_shell
            return run_shell(args.database)
        if args.command == "demo":
            from .demo.run import run_demo
            return run_demo(Path(args.dir), args.size_mb)
    except ParthenonError as e:
        print(str(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    return 0


def run_query(args) -> int:
    if args.file:
        script = sys.stdin.read() if args.file == "-" else Path(args.file).read_text()
    elif args.sql:
        script = args.sql
    else:
        print("parthenon query: give SQL text or -f FILE", file=sys.stderr)
        return 2
    from .session import Session
    session = Session(database=args.database)
    render = RENDERERS[args.format]
    try:
        started = time.perf_counter()
        for _, result in session.execute_script(script):
            text = render(result)
            if text:
                print(text, end="" if text.endswith("\n") else "\n")
            # The footer goes with the table; with csv/json it must not pollute the data.
            print(footer(result, time.perf_counter() - started),
                  file=sys.stdout if args.format == "table" else sys.stderr)
            started = time.perf_counter()
    finally:
        session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
