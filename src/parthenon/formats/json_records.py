"""JSON key spellings, shared by CloudTrail and the JSON SerDes.

Hive matches JSON keys to columns case-insensitively (`sourceIPAddress` fills
`sourceipaddress`); an engine's JSON reader matches keys exactly.  So a JsonRecords
scan carries the keys' real spellings (known ones, plus those seen in a sample of
the data), and the engine reads with them and renames to the Hive names
(engine/duckdb/scans/json.py).
"""
from __future__ import annotations

from typing import Iterable

import orjson


class KeySpelling:
    """Real JSON key spellings, by lower-case key path (array elements share their array's path)."""

    def __init__(self, known: dict[tuple[str, ...], str] | None = None, dots_in_keys: bool = False):
        # OpenX's dots.in.keys: a key "a.b" fills the column (or field) a_b.
        self.dots_in_keys = dots_in_keys
        self.by_path: dict[tuple[str, ...], str] = dict(known or {})
        self.by_name: dict[str, str] = {}
        for path, key in self.by_path.items():
            self.by_name.setdefault(path[-1], key)

    def learn(self, value, path: tuple[str, ...] = ()) -> None:
        """Record the keys of a sample record, recursively."""
        if isinstance(value, dict):
            for key, inner in value.items():
                lower = key.lower().replace(".", "_") if self.dots_in_keys else key.lower()
                p = (*path, lower)
                self.by_path.setdefault(p, key)
                self.by_name.setdefault(lower, key)
                self.learn(inner, p)
        elif isinstance(value, list):
            for item in value[:20]:
                self.learn(item, path)

    def spell(self, path: tuple[str, ...], name: str) -> str:
        return self.by_path.get((*path, name)) or self.by_name.get(name) or name


def learn_from_lines(spelling: KeySpelling, data: bytes, limit: int = 200) -> None:
    for line in data.splitlines()[:limit]:
        try:
            spelling.learn(orjson.loads(line))
        except orjson.JSONDecodeError:
            continue


def known_paths(names: Iterable[str]) -> dict[tuple[str, ...], str]:
    """A flat list of camelCase keys as a spelling table (path = the key alone)."""
    return {(n.lower(),): n for n in names}
