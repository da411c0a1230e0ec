"""STS GetCallerIdentity on the server's port: who the signing key is, in STS's XML.

Clients ask it before they touch the catalog: dbt-athena builds Glue CatalogIds from the
account it answers, so with `AWS_ENDPOINT_URL` pointed at Parthenon the call must land here.
The account is the server's (policy.py: PARTHENON_ACCOUNT_ID or the policy file's), the
ARN the caller's as IAM policies name it.  Served: GetCallerIdentity only, POST with a
form body (STS's query protocol), SigV4 scoped to `sts`.  Any other action (AssumeRole,
GetSessionToken...) answers STS's InvalidAction: Parthenon issues no credentials.
"""
from __future__ import annotations

from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from .policy import Principal
from .routes import Request, Response

NS = "https://sts.amazonaws.com/doc/2011-06-15/"
XML = "text/xml"


def route(request: Request) -> Response:
    params = dict(parse_qsl(request.body.decode("utf-8", "replace")))
    action = params.get("Action", "")
    if action != "GetCallerIdentity":
        status, body, _ = render_error(400, "InvalidAction", f"Could not find operation "
                                       f"{action[:100]} for version 2011-06-15 (Parthenon serves "
                                       "STS GetCallerIdentity only)", request.request_id)
        return Response(status, body, XML)
    principal = request.principal or Principal(_key_id(request.headers) or "anonymous")
    body = (f'<GetCallerIdentityResponse xmlns="{NS}"><GetCallerIdentityResult>'
            f"<Arn>{escape(principal.arn)}</Arn><UserId>{escape(principal.key_id)}</UserId>"
            f"<Account>{principal.account}</Account></GetCallerIdentityResult>"
            f"<ResponseMetadata><RequestId>{request.request_id}</RequestId></ResponseMetadata>"
            "</GetCallerIdentityResponse>")
    return Response(200, body.encode(), XML)


# The server's refusals (auth.py's JSON types) in STS's own codes and statuses
_REFUSALS = {
    "MissingAuthenticationTokenException": ("MissingAuthenticationToken", 403),
    "UnrecognizedClientException": ("InvalidClientTokenId", 403),
    "IncompleteSignatureException": ("IncompleteSignature", 400),
    "InvalidSignatureException": ("SignatureDoesNotMatch", 403),
}


def render_error(status: int, type_: str, message: str, request_id: str) -> tuple[int, bytes, str]:
    """An STS error document (refusals before the handler too: bad signature, wrong scope)."""
    type_, status = _REFUSALS.get(type_, (type_, status))
    body = (f'<ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type><Code>{escape(type_)}</Code>'
            f"<Message>{escape(message)}</Message></Error><RequestId>{request_id}</RequestId>"
            "</ErrorResponse>")
    return status, body.encode(), XML


def _key_id(headers) -> str | None:
    """The access key an unverified request (a server run with --no-auth) was signed with."""
    auth = headers.get("Authorization") or ""
    marker = "Credential="
    if marker not in auth:
        return None
    return auth.split(marker, 1)[1].split("/", 1)[0] or None
