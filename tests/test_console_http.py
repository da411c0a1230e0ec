"""The console's HTTP side, by raw HTTP: sign-in, cookie flags, CSRF, its JSON endpoints,
and that it runs queries through the same service the Athena API serves."""
from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlsplit

import boto3
import pytest

from test_server_support import BUCKET, start_server, stop_server, wait

KEY, SECRET = "AKCONSOLETEST", "console-secret-123"


@pytest.fixture
def server(parthenon_home, s3, monkeypatch, tmp_path):
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", f"{KEY}:{SECRET},testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    server = start_server(parthenon_home, data_roots=[str(tmp_path)])
    yield server
    stop_server(server)


def request(server, method, path, body=None, headers=None):
    """(status, headers, body bytes) of one request on a fresh connection."""
    url = urlsplit(server.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    out = response.status, response.headers, response.read()
    conn.close()
    return out


def sign_in(server, key=KEY, secret=SECRET):
    status, headers, body = request(server, "POST", "/console/api/signin",
                                    {"accessKeyId": key, "secretAccessKey": secret})
    assert status == 200, body
    cookie = headers["Set-Cookie"].split(";")[0]
    return cookie, json.loads(body)["csrf"]


def test_page_and_assets_are_served_from_the_package(server):
    status, headers, body = request(server, "GET", "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'<script src="/console/static/editor.js" defer></script>' in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    for asset in ("editor.js", "app.js", "grid.js", "chart.js", "catalog.js", "console.css"):
        status, headers, body = request(server, "GET", f"/console/static/{asset}")
        assert status == 200 and len(body) > 500, asset
    # no asset refers to another host: the console works offline
    for asset in ("index.html", "app.js", "console.css"):
        assert b"http://" not in request(server, "GET", f"/console/static/{asset}")[2]
        assert b"https://" not in request(server, "GET", f"/console/static/{asset}")[2]
    status, headers, gz = request(server, "GET", "/console/static/editor.js", headers={"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and len(gz) < 200_000
    status, again, body = request(server, "GET", "/console/static/editor.js", headers={"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    assert request(server, "GET", "/console/static/../routes.py")[0] == 404
    assert request(server, "GET", "/console/static/%2e%2e/session.py")[0] == 404


def test_sign_in_checks_the_secret_and_sets_a_strict_cookie(server):
    for key, secret in ((KEY, "wrong"), ("AKNOBODY", SECRET), (KEY, "")):
        status, headers, body = request(server, "POST", "/console/api/signin",
                                        {"accessKeyId": key, "secretAccessKey": secret})
        assert (status, json.loads(body)) == (401, {"message": "The access key id or the secret access key is wrong."})
        assert "Set-Cookie" not in headers
    status, headers, body = request(server, "POST", "/console/api/signin",
                                    {"accessKeyId": KEY, "secretAccessKey": SECRET})
    assert status == 200
    cookie = headers["Set-Cookie"]
    name, _, rest = cookie.partition("=")
    value, *flags = rest.split("; ")
    assert name == "parthenon_console" and len(value) >= 40
    assert flags == ["Path=/", "HttpOnly", "SameSite=Strict"]      # Secure only over TLS
    answer = json.loads(body)
    assert answer["principal"] == KEY and len(answer["csrf"]) >= 40
    assert SECRET.encode() not in body and SECRET not in cookie
    status, _, body = request(server, "GET", "/console/api/session", headers={"Cookie": f"{name}={value}"})
    assert (status, json.loads(body)) == (200, answer)


def test_every_change_needs_the_session_and_its_csrf_token(server):
    path = "/console/api/athena/CreateNamedQuery"
    change = {"Name": "n", "Database": "default", "QueryString": "SELECT 1"}
    assert request(server, "POST", path, change)[0] == 401                      # no session
    cookie, csrf = sign_in(server)
    status, _, body = request(server, "POST", path, change, {"Cookie": cookie})  # no token
    assert (status, json.loads(body)) == (403, {"message": "Missing or wrong CSRF token (X-CSRF-Token header)."})
    other_cookie, other_csrf = sign_in(server)
    assert request(server, "POST", path, change, {"Cookie": cookie, "X-CSRF-Token": other_csrf})[0] == 403
    assert request(server, "POST", path, change, {"Cookie": cookie, "X-CSRF-Token": csrf + "x"})[0] == 403
    assert server.service.list_named_queries({})["NamedQueryIds"] == []
    status, _, body = request(server, "POST", path, change, {"Cookie": cookie, "X-CSRF-Token": csrf})
    assert status == 200 and server.service.list_named_queries({})["NamedQueryIds"] == [json.loads(body)["NamedQueryId"]]
    # signing out ends the session
    assert request(server, "POST", "/console/api/signout", {}, {"Cookie": cookie, "X-CSRF-Token": csrf})[0] == 200
    assert request(server, "GET", "/console/api/session", headers={"Cookie": cookie})[0] == 401
    assert request(server, "GET", "/console/api/session", headers={"Cookie": other_cookie})[0] == 200


def test_console_and_api_share_executions_results_and_errors(server):
    cookie, csrf = sign_in(server)
    auth = {"Cookie": cookie, "X-CSRF-Token": csrf}
    athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")

    def call(action, params):
        status, _, body = request(server, "POST", f"/console/api/athena/{action}", params, auth)
        return status, json.loads(body)

    status, started = call("StartQueryExecution", {
        "QueryString": "SELECT x, CAST(x AS VARCHAR) || '\"' AS s FROM UNNEST(sequence(1, 2500)) AS t(x) ORDER BY x",
        "ResultConfiguration": {"OutputLocation": f"s3://{BUCKET}/console/"}})
    assert status == 200
    qid = started["QueryExecutionId"]
    assert wait(athena, qid)["Status"]["State"] == "SUCCEEDED"
    assert athena.list_query_executions()["QueryExecutionIds"] == [qid]     # the console's query, seen by boto3

    # the grid's pages by row offset: the header row is not a data row
    status, _, body = request(server, "POST", "/console/api/rows", {"QueryExecutionId": qid, "Offset": 0, "Limit": 3}, auth)
    page = json.loads(body)
    assert page == {"columns": [{"name": "x", "type": "bigint"}, {"name": "s", "type": "varchar"}],
                    "rows": [["1", '1"'], ["2", '2"'], ["3", '3"']], "offset": 0, "more": True}
    page = json.loads(request(server, "POST", "/console/api/rows", {"QueryExecutionId": qid, "Offset": 2000, "Limit": 1000}, auth)[2])
    assert page["rows"][0] == ["2001", '2001"'] and page["rows"][-1] == ["2500", '2500"'] and len(page["rows"]) == 500
    assert page["more"] is False

    # Download CSV: the result file, byte for byte
    status, headers, body = request(server, "GET", f"/console/api/csv/{qid}", headers={"Cookie": cookie})
    s3 = boto3.client("s3", endpoint_url=None)
    assert status == 200 and headers["Content-Disposition"] == f'attachment; filename="{qid}.csv"'
    assert body == s3.get_object(Bucket=BUCKET, Key=f"console/{qid}.csv")["Body"].read()
    assert request(server, "GET", f"/console/api/csv/{qid}")[0] == 401

    # a query started through boto3 is in the console's history
    other = athena.start_query_execution(QueryString="SELECT 1", ResultConfiguration={
        "OutputLocation": f"s3://{BUCKET}/api/"})["QueryExecutionId"]
    assert set(call("ListQueryExecutions", {})[1]["QueryExecutionIds"]) == {qid, other}

    # a syntax error answers like the API, with Athena's line:column
    status, error = call("StartQueryExecution", {"QueryString": "SELECT 1 +", "ResultConfiguration": {
        "OutputLocation": f"s3://{BUCKET}/x/"}})
    assert status == 400 and error["__type"] == "InvalidRequestException"
    assert error["Message"].startswith("line 1:11: ")


def test_format_pretty_prints_queries_and_points_at_errors(server):
    cookie, csrf = sign_in(server)
    auth = {"Cookie": cookie, "X-CSRF-Token": csrf}
    status, _, body = request(server, "POST", "/console/api/format",
                              {"sql": "select a, count(*) c from t where x = 1 group by a;\nmsck repair table t;"}, auth)
    assert status == 200
    assert json.loads(body)["sql"] == ("SELECT\n  a,\n  COUNT(*) AS c\nFROM t\nWHERE\n  x = 1\nGROUP BY\n  a;\n\n"
                                       "msck repair table t;")
    status, _, body = request(server, "POST", "/console/api/format", {"sql": "SELECT 1\nFROM t WHERE"}, auth)
    error = json.loads(body)
    assert status == 400 and (error["line"], error["column"]) == (2, 13)
    assert error["message"].startswith("SYNTAX_ERROR: line 2:13: ")
    assert request(server, "POST", "/console/api/format", {"sql": "SELECT 1"}, {"Cookie": cookie})[0] == 403


def test_the_api_still_owns_post_slash(server):
    # the console takes GET / and /console/*; SigV4 requests to / are the API's as before
    status, _, body = request(server, "POST", "/", {}, {"X-Amz-Target": "AmazonAthena.ListWorkGroups"})
    assert status == 403 and json.loads(body)["__type"] == "MissingAuthenticationTokenException"


def test_the_console_user_has_the_keys_permissions(parthenon_home, tmp_path, monkeypatch):
    pytest.importorskip("parthenon.server.athena_access",
                        reason="the per-key permission checks inside dispatch are not merged yet")
    import threading
    from parthenon.server.serve import make_server
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", f"{KEY}:{SECRET},AKREADER:reader-secret")
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"Users": {
        KEY: {"Statement": [{"Effect": "Allow", "Action": "athena:*", "Resource": "*"}]},
        "AKREADER": {"Statement": [{"Effect": "Allow", "Action": ["athena:List*", "athena:Get*"],
                                    "Resource": "*"}]}}}))
    server = make_server("127.0.0.1", 0, home=parthenon_home, policy_file=str(policy))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        cookie, csrf = sign_in(server, "AKREADER", "reader-secret")
        auth = {"Cookie": cookie, "X-CSRF-Token": csrf}
        status, _, body = request(server, "POST", "/console/api/athena/StartQueryExecution",
                                  {"QueryString": "SELECT 1"}, auth)
        error = json.loads(body)
        assert (status, error["__type"]) == (400, "AccessDeniedException")
        assert error["Message"].startswith("User: arn:aws:iam::123456789012:user/AKREADER is not authorized "
                                           "to perform: athena:StartQueryExecution on resource: arn:aws:athena:")
        assert error["Message"].endswith(":123456789012:workgroup/primary because no identity-based policy "
                                         "allows the athena:StartQueryExecution action")
        status, _, body = request(server, "POST", "/console/api/athena/ListWorkGroups", {}, auth)
        assert status == 200 and [w["Name"] for w in json.loads(body)["WorkGroups"]] == ["primary"]
        cookie, csrf = sign_in(server)
        status, _, body = request(server, "POST", "/console/api/athena/StartQueryExecution",
                                  {"QueryString": "SELECT 1"}, {"Cookie": cookie, "X-CSRF-Token": csrf})
        assert status == 200 and "QueryExecutionId" in json.loads(body)
    finally:
        stop_server(server)


def test_without_auth_the_console_opens_without_signing_in(parthenon_home):
    server = start_server(parthenon_home, auth=False)
    try:
        status, headers, body = request(server, "GET", "/console/api/session")
        answer = json.loads(body)
        assert status == 200 and answer["principal"] == "anonymous"
        cookie = headers["Set-Cookie"].split(";")[0]
        auth = {"Cookie": cookie, "X-CSRF-Token": answer["csrf"]}
        status, _, body = request(server, "POST", "/console/api/athena/ListWorkGroups", {}, auth)
        assert status == 200 and [w["Name"] for w in json.loads(body)["WorkGroups"]] == ["primary"]
        assert request(server, "POST", "/console/api/athena/ListWorkGroups", {}, {"Cookie": cookie})[0] == 403
    finally:
        stop_server(server)


def test_a_running_query_reports_the_data_scanned_so_far(server, tmp_path):
    from conftest import cloudtrail_file
    from test_cloudtrail import ACCOUNT
    record = {"eventVersion": "1.08", "eventName": "DescribeInstances", "eventSource": "ec2.amazonaws.com",
              "awsRegion": "us-east-1", "eventTime": "2017-06-15T00:00:00Z", "sourceIPAddress": "10.0.0.1"}
    root = tmp_path / "trail"
    cloudtrail_file(root / "a.json.gz", [record] * 2000)
    service = server.service
    from conftest import CLOUDTRAIL_DDL
    ddl = CLOUDTRAIL_DDL.format(location=f"{root}/").split("PARTITIONED BY")[0] + \
        "ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde' " \
        "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat' " \
        "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat' " \
        f"LOCATION '{root}/'"
    qid = service.start_query_execution({"QueryString": ddl})["QueryExecutionId"]
    for _ in range(500):
        if service.get_query_execution({"QueryExecutionId": qid})["QueryExecution"]["Status"]["State"] == "SUCCEEDED":
            break
        time.sleep(0.01)
    # the file is read first, then the cross join keeps the engine busy
    qid = service.start_query_execution({"QueryString": (
        "SELECT count(*) FROM (SELECT eventname FROM cloudtrail_logs LIMIT 2000) "
        "CROSS JOIN UNNEST(sequence(1, 100000)) AS a(x) CROSS JOIN UNNEST(sequence(1, 1000)) AS b(y) "
        "WHERE (x * y) % 7 = 3")})["QueryExecutionId"]
    seen = 0
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        q = service.get_query_execution({"QueryExecutionId": qid})["QueryExecution"]
        if q["Status"]["State"] == "RUNNING" and q["Statistics"]["DataScannedInBytes"] > 0:
            seen = q["Statistics"]["DataScannedInBytes"]
            break
        assert q["Status"]["State"] in ("QUEUED", "RUNNING")
        time.sleep(0.02)
    service.stop_query_execution({"QueryExecutionId": qid})
    assert seen == (root / "a.json.gz").stat().st_size
