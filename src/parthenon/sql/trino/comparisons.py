"""Comparisons Trino refuses, where an engine would cast one side, and comparisons of doubles.

Engine-neutral: checks over the typed Trino AST and rewrites built of SQLGlot's own nodes,
which every engine's translator takes (`PORTABLE_REWRITES`: DuckDB's and Spark's).  Rows
compared field by field need an engine's struct access (DuckDB's: engine/duckdb/trino/
row_equality.py).

Trino semantics covered:

- A WHERE or HAVING condition, or NOT's operand, that is not boolean is TYPE_MISMATCH;
  so are CASE results, COALESCE operands, ARRAY elements and the columns of a set
  operation mixing text with numbers (DuckDB would cast to a common type).
- NaN compares unequal to everything, itself included, and neither less nor greater
  than any number; ``NaN IN (...)`` is false (DuckDB orders NaN above every number and
  makes it equal to itself); so is BETWEEN with a NaN bound or value.  IS [NOT] DISTINCT FROM, ordering and grouping keep NaN
  as one value, as Trino does.

- ``varchar = integer`` (and ``<``, ``<>``, ``IN``..., any text against any
  number or boolean) is TYPE_MISMATCH, ``Cannot apply operator: varchar(1) =
  integer``: DuckDB would cast the text and compare, or fail on the cast.
  So is an ``ipaddress`` compared with text or a number (Trino has no implicit
  cast from varchar to ipaddress).  Only operands whose types are certain are checked: columns of known type,
  literals and casts.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp

from ...errors import FunctionNotFound, TypeMismatch
from .positions import position
from .typing import INTEGER_WIDTH, TEXT, type_name

_NUMBERS = (*INTEGER_WIDTH, exp.DType.DECIMAL, exp.DType.DOUBLE, exp.DType.FLOAT, exp.DType.BOOLEAN)
_OPERATORS = {exp.EQ: "=", exp.NEQ: "<>", exp.LT: "<", exp.LTE: "<=", exp.GT: ">", exp.GTE: ">="}


def _certain(node: exp.Expression) -> exp.DataType | None:
    if isinstance(node, exp.Paren):
        return _certain(node.this)
    if node.type is not None and node.type.this == exp.DType.IPADDRESS:
        return node.type    # only an address is typed so (a cast, a literal, a column)
    if isinstance(node, (exp.Column, exp.Literal, exp.Cast, exp.Boolean)) and node.type is not None:
        if node.type.this in (*TEXT, *_NUMBERS, exp.DType.IPADDRESS):
            return node.type
    return None


def _mismatch(left: exp.Expression, right: exp.Expression) -> tuple[str, str] | None:
    a, b = _certain(left), _certain(right)
    if a is None or b is None:
        return None
    if (a.this in TEXT) != (b.this in TEXT) or \
            (a.this == exp.DType.IPADDRESS) != (b.this == exp.DType.IPADDRESS) or \
            (a.this == exp.DType.BOOLEAN) != (b.this == exp.DType.BOOLEAN):
        return type_name(a) or "varchar", type_name(b) or "varchar"
    return None


def comparison(node: exp.Binary) -> exp.Expression | None:
    found = _mismatch(node.left, node.right)
    if found:
        raise TypeMismatch(f"Cannot apply operator: {found[0]} {_OPERATORS[type(node)]} {found[1]}",
                           *position(node))
    return _nan_aware(node)


def _floating(node: exp.Expression) -> bool:
    if isinstance(node, exp.Cast) and node.to.this in (exp.DType.DOUBLE, exp.DType.FLOAT):
        return True
    return node.type is not None and node.type.this in (exp.DType.DOUBLE, exp.DType.FLOAT)


def _is_nan(x: exp.Expression) -> exp.Expression:
    return exp.IsNan(this=x.copy())


def _not_nan(x: exp.Expression) -> exp.Expression:
    return exp.Not(this=_is_nan(x))


# Which operand being NaN makes the comparison false (DuckDB orders NaN above every
# number and makes it equal to itself; in Trino NaN is neither)
_NAN_SIDES = {exp.EQ: "left", exp.LT: "right", exp.LTE: "right", exp.GT: "left", exp.GTE: "left"}


def _nan_aware(node: exp.Binary) -> exp.Expression | None:
    """A comparison of doubles as Trino's: NaN is unequal to everything, itself included,
    and neither less nor greater than any number.  Written as the comparison AND a
    condition, so that an equality still joins by hash."""
    left, right = node.left, node.right
    if not (_floating(left) or _floating(right)):
        return None
    if isinstance(node, exp.NEQ):
        nan = [exp.and_(_is_nan(a), exp.Not(this=exp.Is(this=b.copy(), expression=exp.Null())))
               for a, b in ((left, right), (right, left)) if _floating(a)]
        return exp.paren(exp.or_(node.copy(), *nan), copy=False)
    if type(node) not in _NAN_SIDES:
        return None
    pairs = ((left, right), (right, left))
    sides = pairs if type(node) in (exp.EQ,) else pairs[1:] if _NAN_SIDES[type(node)] == "right" else pairs[:1]
    # NaN against NULL stays NULL, as any comparison with NULL is
    checks = [exp.or_(_not_nan(x), exp.Is(this=other.copy(), expression=exp.Null()))
              for x, other in sides if _floating(x)]
    if not checks:
        return None
    return exp.paren(exp.and_(node.copy(), *checks), copy=False)


def _in_nan(node: exp.In) -> exp.Expression | None:
    """NaN IN (...) is false (NaN equals nothing)."""
    if not _floating(node.this) or not node.expressions:
        return None
    return exp.paren(exp.and_(node.copy(), _not_nan(node.this)), copy=False)


def _in(node: exp.In) -> exp.Expression | None:
    for item in node.expressions:
        found = _mismatch(node.this, item)
        if found:
            raise TypeMismatch(f"IN value and list items must be the same type: {found[1]}",
                               *position(node))
    return _in_nan(node)


def _between(node: exp.Between) -> exp.Expression | None:
    for bound in (node.args.get("low"), node.args.get("high")):
        found = _mismatch(node.this, bound) if bound is not None else None
        if found:
            raise TypeMismatch(f"Cannot check if {found[0]} is BETWEEN {found[0]} and {found[1]}",
                               *position(node))
    return _between_nan(node)


def _between_nan(node: exp.Between) -> exp.Expression | None:
    """``x BETWEEN low AND high`` is ``low <= x AND x <= high``: false when x or high is
    NaN (DuckDB's NaN is above every number, so ``x <= NaN`` would hold)."""
    checks = [_not_nan(x) for x in (node.this, node.args.get("high")) if x is not None and _floating(x)]
    if not checks:
        return None
    return exp.paren(exp.and_(node.copy(), *checks), copy=False)


def _concat(node: exp.Expression) -> None:
    """``'a' || 1`` and ``concat('a', 1)``: Trino's concat takes text (or arrays) only."""
    parts = [node.this, node.expression] if isinstance(node, exp.DPipe) else list(node.expressions)
    types = [_certain(p) for p in parts]
    if any(t is not None and t.this not in TEXT for t in types) and any(t is not None and t.this in TEXT
                                                                       for t in types):
        shown = ", ".join(type_name(t) or "unknown" for t in types)
        raise FunctionNotFound(f"Unexpected parameters ({shown}) for function concat", *position(node))
    return None


def _like(node: exp.Like) -> None:
    typ = _certain(node.this)
    if typ is not None and typ.this not in TEXT:
        raise TypeMismatch(f"Left side of LIKE expression must evaluate to a varchar (actual: "
                           f"{type_name(typ)})", *position(node))
    return None


def _boolean_condition(node: exp.Expression, what: str) -> None:
    typ = _certain(node)
    if typ is not None and typ.this != exp.DType.BOOLEAN:
        raise TypeMismatch(f"{what} must evaluate to a boolean: actual type {type_name(typ)}",
                           *position(node))


def _where(node: exp.Where) -> None:
    _boolean_condition(node.this, "WHERE clause")


def _having(node: exp.Having) -> None:
    _boolean_condition(node.this, "HAVING clause")


def _not(node: exp.Not) -> None:
    typ = _certain(node.this)
    if typ is not None and typ.this != exp.DType.BOOLEAN:
        raise TypeMismatch("Value of logical NOT expression must evaluate to a BOOLEAN "
                           f"(actual: {type_name(typ)})", *position(node))


def _common_type(items: list[exp.Expression]) -> tuple[str, str] | None:
    """The first two types with no common type (text against a number), if any."""
    for item in items[1:]:
        found = _mismatch(items[0], item)
        if found:
            return found
    return None


def _case(node: exp.Case) -> None:
    results = [i.args.get("true") for i in node.args.get("ifs") or []] + [node.args.get("default")]
    found = _common_type([r for r in results if r is not None and not isinstance(r, exp.Null)])
    if found:
        raise TypeMismatch("All CASE results must be the same type or coercible to a common type. "
                           f"Cannot find common type between {found[0]} and {found[1]}", *position(node))


def _coalesce(node: exp.Coalesce) -> None:
    found = _common_type([node.this, *node.expressions])
    if found:
        raise TypeMismatch(f"All COALESCE operands must be the same type: {found[0]}", *position(node))


def _array(node: exp.Array) -> None:
    found = _common_type(list(node.expressions))
    if found:
        raise TypeMismatch(f"All ARRAY elements must be the same type: {found[0]}", *position(node))


def _set_operation(node: exp.SetOperation) -> None:
    left, right = node.left, node.right
    if not isinstance(left, exp.Select) or not isinstance(right, exp.Select):
        return None
    for i, (a, b) in enumerate(zip(left.expressions, right.expressions), start=1):
        a = a.this if isinstance(a, exp.Alias) else a
        b = b.this if isinstance(b, exp.Alias) else b
        found = _mismatch(a, b)
        if found:
            raise TypeMismatch(f"column {i} in {node.key.upper()} query has incompatible types: "
                               f"{found[0]}, {found[1]}", *position(b))
    return None


# The checks and rewrites any engine's SQL can take
PORTABLE_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    **{cls: comparison for cls in _OPERATORS},
    exp.In: _in,
    exp.Between: _between,
    exp.DPipe: _concat,
    exp.Concat: _concat,
    exp.Like: _like,
    exp.Where: _where,
    exp.Having: _having,
    exp.Not: _not,
    exp.Case: _case,
    exp.Coalesce: _coalesce,
    exp.Array: _array,
    exp.Union: _set_operation,
    exp.Intersect: _set_operation,
    exp.Except: _set_operation,
}

# as a family of an engine's translator (engine/duckdb/trino/rewrite.py)
CLASS_REWRITES = PORTABLE_REWRITES
ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {}
