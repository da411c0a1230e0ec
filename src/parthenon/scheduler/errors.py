"""The scheduler's errors, in the form the CLI prints (`CODE: message`)."""
from __future__ import annotations

from ..errors import ParthenonError


class SchedulerError(ParthenonError):
    code = "SCHEDULER_ERROR"


class DefinitionError(SchedulerError):
    """A schedule, hook, rule or action that cannot be accepted as written."""
    code = "INVALID_DEFINITION"


class NotFound(SchedulerError):
    code = "NOT_FOUND"
