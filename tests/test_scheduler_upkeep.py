"""Partition upkeep: the next days' CloudTrail partitions added on a schedule, a
templated layout, and MSCK for key=value folders."""
from __future__ import annotations

import json

import pytest

from conftest import CLOUDTRAIL_DDL
from parthenon.scheduler.errors import DefinitionError
from parthenon.scheduler.models import schedule_from_dict

from test_scheduler_support import add, clock, scheduler, service, wait_for  # noqa: F401


def ddl(service, sql):
    qid = service.start_query_execution({"QueryString": sql})["QueryExecutionId"]
    q = wait_for(lambda: (lambda e: e if e.state in ("SUCCEEDED", "FAILED") else None)(
        service.live_or_stored(qid)))
    assert q.state == "SUCCEEDED", q.reason
    return q


def partitions(service, table):
    return [(p.values, p.location) for p in service.catalog.list_partitions("default", table)]


def test_cloudtrail_partitions_for_today_and_tomorrow(scheduler, clock, service, tmp_path):
    trail = f"{tmp_path}/AWSLogs/123456789012/CloudTrail/"
    ddl(service, CLOUDTRAIL_DDL.format(location=trail))
    add(scheduler, name="ct-upkeep", schedule="5 0 * * *", upkeep={
        "table": "cloudtrail_logs", "layout": "cloudtrail", "regions": ["us-east-1", "eu-west-1"]})
    clock.advance(12 * 3600 + 5 * 60)                         # 2017-06-16 00:05
    [run] = scheduler.tick(wait=True)
    assert run.state == "SUCCEEDED", run.error
    assert run.sql.startswith("ALTER TABLE default.cloudtrail_logs ADD IF NOT EXISTS")
    assert partitions(service, "cloudtrail_logs") == [
        (("eu-west-1", "2017", "06", "16"), f"{trail}eu-west-1/2017/06/16/"),
        (("eu-west-1", "2017", "06", "17"), f"{trail}eu-west-1/2017/06/17/"),
        (("us-east-1", "2017", "06", "16"), f"{trail}us-east-1/2017/06/16/"),
        (("us-east-1", "2017", "06", "17"), f"{trail}us-east-1/2017/06/17/")]
    clock.advance(86400)                                      # the next day: only the 18th is new
    [run] = scheduler.tick(wait=True)
    assert run.state == "SUCCEEDED", run.error
    days = sorted({v[3] for v, _ in partitions(service, "cloudtrail_logs")})
    assert days == ["16", "17", "18"] and len(partitions(service, "cloudtrail_logs")) == 6


def test_templated_layout_with_days_back(scheduler, service, tmp_path):
    ddl(service, "CREATE EXTERNAL TABLE alb (request STRING) PARTITIONED BY (env STRING, dt STRING) "
                 "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                 f"LOCATION '{tmp_path}/alb/'")
    add(scheduler, name="alb-upkeep", schedule="rate(1 day)", upkeep={
        "table": "default.alb", "days_back": 1, "days_ahead": 0,
        "values": {"env": ["prod"], "dt": "{{ day | date('%Y-%m-%d') }}"},
        "location": str(tmp_path) + "/alb/{{ env }}/{{ day | date('%Y/%m/%d') }}/"})
    run = scheduler.run_now("alb-upkeep")
    assert run.state == "SUCCEEDED", run.error
    assert partitions(service, "alb") == [
        (("prod", "2017-06-14"), f"{tmp_path}/alb/prod/2017/06/14/"),
        (("prod", "2017-06-15"), f"{tmp_path}/alb/prod/2017/06/15/")]


def test_msck_for_key_value_layouts(scheduler, service, tmp_path):
    for dt in ("2017-06-14", "2017-06-15"):
        folder = tmp_path / "events" / f"dt={dt}"
        folder.mkdir(parents=True)
        (folder / "part.json").write_text(json.dumps({"name": dt}) + "\n")
    ddl(service, "CREATE EXTERNAL TABLE events (name STRING) PARTITIONED BY (dt STRING) "
                 "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                 f"LOCATION '{tmp_path}/events/'")
    add(scheduler, name="events-upkeep", schedule="rate(1 hour)",
        upkeep={"table": "events", "mode": "msck"})
    run = scheduler.run_now("events-upkeep")
    assert run.state == "SUCCEEDED", run.error
    assert run.sql == "MSCK REPAIR TABLE default.events"
    assert [v for v, _ in partitions(service, "events")] == [("2017-06-14",), ("2017-06-15",)]


def test_upkeep_errors(scheduler, service):
    add(scheduler, name="no-table", schedule="rate(1 day)",
        upkeep={"table": "missing", "layout": "cloudtrail", "regions": ["us-east-1"]})
    run = scheduler.run_now("no-table")
    assert run.state == "FAILED" and "does not exist" in run.error
    for spec, message in [({"layout": "cloudtrail"}, "'table' is required"),
                          ({"table": "t", "layout": "cloudtrail"}, "needs 'regions'"),
                          ({"table": "t"}, "give 'values'"),
                          ({"table": "t", "mode": "drop"}, "mode is"),
                          ({"table": "t", "layout": "cloudtrail", "regions": ["x"], "days_ahead": -1},
                           "days_ahead")]:
        with pytest.raises(DefinitionError, match=message):
            schedule_from_dict({"name": "u", "schedule": "rate(1 day)", "upkeep": spec})
