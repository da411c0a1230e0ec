"""Per-family pass rates of tests/trino_cases/*.tsv (Trino's answers through the DB-API).

    .venv/bin/python scripts/trino_case_rates.py [-v] [--write-gaps]

-v lists the failing cases; --write-gaps records them in tests/trino_cases/gaps.txt
(the cases tests/test_trino_cases.py expects to fail).
"""
from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import parthenon  # noqa: E402
from trino_cases import load_cases, passes, run_case  # noqa: E402


def main() -> None:
    verbose = "-v" in sys.argv
    failing = []
    total, passed = Counter(), Counter()
    with tempfile.TemporaryDirectory() as home, parthenon.connect(home=home) as con:
        for case in load_cases():
            total[case.family] += 1
            if passes(con, case):
                passed[case.family] += 1
                continue
            failing.append(case.sql.replace("\n", "\\n"))
            if verbose:
                value, typ = run_case(con, case)
                print(f"FAIL {case.id}: {case.sql}\n  want {case.expected} {case.type}\n  got  {value} {typ}")
    if "--write-gaps" in sys.argv:   # record today's failures as the known gaps
        (Path(__file__).resolve().parents[1] / "tests" / "trino_cases" / "gaps.txt").write_text(
            "".join(f"{sql}\n" for sql in failing))
    for family in sorted(total):
        print(f"{family:14} {passed[family]:4}/{total[family]:<4} {100 * passed[family] / total[family]:5.1f}%")
    print(f"{'all':14} {sum(passed.values()):4}/{sum(total.values()):<4} "
          f"{100 * sum(passed.values()) / max(1, sum(total.values())):5.1f}%")


if __name__ == "__main__":
    main()
