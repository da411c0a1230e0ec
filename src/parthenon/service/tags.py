"""TagResource, UntagResource, ListTagsForResource (workgroups and data catalogs, by ARN),
and ListEngineVersions.

An Athena ARN is ``arn:aws:athena:<region>:<account>:workgroup/<name>`` or
``...:datacatalog/<name>``.  Parthenon has one region and account in effect, so any region
and account name the same resource; the type and the name must exist.  Tag rules are AWS's:
keys of 1-128 characters, values of at most 256, at most 50 tags a resource.
"""
from __future__ import annotations

import re

from .errors import InvalidRequest, ResourceNotFound
from .models import CATALOG, ENGINE_VERSION
from .paging import page
from .store import ServiceStore
from .workgroups import WorkGroups

_ARN = re.compile(r"arn:aws[\w-]*:athena:[\w-]*:\d*:(workgroup|datacatalog|capacity-reservation)/(.+)")
MAX_TAGS = 50


class Tags:
    def __init__(self, store: ServiceStore, workgroups: WorkGroups):
        self.store = store
        self.workgroups = workgroups

    def resource(self, arn: str | None) -> str:
        """The stored key of the resource an ARN names ("workgroup/primary"); errors as Athena's."""
        m = _ARN.fullmatch(arn or "")
        if not m:
            raise InvalidRequest(f"Invalid ARN: {arn!r}: expected arn:aws:athena:<region>:<account>:"
                                 "workgroup/<name> or ...:datacatalog/<name>")
        kind, name = m.groups()
        if kind == "workgroup":
            if self.store.get_workgroup(name) is None:
                raise ResourceNotFound(f"WorkGroup {name} is not found.", ResourceName=arn)
        elif kind == "datacatalog":
            if name.lower() != CATALOG.lower():
                raise ResourceNotFound(f"Catalog {name} does not exist", ResourceName=arn)
            name = CATALOG
        else:
            raise InvalidRequest("Capacity reservations are not supported by Parthenon")
        return f"{kind}/{name}"

    def put(self, resource: str, tags: list[dict] | None) -> None:
        """Add or overwrite tags (CreateWorkGroup's Tags and TagResource)."""
        checked = self.checked(tags)
        known = dict(self.store.list_tags(resource))
        if len({**known, **checked}) > MAX_TAGS:
            raise InvalidRequest(f"A resource can have at most {MAX_TAGS} tags")
        self.store.put_tags(resource, checked)

    @staticmethod
    def checked(tags: list[dict] | None) -> dict[str, str]:
        """{key: value} of a TagList, each tag within AWS's limits."""
        checked = {}
        for tag in tags or []:
            key, value = tag.get("Key"), tag.get("Value", "")
            if not isinstance(key, str) or not 1 <= len(key) <= 128:
                raise InvalidRequest(f"Invalid tag key {key!r}: 1 to 128 characters")
            if not isinstance(value, str) or len(value) > 256:
                raise InvalidRequest(f"Invalid value for tag {key}: at most 256 characters")
            if key.lower().startswith("aws:"):
                raise InvalidRequest(f"Tag keys starting with 'aws:' are reserved: {key}")
            checked[key] = value
        return checked

    def tag_resource(self, p: dict) -> dict:
        self.put(self.resource(p.get("ResourceARN")), p.get("Tags"))
        return {}

    def untag_resource(self, p: dict) -> dict:
        self.store.delete_tags(self.resource(p.get("ResourceARN")), list(p.get("TagKeys") or []))
        return {}

    def list_tags_for_resource(self, p: dict) -> dict:
        tags = [{"Key": k, "Value": v} for k, v in self.store.list_tags(self.resource(p.get("ResourceARN")))]
        if p.get("MaxResults") is not None and p["MaxResults"] < 75:
            raise InvalidRequest("MaxResults must be at least 75")
        items, extra = page(tags, p, 1000, 1000)
        return {"Tags": items, **extra}


def list_engine_versions(p: dict) -> dict:
    """The one engine Parthenon runs: Athena engine version 3 (Trino SQL)."""
    effective = ENGINE_VERSION["EffectiveEngineVersion"]
    versions = [{"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": effective},
                {"SelectedEngineVersion": effective, "EffectiveEngineVersion": effective}]
    if p.get("MaxResults") is not None and not 1 <= p["MaxResults"] <= 10:
        raise InvalidRequest("MaxResults must be between 1 and 10")
    items, extra = page(versions, p, 10, 10)
    return {"EngineVersions": items, **extra}
