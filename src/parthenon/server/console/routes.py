"""The console's routes: its page, its assets and its JSON endpoints, in the server's
routing table (server/routes.py) with auth "session": the cookie is checked here.

Every Athena action the console makes goes through the API's own
`dispatch.dispatch(service, target, body, principal)` with the signed-in key's
principal, so a console user can do exactly what that key can do through boto3
(the same policy checks), and the queries run here are the executions
ListQueryExecutions shows.  The few endpoints of its own:
- sign-in / sign-out / session (session.py: an HttpOnly cookie plus a CSRF token);
- rows: one page of a result by row offset, for the grid's random access (it asks
  GetQueryResults with the NextToken standing for that offset);
- progress: GetQueryExecution plus a running query's planned bytes and rows, for the
  live line (`Running · 3.1 s · 312 MB of 760 MB scanned`);
- csv: the result file itself, as Download CSV;
- format: SQLGlot's pretty printing of the editor's queries.
"""
from __future__ import annotations

import gzip
import mimetypes
import re
import threading
from pathlib import Path
from urllib.parse import unquote

import orjson

from ...errors import ParthenonError
from ...service import results
from ...service.paging import next_token
from ..dispatch import dispatch
from ..routes import Request, Response, Route
from . import session as cookies
from .formatting import format_sql

STATIC = Path(__file__).with_name("static")
JSON = "application/json"
SECURITY_HEADERS = {
    # styles inline: CodeMirror writes its own <style> rules; scripts only from here
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class Console:
    """The console's state on one server: its sessions, and its assets gzipped once."""

    def __init__(self, keys: dict[str, str] | None, secure: bool = False):
        self.sessions = cookies.Sessions(keys)
        self.secure = secure
        self._gzipped: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def gzipped(self, key: str, data: bytes) -> bytes:
        with self._lock:
            if key not in self._gzipped:
                self._gzipped[key] = gzip.compress(data, 6)
            return self._gzipped[key]


_making = threading.Lock()


def console_of(server) -> Console:
    """The server's Console, made on first use (keys from its verifier, TLS from its context)."""
    console = getattr(server, "console", None)
    if console is None:
        with _making:
            console = getattr(server, "console", None)
            if console is None:
                verifier = getattr(server, "verifier", None)
                console = server.console = Console(verifier.keys if verifier is not None else None,
                                                   secure=getattr(server, "ssl_context", None) is not None)
    return console


def reply(status: int, value, headers: dict | None = None) -> Response:
    return Response(status, orjson.dumps(value), JSON, {**SECURITY_HEADERS, "Cache-Control": "no-store",
                                                        **(headers or {})})


def refusal(status: int, message: str) -> Response:
    return reply(status, {"message": message})


class Signed:
    """A request of a signed-in user: the session, and the principal the API sees."""

    def __init__(self, request: Request, session: cookies.ConsoleSession):
        self.request, self.session = request, session
        server = request.server
        # without --no-auth a session always names one of the server's keys
        self.principal = server.principal(session.principal) if server.verifier is not None else None

    def call(self, action: str, params: dict) -> tuple[int, dict]:
        r = self.request
        status, payload = dispatch(r.server.service, "AmazonAthena." + action, orjson.dumps(params),
                                   self.principal, r.request_id)
        return status, orjson.loads(payload)


def session_of(request: Request) -> cookies.ConsoleSession | None:
    return console_of(request.server).sessions.get(cookies.cookie_value(request.headers.get("Cookie")))


def signed_in(csrf: bool):
    """A handler for signed-in users only; csrf: it changes something, so the token must match."""
    def wrap(handler):
        def route(request: Request) -> Response:
            session = session_of(request)
            if session is None:
                return refusal(401, "Sign in first.")
            if csrf and not cookies.csrf_ok(session, request.headers.get("X-CSRF-Token")):
                return refusal(403, "Missing or wrong CSRF token (X-CSRF-Token header).")
            params = {}
            if request.method == "POST":
                try:
                    params = orjson.loads(request.body) if request.body.strip() else {}
                except orjson.JSONDecodeError as e:
                    return refusal(400, f"Could not read the request body: {e}")
                if not isinstance(params, dict):
                    return refusal(400, "The request body must be a JSON object.")
            return handler(Signed(request, session), params)
        return route
    return wrap


# -- the page and its assets
def page(request: Request) -> Response:
    return asset_named("index.html", request)


def asset(request: Request) -> Response:
    return asset_named(unquote(request.path[len("/console/static/"):]), request)


def asset_named(name: str, request: Request) -> Response:
    path = (STATIC / name).resolve()
    if STATIC.resolve() not in path.parents or not path.is_file():
        return refusal(404, "Not found.")
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith("javascript"):
        kind += "; charset=utf-8"
    stat = path.stat()
    # revalidated on every load (no-cache), answered 304 while the file is unchanged
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache", "ETag": etag}
    if request.headers.get("If-None-Match") == etag:
        return Response(304, b"", kind, headers)
    data = path.read_bytes()
    if "gzip" in (request.headers.get("Accept-Encoding") or "") and len(data) > 1024:
        data = console_of(request.server).gzipped(f"{name}:{etag}", data)
        headers["Content-Encoding"] = "gzip"
    return Response(200, data, kind, headers)


# -- signing in and out
def sign_in(request: Request) -> Response:
    try:
        params = orjson.loads(request.body)
        key_id, secret = str(params.get("accessKeyId") or ""), str(params.get("secretAccessKey") or "")
    except (orjson.JSONDecodeError, AttributeError):
        return refusal(400, "Send the access key id and secret as JSON.")
    console = console_of(request.server)
    signed = console.sessions.sign_in(key_id.strip(), secret)
    if signed is None:
        return refusal(401, "The access key id or the secret access key is wrong.")
    sid, session = signed
    return reply(200, {"principal": session.principal, "csrf": session.csrf},
                 {"Set-Cookie": cookies.cookie_header(sid, console.secure)})


@signed_in(csrf=True)
def sign_out(user: Signed, params: dict) -> Response:
    console = console_of(user.request.server)
    console.sessions.sign_out(cookies.cookie_value(user.request.headers.get("Cookie")))
    return reply(200, {}, {"Set-Cookie": cookies.clear_cookie_header(console.secure)})


def whoami(request: Request) -> Response:
    """The signed-in user and their CSRF token.  A server run with --no-auth has no keys to
    sign in with: its console opens a session for whoever asks, as its API answers anyone."""
    session = session_of(request)
    headers = {}
    if session is None:
        console = console_of(request.server)
        if not console.sessions.open:
            return refusal(401, "Sign in first.")
        sid, session = console.sessions.sign_in("", "")
        headers["Set-Cookie"] = cookies.cookie_header(sid, console.secure)
    return reply(200, {"principal": session.principal, "csrf": session.csrf}, headers)


# -- the Athena API, as the signed-in key
@signed_in(csrf=True)
def athena(user: Signed, params: dict) -> Response:
    status, payload = user.call(user.request.path.rsplit("/", 1)[1], params)
    return reply(status, payload)


@signed_in(csrf=True)
def progress(user: Signed, p: dict) -> Response:
    """GetQueryExecution as the signed-in key, with a running query's `Progress`: the bytes
    its plan will read and the rows so far (the CLI's progress bar's numbers), for the live line."""
    status, q = user.call("GetQueryExecution", {"QueryExecutionId": p.get("QueryExecutionId")})
    if status != 200:
        return reply(status, q)
    execution, snapshot = q["QueryExecution"], None
    if execution["Status"]["State"] == "RUNNING":
        snapshot = user.request.server.service.executor.progress(execution["QueryExecutionId"])
    q["Progress"] = None if snapshot is None else {"PlannedBytes": snapshot.total_bytes,
                                                   "Rows": snapshot.rows}
    return reply(200, q)


@signed_in(csrf=True)
def rows(user: Signed, p: dict) -> Response:
    """Rows [Offset, Offset+Limit) of a result, values as text or null."""
    qid = p.get("QueryExecutionId")
    status, q = user.call("GetQueryExecution", {"QueryExecutionId": qid})
    if status != 200:
        return reply(status, q)
    location = q["QueryExecution"].get("ResultConfiguration", {}).get("OutputLocation", "")
    header = 1 if location.endswith(".csv") else 0      # a CSV result's first row names the columns
    try:
        offset, limit = max(int(p.get("Offset") or 0), 0), min(max(int(p.get("Limit") or 500), 1), 1000)
    except (TypeError, ValueError):
        return refusal(400, "Offset and Limit must be numbers.")
    request = {"QueryExecutionId": qid, "MaxResults": limit}
    if offset + header:      # a token past the header row: every page holds data rows only
        request["NextToken"] = next_token(offset + header)
    status, page = user.call("GetQueryResults", request)
    if status != 200:
        return reply(status, page)
    return reply(200, {
        "columns": [{"name": c["Name"], "type": c["Type"]}
                    for c in page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]],
        "rows": [[d.get("VarCharValue") for d in r["Data"]] for r in page["ResultSet"]["Rows"]],
        "offset": offset, "more": "NextToken" in page})


@signed_in(csrf=False)
def csv(user: Signed, params: dict) -> Response:
    """The result file exactly as stored, for Download CSV."""
    qid = unquote(user.request.path.rsplit("/", 1)[1])
    status, q = user.call("GetQueryExecution", {"QueryExecutionId": qid})
    if status != 200:
        return reply(status, q)
    execution = q["QueryExecution"]
    if execution["Status"]["State"] != "SUCCEEDED":
        return refusal(409, f"Query {qid} has no results: its state is {execution['Status']['State']}.")
    # the same permission a client needs to read the result through the API
    status, answer = user.call("GetQueryResults", {"QueryExecutionId": qid, "MaxResults": 1})
    if status != 200:
        return reply(status, answer)
    location = execution["ResultConfiguration"]["OutputLocation"]
    try:
        data = results.read_file(location)
    except (OSError, ParthenonError) as e:
        return refusal(404, f"Could not read the result file {location}: {e}")
    name = location.rsplit("/", 1)[-1]
    return Response(200, data, "text/csv; charset=utf-8" if name.endswith(".csv") else "text/plain; charset=utf-8",
                    {**SECURITY_HEADERS, "Cache-Control": "no-store",
                     "Content-Disposition": f'attachment; filename="{name}"'})


@signed_in(csrf=True)
def format_query(user: Signed, params: dict) -> Response:
    try:
        return reply(200, {"sql": format_sql(str(params.get("sql") or ""))})
    except ParthenonError as e:
        return reply(400, {"message": str(e), "line": e.line, "column": e.column})


def _route(name, methods, pattern, handler, when=None) -> Route:
    return Route(f"console-{name}", frozenset(methods), re.compile(pattern), handler, auth="session",
                 when=when)


def _browser(path: str, headers) -> bool:
    """GET / from a browser (it asks for HTML) is the console's page; from anything else
    (a load balancer, curl) it stays the health check.  /console is always the page."""
    return path != "/" or "text/html" in (headers.get("Accept") or "")


ROUTES = [
    _route("page", {"GET"}, r"/|/console/?", page, when=_browser),
    _route("asset", {"GET"}, r"/console/static/[^?#]+", asset),
    _route("signin", {"POST"}, r"/console/api/signin", sign_in),
    _route("signout", {"POST"}, r"/console/api/signout", sign_out),
    _route("session", {"GET"}, r"/console/api/session", whoami),
    _route("athena", {"POST"}, r"/console/api/athena/[A-Za-z]+", athena),
    _route("rows", {"POST"}, r"/console/api/rows", rows),
    _route("progress", {"POST"}, r"/console/api/progress", progress),
    _route("csv", {"GET"}, r"/console/api/csv/[^/]+", csv),
    _route("format", {"POST"}, r"/console/api/format", format_query),
]
