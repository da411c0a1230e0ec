"""The catalog: databases, tables, views and partitions, persisted under PARTHENON_HOME."""
from .model import Column, Database, Partition, Table
from .store import DEFAULT_DATABASE, CatalogStore

__all__ = ["CatalogStore", "Column", "Database", "DEFAULT_DATABASE", "Partition", "Table"]
