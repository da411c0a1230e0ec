"""Requests below boto3, for the server's HTTP and SigV4 edges: signed with botocore's
own signer, sent over a raw socket (or TLS) so every byte and the connection's fate
can be asserted."""
from __future__ import annotations

import json
import socket
import ssl
import urllib.parse

import botocore.auth
import botocore.awsrequest
import botocore.credentials


def sign(url: str, target: str, body: bytes, key: str = "testing", secret: str = "testing",
         service: str = "athena", region: str = "us-east-1", extra: dict | None = None) -> dict:
    headers = {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1", **(extra or {})}
    req = botocore.awsrequest.AWSRequest("POST", url, data=body, headers=headers)
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(key, secret), service, region).add_auth(req)
    return dict(req.headers.items())


def connect(url: str, timeout: float = 10.0, cafile: str | None = None) -> socket.socket:
    u = urllib.parse.urlsplit(url)
    sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
    if u.scheme == "https":
        ctx = ssl.create_default_context(cafile=cafile)
        sock = ctx.wrap_socket(sock, server_hostname=u.hostname)
    return sock


def head_bytes(method: str, url: str, headers: dict) -> bytes:
    u = urllib.parse.urlsplit(url)
    lines = [f"{method} {u.path or '/'} HTTP/1.1", f"Host: {u.netloc}"]
    lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() != "host"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_response(sock: socket.socket) -> tuple[int, dict, bytes]:
    """(status, headers, body) of one response."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a response: {buf!r}")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
    length = int(headers.get("content-length", 0))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    assert len(rest) == length, "a response followed by more bytes than its length"
    return int(status_line.split()[1]), headers, rest


def closed(sock: socket.socket, wait: float = 1.0) -> bool:
    """Whether the server closes the connection (EOF or reset) within `wait` seconds."""
    sock.settimeout(wait)
    try:
        while True:
            if not sock.recv(65536):
                return True
    except (ConnectionResetError, ssl.SSLError):
        return True
    except socket.timeout:
        return False


def post(url: str, headers: dict, body: bytes) -> tuple[int, dict]:
    with connect(url) as sock:
        sock.sendall(head_bytes("POST", url, {**headers, "Content-Length": str(len(body))}) + body)
        status, _, payload = read_response(sock)
    return status, json.loads(payload)


def call(url: str, action: str, members, **kw) -> tuple[int, dict]:
    """A signed Athena call with `members` as the JSON body (any JSON, valid or not)."""
    body = members if isinstance(members, bytes) else json.dumps(members).encode()
    return post(url, sign(url, f"AmazonAthena.{action}", body, **kw), body)
