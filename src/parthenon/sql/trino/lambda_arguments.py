"""A lambda passed to a function that takes none is FUNCTION_NOT_FOUND in Trino
(``count(x -> x)``, ``pow(123, x -> x)``): its signature has no function parameter.
Shared by the engines (each registers ``check`` for ``exp.Lambda``)."""
from __future__ import annotations

from sqlglot import exp

from ...errors import FunctionNotFound
from . import typing as trino_typing
from .functions import function_name
from .positions import position

# Trino's functions with a function parameter
LAMBDA_NAMES = frozenset({"transform", "filter", "reduce", "array_sort", "any_match", "all_match", "none_match",
                          "map_filter", "transform_keys", "transform_values", "zip_with", "map_zip_with",
                          "reduce_agg", "regexp_replace"})


def check(node: exp.Lambda) -> None:
    call = node.parent
    if not isinstance(call, exp.Func) or function_name(call).lower() in LAMBDA_NAMES or \
            isinstance(call, (exp.Transform, exp.ArrayFilter, exp.Reduce, exp.ArraySort, exp.RegexpReplace)):
        return None
    kinds = ", ".join("<function>" if isinstance(a, exp.Lambda) else trino_typing.type_name(a.type) or "?"
                      for a in call.iter_expressions())
    raise FunctionNotFound(f"Unexpected parameters ({kinds}) for function {function_name(call)}",
                           *position(call))
