"""What the scheduler keeps: schedules, result hooks, their rules, and runs.

Definitions arrive as plain dicts (YAML, the CLI) and are checked here, once, so
that a schedule that is stored can also run: its timing parses, its templates
parse, its conditions parse, its actions are complete.  A definition is stored as
the dict `to_doc` gives, which is also what `apply` compares to decide whether a
definition changed.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from . import actions, cron, rules, templates
from .errors import DefinitionError

SCHEDULE, HOOK = "schedule", "hook"
MISFIRE = ("skip", "catch_up")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_QUERY_STATES = ("SUCCEEDED", "FAILED", "CANCELLED")

# run kinds and states
SCHEDULED, CATCH_UP, MANUAL, HOOK_RUN, MISSED = "scheduled", "catch_up", "manual", "hook", "missed"
RUNNING, SUCCEEDED, FAILED = "RUNNING", "SUCCEEDED", "FAILED"


@dataclass
class Rule:
    name: str
    when: str = "any row"
    actions: list[dict] = field(default_factory=list)
    top: int = 10                  # matching rows carried by an alert


@dataclass
class Schedule:
    name: str
    schedule: str                  # rate(5 minutes) | */5 * * * * | cron(0 12 * * ? *)
    sql: str | None = None
    named_query: str | None = None  # a saved query's id or name (in the workgroup)
    upkeep: dict | None = None     # a partition upkeep job instead of SQL (see upkeep.py)
    database: str = "default"
    workgroup: str = "primary"
    timezone: str = "UTC"
    misfire: str = "skip"          # skip | catch_up
    misfire_grace: float = 300.0   # seconds late that still count as on time
    parameters: dict = field(default_factory=dict)
    output_location: str | None = None
    timeout: float = 3600.0        # seconds a run waits for its query
    description: str = ""
    rules: list[Rule] = field(default_factory=list)

    @property
    def timing(self) -> cron.Timing:
        return cron.parse(self.schedule, self.timezone)


@dataclass
class Hook:
    """Rules for every finished query that matches: "when a result lands"."""
    name: str
    rules: list[Rule] = field(default_factory=list)
    workgroup: str | None = None
    database: str | None = None
    match: str | None = None        # a regular expression searched in the query text
    states: list[str] = field(default_factory=lambda: ["SUCCEEDED"])
    description: str = ""

    def matches(self, q) -> bool:
        return (q.state in self.states
                and (self.workgroup is None or q.workgroup == self.workgroup)
                and (self.database is None or q.database == self.database)
                and (self.match is None or re.search(self.match, q.query, re.I) is not None))


@dataclass
class Run:
    id: str
    schedule: str                  # the schedule's or hook's name
    kind: str                      # scheduled | catch_up | manual | hook | missed
    state: str                     # RUNNING | SUCCEEDED | FAILED | MISSED
    due: float | None = None       # the due time this run is for (None: manual, hook)
    started: float | None = None
    finished: float | None = None
    owner: str | None = None       # the scheduler instance that claimed it
    query_id: str | None = None
    output_location: str | None = None
    sql: str | None = None
    row_count: int | None = None
    data_scanned: int | None = None
    engine_ms: float | None = None
    error: str | None = None
    note: str | None = None        # why a due time was missed, ...
    rules: list[dict] = field(default_factory=list)     # {name, when, fired, matching, error}
    actions: list[dict] = field(default_factory=list)   # outcomes, see actions.deliver

    @property
    def failed_actions(self) -> int:
        return sum(1 for a in self.actions if not a.get("ok"))


def _name(value, what: str) -> str:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise DefinitionError(f"Invalid {what} name {value!r}: letters, digits, '.', '_' and '-', "
                              "starting with a letter or digit")
    return value


def _rules(items, owner: str) -> list[Rule]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise DefinitionError(f"{owner}: 'rules' must be a list")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise DefinitionError(f"{owner}: rule {i + 1} must be a mapping")
        unknown = set(item) - {"name", "when", "actions", "top"}
        if unknown:
            raise DefinitionError(f"{owner}: rule {i + 1}: unknown keys {sorted(unknown)}")
        name = str(item.get("name") or f"rule{i + 1}")
        when = str(item.get("when") or "any row")
        try:
            rules.parse_condition(when)
            acts = [actions.normalize(a) for a in item.get("actions") or []]
        except DefinitionError as e:
            raise DefinitionError(f"{owner}: rule '{name}': {e.message}") from None
        top = item.get("top", 10)
        if not isinstance(top, int) or not 0 <= top <= 1000:
            raise DefinitionError(f"{owner}: rule '{name}': 'top' must be 0..1000")
        out.append(Rule(name, when, acts, top))
    return out


def schedule_from_dict(d: dict) -> Schedule:
    if not isinstance(d, dict):
        raise DefinitionError("A schedule must be a mapping")
    d = dict(d)
    name = _name(d.pop("name", None), "schedule")
    d.pop("enabled", None)                          # state, not definition (see definitions.py)
    if "rate" in d:
        d["schedule"] = f"rate({d.pop('rate')})"
    if "cron" in d:
        d["schedule"] = d.pop("cron")
    fields = {f.name for f in dataclasses.fields(Schedule)} - {"name", "rules"}
    unknown = set(d) - fields - {"rules"}
    if unknown:
        raise DefinitionError(f"Schedule '{name}': unknown keys {sorted(unknown)}")
    sources = [k for k in ("sql", "named_query", "upkeep") if d.get(k)]
    if len(sources) != 1:
        raise DefinitionError(f"Schedule '{name}': give exactly one of sql, named_query, upkeep")
    if not d.get("schedule"):
        raise DefinitionError(f"Schedule '{name}': 'schedule' is required "
                              "(rate(5 minutes), a cron expression, or cron(...))")
    s = Schedule(name=name, rules=_rules(d.pop("rules", None), f"Schedule '{name}'"),
                 **{k: v for k, v in d.items() if v is not None})
    s.schedule, s.timezone = str(s.schedule).strip(), str(s.timezone)
    s.timing                                          # parses, or says why not
    if s.misfire not in MISFIRE:
        raise DefinitionError(f"Schedule '{name}': misfire must be one of {', '.join(MISFIRE)}")
    for key in ("misfire_grace", "timeout"):
        if not isinstance(getattr(s, key), (int, float)) or getattr(s, key) <= 0:
            raise DefinitionError(f"Schedule '{name}': '{key}' must be a positive number of seconds")
        setattr(s, key, float(getattr(s, key)))
    if not isinstance(s.parameters, dict):
        raise DefinitionError(f"Schedule '{name}': 'parameters' must be a mapping")
    s.database = s.database.lower()
    for text, what in [(s.sql or "", "SQL"), *((str(v), f"parameter '{k}'")
                                               for k, v in s.parameters.items())]:
        templates.check(text, f"{what} of schedule '{name}'")
    if s.upkeep is not None:
        from .upkeep import check_spec
        check_spec(s.upkeep, name)
    return s


def hook_from_dict(d: dict) -> Hook:
    if not isinstance(d, dict):
        raise DefinitionError("A hook must be a mapping")
    d = dict(d)
    name = _name(d.pop("name", None), "hook")
    unknown = set(d) - {f.name for f in dataclasses.fields(Hook)}
    if unknown:
        raise DefinitionError(f"Hook '{name}': unknown keys {sorted(unknown)}")
    h = Hook(name=name, rules=_rules(d.pop("rules", None), f"Hook '{name}'"),
             **{k: v for k, v in d.items() if v is not None})
    if not h.rules:
        raise DefinitionError(f"Hook '{name}': a hook needs at least one rule")
    states = [str(s).upper() for s in (h.states if isinstance(h.states, list) else [h.states])]
    if not states or set(states) - set(_QUERY_STATES):
        raise DefinitionError(f"Hook '{name}': states must be among {', '.join(_QUERY_STATES)}")
    h.states = states
    if h.match is not None:
        try:
            re.compile(h.match)
        except re.error as e:
            raise DefinitionError(f"Hook '{name}': invalid match pattern: {e}") from None
    return h


def to_doc(definition: Schedule | Hook) -> dict:
    return dataclasses.asdict(definition)


def from_doc(kind: str, doc: dict) -> Schedule | Hook:
    doc = dict(doc)
    doc["rules"] = [Rule(**r) for r in doc.get("rules") or []]
    return Schedule(**doc) if kind == SCHEDULE else Hook(**doc)
