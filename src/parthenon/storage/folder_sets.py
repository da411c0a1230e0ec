"""Listing many folders at once: a table's partitions.

One LIST request per partition is what a naive planner makes: a projected CloudTrail table
over 2020-01-01 to NOW lists 2,500 folders, most of them empty. S3 returns 1,000 keys a
request under any prefix, so when the folders share a prefix holding few objects, listing
that prefix once costs a request per 1,000 objects instead of one per folder.

`list_each` chooses by cost, without knowing the object count beforehand: it lists the
folders' common prefix while that costs no more rounds than listing each folder
`PARALLEL` at a time would (one page per `PARALLEL` folders), and falls back to the
parallel listing once it would. The worst case is twice the better plan's time.
An object lands in every requested folder that holds it, and the hidden-name rule is
applied relative to each folder, so the answer equals listing each folder alone.
Local folders (and buckets mapped to them) are listed one by one: a missing folder costs
a system call there, not a request.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from . import ObjectInfo, _hidden, _s3, list_objects, s3
from .location import Location

PARALLEL = 16          # folders listed at once
PAGE = 1000            # keys S3 returns a request
MIN_FOLDERS = 2 * PARALLEL    # below this, one parallel round or two: nothing to save
# kept for the process: a pool made per query started its threads every time
_pool = ThreadPoolExecutor(max_workers=PARALLEL, thread_name_prefix="parthenon-list")


class _TooMany(Exception):
    pass


def list_each(locations: "list[str | Location]", within: "str | Location | None" = None
              ) -> list[list[ObjectInfo]]:
    """The visible objects of each location (as `storage.list_objects`), in its order."""
    locs = [Location.parse(loc) for loc in locations]
    common = _common_prefix(locs) if len(locs) >= MIN_FOLDERS else None
    if common is not None:
        try:
            return _from_one_listing(common, locs, budget=max(1, len(locs) // PARALLEL) * PAGE)
        except _TooMany:
            pass
    if len(locs) <= 1 or not any(loc.is_s3 and _s3(loc.url) is s3 for loc in locs):
        # local folders: a system call each, where starting the threads cost more
        return [list_objects(loc, within=within) for loc in locs]
    return list(_pool.map(lambda loc: list_objects(loc, within=within), locs))


def _common_prefix(locs: list[Location]) -> str | None:
    """The deepest folder URL (ending '/') holding every location, when they are all on
    S3 proper in one bucket; None otherwise."""
    if not all(loc.is_s3 for loc in locs):
        return None
    if any(_s3(f"s3://{bucket}/") is not s3 for bucket in {loc.bucket for loc in locs}):
        return None     # a bucket the server maps to a local folder
    urls = [loc.folder_url for loc in locs]
    first, last = min(urls), max(urls)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    folder = first[:n].rpartition("/")[0] + "/"
    return folder if folder.count("/") >= 3 else None    # s3://bucket/ at least


def _from_one_listing(prefix: str, locs: list[Location], budget: int) -> list[list[ObjectInfo]]:
    """Each location's objects, from one listing of `prefix`; _TooMany past `budget` keys."""
    wanted: dict[str, list[int]] = {}
    for i, loc in enumerate(locs):
        wanted.setdefault(loc.folder_url, []).append(i)
    found: list[list[ObjectInfo]] = [[] for _ in locs]
    roots = [loc.url for loc in locs]
    start = len(prefix) - 1
    for seen, (url, size, version) in enumerate(s3.iter_entries(prefix), 1):
        if seen > budget:
            raise _TooMany
        slash = url.find("/", start)
        while slash != -1:       # every folder above the object, from the prefix down
            for i in wanted.get(url[:slash + 1], ()):
                if not _hidden(url[len(roots[i]):]):
                    found[i].append(ObjectInfo(url, size, version))
            slash = url.find("/", slash + 1)
    return found
