"""HTTP hardening of `parthenon serve`, through raw sockets: bodies capped before they are
read, bad Content-Length and slow senders answered and cut off, AWS-style JSON for
every method and path, SigV4 scope and payload rules, validation errors in AWS's
words, and no traceback at a client."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time

import pytest

from raw_http import call, closed, connect, head_bytes, post, read_response, sign
from test_server_support import stop_server

TARGET = "AmazonAthena.ListWorkGroups"


@pytest.fixture
def server(parthenon_home, monkeypatch):
    """A real server with short timeouts, so slow senders are cut off within the test."""
    from parthenon.server.serve import make_server
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    srv = make_server("127.0.0.1", 0, home=parthenon_home, header_timeout=1.0, idle_timeout=3.0)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield srv
    stop_server(srv)


def exchange(server, raw: bytes):
    """(status, headers, body, whether the server closed the connection within 1 s after)."""
    with connect(server.url) as sock:
        sock.sendall(raw)
        return (*read_response(sock), closed(sock))


@pytest.mark.parametrize("raw, status, type_, message", [
    (b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", 404, "UnknownOperationException",
     "Parthenon has no route for GET /nope"),
    (b"DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", 405, "MethodNotAllowedException", "DELETE is not allowed on /"),
    (b"OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n", 405, "MethodNotAllowedException", "OPTIONS is not allowed on /"),
    (b"PUT /bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 404, "UnknownOperationException",
     "Parthenon has no route for PUT /bucket/key"),
    (b"GARBAGE\r\n\r\n", 400, "BadRequestException", "Bad request syntax ('GARBAGE')"),
    (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(101)) + b"\r\n", 431,
     "RequestHeaderFieldsTooLargeException", "Too many headers"),
    (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414, "RequestURITooLongException", "Request-URI Too Long"),
    (b"GET / HTTP/7.0\r\n\r\n", 505, "HTTPVersionNotSupportedException", "Invalid HTTP version (7.0)"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400, "BadRequestException",
     "Content-Length must be a number of bytes, got '-1'."),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400, "BadRequestException",
     "Content-Length must be a number of bytes, got 'abc'."),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400,
     "BadRequestException", "Content-Length must be a number of bytes, got '5'."),
    (b"POST / HTTP/1.1\r\nHost: x\r\n\r\n{}", 411, "LengthRequiredException",
     "POST requires a Content-Length header."),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 411,
     "LengthRequiredException", "Transfer-Encoding is not supported: send the body with a Content-Length."),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2097153\r\n\r\n", 413, "RequestEntityTooLargeException",
     "The request body of 2097153 bytes exceeds the limit of 2097152 bytes for this API."),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nX-Amz-Target: AmazonAthena.ListWorkGroups\r\n\r\n{}",
     403, "MissingAuthenticationTokenException", "Missing Authentication Token"),
])
def test_every_answer_is_aws_json_and_bad_requests_close(server, raw, status, type_, message):
    got, headers, body, was_closed = exchange(server, raw)
    assert got == status
    assert headers["content-type"] == "application/x-amz-json-1.1"
    assert len(headers["x-amzn-requestid"]) == 36
    doc = json.loads(body)
    assert doc["__type"] == type_
    assert doc.get("Message", doc.get("message")) == message
    # whatever may still be on the wire is never read as a request: the connection closes
    if status in (400, 403, 411, 413, 414, 431, 505):
        assert was_closed and headers["connection"] == "close"


def test_kept_alive_after_a_clean_404_and_head_has_no_body(server):
    with connect(server.url) as sock:
        sock.sendall(b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(sock)[0] == 404 and not closed(sock)
        sock.sendall(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
        buf = b""
        while not buf.endswith(b"}"):
            chunk = sock.recv(65536)
            assert chunk, buf
            buf += chunk
    # on the same connection: the HEAD answer announces the GET body's length but carries none,
    # and the next request is read right after it
    head, rest = buf.split(b"HTTP/1.1 404 Not Found")
    assert head.startswith(b"HTTP/1.1 200 OK") and b"Content-Length: 44" in head and head.endswith(b"\r\n\r\n")
    assert rest.endswith(b'{"__type":"UnknownOperationException","Message":"Parthenon has no route for GET /nope"}')


@pytest.mark.parametrize("auth", ["unsigned", "unknown key", "valid key"])
def test_huge_announced_bodies_are_refused_on_headers_alone(server, auth):
    """10 connections announcing 200 MB each: each is answered from its headers (the body is
    never sent, so it cannot have been read) and closed."""
    body_len = 200 * 1024 * 1024
    headers = {"X-Amz-Target": TARGET, "Content-Type": "application/x-amz-json-1.1"}
    if auth != "unsigned":
        key = "testing" if auth == "valid key" else "intruder"
        headers = sign(server.url, TARGET, b"{}", key=key)
        headers.pop("Content-Length", None)
    socks = [connect(server.url) for _ in range(10)]
    try:
        for sock in socks:
            sock.sendall(head_bytes("POST", server.url, {**headers, "Content-Length": str(body_len)}))
        for sock in socks:
            status, headers_back, body = read_response(sock)
            assert (status, json.loads(body)["__type"]) == (413, "RequestEntityTooLargeException")
            assert closed(sock)
    finally:
        for sock in socks:
            sock.close()


@pytest.mark.parametrize("key, expected", [(None, (403, "MissingAuthenticationTokenException")),
                                           ("intruder", (400, "UnrecognizedClientException"))])
def test_unauthenticated_bodies_under_the_cap_are_not_read(server, key, expected):
    headers = {"X-Amz-Target": TARGET} if key is None else sign(server.url, TARGET, b"x" * 1000, key=key)
    headers["Content-Length"] = "1000000"
    with connect(server.url) as sock:
        sock.sendall(head_bytes("POST", server.url, headers))     # and not one byte of the body
        status, _, body = read_response(sock)
        assert (status, json.loads(body)["__type"]) == expected and closed(sock)


def test_server_rss_stays_flat_under_streamed_unsigned_bodies(tmp_path):
    """A real `parthenon serve` process: 10 clients that announce 200 MB and keep sending."""
    env = {**os.environ, "PARTHENON_HOME": str(tmp_path / "home"), "PARTHENON_ACCESS_KEYS": "k:s"}
    proc = subprocess.Popen([sys.executable, "-m", "parthenon", "serve", "--port", "0", "--no-scheduler"],
                            env=env, stderr=subprocess.PIPE, text=True)
    try:
        url = _served_url(proc)
        time.sleep(0.5)
        before = _rss(proc.pid)
        chunk = b"x" * (1 << 20)

        def flood():
            try:
                with connect(url) as sock:
                    sock.sendall(head_bytes("POST", url, {"X-Amz-Target": TARGET,
                                                          "Content-Length": str(200 << 20)}))
                    for _ in range(200):
                        sock.sendall(chunk)
            except OSError:
                pass        # the server answered and closed: what we want
        threads = [threading.Thread(target=flood) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        after = _rss(proc.pid)
        assert after - before < 20 * 1024 * 1024, (before, after)
        status, body = post(url, sign(url, TARGET, b"{}", key="k", secret="s"), b"{}")
        assert status == 200 and body["WorkGroups"][0]["Name"] == "primary"
    finally:
        proc.terminate()
        proc.wait(10)


def _served_url(proc) -> str:
    for line in proc.stderr:
        if "Parthenon serves the " in line:
            return line.split(" at ")[1].split()[0]
    raise AssertionError("the server did not start")


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))


def test_slow_headers_are_cut_off(server):
    """slowloris: a header byte every 0.2 s never completes within the 1 s header timeout."""
    with connect(server.url) as sock:
        start = time.monotonic()
        sock.sendall(b"POST / HTTP/1.1\r\n")
        try:
            for byte in b"X-Slow: " + b"a" * 40:
                sock.send(bytes([byte]))
                time.sleep(0.2)
        except OSError:
            pass
        status, _, body = read_response(sock)
        assert (status, json.loads(body)["__type"]) == (408, "RequestTimeoutException")
        assert closed(sock) and time.monotonic() - start < 3


def test_slow_body_is_cut_off(server):
    headers = sign(server.url, TARGET, b"{}")
    headers["Content-Length"] = "1000"
    with connect(server.url) as sock:
        sock.sendall(head_bytes("POST", server.url, headers) + b"{}")
        status, _, body = read_response(sock)
        assert (status, json.loads(body)["Message"]) == (408, "The request was not received in time.")
        assert closed(sock)


def test_idle_connections_are_closed(server):
    with connect(server.url) as sock:
        start = time.monotonic()
        assert closed(sock, wait=6)
        assert 2.5 < time.monotonic() - start < 5


def test_unsigned_payload_is_refused_on_the_json_api(server):
    """A captured request signed with UNSIGNED-PAYLOAD would replay with any body: refused."""
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials

    class Unsigned(botocore.auth.SigV4Auth):
        def payload(self, request):
            return "UNSIGNED-PAYLOAD"
    body = b'{"QueryString": "SELECT 1"}'
    req = botocore.awsrequest.AWSRequest("POST", server.url, data=body, headers={
        "X-Amz-Target": "AmazonAthena.StartQueryExecution", "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"})
    Unsigned(botocore.credentials.Credentials("testing", "testing"), "athena", "us-east-1").add_auth(req)
    headers = dict(req.headers.items())
    for replayed in (body, b'{"QueryString": "DROP DATABASE x"}'):
        status, doc = post(server.url, headers, replayed)
        assert (status, doc["__type"]) == (400, "InvalidSignatureException")
        assert doc["message"] == ("x-amz-content-sha256 must be the SHA-256 of the request body for "
                                  "this API ('UNSIGNED-PAYLOAD' is accepted by S3 only).")
    assert server.service.store.list_execution_ids("primary", 0, 10) == []


def test_a_signed_body_hash_is_checked_before_and_after_the_body(server):
    import hashlib
    body = b"{}"
    headers = sign(server.url, TARGET, body, extra={"X-Amz-Content-SHA256": hashlib.sha256(body).hexdigest()})
    assert post(server.url, headers, body)[0] == 200
    status, doc = post(server.url, headers, b"[]")
    assert doc == {"__type": "InvalidSignatureException",
                   "message": "The provided 'x-amz-content-sha256' header does not match what was computed."}


@pytest.mark.parametrize("scope", ["s3", "glue", "sts"])
def test_credential_scope_must_name_the_service_called(server, scope):
    status, doc = post(server.url, sign(server.url, TARGET, b"{}", service=scope), b"{}")
    assert (status, doc) == (400, {"__type": "InvalidSignatureException",
                                   "message": "Credential should be scoped to correct service: 'athena'."})


@pytest.mark.parametrize("members, message", [
    ({"QueryString": "SELECT 1", "ExecutionParameters": 5},
     "Value '5' at 'executionParameters' failed to satisfy constraint: Member must be a list"),
    ({"QueryString": "SELECT 1", "QueryExecutionContext": "x"},
     "Value 'x' at 'queryExecutionContext' failed to satisfy constraint: Member must be an object"),
    ({"QueryString": "SELECT 1", "QueryExecutionContext": {"Database": {"a": 1}}},
     "Value '{\"a\":1}' at 'queryExecutionContext.database' failed to satisfy constraint: "
     "Member must be a string"),
    ({"QueryString": "SELECT 1", "ResultConfiguration": [1]},
     "Value '[1]' at 'resultConfiguration' failed to satisfy constraint: Member must be an object"),
    ({}, "Value null at 'queryString' failed to satisfy constraint: Member must not be null"),
    ({"QueryString": ""},
     "Value '' at 'queryString' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    ({"QueryString": "SELECT 1", "WorkGroup": "a b"},
     "Value 'a b' at 'workGroup' failed to satisfy constraint: Member must satisfy regular expression "
     "pattern: [a-zA-Z0-9._-]{1,128}"),
    ({"QueryString": "SELECT 1", "ResultConfiguration": {"EncryptionConfiguration": {"EncryptionOption": "X"}}},
     "Value 'X' at 'resultConfiguration.encryptionConfiguration.encryptionOption' failed to satisfy "
     "constraint: Member must satisfy enum value set: [SSE_S3, SSE_KMS, CSE_KMS]"),
    ({"QueryString": "SELECT 1", "ResultReuseConfiguration": {"ResultReuseByAgeConfiguration":
                                                              {"Enabled": "yes", "MaxAgeInMinutes": 99999}}},
     "Value 'yes' at 'resultReuseConfiguration.resultReuseByAgeConfiguration.enabled' failed to satisfy "
     "constraint: Member must be a boolean; Value '99999' at 'resultReuseConfiguration."
     "resultReuseByAgeConfiguration.maxAgeInMinutes' failed to satisfy constraint: Member must have "
     "value less than or equal to 10080"),
])
def test_members_are_validated_against_botocores_model(server, members, message):
    status, doc = call(server.url, "StartQueryExecution", members)
    count = message.count("; ") + 1
    prefix = f"{count} validation error{'s' if count > 1 else ''} detected: "
    assert (status, doc) == (400, {"__type": "InvalidRequestException", "Message": prefix + message,
                                   "AthenaErrorCode": "INVALID_INPUT"})
    assert server.service.store.list_execution_ids("primary", 0, 10) == []


def test_the_largest_query_athena_accepts_fits_under_the_cap(server):
    # characters JSON escapes as botocore sends them (\u0001, 6 bytes each): 1.5 MB on the wire
    sql = ("SELECT 1 AS x -- " + "\x01" * 262144)[:262144]
    body = json.dumps({"QueryString": sql}).encode()
    assert 1.5e6 < len(body) < 2 * 1024 * 1024
    status, doc = call(server.url, "StartQueryExecution", body)
    assert status == 200 and "QueryExecutionId" in doc
    status, doc = call(server.url, "StartQueryExecution", {"QueryString": sql + "x"})
    assert doc["Message"].endswith("Member must have length less than or equal to 262144")


def test_a_bug_answers_500_with_the_request_id_and_logs_the_traceback(server, caplog):
    def broken(p):
        raise ZeroDivisionError("secret internals")
    server.service.list_work_groups = broken
    with caplog.at_level(logging.ERROR):
        with connect(server.url) as sock:
            headers = {**sign(server.url, TARGET, b"{}"), "Content-Length": "2"}
            sock.sendall(head_bytes("POST", server.url, headers) + b"{}")
            status, headers_back, body = read_response(sock)
    rid = headers_back["x-amzn-requestid"]
    assert (status, json.loads(body)) == (500, {"__type": "InternalServerException",
                                                "Message": f"An internal error occurred (request id {rid})."})
    record = next(r for r in caplog.records if rid in r.getMessage())
    assert record.exc_info and "secret internals" in str(record.exc_info[1])


def test_connections_beyond_the_limit_are_turned_away(parthenon_home, monkeypatch):
    from parthenon.server.serve import make_server
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    srv = make_server("127.0.0.1", 0, home=parthenon_home, max_connections=3)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        held = [connect(srv.url) for _ in range(3)]
        time.sleep(0.3)
        with connect(srv.url) as extra:
            status, _, body = read_response(extra)
            assert (status, json.loads(body)["Message"]) == (503, "Too many open connections.")
            assert closed(extra)
        for sock in held:
            sock.close()
        time.sleep(0.3)
        assert exchange(srv, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")[0] == 200
    finally:
        stop_server(srv)


def test_routes_share_a_path_by_their_when_test():
    import re
    from parthenon.server import routes
    s3 = routes.Route("s3", frozenset({"GET"}), re.compile(r"/"), lambda r: routes.Response(200, b"s3"),
                      scope="s3", when=routes.sigv4_for("s3"))
    original = list(routes.ROUTES)
    routes.ROUTES.insert(0, s3)
    try:
        signed = {"Authorization": "AWS4-HMAC-SHA256 Credential=k/20260101/us-east-1/s3/aws4_request, ..."}
        assert routes.match("GET", "/", signed)[0].name == "s3"
        assert routes.match("GET", "/", {})[0].name != "s3"
        assert routes.match("HEAD", "/", {})[0].name == "health"
        route, allowed = routes.match("PATCH", "/", {})
        assert route is None and {"GET", "HEAD", "POST"} <= set(allowed) and "PATCH" not in allowed
        assert routes.match("GET", "/nowhere", {}) == (None, [])    # unsigned, no such bucket: nobody's
    finally:
        routes.ROUTES[:] = original


def test_100_continue_only_once_the_headers_pass(server):
    body = b"{}"
    good = {**sign(server.url, TARGET, body), "Content-Length": "2", "Expect": "100-continue"}
    with connect(server.url) as sock:
        sock.sendall(head_bytes("POST", server.url, good))
        assert sock.recv(1024) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        status, _, payload = read_response(sock)
        assert status == 200 and json.loads(payload)["WorkGroups"][0]["Name"] == "primary"
    bad = {"X-Amz-Target": TARGET, "Content-Length": "2", "Expect": "100-continue"}
    with connect(server.url) as sock:
        sock.sendall(head_bytes("POST", server.url, bad))
        status, _, payload = read_response(sock)          # refused at once, no 100 Continue first
        assert (status, json.loads(payload)["__type"]) == (403, "MissingAuthenticationTokenException")
        assert closed(sock)
