"""The catalog as Athena's metadata actions show it: ListDataCatalogs, GetDataCatalog,
ListDatabases, GetDatabase, ListTableMetadata, GetTableMetadata.  One catalog exists,
AwsDataCatalog, backed by the SQL catalog (`catalog.store`); read only.

A missing table is Athena's MetadataException wrapping Glue's EntityNotFoundException
("... (Service: AmazonDataCatalog; ...; Error Code: EntityNotFoundException; ...)"):
clients such as PyAthena's SQLAlchemy dialect read the Glue code from that envelope to
tell "no such table" from other failures.  A view's columns come from its query, which
only the query layer can resolve (``view_columns``)."""
from __future__ import annotations

import time
import uuid
from typing import Callable

from ..catalog.model import Column, Table
from ..errors import ParthenonError
from ..catalog.store import CatalogStore
from .errors import InvalidRequest, MetadataError
from .models import CATALOG
from .paging import page


def entity_not_found(message: str) -> MetadataError:
    """Athena's wording of Glue's EntityNotFoundException, request id and all."""
    return MetadataError(f"{message} (Service: AmazonDataCatalog; Status Code: 400; Error Code: "
                         f"EntityNotFoundException; Request ID: {uuid.uuid4()}; Proxy: null)")


class CatalogMetadata:
    def __init__(self, catalog: CatalogStore,
                 view_columns: Callable[[Table], list[Column]] | None = None):
        self.catalog = catalog
        self.view_columns = view_columns

    def _check_catalog(self, name: str | None) -> None:
        if (name or "").lower() != CATALOG.lower():
            raise InvalidRequest(f"Catalog {name} does not exist")

    def list_data_catalogs(self, p: dict) -> dict:
        return {"DataCatalogsSummary": [{"CatalogName": CATALOG, "Type": "GLUE", "Status": "CREATE_COMPLETE"}]}

    def get_data_catalog(self, p: dict) -> dict:
        self._check_catalog(p.get("Name"))
        return {"DataCatalog": {"Name": CATALOG, "Description": "Parthenon's catalog",
                                "Type": "GLUE", "Parameters": {"catalog-id": "parthenon"},
                                "Status": "CREATE_COMPLETE"}}

    def list_databases(self, p: dict) -> dict:
        self._check_catalog(p.get("CatalogName"))
        dbs = [{"Name": d.name, **({"Description": d.comment} if d.comment else {}),
                "Parameters": dict(d.properties)} for d in self.catalog.list_databases()]
        items, extra = page(dbs, p, 50, 50)
        return {"DatabaseList": items, **extra}

    def get_database(self, p: dict) -> dict:
        self._check_catalog(p.get("CatalogName"))
        name = (p.get("DatabaseName") or "").lower()
        d = self.catalog.get_database(name)
        if d is None:
            raise MetadataError(f"Database {name} not found.")
        return {"Database": {"Name": d.name, **({"Description": d.comment} if d.comment else {}),
                             "Parameters": dict(d.properties)}}

    def list_table_metadata(self, p: dict) -> dict:
        self._check_catalog(p.get("CatalogName"))
        name = (p.get("DatabaseName") or "").lower()
        if self.catalog.get_database(name) is None:
            raise MetadataError(f"Database {name} not found.")
        tables = self.catalog.list_tables(name, p.get("Expression"))
        items, extra = page(tables, p, 50, 50)
        items = [table_metadata(t, self._columns_of(t)) for t in items]
        return {"TableMetadataList": items, **extra}

    def get_table_metadata(self, p: dict) -> dict:
        self._check_catalog(p.get("CatalogName"))
        db, name = (p.get("DatabaseName") or "").lower(), (p.get("TableName") or "").lower()
        if self.catalog.get_database(db) is None:
            raise entity_not_found(f"Database {db} not found.")
        t = self.catalog.get_table(db, name)
        if t is None:
            raise entity_not_found("Entity Not Found")
        return {"TableMetadata": table_metadata(t, self._columns_of(t))}

    def _columns_of(self, t: Table) -> list[Column]:
        """A table's data columns; a view's as its query yields them (none if it fails now)."""
        if not t.is_view or t.columns or self.view_columns is None:
            return t.columns
        try:
            return self.view_columns(t)
        except ParthenonError:        # a view over a dropped table: Athena lists it, stale
            return []


def table_metadata(t: Table, columns: list[Column] | None = None) -> dict:
    """A table as Glue/Athena describe it: Hive column types, SerDe and format as Parameters."""
    params = {"EXTERNAL": "TRUE"} if not t.is_view else {}
    for key, value in (("location", t.location), ("inputformat", t.input_format),
                       ("outputformat", t.output_format), ("serde.serialization.lib", t.serde)):
        if value:
            params[key] = value
    params.update({f"serde.param.{k}": v for k, v in t.serde_properties.items()})
    params.update(t.table_properties)
    if t.created_at:
        params["transient_lastDdlTime"] = str(int(t.created_at))

    def cols(columns):
        return [{"Name": c.name, "Type": c.type, **({"Comment": c.comment} if c.comment else {})}
                for c in columns]
    return {"Name": t.name, "CreateTime": t.created_at or time.time(), "TableType": t.table_type,
            "Columns": cols(t.columns if columns is None else columns), "PartitionKeys": cols(t.partition_keys), "Parameters": params}
