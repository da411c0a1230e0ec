"""The HTTP server: stdlib ThreadingHTTPServer, HTTP/1.1 keep-alive, one thread a connection.

Latency matters (a polling client should see a trivial query finish within tens
of milliseconds): connections are kept alive so clients don't reconnect per call,
Nagle is off and each response goes out in one write, so a small answer is
never held back waiting for a delayed ACK.
"""
from __future__ import annotations

import logging
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson

from ..service import AthenaService
from . import glue_responses, s3_subset
from .auth import AuthError, Verifier
from .responses import dispatch

log = logging.getLogger(__name__)
CONTENT_TYPE = "application/x-amz-json-1.1"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "Parthenon"
    sys_version = ""

    def do_POST(self) -> None:
        if self.headers.get("X-Amz-Target") is None and self.path.partition("?")[0] not in ("", "/"):
            return self._s3()                         # DeleteObjects: POST /bucket?delete
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        app: "AthenaServer" = self.server   # type: ignore[assignment]
        target = self.headers.get("X-Amz-Target")
        glue = glue_responses.is_glue(target)         # Glue and Athena share the endpoint
        try:
            if app.verifier is not None:
                app.verifier_for("glue" if glue else "athena").verify("POST", self.path, self.headers, body)
            if glue:
                status, payload = glue_responses.dispatch(app.service.glue, target, body)
            else:
                status, payload = dispatch(app.service, target, body)
        except AuthError as e:
            status, payload = e.status, orjson.dumps(e.body())   # AWS spells it "message" here
        self._send(status, payload)

    def do_GET(self) -> None:
        if self.path == "/" and "Authorization" not in self.headers:
            # a health check for humans and load balancers; the JSON APIs are POST only
            return self._send(200, b'{"service":"parthenon","api":"AmazonAthena"}')
        self._s3()

    def _s3(self) -> None:
        """The S3 subset (GET, HEAD, PUT, DELETE on /bucket/key) for the mapped buckets."""
        app: "AthenaServer" = self.server   # type: ignore[assignment]
        s3_subset.handle(self, app.verifier_for("s3") if app.verifier is not None else None)

    do_HEAD = do_PUT = do_DELETE = _s3

    def _send(self, status: int, payload: bytes) -> None:
        head = (f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}\r\n"
                f"Content-Type: {CONTENT_TYPE}\r\nContent-Length: {len(payload)}\r\n"
                f"x-amzn-RequestId: {uuid.uuid4()}\r\n\r\n").encode()
        self.wfile.write(head + payload)
        self.log_request(status, len(payload))

    def log_message(self, format: str, *args) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class AthenaServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], service: AthenaService, verifier: Verifier | None):
        self.service = service
        self.verifier = verifier
        super().__init__(address, Handler)

    def verifier_for(self, service: str) -> Verifier:
        """The same keys, with the credential scope this service's requests are signed for."""
        if service == self.verifier.service:
            return self.verifier
        return Verifier(self.verifier.keys, service=service)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"
