"""Athena's own JDBC driver (Simba AthenaJDBC42 2.0.16, the jar inside the pyathenajdbc wheel)
against a real `parthenon serve --tls self-signed`: tests/jdbc/AthenaJdbcCheck.java is compiled
with the machine's javac, trusts the server's certificate through a Java trust store, and
prints one `what=value` line per fact it reads."""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from parthenon.storage import bucket_folders
from test_server_support import start_server, stop_server

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("java", "javac", "keytool")),
    reason="needs a JDK (java, javac, keytool) to compile and run the JDBC check")

HERE = Path(__file__).parent
ROWS = [
    {"id": 1, "name": "a", "tags": ["x", "y"], "attrs": {"k": "v"}, "owner": {"first": "Ann", "age": 30}},
    {"id": 2, "name": "b", "tags": ["z"], "attrs": {"k": "w"}, "owner": {"first": "Bob", "age": 41}},
    {"id": 3, "name": "a", "tags": [], "attrs": {}, "owner": {"first": "Cy", "age": 5}},
]


def driver_jar() -> Path:
    spec = importlib.util.find_spec("pyathenajdbc")
    if spec is None:
        pytest.fail("pyathenajdbc (the test extra) is not installed: its wheel carries the driver jar")
    return Path(spec.origin).parent / "AthenaJDBC42.jar"


@pytest.fixture(scope="module")
def jdbc_output(tmp_path_factory):
    """One run of the Java check (about 20 s) shared by this module's tests."""
    tmp_path = tmp_path_factory.mktemp("jdbc")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("PARTHENON_HOME", str(tmp_path / "home"))
        monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "jdbckey:jdbcsecret")
        return _run_check(tmp_path)


def _run_check(tmp_path):
    data = tmp_path / "data" / "nested"
    data.mkdir(parents=True)
    (data / "rows.json").write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    results = tmp_path / "results"
    results.mkdir()
    server = start_server(tmp_path / "home", tls="self-signed", data_roots=[str(tmp_path / "data")],
                          s3_buckets={"jdbc-results": str(results)})
    try:
        truststore = tmp_path / "trust.jks"
        subprocess.run(["keytool", "-importcert", "-noprompt", "-alias", "parthenon",
                        "-file", str(server.certificate), "-keystore", str(truststore),
                        "-storepass", "changeit"], check=True, capture_output=True)
        classes = tmp_path / "classes"
        subprocess.run(["javac", "-d", str(classes), str(HERE / "jdbc" / "AthenaJdbcCheck.java")],
                       check=True, capture_output=True)
        endpoint = server.url.removeprefix("https://")
        url = (f"jdbc:awsathena://AwsRegion=us-east-1;EndpointOverride={endpoint};"
               "S3OutputLocation=s3://jdbc-results/q/;UseResultsetStreaming=0;"
               "User=jdbckey;Password=jdbcsecret")
        run = subprocess.run(
            ["java", f"-Djavax.net.ssl.trustStore={truststore}", "-Djavax.net.ssl.trustStorePassword=changeit",
             "-cp", f"{classes}:{driver_jar()}", "AthenaJdbcCheck", url, "jdbcdb", str(data) + "/"],
            capture_output=True, text=True, timeout=300)
    finally:
        stop_server(server)
        bucket_folders.configure({})        # the mapping is the process's: leave none behind
    assert run.returncode == 0, run.stderr[-3000:]
    return dict(line.split("=", 1) for line in run.stdout.splitlines() if "=" in line)


def test_connects_over_tls_and_reads_the_catalog(jdbc_output):
    facts = jdbc_output
    assert facts["connected"] == "true"
    assert facts["ddl"] == "ok"                       # CREATE DATABASE / TABLE through execute()
    assert facts["catalogs"] == "AwsDataCatalog"
    assert facts["schemas"] == "default;jdbcdb"
    assert facts["tables"] == "jdbcdb|nested|TABLE"
    # getColumns reads DESCRIBE's three columns: name, JDBC type (4 INTEGER, 12 VARCHAR,
    # 2003 ARRAY), the driver's type name, position; the names keep DESCRIBE's padding.
    columns = [c.split("|") for c in facts["columns"].split(";")]
    assert [(n.rstrip(), t, name, pos) for n, t, name, pos in columns] == [
        ("id", "4", "integer", "1"), ("name", "12", "string", "2"), ("tags", "2003", "array", "3"),
        ("attrs", "12", "map", "4"), ("owner", "12", "struct", "5")]
    # MetadataRetrievalMethod=ProxyAPI reads ListTableMetadata/GetTableMetadata instead.
    assert facts["proxy.tables"] == "jdbcdb|nested|EXTERNAL_TABLE"
    assert facts["proxy.columns"] == ("id|4|integer|1|null;name|12|string|2|who;tags|2003|array|3|null;"
                                      "attrs|12|map|4|null;owner|12|struct|5|null")


def test_queries_and_every_type_as_jdbc_reads_it(jdbc_output):
    facts = jdbc_output
    assert facts["groupby"] == "a|2|2;b|1|1"
    # java.sql.Types code | driver type name | getObject's class | getString
    assert {k[len("type."):]: v for k, v in facts.items() if k.startswith("type.")} == {
        "b": "-5|bigint|Long|9007199254740993",
        "i": "4|integer|Integer|42",
        "d": "8|double|Double|2.5",
        "dec": "3|decimal|BigDecimal|12.34",
        "bo": "16|boolean|Boolean|1",
        "dt": "91|date|Date|2024-02-29",
        "ts": "93|timestamp|Timestamp|2024-02-29 13:45:01.250",
        "v": "12|string|String|h\u00e9llo",
        "arr": "2003|array|S42Array|1, 2, 3",
        "m": "12|map|String|{a=1}",
        "r": "12|struct|String|{k=1, s=x}",
        "getLong": "9007199254740993", "getInt": "42", "getDouble": "2.5",
        "getBigDecimal": "12.34", "getBoolean": "true", "getDate": "2024-02-29",
        "getTimestamp": "2024-02-29 13:45:01.25",
    }


def test_prepared_statement_cancel_and_athena_errors(jdbc_output):
    facts = jdbc_output
    assert facts["prepared"] == "b"
    assert facts["cancel"].startswith(
        "SQLException: [Simba][AthenaJDBC](100081) Query execution got cancelled for this query: ")
    assert facts["cancel.fast"] == "true"
    assert facts["error"].startswith(
        "[Simba][AthenaJDBC](100071) An error has been thrown from the AWS Athena client. "
        "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved [Execution ID: ")
    assert not [k for k in facts if k.endswith(".failed")]
