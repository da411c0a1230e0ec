"""The console's live line: /console/api/progress is GetQueryExecution as the signed-in key,
plus a running query's planned bytes and rows (the numbers of the CLI's progress bar)."""
from __future__ import annotations

import json
import time

from test_console_http import request, server, sign_in  # noqa: F401


def test_a_running_query_shows_its_planned_bytes(server, tmp_path):
    data = tmp_path / "slow-data" / "part-0.json"
    data.parent.mkdir()
    data.write_text("".join(json.dumps({"k": i % 300}) + "\n" for i in range(30_000)))
    cookie, csrf = sign_in(server)
    headers = {"Cookie": cookie, "X-CSRF-Token": csrf}

    def post(path, body):
        status, _, raw = request(server, "POST", path, body, headers)
        return status, json.loads(raw)

    def run(sql):
        status, out = post("/console/api/athena/StartQueryExecution", {"QueryString": sql})
        assert status == 200, out
        return out["QueryExecutionId"]

    ddl = run(f"CREATE EXTERNAL TABLE slow (k INT) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
              f"LOCATION '{data.parent}/'")
    for _ in range(500):
        if post("/console/api/progress", {"QueryExecutionId": ddl})[1]["QueryExecution"]["Status"]["State"] \
                == "SUCCEEDED":
            break
        time.sleep(0.01)
    qid = run("SELECT count(*) FROM slow a JOIN slow b ON a.k = b.k JOIN slow c ON b.k = c.k "
              "JOIN slow d ON c.k = d.k")  # minutes: it runs until cancelled
    seen, deadline = None, time.monotonic() + 60
    while time.monotonic() < deadline:
        status, out = post("/console/api/progress", {"QueryExecutionId": qid})
        assert status == 200 and out["QueryExecution"]["Status"]["State"] in ("QUEUED", "RUNNING"), out
        if out["Progress"] is not None and out["Progress"]["PlannedBytes"] is not None:
            seen = out
            break
        time.sleep(0.02)
    assert seen is not None
    assert seen["Progress"] == {"PlannedBytes": data.stat().st_size, "Rows": 0}
    assert seen["QueryExecution"]["QueryExecutionId"] == qid
    post("/console/api/athena/StopQueryExecution", {"QueryExecutionId": qid})
    for _ in range(500):
        status, out = post("/console/api/progress", {"QueryExecutionId": qid})
        if out["QueryExecution"]["Status"]["State"] == "CANCELLED":
            break
        time.sleep(0.02)
    assert out["QueryExecution"]["Status"]["State"] == "CANCELLED" and out["Progress"] is None
    status, out = post("/console/api/progress", {"QueryExecutionId": "nope"})
    assert (status, out["__type"], out["Message"]) == (400, "ResourceNotFoundException",
                                                       "QueryExecution nope was not found")
    status, _, _ = request(server, "POST", "/console/api/progress", {"QueryExecutionId": qid},
                           {"Cookie": cookie})
    assert status == 403          # no CSRF token
