"""StartQueryExecution's rules, from the request to a QueryExecution ready to queue:
- the query text is required and at most 262144 bytes;
- the workgroup must be enabled and the catalog AwsDataCatalog;
- the effective OutputLocation is the workgroup's when it enforces its configuration,
  else the client's, else the workgroup's, else a folder under PARTHENON_HOME;
- PREPARE and DEALLOCATE are done at once and recorded as finished UTILITY queries;
  EXECUTE runs its prepared statement's text, with the parameters bound;
- a CTAS naming its own external_location is refused here when the workgroup enforces its
  output location (its tables go under `<output>/tables/<query-id>/`, as Athena's do);
- a SELECT that may reuse an earlier result (`result_reuse`) is recorded as finished at
  once, pointing at that result;
- a syntax error is refused here (InvalidRequestException with AthenaErrorCode
  MALFORMED_QUERY, as Athena does); every other error FAILS the query when it runs.
"""
from __future__ import annotations

import time
import uuid
from typing import Callable

from ..errors import SqlSyntaxError
from ..sql.parser import parse_statement
from ..writes.options import names_a_location
from . import result_reuse, results, statements
from .errors import InvalidRequest
from .output_check import OutputCheck
from .models import CATALOG, SUCCEEDED, QueryExecution, WorkGroup
from .prepared_statements import PreparedStatements
from .store import ServiceStore
from .workgroups import WorkGroups, query_engine, query_timeout_minutes

ENFORCED_CTAS_LOCATION = (
    "The Create Table As Select query failed because it was submitted with an "
    "'external_location' property to an Athena Workgroup that enforces a centralized output "
    "location for all queries. Please remove the 'external_location' property and resubmit "
    "the query.")


def query_text(p: dict) -> str:
    """The request's QueryString, checked."""
    text = p.get("QueryString")
    if not isinstance(text, str) or not text.strip():
        raise InvalidRequest("QueryString is required and must not be empty")
    if len(text.encode()) > 262144:
        raise InvalidRequest("Query string exceeds the maximum length of 262144 bytes")
    return text


class Submissions:
    def __init__(self, store: ServiceStore, workgroups: WorkGroups,
                 prepared: PreparedStatements, default_output: str,
                 output_folder: Callable[[str], str]):
        self.store = store
        self.workgroups = workgroups
        self.prepared = prepared
        self.default_output = default_output
        self.output_folder = output_folder      # a checked OutputLocation, as a folder
        self.output_check = OutputCheck()

    def new_execution(self, p: dict, text: str, token: str | None) -> QueryExecution:
        """QUEUED with its text to run, or already SUCCEEDED (PREPARE / DEALLOCATE)."""
        wg = self.workgroups.require(p.get("WorkGroup"))
        if wg.state != "ENABLED":
            raise InvalidRequest(f"WorkGroup {wg.name} is disabled.")
        ctx = p.get("QueryExecutionContext") or {}
        catalog = ctx.get("Catalog") or CATALOG
        if catalog.lower() != CATALOG.lower():
            raise InvalidRequest(f"Catalog {catalog} does not exist", code="INVALID_INPUT")
        config_in = dict(p.get("ResultConfiguration") or {})
        client_out = config_in.pop("OutputLocation", None)
        wg_out = wg.output_location()
        output = (wg_out if wg.enforced and wg_out else client_out or wg_out) or self.default_output
        output_dir = self.output_folder(output)
        self.output_check.require(output_dir)    # reachable and writable, before any scan
        q = QueryExecution(
            id=str(uuid.uuid4()), query=text, workgroup=wg.name,
            database=context_database(ctx), catalog=CATALOG,
            output_dir=output_dir, statement_type="DML",
            substatement_type="SELECT", submitted=time.time(), client_token=token,
            parameters=p.get("ExecutionParameters") or None, result_config=config_in,
            bytes_cutoff=wg.configuration.get("BytesScannedCutoffPerQuery"),
            timeout_minutes=query_timeout_minutes(wg), reuse_config=result_reuse.requested(p),
            engine=query_engine(wg))
        run_text = self._resolve(q, wg)
        if run_text is None:
            return q
        q.run_text = run_text
        q.statement_type, q.substatement_type = statements.classify(run_text)
        try:
            tree = parse_statement(run_text)
        except SqlSyntaxError as e:
            raise InvalidRequest(str(e).removeprefix(f"{e.code}: "), code="MALFORMED_QUERY") from None
        if wg.enforced and wg_out and q.substatement_type == "CREATE_TABLE_AS_SELECT" and \
                names_a_location(tree.args.get("properties")):
            raise InvalidRequest(ENFORCED_CTAS_LOCATION)
        if q.reuse_config and result_reuse.deterministic_select(tree):
            previous = result_reuse.previous_result(self.store, q)
            if previous is not None:
                result_reuse.reuse(q, previous)
                self.store.put_execution(q)
        return q

    def _resolve(self, q: QueryExecution, wg: WorkGroup) -> str | None:
        """The text to run: EXECUTE resolved and parameters bound; PREPARE/DEALLOCATE done."""
        text = q.query
        m = statements.PREPARE.match(text)
        if m:
            self.prepared.create_prepared_statement(
                {"StatementName": m.group(1), "WorkGroup": wg.name, "QueryStatement": m.group(2)},
                replace=True)
            return self._immediate(q, "PREPARE")
        m = statements.DEALLOCATE.match(text)
        if m:
            self.prepared.delete_prepared_statement({"StatementName": m.group(1), "WorkGroup": wg.name})
            return self._immediate(q, "DEALLOCATE")
        values = list(q.parameters or [])
        m = statements.EXECUTE.match(text)
        if m:
            ps = self.store.get_prepared(wg.name, m.group(1))
            if ps is None:
                raise InvalidRequest(f"Prepared statement {m.group(1)} was not found in "
                                     f"workgroup {wg.name}", code="INVALID_INPUT")
            text = ps.query
            if m.group(2):
                values = statements.split_arguments(m.group(2)) + values
        if values or statements.placeholders(text):
            text = statements.bind(text, values)
        return text

    def _immediate(self, q: QueryExecution, sub: str) -> None:
        now = time.time()
        q.statement_type, q.substatement_type = "UTILITY", sub
        q.state, q.started, q.completed, q.columns = SUCCEEDED, now, now, []
        results.write_file(q.output_location, b"")
        self.store.put_execution(q)
        return None


def context_database(ctx: dict) -> str:
    """QueryExecutionContext.Database, lower case; awswrangler sends it in backticks (`default`),
    which Athena accepts as Hive quoting."""
    name = (ctx.get("Database") or "default").strip()
    if len(name) > 2 and name[0] == name[-1] == "`":
        name = name[1:-1]
    return name.lower()
