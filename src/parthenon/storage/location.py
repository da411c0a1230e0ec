"""A location, parsed once: an S3 URL or a local path, and the rules that keep reads inside it.

Every place that takes a location from a user (CREATE TABLE / ADD PARTITION LOCATION,
projection templates, MSCK, OutputLocation, a workgroup's output, the scheduler's write
action) parses it here, so the accepted forms and their errors are written once:

- `s3://bucket/key/` (scheme in any case); the key is kept literally, as S3 keys are;
- an absolute path `/abs/path/`, taken literally (no percent decoding);
- `file:///abs/path/`, `file:/abs/path` or `file://localhost/abs/path`, percent-decoded
  as a URL is; `file://relative/dir/` names a host, not a folder, and is refused;
- trailing slashes do not matter (a location is a folder, or a single local file);
  local paths lose empty and `.` segments;
- a `..` segment is refused everywhere (after decoding): a location never climbs out
  of the folder it names, so a partition value or projection value cannot either.

`Rules` decides which parsed locations a Session or service may read and write: none
restricted for the local user (CLI, `parthenon.connect()`), data roots and result roots
for `parthenon serve`.  `Rules.check_table` and `Rules.check_output` are the only
owners of those decisions.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import quote, unquote

from ..errors import InvalidLocation, ParthenonError, PermissionDenied

_FORMS = "use s3://bucket/prefix/, file:///abs/path/ or an absolute path"
_S3 = re.compile(r"s3://", re.IGNORECASE)
_FILE = re.compile(r"file:", re.IGNORECASE)
_URL_SAFE = "/=:@!$&'()*+,;~"     # kept as they are when a file:// URL is written back
_BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_CONTROL = re.compile(r"[\x00-\x1f]")    # a regex: planning parses a location per partition


class InvalidPartitionValue(ParthenonError):
    """A partition value that would put its partition outside the table's location."""
    code = "HIVE_INVALID_PARTITION_VALUE"


def hidden_name(name: str) -> bool:
    """Athena skips objects whose name, or a folder's name below the location, starts so."""
    return name[:1] in ("_", ".")


@dataclass(frozen=True)
class Location:
    bucket: str | None     # None: a local path
    key: str               # S3: key prefix, no trailing '/'; local: absolute path, no trailing '/'
    file_url: bool = field(default=False, compare=False)   # written as file://: echoed that way

    # -- parsing
    @classmethod
    def parse(cls, text: "str | Location") -> "Location":
        """The location `text` names; InvalidLocation (Athena's HIVE_INVALID_METADATA) if none."""
        if isinstance(text, Location):
            return text
        if not isinstance(text, str) or _CONTROL.search(text):
            raise InvalidLocation(f"Invalid location {text!r}: {_FORMS}")
        if _S3.match(text):
            bucket, _, key = text[5:].partition("/")
            if not _BUCKET.fullmatch(bucket):
                raise InvalidLocation(f"Invalid location '{text}': {_FORMS}")
            key = key.rstrip("/")
            _refuse_climbing(text, key.split("/"))
            return cls(bucket, key)
        if _FILE.match(text):
            return cls(None, _local_path(text, _file_url_path(text)), file_url=True)
        if text.startswith("/"):
            return cls(None, _local_path(text, text))
        raise InvalidLocation(f"Invalid location '{text}': {_FORMS}")

    # -- what it is
    @property
    def is_s3(self) -> bool:
        return self.bucket is not None

    @property
    def path(self) -> str:
        """The local path (local locations only)."""
        assert self.bucket is None, "an S3 location has no local path"
        return self.key

    @property
    def url(self) -> str:
        """What storage lists and reads: `s3://bucket/key` or `/abs/path`."""
        return f"s3://{self.bucket}/{self.key}" if self.is_s3 else self.key

    @property
    def folder_url(self) -> str:
        return self.url if self.url.endswith("/") else self.url + "/"

    def __str__(self) -> str:
        """The location as the user wrote it, normalised (file:// URLs stay URLs)."""
        return "file://" + quote(self.key, safe=_URL_SAFE) if self.file_url else self.url

    @property
    def folder_text(self) -> str:
        text = str(self)
        return text if text.endswith("/") else text + "/"

    # -- relations
    def child(self, relative: str) -> "Location":
        """`relative` (one or more '/'-separated names) below this location; never above it."""
        parts = [p for p in relative.split("/") if p and (self.is_s3 or p != ".")]
        _refuse_climbing(relative, parts)
        if not parts:
            return self
        base = self.key.rstrip("/")
        key = f"{base}/{'/'.join(parts)}" if base or not self.is_s3 else "/".join(parts)
        return Location(self.bucket, key, self.file_url)

    def within(self, other: "Location") -> bool:
        """This location is `other` or lies under it (whole names only: /a/bc is not in /a/b)."""
        if self.bucket != other.bucket:
            return False
        mine, theirs = self.key.rstrip("/"), other.key.rstrip("/")
        if not theirs:     # the local root or a whole bucket
            return True
        return mine == theirs or mine.startswith(theirs + "/")

    def folder_prefixes(self) -> list["Location"]:
        """This location and every folder above it, nearest first (ending with / or the bucket)."""
        parts = self.key.strip("/").split("/") if self.key.strip("/") else []
        lead = "" if self.is_s3 else "/"
        keys = [lead + "/".join(parts[:i]) for i in range(len(parts), 0, -1)] + [lead]
        return [Location(self.bucket, k) for k in keys]


def _file_url_path(text: str) -> str:
    rest = text[5:]
    if rest.startswith("//"):
        host, slash, path = rest[2:].partition("/")
        if host.lower() not in ("", "localhost"):
            raise InvalidLocation(
                f"Invalid location '{text}': a file:// URL needs an absolute path, as in "
                f"file:///abs/path/ ('{host}' would be a host name, not a folder)")
        rest = slash + path
    if not rest.startswith("/"):
        raise InvalidLocation(f"Invalid location '{text}': {_FORMS}")
    path = unquote(rest)
    if "\0" in path:
        raise InvalidLocation(f"Invalid location {text!r}: {_FORMS}")
    return path


def _local_path(text: str, path: str) -> str:
    parts = [p for p in path.split("/") if p and p != "."]
    _refuse_climbing(text, parts)
    return "/" + "/".join(parts)


def _refuse_climbing(text: str, parts: list[str]) -> None:
    if ".." in parts:
        raise InvalidLocation(f"Invalid location '{text}': '..' segments are not allowed "
                              "in a location")


def parse_folder(text: str) -> str:
    """A folder location as written, normalised, with its trailing slash (OutputLocation)."""
    return Location.parse(text).folder_text


# -- which locations may be read and written ---------------------------------------------------

def real(path: str | Path) -> str:
    """A local path with every symbolic link resolved (the path need not exist)."""
    return os.path.realpath(path)


def inside(path: str, folder: str) -> bool:
    """Both real paths: `path` is `folder` or below it."""
    folder = folder.rstrip("/")
    return path == folder or path.startswith(folder + "/") or folder == ""


def _overlap(a: str, b: str) -> bool:
    return inside(a, b) or inside(b, a)


@dataclass(frozen=True)
class Rules:
    """Which locations tables may read and results may be written to.

    `data_roots` None: any local path (the local user's own CLI and connect());
    a tuple (possibly empty): only under those folders, as `parthenon serve` allows.
    `result_roots` likewise for local OutputLocations; what lies inside a result root is the
    server's own output (query results, and CTAS tables without external_location, as Athena
    puts them under the query's result folder) and may be read as a table, but a table may
    not hold a whole result root. `private` paths (PARTHENON_HOME, the server's keys, policy
    and config files) are never table data, whatever the data roots say.
    """
    data_roots: tuple[str, ...] | None = None
    result_roots: tuple[str, ...] | None = None
    private: tuple[str, ...] = ()

    @classmethod
    def server(cls, data_roots: Iterable[str | Path], result_roots: Iterable[str | Path],
               private: Iterable[str | Path]) -> "Rules":
        return cls(tuple(real(p) for p in data_roots), tuple(real(p) for p in result_roots),
                   tuple(real(p) for p in private))

    @property
    def confined(self) -> bool:
        return self.data_roots is not None

    def check_table(self, location: "str | Location") -> Location:
        """The parsed location, if a table (or partition) may read it; PERMISSION_DENIED if not."""
        loc = Location.parse(location)
        if not self.confined or loc.is_s3:
            return loc
        path = real(loc.path)
        if any(inside(path, results) and path != results for results in self.result_roots or ()):
            return loc      # the server's own output: CTAS tables land in <results>/tables/<id>/
        for secret in self.private:
            if _overlap(path, secret):
                raise PermissionDenied(f"Access Denied: location '{location}' holds or lies inside "
                                       "this server's own files (PARTHENON_HOME, keys, configuration)")
        for results in self.result_roots or ():
            if inside(results, path):
                raise PermissionDenied(f"Access Denied: location '{location}' holds the result "
                                       f"folder {results}/")
        if not any(inside(path, root) for root in self.data_roots):
            roots = ", ".join(r + "/" for r in self.data_roots) or \
                "none: give parthenon serve --data-root DIR"
            raise PermissionDenied(f"Access Denied: location '{location}' is outside this server's "
                                   f"data roots ({roots})")
        return loc

    def check_output(self, location: "str | Location",
                     table_holding: Callable[[Location], str | None]) -> Location:
        """The parsed output folder, if results may be written there; PERMISSION_DENIED if not.

        `table_holding(loc)` names a table whose data would include `loc` (or None): results
        written there would become rows of that table."""
        loc = Location.parse(location)
        if not self.confined:
            return loc
        if not loc.is_s3:
            path = real(loc.path)
            if not any(inside(path, root) for root in self.result_roots or ()):
                roots = ", ".join(r + "/" for r in self.result_roots or ()) or "none"
                raise PermissionDenied(f"Access Denied: output location '{location}' is outside "
                                       f"this server's result roots ({roots}); use one of them "
                                       "or an s3:// location")
        table = table_holding(loc)
        if table is not None:
            raise PermissionDenied(f"Access Denied: output location '{location}' lies inside "
                                   f"the location of table {table}: its results would become "
                                   "rows of that table")
        return loc


FREE = Rules()    # the local user's own session: only the parsing, `..` and symlink rules
