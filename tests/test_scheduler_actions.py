"""Actions against real receivers: a loopback HTTP server, a real command, local and
S3 (moto) locations, an SMTP sink (aiosmtpd); retries with backoff on the fake clock."""
from __future__ import annotations

import email
import json
import sys

import pytest

from test_scheduler_support import (add, clock, free_port, receiver, scheduler,  # noqa: F401
                                    service)

SQL = ("SELECT concat('caller-', cast(x AS varchar)) AS arn, x * 100 AS count "
       "FROM UNNEST(sequence(1, 20)) AS t(x) ORDER BY count DESC")


def rule(*actions, when="count > 1500", top=3):
    return [{"name": "hot", "when": when, "top": top, "actions": list(actions)}]


def test_webhook_body_carries_rows_statistics_and_slack_text(scheduler, receiver, monkeypatch):
    monkeypatch.setenv("HOOK_TOKEN", "s3cret")
    add(scheduler, name="callers", schedule="rate(5 minutes)", sql=SQL,
        rules=rule({"webhook": {"url": receiver.url, "headers": {"Authorization": "Bearer ${HOOK_TOKEN}"}}}))
    run = scheduler.run_now("callers")
    assert run.actions[0]["ok"] and run.actions[0]["detail"] == {"status": 200}
    [request] = receiver.requests
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    body = request["body"]
    assert body["source"] == "callers" and body["rule"] == "hot" and body["condition"] == "count > 1500"
    assert body["matching_row_count"] == 5 and body["columns"] == ["arn", "count"]
    assert body["rows"] == [{"arn": "caller-20", "count": 2000}, {"arn": "caller-19", "count": 1900},
                            {"arn": "caller-18", "count": 1800}]             # top 3, result order
    q = body["query"]
    assert q["id"] == run.query_id and q["state"] == "SUCCEEDED" and q["sql"] == SQL
    assert q["output_location"].endswith(f"{run.query_id}.csv")
    assert q["statistics"]["row_count"] == 20 and "total_ms" in q["statistics"]
    assert body["run"]["id"] == run.id and body["run"]["kind"] == "manual"
    assert body["text"].startswith("*callers*: rule *hot* (`count > 1500`) matched 5 of 20 rows")
    assert "• arn=caller-20, count=2000" in body["text"] and run.query_id in body["text"]


def test_webhook_retries_with_backoff_then_records_success(scheduler, clock, receiver):
    receiver.statuses = [500, 503]
    add(scheduler, name="flaky", schedule="rate(5 minutes)", sql=SQL,
        rules=rule({"webhook": receiver.url, "backoff": 5, "attempts": 4, "body": "slack"}))
    before = clock.now()
    run = scheduler.run_now("flaky")
    outcome = run.actions[0]
    assert outcome["ok"] and outcome["attempts"] == 3 and outcome["error"] is None
    assert clock.now() - before == 5 + 10                  # backoff doubled, on the fake clock
    assert len(receiver.requests) == 3
    assert set(receiver.bodies[-1]) == {"text"}             # body: slack sends only the text


def test_webhook_client_errors_are_not_retried(scheduler, receiver):
    receiver.statuses = [404]
    add(scheduler, name="gone", schedule="rate(5 minutes)", sql=SQL, rules=rule({"webhook": receiver.url}))
    run = scheduler.run_now("gone")
    assert run.actions[0]["attempts"] == 1 and run.actions[0]["error"].startswith("HTTP 404")
    assert run.state == "SUCCEEDED" and run.failed_actions == 1


def test_command_gets_the_result_csv_and_run_metadata(scheduler, tmp_path):
    out = tmp_path / "seen.json"
    script = tmp_path / "respond.py"
    script.write_text(
        "import json, os, sys\n"
        "env = {k: v for k, v in os.environ.items() if k.startswith('PARTHENON_')}\n"
        "env['csv'] = open(env['PARTHENON_RESULT_CSV']).read()\n"
        "env['alert'] = json.load(open(env['PARTHENON_ALERT_JSON']))\n"
        f"json.dump(env, open({str(out)!r}, 'w'))\n"
        "print('handled', env['PARTHENON_MATCHING_ROWS'])\n")
    add(scheduler, name="respond", schedule="rate(5 minutes)", sql=SQL,
        rules=rule({"command": [sys.executable, str(script)], "env": {"EXTRA": "1"}}))
    run = scheduler.run_now("respond")
    assert run.actions[0]["ok"] and run.actions[0]["detail"]["stdout"] == "handled 5\n"
    seen = json.loads(out.read_text())
    assert seen["PARTHENON_QUERY_ID"] == run.query_id and seen["PARTHENON_RUN_ID"] == run.id
    assert seen["PARTHENON_SCHEDULE"] == "respond" and seen["PARTHENON_RULE"] == "hot"
    assert seen["PARTHENON_ROW_COUNT"] == "20" and seen["PARTHENON_QUERY_STATE"] == "SUCCEEDED"
    assert seen["PARTHENON_RUN_TIME"].startswith("2017-06-15T12:00:00")
    assert seen["csv"].splitlines()[:2] == ['"arn","count"', '"caller-20","2000"']
    assert seen["alert"]["matching_row_count"] == 5


def test_write_the_result_to_a_templated_local_location(scheduler, clock, tmp_path):
    folder = tmp_path / "reports"
    add(scheduler, name="report", schedule="rate(5 minutes)", sql=SQL, rules=rule(
        {"write": str(folder) + "/{{ run_time | date('%Y/%m/%d') }}/all.csv"},
        {"write": {"to": f"file://{folder}/matching/", "rows": "matching"}}))
    clock.advance(300)
    [run] = scheduler.tick(wait=True)
    assert all(a["ok"] for a in run.actions), run.actions
    full = (folder / "2017" / "06" / "15" / "all.csv").read_text().splitlines()
    assert len(full) == 21 and full[0] == '"arn","count"'
    matching = (folder / "matching" / f"{run.query_id}.csv").read_text().splitlines()
    assert matching == ['"arn","count"'] + [f'"caller-{x}","{x * 100}"' for x in (20, 19, 18, 17, 16)]


def test_write_and_command_with_s3_locations(scheduler, s3, tmp_path):
    s3.create_bucket(Bucket="results")
    s3.create_bucket(Bucket="reports")
    out = tmp_path / "csv.txt"
    script = tmp_path / "copy.py"
    script.write_text(f"import os; open({str(out)!r}, 'w').write(open(os.environ['PARTHENON_RESULT_CSV']).read())")
    add(scheduler, name="to-s3", schedule="rate(5 minutes)", sql=SQL,
        output_location="s3://results/scheduled/", rules=rule(
            {"write": "s3://reports/daily/{{ run_time | date('%Y-%m-%d') }}.csv"},
            {"command": [sys.executable, str(script)]}))
    run = scheduler.run_now("to-s3")
    assert run.output_location == f"s3://results/scheduled/{run.query_id}.csv"
    assert all(a["ok"] for a in run.actions), run.actions
    body = s3.get_object(Bucket="reports", Key="daily/2017-06-15.csv")["Body"].read().decode()
    assert body.splitlines()[1] == '"caller-20","2000"'
    assert out.read_text() == body                          # the command got a local copy


@pytest.fixture
def smtp_sink():
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
            return "250 OK"

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


def test_email_over_smtp_with_the_matching_rows_attached(scheduler, smtp_sink):
    add(scheduler, name="mail", schedule="rate(5 minutes)", sql=SQL, rules=rule({"email": {
        "to": "oncall@example.com, lead@example.com", "sender": "parthenon@example.com",
        "smtp_host": "127.0.0.1", "smtp_port": smtp_sink.port, "attach": True,
        "subject": "Hot callers on {{ run_time | date('%Y-%m-%d') }}"}}))
    run = scheduler.run_now("mail")
    assert run.actions[0]["ok"], run.actions
    [(recipients, message)] = smtp_sink.messages
    assert recipients == ["oncall@example.com", "lead@example.com"]
    assert message["Subject"] == "Hot callers on 2017-06-15"
    assert message["From"] == "parthenon@example.com"
    parts = list(message.walk())
    text = next(p for p in parts if p.get_content_type() == "text/plain" and not p.get_filename())
    assert "matched 5 of 20 rows" in text.get_payload(decode=True).decode()
    attachment = next(p for p in parts if p.get_filename() == "mail-hot.csv")
    assert attachment.get_payload(decode=True).decode().splitlines()[1] == '"caller-20","2000"'


def test_email_to_an_unreachable_server_is_retried_and_recorded(scheduler):
    add(scheduler, name="nomail", schedule="rate(5 minutes)", sql=SQL, rules=rule({"email": {
        "to": "x@example.com", "smtp_host": "127.0.0.1", "smtp_port": free_port(), "attempts": 2}}))
    run = scheduler.run_now("nomail")
    assert run.actions[0]["attempts"] == 2 and "Connection refused" in run.actions[0]["error"]
