"""What a rule does when it fires: webhook, command, write, email; retried, recorded.

Each action is tried up to `attempts` times (default 3) with exponential backoff
(`backoff` seconds, doubling, at most `max_backoff`); an error that retrying cannot
fix (an HTTP 4xx other than 408/429, a bad template) stops at once.  `deliver`
never raises: it returns the outcome that goes into the run's history.

In YAML an action is written `- webhook: URL`, `- webhook: {url: ..., headers: ...}`
or `- {type: webhook, url: ...}`; all become `{"type": "webhook", ...}` here.
`${VAR}` in a webhook's url and headers and an e-mail's password come from the
scheduler's environment, so definitions files can be committed without secrets.
"""
from __future__ import annotations

import json
import os
import shlex
import smtplib
import socket
import string
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import Callable

from .. import storage
from ..errors import ParthenonError
from ..storage.location import Location
from . import templates
from .alerts import Alert
from .errors import DefinitionError

_RETRY = {"attempts", "backoff", "max_backoff"}
FIELDS = {
    "webhook": {"url", "method", "headers", "timeout", "body"},
    "command": {"run", "timeout", "cwd", "env"},
    "write": {"to", "rows"},
    "email": {"to", "sender", "subject", "smtp_host", "smtp_port", "starttls", "ssl",
              "username", "password_env", "attach", "timeout"},
}
_MAIN = {"webhook": "url", "command": "run", "write": "to", "email": "to"}


class Permanent(Exception):
    """An error that another attempt would only repeat."""


def normalize(action) -> dict:
    if not isinstance(action, dict):
        raise DefinitionError(f"An action must be a mapping, not {action!r}")
    kinds = [k for k in action if k in FIELDS]
    if "type" in action:
        kind, body = action["type"], {k: v for k, v in action.items() if k != "type"}
    elif len(kinds) == 1 or len(action) == 1:
        # `- webhook: URL` with options beside it (`attempts: 5`) or inside a mapping
        kind = kinds[0] if kinds else next(iter(action))
        value = action[kind]
        body = dict(value) if isinstance(value, dict) else {_MAIN.get(kind, "value"): value}
        body.update({k: v for k, v in action.items() if k != kind})
    else:
        raise DefinitionError(f"Cannot tell the action's type: {action!r} (use `type:`)")
    if kind not in FIELDS:
        raise DefinitionError(f"Unknown action '{kind}': use one of {', '.join(FIELDS)}")
    unknown = set(body) - FIELDS[kind] - _RETRY
    if unknown:
        raise DefinitionError(f"{kind} action: unknown keys {sorted(unknown)}")
    if not body.get(_MAIN[kind]):
        raise DefinitionError(f"{kind} action: '{_MAIN[kind]}' is required")
    if kind == "email" and isinstance(body["to"], str):
        body["to"] = [a.strip() for a in body["to"].split(",") if a.strip()]
    if kind == "command" and isinstance(body["run"], str):
        body["run"] = shlex.split(body["run"])
    if kind == "write" and body.get("rows", "all") not in ("all", "matching"):
        raise DefinitionError("write action: 'rows' is 'all' or 'matching'")
    if kind == "webhook" and body.get("body", "full") not in ("full", "slack"):
        raise DefinitionError("webhook action: 'body' is 'full' or 'slack' (text only)")
    for key in ("to", "subject"):
        if isinstance(body.get(key), str):
            templates.check(body[key], f"{kind} action's '{key}'")
    attempts = body.get("attempts", 3)
    if not isinstance(attempts, int) or not 1 <= attempts <= 20:
        raise DefinitionError(f"{kind} action: 'attempts' must be 1..20")
    return {"type": kind, **body}


def target(action: dict) -> str:
    main = action.get(_MAIN[action["type"]])
    return " ".join(main) if isinstance(main, list) else str(main)


def deliver(action: dict, alert: Alert, ctx: dict,
            sleep: Callable[[float], None] = time.sleep) -> dict:
    """Run one action with retries; the outcome, never an exception."""
    kind = action["type"]
    attempts = action.get("attempts", 3)
    delay, cap = float(action.get("backoff", 1.0)), float(action.get("max_backoff", 60.0))
    outcome = {"rule": alert.rule, "type": kind, "target": target(action), "ok": False,
               "attempts": 0, "error": None}
    started = time.monotonic()
    for n in range(1, attempts + 1):
        outcome["attempts"] = n
        try:
            outcome["detail"] = _HANDLERS[kind](action, alert, ctx)
            outcome["ok"], outcome["error"] = True, None
            break
        except Permanent as e:
            outcome["error"] = str(e)
            break
        except Exception as e:   # whatever it is, it is recorded, and the run goes on
            outcome["error"] = f"{type(e).__name__}: {e}"
        if n < attempts:
            sleep(min(delay * 2 ** (n - 1), cap))
    outcome["seconds"] = round(time.monotonic() - started, 3)
    return outcome


def _env(text: str) -> str:
    return string.Template(text).safe_substitute(os.environ)


def webhook(action: dict, alert: Alert, ctx: dict) -> dict:
    body = alert.payload() if action.get("body", "full") == "full" else {"text": alert.text()}
    headers = {"Content-Type": "application/json", "User-Agent": "Parthenon-Scheduler"}
    headers.update({k: _env(str(v)) for k, v in (action.get("headers") or {}).items()})
    request = urllib.request.Request(_env(action["url"]), method=action.get("method", "POST"),
                                     data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=float(action.get("timeout", 10))) as r:
            return {"status": r.status}
    except urllib.error.HTTPError as e:
        text = e.read(300).decode(errors="replace")
        message = f"HTTP {e.code} {e.reason}: {text}".strip()
        if 400 <= e.code < 500 and e.code not in (408, 429):
            raise Permanent(message) from None
        raise RuntimeError(message) from None


def command(action: dict, alert: Alert, ctx: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="parthenon-action-") as tmp:
        env = {**os.environ, **{k: str(v) for k, v in (action.get("env") or {}).items()}}
        env.update(_metadata_env(alert, ctx, tmp))
        try:
            done = subprocess.run(action["run"], cwd=action.get("cwd"), env=env,
                                  capture_output=True, timeout=float(action.get("timeout", 300)))
        except FileNotFoundError as e:
            raise Permanent(f"Cannot run {action['run'][0]}: {e.strerror}") from None
    out = {"exit_code": done.returncode,
           "stdout": done.stdout.decode(errors="replace")[-2000:]}
    if done.returncode != 0:
        raise RuntimeError(f"exit status {done.returncode}: "
                           f"{done.stderr.decode(errors='replace').strip()[-1000:]}")
    return out


def _metadata_env(alert: Alert, ctx: dict, tmp: str) -> dict:
    q = alert.query
    env = {"PARTHENON_SOURCE": alert.source, "PARTHENON_SCHEDULE": alert.source,
           "PARTHENON_RULE": alert.rule, "PARTHENON_CONDITION": alert.condition,
           "PARTHENON_RUN_ID": alert.run["id"], "PARTHENON_RUN_KIND": alert.run["kind"],
           "PARTHENON_DUE_TIME": alert.run.get("due_time") or "",
           "PARTHENON_RUN_TIME": ctx["run_time"].isoformat() if "run_time" in ctx else "",
           "PARTHENON_QUERY_ID": q.get("id") or "", "PARTHENON_QUERY_STATE": q.get("state") or "",
           "PARTHENON_OUTPUT_LOCATION": q.get("output_location") or "",
           "PARTHENON_ROW_COUNT": str((q.get("statistics") or {}).get("row_count") or 0),
           "PARTHENON_MATCHING_ROWS": str(alert.matching_row_count),
           "PARTHENON_ERROR": q.get("error") or ""}
    alert_file = os.path.join(tmp, "alert.json")
    with open(alert_file, "w") as f:
        json.dump(alert.payload(), f)
    env["PARTHENON_ALERT_JSON"] = alert_file
    env["PARTHENON_RESULT_CSV"] = ""
    location = q.get("output_location")
    if location:
        loc = Location.parse(location)
        if loc.is_s3:       # a command wants a file it can open
            path = os.path.join(tmp, "result.csv")
            with open(path, "wb") as f:
                f.write(storage.read_bytes(location))
            env["PARTHENON_RESULT_CSV"] = path
        else:
            env["PARTHENON_RESULT_CSV"] = loc.path
    return env


def write(action: dict, alert: Alert, ctx: dict) -> dict:
    try:
        to = templates.render(action["to"], ctx, "write action's 'to'")
    except Exception as e:
        raise Permanent(str(e)) from None
    try:       # the location type's rules: no '..', no relative file:// URL
        loc = Location.parse(to)
    except ParthenonError as e:
        raise Permanent(f"write action's 'to': {e.message}") from None
    to = loc.folder_text + f"{alert.query.get('id') or alert.run['id']}.csv" if to.endswith("/") \
        else str(loc)
    if action.get("rows", "all") == "matching":
        data = alert.matching_csv()
    elif alert.query.get("output_location"):
        data = storage.read_bytes(alert.query["output_location"])
    else:
        raise Permanent("the query has no result to write")
    storage.put(to, data)
    return {"location": to, "bytes": len(data)}


def email(action: dict, alert: Alert, ctx: dict) -> dict:
    message = EmailMessage()
    message["From"] = action.get("sender") or f"parthenon@{socket.gethostname()}"
    message["To"] = ", ".join(action["to"])
    subject = action.get("subject")
    try:
        message["Subject"] = templates.render(subject, ctx) if subject else alert.subject()
    except Exception as e:
        raise Permanent(str(e)) from None
    message.set_content(alert.text() + "\n")
    if action.get("attach") and alert.matching is not None:
        message.add_attachment(alert.matching_csv(), maintype="text", subtype="csv",
                               filename=f"{alert.source}-{alert.rule}.csv")
    host = action.get("smtp_host") or os.environ.get("PARTHENON_SMTP_HOST") or "localhost"
    port = int(action.get("smtp_port") or os.environ.get("PARTHENON_SMTP_PORT") or 25)
    smtp_class = smtplib.SMTP_SSL if action.get("ssl") else smtplib.SMTP
    with smtp_class(host, port, timeout=float(action.get("timeout", 30))) as smtp:
        if action.get("starttls"):
            smtp.starttls()
        if action.get("username"):
            smtp.login(action["username"], os.environ.get(action.get("password_env") or "", ""))
        refused = smtp.send_message(message)
    return {"recipients": [a for a in action["to"] if a not in refused]}


_HANDLERS = {"webhook": webhook, "command": command, "write": write, "email": email}
