"""Per-family pass rates of tests/trino_cases/*.tsv (Trino's answers through the DB-API).

    .venv/bin/python scripts/trino_case_rates.py [--engine duckdb|spark] [-v] [--write-gaps]
        [--outcomes] [--family F ...]

-v lists the failing cases (with their outcome); --outcomes breaks each family's failing
cases down by outcome (tests/trino_cases ``outcome``: refused with NOT_SUPPORTED, another
error where Trino answers, another error code than Trino's, a WRONG ANSWER, a wrong type); --write-gaps records them as that engine's known gaps,
tests/trino_cases/gaps/<engine>/<family>.txt (the cases tests/test_trino_cases.py expects
to fail), keeping the reason already written for a case and marking a new one
"not implemented yet".  --family (repeatable) runs only those families; with --write-gaps
it rewrites only their gap files, so a run on a few families leaves the others alone.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from engines import connect  # noqa: E402
from trino_cases import (HERE, OUTCOMES, PASS, gap_files, known_gaps, load_cases,  # noqa: E402
                         outcome, run_case)


def write_gaps(engine: str, failing: dict[str, list[str]], families: set[str] | None) -> None:
    reasons = known_gaps(engine)
    for path in gap_files(engine):
        if families is None or path.stem in families:
            path.unlink()
    folder = HERE / "gaps" / engine
    folder.mkdir(parents=True, exist_ok=True)
    for family, sqls in sorted(failing.items()):
        lines = [f"{sql.replace(chr(10), chr(92) + 'n')}\t"
                 f"{reasons.get(sql, f'not implemented yet: {engine} answers otherwise')}"
                 for sql in sqls]
        (folder / f"{family}.txt").write_text("".join(f"{line}\n" for line in lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
    parser.add_argument("-v", action="store_true", dest="verbose")
    parser.add_argument("--write-gaps", action="store_true")
    parser.add_argument("--outcomes", action="store_true",
                        help="break the failing cases down by outcome")
    parser.add_argument("--family", action="append", dest="families",
                        help="run only this family (repeatable)")
    args = parser.parse_args()
    families = set(args.families) if args.families else None
    failing: dict[str, list[str]] = defaultdict(list)
    total = Counter()
    outcomes: dict[str, Counter] = defaultdict(Counter)
    with tempfile.TemporaryDirectory() as home:
        con = connect(args.engine, Path(home))
        try:
            for case in load_cases():
                if families is not None and case.family not in families:
                    continue
                total[case.family] += 1
                value, typ = run_case(con, case)
                result = outcome(case, value, typ)
                outcomes[case.family][result] += 1
                if result == PASS:
                    continue
                failing[case.family].append(case.sql)
                if args.verbose:
                    print(f"FAIL {case.id} [{result}]: {case.sql}\n  want {case.expected} {case.type}\n"
                          f"  got  {value} {typ}")
        finally:
            con.close()
    if args.write_gaps:
        write_gaps(args.engine, failing, families)
    print_rates(total, outcomes, args.outcomes)


def print_rates(total: Counter, outcomes: dict[str, Counter], breakdown: bool) -> None:
    failures = OUTCOMES[1:]
    if breakdown:
        print(f"{'':14} {'passed':>9} {'':6} " + " ".join(f"{o:>12}" for o in failures))
    everything = Counter()
    for family in sorted(total):
        everything.update(outcomes[family])
        print_row(family, total[family], outcomes[family], breakdown)
    print_row("all", sum(total.values()), everything, breakdown)


def print_row(name: str, total: int, counts: Counter, breakdown: bool) -> None:
    line = f"{name:14} {counts[PASS]:4}/{total:<4} {100 * counts[PASS] / max(1, total):5.1f}%"
    if breakdown:
        line += " " + " ".join(f"{counts[o]:12}" for o in OUTCOMES[1:])
    print(line)


if __name__ == "__main__":
    main()
