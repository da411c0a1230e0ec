"""The Glue Data Catalog API's actions: `AWSGlue.<Action>` -> a `service.glue.GlueCatalog`
method.  Like `responses.py` for Athena: `handle` is the Glue JSON API's entry in
`routes.JSON_APIS` (SigV4 scope `glue`); `dispatch` has decoded and validated the body and
renders ServiceErrors (`__type`, `Message`); `glue_access` checks the caller's policy.
No rules live here."""
from __future__ import annotations

import re

from ..errors import ParthenonError
from ..service.glue.errors import InvalidInput
from . import glue_access
from .policy import Policies

ACTIONS = [
    "CreateDatabase", "GetDatabase", "GetDatabases", "UpdateDatabase", "DeleteDatabase",
    "CreateTable", "GetTable", "GetTables", "UpdateTable", "DeleteTable", "BatchDeleteTable",
    "GetTableVersions", "GetTableVersion", "DeleteTableVersion", "BatchDeleteTableVersion",
    "CreatePartition", "BatchCreatePartition", "GetPartition", "GetPartitions",
    "BatchGetPartition", "UpdatePartition", "BatchUpdatePartition", "DeletePartition",
    "BatchDeletePartition", "GetPartitionIndexes", "GetTags",
]
_METHODS = {a: re.sub(r"(?<!^)(?=[A-Z])", "_", a).lower() for a in ACTIONS}


def handle(service, action: str, params: dict, principal) -> dict:
    from .dispatch import UnknownOperation
    method = _METHODS.get(action)
    if method is None:
        raise UnknownOperation(f"Glue operation {action} is not supported by Parthenon (it "
                               f"serves the Data Catalog's databases, tables and partitions: "
                               f"{', '.join(ACTIONS)})")
    glue_access.authorize(action, params, principal)
    try:
        result = getattr(service.glue, method)(params)
    except ParthenonError as e:      # a catalog rule (an invalid type, ...): the caller's input
        raise InvalidInput(e.message) from None
    return _name_catalog(result, principal.account if principal is not None else Policies().account)


def _name_catalog(shape, account: str):
    """Glue names a catalog by its account id: every `CatalogId` of a response is the server's
    account (the one STS GetCallerIdentity and the ARNs report), not shapes.CATALOG_ID."""
    if isinstance(shape, dict):
        return {k: account if k == "CatalogId" else _name_catalog(v, account) for k, v in shape.items()}
    if isinstance(shape, list):
        return [_name_catalog(v, account) for v in shape]
    return shape
