"""How much memory, how many threads and which spill folder each engine connection gets.

The budget: `parthenon serve --memory SIZE`, by default half of the memory this process
may use (physical RAM, or the cgroup's limit when lower).  Half, not DuckDB's own 80%:
that default is per database, and the server runs one database per worker, so four
workers could claim 320% of RAM; the other half is left to the OS page cache (which
serves local table files), the Python side (Arrow batches, result pages, HTTP), other
Parthenon processes on the same home, and DuckDB overshooting its limit (it bounds only
the memory its buffer manager hands out).

The engine's share of the budget is split evenly across the concurrent queries, since
each runs on its own connection.  Threads follow the CPUs this process may use, fewer
when a connection's memory would leave each thread less than MIN_THREAD_MEMORY (DuckDB
keeps per-thread hash tables and sort runs; below that it fails rather than spills).

Spill files live in `PARTHENON_HOME/tmp/<pid>-<n>/`, one folder per connection, the only
local folder the engine may open; a folder whose process is gone is an orphan from a
crash and is removed when the next engine starts.
"""
from __future__ import annotations

import itertools
import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from ..processes import alive

DEFAULT_SHARE = 0.5             # of the memory this process may use
ENGINE_SHARE = 0.75             # of the budget, split across the workers; the rest is Python's
MIN_CONNECTION_MEMORY = 64 * 2**20
MIN_THREAD_MEMORY = 256 * 2**20
SPILL_FOLDER = "tmp"

_ids = itertools.count(1)
_lock = threading.Lock()
_UNITS = {"": 1, "b": 1, "k": 2**10, "kb": 2**10, "kib": 2**10, "m": 2**20, "mb": 2**20,
          "mib": 2**20, "g": 2**30, "gb": 2**30, "gib": 2**30, "t": 2**40, "tb": 2**40,
          "tib": 2**40}


@dataclass(frozen=True)
class EngineLimits:
    """One engine connection's limits; None leaves DuckDB's default."""
    memory_bytes: int | None = None
    threads: int | None = None
    spill_root: Path | None = None      # PARTHENON_HOME/tmp; each connection takes a sub-folder

    @classmethod
    def for_budget(cls, budget: int, connections: int, home: Path | None) -> "EngineLimits":
        per = max(MIN_CONNECTION_MEMORY, int(budget * ENGINE_SHARE) // max(1, connections))
        threads = max(1, min(cpu_count(), per // MIN_THREAD_MEMORY))
        return cls(per, threads, Path(home) / SPILL_FOLDER if home else None)


def default_budget() -> int:
    return int(available_memory() * DEFAULT_SHARE)


def available_memory() -> int:
    """Physical memory, or this process's cgroup memory limit when that is lower."""
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    limit = cgroup_memory_limit()
    return min(physical, limit) if limit else physical


def cgroup_memory_limit() -> int | None:
    """The memory limit of this process's cgroup (v2 `memory.max`, v1 `memory.limit_in_bytes`)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "":
            candidates = [Path("/sys/fs/cgroup") / path.lstrip("/") / "memory.max"]
        elif "memory" in controllers.split(","):
            candidates = [Path("/sys/fs/cgroup/memory") / path.lstrip("/") / "memory.limit_in_bytes"]
        else:
            continue
        for file in candidates:
            try:
                text = file.read_text().strip()
            except OSError:
                continue
            if text.isdigit() and int(text) < 2**60:     # v1 says "no limit" with a huge number
                return int(text)
    return None


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parse_size(text: str) -> int:
    """`4GB`, `512MiB`, `1.5g`, `2147483648` or `40%` (of available memory) as bytes."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*|%)\s*", text or "")
    if m and m.group(2) == "%":
        share = float(m.group(1)) / 100
        if 0 < share <= 1:
            return int(available_memory() * share)
    elif m and m.group(2).lower() in _UNITS:
        size = int(float(m.group(1)) * _UNITS[m.group(2).lower()])
        if size > 0:
            return size
    raise ValueError(f"Invalid memory size '{text}': give bytes with a unit "
                              "(512MB, 4GB) or a share of memory (40%)")


def new_spill_folder(root: Path) -> Path | None:
    """A fresh spill folder for one connection, orphans of dead processes removed first;
    None when the home cannot hold one (read-only): the engine then runs without spilling."""
    try:
        remove_orphans(root)
        with _lock:
            folder = root / f"{os.getpid()}-{next(_ids)}"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError:
        return None


def remove_orphans(root: Path) -> None:
    """Spill folders left by processes that no longer run (a crash, a kill -9)."""
    if not root.is_dir():
        return
    for entry in root.iterdir():
        pid = entry.name.split("-", 1)[0]
        if pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def format_size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"
