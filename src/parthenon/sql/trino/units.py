"""Trino's date and time units (``date_add``, ``date_diff``, ``date_trunc``), shortest first.

The units shorter than a day (``DURATIONS``) move an instant; the others count on the
calendar (wall clock).  One table for every engine's rewrites.
"""
from __future__ import annotations

UNITS = ("millisecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year")
DURATIONS = UNITS[:4]
#: units that are a whole number of months, and how many
MONTHS = {"month": 1, "quarter": 3, "year": 12}

#: human_readable_seconds's words: each unit's seconds and how many of it make the next (None: no limit)
READABLE_UNITS = (("week", 604800, None), ("day", 86400, 7), ("hour", 3600, 24), ("minute", 60, 60),
                  ("second", 1, 60))
