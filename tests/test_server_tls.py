"""Transport: HTTPS with the operator's certificate or a self-signed one kept in
PARTHENON_HOME (clients verify it as a CA bundle or pin its printed fingerprint),
and plain HTTP refused off loopback unless the operator allows it."""
from __future__ import annotations

import hashlib
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time

import boto3
import botocore.exceptions
import pytest

from parthenon.server.tls import fingerprint, self_signed
from raw_http import closed, read_response
from test_server_support import stop_server


def start(home, **kw):
    from parthenon.server.serve import make_server
    server = make_server("127.0.0.1", 0, home=home, **kw)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def client(server, **kw):
    return boto3.client("athena", endpoint_url=server.url, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing", **kw)


def peer_fingerprint(url: str) -> str:
    host, port = url.removeprefix("https://").rsplit(":", 1)
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE      # pinning, not a CA
    with socket.create_connection((host, int(port))) as raw, ctx.wrap_socket(raw) as tls:
        der = tls.getpeercert(binary_form=True)
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


@pytest.fixture(autouse=True)
def keys(monkeypatch):
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")


def test_self_signed_certificate_verified_by_boto3_and_kept_across_restarts(parthenon_home):
    server = start(parthenon_home, tls="self-signed")
    try:
        assert server.url.startswith("https://127.0.0.1:")
        cert = parthenon_home / "tls" / "self-signed.pem"
        assert server.certificate == cert
        assert (parthenon_home / "tls" / "self-signed.key").stat().st_mode & 0o777 == 0o600
        assert client(server, verify=str(cert)).list_work_groups()["WorkGroups"][0]["Name"] == "primary"
        with pytest.raises(botocore.exceptions.SSLError):
            client(server).list_work_groups()          # not trusted unless asked
        first = fingerprint(cert)
        assert peer_fingerprint(server.url) == first
    finally:
        stop_server(server)
    again = start(parthenon_home, tls="self-signed")
    try:
        assert fingerprint(again.certificate) == first and peer_fingerprint(again.url) == first
    finally:
        stop_server(again)


def test_operators_certificate_and_key(parthenon_home, tmp_path):
    cert, key = self_signed(tmp_path / "operator", "127.0.0.1")    # stands for the operator's own
    server = start(parthenon_home, tls_cert=str(cert), tls_key=str(key))
    try:
        assert client(server, verify=str(cert)).list_work_groups()["WorkGroups"][0]["Name"] == "primary"
        assert peer_fingerprint(server.url) == fingerprint(cert)
    finally:
        stop_server(server)


def test_plain_http_and_silence_on_the_tls_port_are_cut_off(parthenon_home):
    server = start(parthenon_home, tls="self-signed", header_timeout=1.0)
    try:
        port = server.server_address[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")      # plain HTTP: no handshake
            status, _, body = read_response(sock)
            assert (status, json.loads(body)) == (400, {
                "__type": "BadRequestException",
                "Message": "This port speaks HTTPS: send the request over TLS (https://)."})
            assert closed(sock)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            start_at = time.monotonic()
            assert sock.recv(1024) == b""                          # never starts a handshake
            assert time.monotonic() - start_at < 3
        cert = str(server.certificate)
        assert client(server, verify=cert).list_work_groups()["WorkGroups"][0]["Name"] == "primary"
    finally:
        stop_server(server)


def serve(home, *args, wait_for="Parthenon serves the "):
    env = {**os.environ, "PARTHENON_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "parthenon", "serve", "--port", "0", "--no-scheduler", *args],
                            env=env, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if wait_for in line:
            break
    return proc, lines


def test_cli_prints_the_fingerprint_and_serves_it(parthenon_home):
    proc, lines = serve(parthenon_home, "--tls", "self-signed", wait_for="SHA-256 fingerprint")
    try:
        url = next(line.split(" at ")[1].split()[0] for line in lines if "Parthenon serves the " in line)
        printed = lines[-1].split("SHA-256 fingerprint ")[1].strip()
        assert printed == fingerprint(parthenon_home / "tls" / "self-signed.pem") == peer_fingerprint(url)
        assert f"TLS certificate {parthenon_home / 'tls' / 'self-signed.pem'}" in "".join(lines)
    finally:
        proc.terminate()
        proc.wait(10)


def test_plain_http_off_loopback_needs_the_operators_word(parthenon_home):
    result = subprocess.run([sys.executable, "-m", "parthenon", "serve", "--host", "0.0.0.0", "--port", "0"],
                            env={**os.environ, "PARTHENON_HOME": str(parthenon_home)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "parthenon serve: refusing plain HTTP on 0.0.0.0: access keys and results would cross the "
        "network unencrypted. Use --tls self-signed or --tls-cert/--tls-key, or --allow-plain-http "
        "if a proxy in front terminates TLS.")
    proc, lines = serve(parthenon_home, "--host", "0.0.0.0", "--allow-plain-http")
    try:
        assert proc.poll() is None and "http://0.0.0.0:" in lines[-1]
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.parametrize("args, message", [
    (["--tls-cert", "x.pem"], "parthenon serve: --tls-cert and --tls-key go together"),
    (["--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key"],
     "parthenon serve: cannot load the TLS certificate /nonexistent.pem with key /nonexistent.key: "
     "[Errno 2] No such file or directory"),
])
def test_tls_mistakes_are_reported(parthenon_home, args, message):
    result = subprocess.run([sys.executable, "-m", "parthenon", "serve", "--port", "0", *args],
                            env={**os.environ, "PARTHENON_HOME": str(parthenon_home)},
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr.strip()) == (2, message)
