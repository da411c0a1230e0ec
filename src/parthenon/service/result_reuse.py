"""Query result reuse, as Athena's (UG `reusing-query-results`).

StartQueryExecution's `ResultReuseConfiguration.ResultReuseByAgeConfiguration` (Enabled,
MaxAgeInMinutes, default 60, at most 10080) opts one query in.  The newest earlier
execution is reused, without running anything, when all of these hold:
- it SUCCEEDED in the same workgroup, within the maximum age;
- the query string is the same, and so are the text it ran (parameters bound, an
  EXECUTE's prepared statement), the database and the catalog;
- the effective result configuration is the same: output folder, encryption, ACL and
  expected bucket owner (a client that overrides them gets a fresh run);
- its result file is still there (deleted or moved results are not reused).
Never reused: statements other than SELECT (and EXECUTE of one): DDL, SHOW, DESCRIBE,
EXPLAIN, CTAS, INSERT, UNLOAD; and non-deterministic queries: rand(), shuffle(), uuid(),
the current time, LIMIT without ORDER BY.
The reusing execution points at the previous result (its OutputLocation is the earlier
`<id>.csv`, as Athena's does), scans 0 bytes and reports
`Statistics.ResultReuseInformation.ReusedPreviousResult` true.  Like Athena, whether
the tables changed since is not checked: the maximum age is the caller's bound.
"""
from __future__ import annotations

import time

from botocore.exceptions import BotoCoreError, ClientError
from sqlglot import exp

from .. import storage
from ..errors import ParthenonError
from .models import SUCCEEDED, QueryExecution
from .store import ServiceStore

DEFAULT_MAX_AGE_MINUTES = 60
# Functions whose value changes from one run to the next (Trino's names, lower case).
NON_DETERMINISTIC = frozenset({
    "rand", "random", "shuffle", "uuid", "now", "current_timestamp", "current_time",
    "current_date", "localtime", "localtimestamp", "current_timezone"})
_TIME_NODES = (exp.CurrentTimestamp, exp.CurrentTime, exp.CurrentDate, exp.Rand)


def requested(p: dict) -> dict | None:
    """The request's ResultReuseByAgeConfiguration when reuse is enabled, with its
    MaxAgeInMinutes filled in; None when reuse is off."""
    by_age = (p.get("ResultReuseConfiguration") or {}).get("ResultReuseByAgeConfiguration") or {}
    if by_age.get("Enabled") is not True:
        return None
    age = by_age.get("MaxAgeInMinutes")
    return {"Enabled": True, "MaxAgeInMinutes": DEFAULT_MAX_AGE_MINUTES if age is None else int(age)}


def deterministic_select(tree: exp.Expression) -> bool:
    """Whether a parsed statement is a query whose result may be reused."""
    if not isinstance(tree, (exp.Query, exp.Values)):
        return False
    for node in tree.walk():
        if isinstance(node, _TIME_NODES):
            return False
        if isinstance(node, exp.Func):
            name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).lower()
            if name in NON_DETERMINISTIC:
                return False
        if isinstance(node, exp.Query) and node.args.get("limit") and not node.args.get("order"):
            return False
    return True


def _same_settings(q: QueryExecution, previous: QueryExecution) -> bool:
    return (previous.query == q.query and previous.run_text == q.run_text
            and previous.database == q.database and previous.catalog == q.catalog
            and previous.output_dir == q.output_dir and previous.result_config == q.result_config
            and previous.statement_type == q.statement_type and previous.columns is not None)


def result_present(location: str) -> bool:
    """Whether a result file is still where its execution put it."""
    try:
        storage.read_range(location, 0, 1)
    except (OSError, ParthenonError, BotoCoreError, ClientError):
        return False
    return True


def previous_result(store: ServiceStore, q: QueryExecution) -> QueryExecution | None:
    """The newest execution whose result `q` may reuse, or None."""
    if not q.reuse_config:
        return None
    since = q.submitted - q.reuse_config["MaxAgeInMinutes"] * 60
    for previous in store.succeeded_executions(q.workgroup, q.query, since):
        if previous.state == SUCCEEDED and _same_settings(q, previous):
            # a reused execution's own file is its source's: check the file it names
            if result_present(previous.output_location):
                return previous
    return None


def reuse(q: QueryExecution, previous: QueryExecution) -> None:
    """Make `q` a finished execution serving `previous`'s result."""
    now = time.time()
    q.state, q.started, q.completed = SUCCEEDED, now, now
    q.reused_from = previous.reused_from or previous.id
    q.columns, q.output_rows, q.output_bytes = previous.columns, previous.output_rows, previous.output_bytes
    q.statement_type, q.substatement_type = previous.statement_type, previous.substatement_type
    q.data_scanned, q.update_count = 0, None
