"""The Athena service's records: query executions, workgroups, saved and prepared queries.

Plain dataclasses (persisted as JSON by `store.py`) with the one derivation each
needs: its shape in the API.  No HTTP and no engine here, like moto's models.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED = "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"
DONE = (SUCCEEDED, FAILED, CANCELLED)
ENGINE_VERSION = {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"}
CATALOG = "AwsDataCatalog"


def _ms(value: float) -> int:
    return int(round(value))


@dataclass
class QueryExecution:
    id: str
    query: str                    # the text as submitted (EXECUTE ... stays EXECUTE ...)
    workgroup: str
    database: str
    catalog: str
    output_dir: str               # the effective OutputLocation folder, ending in '/'
    statement_type: str           # DDL | DML | UTILITY
    substatement_type: str
    submitted: float
    state: str = QUEUED
    reason: str | None = None     # StateChangeReason
    error: dict | None = None     # AthenaError
    started: float | None = None
    completed: float | None = None
    planning_ms: float = 0.0
    engine_ms: float = 0.0
    service_ms: float = 0.0
    data_scanned: int = 0
    source_scanned: int = 0       # of data_scanned, read from storage (the rest: from the scan cache)
    cache_scanned: int = 0        # bytes of the scan cache read instead
    output_rows: int = 0
    output_bytes: int = 0
    client_token: str | None = None
    parameters: list[str] | None = None
    result_config: dict = field(default_factory=dict)   # encryption, ACL: echoed back
    columns: list[dict] | None = None                   # ColumnInfo, once SUCCEEDED
    bytes_cutoff: int | None = None                     # the workgroup's BytesScannedCutoffPerQuery
    run_text: str | None = None   # what the engine runs: parameters bound, EXECUTE resolved
    timeout_minutes: float | None = None                # the workgroup's query timeout
    scan_cache: bool = True                             # the workgroup lets it use the scan cache
    update_count: int | None = None         # rows written by CTAS, INSERT INTO, UNLOAD
    manifest_location: str | None = None    # their `<id>-manifest.csv` (DataManifestLocation)
    engine: str = "duckdb"                  # the workgroup's engine (duckdb, spark)
    reuse_config: dict | None = None        # ResultReuseByAgeConfiguration, when reuse is on
    reused_from: str | None = None          # the execution whose result this one serves

    @property
    def result_id(self) -> str:
        """The execution whose result file (and cached rows) this one reads."""
        return self.reused_from or self.id

    @property
    def extension(self) -> str:
        return ".csv" if self.statement_type == "DML" else ".txt"

    @property
    def output_location(self) -> str:
        return f"{self.output_dir}{self.result_id}{self.extension}"

    @property
    def has_header(self) -> bool:
        """A SELECT's first page starts with the column labels; SHOW/DESCRIBE/DDL don't."""
        return self.statement_type == "DML"

    def timeline(self) -> dict:
        """Athena's statistics: queue, planning, engine, service and total times.
        While the query runs, the engine and total times are the time elapsed so far
        (as Athena shows them live); planning and service times come at the end."""
        if self.state == RUNNING and self.started is not None and self.completed is None:
            now = time.time()
            return {
                "EngineExecutionTimeInMillis": _ms((now - self.started) * 1000),
                "QueryQueueTimeInMillis": _ms((self.started - self.submitted) * 1000),
                "ServicePreProcessingTimeInMillis": 0,
                "QueryPlanningTimeInMillis": _ms(self.planning_ms),
                "ServiceProcessingTimeInMillis": 0,
                "TotalExecutionTimeInMillis": _ms((now - self.submitted) * 1000),
            }
        now_or_done = self.completed
        queue = ((self.started or now_or_done or self.submitted) - self.submitted) * 1000
        total = ((now_or_done - self.submitted) * 1000) if now_or_done else 0
        return {
            "EngineExecutionTimeInMillis": _ms(self.engine_ms + self.planning_ms),
            "QueryQueueTimeInMillis": _ms(queue),
            "ServicePreProcessingTimeInMillis": 0,
            "QueryPlanningTimeInMillis": _ms(self.planning_ms),
            "ServiceProcessingTimeInMillis": _ms(self.service_ms),
            "TotalExecutionTimeInMillis": _ms(max(total, queue + self.engine_ms + self.planning_ms
                                                  + self.service_ms) if now_or_done else 0),
        }

    def to_api(self) -> dict:
        status = {"State": self.state, "SubmissionDateTime": self.submitted}
        if self.completed is not None:
            status["CompletionDateTime"] = self.completed
        if self.reason:
            status["StateChangeReason"] = self.reason
        if self.error:
            status["AthenaError"] = self.error
        stats = {**self.timeline(), "DataScannedInBytes": self.data_scanned,
                 "ParthenonSourceScannedInBytes": self.source_scanned,
                 "ParthenonCacheScannedInBytes": self.cache_scanned,
                 "ResultReuseInformation": {"ReusedPreviousResult": self.reused_from is not None}}
        if self.manifest_location:
            stats["DataManifestLocation"] = self.manifest_location
        out = {
            "QueryExecutionId": self.id, "Query": self.query,
            "StatementType": self.statement_type, "SubstatementType": self.substatement_type,
            "ResultConfiguration": {**self.result_config, "OutputLocation": self.output_location},
            "ResultReuseConfiguration": {"ResultReuseByAgeConfiguration":
                                         self.reuse_config or {"Enabled": False}},
            "QueryExecutionContext": {"Database": self.database, "Catalog": self.catalog},
            "Status": status, "Statistics": stats, "WorkGroup": self.workgroup,
            "EngineVersion": ENGINE_VERSION,
        }
        if self.parameters:
            out["ExecutionParameters"] = self.parameters
        return out


@dataclass
class WorkGroup:
    name: str
    created: float
    state: str = "ENABLED"
    description: str = ""
    configuration: dict = field(default_factory=dict)   # WorkGroupConfiguration, as sent

    def output_location(self) -> str | None:
        return self.configuration.get("ResultConfiguration", {}).get("OutputLocation")

    @property
    def enforced(self) -> bool:
        return bool(self.configuration.get("EnforceWorkGroupConfiguration", False))

    def to_api(self) -> dict:
        config = {"EnforceWorkGroupConfiguration": False, "PublishCloudWatchMetricsEnabled": False,
                  "RequesterPaysEnabled": False, **self.configuration,
                  "EngineVersion": ENGINE_VERSION}
        config.setdefault("ResultConfiguration", {})
        return {"Name": self.name, "State": self.state, "Configuration": config,
                "Description": self.description, "CreationTime": self.created}

    def summary(self) -> dict:
        return {"Name": self.name, "State": self.state, "Description": self.description,
                "CreationTime": self.created, "EngineVersion": ENGINE_VERSION}


@dataclass
class NamedQuery:
    id: str
    name: str
    database: str
    query: str
    workgroup: str
    description: str = ""
    client_token: str | None = None

    def to_api(self) -> dict:
        out = {"Name": self.name, "Database": self.database, "QueryString": self.query,
               "NamedQueryId": self.id, "WorkGroup": self.workgroup}
        if self.description:
            out["Description"] = self.description
        return out


@dataclass
class PreparedStatement:
    name: str
    workgroup: str
    query: str
    modified: float
    description: str = ""

    def to_api(self) -> dict:
        out = {"StatementName": self.name, "QueryStatement": self.query,
               "WorkGroupName": self.workgroup, "LastModifiedTime": self.modified}
        if self.description:
            out["Description"] = self.description
        return out

    def summary(self) -> dict:
        return {"StatementName": self.name, "LastModifiedTime": self.modified}
