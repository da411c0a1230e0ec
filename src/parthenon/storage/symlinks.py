"""SymlinkTextInputFormat: a location whose files are manifests naming the table's data files.

S3 Inventory publishes `hive/dt=YYYY-MM-DD-HH-MM/symlink.txt` beside its `data/` files, and
Delta Lake's `GENERATE symlink_format_manifest` writes `_symlink_format_manifest/.../manifest`;
a table `STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'` over
them has as rows the listed files, read with the table's SerDe.  As Hive's input format and
Trino's Hive connector (what Athena runs) read them:

- the manifests are the visible objects directly in the table's (or partition's) location:
  names starting with '_' or '.' are skipped, as every listing skips them; a sub-folder is
  no manifest (Trino fails to open it: HIVE_BAD_DATA "Error parsing symlinks from: ...");
- a manifest is UTF-8 text, one data file per line, lines ended by `\\n`, `\\r\\n` or `\\r`
  (Java's readLine); a line break at the very end makes no empty last line;
- each line is taken literally (no trimming) as a location is: `s3://bucket/key` (`s3a://`
  and `s3n://` are S3 too, as in Trino) or an absolute local path / `file://` URL.  An
  empty line fails the query as Hadoop's `new Path("")` does; a relative path or a `..`
  segment is refused as it would be in a LOCATION;
- a line naming a folder stands for the visible files under it; a file that does not
  exist fails the query (Hadoop: "Input path does not exist");
- a listed file obeys the rules a LOCATION obeys (`Rules.check_table`): `parthenon serve`
  reads local files only under its data roots and never its own files, whatever a manifest
  in a bucket or a data root says;
- only the data files are scanned: bytes scanned are theirs, the manifests are planning
  (a file listed twice gives its rows twice; the engine counts its bytes once).

The error codes and texts are Trino's (HIVE_BAD_DATA, HIVE_FILESYSTEM_ERROR with Hadoop's
"Input path does not exist", HIVE_UNKNOWN_ERROR with Hadoop's empty-Path text), each followed
by the manifest and line at fault; Athena's own wording of them is not documented.
"""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from ..errors import BadData, InvalidLocation, ParthenonError, PermissionDenied, StorageError
from . import ObjectInfo, _s3, list_objects, read_bytes, s3
from .location import Location

INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat"
PARALLEL = 16                      # data files looked up at once on S3
_LINES = re.compile(r"\r\n|\r|\n")
_S3_ALIASES = re.compile(r"s3[an]://", re.IGNORECASE)
_pool = ThreadPoolExecutor(max_workers=PARALLEL, thread_name_prefix="parthenon-symlink")


class InputPathMissing(ParthenonError):
    """A manifest names a data file that is not there."""
    code = "HIVE_FILESYSTEM_ERROR"


class EmptyPath(ParthenonError):
    code = "HIVE_UNKNOWN_ERROR"


def is_symlink_table(input_format: str | None) -> bool:
    return input_format == INPUT_FORMAT


def manifest_lines(text: str) -> list[str]:
    """The lines of a manifest, as Java's BufferedReader.readLine splits them."""
    lines = _LINES.split(text)
    if lines and lines[-1] == "":
        lines.pop()        # the break that ends the last line starts no new one
    return lines


def data_files(location: "str | Location", listed: list[ObjectInfo],
               check: Callable[["str | Location"], Location]) -> list[ObjectInfo]:
    """The data files that the manifests in `location` (`listed`: its visible objects, as
    storage lists them) name, in manifest order then line order.

    `check` is the session's `Rules.check_table`: each listed file must pass it as a
    LOCATION would."""
    return data_files_each([(location, listed)], check)[0]


def data_files_each(listings: "list[tuple[str | Location, list[ObjectInfo]]]",
                    check: Callable[["str | Location"], Location]) -> list[list[ObjectInfo]]:
    """`data_files` of many locations (a table's partitions): their manifests read, then the
    files they name looked up, `PARALLEL` at a time."""
    manifests = [(i, m.url) for i, (location, listed) in enumerate(listings)
                 for m in _manifests(Location.parse(location), listed)]
    texts = _each(lambda im: _read(listings[im[0]][0], im[1]), manifests)
    targets: list[tuple[int, Location, str]] = []   # (location's index, data file, its manifest)
    for (i, manifest), text in zip(manifests, texts):
        for number, line in enumerate(manifest_lines(text), 1):
            targets.append((i, _target(line, number, manifest, check), manifest))
    found: list[list[ObjectInfo]] = [[] for _ in listings]
    for (i, _, _), objs in zip(targets, _each(lambda t: _objects(t[1], t[2]), targets)):
        found[i].extend(objs)
    return found


def _each(function, items: list) -> list:
    return list(_pool.map(function, items)) if len(items) > 1 else [function(x) for x in items]


def _manifests(loc: Location, listed: list[ObjectInfo]) -> list[ObjectInfo]:
    """The objects of a location, which must all be directly in it."""
    for obj in listed:
        # (a link inside the location is listed by its target's path: a file, by its name)
        relative = obj.url[len(loc.folder_url):] if obj.url.startswith(loc.folder_url) else ""
        if "/" in relative:
            raise BadData(f"Error parsing symlinks from: {loc.folder_text}: {relative.split('/')[0]}/ "
                          "is a folder, not a manifest (a SymlinkTextInputFormat location holds "
                          "manifests only)")
    return listed


def _read(location: "str | Location", url: str) -> str:
    try:
        return read_bytes(url).decode("utf-8", errors="replace")
    except StorageError as e:
        raise BadData(f"Error parsing symlinks from: {Location.parse(location).folder_text}: "
                      f"{e.message}") from None


def _target(line: str, number: int, manifest: str, check) -> Location:
    where = f"line {number} of the symlink manifest {manifest}"
    if line == "":
        raise EmptyPath(f"Can not create a Path from an empty string ({where})")
    text = _S3_ALIASES.sub("s3://", line, count=1) if _S3_ALIASES.match(line) else line
    try:
        return check(text)
    except InvalidLocation as e:
        raise BadData(f"Error parsing symlinks: {where}: {e.message}") from None
    except PermissionDenied as e:
        raise PermissionDenied(f"{e.message} ({where})") from None


def _objects(target: Location, manifest: str) -> list[ObjectInfo]:
    """The file a manifest line names, or the visible files under the folder it names."""
    try:
        if target.is_s3 and _s3(target.url) is s3 and target.key:
            head = s3.head(target.url)
            if head is not None:
                return [ObjectInfo(target.url, *head)]
        found = list_objects(target)
    except PermissionDenied as e:
        raise PermissionDenied(f"{e.message} (listed in the symlink manifest {manifest})") from None
    if not found:
        raise InputPathMissing(f"Input path does not exist: {target} "
                               f"(listed in the symlink manifest {manifest})")
    return found
