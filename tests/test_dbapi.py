"""PEP 249 (DB-API 2.0): `parthenon.connect()` the way PyAthena or duckdb users expect it."""
from __future__ import annotations

import datetime
import decimal
import json

import pyarrow as pa
import pytest

import parthenon
from parthenon import dbapi


@pytest.fixture
def events(con, tmp_path):
    folder = tmp_path / "events"
    folder.mkdir()
    rows = [{"eventName": f"Call{i % 3}", "n": i, "userName": "o'brien" if i == 4 else f"user{i}"}
            for i in range(10)]
    (folder / "a.json").write_text("".join(json.dumps(r) + "\n" for r in rows))
    con.execute("CREATE EXTERNAL TABLE events (eventname STRING, n INT, username STRING) "
                f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{folder}/'")
    return con


def test_module_globals():
    assert parthenon.apilevel == "2.0"
    assert parthenon.threadsafety == 1
    assert parthenon.paramstyle == "pyformat"
    for name in ("Error", "DatabaseError", "ProgrammingError", "OperationalError", "NotSupportedError"):
        assert issubclass(getattr(parthenon, name), Exception)
    assert issubclass(parthenon.DatabaseError, parthenon.Error)
    assert issubclass(parthenon.ProgrammingError, parthenon.DatabaseError)


def test_every_pep249_name_is_in_the_dbapi_module():
    for name in ("Warning", "Error", "InterfaceError", "DatabaseError", "DataError", "OperationalError",
                 "IntegrityError", "InternalError", "ProgrammingError", "NotSupportedError"):
        assert issubclass(getattr(dbapi, name), Exception), name
    for name in ("InterfaceError", "DataError", "IntegrityError", "InternalError", "ProgrammingError",
                 "OperationalError", "NotSupportedError"):
        assert issubclass(getattr(dbapi, name), dbapi.Error), name
    assert dbapi.Date(2017, 6, 15) == datetime.date(2017, 6, 15)
    assert dbapi.Timestamp(2017, 6, 15, 1, 2, 3) == datetime.datetime(2017, 6, 15, 1, 2, 3)
    assert dbapi.Binary(b"x") == b"x"
    assert dbapi.DateFromTicks(0) == datetime.date.fromtimestamp(0)
    assert "bigint" == dbapi.NUMBER and "decimal(10,2)" == dbapi.NUMBER and "varchar" == dbapi.STRING
    assert "timestamp with time zone" == dbapi.DATETIME and "varbinary" == dbapi.BINARY
    assert "varchar" != dbapi.NUMBER


def test_every_pep249_name_is_exported_by_the_package():
    # `import parthenon` is the module a PEP 249 user holds: connect() lives there, so must these.
    for name in ("Warning", "InterfaceError", "DataError", "IntegrityError", "InternalError",
                 "Date", "Time", "Timestamp", "Binary", "STRING", "NUMBER", "DATETIME", "BINARY", "ROWID"):
        assert hasattr(parthenon, name), name


def test_description_has_athena_type_names(con):
    cur = con.cursor()
    assert cur.description is None
    cur.execute("SELECT 1 AS i, CAST(2 AS bigint) AS b, 'x' AS s, CAST(1.25 AS decimal(10,2)) AS d, "
                "CAST(1.5 AS double) AS f, CAST(1 AS real) AS r, true AS t, DATE '2017-06-15' AS dt, "
                "TIMESTAMP '2017-06-15 01:02:03' AS ts, ARRAY['a'] AS a, MAP(ARRAY['k'], ARRAY[1]) AS m, "
                "CAST(ROW(1, 'a') AS ROW(x int, y varchar)) AS row_, from_hex('ab') AS vb, "
                "CAST(NULL AS varchar) AS n, CAST(1 AS smallint) AS si, CAST(1 AS tinyint) AS ti")
    assert cur.description == [
        ("i", "integer", None, None, None, None, None),
        ("b", "bigint", None, None, None, None, None),
        ("s", "varchar(1)", None, None, None, None, None),
        ("d", "decimal(10,2)", None, None, 10, 2, None),
        ("f", "double", None, None, None, None, None),
        ("r", "real", None, None, None, None, None),
        ("t", "boolean", None, None, None, None, None),
        ("dt", "date", None, None, None, None, None),
        ("ts", "timestamp(0)", None, None, None, None, None),
        ("a", "array(varchar(1))", None, None, None, None, None),
        ("m", "map(varchar(1), integer)", None, None, None, None, None),
        ("row_", "row(x integer, y varchar)", None, None, None, None, None),
        ("vb", "varbinary", None, None, None, None, None),
        ("n", "varchar", None, None, None, None, None),
        ("si", "smallint", None, None, None, None, None),
        ("ti", "tinyint", None, None, None, None, None),
    ]
    assert cur.fetchone() == (1, 2, "x", decimal.Decimal("1.25"), 1.5, 1.0, True, datetime.date(2017, 6, 15),
                              datetime.datetime(2017, 6, 15, 1, 2, 3), ["a"], [("k", 1)], {"x": 1, "y": "a"},
                              b"\xab", None, 1, 1)
    assert cur.description[0][1] == dbapi.NUMBER


def test_description_of_a_catalog_table_and_of_ddl(events):
    cur = events.cursor()
    cur.execute("SELECT * FROM events LIMIT 1")
    assert [d[:2] for d in cur.description] == [("eventname", "varchar"), ("n", "integer"),
                                                 ("username", "varchar")]
    cur.execute("CREATE DATABASE logs")
    assert cur.description is None
    assert cur.rowcount == -1
    assert cur.fetchall() == []
    cur.execute("SHOW DATABASES")
    assert cur.description == [("database_name", "string", None, None, None, None, None)]
    assert cur.fetchall() == [("default",), ("logs",)]


def test_fetchone_fetchmany_fetchall_and_rowcount(events):
    cur = events.cursor()
    assert cur.rowcount == -1
    cur.execute("SELECT n FROM events ORDER BY n")
    assert cur.rowcount == 10
    assert cur.fetchone() == (0,)
    assert cur.fetchmany(3) == [(1,), (2,), (3,)]
    cur.arraysize = 2
    assert cur.fetchmany() == [(4,), (5,)]
    assert cur.fetchall() == [(6,), (7,), (8,), (9,)]
    assert cur.fetchone() is None
    assert cur.fetchmany(5) == []
    assert cur.fetchall() == []
    cur.execute("SELECT n FROM events WHERE n < 3 ORDER BY n")
    assert list(cur) == [(0,), (1,), (2,)]
    cur.execute("SELECT n FROM events WHERE n < 0")
    assert (cur.rowcount, cur.fetchone(), cur.fetchall()) == (0, None, [])


def test_execute_returns_the_cursor_and_connection_execute(events):
    cur = events.cursor()
    assert cur.execute("SELECT count(*) FROM events") is cur
    assert events.execute("SELECT count(*) AS c FROM events").fetchall() == [(10,)]


def test_pyformat_parameters(events):
    cur = events.cursor()
    cur.execute("SELECT n FROM events WHERE eventname = %(name)s AND n > %(min)s ORDER BY n",
                {"name": "Call1", "min": 1})
    assert cur.fetchall() == [(4,), (7,)]
    cur.execute("SELECT %(s)s AS s, %(i)s AS i, %(b)s AS b, %(n)s AS n, %(d)s AS d, "
                "%(ts)s AS ts, %(dec)s AS dec, '100%' AS pct, %(s)s = 'it''s' AS same",
                {"s": "it's", "i": 3, "b": True, "n": None, "d": datetime.date(2017, 6, 15),
                 "ts": datetime.datetime(2017, 6, 15, 1, 2, 3), "dec": decimal.Decimal("1.50")})
    assert cur.fetchall() == [("it's", 3, True, None, datetime.date(2017, 6, 15),
                               datetime.datetime(2017, 6, 15, 1, 2, 3), decimal.Decimal("1.50"), "100%", True)]


def test_float_parameters_are_doubles(con):
    # A Python float is a double; the literal 2.5 in Trino SQL would be a decimal(2,1).
    cur = con.cursor()
    cur.execute("SELECT %(f)s AS f", {"f": 2.5})
    assert cur.description[0][1] == "double"
    assert cur.fetchall() == [(2.5,)]
    cur.execute("SELECT ? AS f, ? * 2 AS g", [0.1, 1e300])
    assert [d[1] for d in cur.description] == ["double", "double"]
    assert cur.fetchall() == [(0.1, 2e300)]


def test_qmark_parameters(events):
    cur = events.cursor()
    cur.execute("SELECT username FROM events WHERE username = ?", ["o'brien"])
    assert cur.fetchall() == [("o'brien",)]
    cur.execute("SELECT '?' AS literal, ? AS p, \"n\" FROM events WHERE n = ?", ["x", 2])
    assert cur.fetchall() == [("?", "x", 2)]
    cur.execute("SELECT count(*) FROM events WHERE eventname IN (?, ?)", ("Call0", "Call2"))
    assert cur.fetchall() == [(7,)]


@pytest.mark.parametrize("value", [
    "' OR '1'='1",
    "x' UNION SELECT eventname, n, username FROM events --",
    "'; DROP TABLE events; --",
    "\\' OR 1=1 --",
    "o''brien",
])
def test_parameters_are_values_never_sql(events, value):
    cur = events.cursor()
    cur.execute("SELECT count(*) FROM events WHERE username = ?", [value])
    assert cur.fetchall() == [(0,)]
    cur.execute("SELECT count(*) FROM events WHERE username = %(u)s", {"u": value})
    assert cur.fetchall() == [(0,)]
    cur.execute("SELECT ? AS v", [value])
    assert cur.fetchall() == [(value,)]
    assert events.execute("SELECT count(*) FROM events").fetchall() == [(10,)]


def test_parameter_errors(con):
    cur = con.cursor()
    with pytest.raises(parthenon.ProgrammingError) as err:
        cur.execute("SELECT ? AS a, ? AS b", [1])
    assert str(err.value) == "SYNTAX_ERROR: Incorrect number of parameters: expected more than 1"
    with pytest.raises(parthenon.ProgrammingError) as err:
        cur.execute("SELECT ? AS a", [1, 2])
    assert str(err.value) == "SYNTAX_ERROR: Incorrect number of parameters: expected 1 but found 2"
    with pytest.raises(parthenon.ProgrammingError) as err:
        cur.execute("SELECT %(a)s AS a", {"b": 1})
    assert str(err.value) == "SYNTAX_ERROR: No value for parameter 'a'"


def test_executemany(con, tmp_path):
    cur = con.cursor()
    cur.execute("CREATE EXTERNAL TABLE logs (a STRING) PARTITIONED BY (dt STRING) "
                f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{tmp_path}/logs/'")
    cur.executemany("ALTER TABLE logs ADD IF NOT EXISTS PARTITION (dt = %(dt)s)",
                    [{"dt": "2017-06-15"}, {"dt": "2017-06-16"}, {"dt": "2017-06-15"}])
    assert con.execute("SHOW PARTITIONS logs").fetchall() == [("dt=2017-06-15",), ("dt=2017-06-16",)]


def test_fetch_arrow(events):
    cur = events.cursor()
    cur.execute("SELECT eventname, count(*) AS c FROM events GROUP BY eventname ORDER BY eventname")
    table = cur.fetch_arrow()
    assert isinstance(table, pa.Table)
    assert table.column_names == ["eventname", "c"]
    assert table.schema.field("c").type == pa.int64()
    assert table.to_pylist() == [{"eventname": "Call0", "c": 4}, {"eventname": "Call1", "c": 3},
                                 {"eventname": "Call2", "c": 3}]


def test_statistics(events, tmp_path):
    size = (tmp_path / "events" / "a.json").stat().st_size
    cur = events.cursor()
    assert cur.data_scanned_in_bytes == 0
    cur.execute("SELECT count(*) FROM events")
    assert cur.data_scanned_in_bytes == size
    assert isinstance(cur.engine_execution_time_in_millis, int)
    assert cur.engine_execution_time_in_millis >= 0
    assert isinstance(cur.query_planning_time_in_millis, int)
    cur.execute("SELECT 1")
    assert cur.data_scanned_in_bytes == 0


def test_errors_are_parthenon_errors_with_athena_codes(events):
    cur = events.cursor()
    with pytest.raises(parthenon.ProgrammingError) as err:
        cur.execute("SELECT * FROM events WHERE")
    assert str(err.value) == "SYNTAX_ERROR: line 1:27: mismatched input '<EOF>'. Expecting: <expression>"
    with pytest.raises(parthenon.DatabaseError) as err:
        cur.execute("SELECT * FROM nosuch")
    assert str(err.value) == "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.nosuch' does not exist"
    with pytest.raises(parthenon.NotSupportedError):
        events.rollback()
    # a failed statement leaves the cursor usable
    cur.execute("SELECT count(*) FROM events")
    assert cur.fetchall() == [(10,)]


def test_closed_connection_refuses_use(parthenon_home):
    con = parthenon.connect()
    cur = con.cursor()
    cur.execute("SELECT 1")
    con.close()
    con.close()     # closing twice is fine
    with pytest.raises(dbapi.InterfaceError) as err:
        cur.execute("SELECT 1")
    assert str(err.value) == "INTERFACE_ERROR: Connection is closed"
    assert isinstance(err.value, parthenon.Error)
    with pytest.raises(parthenon.Error):
        con.cursor()
    with pytest.raises(parthenon.Error):
        con.execute("SELECT 1")
    with pytest.raises(parthenon.Error):
        con.commit()


def test_closed_cursor_refuses_use(con):
    cur = con.cursor()
    cur.execute("SELECT 1")
    cur.close()
    for call in (cur.fetchone, cur.fetchall, cur.fetchmany, cur.fetch_arrow, lambda: cur.execute("SELECT 1")):
        with pytest.raises(dbapi.InterfaceError) as err:
            call()
        assert str(err.value) == "INTERFACE_ERROR: Cursor is closed"
    assert con.execute("SELECT 2").fetchall() == [(2,)]    # the connection is unaffected


def test_connection_as_context_manager(parthenon_home):
    with parthenon.connect() as con:
        assert con.cursor().execute("SELECT 1 AS one").fetchall() == [(1,)]
        con.commit()      # autocommit: a no-op, but part of the interface
    with pytest.raises(parthenon.Error):
        con.cursor()
    with pytest.raises(ZeroDivisionError):
        with parthenon.connect() as con2:
            1 / 0
    with pytest.raises(parthenon.Error):
        con2.execute("SELECT 1")


def test_connect_with_home_and_database(tmp_path, parthenon_home):
    other = tmp_path / "elsewhere"
    with parthenon.connect(home=other) as con:
        con.execute("CREATE DATABASE logs")
    assert (other / "catalog.db").exists()
    with parthenon.connect(home=str(other), database="logs") as con:
        assert con.execute("SHOW TABLES").fetchall() == []
        assert con.execute("SHOW DATABASES").fetchall() == [("default",), ("logs",)]
    with parthenon.connect() as con:       # PARTHENON_HOME is another catalog
        assert con.execute("SHOW DATABASES").fetchall() == [("default",)]


def test_two_connections_see_each_others_ddl(events, parthenon_home):
    with parthenon.connect() as other:
        assert other.execute("SELECT count(*) FROM events").fetchall() == [(10,)]
        other.execute("CREATE VIEW calls AS SELECT eventname FROM events")
    assert events.execute("SELECT count(*) FROM calls").fetchall() == [(10,)]


def test_pyformat_doubled_percent_is_one_percent_everywhere(con):
    # As Python's % formatting and PyAthena do: code ported from PyAthena means the same.
    cur = con.cursor()
    cur.execute("SELECT '100%%' AS s, %(v)s AS v, '%(v)s' AS literal", {"v": "it's"})
    assert cur.fetchall() == [("100%", "it's", "%(v)s")]
