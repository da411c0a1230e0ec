"""String, regular expression, URL and varbinary functions over a catalog table's columns,
through the DB-API: Trino's values, types and error codes where the case tables
(tests/trino_cases/strings.tsv, regex.tsv, url.tsv, binary.tsv) only hold literals."""
from __future__ import annotations

import hashlib

import pytest

import parthenon
from parthenon.errors import InvalidFunctionArgument


@pytest.fixture()
def con(tmp_path):
    data = tmp_path / "logs"
    data.mkdir()
    (data / "part-0.csv").write_text(
        "1,GET /index.html?user=ann&id=7 HTTP/1.1,http://example.com/a/b?k=v%20w&k=x#top\n"
        "2,POST /api/v1/items HTTP/2,mailto:ops@example.com\n"
        "3,GET /img/logo.png HTTP/1.1,foo\n")
    with parthenon.connect(home=tmp_path / "home") as connection:
        connection.execute(f"CREATE EXTERNAL TABLE logs (id int, request string, url string) "
                           f"ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '{data}'")
        yield connection


def rows(con, sql):
    cur = con.execute(sql)
    return [d[1] for d in cur.description], cur.fetchall()


def test_regexp_functions_on_a_column_native_and_java_patterns(con):
    # RE2-compatible pattern (the engine's regexp) and a look-ahead (Java's engine)
    assert rows(con, "SELECT regexp_extract(request, '^(\\w+) (\\S+)', 2), "
                     "regexp_extract(request, '\\w+(?= HTTP)'), regexp_like(request, '(?i)^post') "
                     "FROM logs ORDER BY id") == (
        ["varchar", "varchar", "boolean"],
        [("/index.html?user=ann&id=7", "7", False), ("/api/v1/items", "items", True),
         ("/img/logo.png", "png", False)])
    assert rows(con, "SELECT regexp_replace(request, '(?<verb>[A-Z]+) (\\S+).*', '${verb}:$2'), "
                     "regexp_count(request, '/'), regexp_position(request, '/', 6, 2) "
                     "FROM logs ORDER BY id") == (
        ["varchar", "bigint", "integer"],
        [("GET:/index.html?user=ann&id=7", 2, -1), ("POST:/api/v1/items", 4, 10),
         ("GET:/img/logo.png", 3, 23)])


def test_regexp_replace_with_a_lambda_on_a_column(con):
    assert rows(con, "SELECT regexp_replace(request, '/(\\w)', x -> '/' || upper(x[1])) "
                     "FROM logs WHERE id = 2") == (["varchar"], [("POST /Api/V1/Items HTTP/2",)])
    with pytest.raises(InvalidFunctionArgument):
        con.execute("SELECT regexp_replace(request, '/\\w', x -> x[1]) FROM logs").fetchall()


def test_an_invalid_pattern_or_replacement_is_invalid_function_argument(con):
    for sql in ("SELECT regexp_like(request, '[oops') FROM logs",
                "SELECT regexp_replace(request, 'G', '$1') FROM logs",
                "SELECT regexp_extract(request, '(G)', 2) FROM logs"):
        with pytest.raises(InvalidFunctionArgument):
            con.execute(sql).fetchall()


def test_url_functions_on_a_column(con):
    assert rows(con, "SELECT url_extract_host(url), url_extract_path(url), url_extract_query(url), "
                     "url_extract_parameter(url, 'k'), url_extract_fragment(url) FROM logs ORDER BY id") == (
        ["varchar", "varchar", "varchar", "varchar", "varchar"],
        [("example.com", "/a/b", "k=v w&k=x", "v w", "top"), ("", "", "", None, ""),
         ("", "foo", "", None, "")])


def test_string_functions_on_a_column(con):
    assert rows(con, "SELECT strpos(request, '/', -1), split_part(request, ' ', 2), "
                     "split_to_map('a=1,b=2', ',', '=')['b'], LIKE_ESC FROM ("
                     "SELECT request, request LIKE '%\\_%' ESCAPE '\\' AS LIKE_ESC FROM logs) "
                     "ORDER BY request") == (
        ["bigint", "varchar", "varchar", "boolean"],
        [("GET /img/logo.png HTTP/1.1".rfind("/") + 1, "/img/logo.png", "2", False),
         ("GET /index.html?user=ann&id=7 HTTP/1.1".rfind("/") + 1, "/index.html?user=ann&id=7", "2", False),
         ("POST /api/v1/items HTTP/2".rfind("/") + 1, "/api/v1/items", "2", False)])
    with pytest.raises(InvalidFunctionArgument):
        con.execute("SELECT split_to_map(request, ' ', '/') FROM logs").fetchall()


def test_varbinary_functions_on_a_column(con):
    assert rows(con, "SELECT to_hex(substr(to_utf8(request), 1, 3)), length(to_utf8(request)), "
                     "from_big_endian_32(lpad(to_utf8(CAST(id AS varchar)), 4, X'00')) "
                     "FROM logs WHERE id = 3") == (["varchar", "bigint", "integer"], [("474554", 26, 0x33)])
    with pytest.raises(InvalidFunctionArgument):
        con.execute("SELECT from_hex(substr(request, 1, 3)) FROM logs").fetchall()


def test_spooky_hash_of_192_bytes_or_more_is_refused_not_hashed_otherwise(con):
    with pytest.raises(parthenon.errors.NotSupported):
        con.execute("SELECT spooky_hash_v2_64(to_utf8(lpad(request, 200, 'x'))) FROM logs").fetchall()


def test_like_and_show_functions_with_a_backslash_escape(con):
    """Trino's strings have no backslash escapes: ESCAPE '\\' reads as one backslash."""
    assert rows(con, "SELECT count(*) FROM logs WHERE url LIKE '%k\\_%' ESCAPE '\\'")[1] == [(0,)]
    assert rows(con, "SELECT 'a_b' LIKE 'a\\_b' ESCAPE '\\', 'axb' LIKE 'a\\_b' ESCAPE '\\'")[1] == \
        [(True, False)]
    with pytest.raises(InvalidFunctionArgument):
        con.execute("SELECT 'ab' LIKE 'a\\b' ESCAPE '\\'")
    names = {r[0] for r in con.execute("SHOW FUNCTIONS LIKE 'url\\_extract\\_p%' ESCAPE '\\'").fetchall()}
    assert names == {"url_extract_parameter", "url_extract_path", "url_extract_port",
                     "url_extract_protocol"}


def test_a_varbinary_function_of_a_varchar_is_function_not_found(con):
    """Trino has no coercion from varchar to varbinary: md5(to_utf8(s)) is meant."""
    with pytest.raises(parthenon.errors.FunctionNotFound,
                       match=r"Unexpected parameters \(varchar\) for function md5. Expected: md5\(varbinary\)"):
        con.execute("SELECT md5(request) FROM logs")
    assert rows(con, "SELECT to_hex(md5(to_utf8(request))) FROM logs WHERE id = 3")[1] == \
        [(hashlib.md5(b"GET /img/logo.png HTTP/1.1").hexdigest().upper(),)]
