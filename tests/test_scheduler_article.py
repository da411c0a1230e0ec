"""The article, end to end, proactive half: CloudTrail logs for two days, partitions
added by an upkeep job, the "top callers" query every 5 minutes for the current day,
a rule `count > 1000`, and a webhook that receives the autoscaler's ARN as the top row.

Everything is real except time: the generator's gzip files as CloudTrail lays them
out, the Athena service running the queries (ids, history, result CSVs), the
definitions applied from YAML, and an HTTP receiver on loopback.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parthenon.demo.cloudtrail_table import CLOUDTRAIL_DDL, SEED_QUERY
from parthenon.demo.generator import CULPRIT_EVENT_NAME, generate
from parthenon.scheduler import FakeClock, Scheduler
from parthenon.scheduler.definitions import apply

from test_scheduler_support import receiver, service, wait_for  # noqa: F401

ACCOUNT = "123456789012"
PREDICATES = ("\n  AND region = '{{ region }}' AND year = '{{ run_time | date('%Y') }}'"
              " AND month = '{{ run_time | date('%m') }}' AND day = '{{ run_time | date('%d') }}'")
DEFINITIONS = """
schedules:
  - name: cloudtrail-partitions
    description: the daily ALTER TABLE ADD PARTITION chore, done five minutes ahead
    cron: "55 23 * * *"
    misfire: catch_up
    upkeep: {{table: cloudtrail_logs, layout: cloudtrail, regions: [us-east-1], days_ahead: 1}}
  - name: top-callers
    description: who is burning our API rate limit?
    schedule: rate(5 minutes)
    parameters: {{region: us-east-1}}
    sql: |
{sql}
    rules:
      - name: rate-limit-burner
        when: count > 1000
        top: 5
        actions:
          - webhook: {url}
"""


def at(*args) -> float:
    return datetime(*args, tzinfo=timezone.utc).timestamp()


@pytest.fixture(scope="module")
def trail(tmp_path_factory):
    """Two days in us-east-1, large enough that the culprit passes 1000 throttles a day."""
    root = tmp_path_factory.mktemp("trail")
    stats = generate(root, account=ACCOUNT, regions=("us-east-1",), days=2,
                     target_bytes=96 * 2**20, workers=2)
    for day in ("15", "16"):
        assert stats.top_throttled("us-east-1", ("2017", "06", day), 1)[0][3] > 1000
        assert stats.top_throttled("us-east-1", ("2017", "06", day), 2)[1][3] < 1000
    return root, stats


def test_the_article_end_to_end(trail, service, receiver, tmp_path):
    root, stats = trail
    location = f"{root}/AWSLogs/{ACCOUNT}/CloudTrail/"
    qid = service.start_query_execution({"QueryString": CLOUDTRAIL_DDL.format(location=location)})
    assert wait_for(lambda: service.live_or_stored(qid["QueryExecutionId"]).state == "SUCCEEDED")

    clock = FakeClock(at(2017, 6, 14, 23, 50))
    scheduler = Scheduler(service, clock=clock)
    try:
        sql = SEED_QUERY.format(predicates=PREDICATES)
        path = tmp_path / "proactive.yaml"
        path.write_text(DEFINITIONS.format(sql="\n".join("      " + line for line in sql.splitlines()),
                                           url=receiver.url))
        assert [r[2] for r in apply(scheduler.store, path, clock.now())] == ["created", "created"]

        # 23:55 on the 14th: the upkeep adds the 14th and the 15th; nothing throttled yet
        clock.advance(5 * 60)
        assert {r.schedule for r in scheduler.tick(wait=True)} == {"cloudtrail-partitions", "top-callers"}
        assert [p.values[3] for p in service.catalog.list_partitions("default", "cloudtrail_logs")] == ["14", "15"]
        assert receiver.requests == []

        # noon on the 15th: the scheduler was away since 23:55, so the misses are recorded
        # and the noon run fires: the culprit crosses the threshold
        clock.advance(12 * 3600 + 5 * 60)
        [run] = scheduler.tick(wait=True)
        assert (run.schedule, run.kind, run.state) == ("top-callers", "scheduled", "SUCCEEDED")
        history = scheduler.store.history("top-callers", 1000)
        missed = [r for r in history if r.state == "MISSED"]        # 00:00 .. 11:55: 144
        assert len(missed) == 100 and "44 earlier due time(s) missed too" in missed[-1].note
        [alert] = receiver.bodies
        culprit = stats.top_throttled("us-east-1", ("2017", "06", "15"), 1)[0]
        assert alert["rows"][0] == {"eventname": CULPRIT_EVENT_NAME, "arn": stats.culprit_arn,
                                    "sourceipaddress": stats.culprit_ip, "count": culprit[3]}
        assert alert["matching_row_count"] == 1 and alert["rows"][0]["count"] > 1000
        assert stats.culprit_arn in alert["text"] and "assumed-role/eks-cluster-autoscaler" in alert["text"]
        assert "day = '15'" in alert["query"]["sql"] and alert["query"]["id"] == run.query_id
        assert alert["query"]["statistics"]["data_scanned_bytes"] > 0
        # the whole result is where the alert says, as Athena writes it
        assert service.get_query_results({"QueryExecutionId": run.query_id})["ResultSet"]["Rows"][1][
            "Data"][1]["VarCharValue"] == stats.culprit_arn
        assert run.output_location == alert["query"]["output_location"]

        # 23:55 on the 15th: the upkeep adds the 16th ahead of time
        clock.advance(11 * 3600 + 55 * 60)
        fired = scheduler.tick(wait=True)
        assert {r.schedule for r in fired} == {"cloudtrail-partitions", "top-callers"}
        assert [p.values[3] for p in service.catalog.list_partitions("default", "cloudtrail_logs")] == ["14", "15", "16"]

        # noon on the 16th: the query follows the calendar
        clock.advance(12 * 3600 + 5 * 60)
        [run] = scheduler.tick(wait=True)
        last = receiver.bodies[-1]
        assert "day = '16'" in last["query"]["sql"]
        assert last["rows"][0]["arn"] == stats.culprit_arn
        assert last["rows"][0]["count"] == stats.top_throttled("us-east-1", ("2017", "06", "16"), 1)[0][3]
        assert len(receiver.requests) == 3
        upkeep = scheduler.store.history("cloudtrail-partitions")
        assert [r.state for r in upkeep] == ["SUCCEEDED", "SUCCEEDED"]
    finally:
        scheduler.stop()
