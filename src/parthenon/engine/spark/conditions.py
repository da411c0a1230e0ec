"""Trino's conditions on Spark where Spark refuses what Trino takes.

- A NULL condition (``CASE WHEN NULL THEN ...``, ``IF(NULL, ...)``) is a boolean NULL in
  Trino, a condition that does not hold; Spark refuses a NULL-typed (VOID) one, so it is
  cast to BOOLEAN.
- ``x LIKE p ESCAPE NULL`` is NULL (Spark's parser wants an escape character).
- ``fail(message)`` fails the query with GENERIC_USER_ERROR and the message (NULL for a
  NULL message, as Trino's function of a NULL argument); ``try()`` lets it through, as
  Trino's try catches only its four codes.  ``fail`` of a json FailureInfo is refused.
"""
from __future__ import annotations

from sqlglot import exp

from ...errors import FunctionNotFound
from ...sql.trino import typing as trino_typing
from ...sql.trino.nodes import is_type, not_supported
from ...sql.trino.positions import position
from .templates import spark

FUNCTIONS: frozenset[str] = frozenset({"fail"})
_BOOLEAN = exp.DataType.build("BOOLEAN")


def _null(node: exp.Expression | None) -> bool:
    return isinstance(node, exp.Null) or (node is not None and node.type is not None
                                          and node.type.this in (exp.DType.NULL, exp.DType.UNKNOWN)
                                          and not isinstance(node, exp.Cast))


def _condition(node: exp.If) -> None:
    if _null(node.this):
        node.set("this", exp.Cast(this=node.this.copy(), to=_BOOLEAN.copy()))
    return None


def _escape(node: exp.Escape) -> exp.Expression | None:
    if isinstance(node.expression, exp.Null):
        return exp.Cast(this=exp.Null(), to=_BOOLEAN.copy())
    return None


def _fail(node: exp.Anonymous) -> exp.Expression:
    args = node.expressions
    if len(args) == 1 and is_type(args[0], exp.DType.JSON):
        raise not_supported(node, "Function 'fail' of a json value is not supported on the Spark engine")
    if len(args) != 1 or not (args[0].type is None or _null(args[0]) or is_type(args[0], *trino_typing.TEXT)):
        shown = ", ".join(trino_typing.type_name(a.type) or "unknown" for a in args)
        raise FunctionNotFound(f"Unexpected parameters ({shown}) for function fail. Expected: fail(varchar)",
                               *position(node))
    new = spark("CASE WHEN _m IS NOT NULL THEN RAISE_ERROR(CONCAT('GENERIC_USER_ERROR: ', _m)) END",
                _m=exp.Cast(this=args[0], to=exp.DataType.build("STRING", dialect="spark")))
    for raised in new.find_all(exp.Anonymous):
        if raised.name.upper() == "RAISE_ERROR":
            raised.meta["try_passes"] = True     # Trino's try does not catch it
    return new


CLASS_REWRITES = {exp.If: _condition, exp.Escape: _escape}
ANONYMOUS_REWRITES: dict = {"fail": _fail}
