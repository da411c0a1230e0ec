"""What each Athena action touches, as IAM sees it, and the caller's permission on it.

Athena's IAM resources are workgroups (`arn:aws:athena:<region>:<account>:workgroup/<name>`)
and data catalogs (`...:datacatalog/<name>`).  An action on a query execution, a
named query or a prepared statement is checked on the workgroup that holds it, so
a principal sees and acts only on what lives in workgroups it may use.
ListWorkGroups and ListDataCatalogs have no resource in AWS: they are allowed when
some Allow names the action, and list only what the caller may list (the action
checked on each item's ARN).  A BatchGet* naming anything in a workgroup the
caller may not use is refused as a whole, as a Get would be.
"""
from __future__ import annotations

from .policy import Principal

_BY_WORKGROUP_MEMBER = {   # actions whose request names the workgroup (`primary` when absent)
    "StartQueryExecution", "ListQueryExecutions", "CreateNamedQuery", "ListNamedQueries",
    "CreatePreparedStatement", "GetPreparedStatement", "BatchGetPreparedStatement",
    "ListPreparedStatements", "UpdatePreparedStatement", "DeletePreparedStatement",
    "GetWorkGroup", "UpdateWorkGroup", "DeleteWorkGroup",
}
_BY_EXECUTION = {"GetQueryExecution", "StopQueryExecution", "GetQueryResults",
                 "GetQueryRuntimeStatistics"}
_BY_NAMED_QUERY = {"GetNamedQuery", "UpdateNamedQuery", "DeleteNamedQuery"}
_BY_CATALOG = {"GetDataCatalog": "Name", "ListDatabases": "CatalogName", "GetDatabase": "CatalogName",
               "ListTableMetadata": "CatalogName", "GetTableMetadata": "CatalogName"}
_LISTS = {"ListWorkGroups": ("WorkGroups", "Name", "workgroup"),
          "ListDataCatalogs": ("DataCatalogsSummary", "CatalogName", "datacatalog")}


def arn(principal: Principal, kind: str, name: str) -> str:
    return f"arn:aws:athena:{principal.region}:{principal.account}:{kind}/{name}"


def _str(value, default: str = "") -> str:
    return value if isinstance(value, str) else default


def resources(service, action: str, p: dict, principal: Principal) -> list[str]:
    """The ARNs `action` touches with these members (empty: nothing found to check; the
    service then answers its own not-found error)."""
    def workgroup(name):
        return arn(principal, "workgroup", name or "primary")

    if action in _BY_WORKGROUP_MEMBER:
        return [workgroup(_str(p.get("WorkGroup")))]
    if action == "CreateWorkGroup":
        return [workgroup(_str(p.get("Name"), "?"))]
    if action in _BY_EXECUTION:
        q = service.live_or_stored(p["QueryExecutionId"]) if _str(p.get("QueryExecutionId")) else None
        return [workgroup(q.workgroup)] if q is not None else []
    if action == "BatchGetQueryExecution":
        found = (service.live_or_stored(i) for i in _ids(p.get("QueryExecutionIds")))
        return sorted({workgroup(q.workgroup) for q in found if q is not None})
    if action in _BY_NAMED_QUERY:
        nq = service.store.get_named_query(p["NamedQueryId"]) if _str(p.get("NamedQueryId")) else None
        return [workgroup(nq.workgroup)] if nq is not None else []
    if action == "BatchGetNamedQuery":
        found = (service.store.get_named_query(i) for i in _ids(p.get("NamedQueryIds")))
        return sorted({workgroup(nq.workgroup) for nq in found if nq is not None})
    if action in _BY_CATALOG:
        return [arn(principal, "datacatalog", _str(p.get(_BY_CATALOG[action]), "AwsDataCatalog"))]
    if action in ("TagResource", "UntagResource", "ListTagsForResource"):
        return [_str(p.get("ResourceARN"), "*")]
    return ["*"]


def _ids(value) -> list[str]:
    return [i for i in value if isinstance(i, str)] if isinstance(value, list) else []


def authorize(service, action: str, p: dict, principal: Principal | None) -> None:
    """AccessDenied unless the caller may perform `action` on all it touches."""
    if principal is None or principal.statements is None:      # an administrator
        return
    name = f"athena:{action}"
    if action in _LISTS:
        if not principal.may_ever(name):
            principal.require(name, "*")
        return
    for resource in resources(service, action, p, principal):
        principal.require(name, resource)


def visible(action: str, answer: dict, principal: Principal | None) -> dict:
    """A list action's answer, keeping only the items the caller may list."""
    if action not in _LISTS or principal is None or principal.statements is None:
        return answer
    key, name_key, kind = _LISTS[action]
    items = [i for i in answer.get(key, [])
             if principal.allowed(f"athena:{action}", arn(principal, kind, i.get(name_key, "")))]
    return {**answer, key: items}
