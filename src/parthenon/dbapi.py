"""PEP 249 (DB-API 2.0) over a Session: `parthenon.connect()` like `duckdb.connect()`."""
from __future__ import annotations

import datetime
import re
import time
from pathlib import Path
from typing import Any, Sequence

import pyarrow as pa

from . import config, errors
from .engine.limits import EngineLimits, parse_size
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


class Warning(Exception):   # noqa: A001 - the name PEP 249 requires
    pass


DataError = errors.BadData
IntegrityError = errors.AlreadyExists
InternalError = errors.QueryFailed

# -- PEP 249 constructors and type objects (type codes are Athena's type names)
Date = datetime.date
Time = datetime.time
Timestamp = datetime.datetime
Binary = bytes


def DateFromTicks(ticks: float) -> datetime.date:
    return Date(*time.localtime(ticks)[:3])


def TimeFromTicks(ticks: float) -> datetime.time:
    return Time(*time.localtime(ticks)[3:6])


def TimestampFromTicks(ticks: float) -> datetime.datetime:
    return Timestamp(*time.localtime(ticks)[:6])


class _TypeObject:
    def __init__(self, *prefixes: str):
        self.prefixes = prefixes

    def __eq__(self, type_code) -> bool:
        return isinstance(type_code, str) and type_code.split("(")[0].strip() in self.prefixes

    def __hash__(self) -> int:
        return hash(self.prefixes)


STRING = _TypeObject("varchar", "char", "string", "json", "uuid", "ipaddress")
BINARY = _TypeObject("varbinary")
NUMBER = _TypeObject("tinyint", "smallint", "integer", "int", "bigint", "real", "float",
                     "double", "decimal")
DATETIME = _TypeObject("date", "time", "timestamp", "time with time zone",
                       "timestamp with time zone", "interval year to month",
                       "interval day to second")
ROWID = _TypeObject()

_DECIMAL = re.compile(r"decimal\((\d+),\s*(\d+)\)")


class Connection:
    def __init__(self, home: str | Path | None = None, database: str = "default",
                 memory: int | str | None = None, engine: str = "duckdb",
                 spark_master: str | None = None):
        limits = None
        if memory is not None:
            budget = parse_size(memory) if isinstance(memory, str) else int(memory)
            limits = EngineLimits.for_budget(budget, 1, Path(home) if home else config.home())
        self.session = Session(home, database, limits=limits, engine=engine, spark_master=spark_master)
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
        self._closed = False

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
        return [(c.name, c.type, None, None, *_precision_scale(c.type), None)
                for c in self._result.columns]

    @property
    def rowcount(self) -> int:
        """Rows fetched for a query; rows written for CTAS, INSERT INTO and UNLOAD."""
        if self._result and self._result.update_count is not None:
            return self._result.update_count
        return len(self._rows) if self._result and self._result.columns else -1

    def execute(self, sql: str, parameters: Sequence[Any] | dict | None = None) -> "Cursor":
        self._check()
        self._result = self.connection.session.execute(sql, parameters)
        self._rows = _python_values(self._result)
        self._pos = 0
        return self

    def executemany(self, sql: str, seq_of_parameters) -> None:
        for params in seq_of_parameters:
            self.execute(sql, params)

    def fetchone(self) -> tuple | None:
        self._check()
        if self._pos >= len(self._rows):
            return None
        self._pos += 1
        return self._rows[self._pos - 1]

    def fetchmany(self, size: int | None = None) -> list[tuple]:
        self._check()
        size = self.arraysize if size is None else size
        rows = self._rows[self._pos:self._pos + size]
        self._pos += len(rows)
        return rows

    def fetchall(self) -> list[tuple]:
        self._check()
        rows = self._rows[self._pos:]
        self._pos = len(self._rows)
        return rows

    def fetch_arrow(self) -> pa.Table:
        """The whole result as an Arrow table (column names as in `description`)."""
        self._check()
        return self._result.table if self._result else pa.table({})

    def __iter__(self):
        return iter(self.fetchone, None)

    def setinputsizes(self, sizes) -> None:
        pass

    def setoutputsize(self, size, column=None) -> None:
        pass

    def close(self) -> None:
        self._result, self._rows = None, []
        self._closed = True

    def _check(self) -> None:
        if self._closed:
            raise InterfaceError("Cursor is closed")
        self.connection._check()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _python_values(result: Result) -> list[tuple]:
    """Rows as Python values: a timestamp with time zone, which the engine returns as
    Trino's text (it keeps its own zone), is a datetime in that zone; one of precision
    7..12 stays text (a datetime stops at microseconds), as a timestamp(7..12) does."""
    rows = result.rows()
    zoned = [i for i, c in enumerate(result.columns) if c.type.startswith("timestamp")
             and c.type.endswith("with time zone") and not re.match(r"timestamp\((?:[789]|1[012])\)", c.type)]
    if not zoned or not rows:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for i in zoned:
            if isinstance(row[i], str):
                row[i] = _zoned_datetime(row[i])
        out.append(tuple(row))
    return out


_ZONED = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?)\d* (\S+)")


def _zoned_datetime(text: str) -> datetime.datetime | str:
    from zoneinfo import ZoneInfo

    m = _ZONED.fullmatch(text)
    if not m:
        return text
    local, zone = m.groups()
    try:
        value = datetime.datetime.fromisoformat(local)
    except ValueError:      # year 0, which Python's datetime cannot hold, stays text
        return text
    offset = re.fullmatch(r"([+-])(\d\d):(\d\d)", zone)
    if zone == "UTC":
        return value.replace(tzinfo=datetime.timezone.utc)
    if offset:
        minutes = int(offset.group(2)) * 60 + int(offset.group(3))
        tz = datetime.timezone(datetime.timedelta(minutes=-minutes if offset.group(1) == "-" else minutes))
        return value.replace(tzinfo=tz)
    try:
        return value.replace(tzinfo=ZoneInfo(zone))
    except Exception:   # noqa: BLE001 - a zone Python does not know stays text
        return text


def _precision_scale(type_name: str) -> tuple[int | None, int | None]:
    m = _DECIMAL.fullmatch(type_name)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def connect(home: str | Path | None = None, database: str = "default",
            memory: int | str | None = None, engine: str = "duckdb",
            spark_master: str | None = None) -> Connection:
    """A connection over the catalog in `home` (default: PARTHENON_HOME or ~/.parthenon).
    `memory` (bytes, or "2GB", "25%"): the memory budget, default half of the memory
    this process may use; past it the engine spills to PARTHENON_HOME/tmp.
    `engine`: "duckdb" or "spark" (on `spark_master`: local[N], spark://host:port,
    sc://host:port; default local[*])."""
    return Connection(home, database, memory, engine, spark_master)
