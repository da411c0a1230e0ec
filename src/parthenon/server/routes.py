"""The server's map: which request goes where, and how it must be authenticated.

Every request is matched against ROUTES in order, by method and path, and for
the JSON APIs by the X-Amz-Target prefix (JSON_APIS):

  method   path               X-Amz-Target     handler                        auth
  POST     /                  AmazonAthena.*   dispatch -> responses (Athena)  SigV4, scope "athena"
  POST     /                  AWSGlue.*        dispatch -> glue_responses      SigV4, scope "glue"
  POST     /                  - (form body)    sts (GetCallerIdentity)         SigV4, scope "sts"
  GET/HEAD /                  -                health check                    none
  GET      / , /console/...   -                the console (server/console/)   cookie session
  GET/HEAD/PUT/DELETE/POST                     s3_subset (mapped buckets)      SigV4, scope "s3",
           /<bucket>[/<key>]                                                   UNSIGNED-PAYLOAD allowed

The first route that matches wins: doors that share a path tell themselves apart
with `when` (a test on path and headers: the S3 subset answers requests signed
for "s3" or naming a mapped bucket; any other path is nobody's: JSON 404).
A path that no route serves answers 404, a known path with another method 405,
both as AWS-style JSON.  Each route names the SigV4 service its credential scope
must carry (`scope`), whether it accepts UNSIGNED-PAYLOAD (S3 only, as AWS), and
its body cap, checked against Content-Length before a byte of the body is read.

To add a door: append a Route (or a JsonApi for another X-Amz-Target prefix).
A handler takes a Request and returns a Response; a JSON API's actions go
through `dispatch.dispatch(service, target, body, principal)`, which is also what
the console calls for a signed-in user, so both get the same permission checks.
A route with auth "session" checks its own credential and gets the principal of
the key behind it from `request.server.principal(key_id)`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from . import glue_responses, responses

JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
# Athena's largest member is QueryString, at most 262,144 characters.  botocore sends
# JSON with every non-ASCII character escaped (\u00e9: 6 bytes), so the largest valid
# query can take 1.5 MB on the wire; 2 MiB admits it with its other members, and
# still bounds what one request can make the server hold.
JSON_MAX_BODY = 2 * 1024 * 1024


@dataclass
class Request:
    method: str
    path: str               # without the query string
    query: str
    headers: object         # http.client.HTTPMessage (case-insensitive .get)
    body: bytes
    request_id: str
    server: object          # the AthenaServer: .service, .principal(key_id)
    principal: object = None   # policy.Principal of the caller (None: the route has no auth)


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = JSON_CONTENT_TYPE
    headers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class JsonApi:
    """One AWS JSON 1.1 API, chosen by its X-Amz-Target prefix."""
    target_prefix: str
    scope: str              # SigV4 service name, also the IAM action prefix ("athena:...")
    handle: Callable        # (service, action, params, principal) -> response members
    # the ServiceError a request that does not fit botocore's model gets (validation.py):
    # None for InvalidRequestException (Athena's); Glue answers InvalidInputException
    invalid: type | None = None


@dataclass(frozen=True)
class Route:
    name: str
    methods: frozenset
    path: re.Pattern        # matched in full against the request path
    handler: Callable[[Request], Response]
    auth: str = "sigv4"     # "sigv4" | "session" (the console's cookie) | "none"
    scope: str | None = None        # the service the SigV4 credential scope must name
    unsigned_payload: bool = False  # X-Amz-Content-SHA256: UNSIGNED-PAYLOAD accepted (S3 only)
    max_body: int = JSON_MAX_BODY
    json_api: bool = False  # the route of the JSON APIs: scope comes from X-Amz-Target
    when: Callable | None = None    # (path, headers) -> bool: also required for this route to match
    # (status, type, message, request id) -> (status, body, content type) for the refusals
    # decided before the handler, when the door's clients expect another shape (S3's XML)
    render_error: Callable | None = None


def _json_api_route(request: Request) -> Response:
    from .dispatch import dispatch
    status, body = dispatch(request.server.service, request.headers.get("X-Amz-Target"),
                            request.body, request.principal, request.request_id)
    return Response(status, body)


def _health(request: Request) -> Response:
    # for humans and load balancers; the API itself is POST only
    return Response(200, b'{"service":"parthenon","api":"AmazonAthena"}')


def _s3(request: Request) -> Response:
    from . import s3_subset
    return s3_subset.route(request)


def _sts(request: Request) -> Response:
    from . import sts
    return sts.route(request)


def _sts_error(status: int, type_: str, message: str, request_id: str):
    from . import sts
    return sts.render_error(status, type_, message, request_id)


def _s3_error(status: int, type_: str, message: str, request_id: str):
    from . import s3_subset
    return s3_subset.render_error(status, type_, message, request_id)


def sigv4_for(service: str) -> Callable:
    """A `when` test: the request is SigV4-signed for `service` (its credential scope says so)."""
    marker = f"/{service}/aws4_request"

    def test(path: str, headers) -> bool:
        return marker in (headers.get("Authorization") or "")
    return test


def _sts_request(path: str, headers) -> bool:
    """STS's query protocol: signed for "sts", a form body, no X-Amz-Target (a JSON API call
    signed for "sts" goes on to its own API, which refuses the scope)."""
    return sigv4_for("sts")(path, headers) and not headers.get("X-Amz-Target")


def _s3_request(path: str, headers) -> bool:
    """Signed for S3, or addressed to a bucket the S3 subset serves (S3 answers anonymous
    requests to it with its own XML AccessDenied)."""
    from ..storage import bucket_folders
    return sigv4_for("s3")(path, headers) or bucket_folders.folder(path.split("/")[1]) is not None


JSON_APIS: list[JsonApi] = [
    JsonApi("AmazonAthena.", "athena", responses.handle),
    JsonApi("AWSGlue.", "glue", glue_responses.handle, invalid=glue_responses.InvalidInput),
]

ROUTES: list[Route] = [
    Route("sts", frozenset({"POST"}), re.compile(r"/"), _sts, scope="sts",
          render_error=_sts_error, when=_sts_request),
    Route("json-api", frozenset({"POST"}), re.compile(r"/"), _json_api_route, json_api=True),
    Route("health", frozenset({"GET", "HEAD"}), re.compile(r"/"), _health, auth="none"),
    Route("s3", frozenset({"GET", "HEAD", "PUT", "DELETE", "POST"}), re.compile(r"/[^/]+(/.*)?"),
          _s3, scope="s3", unsigned_payload=True, max_body=1 << 30, render_error=_s3_error,
          when=_s3_request),
]


# The console: its page at GET / from a browser (other GET / and HEAD / stay the health
# check), its assets and JSON endpoints under /console/; it checks its own cookie sessions.
from .console.routes import ROUTES as _CONSOLE_ROUTES  # noqa: E402  (builds on Route above)

_AT_HEALTH = next(i for i, r in enumerate(ROUTES) if r.name == "health")
ROUTES[_AT_HEALTH:_AT_HEALTH] = _CONSOLE_ROUTES


def json_api(target: str | None) -> JsonApi | None:
    for api in JSON_APIS:
        if target and target.startswith(api.target_prefix):
            return api
    return None


def match(method: str, path: str, headers=None) -> tuple[Route | None, list[str]]:
    """The route for this request, or None and the methods the path allows (empty: unknown path)."""
    allowed: list[str] = []
    for route in ROUTES:
        if route.path.fullmatch(path):
            if method in route.methods:
                if route.when is None or (headers is not None and route.when(path, headers)):
                    return route, []
            else:
                allowed += [m for m in sorted(route.methods) if m not in allowed]
    return None, sorted(allowed)
