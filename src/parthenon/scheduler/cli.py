"""`parthenon schedule ...` and `parthenon scheduler`: the handlers behind cli.py.

Kept light at import (argparse only): `parthenon query` should not pay for
croniter and Jinja2 just because these subcommands exist.
"""
from __future__ import annotations

import json
import signal
import sys
import threading
import time
from datetime import datetime


def add_parsers(sub) -> None:
    s = sub.add_parser("schedule", help="scheduled queries, alert rules and result hooks")
    verbs = s.add_subparsers(dest="verb", required=True)
    a = verbs.add_parser("add", help="define a scheduled query (one rule; use apply for more)")
    a.add_argument("name")
    what = a.add_mutually_exclusive_group(required=True)
    what.add_argument("--sql", help="the query; {{ run_time | date('%%d') }} and friends expand per run")
    what.add_argument("--sql-file", help="read the query from a file")
    what.add_argument("--named-query", help="a saved query's id or name")
    a.add_argument("--schedule", required=True, metavar="EXPR",
                   help="rate(5 minutes), '*/5 * * * *' or cron(0 12 * * ? *)")
    a.add_argument("--timezone", default="UTC")
    a.add_argument("--database", default="default")
    a.add_argument("--workgroup", default="primary")
    a.add_argument("--output-location")
    a.add_argument("--misfire", choices=["skip", "catch_up"], default="skip")
    a.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    a.add_argument("--when", help="the rule's condition: 'any row' (default), 'row_count > 0', "
                                  "'count > 1000', 'always', 'failed'")
    a.add_argument("--webhook", action="append", default=[], metavar="URL")
    a.add_argument("--command", dest="commands", action="append", default=[], metavar="CMD")
    a.add_argument("--write-to", action="append", default=[], metavar="LOCATION")
    a.add_argument("--email", action="append", default=[], metavar="ADDRESS")
    a.add_argument("--description", default="")
    a.add_argument("--replace", action="store_true", help="replace a schedule of that name")
    verbs.add_parser("list", help="schedules and hooks, with their next due time")
    for verb, text in (("show", "a definition, its state and next due times"),
                       ("run-now", "run a schedule once, now, in this process"),
                       ("pause", "stop a schedule or hook from firing"),
                       ("resume", "let it fire again, from now on"),
                       ("delete", "delete a schedule or hook and its history")):
        verbs.add_parser(verb, help=text).add_argument("name")
    h = verbs.add_parser("history", help="the runs of a schedule or hook, newest first")
    h.add_argument("name")
    h.add_argument("--limit", type=int, default=20)
    h.add_argument("--json", action="store_true", help="every detail, as JSON lines")
    p = verbs.add_parser("apply", help="create or update definitions from a YAML file")
    p.add_argument("file")
    p.add_argument("--prune", action="store_true", help="delete definitions this file no longer has")
    p.add_argument("--dry-run", action="store_true")

    r = sub.add_parser("scheduler", help="run the schedules and hooks without the API server")
    r.add_argument("--concurrency", type=int, default=4, help="query workers (default 4)")
    r.add_argument("--once", action="store_true", help="run what is due now, then exit")


def run(args) -> int:
    from .. import config
    from .store import SchedulerStore
    if args.command == "scheduler":
        return _scheduler(args, config.home())
    store = SchedulerStore(config.home() / "scheduler.db")
    handler = {"add": _add, "list": _list, "show": _show, "run-now": _run_now, "pause": _pause,
               "resume": _pause, "delete": _delete, "history": _history, "apply": _apply}
    return handler[args.verb](args, store)


def _when(t: float | None, tz: str = "UTC") -> str:
    if t is None:
        return "-"
    from .cron import zone
    return datetime.fromtimestamp(t, zone(tz)).strftime("%Y-%m-%d %H:%M:%S %Z")


def _table(header: list[str], rows: list[list]) -> str:
    cells = [header] + [["-" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells)


def _add(args, store) -> int:
    from pathlib import Path
    from .models import schedule_from_dict
    doc = {"name": args.name, "schedule": args.schedule, "timezone": args.timezone,
           "database": args.database, "workgroup": args.workgroup, "misfire": args.misfire,
           "output_location": args.output_location, "description": args.description,
           "sql": Path(args.sql_file).read_text() if args.sql_file else args.sql,
           "named_query": args.named_query,
           "parameters": dict(p.split("=", 1) for p in args.param if "=" in p)}
    acts = ([{"webhook": u} for u in args.webhook] + [{"command": c} for c in args.commands]
            + [{"write": w} for w in args.write_to] + [{"email": e} for e in args.email])
    if acts or args.when:
        doc["rules"] = [{"name": "rule1", "when": args.when or "any row", "actions": acts}]
    definition = schedule_from_dict(doc)
    if store.get(args.name) is not None and not args.replace:
        print(f"parthenon schedule: '{args.name}' exists (use --replace)", file=sys.stderr)
        return 1
    print(f"{args.name}: {store.put(definition, time.time())}; next run "
          f"{_when(definition.timing.next_after(time.time()), definition.timezone)}")
    return 0


def _list(args, store) -> int:
    rows = []
    for e in store.list():
        d, last = e.definition, store.last_run(e.name)
        if e.kind == "schedule":
            nxt = None if e.paused else d.timing.next_after(max(e.last_due, time.time()))
            rows.append([e.name, "schedule", d.schedule, d.timezone, "paused" if e.paused else "active",
                         _when(nxt, d.timezone), last.state if last else None])
        else:
            rows.append([e.name, "hook", "on " + "/".join(d.states), "-",
                         "paused" if e.paused else "active", "-", last.state if last else None])
    print(_table(["NAME", "KIND", "WHEN", "TIME ZONE", "STATE", "NEXT RUN", "LAST RUN"], rows)
          if rows else "No schedules or hooks.")
    return 0


def _show(args, store) -> int:
    import yaml
    from .models import to_doc
    e = store.require(args.name)
    doc = {k: v for k, v in to_doc(e.definition).items() if v not in (None, "", {}, [])}
    print(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).rstrip())
    print(f"# {e.kind}, {'paused' if e.paused else 'active'}, source: {e.source or 'cli'}")
    if e.kind == "schedule" and not e.paused:
        d = e.definition
        upcoming = d.timing.upcoming(max(e.last_due, time.time()), 5)
        print("# next runs: " + ", ".join(_when(t, d.timezone) for t in upcoming))
    return 0


def _run_now(args, store) -> int:
    from ..service import AthenaService
    from .runner import Scheduler
    store.require(args.name, "schedule")
    service = AthenaService(concurrency=1, recover=False)   # a server may share this home
    try:
        run = Scheduler(service, store=store, workers=1).run_now(args.name)
    finally:
        service.close()
    _print_run(run)
    return 0 if run.state == "SUCCEEDED" and not run.failed_actions else 1


def _print_run(run) -> None:
    print(f"run {run.id}: {run.state}" + (f", query {run.query_id}" if run.query_id else "")
          + (f", {run.row_count} rows" if run.row_count is not None else "")
          + (f", result {run.output_location}" if run.output_location else ""))
    if run.error:
        print(f"  error: {run.error}")
    for r in run.rules:
        print(f"  rule {r['name']} ({r['when']}): " + (f"error: {r['error']}" if r["error"] else
              f"{'fired' if r['fired'] else 'did not fire'}, {r['matching']} matching rows"))
    for a in run.actions:
        print(f"  {a['type']} {a['target']}: " + ("ok" if a["ok"] else f"FAILED after "
              f"{a['attempts']} attempt(s): {a['error']}"))


def _pause(args, store) -> int:
    paused = args.verb == "pause"
    changed = store.set_paused(args.name, paused, time.time())
    print(f"{args.name}: {'paused' if paused else 'resumed'}" + ("" if changed else " (already)"))
    return 0


def _delete(args, store) -> int:
    store.delete(args.name)
    print(f"{args.name}: deleted")
    return 0


def _history(args, store) -> int:
    e = store.require(args.name)
    tz = getattr(e.definition, "timezone", "UTC")
    runs = store.history(args.name, args.limit)
    if args.json:
        import dataclasses
        for run in runs:
            print(json.dumps(dataclasses.asdict(run)))
        return 0
    rows = [[_when(r.due if r.due is not None else r.started, tz), r.kind, r.state, r.query_id,
             r.row_count, sum(1 for x in r.rules if x["fired"]) or None,
             f"{len(r.actions) - r.failed_actions}/{len(r.actions)}" if r.actions else None,
             (r.error or r.note or "")[:80] or None] for r in runs]
    print(_table(["DUE / STARTED", "KIND", "STATE", "QUERY ID", "ROWS", "FIRED", "ACTIONS OK",
                  "ERROR / NOTE"], rows) if rows else f"{args.name}: no runs yet")
    return 0


def _apply(args, store) -> int:
    from .definitions import apply
    report = apply(store, args.file, time.time(), prune=args.prune, dry_run=args.dry_run)
    for kind, name, what in report:
        print(f"{kind} {name}: {what}" + (" (dry run)" if args.dry_run and what != "unchanged" else ""))
    return 0


def _scheduler(args, home) -> int:
    import logging
    from ..service import AthenaService
    from .runner import Scheduler
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    service = AthenaService(home, concurrency=args.concurrency)
    scheduler = Scheduler(service, workers=args.concurrency)
    try:
        if args.once:
            for run in scheduler.tick(wait=True):
                print(f"{run.schedule}: ", end="")
                _print_run(run)
            return 0
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        scheduler.start()
        print(f"Parthenon scheduler running on {home} (Ctrl-C to stop)", file=sys.stderr)
        try:
            while not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        scheduler.stop()
        service.close()

