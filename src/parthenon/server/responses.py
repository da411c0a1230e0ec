"""The Athena API's actions: `AmazonAthena.<Action>` -> a service method.

Like moto's `responses.py`: no rules live here.  `handle` is the Athena JSON
API's entry in `routes.JSON_APIS`; `dispatch` has decoded the body already.
"""
from __future__ import annotations

import re

from ..service import AthenaService
from . import athena_access

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


def handle(service: AthenaService, action: str, params: dict, principal) -> dict:
    """The action's answer for `principal`, checked by athena_access on what it touches."""
    from .dispatch import UnknownOperation
    method = _METHODS.get(action)
    if method is None:
        raise UnknownOperation(f"Operation {action} is not supported by Parthenon")
    athena_access.authorize(service, action, params, principal)
    return athena_access.visible(action, getattr(service, method)(params), principal)
