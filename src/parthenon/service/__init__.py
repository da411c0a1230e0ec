"""Query lifecycle behind `parthenon serve`: ids, states, queue, cancel, statistics,
result files, workgroups, saved and prepared queries (state and rules, no HTTP)."""
from .athena import AthenaService
from .errors import ServiceError

__all__ = ["AthenaService", "ServiceError"]
