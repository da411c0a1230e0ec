"""Trino's rows on Spark where their parts need a reading of their own.

- A row written in place (``ROW(...)``, nested rows too) that is an operand of a
  comparison (``=``, ``<>``, ``<``..., ``IS [NOT] DISTINCT FROM``) may hold
  ``timestamp with time zone`` fields: Trino compares their instants, whatever the
  zone, so each zoned field is given as its instant (``zoned.instant``), and the rows
  compare field by field as any others (``equality``).  Other rows holding zoned values
  stay refused (``types``): Spark would compare the wall clock and the zone.
"""
from __future__ import annotations

from sqlglot import exp

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ)


def compared_in_place(node: exp.Expression) -> bool:
    """A row constructor, possibly inside others, that is an operand of a comparison."""
    if not isinstance(node, exp.Struct):
        return False
    parent = node.parent
    while isinstance(parent, (exp.Struct, exp.Paren)):
        parent = parent.parent
    return isinstance(parent, _COMPARISONS)
