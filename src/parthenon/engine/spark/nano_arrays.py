"""Arrays of timestamp(7..9) on Spark: arrays of ``nano_timestamps``' structs.

Spark compares and orders the structs as Trino does the values, so an array of them
keeps Trino's answers where the array is built (``ARRAY[...]``, a timestamp of fewer
digits widened with no nanoseconds past its microseconds) and read by:
``contains``, ``array_position`` (of a value widened so too), ``a[i]``, ``element_at``,
``array_min`` / ``array_max``, ``array_sort`` (with or without a comparator, whose
parameters are timestamp(7..9) values), ``cardinality``, ``array_distinct``,
``array_join`` (each element as Trino's text) and a result column (as Trino's text of
each element).  Any other use of such an array is refused (NOT_SUPPORTED): Spark would
read the struct otherwise (a cast, a lambda's element, ``||``...).
"""
from __future__ import annotations

import itertools

from sqlglot import exp

from ...sql.trino.nodes import is_type, not_supported
from ...sql.trino.typing import precision
from . import nano_timestamps
from .templates import spark

DType = exp.DType
_names = itertools.count()

# read the array whole: Spark's functions act on the structs as Trino's on the values
_READERS = (exp.ArrayContains, exp.ArrayPosition, exp.Bracket, exp.ArrayMin, exp.ArrayMax, exp.ArraySort,
            exp.ArraySize, exp.ArrayDistinct, exp.ArrayToString, exp.Paren, exp.Alias)
_SEARCHES = (exp.ArrayContains, exp.ArrayPosition)


def element_precision(typ: exp.DataType | None) -> int | None:
    """p of an array(timestamp(p)) with p in 7..9, else None."""
    if typ is None or typ.this != DType.ARRAY or not typ.expressions:
        return None
    inner = typ.expressions[0]
    return precision(inner) if inner.this == DType.TIMESTAMP and 6 < precision(inner) <= 9 else None


def is_nano_array(node: exp.Expression | None) -> bool:
    return node is not None and element_precision(node.type) is not None


def takes_whole(node: exp.Expression, child: exp.Expression) -> bool:
    """Whether `node` takes the timestamp(7..9) `child` whole (the struct): an element of
    an array built, or the value an array of them is searched for."""
    if isinstance(node, exp.Array):
        return True
    return isinstance(node, _SEARCHES) and child is node.expression and is_nano_array(node.this)


def _widened(child: exp.Expression) -> None:
    """A timestamp of at most 6 digits beside timestamp(7..9) values: no nanoseconds past
    its microseconds."""
    if is_type(child, DType.TIMESTAMP) and not nano_timestamps.is_nano(child):
        child.replace(nano_timestamps.make(child.copy(), 0))


def adapt(node: exp.Expression) -> None:
    """Widen the elements of an array built, and refuse another use of such an array."""
    if isinstance(node, exp.Array) and is_nano_array(node):
        for e in list(node.expressions):
            _widened(e)
        return
    children = [c for v in node.args.values() for c in (v if isinstance(v, list) else [v])
                if isinstance(c, exp.Expression) and not isinstance(c, exp.DataType)]
    arrays = [c for c in children if is_nano_array(c)]
    if not arrays:
        return
    if isinstance(node, _SEARCHES) and is_nano_array(node.this):
        _widened(node.expression)
        return
    if isinstance(node, _READERS) or isinstance(node, exp.Select) and not node.args.get("distinct"):
        return
    raise not_supported(arrays[0], f"This use of an array(timestamp({element_precision(arrays[0].type)})) is not "
                                   "supported on the Spark engine")


def texts(x: exp.Expression, p: int) -> exp.Expression:
    """Trino's text of each element (``2020-05-10 12:34:56.123456789``), NULL kept."""
    n = next(_names)
    e = exp.column(f"__nt{n}")
    return spark(f"TRANSFORM(_a, __nt{n} -> _t)", _a=x, _t=nano_timestamps.text(e, p))


def _array_join(node: exp.ArrayToString) -> exp.Expression | None:
    p = element_precision(node.this.type)
    if p is None:
        return None
    return exp.ArrayToString(this=texts(node.this, p), expression=node.expression, null=node.args.get("null"))


CLASS_REWRITES = {exp.ArrayToString: _array_join}
ANONYMOUS_REWRITES: dict = {}
