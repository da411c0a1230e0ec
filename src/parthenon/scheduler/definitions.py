"""A definitions file (YAML), kept in version control and applied idempotently.

    schedules:
      - name: top-callers
        schedule: rate(5 minutes)            # or cron: "*/5 * * * *", timezone: Europe/Paris
        database: default
        sql: |
          SELECT ... WHERE day = '{{ run_time | date('%d') }}'
        rules:
          - name: culprit
            when: count > 1000
            actions:
              - webhook: https://hooks.slack.com/services/...
    hooks:
      - name: failures
        states: [FAILED]
        rules: [{when: failed, actions: [{email: oncall@example.com}]}]

`apply` checks every definition before it writes any, then creates what is new,
updates what changed and leaves the rest alone: applying the same file twice
changes nothing the second time (not even timestamps).  `enabled:` sets the paused
state only when written, so a `schedule pause` survives re-applying a file that
does not mention it.  `--prune` deletes definitions that came from this file
earlier and are no longer in it; definitions made elsewhere are never pruned.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import DefinitionError
from .models import HOOK, SCHEDULE, Schedule, hook_from_dict, schedule_from_dict, to_doc
from .store import SchedulerStore


def load(path: str | Path) -> list[tuple[object, bool | None]]:
    """Every definition in the file with its `enabled` (None when not written)."""
    try:
        data = yaml.safe_load(Path(path).read_text()) or {}
    except yaml.YAMLError as e:
        raise DefinitionError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(data, dict) or set(data) - {"schedules", "hooks"}:
        raise DefinitionError(f"{path}: expected a mapping with 'schedules' and/or 'hooks'")
    out, seen = [], set()
    for key, parse in (("schedules", schedule_from_dict), ("hooks", hook_from_dict)):
        items = data.get(key) or []
        if not isinstance(items, list):
            raise DefinitionError(f"{path}: '{key}' must be a list")
        for item in items:
            definition = parse(item)
            if definition.name in seen:
                raise DefinitionError(f"{path}: '{definition.name}' is defined twice")
            seen.add(definition.name)
            enabled = item.get("enabled")
            if enabled is not None and not isinstance(enabled, bool):
                raise DefinitionError(f"{path}: '{definition.name}': enabled is true or false")
            out.append((definition, enabled))
    return out


def apply(store: SchedulerStore, path: str | Path, now: float, prune: bool = False,
          dry_run: bool = False) -> list[tuple[str, str, str]]:
    """(kind, name, what happened) for each definition: created, updated, unchanged, deleted."""
    source = str(Path(path).resolve())
    definitions = load(path)
    report = []
    for definition, enabled in definitions:
        kind = SCHEDULE if isinstance(definition, Schedule) else HOOK
        paused = None if enabled is None else not enabled
        if dry_run:
            report.append((kind, definition.name, _would(store, definition, kind, paused, source)))
        else:
            report.append((kind, definition.name, store.put(definition, now, source, paused)))
    if prune:
        names = {d.name for d, _ in definitions}
        for entry in store.list():
            if entry.source == source and entry.name not in names:
                if not dry_run:
                    store.delete(entry.name)
                report.append((entry.kind, entry.name, "deleted"))
    return report


def _would(store: SchedulerStore, definition, kind: str, paused: bool | None, source: str) -> str:
    old = store.get(definition.name)
    if old is None:
        return "created"
    if old.kind != kind:
        raise DefinitionError(f"'{definition.name}' is already the name of a {old.kind}")
    same = (to_doc(old.definition) == to_doc(definition)
            and (paused is None or paused == old.paused))
    return "unchanged" if same else "updated"
