"""Timing (cron, rate, EventBridge's cron(...)), misfire plans, and per-run templates."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from parthenon.scheduler import cron, templates
from parthenon.scheduler.errors import DefinitionError, SchedulerError


def ts(*args, tz=timezone.utc) -> float:
    return datetime(*args, tzinfo=tz).timestamp()


def test_rate_due_times_are_multiples_of_the_interval():
    t = cron.parse("rate(5 minutes)")
    assert t.next_after(ts(2017, 6, 15, 12, 0)) == ts(2017, 6, 15, 12, 5)
    assert t.next_after(ts(2017, 6, 15, 12, 3, 7)) == ts(2017, 6, 15, 12, 5)
    assert cron.parse("rate(1 hour)").next_after(ts(2017, 6, 15, 12, 0, 1)) == ts(2017, 6, 15, 13)
    assert cron.parse("rate(1 day)").next_after(ts(2017, 6, 15, 12)) == ts(2017, 6, 16)


@pytest.mark.parametrize("bad", ["rate(5 minute)", "rate(1 minutes)", "rate(0 minutes)",
                                 "rate(5 weeks)", "every 5 minutes", "* * *", "61 * * * *",
                                 "cron(0 12 * * ? 2030)", "cron(0 12 * *)"])
def test_invalid_expressions_are_refused(bad):
    with pytest.raises(DefinitionError):
        cron.parse(bad)


def test_unknown_time_zone_is_refused():
    with pytest.raises(DefinitionError, match="Unknown time zone"):
        cron.parse("*/5 * * * *", "Mars/Olympus")


def test_cron_in_a_time_zone_across_daylight_saving():
    paris = ZoneInfo("Europe/Paris")
    t = cron.parse("30 2 * * *", "Europe/Paris")
    # 2024-03-31 02:30 does not exist in Paris (clocks jump 02:00 -> 03:00)
    first = t.next_after(ts(2024, 3, 30, 0, 0, tz=paris))
    assert datetime.fromtimestamp(first, paris).isoformat() == "2024-03-30T02:30:00+01:00"
    due, _ = t.due_between(first, ts(2024, 4, 2, 0, 0, tz=paris))
    local = [datetime.fromtimestamp(d, paris).strftime("%m-%d %H:%M %z") for d in due]
    assert local == ["03-31 03:00 +0200", "04-01 02:30 +0200"]


def test_eventbridge_cron_form_shifts_weekday_numbers():
    # EventBridge: 2 = Monday; cron: 1 = Monday.  2017-06-15 is a Thursday.
    t = cron.parse("cron(0 12 ? * 2 *)")
    assert t.cron == "0 12 * * 1"
    assert t.next_after(ts(2017, 6, 15)) == ts(2017, 6, 19, 12)
    assert cron.parse("cron(0 12 ? * MON-FRI *)").next_after(ts(2017, 6, 16, 13)) == ts(2017, 6, 19, 12)
    assert cron.parse("cron(0 8 ? * 2#1 *)").cron == "0 8 * * 1#1"


def test_next_after_is_strictly_after_for_cron_too():
    t = cron.parse("*/5 * * * *")
    assert t.next_after(ts(2017, 6, 15, 12, 5)) == ts(2017, 6, 15, 12, 10)
    assert t.next_after(ts(2017, 6, 15, 12, 4, 59) + 0.5) == ts(2017, 6, 15, 12, 5)


def test_plan_skip_fires_the_newest_on_time_due_time_and_lists_the_missed():
    t = cron.parse("rate(5 minutes)")
    fire, missed, unlisted = cron.plan(t, ts(2017, 6, 15, 12), ts(2017, 6, 15, 12, 31), "skip", 300)
    assert fire == [ts(2017, 6, 15, 12, 30)]
    assert missed == [ts(2017, 6, 15, 12, m) for m in (5, 10, 15, 20, 25)]
    assert unlisted == 0
    fire, missed, _ = cron.plan(t, ts(2017, 6, 15, 12), ts(2017, 6, 15, 12, 31), "skip", 30)
    assert fire == [] and len(missed) == 6            # 12:30 is 60 s late: past the grace


def test_plan_catch_up_fires_every_due_time_oldest_first():
    t = cron.parse("0 1 * * *")
    fire, missed, _ = cron.plan(t, ts(2017, 6, 15), ts(2017, 6, 18, 3), "catch_up", 300)
    assert fire == [ts(2017, 6, d, 1) for d in (15, 16, 17, 18)] and missed == []
    fire, missed, _ = cron.plan(t, ts(2017, 6, 15), ts(2017, 6, 18, 3), "catch_up", 300, max_catch_up=2)
    assert fire == [ts(2017, 6, 17, 1), ts(2017, 6, 18, 1)] and len(missed) == 2


def test_a_long_outage_lists_a_bounded_number_of_misses():
    t = cron.parse("rate(1 minute)")
    fire, missed, unlisted = cron.plan(t, ts(2017, 1, 1), ts(2018, 1, 1), "skip", 300, max_missed=100)
    assert fire == [ts(2018, 1, 1)] and len(missed) == 100
    assert unlisted == 365 * 24 * 60 - 101
    t = cron.parse("* * * * *")                   # cron walks back, so it only says "more"
    fire, missed, unlisted = cron.plan(t, ts(2017, 1, 1), ts(2018, 1, 1), "skip", 300, max_missed=100)
    assert len(missed) == 100 and unlisted >= 1


def test_templates_expand_dates_of_the_run_in_its_time_zone():
    ctx = templates.context(ts(2017, 6, 15, 0, 30), "America/New_York", "s",
                            {"region": "us-east-1", "day": "{{ run_time | date('%d') }}"})
    assert ctx["run_time"].isoformat() == "2017-06-14T20:30:00-04:00"
    assert ctx["yesterday"] == date(2017, 6, 13)
    text = ("{{ yesterday }} {{ run_time | date('%Y/%m/%d') }} {{ params.day }} {{ region }} "
            "{{ run_time | shift(days=-1) | date('%d') }} {{ \"it's\" | quote }} {{ schedule }}")
    assert templates.render(text, ctx) == "2017-06-13 2017/06/14 14 us-east-1 13 'it''s' s"


def test_templates_are_strict_and_sandboxed():
    ctx = templates.context(ts(2017, 6, 15), "UTC")
    with pytest.raises(SchedulerError, match="undefined"):
        templates.render("{{ yesterdy }}", ctx)
    with pytest.raises(SchedulerError):
        templates.render("{{ ''.__class__.__mro__[1].__subclasses__() }}", ctx)
    with pytest.raises(DefinitionError):
        templates.check("{{ run_time | date('%d') ")
    assert templates.render("no braces: {x}", ctx) == "no braces: {x}"
