"""The Athena -> Spark SQL translator on its own (no Spark needed): what it refuses, by name
and position, and the rewrites that keep Trino's answers.  Their answers on real Spark are
checked by the conformance suite (test_trino_cases.py, test_queries.py on `spark`)."""
from __future__ import annotations

import pytest

from parthenon.engine.spark.functions import always_takes_part
from parthenon.engine.spark.translate import translate
from parthenon.errors import FunctionNotFound, InvalidFunctionArgument, InvalidLiteral, NotSupported, TypeMismatch
from parthenon.sql.parser import parse_statement
from sqlglot import exp

SCHEMA = {"t": {"a": exp.DataType.build("int"), "s": exp.DataType.build("varchar"),
                "ts": exp.DataType.build("timestamp")}}


def spark_sql(text: str) -> str:
    return translate(parse_statement(text), SCHEMA).sql


@pytest.mark.parametrize("sql, message", [
    ("SELECT char2hexint(s) FROM t", "line 1:8: Function 'char2hexint' is not supported on the Spark engine"),
    ("SELECT count(*) FROM t GROUP BY\n  from_iso8601_timestamp(s)", "line 2:3: timestamp with time zone values "
     "are not supported here on the Spark engine"),
    ("SELECT length(CAST(s AS IPADDRESS)) FROM t", "This use of an ipaddress value is not supported on the Spark "
     "engine"),
    ("SELECT CAST('fe80::1%1' AS IPADDRESS)", "An IPv6 address with a scope (%) as IPADDRESS is not supported"),
    ("SELECT CAST(s AS IPADDRESS) ip FROM t UNION ALL SELECT IPADDRESS '::1'", "A set operation of ipaddress "
     "values is not supported on the Spark engine"),
    # text that is not a constant: its zone (or none, the session's) is read as the query runs
    ("SELECT CAST(s AS TIME WITH TIME ZONE) FROM t", "This cast to time with time zone is not supported on the "
     "Spark engine"),
    ("SELECT substr(CAST(s AS CHAR(3)), 2) FROM t", "This use of a char(n) value is not supported on the Spark engine"),
    ("SELECT regexp_replace(s, s, x -> x[1]) FROM t", "Function 'regexp_replace' with a lambda is supported on the "
     "Spark engine for a constant pattern"),
    ("SELECT transform(ARRAY[s], x -> normalize(x)) FROM t", "This function inside a lambda is not supported on "
     "the Spark engine (it calls Java through reflect)"),
    ("SELECT regexp_position(s, '\\ba', 3) FROM t", "Function 'regexp_position' from a start position with a "
     "pattern that looks behind it"),
])
def test_what_spark_would_answer_differently_is_refused_by_name(sql, message):
    with pytest.raises(NotSupported) as e:
        spark_sql(sql)
    assert message in str(e.value)


def test_a_zoned_timestamp_compared_or_sorted_is_its_instant():
    sql = spark_sql("SELECT a FROM t WHERE from_iso8601_timestamp(s) > TIMESTAMP '2020-01-01 00:00:00' "
                    "ORDER BY from_iso8601_timestamp(s)")
    where, order = sql.split(" WHERE ")[1].split(" ORDER BY ")
    assert where.startswith("TO_UTC_TIMESTAMP(") and order.startswith("TO_UTC_TIMESTAMP(")


def test_a_zoned_timestamp_is_its_wall_clock_and_zone():
    sql = spark_sql("SELECT TIMESTAMP '2020-05-10 12:34:56.123 +04:44'")
    assert "'yyyy-MM-dd HH:mm:ss.SSS'" in sql and "'+04:44'" in sql          # Trino's text, its zone kept
    assert "FROM_UTC_TIMESTAMP(" in spark_sql("SELECT ts AT TIME ZONE 'Asia/Tokyo' FROM t")


def test_rewrites_that_keep_trinos_answers():
    sql = spark_sql("SELECT a / 2 AS h, split(s, '.') AS p FROM t ORDER BY s")
    assert "t.a DIV 2" in sql                              # integer division truncates
    assert "ORDER BY t.s NULLS LAST" in sql                  # Trino: NULLs last ascending too
    assert "'\\\\Q'" in sql                                # the delimiter quoted as a regex
    assert "CAST(t.ts AS TIMESTAMP_NTZ)" in spark_sql("SELECT ts FROM t")


def test_what_trino_refuses_spark_does_not_coerce():
    with pytest.raises(FunctionNotFound, match=r"Unexpected parameters \(varchar\) for function sum"):
        spark_sql("SELECT sum(s) FROM t")
    with pytest.raises(TypeMismatch, match="Cannot apply operator: varchar = integer"):
        spark_sql("SELECT a FROM t WHERE s = 1")


@pytest.mark.parametrize("pattern, group, always", [
    ("^(aws-cli|Boto3)/([0-9.]+)", 2, True),
    ("^(aws-cli|Boto3)/([0-9.]+)", 1, True),
    ("a(x)?b", 1, False),
    ("(a|(b))", 2, False),
    ("a(b)+", 1, True),
    ("a(b)*", 1, False),
    ("a(?=(b))", 1, False),
    ("x", 0, True),
    ("(?<name>a)b", 1, True),
])
def test_which_groups_take_part_in_every_match(pattern, group, always):
    assert always_takes_part(pattern, group) is always


@pytest.mark.parametrize("pattern, kinds", [
    ("a(x)?b", ["nonempty"]),           # '' in Spark is a group that took no part: NULL
    ("(a*)?(b)", ["unknown", "always"]),
    ("(a|(b*))", ["always", "unknown"]),
    ("\\p{L}(x)", None),                # Python cannot read it: nothing is assumed
])
def test_what_an_empty_group_means_is_known_from_the_pattern(pattern, kinds):
    from parthenon.engine.spark.regex import group_kinds
    assert group_kinds(pattern) == kinds


def test_a_template_keeps_its_arguments_whole():
    from parthenon.engine.spark.templates import spark
    import sqlglot
    x = sqlglot.parse_one("a + 1", read="spark")
    assert spark("_a * 2", _a=x).sql(dialect="spark") == "(a + 1) * 2"


def test_an_interval_is_written_as_spark_reads_it_and_shown_as_trinos_text():
    sql = spark_sql("SELECT INTERVAL '12 10' DAY TO SECOND")
    assert "INTERVAL '12 10:00:00.000' DAY TO SECOND" in sql       # Spark refuses '12 10' DAY TO SECOND
    assert "LPAD(" in sql and "CONCAT(" in sql                    # the text is built, not Spark's


def test_date_add_keeps_a_date_and_parenthesises_its_count():
    sql = spark_sql("SELECT date_add('week', a + 1, DATE '2020-01-01') FROM t")
    assert "DATE_ADD(CAST('2020-01-01' AS DATE), CAST((t.a + 1) AS INT) * 7)" in sql
    with pytest.raises(InvalidFunctionArgument, match="'fortnight' is not a valid DATE field"):
        spark_sql("SELECT date_add('fortnight', 1, DATE '2020-01-01')")


def test_date_format_specifiers_become_spark_patterns():
    sql = spark_sql("SELECT date_format(ts, '%Y-%m-%d %H:%i:%s abc') FROM t")
    assert r"DATE_FORMAT(t.ts, 'yyyy-MM-dd HH:mm:ss\' abc\'')" in sql     # text quoted
    with pytest.raises(InvalidFunctionArgument, match="%D not supported in date format string"):
        spark_sql("SELECT date_format(ts, '%D') FROM t")


def test_a_timestamp_literal_of_more_digits_is_rounded_as_trino_casts():
    from parthenon.engine.spark.literals import rounded_text
    assert rounded_text("2020-05-10 12:34:59.9999999", 3, False) == "2020-05-10 12:35:00.000"
    assert rounded_text("2020-05-10 12:34:56.123456789 UTC", 6, True) == "2020-05-10 12:34:56.123457 UTC"
    assert rounded_text("2020-05-10 12:34:56.1", 3, False) is None
    assert "'2020-05-10 12:34:56.123457'" in spark_sql("SELECT CAST('2020-05-10 12:34:56.123456789' AS TIMESTAMP(6))")


def test_json_literal_answered_at_translation():
    """A JSON literal is read at translation: json_array_length and is_json_scalar answer
    it, a literal Trino's parser refuses is INVALID_LITERAL, a json value is its text."""
    assert spark_sql("SELECT json_array_length(JSON '[1, 2]'), is_json_scalar(JSON '{}')") == \
        "SELECT CAST(2 AS BIGINT) AS _col0, FALSE AS _col1"
    assert spark_sql("SELECT JSON '{\"b\": 1, \"a\": [1.10]}'") == "SELECT '{\"a\":[1.10],\"b\":1}' AS _col0"
    with pytest.raises(InvalidLiteral):
        spark_sql("SELECT json_array_length(JSON '[1')")


def test_json_text_read_strictly():
    """Spark's JSON_ARRAY_LENGTH takes 'single quotes' (Trino: NULL): Spark answers what
    the strict variant reader takes, the Python UDF (json_udfs) the other rows."""
    sql = spark_sql("SELECT json_array_length(s) FROM t")
    assert "WHEN NOT TRY_PARSE_JSON(t.s) IS NULL THEN" in sql and "TRINO_JSON_ARRAY_LENGTH(" in sql
    assert "TRINO_JSON_PARSE(t.s)" in spark_sql("SELECT json_array_length(json_parse(s)) FROM t")


def test_json_array_contains_refuses_what_it_cannot_tell():
    """A value of another type is refused; a NULL value is NULL."""
    with pytest.raises(NotSupported):
        spark_sql("SELECT json_array_contains(s, DATE '2001-01-01') FROM t")
    assert spark_sql("SELECT json_array_contains(s, null) FROM t") == "SELECT CAST(NULL AS BOOLEAN) AS _col0 FROM t"


# What Spark cannot print as Java 21 does (format, color, bar) and what Joda would read
# otherwise (parse_datetime, date_parse, years beyond Spark's): refused with the reason.
FORMAT_REFUSALS = [
    ("SELECT format(s, a) FROM t", "format() with a format string that is not a constant"),
    ("SELECT format('%h', a) FROM t", "format() %h is not supported"),
    ("SELECT format('%s', ARRAY[a]) FROM t", "Type not supported for formatting: array(integer)"),
    ("SELECT format('%tQ', a) FROM t", "format() %t of a number"),
    ("SELECT format('%tH', CAST(ts AS DATE)) FROM t", "format() %tH of a date is not supported"),
    ("SELECT format('%e', CAST(a AS DECIMAL(5, 2))) FROM t", "format() %e of a decimal is not supported"),
    ("SELECT color(0.5, color(s), color('#fff')) FROM t", "Function 'color' of colors that are not constants"),
    ("SELECT bar(0.5, 10, color('#000'), color(s)) FROM t", "Function 'bar' of colors that are not constants"),
]
DATETIME_REFUSALS = [
    ("SELECT parse_datetime(s, 'yy-MM-dd') FROM t", "Function 'parse_datetime' with a two-digit year (yy)"),
    ("SELECT parse_datetime(s, 'EEE yyyy') FROM t", "Function 'parse_datetime' with the pattern letters 'EEE'"),
    ("SELECT parse_datetime(s, 'ZZZyyyy') FROM t", "Function 'parse_datetime' with a zone id before more of the "
     "pattern"),
    ("SELECT date_parse(s, '%x %v %m') FROM t", "Function 'date_parse' with week fields (%v, %x) and calendar ones"),
    ("SELECT DATE '300000-01-01'", "The year 300000 is not supported on the Spark engine"),
]


@pytest.mark.parametrize("sql, message", FORMAT_REFUSALS + DATETIME_REFUSALS)
def test_refused_on_spark_with_the_reason(sql, message):
    with pytest.raises(NotSupported) as e:
        spark_sql(sql)
    assert message in str(e.value)


def test_format_is_read_at_translation_time():
    sql = spark_sql("SELECT format('%2$s-%<5d|%1$,d', a, a + 1) FROM t")
    assert "FORMAT_STRING('%5d', CAST((t.a + 1) AS BIGINT))" in sql        # a Long prints as Java's
    assert "FORMAT_STRING('%,d', CAST(t.a AS BIGINT))" in sql
    # a malformed specifier fails in each row, as Trino's Formatter does
    assert "RAISE_ERROR('INVALID_FUNCTION_ARGUMENT: Invalid format string: %-02d (IllegalFormatFlags: " \
           "Flags = \\'-0\\')')" in spark_sql("SELECT format('%-02d', a) FROM t")
    with pytest.raises(TypeMismatch):
        spark_sql("SELECT format(5, a) FROM t")


def test_a_date_literal_is_read_as_trino_reads_it():
    assert "CAST('0013-02-02' AS DATE)" in spark_sql("SELECT DATE '13-2-2'")
    assert "CAST('-2013-02-02' AS DATE)" in spark_sql("SELECT DATE ' -2013-02-02'")
    assert "'+123001-05-01 12:34:56'" in spark_sql("SELECT TIMESTAMP '123001-05-01 12:34:56'")


def test_parse_datetime_reads_the_text_as_joda_does():
    sql = spark_sql("SELECT parse_datetime(s, 'yyyy-MM-dd HH:mm ZZZ') FROM t")
    # possessive groups (Joda never backtracks), the zone id resolved by Joda itself
    assert "(\\\\d{1,2}+)" in sql and "TRY_REFLECT('org.joda.time.DateTimeZone', 'forID'" in sql


def test_from_base_inside_a_lambda_is_read_in_spark_sql():
    # Spark cannot run reflect inside a lambda: there Long.parseLong's reading is Spark SQL
    sql = spark_sql("SELECT transform(ARRAY[s], x -> from_base(x, 16)) FROM t")
    assert "REFLECT" not in sql and "AGGREGATE(" in sql
    assert "REFLECT" in spark_sql("SELECT from_base(s, 16) FROM t")


def test_reduce_casts_an_initial_state_trino_widens():
    sql = spark_sql("SELECT reduce(ARRAY[a], 0, (s, x) -> s + CAST(x AS BIGINT), s -> s) FROM t")
    assert "AGGREGATE(ARRAY(t.a), CAST(0 AS BIGINT)" in sql


def test_fail_passes_through_try():
    # Trino's try catches four codes; fail()'s GENERIC_USER_ERROR is not one of them
    sql = spark_sql("SELECT try(fail(s)) FROM t")
    assert "RAISE_ERROR(CONCAT('GENERIC_USER_ERROR: '" in sql


def test_json_query_and_json_value_are_refused():
    for text in ("SELECT json_query(s, 'lax $.a') FROM t", "SELECT json_value(s, 'lax $.a') FROM t"):
        with pytest.raises(NotSupported):
            spark_sql(text)
