"""Definitions files (YAML) applied idempotently, and the `parthenon schedule` commands."""
from __future__ import annotations

import json

import pytest

from parthenon.cli import main
from parthenon.scheduler.definitions import apply
from parthenon.scheduler.errors import DefinitionError
from parthenon.scheduler.store import SchedulerStore

FILE = """
schedules:
  - name: top-callers
    schedule: rate(5 minutes)
    description: who is burning our API rate limit
    sql: |
      SELECT x AS n FROM UNNEST(sequence(1, {{ params.count }})) AS t(x)
    parameters: {count: 3}
    rules:
      - name: many
        when: row_count > 2
        actions:
          - webhook: http://127.0.0.1:9/hook
            attempts: 1
  - name: nightly
    cron: "0 2 * * *"
    timezone: Europe/Paris
    misfire: catch_up
    enabled: false
    sql: SELECT 1
hooks:
  - name: failures
    states: [FAILED]
    rules: [{when: failed, actions: [{email: oncall@example.com}]}]
"""


@pytest.fixture
def store(parthenon_home):
    parthenon_home.mkdir(parents=True, exist_ok=True)
    return SchedulerStore(parthenon_home / "scheduler.db")


def test_apply_is_idempotent(store, tmp_path):
    path = tmp_path / "schedules.yaml"
    path.write_text(FILE)
    assert apply(store, path, 1000.0) == [("schedule", "top-callers", "created"),
                                          ("schedule", "nightly", "created"),
                                          ("hook", "failures", "created")]
    before = [(e.name, e.updated, e.last_due) for e in store.list()]
    assert [r[2] for r in apply(store, path, 2000.0)] == ["unchanged"] * 3
    assert [(e.name, e.updated, e.last_due) for e in store.list()] == before   # not even timestamps
    nightly = store.get("nightly")
    assert nightly.paused and nightly.definition.misfire == "catch_up"
    assert nightly.definition.schedule == "0 2 * * *"
    assert store.get("top-callers").source == str(path.resolve())


def test_apply_updates_what_changed_and_keeps_a_cli_pause(store, tmp_path):
    path = tmp_path / "schedules.yaml"
    path.write_text(FILE)
    apply(store, path, 1000.0)
    store.set_paused("top-callers", True, 1500.0)
    path.write_text(FILE.replace("{count: 3}", "{count: 4}"))
    assert apply(store, path, 2000.0)[0] == ("schedule", "top-callers", "updated")
    entry = store.get("top-callers")
    assert entry.definition.parameters == {"count": 4}
    assert entry.paused                                   # no `enabled:` in the file: untouched
    assert entry.last_due == 1000.0                       # same timing: no due times lost
    path.write_text(FILE.replace("rate(5 minutes)", "rate(10 minutes)"))
    apply(store, path, 3000.0)
    assert store.get("top-callers").last_due == 3000.0    # new timing starts from now
    path.write_text(FILE.replace("enabled: false", "enabled: true"))
    assert ("schedule", "nightly", "updated") in apply(store, path, 4000.0)
    assert not store.get("nightly").paused


def test_prune_deletes_only_what_this_file_made(store, tmp_path):
    from parthenon.scheduler.models import schedule_from_dict
    store.put(schedule_from_dict({"name": "by-hand", "schedule": "rate(1 hour)", "sql": "SELECT 1"}), 1.0)
    path = tmp_path / "schedules.yaml"
    path.write_text(FILE)
    apply(store, path, 1000.0)
    path.write_text(FILE.split("  - name: nightly")[0])
    report = apply(store, path, 2000.0, prune=True, dry_run=True)
    assert ("schedule", "nightly", "deleted") in report and store.get("nightly") is not None
    report = apply(store, path, 2000.0, prune=True)
    assert sorted(r for r in report if r[2] == "deleted") == [("hook", "failures", "deleted"),
                                                              ("schedule", "nightly", "deleted")]
    assert sorted(e.name for e in store.list()) == ["by-hand", "top-callers"]


def test_a_bad_file_changes_nothing(store, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(FILE + """
  - name: broken
    states: [FAILED]
    rules: [{when: "count > (SELECT 1)"}]
""")
    with pytest.raises(DefinitionError, match="broken"):
        apply(store, path, 1000.0)
    assert store.list() == []
    path.write_text("schedules:\n  - name: a\n    schedule: rate(5 minutes)\n    sql: SELECT 1\n"
                    "  - name: a\n    schedule: rate(5 minutes)\n    sql: SELECT 2\n")
    with pytest.raises(DefinitionError, match="defined twice"):
        apply(store, path, 1000.0)
    path.write_text("schedules: [oops")
    with pytest.raises(DefinitionError, match="not valid YAML"):
        apply(store, path, 1000.0)


def test_schedule_commands(parthenon_home, tmp_path, capsys):
    path = tmp_path / "schedules.yaml"
    path.write_text(FILE)
    assert main(["schedule", "apply", str(path)]) == 0
    assert "schedule top-callers: created" in capsys.readouterr().out
    assert main(["schedule", "apply", str(path)]) == 0
    assert capsys.readouterr().out.count("unchanged") == 3

    assert main(["schedule", "add", "adhoc", "--sql", "SELECT {{ params.n }} AS n",
                 "--param", "n=7", "--schedule", "*/15 * * * *", "--when", "n > 5",
                 "--command", "true"]) == 0
    assert "adhoc: created; next run" in capsys.readouterr().out
    assert main(["schedule", "add", "adhoc", "--sql", "SELECT 1", "--schedule", "rate(1 hour)"]) == 1
    assert "exists" in capsys.readouterr().err

    assert main(["schedule", "list"]) == 0
    listing = capsys.readouterr().out
    assert "top-callers" in listing and "rate(5 minutes)" in listing and "paused" in listing
    assert "failures" in listing and "on FAILED" in listing

    assert main(["schedule", "show", "nightly"]) == 0
    shown = capsys.readouterr().out
    assert "timezone: Europe/Paris" in shown and "# schedule, paused" in shown

    assert main(["schedule", "run-now", "adhoc"]) == 0
    out = capsys.readouterr().out
    assert "SUCCEEDED" in out and "rule rule1 (n > 5): fired, 1 matching rows" in out
    assert "command true: ok" in out

    assert main(["schedule", "history", "adhoc"]) == 0
    history = capsys.readouterr().out
    assert "manual" in history and "SUCCEEDED" in history and "1/1" in history
    assert main(["schedule", "history", "adhoc", "--json"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert json.loads(line)["sql"] == "SELECT 7 AS n"

    assert main(["schedule", "pause", "adhoc"]) == 0 and "paused" in capsys.readouterr().out
    assert main(["schedule", "resume", "adhoc"]) == 0 and "resumed" in capsys.readouterr().out
    assert main(["schedule", "delete", "adhoc"]) == 0
    capsys.readouterr()
    assert main(["schedule", "show", "adhoc"]) == 1
    assert "NOT_FOUND: No schedule or hook named 'adhoc'" in capsys.readouterr().err
    assert main(["schedule", "add", "bad", "--sql", "SELECT 1", "--schedule", "every day"]) == 1
    assert "INVALID_DEFINITION" in capsys.readouterr().err


def test_scheduler_once_runs_what_is_due(parthenon_home, tmp_path, capsys):
    from parthenon.scheduler.models import schedule_from_dict
    parthenon_home.mkdir(parents=True, exist_ok=True)
    store = SchedulerStore(parthenon_home / "scheduler.db")
    import time
    # Rates fall on whole multiples of their interval (UTC): with rate(1 minute) a minute
    # could turn between the two runs below and rightly fire again. A daily rate, last due
    # just before today's 00:00, has exactly one due time now (today's, within the grace)
    # and the next one a day away.
    day = 86_400
    store.put(schedule_from_dict({"name": "due", "schedule": "rate(1 day)", "misfire_grace": 2 * day,
                                  "sql": "SELECT 'hello' AS greeting"}), time.time() // day * day - 1)
    assert main(["scheduler", "--once"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("due: run ") and "SUCCEEDED" in out
    assert main(["scheduler", "--once"]) == 0              # the same due time does not fire again
    assert capsys.readouterr().out == ""


