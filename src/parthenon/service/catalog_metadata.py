"""The catalog as Athena's metadata actions show it: ListDataCatalogs, GetDataCatalog,
ListDatabases, GetDatabase, ListTableMetadata, GetTableMetadata.  One catalog exists,
AwsDataCatalog, backed by the SQL catalog (`catalog.store`); read only."""
from __future__ import annotations

import time

from ..catalog.model import Table
from ..catalog.store import CatalogStore
from .errors import InvalidRequest, MetadataError
from .models import CATALOG
from .paging import page


class CatalogMetadata:
    def __init__(self, catalog: CatalogStore):
        self.catalog = catalog

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
        items, extra = page([table_metadata(t) for t in tables], p, 50, 50)
        return {"TableMetadataList": items, **extra}

    def get_table_metadata(self, p: dict) -> dict:
        self._check_catalog(p.get("CatalogName"))
        db, name = (p.get("DatabaseName") or "").lower(), (p.get("TableName") or "").lower()
        if self.catalog.get_database(db) is None:
            raise MetadataError(f"Database {db} not found.")
        t = self.catalog.get_table(db, name)
        if t is None:
            raise MetadataError(f"Table {name} not found.")
        return {"TableMetadata": table_metadata(t)}


def table_metadata(t: Table) -> dict:
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
            "Columns": cols(t.columns), "PartitionKeys": cols(t.partition_keys), "Parameters": params}
