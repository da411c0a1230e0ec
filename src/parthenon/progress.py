"""Live progress of the running query, and the bar the CLI and the shell draw from it.

The planner knows the bytes a query will read (the sizes of its scans' files) before the
engine starts; the engine counts the bytes it has read (`scanned_so_far`, the number
GetQueryExecution reports while a query runs); the session counts the rows that came
out. The bar shows them on stderr once a query has run `delay_seconds()` (one second,
or `PARTHENON_PROGRESS_DELAY` seconds):

    [########............]  41%  312 MB of 760 MB  12,480 rows  3.1 s  ~4 s left

It is drawn by the thread that waits for the statement (`cancellation.run_cancellable`)
and erased before anything else is printed, so results never mix with it. Only on a
terminal: a pipe or a file gets nothing.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, TextIO

from .output import human_bytes

DELAY_SECONDS = 1.0


def delay_seconds() -> float:
    """How long a query runs before its bar shows: `PARTHENON_PROGRESS_DELAY` seconds if
    set (a user who wants it sooner or never; tests that must not race a loaded machine),
    else DELAY_SECONDS."""
    try:
        return float(os.environ.get("PARTHENON_PROGRESS_DELAY", DELAY_SECONDS))
    except ValueError:
        return DELAY_SECONDS


@dataclass
class QueryProgress:
    """What one query has done so far (fields written by the thread running it)."""
    started: float = field(default_factory=time.monotonic)
    total_bytes: int | None = None     # None while the planner lists storage
    rows: int = 0


@dataclass(frozen=True)
class Snapshot:
    elapsed: float
    read_bytes: int
    total_bytes: int | None
    rows: int

    @property
    def fraction(self) -> float | None:
        if not self.total_bytes:
            return None
        return min(self.read_bytes / self.total_bytes, 1.0)

    def seconds_left(self) -> float | None:
        f = self.fraction
        if f is None or f <= 0 or f >= 1:
            return None
        return self.elapsed * (1 - f) / f


def render(s: Snapshot, width: int = 80) -> str:
    """One line of at most `width` characters."""
    tail = f"  {s.rows:,} rows  {_seconds(s.elapsed)}"
    if s.total_bytes is None:
        return ("planning: listing storage" + tail)[:width]
    f = s.fraction
    left = s.seconds_left()
    text = f"{human_bytes(min(s.read_bytes, s.total_bytes))} of {human_bytes(s.total_bytes)}" + tail
    if left is not None:
        text += f"  ~{_seconds(left)} left"
    if f is None:           # nothing to read (no files): no bar to fill
        return text[:width]
    percent = f"{int(f * 100):3d}%  "
    bar_width = min(30, width - len(text) - len(percent) - 3)
    if bar_width >= 10:
        filled = int(f * bar_width)
        return f"[{'#' * filled}{'.' * (bar_width - filled)}] {percent}{text}"
    return (percent + text).strip()[:width]


def _seconds(s: float) -> str:
    if s < 60:
        return f"{s:.1f} s"
    minutes, seconds = divmod(int(s), 60)
    return f"{minutes} min {seconds:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


class ProgressBar:
    """A one-line bar on a terminal stream. `tick()` redraws it from `snapshot()` (None:
    no query running); `clear()` erases it. Both are safe from any thread."""

    def __init__(self, stream: TextIO, snapshot: Callable[[], Snapshot | None]):
        self.stream = stream
        self.snapshot = snapshot
        self.delay = delay_seconds()
        self._lock = threading.Lock()
        self._shown = False

    @classmethod
    def for_stream(cls, stream: TextIO, snapshot: Callable[[], Snapshot | None],
                   quiet: bool = False) -> "ProgressBar | None":
        """A bar on `stream` if it is a terminal and the user did not ask for quiet."""
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        return cls(stream, snapshot) if tty and not quiet else None

    def tick(self) -> None:
        s = self.snapshot()
        with self._lock:
            if s is None or s.elapsed < self.delay:
                self._erase()
                return
            width = shutil.get_terminal_size((80, 24)).columns - 1
            self.stream.write("\r" + render(s, width) + "\x1b[K")
            self.stream.flush()
            self._shown = True

    def clear(self) -> None:
        with self._lock:
            self._erase()

    def _erase(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False
