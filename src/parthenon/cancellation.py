"""Ctrl-C in the CLI and the shell: stop the running query at once.

Python runs a signal handler only on the main thread, and only between bytecodes:
while the main thread sits inside the engine, Ctrl-C waits for the engine to return
(seconds to minutes on a join).  So the statements run on a worker thread and the
main thread only waits; Ctrl-C then reaches it at once and interrupts the engine and
its read-ahead (`Engine.interrupt`).  The engine drops an interrupt that arrives
before it starts a query (while the planner lists files), so it is repeated until
the worker lets go.
"""
from __future__ import annotations

import threading
from typing import Callable

from .errors import QueryCancelled

CANCELLED_MESSAGE = "Query cancelled."
REPEAT_SECONDS = 0.05
TICK_SECONDS = 0.2


def run_cancellable(work: Callable[[], None], interrupt: Callable[[], None],
                    give_up_after: float | None = None,
                    tick: Callable[[], None] | None = None) -> None:
    """Run `work()` on a worker thread; its exception, if any, is raised here.
    On Ctrl-C, call `interrupt()` until the worker ends (or `give_up_after` seconds,
    for a process about to exit), then raise QueryCancelled. While waiting, `tick()`
    is called every TICK_SECONDS (a progress bar's redraw)."""
    failure: list[BaseException] = []
    # An Event, not Thread.join: a join that Ctrl-C interrupts can leave the thread
    # reporting itself finished while it still runs (Python 3.11).
    done = threading.Event()

    def target():
        try:
            work()
        except BaseException as e:      # noqa: BLE001 - handed to the waiting thread
            failure.append(e)
        finally:
            done.set()
    threading.Thread(target=target, name="parthenon-statement", daemon=True).start()
    try:
        while not done.wait(TICK_SECONDS):
            if tick is not None:
                tick()
    except KeyboardInterrupt:
        waited = 0.0
        while not done.is_set() and (give_up_after is None or waited < give_up_after):
            interrupt()
            done.wait(REPEAT_SECONDS)
            waited += REPEAT_SECONDS
        raise QueryCancelled(CANCELLED_MESSAGE) from None
    if failure:
        raise failure[0]
