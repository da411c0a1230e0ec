"""Trino's answers, by family: one TSV file per family, run through the DB-API.

Each line of ``<family>.tsv`` is ``SQL <TAB> expected <TAB> expected type``:

- ``expected`` is the single value as Athena renders it in a result file
  (``NULL`` for null), or ``ERROR <CODE>`` for a query Trino refuses with
  that error code;
- ``expected type`` is Trino's name for the result column's type (empty for an
  error case).

Lines starting with ``#`` are comments.  The expectations come from Trino's
documentation and its own tests (core/trino-main/src/test/java/io/trino/
operator/scalar/ and io/trino/type/), release 435.  ``run_case`` is shared by
tests/test_trino_cases.py and scripts/trino_case_rates.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Case:
    family: str
    line: int
    sql: str
    expected: str
    type: str

    @property
    def id(self) -> str:
        return f"{self.family}:{self.line}"


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(HERE.glob("*.tsv")):
        for number, raw in enumerate(path.read_text().splitlines(), start=1):
            if not raw.strip() or raw.startswith("#"):
                continue
            fields = raw.split("\t")
            if len(fields) == 2:
                fields.append("")
            sql, expected, typ = fields
            sql = sql.replace("\\n", "\n")   # a line break inside the SQL
            cases.append(Case(path.stem, number, sql, expected, typ))
    return cases


def gap_files(engine: str) -> list[Path]:
    """gaps/<engine>/<family>.txt: one file per family (see gaps/README.md)."""
    return sorted((HERE / "gaps" / engine).glob("*.txt"))


def known_gaps(engine: str = "duckdb") -> dict[str, str]:
    """SQL of the cases an engine does not pass yet -> the reason ("not implemented yet:
    ..." or "not possible: ..."): expected failures, so that the suite says when one
    starts passing."""
    gaps = {}
    for path in gap_files(engine):
        for line in path.read_text().splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            sql, _, reason = line.partition("\t")
            gaps[sql.replace("\\n", "\n")] = reason or "known gap"
    return gaps


def run_case(connection, case: Case) -> tuple[str, str]:
    """(value as Athena's text or ``ERROR <CODE>``, Trino type name) of a case's query."""
    from parthenon.errors import ParthenonError
    from parthenon.output import athena_text

    cursor = connection.cursor()
    try:
        cursor.execute(case.sql)
    except ParthenonError as e:
        return f"ERROR {e.code}", ""
    rows = cursor.fetchall()
    if len(rows) != 1 or len(rows[0]) != 1:
        return f"ROWS {rows!r}", ""
    typ = cursor.description[0][1]
    text = athena_text(rows[0][0], typ)
    return ("NULL" if text is None else text), typ


# How a case's answer compares with Trino's (scripts/trino_case_rates.py --outcomes):
# only WRONG_ANSWER breaks the rule that what an engine cannot keep is refused.
PASS = "pass"
REFUSED = "refused"            # NOT_SUPPORTED where Trino answers (or errs otherwise)
OTHER_ERROR = "other error"    # another error where Trino gives a value
WRONG_ERROR = "wrong error"    # an error, but not the code Trino refuses the query with
WRONG_ANSWER = "WRONG ANSWER"  # a value (or rows) Trino does not give, or a value where Trino errs
WRONG_TYPE = "wrong type"      # Trino's value, another type
OUTCOMES = (PASS, REFUSED, OTHER_ERROR, WRONG_ERROR, WRONG_ANSWER, WRONG_TYPE)


def outcome(case: Case, value: str, typ: str) -> str:
    """One of OUTCOMES for the answer (value, typ) that run_case gave for a case."""
    want_error = case.expected.startswith("ERROR")
    if value == case.expected:
        return PASS if want_error or typ == case.type else WRONG_TYPE
    if value == "ERROR NOT_SUPPORTED":
        return REFUSED
    if value.startswith("ERROR"):
        return WRONG_ERROR if want_error else OTHER_ERROR
    return WRONG_ANSWER


def passes(connection, case: Case) -> bool:
    return outcome(case, *run_case(connection, case)) == PASS
