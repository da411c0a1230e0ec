"""Parthenon: Athena's SQL over logs in S3 or local folders, on one machine."""
from .dbapi import (BINARY, DATETIME, NUMBER, ROWID, STRING, Binary, Connection, Cursor,
                    DatabaseError, DataError, Date, DateFromTicks, Error, IntegrityError,
                    InterfaceError, InternalError, NotSupportedError, OperationalError,
                    ProgrammingError, Time, TimeFromTicks, Timestamp, TimestampFromTicks,
                    Warning, apilevel, connect, paramstyle, threadsafety)

__version__ = "0.1.0"

__all__ = ["BINARY", "DATETIME", "NUMBER", "ROWID", "STRING", "Binary", "Connection", "Cursor",
           "DataError", "DatabaseError", "Date", "DateFromTicks", "Error", "IntegrityError",
           "InterfaceError", "InternalError", "NotSupportedError", "OperationalError",
           "ProgrammingError", "Time", "TimeFromTicks", "Timestamp", "TimestampFromTicks",
           "Warning", "apilevel", "connect", "paramstyle", "threadsafety", "__version__"]
