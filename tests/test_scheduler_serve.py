"""Schedules and hooks inside `parthenon serve`: scheduled runs are API-visible query
executions, and a hook acts on a query a boto3 client ran."""
from __future__ import annotations

import threading
import time

import boto3

from parthenon.scheduler.models import hook_from_dict, schedule_from_dict
from parthenon.scheduler.store import SchedulerStore

from test_scheduler_support import receiver, wait_for  # noqa: F401
from test_server_support import BUCKET, rows, run, stop_server


def test_the_server_runs_schedules_and_hooks(parthenon_home, s3, monkeypatch, receiver):
    from parthenon.server.serve import make_server
    monkeypatch.setenv("PARTHENON_ACCESS_KEYS", "testing:testing")
    s3.create_bucket(Bucket=BUCKET)
    parthenon_home.mkdir(parents=True, exist_ok=True)
    store = SchedulerStore(parthenon_home / "scheduler.db")
    # defined 90 s ago, so a due time has just passed when the server starts
    store.put(schedule_from_dict({
        "name": "minutely", "schedule": "rate(1 minute)", "sql": "SELECT 'tick' AS what",
        "output_location": f"s3://{BUCKET}/scheduled/"}), time.time() - 90)
    store.put(hook_from_dict({
        "name": "on-results", "match": "from_api", "rules": [{"actions": [{"webhook": receiver.url}]}]}),
        time.time())
    server = make_server("127.0.0.1", 0, home=parthenon_home, scheduler=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        athena = boto3.client("athena", endpoint_url=server.url, region_name="us-east-1")
        scheduled = wait_for(lambda: [r for r in store.history("minutely") if r.state == "SUCCEEDED"])[0]
        assert scheduled.kind == "scheduled"
        assert scheduled.query_id in athena.list_query_executions()["QueryExecutionIds"]
        assert rows(athena, scheduled.query_id) == [("what",), ("tick",)]
        assert scheduled.output_location == f"s3://{BUCKET}/scheduled/{scheduled.query_id}.csv"

        qid, q = run(athena, "SELECT 'from_api' AS source")
        assert q["Status"]["State"] == "SUCCEEDED"
        wait_for(lambda: receiver.requests)
        assert receiver.bodies[0]["query"]["id"] == qid
        assert receiver.bodies[0]["rows"] == [{"source": "from_api"}]
    finally:
        server.scheduler.stop()
        stop_server(server)
