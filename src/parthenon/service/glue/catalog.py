"""The AWS Glue Data Catalog actions over the SQL catalog (`catalog.store.CatalogStore`).

Like moto's `models.py`: each public method takes an action's request members (AWS's names)
and returns its response members; `server.glue_responses` is the JSON layer around it.
Databases, tables and partitions are the ones the DDL makes and reads (one store), so a
table made by CREATE EXTERNAL TABLE reads back from GetTable, and one made by CreateTable
answers SQL.  Errors use Glue's names and wording: EntityNotFoundException
("Table x not found."), AlreadyExistsException, InvalidInputException.
"""
from __future__ import annotations

import re
from typing import Callable

from ...catalog.model import Column, Partition, Table
from ...catalog.store import DEFAULT_DATABASE, CatalogStore
from ...errors import AlreadyExists as CatalogAlreadyExists
from ...errors import ParthenonError
from ..errors import InvalidRequest
from .. import paging
from . import shapes
from .errors import AlreadyExists, EntityNotFound, InvalidInput, entry_error
from .expression import name_filter, partition_filter

ViewColumns = Callable[[Table], "list[Column]"]
MAX_BATCH = 100      # PartitionInputList, PartitionsToDelete, ...: botocore's glue model's limits


class GlueCatalog:
    def __init__(self, catalog: CatalogStore, view_columns: ViewColumns | None = None):
        self.catalog = catalog
        self.view_columns = view_columns

    # -- databases
    def create_database(self, p: dict) -> dict:
        db = shapes.database_from_input(p.get("DatabaseInput"))
        try:
            self.catalog.create_database(db)
        except CatalogAlreadyExists:
            raise AlreadyExists("Database already exists.") from None
        return {}

    def get_database(self, p: dict) -> dict:
        return {"Database": shapes.database_to_glue(self._database(p.get("Name")))}

    def get_databases(self, p: dict) -> dict:
        items, extra = _page([shapes.database_to_glue(d) for d in self.catalog.list_databases()],
                             p, 100)
        return {"DatabaseList": items, **extra}

    def update_database(self, p: dict) -> dict:
        current = self._database(p.get("Name"))
        db = shapes.database_from_input(p.get("DatabaseInput"))
        if db.name != current.name:
            raise InvalidInput("Renaming a database is not supported: DatabaseInput.Name "
                               f"must be {current.name}")
        self.catalog.update_database(db)
        return {}

    def delete_database(self, p: dict) -> dict:
        db = self._database(p.get("Name"))
        if db.name == DEFAULT_DATABASE:
            raise InvalidInput("Cannot delete the default database.")
        self.catalog.drop_database(db.name, cascade=True)     # Glue deletes its tables too
        return {}

    # -- tables
    def create_table(self, p: dict) -> dict:
        db = self._database(p.get("DatabaseName")).name
        table_input = _table_input(p)
        table = shapes.table_from_input(db, table_input)
        if table.is_view:
            self._check_view(table)
        try:
            self.catalog.put_table(table)
        except CatalogAlreadyExists:
            raise AlreadyExists("Table already exists.") from None
        return {}

    def get_table(self, p: dict) -> dict:
        table = self._table(p.get("DatabaseName"), p.get("Name"))
        return {"Table": self._table_shape(table)}

    def get_tables(self, p: dict) -> dict:
        db = self._database(p.get("DatabaseName")).name
        matches = name_filter(p.get("Expression"))
        tables = [t for t in self.catalog.list_tables(db) if matches(t.name)]
        start, size = _window(p, 100)
        page = [self._table_shape(t) for t in tables[start:start + size]]
        return {"TableList": page, **_next(start, size, len(tables))}

    def update_table(self, p: dict) -> dict:
        current = self._table(p.get("DatabaseName"), p.get("Name") or (p.get("TableInput") or {}).get("Name"))
        table = shapes.table_from_input(current.database, _table_input(p))
        if table.name != current.name:
            raise InvalidInput("Renaming a table is not supported: TableInput.Name "
                               f"must be {current.name}")
        if table.is_view:
            self._check_view(table)
        self.catalog.update_table(table)
        return {}

    def delete_table(self, p: dict) -> dict:
        table = self._table(p.get("DatabaseName"), p.get("Name"))
        self.catalog.drop_table(table.database, table.name, view=table.is_view)
        return {}

    def batch_delete_table(self, p: dict) -> dict:
        db = self._database(p.get("DatabaseName")).name
        names = _batch(p.get("TablesToDelete"), "TablesToDelete")
        errors = []
        for name in names:
            try:
                self.delete_table({"DatabaseName": db, "Name": name})
            except (EntityNotFound, InvalidInput) as e:
                errors.append({"TableName": name, "ErrorDetail": entry_error(e)})
        return {"Errors": errors}

    def get_table_versions(self, p: dict) -> dict:
        current = self._table(p.get("DatabaseName"), p.get("TableName"))
        versions = self.catalog.table_versions(current.database, current.name)
        kept = [v for v in versions[::-1] if v[1] is not None]             # newest first
        start, size = _window(p, 100)
        page = [{"Table": self._table_shape(t, version, _updated(versions, version)),
                 "VersionId": str(version)} for version, t, _ in kept[start:start + size]]
        return {"TableVersions": page, **_next(start, size, len(kept))}

    def get_table_version(self, p: dict) -> dict:
        current = self._table(p.get("DatabaseName"), p.get("TableName"))
        versions = self.catalog.table_versions(current.database, current.name)
        wanted = versions[-1][0] if p.get("VersionId") is None else _version_id(p.get("VersionId"))
        for version, table, _ in versions:
            if version == wanted and table is not None:
                return {"TableVersion": {"Table": self._table_shape(table, version,
                                                                    _updated(versions, version)),
                                         "VersionId": str(version)}}
        raise EntityNotFound(f"Table version {wanted} of table {current.name} not found.")

    def delete_table_version(self, p: dict) -> dict:
        current = self._table(p.get("DatabaseName"), p.get("TableName"))
        self._expire_versions(current, [p.get("VersionId")], raise_first=True)
        return {}

    def batch_delete_table_version(self, p: dict) -> dict:
        current = self._table(p.get("DatabaseName"), p.get("TableName"))
        return {"Errors": self._expire_versions(current, _batch(p.get("VersionIds"), "VersionIds"))}

    def _expire_versions(self, table: Table, ids: list, raise_first: bool = False) -> list[dict]:
        """Glue keeps every past definition until it is deleted; the current one can only go
        with the table.  The errors, one per VersionId, as BatchDeleteTableVersion lists them."""
        versions = self.catalog.table_versions(table.database, table.name)
        current, known = versions[-1][0], {v for v, t, _ in versions if t is not None}
        errors, doomed = [], []
        for raw in ids:
            try:
                version = _version_id(raw)
                if version == current:
                    raise InvalidInput(f"Cannot delete the current version {version} of table "
                                       f"{table.name}: delete the table instead.")
                if version not in known:
                    raise EntityNotFound(f"Table version {version} of table {table.name} not found.")
                doomed.append(version)
            except (EntityNotFound, InvalidInput) as e:
                if raise_first:
                    raise
                errors.append({"TableName": table.name, "VersionId": str(raw),
                               "ErrorDetail": entry_error(e)})
        self.catalog.expire_table_versions(table.database, table.name, doomed)
        return errors

    # -- partitions
    def create_partition(self, p: dict) -> dict:
        table = self._partitioned(p)
        partition = shapes.partition_from_input(table, p.get("PartitionInput") or {})
        try:
            self.catalog.add_partitions(table.database, table.name, [partition])
        except CatalogAlreadyExists:
            raise AlreadyExists("Partition already exists.") from None
        return {}

    def batch_create_partition(self, p: dict) -> dict:
        table = self._partitioned(p)
        errors = []
        for item in _batch(p.get("PartitionInputList"), "PartitionInputList"):
            values = (item or {}).get("Values")
            try:
                partition = shapes.partition_from_input(table, item or {})
                if self.catalog.add_partitions(table.database, table.name, [partition],
                                               if_not_exists=True) == 0:
                    raise AlreadyExists("Partition already exists.")
            except (AlreadyExists, InvalidInput) as e:
                errors.append({"PartitionValues": values, "ErrorDetail": entry_error(e)})
        return {"Errors": errors}

    def get_partition(self, p: dict) -> dict:
        table = self._partitioned(p)
        return {"Partition": shapes.partition_to_glue(table, self._partition(table, p.get("PartitionValues")))}

    def get_partitions(self, p: dict) -> dict:
        table = self._partitioned(p, need_keys=False)
        keep = partition_filter(p.get("Expression"), table.partition_keys)
        matches = [part for part in self.catalog.list_partitions(table.database, table.name)
                   if keep(part.values)]
        number, total = _segment(p.get("Segment"))
        if total > 1:                # Trino's and Spark's Glue clients read segments in parallel
            matches = matches[number::total]
        start, size = _window(p, 1000)
        page = [shapes.partition_to_glue(table, part) for part in matches[start:start + size]]
        if p.get("ExcludeColumnSchema"):
            for item in page:
                item["StorageDescriptor"].pop("Columns", None)
        return {"Partitions": page, **_next(start, size, len(matches))}

    def batch_get_partition(self, p: dict) -> dict:
        table = self._partitioned(p)
        found = []
        for key in _batch(p.get("PartitionsToGet"), "PartitionsToGet", maximum=1000):
            values = shapes.partition_values(table, (key or {}).get("Values"))
            partition = self.catalog.get_partition(table.database, table.name, values)
            if partition is not None:      # Glue leaves missing partitions out, without an error
                found.append(shapes.partition_to_glue(table, partition))
        return {"Partitions": found, "UnprocessedKeys": []}

    def update_partition(self, p: dict) -> dict:
        table = self._partitioned(p)
        old = self._partition(table, p.get("PartitionValueList"))
        new = shapes.partition_from_input(table, p.get("PartitionInput") or {})
        try:
            self.catalog.update_partition(table.database, table.name, old.values, new)
        except CatalogAlreadyExists:
            raise AlreadyExists("Partition already exists.") from None
        return {}

    def batch_update_partition(self, p: dict) -> dict:
        table = self._partitioned(p)
        errors = []
        for entry in _batch(p.get("Entries"), "Entries"):
            entry = entry or {}
            try:
                self.update_partition({"DatabaseName": table.database, "TableName": table.name,
                                       "PartitionValueList": entry.get("PartitionValueList"),
                                       "PartitionInput": entry.get("PartitionInput")})
            except (EntityNotFound, AlreadyExists, InvalidInput) as e:
                errors.append({"PartitionValueList": entry.get("PartitionValueList"),
                               "ErrorDetail": entry_error(e)})
        return {"Errors": errors}

    def delete_partition(self, p: dict) -> dict:
        table = self._partitioned(p)
        partition = self._partition(table, p.get("PartitionValues"))
        self.catalog.drop_partitions(table.database, table.name, [partition.values])
        return {}

    def batch_delete_partition(self, p: dict) -> dict:
        table = self._partitioned(p)
        errors = []
        for key in _batch(p.get("PartitionsToDelete"), "PartitionsToDelete"):
            values = (key or {}).get("Values")
            try:
                self.delete_partition({"DatabaseName": table.database, "TableName": table.name,
                                       "PartitionValues": values})
            except (EntityNotFound, InvalidInput) as e:
                errors.append({"PartitionValues": values, "ErrorDetail": entry_error(e)})
        return {"Errors": errors}

    def get_partition_indexes(self, p: dict) -> dict:
        """Parthenon keeps no partition indexes (Terraform's aws_glue_catalog_table reads them)."""
        self._table(p.get("DatabaseName"), p.get("TableName"))
        return {"PartitionIndexDescriptorList": []}

    def get_tags(self, p: dict) -> dict:
        """Tags are not kept: every database and table has none (Terraform reads them)."""
        arn = p.get("ResourceArn") or ""
        m = re.fullmatch(r"arn:aws:glue:[^:]*:[^:]*:(database|table)/([^/]+)(?:/(.+))?", arn)
        if m is None:
            raise InvalidInput(f"Invalid ResourceArn: {arn}")
        kind, db, name = m.groups()
        if kind == "table":
            self._table(db, name)
        else:
            self._database(db)
        return {"Tags": {}}

    # -- lookups, in Glue's words
    def _database(self, name):
        if not isinstance(name, str) or not name:
            raise InvalidInput("DatabaseName is required")
        name = _unquoted(name)
        db = self.catalog.get_database(name)
        if db is None:
            raise EntityNotFound(f"Database {name} not found.")
        return db

    def _table(self, db_name, name) -> Table:
        db = self._database(db_name).name
        if not isinstance(name, str) or not name:
            raise InvalidInput("Name is required")
        name = _unquoted(name)
        table = self.catalog.get_table(db, name)
        if table is None:
            raise EntityNotFound(f"Table {name} not found.")
        return table

    def _partitioned(self, p: dict, need_keys: bool = True) -> Table:
        table = self._table(p.get("DatabaseName"), p.get("TableName"))
        if table.is_view or (need_keys and not table.partition_keys):
            raise InvalidInput(f"Table {table.name} is not partitioned.")
        return table

    def _partition(self, table: Table, values) -> Partition:
        partition = self.catalog.get_partition(table.database, table.name,
                                               shapes.partition_values(table, values))
        if partition is None:
            raise EntityNotFound("Cannot find partition.")
        return partition

    def _table_shape(self, table: Table, version: int | None = None,
                     updated_at: float | None = None) -> dict:
        if version is None:
            versions = self.catalog.table_versions(table.database, table.name)
            version = versions[-1][0] if versions else 0
            updated_at = versions[-2][2] if len(versions) > 1 else None
        columns = self._columns_of_view(table) if table.is_view else None
        return shapes.table_to_glue(table, columns, version, updated_at)

    def _columns_of_view(self, view: Table) -> list[Column]:
        if view.columns:
            return view.columns
        if view.glue.get("ViewColumns"):
            return [Column(c["name"], c["type"]) for c in view.glue["ViewColumns"]]
        if self.view_columns is None:
            return []
        try:
            return self.view_columns(view)
        except ParthenonError:        # a view whose tables went away still lists
            return []

    def _check_view(self, view: Table) -> None:
        """A view's query must run against the catalog now, as Athena checks at CREATE VIEW."""
        if self.view_columns is None:
            return
        try:
            self.view_columns(view)
        except ParthenonError as e:
            raise InvalidInput(f"Invalid view {view.qualified_name}: {e}") from None


def _table_input(p: dict) -> dict:
    table_input = p.get("TableInput")
    if not isinstance(table_input, dict):
        raise InvalidInput("TableInput is required")
    if "Name" not in table_input and p.get("Name"):
        table_input = {**table_input, "Name": p["Name"]}
    return table_input


def _updated(versions: list, version: int) -> float | None:
    """When a version took over: the time the one before it was replaced."""
    for v, _, replaced_at in versions:
        if v == version - 1:
            return replaced_at
    return None


def _version_id(value) -> int:
    """A VersionId: "a string representation of an integer" (Glue's API reference)."""
    if not isinstance(value, str) or not value.strip().isdigit():
        raise InvalidInput(f"VersionId must be a string of digits, not {value!r}")
    return int(value)


def _unquoted(name: str) -> str:
    """Names as Glue stores them: lower case; awswrangler quotes a database in backticks."""
    return name.strip().strip("`").lower()


def _batch(items, member: str, maximum: int = MAX_BATCH) -> list:
    if not isinstance(items, list):
        raise InvalidInput(f"{member} is required")
    if len(items) > maximum:
        raise InvalidInput(f"1 validation error detected: Value at '{member}' failed to satisfy "
                           f"constraint: Member must have length less than or equal to {maximum}")
    return items


def _segment(segment) -> tuple[int, int]:
    """(SegmentNumber, TotalSegments) of GetPartitions' Segment: partitions are dealt to
    segments in turn, so the segments of one listing hold each partition once."""
    if segment is None:
        return 0, 1
    number, total = (segment or {}).get("SegmentNumber"), (segment or {}).get("TotalSegments")
    if not isinstance(total, int) or not 1 <= total <= 10 or not isinstance(number, int) \
            or not 0 <= number < total:
        raise InvalidInput("Segment needs TotalSegments from 1 to 10 and a SegmentNumber "
                           "from 0 to TotalSegments - 1")
    return number, total


def _window(p: dict, maximum: int) -> tuple[int, int]:
    """(offset, page size) from NextToken and MaxResults, in Glue's error type."""
    try:
        return paging.offset(p.get("NextToken")), paging.max_results(p, maximum, maximum)
    except InvalidRequest as e:
        raise InvalidInput(e.message) from None


def _next(start: int, size: int, total: int) -> dict:
    return {"NextToken": paging.next_token(start + size)} if start + size < total else {}


def _page(items: list, p: dict, maximum: int) -> tuple[list, dict]:
    start, size = _window(p, maximum)
    return items[start:start + size], _next(start, size, len(items))
