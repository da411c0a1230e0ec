"""Per-family pass rates of tests/trino_cases/*.tsv (Trino's answers through the DB-API).

    .venv/bin/python scripts/trino_case_rates.py [--engine duckdb|spark] [-v] [--write-gaps]
        [--family F ...]

-v lists the failing cases; --write-gaps records them as that engine's known gaps,
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
from trino_cases import HERE, gap_files, known_gaps, load_cases, passes, run_case  # noqa: E402


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
    parser.add_argument("--family", action="append", dest="families",
                        help="run only this family (repeatable)")
    args = parser.parse_args()
    families = set(args.families) if args.families else None
    failing: dict[str, list[str]] = defaultdict(list)
    total, passed = Counter(), Counter()
    with tempfile.TemporaryDirectory() as home:
        con = connect(args.engine, Path(home))
        try:
            for case in load_cases():
                if families is not None and case.family not in families:
                    continue
                total[case.family] += 1
                if passes(con, case):
                    passed[case.family] += 1
                    continue
                failing[case.family].append(case.sql)
                if args.verbose:
                    value, typ = run_case(con, case)
                    print(f"FAIL {case.id}: {case.sql}\n  want {case.expected} {case.type}\n"
                          f"  got  {value} {typ}")
        finally:
            con.close()
    if args.write_gaps:
        write_gaps(args.engine, failing, families)
    for family in sorted(total):
        print(f"{family:14} {passed[family]:4}/{total[family]:<4} {100 * passed[family] / total[family]:5.1f}%")
    print(f"{'all':14} {sum(passed.values()):4}/{sum(total.values()):<4} "
          f"{100 * sum(passed.values()) / max(1, sum(total.values())):5.1f}%")


if __name__ == "__main__":
    main()
