"""Fixtures for the scheduler tests: a real Athena service, a fake clock, and real
receivers: an HTTP server on loopback for webhooks and an SMTP sink (aiosmtpd).

Test modules import the fixtures from here (pytest registers imported fixtures).
"""
from __future__ import annotations

import json
import socket
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from parthenon.scheduler import FakeClock, Scheduler
from parthenon.scheduler.models import hook_from_dict, schedule_from_dict
from parthenon.service import AthenaService

T0 = datetime(2017, 6, 15, 12, 0, tzinfo=timezone.utc).timestamp()   # on a 5-minute boundary


class Receiver:
    """A webhook endpoint: records every request; answers with the statuses queued in
    `statuses` (then 200)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": json.loads(body) if body else None})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                payload = b"ok" if status < 400 else b"no"
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    @property
    def bodies(self) -> list[dict]:
        return [r["body"] for r in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def service(parthenon_home):
    s = AthenaService(parthenon_home, concurrency=2)
    yield s
    s.close()


@pytest.fixture
def clock():
    return FakeClock(T0)


@pytest.fixture
def scheduler(service, clock):
    s = Scheduler(service, clock=clock, workers=4)
    yield s
    s.stop()


def add(scheduler, **doc):
    """Define a schedule (at the fake clock's now) and return it."""
    definition = schedule_from_dict(doc)
    scheduler.store.put(definition, scheduler.clock.now())
    return definition


def add_hook(scheduler, **doc):
    definition = hook_from_dict(doc)
    scheduler.store.put(definition, scheduler.clock.now())
    return definition


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def closed_url() -> str:
    """A loopback URL nobody listens on: connection refused, at once."""
    return f"http://127.0.0.1:{free_port()}/nobody"


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out waiting")
