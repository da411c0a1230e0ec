"""live_bytes.py on its own (no Spark): a scan task's reports of its bytes by object so far
reach the listener under its query's key, split into datagrams when large, only growing;
what is not a report of an open query counts for none."""
from __future__ import annotations

import socket
import time

from parthenon.engine.spark.connection import connect_address
from parthenon.engine.spark.live_bytes import Listener, route_to


def arrived(listener, key, expected, send, within=30.0):
    """Sends the report, again every 0.1 s as a reading task does (a datagram may be lost),
    until the listener has `expected` (or `within` s pass: a bound, not a measure)."""
    deadline = time.monotonic() + within
    while listener.so_far(key) != expected and time.monotonic() < deadline:
        send()
        time.sleep(0.1)
    return listener.so_far(key)


def test_reports_reach_their_query_and_only_grow():
    assert connect_address("sc://127.0.0.1:15010/;user_id=x") == ("127.0.0.1", 15010)
    assert connect_address("sc://localhost") == ("localhost", 15002)
    listener = Listener(route_to(*connect_address("sc://127.0.0.1:15002")))
    try:
        assert listener.address[0] == "127.0.0.1"     # the address that routes to the server
        reporter = listener.open("parthenon-1")
        assert reporter.key.startswith("parthenon-1-") and len(reporter.key) > len("parthenon-1-") + 8
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stray:
            stray.sendto(b"not json", listener.address)
            stray.sendto(b'{"k": "parthenon-1-guess", "b": {"s3://x": 99}}', listener.address)
        sender = reporter.sender()
        assert arrived(listener, reporter.key, {"file:///a.json": 10, "file:///b.json": 20},
                       lambda: sender.now(lambda: {"file:///a.json": 10, "file:///b.json": 20})) == \
            {"file:///a.json": 10, "file:///b.json": 20}
        assert listener.so_far("parthenon-1-guess") == {}
        # a task's count of an object never goes down (a late datagram of an earlier report)
        assert arrived(listener, reporter.key, {"file:///a.json": 10, "file:///b.json": 20,
                                                "file:///c.json": 1},
                       lambda: sender.now(lambda: {"file:///a.json": 5, "file:///c.json": 1})) == \
            {"file:///a.json": 10, "file:///b.json": 20, "file:///c.json": 1}
        # many objects: several datagrams, every object counted
        many = {f"s3://bucket/AWSLogs/{'x' * 80}/{n:05}.json.gz": n for n in range(3000)}
        assert arrived(listener, reporter.key, {"file:///a.json": 10, "file:///b.json": 20,
                                                "file:///c.json": 1, **many},
                       lambda: sender.now(lambda: many)) == \
            {"file:///a.json": 10, "file:///b.json": 20, "file:///c.json": 1, **many}
        sender.close()
        listener.forget(reporter.key)
        assert listener.so_far(reporter.key) == {}
    finally:
        listener.close()


def test_a_sender_that_cannot_reach_the_listener_does_not_fail_its_task():
    listener = Listener("127.0.0.1")
    reporter = listener.open("parthenon-2")
    listener.close()                        # nobody listens any more
    sender = reporter.sender()
    sender.now(lambda: {"file:///a.json": 1})        # no error: the live figure waits
    sender.maybe(lambda: {"file:///a.json": 2})      # within REPORT_SECONDS: not sent again
    sender.close()
