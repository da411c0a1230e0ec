"""Bytes a running Spark query has read so far, reported live by its scan tasks.

On Spark Connect the scans' bytes reach the client only with the result's end (observed
metrics: Connect has no accumulators); on a classic master a task's accumulator reaches the
driver only when the task ends (a task reads up to ~128 MB).  Spark's own task metrics do
not see them: a scan is Parthenon's reader in a Python `mapInArrow` over `spark.range`,
which reads no Spark input (its stages report 0 input bytes).  So while it reads, each scan
task sends its bytes by object so far, a few times a second and once at its end, in UDP
datagrams to a listener of the Parthenon process (`Listener`): on a classic master bound to
the driver's address (`spark.driver.host`, which executors reach anyway), on Spark Connect
to the local address that routes to the Connect server (where the executors are, or near
it).  GetQueryExecution reads them while the query runs (`SparkQuery.bytes_by_object`).

Fire and forget, on purpose: each report holds the task's whole count so far, so a lost
datagram is made up by the next; executors that cannot reach the listener (a firewall)
only leave the live figure behind; a task never waits or fails for it, and
the query's final Data scanned still comes from the observations, exact.  Each query has a
key of its own with a random part, so that a stray or forged datagram counts for no query.
"""
from __future__ import annotations

import dataclasses
import json
import secrets
import socket
import threading
import time

from .reading import merged

REPORT_SECONDS = 0.25         # how often a reading task reports (and once more at its end)
_DATAGRAM_BYTES = 8000        # a report of many objects is split into datagrams of about this


class Listener:
    """The Parthenon process's end: the latest bytes by object of each open query key,
    received on `host` (an address of this machine)."""

    def __init__(self, host: str):
        family, _, _, _, address = socket.getaddrinfo(host, 0, type=socket.SOCK_DGRAM)[0]
        local = address[0]
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        try:        # room for a burst of reports (the kernel may cap it lower)
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        except OSError:
            pass
        self.sock.bind((local, 0))
        self.address: tuple[str, int] = self.sock.getsockname()[:2]
        self._lock = threading.Lock()
        self._counts: dict[str, dict[str, int]] = {}
        self._closed = False
        threading.Thread(target=self._receive, name="parthenon-spark-bytes", daemon=True).start()

    def open(self, tag: str) -> "Reporter":
        """A key for one query, and what its tasks report to."""
        key = f"{tag}-{secrets.token_hex(8)}"
        with self._lock:
            self._counts[key] = {}
        return Reporter(self.address[0], self.address[1], key)

    def so_far(self, key: str) -> dict[str, int]:
        with self._lock:
            return dict(self._counts.get(key) or {})

    def forget(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)

    def close(self) -> None:
        self._closed = True
        self.sock.close()

    def _receive(self) -> None:
        while not self._closed:
            try:
                data = self.sock.recv(65536)
                report = json.loads(data)
                key, counts = report["k"], report["b"]
                counts = {str(url): int(n) for url, n in counts.items()}
            except OSError:             # closed
                return
            except (ValueError, KeyError, TypeError, AttributeError):   # not one of ours
                continue
            with self._lock:
                if key in self._counts:         # a task's counts only grow: keep the largest
                    self._counts[key] = merged([self._counts[key], counts])


def route_to(host: str, port: int) -> str:
    """The local address this machine sends from toward host:port."""
    family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
    with socket.socket(family, socket.SOCK_DGRAM) as probe:
        probe.connect(address)              # no packet sent: picks the outgoing interface
        return probe.getsockname()[0]


@dataclasses.dataclass(frozen=True)
class Reporter:
    """The tasks' end (pickled with the scan's ReadJob): where to send, under which key."""
    host: str
    port: int
    key: str

    def sender(self) -> "_Sender":
        return _Sender(self)


class _Sender:
    """One task's reports: at most every REPORT_SECONDS, and always when asked to (its end)."""

    def __init__(self, reporter: Reporter):
        self.reporter, self.last = reporter, 0.0
        self.sock = None

    def maybe(self, counts_of) -> None:
        if time.monotonic() - self.last >= REPORT_SECONDS:
            self.now(counts_of)

    def now(self, counts_of) -> None:
        self.last = time.monotonic()
        try:
            counts = dict(counts_of())
        except RuntimeError:        # the reader's counts grew while copied: the next report
            return
        try:
            if self.sock is None:
                family = socket.getaddrinfo(self.reporter.host, self.reporter.port,
                                            type=socket.SOCK_DGRAM)[0][0]
                self.sock = socket.socket(family, socket.SOCK_DGRAM)
            for chunk in _chunks(counts):
                self.sock.sendto(json.dumps({"k": self.reporter.key, "b": chunk}).encode(),
                                 (self.reporter.host, self.reporter.port))
        except OSError:             # unreachable, no route: the live figure waits for the end
            pass

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()


def _chunks(counts: dict[str, int]):
    chunk: dict[str, int] = {}
    size = 0
    for url, n in counts.items():
        if chunk and size + len(url) + 24 > _DATAGRAM_BYTES:
            yield chunk
            chunk, size = {}, 0
        chunk[url] = n
        size += len(url) + 24
    if chunk:
        yield chunk
