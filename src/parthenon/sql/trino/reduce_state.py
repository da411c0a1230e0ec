"""The type of ``reduce(a, s0, (s, x) -> f, s -> g)``'s state, as Trino's signature binder
solves it.  Shared by the engines' typing and rewrites.

Trino binds the state type S to the initial state's type, then to the input function's
result: that result must be S exactly (a lambda's result is never coerced), while the
initial state may be coerced to S.  So

- ``reduce(a, 0, (s, x) -> s + coalesce(x, 0), s -> s)`` of a bigint array has a bigint
  state (the integer 0 widens to it) and is a bigint;
- ``reduce(a, 0, (s, x) -> CAST(s + x AS TINYINT), s -> s)`` has none (the integer 0
  does not narrow to tinyint): FUNCTION_NOT_FOUND.

Only a widening that is a fixed point is taken (the input function typed with the wider
state gives that state again: integers, real, double); otherwise the initial state's type
stands and the engine answers or refuses as before.
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import FunctionNotFound
from . import typing as T
from .positions import position


def widened(initial: exp.DataType | None, result: exp.DataType | None) -> exp.DataType | None:
    """The input function's result type when the initial state widens to it (integer to
    bigint or double), else None."""
    if initial is None or result is None or initial == result:
        return None
    if initial.this in (exp.DType.NULL, exp.DType.UNKNOWN) or result.this not in T.NUMBERS \
            or initial.this not in T.NUMBERS or result.this == exp.DType.DECIMAL:
        return None
    common = T.common_super_type([initial, result])
    kind = common.this if isinstance(common, exp.DataType) else common
    return result if kind == result.this else None


def check(node: exp.Reduce) -> None:
    """FUNCTION_NOT_FOUND when the input function's result is an integer narrower than the
    state (the state is never narrowed to it)."""
    merge, initial = node.args.get("merge"), node.args.get("initial")
    state = initial.type if initial is not None else None
    result = merge.this.type if isinstance(merge, exp.Lambda) else None
    widths = T.INTEGER_WIDTH
    if state is not None and result is not None and state.this in widths and result.this in widths \
            and widths[result.this] < widths[state.this]:
        raise FunctionNotFound(f"Unexpected parameters ({T.type_name(node.this.type) or 'array'}, {T.type_name(state)}, "
                               "<function>, <function>) for function reduce. Expected: reduce(array(T), S, "
                               "function(S,T,S), function(S,R)) T, S, R",
                               *position(node))
