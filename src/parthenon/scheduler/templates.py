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

import threading
import time

from jinja2 import StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment, safe_range

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


# Bounds, so that a schedule cannot make the scheduler spin or fill memory: what a template
# yields is at most MAX_OUTPUT characters (Athena's QueryString limit is 262,144 bytes), and
# it renders within MAX_SECONDS.  The sandbox already caps range() at 100,000 items; loops
# over range() check the clock, and `*` / `**` refuse results over the output bound.
MAX_OUTPUT = 262_144
MAX_SECONDS = 2.0


class _Bounded(SandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)) \
                and abs(right) > 1000:
            raise SecurityError("exponent too large in template")
        if operator == "*" and isinstance(right, int) and hasattr(left, "__len__") \
                and len(left) * right > MAX_OUTPUT:
            raise SecurityError(f"template output would exceed {MAX_OUTPUT} characters")
        if operator == "*" and isinstance(left, int) and hasattr(right, "__len__") \
                and len(right) * left > MAX_OUTPUT:
            raise SecurityError(f"template output would exceed {MAX_OUTPUT} characters")
        return super().call_binop(context, operator, left, right)


_deadline = threading.local()


def _range(*args):
    for i in range(*args):
        if time.monotonic() > getattr(_deadline, "at", float("inf")):
            raise SecurityError(f"template took more than {MAX_SECONDS:g} s to render")
        yield i


_ENV = _Bounded(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
_ENV.filters.update(date=_date, shift=_shift, quote=_quote)
def _bounded_range(*args):
    safe_range(*args)          # the sandbox's size check
    return _range(*args)


_ENV.globals["range"] = _bounded_range


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
    _deadline.at = time.monotonic() + MAX_SECONDS
    try:
        out, size = [], 0
        for chunk in _ENV.from_string(text).generate(ctx):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise SecurityError(f"template output would exceed {MAX_OUTPUT} characters")
            if time.monotonic() > _deadline.at:
                raise SecurityError(f"template took more than {MAX_SECONDS:g} s to render")
            out.append(chunk)
        return "".join(out)
    except (TemplateError, TypeError, ValueError, OverflowError) as e:
        raise SchedulerError(f"Cannot expand {what}: {e}") from None
    finally:
        _deadline.at = float("inf")
