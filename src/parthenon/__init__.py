"""Parthenon: Athena's SQL over logs in S3 or local folders, on one machine."""
from .dbapi import (BINARY, DATETIME, NUMBER, ROWID, STRING, Binary, Connection, Cursor,
                    DatabaseError, DataError, Date, DateFromTicks, Error, IntegrityError,
                    InterfaceError, InternalError, NotSupportedError, OperationalError,
                    ProgrammingError, Time, TimeFromTicks, Timestamp, TimestampFromTicks,
                    Warning, apilevel, connect, paramstyle, threadsafety)

from importlib.metadata import PackageNotFoundError as _NotInstalled, version as _version

try:      # the version pyproject.toml gives, as installed
    __version__ = _version("parthenon")
except _NotInstalled:     # a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["BINARY", "DATETIME", "NUMBER", "ROWID", "STRING", "Binary", "Connection", "Cursor",
           "DataError", "DatabaseError", "Date", "DateFromTicks", "Error", "IntegrityError",
           "InterfaceError", "InternalError", "NotSupportedError", "OperationalError",
           "ProgrammingError", "Time", "TimeFromTicks", "Timestamp", "TimestampFromTicks",
           "Warning", "apilevel", "connect", "paramstyle", "threadsafety", "__version__"]
