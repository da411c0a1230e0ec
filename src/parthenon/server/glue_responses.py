"""AWS JSON 1.1 for Glue: `X-Amz-Target: AWSGlue.<Action>` -> a `service.glue.GlueCatalog`
method.  Like `responses.py` for Athena: decode, call, encode the answer or Glue's error
shape (`__type`, `Message`); no rules live here."""
from __future__ import annotations

import logging
import re

import orjson

from ..errors import ParthenonError
from ..service import ServiceError
from ..service.glue import GlueCatalog
from ..service.glue.errors import InvalidInput
from .responses import error

log = logging.getLogger(__name__)
TARGET_PREFIX = "AWSGlue."

ACTIONS = [
    "CreateDatabase", "GetDatabase", "GetDatabases", "UpdateDatabase", "DeleteDatabase",
    "CreateTable", "GetTable", "GetTables", "UpdateTable", "DeleteTable", "BatchDeleteTable",
    "GetTableVersions",
    "CreatePartition", "BatchCreatePartition", "GetPartition", "GetPartitions",
    "BatchGetPartition", "UpdatePartition", "BatchUpdatePartition", "DeletePartition",
    "BatchDeletePartition",
]
_METHODS = {a: re.sub(r"(?<!^)(?=[A-Z])", "_", a).lower() for a in ACTIONS}


def is_glue(target: str | None) -> bool:
    return bool(target) and target.startswith(TARGET_PREFIX)


def dispatch(glue: GlueCatalog, target: str, body: bytes) -> tuple[int, bytes]:
    """(HTTP status, JSON body) for one Glue request."""
    action = target[len(TARGET_PREFIX):]
    method = _METHODS.get(action)
    if method is None:
        return error("UnknownOperationException",
                     f"Glue operation {action} is not supported by Parthenon (it serves the Data "
                     f"Catalog's databases, tables and partitions: {', '.join(ACTIONS)})")
    try:
        params = orjson.loads(body) if body.strip() else {}
        if not isinstance(params, dict):
            raise ValueError("the request body must be a JSON object")
    except (orjson.JSONDecodeError, ValueError) as e:
        return error("SerializationException", f"Could not read the request body: {e}")
    try:
        return 200, orjson.dumps(getattr(glue, method)(params))
    except ServiceError as e:
        return e.status, orjson.dumps(e.body())
    except ParthenonError as e:         # a catalog rule (e.g. an invalid type): the caller's input
        return InvalidInput.status, orjson.dumps(InvalidInput(e.message).body())
    except Exception as e:   # a bug: answer like AWS's fault, keep the server up
        log.exception("Glue %s failed", action)
        return error("InternalServiceException", f"{type(e).__name__}: {e}", 500)
