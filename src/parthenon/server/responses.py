"""AWS JSON 1.1 in and out: `X-Amz-Target: AmazonAthena.<Action>` -> a service method.

Like moto's `responses.py`: decode the body, call the model, encode the answer
or the error shape.  No rules live here.
"""
from __future__ import annotations

import logging
import re

import orjson

from ..service import AthenaService, ServiceError

log = logging.getLogger(__name__)
TARGET_PREFIX = "AmazonAthena."

ACTIONS = [
    "StartQueryExecution", "GetQueryExecution", "BatchGetQueryExecution", "ListQueryExecutions",
    "StopQueryExecution", "GetQueryResults", "GetQueryRuntimeStatistics",
    "CreateNamedQuery", "GetNamedQuery", "BatchGetNamedQuery", "ListNamedQueries",
    "UpdateNamedQuery", "DeleteNamedQuery",
    "CreateWorkGroup", "GetWorkGroup", "ListWorkGroups", "UpdateWorkGroup", "DeleteWorkGroup",
    "CreatePreparedStatement", "GetPreparedStatement", "BatchGetPreparedStatement",
    "ListPreparedStatements", "UpdatePreparedStatement", "DeletePreparedStatement",
    "ListDataCatalogs", "GetDataCatalog", "ListDatabases", "GetDatabase",
    "ListTableMetadata", "GetTableMetadata",
    "TagResource", "UntagResource", "ListTagsForResource", "ListEngineVersions",
]
_METHODS = {a: re.sub(r"(?<!^)(?=[A-Z])", "_", a).lower() for a in ACTIONS}


def error(type_: str, message: str, status: int = 400, **fields) -> tuple[int, bytes]:
    return status, orjson.dumps({"__type": type_, "Message": message, **fields})


def dispatch(service: AthenaService, target: str | None, body: bytes) -> tuple[int, bytes]:
    """(HTTP status, JSON body) for one request."""
    if not target or not target.startswith(TARGET_PREFIX):
        return error("UnknownOperationException", "Missing or invalid X-Amz-Target header")
    action = target[len(TARGET_PREFIX):]
    method = _METHODS.get(action)
    if method is None:
        return error("UnknownOperationException", f"Operation {action} is not supported by Parthenon")
    try:
        params = orjson.loads(body) if body.strip() else {}
        if not isinstance(params, dict):
            raise ValueError("the request body must be a JSON object")
    except (orjson.JSONDecodeError, ValueError) as e:
        return error("SerializationException", f"Could not read the request body: {e}")
    try:
        return 200, orjson.dumps(getattr(service, method)(params))
    except ServiceError as e:
        return e.status, orjson.dumps(e.body())
    except Exception as e:   # a bug: answer like AWS's fault, keep the server up
        log.exception("%s failed", action)
        return error("InternalServerException", f"{type(e).__name__}: {e}", 500)
