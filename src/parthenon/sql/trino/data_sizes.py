"""Trino's data sizes (``parse_data_size('2.3MB')``, DataSizeFunctions), shared by both
engines: a decimal number and a unit, its multiple of 1024 (case as written: ``kB``,
``MB``...); the bytes are the number times the unit, truncated, at most 38 digits."""
from __future__ import annotations

#: The units and their bytes.
SIZE_UNITS = {u: 1024 ** i for i, u in enumerate(["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"])}

#: The text of a data size (Java's regex syntax, which Python's reads alike): number, unit.
DATA_SIZE = r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$"


def invalid_message(text: str) -> str:
    return f"Invalid data size: '{text}'"
