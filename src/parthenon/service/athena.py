"""The Athena service: the one object `server.responses` and the scheduler talk to.

Like moto's `models.py`: state and rules only.  Each public method takes the
action's request members (a dict, AWS's names) and returns the response members;
`server.responses` is the thin JSON layer around it.  This class wires the parts
together and hands each action to the part that owns it:
- `query_lifecycle.QueryExecutions`: start, run, stop and look up query executions;
  `submission.Submissions` turns a StartQueryExecution request into one;
- `query_results.QueryResults`: GetQueryResults pages and runtime statistics;
- `workgroups.WorkGroups`, `named_queries.NamedQueries`,
  `prepared_statements.PreparedStatements`: the saved resources, in `store.ServiceStore`;
- `catalog_metadata.CatalogMetadata`: the catalog as the metadata actions show it;
  `glue.GlueCatalog`: the same catalog as the Glue Data Catalog API (`self.glue`);
- `tags.Tags`: tags on workgroups and the data catalog; ListEngineVersions.
Extension point: `add_listener(fn)` tells fn(execution, result) of every query that
reaches a final state (the scheduler's "when a result lands" hooks and its waits).
"""
from __future__ import annotations

import threading
from pathlib import Path

from .. import config
from ..catalog.model import Column, Table
from ..catalog.store import CatalogStore
from ..engine.limits import EngineLimits, default_budget
from ..errors import ParthenonError
from ..storage.location import FREE, Rules
from . import results
from .catalog_metadata import CatalogMetadata
from .errors import InvalidRequest
from .glue import EngineViewColumns, GlueCatalog
from .models import QueryExecution
from .named_queries import NamedQueries
from .prepared_statements import PreparedStatements
from .query_lifecycle import QueryExecutions, QueryListener
from .query_results import QueryResults
from .store import ServiceStore
from .submission import Submissions
from .tags import Tags, list_engine_versions
from .workgroups import WorkGroups


def default_results(home: Path) -> Path:
    """Where results go when neither client nor workgroup names a place; a server's default
    result root."""
    return home / "query-results"


class AthenaService:
    def __init__(self, home: str | Path | None = None, concurrency: int = 4, max_active: int = 200,
                 recover: bool = True, locations: Rules = FREE, memory: int | None = None,
                 spark_master: str = "local[*]"):
        """memory: the server's budget in bytes (default: limits.default_budget()), split
        across the `concurrency` workers' engines and the result cache."""
        self.home = Path(home) if home else config.home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.store = ServiceStore(self.home / "service.db")
        self.locations = locations          # where tables may read and results may go
        self.catalog = CatalogStore(self.home / "catalog.db", locations=locations)
        self.default_output = "file://" + str(default_results(self.home)) + "/"
        self.memory = budget = memory or default_budget()
        self.limits = EngineLimits.for_budget(budget, concurrency, self.home)
        self.cache = results.RowCache(max_bytes=results.cache_bytes(budget))
        self.lock = threading.RLock()       # one lock for every part's state changes
        self.workgroups = WorkGroups(self.store, self.lock, self.output_folder)   # creates `primary`
        self.named_queries = NamedQueries(self.store, self.lock, self.workgroups)
        self.prepared = PreparedStatements(self.store, self.workgroups)
        self.tags = Tags(self.store, self.workgroups)
        # views' columns as the engine resolves them now, for the metadata and Glue actions
        self.view_columns = EngineViewColumns(self.home)
        self.metadata = CatalogMetadata(self.catalog, view_columns=self.view_columns)
        self.glue = GlueCatalog(self.catalog, self.view_columns)    # the Glue API's catalog
        submissions = Submissions(self.store, self.workgroups, self.prepared, self.default_output,
                                  self.output_folder)
        # recover: False for a short-lived second service on a home a server is using
        self.queries = QueryExecutions(self.home, self.store, self.lock, self.workgroups,
                                       submissions, self.cache, concurrency, max_active, recover,
                                       locations, self.limits, spark_master)
        self.query_results = QueryResults(self.queries, self.cache)
        self.executor = self.queries.executor
        self.listeners = self.queries.listeners

    def close(self) -> None:
        self.executor.shutdown()
        self.view_columns.close()

    def output_folder(self, location: str) -> str:
        """An OutputLocation (a client's or a workgroup's), checked, as a folder ending in '/';
        InvalidRequestException naming it when it cannot be used."""
        try:
            loc = self.locations.check_output(location, self.catalog.table_holding)
        except ParthenonError as e:
            raise InvalidRequest(f"Invalid OutputLocation {location}: {e.message}") from None
        return loc.folder_text

    def add_listener(self, fn: QueryListener) -> None:
        """Call fn(execution, result) on the worker thread after each query's final state is
        stored.  Listeners must be quick (hand real work to a thread of their own)."""
        self.listeners.append(fn)

    def live_or_stored(self, id: str | None, token: str | None = None) -> QueryExecution | None:
        return self.queries.live_or_stored(id, token=token)

    # -- query executions (query_lifecycle.py)
    def start_query_execution(self, p: dict) -> dict:
        return self.queries.start_query_execution(p)

    def get_query_execution(self, p: dict) -> dict:
        return self.queries.get_query_execution(p)

    def batch_get_query_execution(self, p: dict) -> dict:
        return self.queries.batch_get_query_execution(p)

    def list_query_executions(self, p: dict) -> dict:
        return self.queries.list_query_executions(p)

    def stop_query_execution(self, p: dict) -> dict:
        return self.queries.stop_query_execution(p)


    # -- results and statistics (query_results.py)
    def get_query_results(self, p: dict) -> dict:
        return self.query_results.get_query_results(p)

    def get_query_runtime_statistics(self, p: dict) -> dict:
        return self.query_results.get_query_runtime_statistics(p)


    # -- workgroups (workgroups.py)
    def create_work_group(self, p: dict) -> dict:
        tags = Tags.checked(p.get("Tags"))          # refused before anything is created
        with self.lock:
            self.workgroups.create_work_group(p)
            self.store.put_tags(f"workgroup/{p['Name']}", tags)
        return {}

    def get_work_group(self, p: dict) -> dict:
        return self.workgroups.get_work_group(p)

    def list_work_groups(self, p: dict) -> dict:
        return self.workgroups.list_work_groups(p)

    def update_work_group(self, p: dict) -> dict:
        return self.workgroups.update_work_group(p)

    def delete_work_group(self, p: dict) -> dict:
        return self.workgroups.delete_work_group(p)


    # -- named queries (named_queries.py)
    def create_named_query(self, p: dict) -> dict:
        return self.named_queries.create_named_query(p)

    def get_named_query(self, p: dict) -> dict:
        return self.named_queries.get_named_query(p)

    def batch_get_named_query(self, p: dict) -> dict:
        return self.named_queries.batch_get_named_query(p)

    def list_named_queries(self, p: dict) -> dict:
        return self.named_queries.list_named_queries(p)

    def update_named_query(self, p: dict) -> dict:
        return self.named_queries.update_named_query(p)

    def delete_named_query(self, p: dict) -> dict:
        return self.named_queries.delete_named_query(p)


    # -- prepared statements (prepared_statements.py)
    def create_prepared_statement(self, p: dict) -> dict:
        return self.prepared.create_prepared_statement(p)

    def get_prepared_statement(self, p: dict) -> dict:
        return self.prepared.get_prepared_statement(p)

    def update_prepared_statement(self, p: dict) -> dict:
        return self.prepared.update_prepared_statement(p)

    def list_prepared_statements(self, p: dict) -> dict:
        return self.prepared.list_prepared_statements(p)

    def batch_get_prepared_statement(self, p: dict) -> dict:
        return self.prepared.batch_get_prepared_statement(p)

    def delete_prepared_statement(self, p: dict) -> dict:
        return self.prepared.delete_prepared_statement(p)


    # -- data catalogs and metadata (catalog_metadata.py)
    def list_data_catalogs(self, p: dict) -> dict:
        return self.metadata.list_data_catalogs(p)

    def get_data_catalog(self, p: dict) -> dict:
        return self.metadata.get_data_catalog(p)

    def list_databases(self, p: dict) -> dict:
        return self.metadata.list_databases(p)

    def get_database(self, p: dict) -> dict:
        return self.metadata.get_database(p)

    def list_table_metadata(self, p: dict) -> dict:
        return self.metadata.list_table_metadata(p)

    def get_table_metadata(self, p: dict) -> dict:
        return self.metadata.get_table_metadata(p)

    # -- tags and engine versions (tags.py)
    def tag_resource(self, p: dict) -> dict:
        return self.tags.tag_resource(p)

    def untag_resource(self, p: dict) -> dict:
        return self.tags.untag_resource(p)

    def list_tags_for_resource(self, p: dict) -> dict:
        return self.tags.list_tags_for_resource(p)

    def list_engine_versions(self, p: dict) -> dict:
        return list_engine_versions(p)
