"""MSCK REPAIR TABLE's discovery: the key=value folders under a table's location.

Hive walks directories, not files: for partition keys (k1, k2) it looks for
k1=v folders under the location, then k2=v folders inside each, and every
folder at the last level is a partition (files may sit deeper inside).
Listing folder by folder (S3: `Delimiter='/'`, a page of 1000 names per
request) never enumerates the objects themselves, so a bucket with millions
of objects costs one request per thousand partition folders, and memory
holds only the partitions found.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import unquote

from .. import storage
from ..catalog.model import Table
from ..storage.location import Location

PARALLEL_LISTINGS = 16


@dataclass
class Discovery:
    found: dict[tuple[str, ...], str] = field(default_factory=dict)   # values -> folder
    folders_seen: int = 0       # every folder name the listings returned


def discover(table: Table) -> Discovery:
    """Partition folders under the table's location, in key order, with their locations.

    Folder names come from listings, so they cannot climb out; a folder that is a
    symbolic link must stay inside the table's location (storage refuses it otherwise)."""
    result = Discovery()
    base = Location.parse(table.location)
    level = [(base, ())]    # (folder, values so far)
    with ThreadPoolExecutor(max_workers=PARALLEL_LISTINGS) as pool:
        for key in table.partition_keys:
            listings = pool.map(lambda entry: list(storage.list_folders(entry[0], within=base)), level)
            deeper = []
            for (folder, values), names in zip(level, listings):
                result.folders_seen += len(names)
                for url in names:
                    name = url.rstrip("/").rsplit("/", 1)[-1]
                    # Key names match as Hive stores them (lower case): camelCase folders are not partitions.
                    if name.startswith(key.name + "=") and name != key.name + "=":
                        value = unquote(name.split("=", 1)[1])
                        deeper.append((folder.child(name), (*values, value)))
            level = deeper
    for folder, values in level:
        result.found.setdefault(values, folder.folder_text)
    return result
