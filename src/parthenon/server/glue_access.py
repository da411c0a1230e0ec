"""What a Glue action touches, as IAM sees it, and the caller's permission on it.

Glue's IAM resources are the catalog, its databases and their tables:
`arn:aws:glue:<region>:<account>:catalog`, `...:database/<db>`, `...:table/<db>/<table>`.
As in AWS, an action on a table needs the permission on the catalog, the database
and the table; on a database, on the catalog and the database.  The Glue JSON API's
handler calls `authorize(action, members, principal)` before the action runs.
"""
from __future__ import annotations

from .policy import Principal


def arn(principal: Principal, *path: str) -> str:
    return f"arn:aws:glue:{principal.region}:{principal.account}:{'/'.join(path)}"


def _name(value) -> str | None:
    return value if isinstance(value, str) and value else None


def resources(action: str, p: dict, principal: Principal) -> list[str]:
    out = [arn(principal, "catalog")]
    database = _name(p.get("DatabaseName")) or _name((p.get("DatabaseInput") or {}).get("Name")
                                                     if isinstance(p.get("DatabaseInput"), dict) else None)
    if database is None and "Database" in action:       # GetDatabase, DeleteDatabase: `Name`
        database = _name(p.get("Name"))
    if database is None:
        return out
    out.append(arn(principal, "database", database))
    tables: list[str] = []
    if "Table" in action or "Partition" in action or "Column" in action:
        table_input = p.get("TableInput") if isinstance(p.get("TableInput"), dict) else {}
        one = _name(p.get("TableName")) or _name(table_input.get("Name")) or \
            (_name(p.get("Name")) if "Database" not in action else None)
        many = p.get("TablesToDelete")
        if one:
            tables = [one]
        elif isinstance(many, list):
            tables = [t for t in many if _name(t)]
        elif action in ("GetTables", "SearchTables", "GetTableVersions"):
            tables = ["*"]
    return out + [arn(principal, "table", database, t) for t in tables]


def authorize(action: str, p: dict, principal: Principal | None) -> None:
    """AccessDenied unless the caller may perform glue:`action` on all it touches."""
    if principal is None or principal.statements is None:      # an administrator
        return
    for resource in resources(action, p, principal):
        principal.require(f"glue:{action}", resource)
