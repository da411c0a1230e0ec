"""The AWS Glue Data Catalog API over the SQL catalog: `catalog.GlueCatalog` holds the rules,
`shapes` the records in Glue's shapes, `expression` the Expression filters."""
from __future__ import annotations

import threading
from pathlib import Path

from ...catalog.model import Column, Table
from .catalog import GlueCatalog

__all__ = ["GlueCatalog", "EngineViewColumns"]


class EngineViewColumns:
    """A view's columns as the engine sees its query now (views store only their text).
    One Session, opened on first use and used by one caller at a time."""

    def __init__(self, home: Path):
        self.home = home
        self._session = None
        self._lock = threading.Lock()

    def __call__(self, view: Table) -> list[Column]:
        from ...session import Session       # the engine, only when a view is asked about
        with self._lock:
            if self._session is None:
                self._session = Session(home=self.home)
            return self._session.view_columns(view)

    def close(self) -> None:
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None
