"""PEP 249 (DB-API 2.0) over a Session: `parthenon.connect()` like `duckdb.connect()`."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import pyarrow as pa

from . import errors
from .result import Result
from .session import Session

apilevel = "2.0"
threadsafety = 1
paramstyle = "pyformat"   # `%(name)s`; `?` (qmark) with a sequence works too

Error = errors.ParthenonError
DatabaseError = errors.ParthenonError
ProgrammingError = errors.SqlSyntaxError
OperationalError = errors.StorageError
NotSupportedError = errors.NotSupported


class InterfaceError(errors.ParthenonError):
    code = "INTERFACE_ERROR"


class Connection:
    def __init__(self, home: str | Path | None = None, database: str = "default"):
        self.session = Session(home, database)
        self._closed = False

    def cursor(self) -> "Cursor":
        self._check()
        return Cursor(self)

    def execute(self, sql: str, parameters: Sequence[Any] | dict | None = None) -> "Cursor":
        return self.cursor().execute(sql, parameters)

    def commit(self) -> None:   # every statement commits on its own, as in Athena
        self._check()

    def rollback(self) -> None:
        raise errors.NotSupported("Transactions are not supported")

    def close(self) -> None:
        if not self._closed:
            self.session.close()
            self._closed = True

    def _check(self) -> None:
        if self._closed:
            raise InterfaceError("Connection is closed")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Cursor:
    arraysize = 1000

    def __init__(self, connection: Connection):
        self.connection = connection
        self._result: Result | None = None
        self._rows: list[tuple] = []
        self._pos = 0

    # -- statistics, named as Athena's QueryExecution.Statistics
    @property
    def data_scanned_in_bytes(self) -> int:
        return self._result.data_scanned_bytes if self._result else 0

    @property
    def engine_execution_time_in_millis(self) -> int:
        return round(self._result.engine_ms) if self._result else 0

    @property
    def query_planning_time_in_millis(self) -> int:
        return round(self._result.planning_ms) if self._result else 0

    @property
    def result(self) -> Result | None:
        return self._result

    @property
    def description(self):
        if not self._result or not self._result.columns:
            return None
        return [(c.name, c.type, None, None, None, None, None) for c in self._result.columns]

    @property
    def rowcount(self) -> int:
        return len(self._rows) if self._result and self._result.columns else -1

    def execute(self, sql: str, parameters: Sequence[Any] | dict | None = None) -> "Cursor":
        self.connection._check()
        self._result = self.connection.session.execute(sql, parameters)
        self._rows = self._result.rows()
        self._pos = 0
        return self

    def executemany(self, sql: str, seq_of_parameters) -> None:
        for params in seq_of_parameters:
            self.execute(sql, params)

    def fetchone(self) -> tuple | None:
        if self._pos >= len(self._rows):
            return None
        self._pos += 1
        return self._rows[self._pos - 1]

    def fetchmany(self, size: int | None = None) -> list[tuple]:
        size = self.arraysize if size is None else size
        rows = self._rows[self._pos:self._pos + size]
        self._pos += len(rows)
        return rows

    def fetchall(self) -> list[tuple]:
        rows = self._rows[self._pos:]
        self._pos = len(self._rows)
        return rows

    def fetch_arrow(self) -> pa.Table:
        """The whole result as an Arrow table (column names as in `description`)."""
        return self._result.table if self._result else pa.table({})

    def __iter__(self):
        return iter(self.fetchone, None)

    def setinputsizes(self, sizes) -> None:
        pass

    def setoutputsize(self, size, column=None) -> None:
        pass

    def close(self) -> None:
        self._result, self._rows = None, []


def connect(home: str | Path | None = None, database: str = "default") -> Connection:
    """A connection over the catalog in `home` (default: PARTHENON_HOME or ~/.parthenon)."""
    return Connection(home, database)
