"""Per-run parameters: `{{ yesterday }}`, `{{ run_time | date('%Y/%m/%d') }}`, ...

Jinja2 rather than a home-made expander: it is the syntax dbt and Airflow users
already type, its sandbox refuses attribute tricks (`{{ ''.__class__ }}`), and
StrictUndefined turns a misspelt name into an error instead of an empty string in
the SQL.  The sandbox and strictness are the reason; the features are a bonus.

Names every template sees (dates in the schedule's time zone):
  run_time / due_time   the due time being run (a datetime); for run-now, now
  now                   the wall-clock time the run started
  today, yesterday, tomorrow   dates relative to run_time
  schedule              the schedule's name
  params                the schedule's parameters; each is also a name of its own
Filters: date(fmt) (strftime; also takes ISO strings), shift(days=, hours=,
minutes=, weeks=), quote (an SQL string literal, quotes doubled).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .cron import zone
from .errors import DefinitionError, SchedulerError


def _date(value: Any, fmt: str = "%Y-%m-%d") -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, (date, datetime)):
        raise TypeError(f"date() needs a date or a time, not {type(value).__name__}")
    return value.strftime(fmt)


def _shift(value: Any, days: float = 0, hours: float = 0, minutes: float = 0,
           weeks: float = 0) -> Any:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value + timedelta(days=days, hours=hours, minutes=minutes, weeks=weeks)


def _quote(value: Any) -> str:
    return "'" + str(value).replace("'", "''") + "'"


_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                            keep_trailing_newline=True)
_ENV.filters.update(date=_date, shift=_shift, quote=_quote)


def check(text: str, what: str = "template") -> None:
    """Refuse a template that does not parse (at definition time, not at 3 a.m.)."""
    try:
        _ENV.parse(text)
    except TemplateError as e:
        raise DefinitionError(f"Invalid {what}: {e}") from None


def context(run_time: float, timezone: str, schedule: str = "", params: dict | None = None,
            now: float | None = None, extra: dict | None = None) -> dict:
    """The names a run's templates see; parameters may themselves use the other names."""
    tz = zone(timezone)
    at = datetime.fromtimestamp(run_time, tz)
    ctx: dict[str, Any] = {
        "run_time": at, "due_time": at,
        "now": datetime.fromtimestamp(now if now is not None else run_time, tz),
        "today": at.date(), "yesterday": at.date() - timedelta(days=1),
        "tomorrow": at.date() + timedelta(days=1), "schedule": schedule,
    }
    ctx.update(extra or {})
    rendered = {k: render(v, ctx, f"parameter '{k}'") if isinstance(v, str) else v
                for k, v in (params or {}).items()}
    ctx["params"] = rendered
    for k, v in rendered.items():
        ctx.setdefault(k, v)      # a parameter never hides a built-in name
    return ctx


def render(text: str, ctx: dict, what: str = "template") -> str:
    if "{{" not in text and "{%" not in text:
        return text
    try:
        return _ENV.from_string(text).render(ctx)
    except (TemplateError, TypeError, ValueError) as e:
        raise SchedulerError(f"Cannot expand {what}: {e}") from None
