"""MATCH_RECOGNIZE (row pattern recognition) on DuckDB, through the DB-API.

Expected rows and types are Trino's: the cases are those of Trino's
core/trino-main/src/test/java/io/trino/sql/query/TestRowPatternMatching.java (named by
its test method) and the examples of Trino's documentation (docs/.../sql/match-recognize.md).
"""
from __future__ import annotations

import pytest

import parthenon

B, I, V = "bigint", "integer", "varchar"

FOUR = "(VALUES (1, 90), (2, 80), (3, 70), (4, 70)) t(id, value)"
EIGHT = "(VALUES (1, 90), (2, 80), (3, 70), (4, 80), (5, 90), (6, 50), (7, 40), (8, 60)) t(id, value)"


def run(con, sql):
    cur = con.cursor()
    cur.execute(sql)
    return cur.fetchall(), [d[:2] for d in cur.description]


def standard(rows_input: str, pattern_define: str, rows_per_match="ALL ROWS PER MATCH",
             skip="AFTER MATCH SKIP PAST LAST ROW") -> str:
    """TestRowPatternMatching's usual query: row id, match number, running last value, label."""
    return (f"SELECT m.id AS row_id, m.match, m.val, m.label FROM {rows_input} MATCH_RECOGNIZE ("
            " ORDER BY id MEASURES match_number() AS match, RUNNING LAST(value) AS val,"
            f" classifier() AS label {rows_per_match} {skip} {pattern_define}) AS m")


def test_simple_query(con):
    """testSimpleQuery."""
    rows, types = run(con, standard(EIGHT, "PATTERN (A B+ C+) DEFINE B AS B.value < PREV (B.value), "
                                           "C AS C.value > PREV (C.value)"))
    assert types == [("row_id", I), ("match", B), ("val", I), ("label", V)]
    assert rows == [(1, 1, 90, "A"), (2, 1, 80, "B"), (3, 1, 70, "B"), (4, 1, 80, "C"), (5, 1, 90, "C"),
                    (6, 2, 50, "A"), (7, 2, 40, "B"), (8, 2, 60, "C")]


ROW_PATTERN = [      # testRowPattern
    ("PATTERN (() | A) DEFINE A AS true", [(1, 1, None, None), (2, 2, None, None), (3, 3, None, None),
                                          (4, 4, None, None)]),
    ("PATTERN (^A) DEFINE A AS true", [(1, 1, 90, "A")]),
    ("PATTERN (A^) DEFINE A AS true", []),
    ("PATTERN (^A^) DEFINE A AS true", []),
    ("PATTERN (A$) DEFINE A AS true", [(4, 1, 70, "A")]),
    ("PATTERN ($A) DEFINE A AS true", []),
    ("PATTERN ($A$) DEFINE A AS true", []),
    ("PATTERN (A B C) DEFINE B AS B.value < PREV (B.value), C AS C.value = PREV (C.value)",
     [(2, 1, 80, "A"), (3, 1, 70, "B"), (4, 1, 70, "C")]),
    ("PATTERN (B | C | A) DEFINE B AS B.value < PREV (B.value), C AS C.value <= PREV (C.value)",
     [(1, 1, 90, "A"), (2, 2, 80, "B"), (3, 3, 70, "B"), (4, 4, 70, "C")]),
    ("PATTERN (PERMUTE(B, C)) DEFINE B AS B.value < PREV (B.value), C AS C.value < PREV (C.value)",
     [(2, 1, 80, "B"), (3, 1, 70, "C")]),
    ("PATTERN (((A) (B (C)))) DEFINE B AS B.value < PREV (B.value), C AS C.value = PREV (C.value)",
     [(2, 1, 80, "A"), (3, 1, 70, "B"), (4, 1, 70, "C")]),
]


@pytest.mark.parametrize("pattern, expected", ROW_PATTERN, ids=[p for p, _ in ROW_PATTERN])
def test_row_pattern(con, pattern, expected):
    assert run(con, standard(FOUR, pattern))[0] == expected


GREEDY_B = [(1, 1, None, None), (2, 2, 80, "B"), (3, 2, 70, "B"), (4, 2, 70, "B")]
EMPTY = [(1, 1, None, None), (2, 2, None, None), (3, 3, None, None), (4, 4, None, None)]
ONE_MATCH = [(2, 1, 80, "B"), (3, 1, 70, "B"), (4, 1, 70, "B")]
EACH = [(2, 1, 80, "B"), (3, 2, 70, "B"), (4, 3, 70, "B")]
OPTIONAL = [(1, 1, None, None), (2, 2, 80, "B"), (3, 3, 70, "B"), (4, 4, 70, "B")]
QUANTIFIERS = [      # testPatternQuantifiers
    ("B*", GREEDY_B), ("B*?", EMPTY), ("B+", ONE_MATCH), ("B+?", EACH), ("B?", OPTIONAL), ("B??", EMPTY),
    ("B{,}", GREEDY_B), ("B{,}?", EMPTY), ("B{1,}", ONE_MATCH), ("B{1,}?", EACH), ("B{2,}", ONE_MATCH),
    ("B{2,}?", [(2, 1, 80, "B"), (3, 1, 70, "B")]), ("B{5,}", []), ("B{5,}?", []),
    ("B{,1}", OPTIONAL), ("B{,1}?", EMPTY),
    ("B{,2}", [(1, 1, None, None), (2, 2, 80, "B"), (3, 2, 70, "B"), (4, 3, 70, "B")]), ("B{,2}?", EMPTY),
    ("B{,5}", GREEDY_B), ("B{,5}?", EMPTY), ("B{1,1}", EACH), ("B{1,1}?", EACH), ("B{1,5}", ONE_MATCH),
    ("B{1,5}?", EACH), ("B{5,7}", []), ("B{5,7}?", []), ("B{1}", EACH), ("B{1}?", EACH),
    ("B{2}", [(2, 1, 80, "B"), (3, 1, 70, "B")]), ("B{2}?", [(2, 1, 80, "B"), (3, 1, 70, "B")]),
    ("B{5}", []), ("B{5}?", []),
]


@pytest.mark.parametrize("pattern, expected", QUANTIFIERS, ids=[p for p, _ in QUANTIFIERS])
def test_pattern_quantifiers(con, pattern, expected):
    assert run(con, standard(FOUR, f"PATTERN ({pattern}) DEFINE B AS B.value <= PREV (B.value)"))[0] == expected


EXCLUSIONS = [       # testExclusionSyntax
    ("A B+ C+", [(1, 1, 90, "A"), (2, 1, 80, "B"), (3, 1, 70, "B"), (4, 1, 80, "C"), (5, 1, 90, "C"),
                 (6, 2, 50, "A"), (7, 2, 40, "B"), (8, 2, 60, "C")]),
    ("A {- B+ -} C+", [(1, 1, 90, "A"), (4, 1, 80, "C"), (5, 1, 90, "C"), (6, 2, 50, "A"), (8, 2, 60, "C")]),
    ("{- A -} {- B+ -} C+", [(4, 1, 80, "C"), (5, 1, 90, "C"), (8, 2, 60, "C")]),
    ("A {- {- B+ -} C+ -}", [(1, 1, 90, "A"), (6, 2, 50, "A")]),
    ("{- A B+ C+ -}", []),
    ("A B+ {- ()* -} C+", [(1, 1, 90, "A"), (2, 1, 80, "B"), (3, 1, 70, "B"), (4, 1, 80, "C"),
                           (5, 1, 90, "C"), (6, 2, 50, "A"), (7, 2, 40, "B"), (8, 2, 60, "C")]),
    ("A {- B -}+ {- C -}+", [(1, 1, 90, "A"), (6, 2, 50, "A")]),
    ("A {- B -}* {- C -}*", [(1, 1, 90, "A"), (6, 2, 50, "A")]),
    ("A {- B -}{1,2} {- C -}{1,2}", [(1, 1, 90, "A"), (6, 2, 50, "A")]),
    ("A {- C -}{2,3} {- B -}{2,3}", [(3, 1, 70, "A")]),
]


@pytest.mark.parametrize("pattern, expected", EXCLUSIONS, ids=[p for p, _ in EXCLUSIONS])
def test_exclusion_syntax(con, pattern, expected):
    sql = standard(EIGHT, f"PATTERN ({pattern}) DEFINE B AS B.value < PREV (B.value), "
                          "C AS C.value > PREV (C.value)")
    assert run(con, sql)[0] == expected


EMPTY_CYCLES = [     # testEmptyCycle
    ("()* | B", EMPTY), ("()+ | B", EMPTY), ("(){5,} | B", EMPTY),
    ("B | ()*", [(1, 1, None, None), (2, 2, 80, "B"), (3, 3, 70, "B"), (4, 4, None, None)]),
    ("(B ()*)*", [(1, 1, None, None), (2, 2, 80, "B"), (3, 2, 70, "B"), (4, 3, None, None)]),
    ("(B ()*)*?", EMPTY), ("^* | B", EMPTY),
    ("^+ | B", [(1, 1, None, None), (2, 2, 80, "B"), (3, 3, 70, "B")]),
    ("^* A B", [(1, 1, 90, "A"), (2, 1, 80, "B")]),
    ("$* | B", EMPTY), ("$+ | B", [(2, 1, 80, "B"), (3, 2, 70, "B")]),
    ("B A $+", [(3, 1, 70, "B"), (4, 1, 70, "A")]),
]


@pytest.mark.parametrize("pattern, expected", EMPTY_CYCLES, ids=[p for p, _ in EMPTY_CYCLES])
def test_empty_cycle(con, pattern, expected):
    assert run(con, standard(FOUR, f"PATTERN ({pattern}) DEFINE B AS B.value < PREV (B.value)"))[0] == expected


OUTPUT_MODES = [     # testOutputModes
    ("ONE ROW PER MATCH", "B*", [(1, None, None), (2, 70, "B"), (3, None, None)]),
    ("", "B*", [(1, None, None), (2, 70, "B"), (3, None, None)]),
    ("ONE ROW PER MATCH", "B+", [(1, 70, "B")]),
    ("ALL ROWS PER MATCH", "B*", [(1, None, None), (2, 80, "B"), (2, 70, "B"), (3, None, None)]),
    ("ALL ROWS PER MATCH", "B+", [(1, 80, "B"), (1, 70, "B")]),
    ("ALL ROWS PER MATCH SHOW EMPTY MATCHES", "B*", [(1, None, None), (2, 80, "B"), (2, 70, "B"),
                                                     (3, None, None)]),
    ("ALL ROWS PER MATCH OMIT EMPTY MATCHES", "B*", [(2, 80, "B"), (2, 70, "B")]),
    ("ALL ROWS PER MATCH OMIT EMPTY MATCHES", "B+", [(1, 80, "B"), (1, 70, "B")]),
    ("ALL ROWS PER MATCH WITH UNMATCHED ROWS", "B+", [(None, None, None), (1, 80, "B"), (1, 70, "B"),
                                                      (None, None, None)]),
]


@pytest.mark.parametrize("mode, pattern, expected", OUTPUT_MODES, ids=[f"{m}-{p}" for m, p, _ in OUTPUT_MODES])
def test_output_modes(con, mode, pattern, expected):
    sql = (f"SELECT m.match, m.val, m.label FROM {FOUR} MATCH_RECOGNIZE (ORDER BY id MEASURES "
           f"match_number() AS match, RUNNING LAST(value) AS val, classifier() AS label {mode} "
           f"AFTER MATCH SKIP PAST LAST ROW PATTERN ({pattern}) DEFINE B AS B.value < PREV (B.value)) AS m")
    rows, types = run(con, sql)
    assert rows == expected
    assert types == [("match", B), ("val", I), ("label", V)]


SIX = "(VALUES (1, 90), (2, 80), (3, 70), (4, 80), (5, 70), (6, 80)) t(id, value)"
FIRST_MATCH = [(1, 1, 90, "A"), (2, 1, 80, "B"), (3, 1, 70, "B"), (4, 1, 80, "C")]
SKIPS = [            # testAfterMatchSkip
    ("AFTER MATCH SKIP PAST LAST ROW", FIRST_MATCH),
    ("AFTER MATCH SKIP TO NEXT ROW", FIRST_MATCH + [(2, 2, 80, "A"), (3, 2, 70, "B"), (4, 2, 80, "C"),
                                                    (4, 3, 80, "A"), (5, 3, 70, "B"), (6, 3, 80, "C")]),
    ("AFTER MATCH SKIP TO FIRST C", FIRST_MATCH + [(4, 2, 80, "A"), (5, 2, 70, "B"), (6, 2, 80, "C")]),
    ("AFTER MATCH SKIP TO LAST B", FIRST_MATCH + [(4, 2, 80, "A"), (5, 2, 70, "B"), (6, 2, 80, "C")]),
    ("AFTER MATCH SKIP TO B", FIRST_MATCH + [(4, 2, 80, "A"), (5, 2, 70, "B"), (6, 2, 80, "C")]),
    ("AFTER MATCH SKIP TO U", FIRST_MATCH + [(4, 2, 80, "A"), (5, 2, 70, "B"), (6, 2, 80, "C")]),
]


def _skip_query(skip: str) -> str:
    return (f"SELECT m.id, m.match, m.val, m.label FROM {SIX} MATCH_RECOGNIZE (ORDER BY id MEASURES "
            "match_number() AS match, RUNNING LAST(value) AS val, classifier() AS label "
            f"ALL ROWS PER MATCH {skip} PATTERN (A B+ C+ D?) SUBSET U = (C, D) DEFINE "
            "B AS B.value < PREV (B.value), C AS C.value > PREV (C.value), D AS false) AS m")


@pytest.mark.parametrize("skip, expected", SKIPS, ids=[s for s, _ in SKIPS])
def test_after_match_skip(con, skip, expected):
    assert sorted(run(con, _skip_query(skip))[0], key=lambda r: (r[1], r[0])) == expected


@pytest.mark.parametrize("skip, message", [
    ("AFTER MATCH SKIP TO A", "AFTER MATCH SKIP failed: cannot skip to first row of match"),
    ("AFTER MATCH SKIP TO D", "AFTER MATCH SKIP failed: pattern variable is not present in match")])
def test_after_match_skip_failures(con, skip, message):
    with pytest.raises(parthenon.Error) as err:
        run(con, _skip_query(skip))
    assert str(err.value) == f"GENERIC_USER_ERROR: {message}"


def test_empty_matches_and_unmatched_rows(con):
    """testEmptyMatches."""
    sql = ("SELECT m.id, m.match, m.value, m.label FROM (VALUES (1, 100), (2, 100), (3, 90), (4, 80), "
           "(5, 70), (6, 100)) t(id, value) MATCH_RECOGNIZE (ORDER BY id MEASURES match_number() AS match, "
           "classifier() AS label ALL ROWS PER MATCH WITH UNMATCHED ROWS AFTER MATCH SKIP TO NEXT ROW "
           "PATTERN (A B{2}) DEFINE B AS B.value < PREV (B.value)) AS m")
    rows, types = run(con, sql)
    assert rows == [(1, None, 100, None), (2, 1, 100, "A"), (3, 1, 90, "B"), (4, 1, 80, "B"),
                    (3, 2, 90, "A"), (4, 2, 80, "B"), (5, 2, 70, "B"), (6, None, 100, None)]
    assert types == [("id", I), ("match", B), ("value", I), ("label", V)]


def test_union_variable(con):
    """testUnionVariable."""
    sql = ("SELECT m.id, m.match, m.val, m.lower_or_higher, m.label FROM (VALUES (1, 90), (2, 80), (3, 70), "
           "(4, 80)) t(id, value) MATCH_RECOGNIZE (ORDER BY id MEASURES match_number() AS match, "
           "RUNNING LAST(value) AS val, classifier(U) AS lower_or_higher, classifier(W) AS label "
           "ALL ROWS PER MATCH PATTERN ((L | H) A) SUBSET U = (L, H), W = (A, L, H) DEFINE "
           "A AS A.value = 80, L AS L.value < 80, H AS H.value > 80) AS m")
    assert run(con, sql)[0] == [(1, 1, 90, "H", "H"), (2, 1, 80, "H", "A"), (3, 2, 70, "L", "L"),
                                (4, 2, 80, "L", "A")]


NAVIGATION = [       # testNavigationFunctions
    ("value", [10, 20, 30]), ("LAST(value)", [10, 20, 30]), ("RUNNING LAST(value)", [10, 20, 30]),
    ("FINAL LAST(value)", [30, 30, 30]), ("FIRST(value)", [10, 10, 10]),
    ("RUNNING FIRST(value)", [10, 10, 10]), ("FINAL FIRST(value)", [10, 10, 10]),
    ("FINAL LAST(value, 2)", [10, 10, 10]), ("FIRST(value, 2)", [30, 30, 30]),
    ("LAST(value, 10)", [None] * 3), ("FIRST(value, 10)", [None] * 3),
    ("PREV(value)", [None, 10, 20]), ("NEXT(value)", [20, 30, None]),
    ("NEXT(FIRST(value), 2)", [30, 30, 30]), ("NEXT(FIRST(value), 10)", [None] * 3),
    ("PREV(FIRST(value), 10)", [None] * 3), ("PREV(FIRST(value, 10), 2)", [None] * 3),
    ("PREV(LAST(value, 10), 2)", [None] * 3),
]


@pytest.mark.parametrize("measure, expected", NAVIGATION, ids=[m for m, _ in NAVIGATION])
def test_navigation_functions(con, measure, expected):
    sql = (f"SELECT m.id, m.measure FROM (VALUES (1, 10), (2, 20), (3, 30)) t(id, value) MATCH_RECOGNIZE "
           f"(ORDER BY id MEASURES {measure} AS measure ALL ROWS PER MATCH PATTERN (A+) DEFINE A AS true) AS m")
    rows, types = run(con, sql)
    assert rows == list(zip([1, 2, 3], expected))
    assert types == [("id", I), ("measure", I)]


@pytest.mark.parametrize("measure, expected", [
    ("PREV(B.value, 4)", None), ("PREV(B.value, 3)", 10), ("PREV(B.value, 2)", 20),
    ("NEXT(B.value, 1)", 40), ("NEXT(B.value, 2)", None)])
def test_navigation_outside_the_match(con, measure, expected):
    """testNavigationFunctions: rows outside the match but inside the partition can be read."""
    sql = ("SELECT m.measure FROM (VALUES (1, 10), (2, 20), (3, 30), (4, 30), (5, 40)) t(id, value) "
           f"MATCH_RECOGNIZE (ORDER BY id MEASURES {measure} AS measure ONE ROW PER MATCH PATTERN (A B) "
           "DEFINE B AS B.value = PREV(B.value)) AS m")
    assert run(con, sql) == ([(expected,)], [("measure", I)])


def test_classifier_past_current_row(con):
    """testClassifierFunctionPastCurrentRow (MEASURES see the whole match)."""
    sql = ("SELECT m.id, m.value, m.label, m.next_label FROM (VALUES (1, 90), (2, 80), (3, 70), (4, 80)) "
           "t(id, value) MATCH_RECOGNIZE (ORDER BY id MEASURES CLASSIFIER() AS label, NEXT(CLASSIFIER()) "
           "AS next_label ALL ROWS PER MATCH PATTERN (A B+ C+) DEFINE B AS B.value < PREV(B.value), "
           "C AS C.value > PREV(C.value)) AS m")
    assert run(con, sql)[0] == [(1, 90, "A", "B"), (2, 80, "B", "B"), (3, 70, "B", "C"), (4, 80, "C", None)]


def test_case_sensitive_labels(con):
    """testCaseSensitiveLabels."""
    sql = ("SELECT m.id, m.label FROM (VALUES (1, 90), (2, 80), (3, 70), (4, 80)) t(id, value) "
           "MATCH_RECOGNIZE (ORDER BY id MEASURES CLASSIFIER() AS label ALL ROWS PER MATCH "
           'PATTERN (a "b"+ C+) DEFINE "b" AS "b".value < PREV("b".value), C AS C.value > PREV(C.value)) AS m')
    assert run(con, sql)[0] == [(1, "A"), (2, "b"), (3, "b"), (4, "C")]


def test_scalar_functions(con):
    """testScalarFunctions: the measure's scalar part around LAST(CLASSIFIER()) is SQL."""
    sql = ("SELECT m.id, m.label FROM (VALUES (1, 90), (2, 80), (3, 60)) t(id, value) MATCH_RECOGNIZE "
           "(ORDER BY id MEASURES CAST(lower(LAST(CLASSIFIER())) || '_label' AS varchar(7)) AS label "
           "ALL ROWS PER MATCH PATTERN (A B+) DEFINE B AS B.value + 10 < abs(PREV (B.value))) AS m")
    assert run(con, sql) == ([(2, "a_label"), (3, "b_label")], [("id", I), ("label", "varchar(7)")])


def test_running_and_final(con):
    """testRunningAndFinal."""
    sql = ("SELECT id, label, final_label, running_value, final_value, A_running_value, A_final_value, "
           "B_running_value, B_final_value, C_running_value, C_final_value FROM (VALUES (1, 90), (2, 80), "
           "(3, 70), (4, 100), (5, 200)) t(id, value) MATCH_RECOGNIZE (ORDER BY id MEASURES "
           "CLASSIFIER() AS label, FINAL LAST(CLASSIFIER()) AS final_label, RUNNING LAST(value) AS "
           "running_value, FINAL LAST(value) AS final_value, RUNNING LAST(A.value) AS A_running_value, "
           "FINAL LAST(A.value) AS A_final_value, RUNNING LAST(B.value) AS B_running_value, "
           "FINAL LAST(B.value) AS B_final_value, RUNNING LAST(C.value) AS C_running_value, "
           "FINAL LAST(C.value) AS C_final_value ALL ROWS PER MATCH PATTERN (A B+ C+) DEFINE "
           "B AS B.value < PREV (B.value), C AS C.value > PREV (C.value))")
    assert run(con, sql)[0] == [(1, "A", "C", 90, 200, 90, 90, None, 70, None, 200),
                                (2, "B", "C", 80, 200, 90, 90, 80, 70, None, 200),
                                (3, "B", "C", 70, 200, 90, 90, 70, 70, None, 200),
                                (4, "C", "C", 100, 200, 90, 90, 70, 70, 100, 200),
                                (5, "C", "C", 200, 200, 90, 90, 70, 70, 200, 200)]


def test_partitioning_and_ordering(con):
    """testPartitioningAndOrdering: several partitions, unordered input."""
    sql = ("SELECT m.part as partition, m.id AS row_id, m.match, m.val, m.label FROM (VALUES (1, 'p1', 90), "
           "(2, 'p1', 80), (6, 'p1', 80), (2, 'p2', 20), (2, 'p3', 60), (1, 'p3', 50), (3, 'p1', 70), "
           "(4, 'p1', 80), (5, 'p1', 90), (1, 'p2', 20), (3, 'p3', 70), (3, 'p2', 10)) t(id, part, value) "
           "MATCH_RECOGNIZE (PARTITION BY part ORDER BY id MEASURES match_number() AS match, "
           "PREV(RUNNING LAST(value)) AS val, classifier() AS label ALL ROWS PER MATCH "
           "AFTER MATCH SKIP PAST LAST ROW PATTERN (B+) DEFINE B AS B.value < PREV (B.value)) AS m "
           "ORDER BY 1, 2")
    rows, types = run(con, sql)
    assert rows == [("p1", 2, 1, 90, "B"), ("p1", 3, 1, 80, "B"), ("p1", 6, 2, 90, "B"), ("p2", 3, 1, 20, "B")]
    assert types == [("partition", "varchar(2)"), ("row_id", I), ("match", B), ("val", I), ("label", V)]


def test_empty_input(con):
    """testPartitioningAndOrdering: empty input."""
    sql = ("SELECT m.part as partition, m.id AS row_id, m.match, m.val, m.label FROM (SELECT * FROM "
           "(VALUES (1, 'p1', 90)) WHERE false) t(id, part, value) MATCH_RECOGNIZE (PARTITION BY part "
           "ORDER BY id MEASURES match_number() AS match, PREV(RUNNING LAST(value)) AS val, classifier() "
           "AS label ALL ROWS PER MATCH AFTER MATCH SKIP PAST LAST ROW PATTERN (B+) "
           "DEFINE B AS B.value < PREV (B.value)) AS m")
    assert run(con, sql)[0] == []


def test_no_measures(con):
    """testPartitioningAndOrdering: no measures."""
    sql = ("SELECT m.id AS row_id, m.part as partition FROM (VALUES (5, 'p2', 10), (2, 'p1', 90), "
           "(1, 'p1', 80), (4, 'p2', 20), (3, 'p1', 30)) t(id, part, value) MATCH_RECOGNIZE "
           "(PARTITION BY part ORDER BY id ALL ROWS PER MATCH AFTER MATCH SKIP PAST LAST ROW PATTERN (B+) "
           "DEFINE B AS B.value < PREV (B.value)) AS m ORDER BY 2")
    assert run(con, sql)[0] == [(3, "p1"), (5, "p2")]


@pytest.mark.parametrize("mode, expected, names", [
    ("ALL ROWS PER MATCH", ("partitioning", "ordering", "A", 90), ["part", "id", "classy", "value"]),
    ("ONE ROW PER MATCH", ("partitioning", "A"), ["part", "classy"])])
def test_output_layout(con, mode, expected, names):
    """testOutputLayout: PARTITION BY columns, ORDER BY columns, measures, the other columns."""
    sql = ("SELECT * FROM (VALUES ('ordering', 'partitioning', 90)) t(id, part, value) MATCH_RECOGNIZE "
           f"(PARTITION BY part ORDER BY id MEASURES CLASSIFIER() AS classy {mode} PATTERN (A) "
           "DEFINE A AS true) AS m")
    rows, types = run(con, sql)
    assert rows == [expected]
    assert [n for n, _ in types] == names


def test_multiple_match_recognize(con):
    """testMultipleMatchRecognize."""
    sql = ("SELECT first.classy, second.classy, third.classy FROM (VALUES (1), (2), (3)) t(id) "
           "MATCH_RECOGNIZE (ORDER BY id MEASURES CLASSIFIER() AS classy ALL ROWS PER MATCH PATTERN (A) "
           "DEFINE A AS true) AS first, (VALUES (10), (20)) t(id) MATCH_RECOGNIZE (ORDER BY id MEASURES "
           "CLASSIFIER() AS classy ALL ROWS PER MATCH PATTERN (B) DEFINE B AS true) AS second, "
           "(VALUES 100) t(id) MATCH_RECOGNIZE (ORDER BY id MEASURES CLASSIFIER() AS classy "
           "ALL ROWS PER MATCH PATTERN (C) DEFINE C AS true) AS third")
    assert run(con, sql)[0] == [("A", "B", "C")] * 6


def test_subqueries_in_measures_and_define(con):
    """testSubqueries."""
    sql = ("SELECT m.val FROM (VALUES (1, 100), (2, 200), (3, 300), (4, 400)) t(id, value) MATCH_RECOGNIZE "
           "(ORDER BY id MEASURES {} AS val ONE ROW PER MATCH AFTER MATCH SKIP TO NEXT ROW PATTERN (A+) "
           "DEFINE A AS {}) AS m")
    assert run(con, sql.format("(SELECT 'x')", "(SELECT true)"))[0] == [("x",)] * 4
    assert run(con, sql.format("FINAL LAST(A.value + (SELECT 1000))", "A.value > 0 OR (SELECT true)"))[0] \
        == [(1400,)] * 4


def test_in_predicate_without_subquery(con):
    """testInPredicateWithoutSubquery."""
    sql = ("SELECT m.val FROM (VALUES (1, 100), (2, 200), (3, 300), (4, 400)) t(id, value) MATCH_RECOGNIZE "
           "(ORDER BY id MEASURES {} AS val ONE ROW PER MATCH AFTER MATCH SKIP TO NEXT ROW PATTERN (A+) "
           "DEFINE A AS true) AS m")
    assert run(con, sql.format("FIRST(A.value) IN (300, LAST(A.value))"))[0] == \
        [(False,), (False,), (True,), (True,)]
    assert run(con, sql.format("CLASSIFIER() IN ('X', lower(CLASSIFIER()))"))[0] == [(False,)] * 4
    assert run(con, sql.format("MATCH_NUMBER() IN (0, MATCH_NUMBER())"))[0] == [(True,)] * 4


def test_potentially_exponential_match(con):
    """testPotentiallyExponentialMatch: equivalent threads are pruned."""
    values = ", ".join(["(1)"] * 20)
    sql = (f"SELECT m.classy FROM (VALUES {values}) t(value) MATCH_RECOGNIZE (MEASURES CLASSIFIER() AS classy "
           "PATTERN ((A+)+ B) DEFINE A AS value = 1, B AS value = 2) AS m")
    assert run(con, sql)[0] == []


def test_documentation_v_shape(con):
    """The documentation's example: orders of a customer falling, then rising past the
    start (C's condition compares with A's row); ONE ROW PER MATCH of the partition and measures."""
    sql = ("SELECT * FROM (VALUES (1, DATE '2021-01-01', 100.0E0), (1, DATE '2021-01-02', 90.0E0), "
           "(1, DATE '2021-01-03', 80.0E0), (1, DATE '2021-01-04', 95.0E0), (1, DATE '2021-01-05', 120.0E0), "
           "(2, DATE '2021-01-01', 5.0E0)) orders(custkey, orderdate, totalprice) MATCH_RECOGNIZE("
           "PARTITION BY custkey ORDER BY orderdate MEASURES A.totalprice AS starting_price, "
           "LAST(B.totalprice) AS bottom_price, LAST(U.totalprice) AS top_price ONE ROW PER MATCH "
           "AFTER MATCH SKIP PAST LAST ROW PATTERN (A B+ C+ D+) SUBSET U = (C, D) DEFINE "
           "B AS totalprice < PREV(totalprice), C AS totalprice > PREV(totalprice) AND "
           "totalprice <= A.totalprice, D AS totalprice > PREV(totalprice))")
    rows, types = run(con, sql)
    assert rows == [(1, 100.0, 80.0, 120.0)]
    assert types == [("custkey", I), ("starting_price", "double"), ("bottom_price", "double"),
                     ("top_price", "double")]


@pytest.mark.parametrize("label", ["A", "B"])
def test_back_reference_to_a_label(con, label):
    """testBackReference: X's condition reads the row last matched to A (or B)."""
    sql = ("SELECT value, classy FROM (VALUES 1, 1) t(value) MATCH_RECOGNIZE (MEASURES CLASSIFIER() AS "
           f"classy ALL ROWS PER MATCH PATTERN ((A | B)* X) DEFINE X AS value = {label}.value)")
    assert run(con, sql)[0] == [(1, label), (1, "X")]


def test_back_reference_navigation(con):
    """testBackReference: PREV(LAST(A.value), 3) + FIRST(A.value) + PREV(LAST(B.value), 2)."""
    nav = "PREV(LAST(A.value), 3) + FIRST(A.value) + PREV(LAST(B.value), 2)"
    sql = ("SELECT value, classy, defining_condition FROM (VALUES 1, 2, 3, 4, 5, 6) t(value) "
           f"MATCH_RECOGNIZE (ORDER BY value MEASURES CLASSIFIER() AS classy, {nav} AS defining_condition "
           f"ALL ROWS PER MATCH PATTERN ((A | B)* X) DEFINE X AS value = {nav})")
    assert run(con, sql) == ([(1, "B", None), (2, "A", None), (3, "A", None), (4, "A", None), (5, "B", 6),
                              (6, "X", 6)], [("value", I), ("classy", V), ("defining_condition", I)])


def test_back_reference_to_labels(con):
    """testBackReference: X's condition reads the labels matched so far."""
    cond = "PREV(CLASSIFIER(U), 1) = 'A' AND LAST(CLASSIFIER(), 3) = 'B' AND FIRST(CLASSIFIER(U)) = 'B'"
    sql = ("SELECT value, classy, defining_condition FROM (VALUES 1, 2, 3, 4, 5) t(value) MATCH_RECOGNIZE "
           f"(ORDER BY value MEASURES CLASSIFIER() AS classy, {cond} AS defining_condition ALL ROWS PER MATCH "
           f"PATTERN ((A | B)* X $) SUBSET U = (A, B) DEFINE X AS {cond})")
    assert run(con, sql)[0] == [(1, "B", None), (2, "B", False), (3, "A", False), (4, "A", True),
                                (5, "X", True)]


def test_exponential_match(con):
    """testExponentialMatch: the match B B B B B B B B LAST is the last of 2^9 tried."""
    cond = " AND ".join(["FIRST(CLASSIFIER()) = 'B'"] + [f"FIRST(CLASSIFIER(), {k}) = 'B'" for k in range(1, 8)])
    sql = ("SELECT m.classy FROM (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9)) t(value) "
           "MATCH_RECOGNIZE (ORDER BY value MEASURES CLASSIFIER() AS classy ALL ROWS PER MATCH "
           f"PATTERN ((A | B)+ LAST) DEFINE LAST AS {cond}) AS m")
    assert run(con, sql)[0] == [("B",)] * 8 + [("LAST",)]


def test_aggregates_over_variables(con):
    """The documentation's aggregates: count(*), count(A.*), sum, avg, min, max over a variable's
    rows, RUNNING by default, FINAL on request."""
    sql = ("SELECT id, c, ca, fb, s, a, mx, mn FROM (VALUES (1, 90), (2, 80), (3, 70), (4, 100)) "
           "t(id, value) MATCH_RECOGNIZE (ORDER BY id MEASURES count(*) AS c, count(A.*) AS ca, "
           "FINAL count(B.value) AS fb, sum(value) AS s, avg(B.value) AS a, max(value) AS mx, "
           "FINAL min(B.value) AS mn ALL ROWS PER MATCH PATTERN (A B+ C) DEFINE B AS value < PREV(value), "
           "C AS value > PREV(value))")
    rows, types = run(con, sql)
    assert rows == [(1, 1, 1, 2, 90, None, 90, 70), (2, 2, 1, 2, 170, 80.0, 90, 70),
                    (3, 3, 1, 2, 240, 75.0, 90, 70), (4, 4, 1, 2, 340, 75.0, 100, 70)]
    assert types == [("id", I), ("c", B), ("ca", B), ("fb", B), ("s", B), ("a", "double"), ("mx", I),
                     ("mn", I)]


def test_outer_query_runs_over_the_result(con):
    """WHERE, GROUP BY and ORDER BY of the enclosing query read the clause's columns."""
    sql = ("SELECT label, count(*) AS n FROM " + EIGHT + " MATCH_RECOGNIZE (ORDER BY id MEASURES "
           "classifier() AS label ALL ROWS PER MATCH PATTERN (A B+ C+) DEFINE B AS B.value < PREV (B.value), "
           "C AS C.value > PREV (C.value)) AS m WHERE id > 1 GROUP BY label ORDER BY label")
    assert run(con, sql) == ([("A", 1), ("B", 3), ("C", 3)], [("label", V), ("n", B)])


def test_over_a_cte(con):
    sql = ("WITH t(id, value) AS (VALUES (1, 90), (2, 80), (3, 70)) SELECT * FROM t MATCH_RECOGNIZE ("
           "ORDER BY id MEASURES LAST(value) AS v PATTERN (A B+) DEFINE B AS value < PREV(value))")
    assert run(con, sql) == ([(70,)], [("v", I)])


def test_define_of_other_forms_on_the_match_is_not_supported(con):
    """A function of another variable's row in DEFINE is refused, not guessed."""
    sql = ("SELECT value, classy FROM (VALUES 1, 1) t(value) MATCH_RECOGNIZE (MEASURES CLASSIFIER() AS classy "
           "ALL ROWS PER MATCH PATTERN ((A | B)* X) DEFINE X AS value = abs(A.value))")
    with pytest.raises(parthenon.Error) as err:
        run(con, sql)
    assert str(err.value) == ("NOT_SUPPORTED: line 1:159: MATCH_RECOGNIZE: the DEFINE condition of X "
                              "depends on the match so far through ABS(A.value); there only comparisons, "
                              "AND, OR, NOT, IS NULL and + - * of integers and doubles are supported")


def test_syntax_error_in_pattern_has_its_position(con):
    sql = "SELECT * FROM (VALUES 1) t(x) MATCH_RECOGNIZE (PATTERN (A |) DEFINE A AS true)"
    with pytest.raises(parthenon.Error) as err:
        run(con, sql)
    assert str(err.value).startswith("SYNTAX_ERROR: line 1:60: mismatched input ')'")


def test_spark_refuses_it(tmp_path):
    pytest.importorskip("pyspark")
    from parthenon.engine.spark import translate as spark
    from parthenon.sql.parser import parse_statement
    ast = parse_statement("SELECT * FROM (VALUES 1) t(x) MATCH_RECOGNIZE (PATTERN (A) DEFINE A AS true)")
    with pytest.raises(parthenon.Error) as err:
        spark.translate(ast, {})
    assert str(err.value) == ("NOT_SUPPORTED: line 1:31: MATCH_RECOGNIZE (row pattern recognition) is not "
                              "supported on the Spark engine")


@pytest.fixture
def ticks(con, tmp_path):
    folder = tmp_path / "ticks"
    folder.mkdir()
    (folder / "a.csv").write_text("1,p1,90\n2,p1,80\n3,p1,70\n4,p1,85\n1,p2,5\n")
    con.cursor().execute("CREATE EXTERNAL TABLE ticks (id int, part string, value int) ROW FORMAT "
                         f"DELIMITED FIELDS TERMINATED BY ',' LOCATION '{folder}/'")
    return con


def test_over_a_catalog_table_reads_the_columns_the_clause_names(ticks):
    """The scan reads `value`, named only inside the clause, though the query selects two columns."""
    sql = ("SELECT part, id FROM ticks MATCH_RECOGNIZE (PARTITION BY part ORDER BY id MEASURES "
           "classifier() AS lbl ALL ROWS PER MATCH PATTERN (A B+ C) DEFINE B AS value < PREV(value), "
           "C AS value > PREV(value))")
    assert run(ticks, sql) == ([("p1", 1), ("p1", 2), ("p1", 3), ("p1", 4)], [("part", V), ("id", I)])


def test_in_a_view_and_joined(ticks):
    cur = ticks.cursor()
    cur.execute("CREATE VIEW peaks AS SELECT * FROM ticks MATCH_RECOGNIZE (PARTITION BY part ORDER BY id "
                "MEASURES match_number() AS n, A.value AS v PATTERN (A) DEFINE A AS value > 80)")
    assert run(ticks, "SELECT p.part, p.n, p.v, t.id FROM peaks p JOIN ticks t ON t.value = p.v ORDER BY 2") \
        == ([("p1", 1, 90, 1), ("p1", 2, 85, 4)], [("part", V), ("n", B), ("v", I), ("id", I)])


@pytest.mark.parametrize("measure, message", [
    ("nope.value", "COLUMN_NOT_FOUND: line 1:59: Column nope.value prefixed with label NOPE cannot be resolved"),
    ("A.nope", "COLUMN_NOT_FOUND: line 1:61: Column 'nope' cannot be resolved"),
    ("read_text('x')", "FUNCTION_NOT_FOUND: line 1:59: Function 'read_text' not registered")])
def test_measure_errors(ticks, measure, message):
    sql = f"SELECT * FROM ticks MATCH_RECOGNIZE (ORDER BY id MEASURES {measure} AS n PATTERN (A) DEFINE A AS true)"
    with pytest.raises(parthenon.Error) as err:
        run(ticks, sql)
    assert str(err.value) == message


def test_arrays_and_rows_keep_their_types(con):
    sql = ("SELECT *, cardinality(la) AS k FROM (VALUES (1, ARRAY[1, 2], CAST(ROW(1, 'a') AS ROW(f integer, "
           "g varchar)))) t(id, arr, r) MATCH_RECOGNIZE (ORDER BY id MEASURES LAST(arr) AS la, LAST(r).f AS rf "
           "ALL ROWS PER MATCH PATTERN (A) DEFINE A AS cardinality(arr) = 2)")
    assert run(con, sql) == ([(1, [1, 2], 1, [1, 2], {"f": 1, "g": "a"}, 2)], [
        ("id", I), ("la", "array(integer)"), ("rf", I), ("arr", "array(integer)"),
        ("r", "row(f integer, g varchar)"), ("k", B)])


def test_a_value_shown_as_text_is_refused(con):
    """Zoned timestamps (and json, intervals...) leave the input as text: refused, not retyped."""
    sql = ("SELECT * FROM (VALUES (1, TIMESTAMP '2021-01-01 00:00:00 UTC')) t(id, z) MATCH_RECOGNIZE "
           "(ORDER BY id MEASURES LAST(z) AS p PATTERN (A+) DEFINE A AS true)")
    with pytest.raises(parthenon.Error) as err:
        run(con, sql)
    assert str(err.value) == ("NOT_SUPPORTED: line 1:74: MATCH_RECOGNIZE over a value of type "
                              "timestamp(0) with time zone is not supported")


def test_output_layout_duplicate_order_by_symbol(con):
    """testOutputLayout: each ORDER BY item is an output column (names: Parthenon's `SELECT *` over
    duplicate names says id_1, as it does without the clause)."""
    sql = ("SELECT * FROM (VALUES ('ordering', 'partitioning', 90)) t(id, part, value) MATCH_RECOGNIZE "
           "(PARTITION BY part ORDER BY id ASC, id DESC MEASURES CLASSIFIER() AS classy ALL ROWS PER MATCH "
           "PATTERN (A) DEFINE A AS true) AS m")
    assert run(con, sql)[0] == [("partitioning", "ordering", "ordering", "A", 90)]
