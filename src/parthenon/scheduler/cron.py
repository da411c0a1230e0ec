"""When a schedule is due: cron and rate expressions, and the misfire plan.

Accepted forms (the ones Athena users meet in EventBridge, plus plain cron):
- `rate(5 minutes)`, `rate(1 hour)`, `rate(2 days)`: a fixed interval.  Due times are
  multiples of the interval since the Unix epoch, so they do not depend on when the
  schedule was created or re-applied (every 5 minutes means :00, :05, :10 ...).
- `*/5 * * * *`: five-field cron, evaluated in the schedule's time zone (croniter, which
  handles DST: a time that does not exist that day runs at the next one that does).
- `cron(0 12 ? * MON-FRI *)`: EventBridge's six-field form.  Its day-of-week numbers run
  1-7 from Sunday (cron's run 0-6), so they are shifted; the year field must be `*`.

Due times are epoch seconds (floats) throughout; only cron needs the zone.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from .errors import DefinitionError

_RATE = re.compile(r"^\s*rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)\s*$", re.I)
_AWS_CRON = re.compile(r"^\s*cron\((.*)\)\s*$", re.I)
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise DefinitionError(f"Unknown time zone '{name}' (use an IANA name such as "
                              "'UTC' or 'Europe/Paris')") from None


@dataclass(frozen=True)
class Timing:
    expression: str
    timezone: str
    interval: float | None = None     # rate(...)
    cron: str | None = None           # five-field cron

    def next_after(self, t: float) -> float:
        """The first due time strictly after t."""
        if self.interval is not None:
            return (math.floor(t / self.interval) + 1) * self.interval
        start = datetime.fromtimestamp(t, zone(self.timezone))
        nxt = croniter(self.cron, start).get_next(datetime)
        if nxt.timestamp() <= t:      # croniter rounds the start down to whole seconds
            nxt = croniter(self.cron, datetime.fromtimestamp(math.floor(t) + 1, start.tzinfo)
                           ).get_next(datetime)
        return nxt.timestamp()

    def due_between(self, after: float, until: float, limit: int = 1000) -> tuple[list[float], int]:
        """The newest `limit` due times in (after, until], oldest first, and how many more
        older ones there were (counted only for rates; cron says -1 when it stopped)."""
        if until <= after:
            return [], 0
        if self.interval is not None:
            first = self.next_after(after)
            last = math.floor(until / self.interval) * self.interval
            total = int(round((last - first) / self.interval)) + 1 if last >= first else 0
            kept = min(total, limit)
            return [last - (kept - 1 - i) * self.interval for i in range(kept)], total - kept
        # walk back from `until`: a long outage costs `limit` steps, not one per due time
        it = croniter(self.cron, datetime.fromtimestamp(math.floor(until) + 1, zone(self.timezone)))
        out: list[float] = []
        while len(out) < limit:
            t = it.get_prev(datetime).timestamp()
            if t <= after:
                return out[::-1], 0
            out.append(t)
        return out[::-1], (0 if self.next_after(after) >= out[-1] else -1)

    def upcoming(self, after: float, n: int) -> list[float]:
        out, t = [], after
        for _ in range(n):
            t = self.next_after(t)
            out.append(t)
        return out


def parse(expression: str, timezone: str = "UTC") -> Timing:
    zone(timezone)
    text = (expression or "").strip()
    m = _RATE.match(text)
    if m:
        n, unit = int(m.group(1)), m.group(2).lower().rstrip("s")
        if n < 1:
            raise DefinitionError(f"Invalid rate '{text}': the value must be at least 1")
        if (n == 1) != (not m.group(2).lower().endswith("s")):   # EventBridge's own rule
            raise DefinitionError(f"Invalid rate '{text}': use '1 {unit}' or '{n} {unit}s'")
        return Timing(text, timezone, interval=float(n * _UNIT_SECONDS[unit]))
    m = _AWS_CRON.match(text)
    fields = _from_aws(m.group(1).split(), text) if m else text.split()
    if len(fields) != 5:
        raise DefinitionError(f"Invalid schedule '{text}': use rate(N minutes|hours|days), "
                              "five-field cron ('*/5 * * * *') or cron(m h dom mon dow year)")
    cron = " ".join(fields)
    if not croniter.is_valid(cron):
        raise DefinitionError(f"Invalid cron expression '{text}'")
    return Timing(text, timezone, cron=cron)


def _from_aws(fields: list[str], text: str) -> list[str]:
    if len(fields) != 6:
        raise DefinitionError(f"Invalid schedule '{text}': cron(...) takes six fields "
                              "(minutes hours day-of-month month day-of-week year)")
    if fields[5] not in ("*", "?"):
        raise DefinitionError(f"Invalid schedule '{text}': only '*' is supported as the year")
    minute, hour, dom, month, dow = fields[:5]
    # EventBridge numbers weekdays 1 (SUN) to 7 (SAT); the number after '#' is an occurrence
    dow = re.sub(r"(?<!#)\b([1-7])\b", lambda g: str(int(g.group(1)) - 1), dow)
    return [minute, hour, dom.replace("?", "*"), month, dow.replace("?", "*")]


def plan(timing: Timing, last_due: float, now: float, policy: str, grace: float,
         max_catch_up: int = 100, max_missed: int = 100) -> tuple[list[float], list[float], int]:
    """(due times to fire, due times missed, missed due times not listed) in (last_due, now].

    skip: a due time counts as on time when it is at most `grace` seconds old; of those
    only the newest fires, every other due time is missed.  catch_up: every due time
    fires, oldest first, up to `max_catch_up` (older ones beyond that are missed).
    Only the newest `max_missed` missed times are listed, so a long outage of a
    one-minute schedule records a hundred misses and a count, not half a million rows."""
    keep = max_catch_up + max_missed if policy == "catch_up" else 1 + max_missed
    due, older = timing.due_between(last_due, now, limit=keep)
    if not due:
        return [], [], 0
    if policy == "catch_up":
        fire, missed = due[-max_catch_up:], due[:-max_catch_up]
    elif now - due[-1] <= grace:
        fire, missed = due[-1:], due[:-1]
    else:
        fire, missed = [], due
    dropped = max(0, len(missed) - max_missed)
    extra = older if older >= 0 else 1      # cron walks back only so far: "at least one more"
    return fire, missed[dropped:], dropped + extra
