"""Whether the process that left a file behind still runs.

Spill folders, result temp files and write journals are named after (or record) their
writer's pid; at start, those of dead processes are removed or rolled back.
"""
from __future__ import annotations

import os


def alive(pid) -> bool:
    """Whether a process with this id runs; a zombie (killed, not yet reaped) does not."""
    if not isinstance(pid, int):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:      # someone else's process
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True
