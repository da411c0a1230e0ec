"""The console's HTTP side: its page, its assets and its JSON endpoints, under one prefix.

Every Athena action the console makes goes through the API's own dispatch
(`server.responses.dispatch`) as the signed-in access key, so a console user can do
exactly what that key can do through boto3, and queries run here are the same
executions ListQueryExecutions shows.  The few endpoints of its own:
- sign-in / sign-out / session (see session.py: cookie plus CSRF token);
- rows: one page of a result by row offset, for the grid's random access (it asks
  GetQueryResults with the NextToken standing for that offset);
- csv: the result file itself, as Download CSV;
- format: SQLGlot's pretty printing of the editor's queries.
"""
from __future__ import annotations

import gzip
import mimetypes
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import orjson

from ...errors import ParthenonError
from ...service import results
from ...service.paging import next_token
from ..responses import dispatch
from . import session as cookies
from .formatting import format_sql

STATIC = Path(__file__).with_name("static")
PREFIX = "/console/"
MAX_BODY = 8 * 2**20
SECURITY_HEADERS = {
    # styles inline: CodeMirror writes its own <style> rules; scripts only from here
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def handles(method: str, path: str) -> bool:
    """The console's requests: its page at GET /, everything under /console/.
    (The Athena API POSTs to / too, so POST / stays the API's.)"""
    path = urlsplit(path).path
    return (method == "GET" and path == "/") or path.startswith(PREFIX) or path == "/console"


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)


def json_reply(status: int, value) -> Reply:
    return Reply(status, orjson.dumps(value))


def refusal(status: int, message: str) -> Reply:
    return json_reply(status, {"message": message})


class Console:
    def __init__(self, service, keys: dict[str, str] | None, secure: bool = False):
        self.service = service
        self.sessions = cookies.Sessions(keys)
        self.secure = secure
        self._gzipped: dict[str, bytes] = {}

    # -- entry point from the HTTP handler
    def handle(self, handler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            reply = refusal(413, "The request body is too large.")
        else:
            body = handler.rfile.read(length) if length else b""
            reply = self.route(method, handler.path, handler.headers, body)
        self._send(handler, reply)

    def route(self, method: str, raw_path: str, headers, body: bytes) -> Reply:
        url = urlsplit(raw_path)
        path = url.path
        if method == "GET" and path in ("/", "/console", "/console/"):
            return self._static("index.html", headers)
        if method == "GET" and path.startswith("/console/static/"):
            return self._static(unquote(path[len("/console/static/"):]), headers)
        if not path.startswith("/console/api/"):
            return refusal(404, "Not found.")
        name = path[len("/console/api/"):]
        sid = cookies.cookie_value(headers.get("Cookie"))
        if method == "POST" and name == "signin":
            return self._sign_in(body)
        session = self.sessions.get(sid)
        if session is None:
            return refusal(401, "Sign in first.")
        if method == "GET" and name == "session":
            return json_reply(200, {"principal": session.principal, "csrf": session.csrf})
        if method == "GET" and name.startswith("csv/"):
            return self._csv(session.principal, name[len("csv/"):])
        if method != "POST":
            return refusal(405, "Method not allowed.")
        if not cookies.csrf_ok(session, headers.get("X-CSRF-Token")):
            return refusal(403, "Missing or wrong CSRF token (X-CSRF-Token header).")
        try:
            params = orjson.loads(body) if body.strip() else {}
        except orjson.JSONDecodeError as e:
            return refusal(400, f"Could not read the request body: {e}")
        if not isinstance(params, dict):
            return refusal(400, "The request body must be a JSON object.")
        if name == "signout":
            self.sessions.sign_out(sid)
            return Reply(200, b"{}", headers={"Set-Cookie": cookies.clear_cookie_header(self.secure)})
        if name.startswith("athena/"):
            status, payload = self.call(session.principal, name[len("athena/"):], params)
            return Reply(status, orjson.dumps(payload))
        if name == "rows":
            return self._rows(session.principal, params)
        if name == "format":
            try:
                return json_reply(200, {"sql": format_sql(str(params.get("sql") or ""))})
            except ParthenonError as e:
                return json_reply(400, {"message": str(e), "line": e.line, "column": e.column})
        return refusal(404, "Not found.")

    # -- the Athena API, as the signed-in key
    def call(self, principal: str, action: str, params: dict) -> tuple[int, dict]:
        status, payload = dispatch(self.service, "AmazonAthena." + action, orjson.dumps(params))
        return status, orjson.loads(payload)

    def _sign_in(self, body: bytes) -> Reply:
        try:
            params = orjson.loads(body)
            key_id, secret = str(params.get("accessKeyId") or ""), str(params.get("secretAccessKey") or "")
        except (orjson.JSONDecodeError, AttributeError):
            return refusal(400, "Send the access key id and secret as JSON.")
        signed = self.sessions.sign_in(key_id.strip(), secret)
        if signed is None:
            return refusal(401, "The access key id or the secret access key is wrong.")
        sid, session = signed
        return Reply(200, orjson.dumps({"principal": session.principal, "csrf": session.csrf}),
                     headers={"Set-Cookie": cookies.cookie_header(sid, self.secure)})

    def _rows(self, principal: str, p: dict) -> Reply:
        """Rows [Offset, Offset+Limit) of a result, values as text or null."""
        qid = p.get("QueryExecutionId")
        status, q = self.call(principal, "GetQueryExecution", {"QueryExecutionId": qid})
        if status != 200:
            return json_reply(status, q)
        execution = q["QueryExecution"]
        header = 1 if execution.get("ResultConfiguration", {}).get("OutputLocation", "").endswith(".csv") else 0
        offset, limit = int(p.get("Offset") or 0), min(int(p.get("Limit") or 500), 1000)
        request = {"QueryExecutionId": qid, "MaxResults": limit}
        if offset + header:      # a token past the header row: every page holds data rows only
            request["NextToken"] = next_token(offset + header)
        status, page = self.call(principal, "GetQueryResults", request)
        if status != 200:
            return json_reply(status, page)
        rows = page["ResultSet"]["Rows"]
        return json_reply(200, {
            "columns": [{"name": c["Name"], "type": c["Type"]}
                        for c in page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]],
            "rows": [[d.get("VarCharValue") for d in r["Data"]] for r in rows],
            "offset": offset, "more": "NextToken" in page})

    def _csv(self, principal: str, qid: str) -> Reply:
        """The result file exactly as stored, for Download CSV."""
        status, q = self.call(principal, "GetQueryExecution", {"QueryExecutionId": qid})
        if status != 200:
            return json_reply(status, q)
        execution = q["QueryExecution"]
        if execution["Status"]["State"] != "SUCCEEDED":
            return refusal(409, f"Query {qid} has no results: its state is {execution['Status']['State']}.")
        location = execution["ResultConfiguration"]["OutputLocation"]
        try:
            data = results.read_file(location)
        except (OSError, ParthenonError) as e:
            return refusal(404, f"Could not read the result file {location}: {e}")
        name = location.rsplit("/", 1)[-1]
        return Reply(200, data, "text/csv" if name.endswith(".csv") else "text/plain",
                     headers={"Content-Disposition": f'attachment; filename="{name}"'})

    # -- assets
    def _static(self, name: str, headers) -> Reply:
        path = (STATIC / name).resolve()
        if STATIC.resolve() not in path.parents or not path.is_file():
            return refusal(404, "Not found.")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith("javascript"):
            kind += "; charset=utf-8"
        data = path.read_bytes()
        extra = {"Cache-Control": "no-cache"}
        if "gzip" in (headers.get("Accept-Encoding") or "") and len(data) > 1024:
            key = f"{name}:{path.stat().st_mtime_ns}"
            if key not in self._gzipped:
                self._gzipped[key] = gzip.compress(data, 6)
            data = self._gzipped[key]
            extra["Content-Encoding"] = "gzip"
        return Reply(200, data, kind, extra)

    def _send(self, handler, reply: Reply) -> None:
        lines = [f"HTTP/1.1 {reply.status} {handler.responses.get(reply.status, ('',))[0]}",
                 f"Content-Type: {reply.content_type}", f"Content-Length: {len(reply.body)}",
                 f"x-amzn-RequestId: {uuid.uuid4()}"]
        if reply.content_type == "application/json":
            lines.append("Cache-Control: no-store")
        lines += [f"{k}: {v}" for k, v in {**SECURITY_HEADERS, **reply.headers}.items()]
        handler.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode() + reply.body)
        handler.log_request(reply.status, len(reply.body))
