"""The session's clock and zone on Spark: ``localtimestamp(p)``, ``localtime(p)``,
``current_timezone()``.

Athena's session zone is UTC, and so is Spark's (``translate.SPARK_CONF``): Spark's
``CURRENT_TIMESTAMP()`` is then the wall clock Trino's ``localtimestamp`` reads, a
timestamp(p) (3 digits unless p is given, rounded as Trino casts); ``localtime`` is its
time of day (a ``times`` TIME).  ``current_timezone()`` is the session zone, 'UTC'.  ``localtime(p)`` of another p than 3
is refused (NOT_SUPPORTED): the shared typing has no precision for it.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.trino.nodes import not_supported
from ...sql.trino.typing import precision
from .templates import call
from .times import of_wall_clock, rounded

FUNCTIONS = frozenset({"localtimestamp", "localtime", "current_timezone"})


def _digits(node: exp.Expression) -> int:
    p = precision(node.type) if node.type is not None else 3
    if p > 6:       # (Spark's clock holds microseconds)
        raise not_supported(node, f"A clock of {p} fractional digits is not supported on the Spark engine")
    return p


def _localtimestamp(node: exp.Expression) -> exp.Expression:
    return rounded(call("CURRENT_TIMESTAMP"), 6, _digits(node))


def _localtime(node: exp.Expression) -> exp.Expression:
    p = node.this
    if p is not None and not (isinstance(p, exp.Literal) and p.name == "3"):
        # (Trino's typing here has no localtime(p): it would be typed time(3))
        raise not_supported(node, "localtime(p) is not supported on the Spark engine")
    return of_wall_clock(rounded(call("CURRENT_TIMESTAMP"), 6, _digits(node)))


def _current_timezone(node: exp.Expression) -> exp.Expression:
    return exp.Literal.string("UTC")


CLASS_REWRITES = {
    exp.Localtimestamp: _localtimestamp,
    exp.Localtime: _localtime,
    exp.CurrentTimezone: _current_timezone,
}
ANONYMOUS_REWRITES: dict = {}
