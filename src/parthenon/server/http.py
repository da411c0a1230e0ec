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
from . import console
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
        app: "AthenaServer" = self.server   # type: ignore[assignment]
        if console.handles("POST", self.path):     # the console signs in with a cookie, not SigV4
            return app.console.handle(self, "POST")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            if app.verifier is not None:
                app.verifier.verify("POST", self.path, self.headers, body)
            status, payload = dispatch(app.service, self.headers.get("X-Amz-Target"), body)
        except AuthError as e:
            status, payload = e.status, orjson.dumps(e.body())   # AWS spells it "message" here
        self._send(status, payload)

    def do_GET(self) -> None:
        app: "AthenaServer" = self.server   # type: ignore[assignment]
        if console.handles("GET", self.path):
            return app.console.handle(self, "GET")
        # a health check for load balancers; the API itself is POST only
        self._send(200, b'{"service":"parthenon","api":"AmazonAthena"}')

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
        self.console = console.Console(service, verifier.keys if verifier is not None else None)
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"
