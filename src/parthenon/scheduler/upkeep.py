"""Partition upkeep: the daily `ALTER TABLE ... ADD PARTITION` chore as a schedule.

A schedule with `upkeep:` instead of `sql:` builds its statement per run and runs it
through the service like any query (it gets a query id, history and rules):

    upkeep:                          # CloudTrail: not key=value, so partitions are added
      table: cloudtrail_logs         # with a LOCATION each, derived from the table's own
      layout: cloudtrail             # LOCATION: <loc><region>/<yyyy>/<MM>/<dd>/
      regions: [us-east-1, us-west-2]
      days_ahead: 1                  # today and tomorrow (default); days_back: 0

    upkeep:                          # any layout: values and location are templates,
      table: alb_logs                # `day` is the date being added, list values expand
      values: {region: [eu-west-1], dt: "{{ day | date('%Y-%m-%d') }}"}
      location: "s3://logs/alb/{{ region }}/{{ day | date('%Y/%m/%d') }}/"

    upkeep: {table: events, mode: msck}     # key=value folders: MSCK REPAIR TABLE

ADD IF NOT EXISTS makes a run idempotent, so a day added yesterday as "tomorrow" is
simply left as it is today.
"""
from __future__ import annotations

import itertools
from datetime import timedelta

from ..catalog.store import CatalogStore
from . import templates
from .errors import DefinitionError, SchedulerError

_KEYS = {"table", "mode", "layout", "regions", "values", "location", "days_ahead", "days_back"}
CLOUDTRAIL_LOCATION = "{{ table_location }}{{ region }}/{{ day | date('%Y/%m/%d') }}/"
CLOUDTRAIL_VALUES = {"year": "{{ day | date('%Y') }}", "month": "{{ day | date('%m') }}",
                     "day": "{{ day | date('%d') }}"}


def check_spec(spec: dict, owner: str) -> None:
    where = f"Schedule '{owner}': upkeep"
    if not isinstance(spec, dict):
        raise DefinitionError(f"{where} must be a mapping")
    unknown = set(spec) - _KEYS
    if unknown:
        raise DefinitionError(f"{where}: unknown keys {sorted(unknown)}")
    if not spec.get("table"):
        raise DefinitionError(f"{where}: 'table' is required")
    mode = spec.get("mode", "add")
    if mode not in ("add", "msck"):
        raise DefinitionError(f"{where}: mode is 'add' or 'msck'")
    if mode == "msck":
        return
    layout = spec.get("layout")
    if layout not in (None, "cloudtrail"):
        raise DefinitionError(f"{where}: the only named layout is 'cloudtrail'")
    if layout == "cloudtrail" and not isinstance(spec.get("regions"), list):
        raise DefinitionError(f"{where}: the cloudtrail layout needs 'regions' (a list)")
    if layout is None and not (spec.get("location") and isinstance(spec.get("values"), dict)):
        raise DefinitionError(f"{where}: give 'values' (a mapping) and 'location', "
                              "or layout: cloudtrail")
    for key in ("days_ahead", "days_back"):
        n = spec.get(key, 1 if key == "days_ahead" else 0)
        if not isinstance(n, int) or not 0 <= n <= 366:
            raise DefinitionError(f"{where}: '{key}' must be 0..366")
    for text in [spec.get("location") or "", *_flat(spec.get("values") or {})]:
        templates.check(text, f"{where} template")


def _flat(values: dict) -> list[str]:
    out = []
    for v in values.values():
        out += [str(x) for x in v] if isinstance(v, list) else [str(v)]
    return out


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def upkeep_sql(spec: dict, ctx: dict, catalog: CatalogStore, database: str) -> str:
    """The statement this run executes: ALTER TABLE ... ADD IF NOT EXISTS ... or MSCK."""
    db, _, name = spec["table"].rpartition(".")
    db = (db or database).lower()
    table = catalog.require_table(db, name.lower())
    if spec.get("mode", "add") == "msck":
        return f"MSCK REPAIR TABLE {db}.{table.name}"
    keys = [c.name for c in table.partition_keys]
    if not keys:
        raise SchedulerError(f"Table {db}.{table.name} is not partitioned")
    values = dict(spec.get("values") or {})
    location = spec.get("location")
    if spec.get("layout") == "cloudtrail":
        values = {"region": list(spec["regions"]), **CLOUDTRAIL_VALUES, **values}
        location = location or CLOUDTRAIL_LOCATION
    missing = [k for k in keys if k not in values]
    if missing:
        raise SchedulerError(f"Upkeep of {db}.{table.name}: no value for partition keys "
                             f"{', '.join(missing)}")
    lists = [k for k in keys if isinstance(values[k], list)]
    base = table.location or ""
    today = ctx["run_time"].date()
    clauses = []
    for offset in range(-int(spec.get("days_back", 0)), int(spec.get("days_ahead", 1)) + 1):
        day = today + timedelta(days=offset)
        for combo in itertools.product(*(values[k] for k in lists)):
            local = {**ctx, "day": day, "table_location": base if base.endswith("/") else base + "/",
                     **dict(zip(lists, map(str, combo)))}
            spec_values = [(k, local[k] if k in lists
                            else templates.render(str(values[k]), local, f"value of {k}"))
                           for k in keys]
            where = templates.render(location, local, "upkeep location")
            clauses.append("  PARTITION (" + ", ".join(f"{k} = {_quote(v)}" for k, v in spec_values)
                           + f")\n    LOCATION {_quote(where)}")
    return f"ALTER TABLE {db}.{table.name} ADD IF NOT EXISTS\n" + "\n".join(clauses)
