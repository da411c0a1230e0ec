"""What an alert carries: enough to act on without opening anything else.

The top matching rows, the run's statistics, and the query id and result location
to fetch the whole result (GetQueryResults, or the CSV itself).  One payload feeds
every action: the webhook's JSON body (with Slack's `text`), the e-mail, the
command's environment.
"""
from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass, field

import pyarrow as pa

from ..output import athena_text, csv_text, human_bytes


def _iso(t: float | None) -> str | None:
    if t is None:
        return None
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def _plain(value):
    """A value JSON can carry as itself where it can (numbers stay numbers)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else athena_text(value)
    if isinstance(value, decimal.Decimal):
        return athena_text(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return athena_text(value)
    return athena_text(value)


@dataclass
class Alert:
    source: str                     # the schedule's or hook's name
    source_kind: str                # schedule | hook
    rule: str
    condition: str
    run: dict                       # id, kind, due_time, run_time, started
    query: dict                     # id, sql, database, workgroup, state, error, output_location, statistics
    columns: list[str] = field(default_factory=list)
    matching_row_count: int = 0
    rows: list[dict] = field(default_factory=list)     # the top matching rows
    matching: pa.Table | None = None                   # all matching rows (for CSV attachments)

    def payload(self) -> dict:
        return {"text": self.text(), "source": self.source, "source_kind": self.source_kind,
                "rule": self.rule, "condition": self.condition, "run": self.run,
                "query": self.query, "columns": self.columns,
                "matching_row_count": self.matching_row_count, "rows": self.rows}

    def subject(self) -> str:
        return (f"[Parthenon] {self.source}: {self.rule} ({self.condition}) - "
                f"{self.query.get('state') or 'FAILED'}")

    def text(self) -> str:
        """Slack-compatible text (mrkdwn), also the e-mail's body."""
        q, stats = self.query, self.query.get("statistics") or {}
        if q.get("state") == "SUCCEEDED":
            head = (f"*{self.source}*: rule *{self.rule}* (`{self.condition}`) matched "
                    f"{self.matching_row_count} of {stats.get('row_count', 0)} rows")
            where = (f"Query {q.get('id')} in {stats.get('total_ms', 0) / 1000:.2f} s, "
                     f"{human_bytes(stats.get('data_scanned_bytes') or 0)} scanned; "
                     f"result: {q.get('output_location')}")
        else:
            head = f"*{self.source}*: rule *{self.rule}* (`{self.condition}`): the run failed"
            where = f"Query {q.get('id') or '(not started)'}: {q.get('error') or 'no error text'}"
        lines = [head, where]
        for row in self.rows[:10]:
            lines.append("• " + ", ".join(f"{k}={'NULL' if v is None else v}" for k, v in row.items()))
        if self.matching_row_count > min(10, len(self.rows)):
            lines.append(f"... and {self.matching_row_count - min(10, len(self.rows))} more")
        return "\n".join(lines)

    def matching_csv(self) -> bytes:
        if self.matching is None or not self.columns:
            return b""
        rows = [tuple(athena_text(v) for v in r)
                for r in zip(*(c.to_pylist() for c in self.matching.columns))]
        return csv_text(self.columns, rows).encode()


def build(source: str, source_kind: str, rule, run, q, matching: pa.Table | None,
          matching_count: int, row_count: int | None, error: str | None) -> Alert:
    """An alert from a run (`models.Run`) and its query (`QueryExecution` or None)."""
    top = matching.slice(0, rule.top) if matching is not None else None
    rows = []
    if top is not None and top.num_columns:
        names = top.column_names
        for values in zip(*(c.to_pylist() for c in top.columns)):
            rows.append({n: _plain(v) for n, v in zip(names, values)})
    query = {"id": None, "sql": run.sql, "state": "FAILED", "error": error}
    if q is not None:
        total = ((q.completed - q.submitted) * 1000) if q.completed else 0
        query = {"id": q.id, "sql": q.query, "database": q.database, "workgroup": q.workgroup,
                 "state": q.state, "error": error or q.reason,
                 "output_location": q.output_location if q.state == "SUCCEEDED" else None,
                 "statistics": {"row_count": row_count, "data_scanned_bytes": q.data_scanned,
                                "engine_ms": round(q.engine_ms + q.planning_ms),
                                "total_ms": round(total)}}
    return Alert(source, source_kind, rule.name, rule.when,
                 {"id": run.id, "kind": run.kind, "due_time": _iso(run.due),
                  "started": _iso(run.started)},
                 query, list(matching.column_names) if matching is not None else [],
                 matching_count, rows, matching)
