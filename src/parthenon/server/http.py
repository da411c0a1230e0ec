"""The HTTP server: stdlib ThreadingHTTPServer, HTTP/1.1 keep-alive, one thread a connection.

Latency matters (a polling client should see a trivial query finish within tens
of milliseconds): connections are kept alive so clients don't reconnect per call,
Nagle is off and each response goes out in one write.

What a request goes through (routes.py says where it goes):
1. the request line and headers, within `header_timeout` of their first byte
   (a slow sender is cut off: slowloris), at most 100 headers of 64 KiB;
2. its route, by method and path; none: 404, another method: 405;
3. Content-Length: required on POST/PUT, digits only, at most the route's cap;
   chunked bodies are refused;
4. SigV4 on the headers (key, date, scope, payload mode), before any byte of the
   body is read; a refusal here closes the connection, the body unread;
5. the body, within a deadline that allows 64 KiB/s; then the signature over it;
6. the route's handler.
Every answer, errors included (bad request lines, unknown methods, timeouts), is
AWS-style JSON with an x-amzn-RequestId; a traceback only goes to the log, with
that id.  A connection idle for `idle_timeout` between requests is closed.
"""
from __future__ import annotations

import io
import logging
import socket
import socketserver
import ssl
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson

from ..service import AthenaService
from . import routes
from .auth import AuthError, Verifier
from .dispatch import internal_error
from .policy import Policies

log = logging.getLogger(__name__)

HEADER_TIMEOUT = 10.0       # seconds from a request's first byte to the end of its headers
IDLE_TIMEOUT = 60.0         # seconds a kept-alive connection may wait for its next request
MIN_BODY_RATE = 64 * 1024   # bytes a second a body must at least arrive at
WRITE_TIMEOUT = 60.0        # seconds a client may stall reading an answer before it is dropped
MAX_CONNECTIONS = 256       # open connections (each holds a thread); more are turned away
_LINGER_BYTES, _LINGER_SECONDS = 256 * 1024, 1.0


class HttpError(Exception):
    """An answer decided before the handler: status, AWS-style type and message."""

    def __init__(self, status: int, type_: str, message: str, headers: dict | None = None,
                 message_key: str = "Message"):
        super().__init__(message)
        self.status, self.headers = status, headers or {}
        self.body = {"__type": type_, message_key: message}

    @classmethod
    def auth(cls, e: AuthError) -> "HttpError":
        return cls(e.status, e.type, e.message, message_key="message")   # AWS spells it so here


class _ClientGone(Exception):
    """The client closed the connection before its body arrived: nobody to answer."""


class _DeadlineSocketIO(socket.SocketIO):
    """A socket reader with a deadline for the whole of what is being read (not per recv),
    or the idle timeout while waiting for a request to begin."""
    deadline: float | None = None
    idle: float = IDLE_TIMEOUT

    def readinto(self, b):
        if self.deadline is None:
            self._sock.settimeout(self.idle)
        else:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request did not arrive in time")
            self._sock.settimeout(left)
        return super().readinto(b)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "Parthenon"
    sys_version = ""
    server: "AthenaServer"

    def setup(self) -> None:
        app = self.server
        self.request.settimeout(app.header_timeout)
        self.plain_on_tls = False
        if app.ssl_context is not None:      # the handshake runs here, in this connection's thread
            # a TLS connection opens with a handshake record (0x16); anything else is plain HTTP
            self.plain_on_tls = self.request.recv(1, socket.MSG_PEEK) not in (b"\x16", b"")
            if not self.plain_on_tls:
                self.request = app.ssl_context.wrap_socket(self.request, server_side=True)
        self.connection = self.request
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
        self.reader = _DeadlineSocketIO(self.connection, "rb")
        self.reader.idle = app.idle_timeout
        self.rfile = io.BufferedReader(self.reader, 64 * 1024)
        self.wfile = socketserver._SocketWriter(self.connection)
        self.linger = False
        self.request_id, self.command, self.requestline = str(uuid.uuid4()), None, ""

    def handle(self) -> None:
        if self.plain_on_tls:     # say so in the client's own protocol, then close
            self.linger = self.close_connection = True
            self._error(HttpError(400, "BadRequestException",
                                  "This port speaks HTTPS: send the request over TLS (https://)."))
            return
        super().handle()

    def handle_one_request(self) -> None:
        self.reader.deadline = None            # idle: wait for the next request to begin
        self.request_id = str(uuid.uuid4())
        self.command, self.request_version = None, "HTTP/1.1"
        try:
            if not self.rfile.peek(1):
                self.close_connection = True
                return
            self.reader.deadline = time.monotonic() + self.server.header_timeout
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.send_error(414)
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():       # it answered through send_error
                return
            self._serve()
            self.wfile.flush()
        except TimeoutError:
            self.close_connection = True
            if self.reader.deadline is not None:   # mid-request: say so; idle: just close
                self._error(HttpError(408, "RequestTimeoutException",
                                      "The request was not received in time."))
        except (ConnectionError, ssl.SSLError, OSError):
            self.close_connection = True

    def handle_expect_100(self) -> bool:
        return True          # "100 Continue" is sent only once the headers are accepted (_read_body)

    # -- one request
    def _serve(self) -> None:
        path, _, query = self.path.partition("?")
        # until a body is read, answering means closing (the rest would be read as a request)
        self.linger = self.headers.get("Content-Length", "0").strip() != "0" or \
            bool(self.headers.get("Transfer-Encoding"))
        route = None
        try:
            route, allowed = routes.match(self.command, path, self.headers)
            if route is None:
                if allowed:
                    raise HttpError(405, "MethodNotAllowedException",
                                    f"{self.command} is not allowed on {path}",
                                    {"Allow": ", ".join(allowed)})
                raise HttpError(404, "UnknownOperationException",
                                f"Parthenon has no route for {self.command} {path[:200]}")
            length = self._content_length(route)
            principal, pending = None, None
            verifier = self.server.verifier
            if route.auth == "sigv4" and verifier is not None:
                scope = route.scope
                if route.json_api:
                    api = routes.json_api(self.headers.get("X-Amz-Target"))
                    scope = api.scope if api else None
                try:
                    pending = verifier.check_headers(self.command, self.path, self.headers, scope,
                                                     route.unsigned_payload)
                except AuthError as e:
                    raise HttpError.auth(e) from None
            body = self._read_body(length)
            if pending is not None:
                try:
                    key_id = verifier.check_body(pending, self.command, self.path, self.headers, body)
                except AuthError as e:
                    raise HttpError.auth(e) from None
                principal = self.server.principal(key_id, pending.region)
            request = routes.Request(self.command, path, query, self.headers, body,
                                     self.request_id, self.server, principal)
            response = route.handler(request)
        except HttpError as e:
            self._error(e, route)
            return
        except _ClientGone:
            self.close_connection = True
            return
        except Exception:
            log.exception("request %s (%s %s) failed", self.request_id, self.command, path[:200])
            self._send(*internal_error(self.request_id))
            return
        self._send(response.status, response.body, response.content_type, response.headers)

    def _content_length(self, route: routes.Route) -> int:
        if self.headers.get("Transfer-Encoding"):
            raise HttpError(411, "LengthRequiredException",
                            "Transfer-Encoding is not supported: send the body with a Content-Length.")
        values = self.headers.get_all("Content-Length") or []
        if not values:
            if self.command in ("POST", "PUT"):
                raise HttpError(411, "LengthRequiredException",
                                f"{self.command} requires a Content-Length header.")
            return 0
        text = values[0].strip()
        if len(set(v.strip() for v in values)) > 1 or not text.isdigit() or not text.isascii() \
                or len(text) > 18:
            raise HttpError(400, "BadRequestException",
                            f"Content-Length must be a number of bytes, got {values[0][:40]!r}.")
        length = int(text)
        if length > route.max_body:
            raise HttpError(413, "RequestEntityTooLargeException",
                            f"The request body of {length} bytes exceeds the limit of "
                            f"{route.max_body} bytes for this API.")
        return length

    def _read_body(self, length: int) -> bytes:
        if not length:
            return b""
        if self.headers.get("Expect", "").lower() == "100-continue":
            self.connection.settimeout(WRITE_TIMEOUT)
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        self.reader.deadline = time.monotonic() + self.server.header_timeout + length / MIN_BODY_RATE
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            raise HttpError(408, "RequestTimeoutException", "The request was not received in time.") from None
        except OSError:
            raise _ClientGone() from None
        if len(body) < length:
            raise _ClientGone()
        self.linger = False
        return body

    # -- answers
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (bad request line, headers too long...), as JSON."""
        self.close_connection = True
        types = {400: "BadRequestException", 414: "RequestURITooLongException",
                 431: "RequestHeaderFieldsTooLargeException", 505: "HTTPVersionNotSupportedException"}
        self._error(HttpError(code, types.get(code, "BadRequestException"),
                              message or self.responses.get(code, ("Bad request",))[0]))

    def _error(self, e: HttpError, route: "routes.Route | None" = None) -> None:
        if self.linger or e.status in (408, 411):   # what is still on the wire will not be read
            self.close_connection = True
        if route is not None and route.render_error is not None:   # e.g. S3's XML errors
            message = next(v for k, v in e.body.items() if k != "__type")
            status, payload, content_type = route.render_error(e.status, e.body["__type"], message,
                                                               self.request_id)
            self._send(status, payload, content_type, e.headers)
            return
        self._send(e.status, orjson.dumps(e.body), headers=e.headers)

    def _send(self, status: int, payload: bytes, content_type: str = routes.JSON_CONTENT_TYPE,
              headers: dict | None = None) -> None:
        headers = dict(headers or {})
        # a HEAD answer says the length a GET would send (S3's HeadObject); others, the payload's
        length = headers.pop("Content-Length", None)
        length = length if self.command == "HEAD" else None
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        if self.close_connection:
            extra += "Connection: close\r\n"
        self.connection.settimeout(WRITE_TIMEOUT)   # not what was left of a read's deadline
        head = (f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {length or len(payload)}\r\n"
                f"x-amzn-RequestId: {self.request_id}\r\n{extra}\r\n").encode()
        self.wfile.write(head if self.command == "HEAD" else head + payload)
        self.log_request(status, len(payload))

    def log_request(self, code="-", size="-") -> None:
        log.debug("%s %s %s %s %s", self.address_string(), self.request_id,
                  getattr(self, "requestline", ""), code, size)

    def log_message(self, format: str, *args) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class AthenaServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], service: AthenaService, verifier: Verifier | None,
                 policies: Policies | None = None, ssl_context: ssl.SSLContext | None = None,
                 header_timeout: float = HEADER_TIMEOUT, idle_timeout: float = IDLE_TIMEOUT,
                 max_connections: int = MAX_CONNECTIONS):
        self.service = service
        self.verifier = verifier
        self.policies = policies or Policies()
        self.ssl_context = ssl_context
        self.header_timeout, self.idle_timeout = header_timeout, idle_timeout
        self.connections = threading.BoundedSemaphore(max_connections)
        super().__init__(address, Handler)

    def principal(self, key_id: str, region: str = "us-east-1"):
        """The policy.Principal of an access key (what the console uses for its user too)."""
        return self.policies.principal(key_id, region)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"{'https' if self.ssl_context else 'http'}://{host}:{port}"

    def process_request(self, request, client_address) -> None:
        if not self.connections.acquire(blocking=False):
            self._turn_away(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.connections.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.connections.release()

    def _turn_away(self, request) -> None:
        if self.ssl_context is None:   # a plain socket can say why; TLS would need a handshake
            body = b'{"__type":"ServiceUnavailableException","Message":"Too many open connections."}'
            try:
                request.setblocking(False)
                request.send(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
                             + routes.JSON_CONTENT_TYPE.encode() + b"\r\nConnection: close\r\n"
                             b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            except OSError:
                pass
        self.shutdown_request(request)

    def finish_request(self, request, client_address) -> None:
        handler = None
        try:
            handler = self.RequestHandlerClass(request, client_address, self)
        finally:
            self._linger(getattr(handler, "connection", request), handler)

    def _linger(self, sock, handler) -> None:
        """After answering without reading a body, read a little of it before closing, so the
        client sees the answer rather than a reset; bounded in bytes and time."""
        if handler is None or not handler.linger:
            return
        try:
            sock.shutdown(socket.SHUT_WR)
            sock.settimeout(_LINGER_SECONDS)
            deadline, drained = time.monotonic() + _LINGER_SECONDS, 0
            while drained < _LINGER_BYTES and time.monotonic() < deadline:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                drained += len(chunk)
        except OSError:
            pass

    def handle_error(self, request, client_address) -> None:
        import sys
        exc = sys.exc_info()[1]
        if isinstance(exc, (OSError, ssl.SSLError, TimeoutError)):   # a client gone or a failed handshake
            log.debug("connection from %s: %s", client_address, exc)
        else:
            log.exception("connection from %s failed", client_address)
