"""The scheduler's guarantees, on a fake clock and a real Athena service:
once per due time across restarts and crashes, misfire policies, failures recorded
and isolated, one leader per home, runs that are real query executions."""
from __future__ import annotations

import time

import pytest

from parthenon.scheduler import Scheduler
from parthenon.scheduler.models import hook_from_dict

from test_scheduler_support import (T0, add, add_hook, clock, closed_url, receiver,  # noqa: F401
                                    scheduler, service, wait_for)

SQL = "SELECT x, x * 100 AS count FROM UNNEST(sequence(1, 20)) AS t(x)"


def runs_of(scheduler, name):
    return list(reversed(scheduler.store.history(name, 1000)))


def test_fires_once_per_due_time_and_runs_through_the_service(scheduler, clock, service):
    add(scheduler, name="every5", schedule="rate(5 minutes)", sql=SQL)
    assert scheduler.tick(wait=True) == []                      # 12:00 was before it existed
    clock.advance(299)
    assert scheduler.tick(wait=True) == []
    clock.advance(1)                                            # 12:05:00
    [run] = scheduler.tick(wait=True)
    assert run.due == T0 + 300 and run.kind == "scheduled"
    clock.advance(30)
    assert scheduler.tick(wait=True) == []                      # 12:05 does not fire twice
    [stored] = runs_of(scheduler, "every5")
    assert stored.state == "SUCCEEDED" and stored.row_count == 20
    q = service.get_query_execution({"QueryExecutionId": stored.query_id})["QueryExecution"]
    assert q["Status"]["State"] == "SUCCEEDED" and q["Query"] == SQL
    assert stored.output_location == q["ResultConfiguration"]["OutputLocation"]
    assert stored.query_id in service.list_query_executions({})["QueryExecutionIds"]


def test_a_restart_does_not_fire_a_due_time_again(scheduler, clock, service):
    add(scheduler, name="every5", schedule="rate(5 minutes)", sql=SQL)
    clock.advance(300)
    assert len(scheduler.tick(wait=True)) == 1
    scheduler.stop()                                            # a clean stop releases the lease
    again = Scheduler(service, clock=clock)
    try:
        assert again.tick(wait=True) == []
        clock.advance(300)
        [run] = again.tick(wait=True)
        assert run.due == T0 + 600
    finally:
        again.stop()
    assert [r.due for r in runs_of(scheduler, "every5")] == [T0 + 300, T0 + 600]


def test_a_crash_after_claiming_neither_duplicates_nor_loses_the_record(scheduler, clock, service):
    add(scheduler, name="every5", schedule="rate(5 minutes)", sql=SQL)
    clock.advance(300)
    # the claim is committed, then the process dies before the run starts
    now = clock.now()
    assert scheduler.store.lead(scheduler.owner, now, scheduler.lease_ttl)
    [claimed] = scheduler.store.claim("every5", now, scheduler.owner, scheduler._decider(now))
    assert scheduler.store.get_run(claimed.id).state == "RUNNING"
    survivor = Scheduler(service, clock=clock)                  # the dead one still holds the lease
    try:
        assert survivor.tick(wait=True) == [] and not survivor.leading
        clock.advance(31)                                       # lease expired
        assert survivor.tick(wait=True) == []                   # 12:05 is not run again
        assert survivor.leading
        [run] = runs_of(survivor, "every5")
        assert run.id == claimed.id and run.state == "FAILED" and "Interrupted" in run.error
        clock.advance(300 - 31)
        [run] = survivor.tick(wait=True)
        assert run.due == T0 + 600
    finally:
        survivor.stop()


def test_one_scheduler_leads_per_home(scheduler, clock, service):
    add(scheduler, name="every5", schedule="rate(5 minutes)", sql=SQL)
    a, b = (Scheduler(service, clock=clock, lease_ttl=3600) for _ in range(2))
    try:
        assert a.tick() == [] and a.leading
        clock.advance(300)
        assert b.tick(wait=True) == [] and not b.leading
        assert len(a.tick(wait=True)) == 1
        a.stop()                                                # releases the lease
        clock.advance(300)
        assert len(b.tick(wait=True)) == 1 and b.leading
    finally:
        a.stop()
        b.stop()


def test_misfire_skip_records_missed_due_times(scheduler, clock):
    add(scheduler, name="every5", schedule="rate(5 minutes)", sql=SQL)
    add(scheduler, name="strict", schedule="rate(5 minutes)", sql=SQL, misfire_grace=30)
    clock.advance(31 * 60)                                      # down from 12:00 to 12:31
    fired = scheduler.tick(wait=True)
    assert [(r.schedule, r.due) for r in fired] == [("every5", T0 + 30 * 60)]
    history = runs_of(scheduler, "every5")
    assert [(r.kind, r.state) for r in history] == [("missed", "MISSED")] * 5 + [("scheduled", "SUCCEEDED")]
    assert [r.due for r in history] == [T0 + m * 60 for m in (5, 10, 15, 20, 25, 30)]
    assert "misfire policy skip" in history[0].note
    strict = runs_of(scheduler, "strict")
    assert len(strict) == 6 and {r.state for r in strict} == {"MISSED"}
    clock.advance(60)
    assert scheduler.tick(wait=True) == []                      # nothing is recorded twice
    assert len(runs_of(scheduler, "every5")) == 6


def test_catch_up_runs_every_missed_due_time_with_its_own_parameters(scheduler, clock, service):
    add(scheduler, name="daily", schedule="0 1 * * *", misfire="catch_up",
        sql="SELECT '{{ yesterday }}' AS day, '{{ run_time | date('%H:%M') }}' AS at")
    clock.advance(3 * 86400 + 3600 * 3)                         # 2017-06-18 15:00
    fired = scheduler.tick(wait=True)
    assert [r.kind for r in fired] == ["catch_up"] * 3
    days = []
    for run in runs_of(scheduler, "daily"):
        assert run.state == "SUCCEEDED"
        page = service.get_query_results({"QueryExecutionId": run.query_id})["ResultSet"]["Rows"]
        days.append(tuple(d["VarCharValue"] for d in page[1]["Data"]))
    assert days == [("2017-06-15", "01:00"), ("2017-06-16", "01:00"), ("2017-06-17", "01:00")]


def test_failures_are_recorded_and_never_stop_other_schedules(scheduler, clock, receiver, tmp_path):
    script = tmp_path / "fail.py"
    script.write_text("import sys; print('boom', file=sys.stderr); sys.exit(3)")
    add(scheduler, name="a-bad-query", schedule="rate(5 minutes)",
        sql="SELECT * FROM no_such_table",
        rules=[{"name": "on-failure", "when": "failed", "actions": [{"webhook": receiver.url}]}])
    add(scheduler, name="b-dead-webhook", schedule="rate(5 minutes)", sql=SQL,
        rules=[{"actions": [{"webhook": {"url": closed_url(), "attempts": 3, "backoff": 2}}]}])
    add(scheduler, name="c-failing-command", schedule="rate(5 minutes)", sql=SQL,
        rules=[{"actions": [{"command": ["python3", str(script)], "attempts": 1}]}])
    add(scheduler, name="d-bad-template", schedule="rate(5 minutes)", sql="SELECT '{{ nope }}'")
    add(scheduler, name="e-fine", schedule="rate(5 minutes)", sql=SQL,
        rules=[{"when": "count > 1800", "actions": [{"webhook": receiver.url}]}])
    clock.advance(300)
    t = clock.now()
    assert len(scheduler.tick(wait=True)) == 5
    [a] = runs_of(scheduler, "a-bad-query")
    assert a.state == "FAILED" and "TABLE_NOT_FOUND" in a.error and a.query_id
    [b] = runs_of(scheduler, "b-dead-webhook")
    assert b.state == "SUCCEEDED" and b.failed_actions == 1
    assert b.actions[0]["attempts"] == 3 and "Connection refused" in b.actions[0]["error"]
    [c] = runs_of(scheduler, "c-failing-command")
    assert c.actions[0]["ok"] is False and "exit status 3: boom" in c.actions[0]["error"]
    [d] = runs_of(scheduler, "d-bad-template")
    assert d.state == "FAILED" and "'nope' is undefined" in d.error and d.query_id is None
    [e] = runs_of(scheduler, "e-fine")
    assert e.state == "SUCCEEDED" and e.rules[0]["matching"] == 2 and e.actions[0]["ok"]
    failure_alert = next(b for b in receiver.bodies if b["source"] == "a-bad-query")
    assert failure_alert["query"]["state"] == "FAILED"
    assert "TABLE_NOT_FOUND" in failure_alert["query"]["error"]
    assert clock.now() - t >= 2 + 4                 # the dead webhook's backoff, on the fake clock


def test_a_rule_error_is_recorded_and_other_rules_still_act(scheduler, clock, receiver):
    add(scheduler, name="s", schedule="rate(5 minutes)", sql=SQL, rules=[
        {"name": "typo", "when": "cnt > 1", "actions": [{"webhook": receiver.url}]},
        {"name": "good", "when": "row_count = 20", "actions": [{"webhook": receiver.url}]}])
    clock.advance(300)
    [run] = scheduler.tick(wait=True)
    assert run.state == "SUCCEEDED"
    assert "no column 'cnt'" in run.rules[0]["error"]
    assert run.rules[1]["fired"] and [b["rule"] for b in receiver.bodies] == ["good"]


def test_paused_schedules_do_not_fire_and_resume_from_now(scheduler, clock):
    add(scheduler, name="every5", schedule="rate(5 minutes)", sql=SQL)
    scheduler.store.set_paused("every5", True, clock.now())
    clock.advance(3600)
    assert scheduler.tick(wait=True) == []
    scheduler.store.set_paused("every5", False, clock.now())
    assert scheduler.tick(wait=True) == []                      # the paused hour is not "missed"
    clock.advance(300)
    assert len(scheduler.tick(wait=True)) == 1
    assert [r.kind for r in runs_of(scheduler, "every5")] == ["scheduled"]


def test_runs_of_one_schedule_never_overlap(scheduler, clock):
    add(scheduler, name="every5", schedule="rate(5 minutes)", sql=SQL)
    clock.advance(300)
    scheduler._busy.add("every5")                               # its previous run is still going
    assert scheduler.tick(wait=True) == []
    scheduler._busy.discard("every5")
    clock.advance(60)
    assert len(scheduler.tick(wait=True)) == 1                  # 12:05, 60 s late: within grace


def test_a_query_past_the_schedule_timeout_is_cancelled(scheduler, clock, service):
    slow = ("SELECT count(*) FROM UNNEST(sequence(1, 100000)) AS a(x) "
            "CROSS JOIN UNNEST(sequence(1, 100000)) AS b(y) WHERE (x * y) % 7 = 3")
    add(scheduler, name="slow", schedule="rate(5 minutes)", sql=slow, timeout=0.5)
    clock.advance(300)
    started = time.monotonic()
    [run] = scheduler.tick(wait=True)
    assert time.monotonic() - started < 10
    [run] = runs_of(scheduler, "slow")
    assert run.state == "FAILED" and "timeout" in run.error
    state = lambda: service.get_query_execution(  # noqa: E731
        {"QueryExecutionId": run.query_id})["QueryExecution"]["Status"]["State"]
    assert wait_for(lambda: state() == "CANCELLED")


def test_run_now_uses_the_current_time_and_a_named_query(scheduler, clock, service):
    nq = service.create_named_query({"Name": "hello", "Database": "default",
                                     "QueryString": "SELECT '{{ today }}' AS d"})
    add(scheduler, name="manual", schedule="rate(1 day)", named_query="hello")
    run = scheduler.run_now("manual")
    assert run.kind == "manual" and run.state == "SUCCEEDED" and run.sql == "SELECT '2017-06-15' AS d"
    add(scheduler, name="by-id", schedule="rate(1 day)", named_query=nq["NamedQueryId"])
    assert scheduler.run_now("by-id").state == "SUCCEEDED"
    add(scheduler, name="missing", schedule="rate(1 day)", named_query="nope")
    run = scheduler.run_now("missing")
    assert run.state == "FAILED" and "No saved query 'nope'" in run.error


def test_hooks_act_on_any_finished_query(scheduler, service, receiver):
    add_hook(scheduler, name="big-results", match=r"sequence\(1, 20\)",
             rules=[{"when": "row_count >= 20", "actions": [{"webhook": receiver.url}]}])
    add_hook(scheduler, name="failures", states=["FAILED"],
             rules=[{"when": "failed", "actions": [{"webhook": receiver.url}]}])
    ok = service.start_query_execution({"QueryString": SQL})["QueryExecutionId"]
    bad = service.start_query_execution({"QueryString": "SELECT * FROM missing_table"})["QueryExecutionId"]
    other = service.start_query_execution({"QueryString": "SELECT 1"})["QueryExecutionId"]
    wait_for(lambda: len(receiver.requests) >= 2)
    assert scheduler.drain()
    by_source = {b["source"]: b for b in receiver.bodies}
    assert set(by_source) == {"big-results", "failures"}
    assert by_source["big-results"]["query"]["id"] == ok
    assert by_source["big-results"]["matching_row_count"] == 20
    assert by_source["failures"]["query"]["id"] == bad
    [hook_run] = scheduler.store.history("big-results")
    assert hook_run.kind == "hook" and hook_run.state == "SUCCEEDED" and hook_run.query_id == ok
    assert other not in {b["query"]["id"] for b in receiver.bodies}


def test_invalid_definitions_are_refused():
    from parthenon.scheduler.errors import DefinitionError
    from parthenon.scheduler.models import schedule_from_dict
    for doc, message in [
        ({"name": "x", "schedule": "rate(5 minutes)"}, "exactly one of sql"),
        ({"name": "x", "sql": "SELECT 1"}, "'schedule' is required"),
        ({"name": "x y", "schedule": "rate(5 minutes)", "sql": "SELECT 1"}, "Invalid schedule name"),
        ({"name": "x", "schedule": "rate(5 minutes)", "sql": "SELECT 1", "misfire": "later"}, "misfire"),
        ({"name": "x", "schedule": "rate(5 minutes)", "sql": "SELECT 1", "colour": 1}, "unknown keys"),
        ({"name": "x", "schedule": "rate(5 minutes)", "sql": "SELECT 1",
          "rules": [{"when": "count > (SELECT 1)"}]}, "subqueries"),
        ({"name": "x", "schedule": "rate(5 minutes)", "sql": "SELECT 1",
          "rules": [{"actions": [{"pager": "x"}]}]}, "Unknown action 'pager'"),
        ({"name": "x", "schedule": "rate(5 minutes)", "sql": "SELECT 1",
          "rules": [{"actions": [{"webhook": {"headers": {}}}]}]}, "'url' is required"),
    ]:
        with pytest.raises(DefinitionError, match=message):
            schedule_from_dict(doc)
    with pytest.raises(DefinitionError, match="at least one rule"):
        hook_from_dict({"name": "h"})
