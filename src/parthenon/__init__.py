"""Parthenon: Athena's SQL over logs in S3 or local folders, on one machine."""
from .dbapi import (Connection, Cursor, DatabaseError, Error, NotSupportedError, OperationalError,
                    ProgrammingError, apilevel, connect, paramstyle, threadsafety)

__version__ = "0.1.0"

__all__ = ["Connection", "Cursor", "DatabaseError", "Error", "NotSupportedError",
           "OperationalError", "ProgrammingError", "apilevel", "connect", "paramstyle",
           "threadsafety", "__version__"]
