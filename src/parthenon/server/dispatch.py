"""One JSON API call, from X-Amz-Target and body to (HTTP status, JSON body).

`dispatch(service, target, body, principal)` is the one path every door takes:
the SigV4 route (routes.py) and the console, for its signed-in user.  It
1. finds the API and the action from X-Amz-Target (`routes.JSON_APIS`);
2. reads the body as a JSON object, checked against botocore's model of the API
   (validation.py);
3. hands (service, action, members, principal) to the API's handler, which
   checks the principal's permissions on what the action touches (policy.py)
   before calling the service.
A ServiceError answers in its own shape.  Anything else is a bug: the client
gets InternalServerException with the request id only, the log gets the
traceback under that id.
"""
from __future__ import annotations

import logging

import orjson

from ..service import ServiceError
from ..service.errors import InvalidRequest
from .validation import validate

log = logging.getLogger(__name__)


class UnknownOperation(ServiceError):
    type = "UnknownOperationException"
    status = 400


class SerializationError(ServiceError):
    type = "SerializationException"
    status = 400


def error(type_: str, message: str, status: int = 400, **fields) -> tuple[int, bytes]:
    return status, orjson.dumps({"__type": type_, "Message": message, **fields})


def internal_error(request_id: str | None) -> tuple[int, bytes]:
    return error("InternalServerException",
                 f"An internal error occurred (request id {request_id or 'unknown'}).", 500)


def dispatch(service, target: str | None, body: bytes, principal,
             request_id: str | None = None) -> tuple[int, bytes]:
    """(HTTP status, JSON body) for one action called by `principal` (policy.Principal;
    None only when the server runs without authentication: an administrator)."""
    from .routes import json_api
    try:
        api = json_api(target)
        if api is None:
            raise UnknownOperation("Missing or invalid X-Amz-Target header")
        action = target[len(api.target_prefix):]
        params = _members(body)
        try:
            validate(api.scope, action, params)
        except InvalidRequest as e:
            raise (api.invalid(e.message) if api.invalid else e) from None
        return 200, orjson.dumps(api.handle(service, action, params, principal))
    except ServiceError as e:
        return e.status, orjson.dumps(e.body())
    except Exception:   # a bug: answer like AWS's fault, keep the server up, keep the trace here
        log.exception("request %s (%s) failed", request_id, target)
        return internal_error(request_id)


def _members(body: bytes) -> dict:
    try:
        params = orjson.loads(body) if body.strip() else {}
    except orjson.JSONDecodeError as e:
        raise SerializationError(f"Could not read the request body: {e}") from None
    if not isinstance(params, dict):
        raise SerializationError("Could not read the request body: the request body must be a JSON object")
    return params
