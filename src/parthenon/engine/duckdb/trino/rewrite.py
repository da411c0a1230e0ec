"""The driver: ``translate`` / ``to_duckdb_sql`` and the walk that applies the rewrites.

The query is first prepared and annotated with Trino types (``sql.trino.prepare``;
the optional ``schema`` gives table columns theirs), so that every rewrite sees its
operands' Trino types.  Rewrites are then applied bottom-up, each
chosen by node class (``CLASS_REWRITES``) or, for a function SQLGlot parses
as an anonymous call, by name (``ANONYMOUS_REWRITES``): the tables of the
family modules, merged below.  A Trino function outside
``SUPPORTED_FUNCTIONS`` raises NotSupported, and so does SQLGlot's own
"unsupported" warning when generating DuckDB SQL.

Trino semantics covered here:

- Result column names as Trino gives them: lower case (identifiers are case
  insensitive in Trino, unquoted or quoted) and ``_colN`` for unnamed
  expressions of the outermost query.
- Result column types as Trino names them (``Translation.types``), and values
  without a DuckDB type of their own (``zoned`` timestamps) presented as
  Trino's text in the outermost query.
"""
from __future__ import annotations

import typing as t

from sqlglot import exp
from sqlglot.errors import ErrorLevel, UnsupportedError

from ....errors import NotSupported
from ....sql.trino import comparisons, star_names
from ....sql.trino import typing as trino_typing
from ....sql.trino.functions import SUPPORTED_FUNCTIONS, TRINO_FUNCTIONS, function_name, unsupported_classes
from ....sql.trino.naming import name_output_columns, outer_select, unparenthesized
from ....sql.trino.prepare import prepare
from ....sql.trino.presented_order import order_by_values
from ...backend import Translation
from . import (aggregates, arithmetic, array_equality, arrays, casts, chars, datetime, decimals,
               formatting, hashes, intervals, ipaddress, json, lambdas, number_functions,
               numeric_casts, regex, row_equality, strings, times, unnest, zoned)
from . import array_operators, binary, bitwise, colors, map_casts, map_equality, randoms, statistics, subsequences, urls
from . import map_functions, nested_order, set_digests, set_order, sql_json, unnest_order
from .bare_values import name_bare_values
from .nodes import duck, not_supported


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def to_duckdb_sql(ast: exp.Expression, schema: dict | None = None) -> str:
    """DuckDB SQL for a Trino query AST, with Trino's semantics (see ``translate``)."""
    return translate(ast, schema).sql


def translate(ast: exp.Expression, schema: dict | None = None, zoned_as_instant: bool = False) -> Translation:
    """DuckDB SQL for a Trino query AST, with Trino's semantics, and the Trino types
    of its output columns.

    ``schema`` (optional, SQLGlot's mapping form ``{table: {column: type}}``,
    Trino type names) gives table columns their types.
    ``zoned_as_instant``: output zoned timestamps as DuckDB's TIMESTAMPTZ (their
    instant) rather than Trino's text, for a writer that refuses or converts them.
    Raises NotSupported (with line:column) for a Trino construct that cannot
    be translated faithfully.
    """
    tree, types = prepare(ast, schema)
    lambdas.rename_parameters(tree)
    tree = _rewrite(tree)
    presented = _present(tree, zoned_as_instant)
    name_output_columns(tree, schema)
    names = star_names.query_names(tree, schema)
    _order_set_operation(tree, presented)
    tree = name_bare_values(tree)
    _clear_types(tree)
    _null_element_types(tree)
    try:
        sql = tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as e:
        message = str(e).split("\n")[0].strip() or "unsupported construct"
        raise NotSupported(message) from None
    return Translation(sql, types, names=names)


def _typeof(node: exp.Expression) -> exp.Expression:
    """typeof(x): the Trino type the translator gave x (NULL's is unknown; a lambda is no
    value, FUNCTION_NOT_FOUND)."""
    x = node.this if isinstance(node, exp.Typeof) else node.expressions[0]
    name = trino_typing.typeof_name(node, x)
    if name is None:
        return duck("lower(typeof(_x))", _x=x)
    if _aggregates(x):      # the aggregate stays: typeof(count(*)) is one row, not one a row
        return duck("CASE WHEN _x IS NULL THEN _n ELSE _n END", _x=x, _n=exp.Literal.string(name))
    return exp.Literal.string(name)


def _aggregates(x: exp.Expression) -> bool:
    """Whether x aggregates its select's rows (an aggregate outside a window or subquery)."""
    for node in x.find_all(exp.AggFunc):
        inner = node
        while inner is not x:
            if isinstance(inner.parent, exp.Window) or isinstance(inner, exp.Subquery):
                break
            inner = inner.parent
        else:
            return True
    return False


# Integer results whose width DuckDB gives otherwise (floor(bigint) is DOUBLE, bitwise_and
# of integers INTEGER, sum HUGEINT...): their Trino type is certain.
_TYPED_INTEGERS = (exp.Floor, exp.Ceil, exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor, exp.BitwiseNot,
                   exp.Sum, exp.Count, exp.Abs, exp.Sign, exp.Add, exp.Sub, exp.Mul, exp.Mod, exp.Neg)


def _present(tree: exp.Expression, zoned_as_instant: bool = False) -> dict[int, exp.DataType]:
    """Output values without a DuckDB type of their own as Trino's text (in every
    branch of a set operation, so that they unite as text).  Returns the Trino types of
    the presented output columns, by position."""
    select = outer_select(tree)
    if select is None:
        return {}
    branch = tree
    while isinstance(branch, exp.SetOperation):
        _check_branch_types(select, outer_select(branch.expression))
        _present(unparenthesized(branch.expression), zoned_as_instant)
        branch = unparenthesized(branch.this)
    originals = {}      # output name / position -> the value before it became text
    presented: set[int] = set()
    types: dict[int, exp.DataType] = {}
    for position, p in enumerate(list(select.expressions), start=1):
        # a bare column is presented from a copy: the text wraps its value, and the column
        # itself is then replaced by that text under the column's name
        # (so is an unnamed value, a set operation's later branch: its text wraps it, and
        # it could not be replaced by what holds it)
        inner = p.this if isinstance(p, exp.Alias) else p.copy()
        if inner.type is not None and not isinstance(inner, exp.Star):
            originals[position] = originals[p.alias_or_name.lower()] = inner.copy()
        if isinstance(inner, exp.Star) or inner.type is None:
            continue
        typ = inner.type
        if datetime.is_zoned(inner):
            value = _as_group_key(select, inner)
            shown = zoned.instant_part(value) if zoned_as_instant else \
                zoned.text(value, trino_typing.precision(typ))
        elif ipaddress.is_ipaddress(inner):
            shown = ipaddress.text(inner)
        elif ipaddress.is_ipaddress_array(inner):
            shown = ipaddress.array_text(inner)
        elif zoned.nested_nanos_text(inner) is not None:
            shown = zoned.nested_nanos_text(inner)      # an array or map of TIMESTAMP_NS
        elif typ.this == exp.DType.TIMESTAMP and trino_typing.precision(typ) > 6:
            shown = zoned.timestamp_text(inner, trino_typing.precision(typ))    # a TIMESTAMP_NS
        elif typ.this == exp.DType.TIME and trino_typing.precision(typ) > 6:
            shown = times.text(inner, trino_typing.precision(typ))              # a TIME_NS
        elif typ.this == exp.DType.TIMETZ:
            shown = times.zoned_text(inner, trino_typing.precision(typ))
        elif typ.this == exp.DType.INTERVAL:
            shown = intervals.text(inner, trino_typing.interval_kind(typ))
        elif typ.this == exp.DType.CHAR and chars.text(inner) is not None:
            shown = chars.text(inner)      # a table's char(n) column holds the text unpadded
        elif (typ.this == exp.DType.DECIMAL and not isinstance(inner, (exp.Column, exp.Dot))) or \
                (typ.this in trino_typing.INTEGER_WIDTH and isinstance(inner, _TYPED_INTEGERS)):
            # DuckDB's own precision, scale or width differs: the value as Trino types it
            shown = exp.Cast(this=inner.copy(), to=typ.copy())
        else:
            continue
        if isinstance(p, exp.Alias):
            p.set("this", shown)
        elif isinstance(p, (exp.Column, exp.Dot)):
            p.replace(exp.alias_(shown, exp.to_identifier(p.output_name)))
        else:
            p.replace(shown)
        presented.add(position)
        types[position] = typ
    order_by_values(select, originals, presented, sortable=lambda value: True)
    return types


def _order_set_operation(tree: exp.Expression, types: dict[int, exp.DataType]) -> None:
    """A set operation's ORDER BY of a presented column orders by its value (set_order),
    once the output columns have their names."""
    select = outer_select(tree)
    if not isinstance(tree, exp.SetOperation) or select is None or not types \
            or any(isinstance(p, exp.Star) or isinstance(p.this, exp.Star) for p in select.expressions):
        return      # (after a *, positions are not the select's)
    set_order.order_by_values(tree, {i: (select.expressions[i - 1].alias_or_name, typ)
                                     for i, typ in types.items()}, _rewrite)


def _as_group_key(select: exp.Select, value: exp.Expression) -> exp.Expression:
    """A zoned struct written out (``{'instant': ..., 'zone': ...}``) is presented from
    its parts; in a grouped select those parts are not group keys, only the whole
    struct is (``SELECT from_unixtime(t) ... GROUP BY from_unixtime(t)``), so there it
    is read whole, through struct_extract."""
    if select.args.get("group") is None or not value.meta.get("zoned"):
        return value
    value = value.copy()
    value.meta.pop("zoned")
    return value


_PRESENTED_TEMPORAL = (exp.DType.TIMESTAMP, exp.DType.TIMESTAMPTZ, exp.DType.TIME, exp.DType.TIMETZ)


def _check_branch_types(first: exp.Select, other: exp.Select | None) -> None:
    """Branches of a set operation each present their values as text: temporal values
    of another precision than the first branch's would show their own digits, not the
    common type's, so they are refused."""
    if other is None:
        return
    for a, b in zip(first.expressions, other.expressions):
        ta, tb = a.type, b.type
        if ta is not None and tb is not None and ta.this in _PRESENTED_TEMPORAL and ta != tb \
                and (ta.this != exp.DType.TIMESTAMP or trino_typing.precision(ta) > 6
                     or trino_typing.precision(tb) > 6):
            raise NotSupported(f"a set operation of {ta.sql('trino').lower()} and {tb.sql('trino').lower()} "
                               "is not supported")


def _clear_types(tree: exp.Expression) -> None:
    """Forget the Trino types inferred for the rewrites: SQLGlot's DuckDB generator
    makes its own choices from types it finds (e.g. casting approx_quantile)."""
    for node in tree.walk():
        if not isinstance(node, (exp.Cast, exp.DataType)):
            node.type = None


def _null_element_types(tree: exp.Expression) -> None:
    """Trino's unknown inside a type (``CAST(NULL AS ARRAY(UNKNOWN))``) is DuckDB's "NULL"
    type, which DuckDB names only quoted."""
    for node in list(tree.find_all(exp.DataType)):
        if node.this == exp.DType.UNKNOWN and isinstance(node.parent, exp.DataType):
            node.replace(exp.DataType.build('"NULL"', dialect="duckdb", udt=True))


# --------------------------------------------------------------------------------------
# Walk
# --------------------------------------------------------------------------------------


def _rewrite(tree: exp.Expression) -> exp.Expression:
    """Apply the rewrites bottom-up: children first, so parents see rewritten children."""
    for node in reversed(list(tree.walk(bfs=False))):
        _unwrap_zoned_arguments(node)
        times.refuse_nanos_arguments(node)
        rewrite = _rewrite_for(node)
        new = rewrite(node) if rewrite is not None else None
        if new is None:
            new = node
        if new is not node and (new.type is None or new.type.this == exp.DType.UNKNOWN) \
                and not isinstance(new, exp.DataType):
            new.type = node.type    # (a DataType is its own type: UNKNOWN's would become a cycle)
        new = _ensure_zoned(node, new)
        if new is node:
            continue
        if node is tree:
            tree = new
        else:
            node.replace(new)
    return tree


# Nodes that pass a zoned value through as it is (so it keeps its zone).
_ZONE_PASSING = (
    exp.Alias, exp.Paren, exp.Column, exp.Dot, exp.Case, exp.If, exp.Coalesce, exp.Nullif,
    exp.Max, exp.Min, exp.AnyValue, exp.ArgMax, exp.ArgMin, exp.First, exp.Last, exp.Window,
    exp.Array, exp.Struct, exp.Tuple, exp.Bracket, exp.Subquery, exp.Select, exp.Ordered,
    exp.Order, exp.Group, exp.Values, exp.SetOperation, exp.Distinct, exp.Lambda, exp.ArrayAgg,
    exp.Where, exp.Having, exp.Qualify, exp.Join, exp.From, exp.With, exp.CTE, exp.TableAlias,
    exp.PropertyEQ, exp.Try, exp.Greatest, exp.Least,
)


def _zone_aware(node: exp.Expression) -> bool:
    if isinstance(node, (exp.Add, exp.Sub)) and datetime.is_zoned(node.this) or \
            isinstance(node, exp.Add) and datetime.is_zoned(node.expression):
        return True     # zoned + interval, interval + zoned (arithmetic)
    if isinstance(node, exp.Anonymous):
        return node.name.lower() in datetime.ZONE_AWARE_NAMES
    return type(node) in datetime.ZONE_AWARE or type(node) in formatting.ZONE_AWARE or \
        isinstance(node, (*_ZONE_PASSING, exp.Cast, exp.TryCast))


def _unwrap_zoned_arguments(node: exp.Expression) -> None:
    """A function or operator that does not read zones sees a zoned value's instant
    (comparisons and ordering of instants are Trino's, whatever the zones)."""
    if _zone_aware(node) or not isinstance(node, (exp.Func, exp.Binary, exp.Unary, exp.Predicate)):
        return
    children = []
    for child in node.iter_expressions():     # count(DISTINCT x): the values under DISTINCT
        children.extend(child.expressions if isinstance(child, exp.Distinct) else [child])
    nanos = any(datetime.is_zoned(c) and zoned.has_nanos(c) for c in children)
    for child in children:
        if datetime.is_zoned(child):
            inner = zoned.comparable(child, nanos)
            inner.type = child.type.copy()      # keeps its precision for typeof
            inner.meta["instant"] = True
            child.replace(inner)


def _ensure_zoned(node: exp.Expression, new: exp.Expression) -> exp.Expression:
    """Whatever has Trino's timestamp with time zone type is a ``zoned`` struct: a
    function the rewrites left to DuckDB's TIMESTAMPTZ is read in UTC."""
    if not datetime.is_zoned(node) or new.meta.get("zoned") or new.meta.get("instant") \
            or isinstance(node, _ZONE_PASSING) or not isinstance(node, exp.Func):
        return new
    wrapped = zoned.zoned(new.copy() if new is node else new, exp.Literal.string("UTC"),
                          exp.Literal.number(0) if zoned.carries_nanos(trino_typing.precision(node.type)) else None)
    wrapped.type = node.type
    return wrapped


def _rewrite_for(node: exp.Expression) -> t.Callable[[exp.Expression], exp.Expression | None] | None:
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name in _ANONYMOUS_REWRITES:
            return _ANONYMOUS_REWRITES[name]
        if name in TRINO_FUNCTIONS and name not in SUPPORTED_FUNCTIONS:
            return _unsupported
        return None
    rewrite = _CLASS_REWRITES.get(type(node))
    if rewrite is not None:
        return rewrite
    if isinstance(node, exp.Func) and type(node) in unsupported_classes():
        return _unsupported
    return None


def _unsupported(node: exp.Expression) -> exp.Expression:
    name = function_name(node) if isinstance(node, exp.Func) else node.key
    if type(node) in unsupported_classes() and not isinstance(node, exp.Anonymous):
        name = unsupported_classes()[type(node)]
    raise not_supported(node, f"Function '{name}' is not supported")


# --------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------

# Families in the order their rewrites of one class run: each rewrite of a node's class
# sees what the one before made of it, while that is still a node of the class (so
# comparisons' type checks run before row_equality's field-by-field rows; nested_order wraps
# an ordering of arrays or rows last).
# number_functions and numeric_casts come before arithmetic, casts and formatting (their round,
# casts to text and width_bucket are the general case of those); chars after comparisons.
_FAMILIES = (set_digests, number_functions, decimals, numeric_casts, arithmetic, regex, json, casts, datetime,
             strings, arrays, aggregates, unnest, unnest_order, comparisons, row_equality, formatting, hashes,
             intervals, chars, urls, binary, lambdas, array_equality, times, bitwise,
             statistics, colors, array_operators, subsequences, randoms, map_equality, map_casts,
             sql_json, map_functions, nested_order)

Rewrite = t.Callable[[t.Any], t.Optional[exp.Expression]]


def _in_turn(rewrites: list[Rewrite]) -> Rewrite:
    """One rewrite that runs several families' rewrites of a class in turn; None if none
    changed the node."""
    if len(rewrites) == 1:
        return rewrites[0]

    def run(node: exp.Expression) -> exp.Expression | None:
        current, changed = node, False
        for rewrite in rewrites:
            if type(current) is not type(node):
                break
            new = rewrite(current)
            if new is not None:
                current, changed = new, True
        return current if changed else None
    return run


def _merged(tables: t.Iterable[dict]) -> dict:
    by_key: dict = {}
    for table in tables:
        for key, rewrite in table.items():
            by_key.setdefault(key, []).append(rewrite)
    return {key: _in_turn(rewrites) for key, rewrites in by_key.items()}


_CLASS_REWRITES: dict[type[exp.Expression], Rewrite] = _merged(f.CLASS_REWRITES for f in _FAMILIES)
_ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = \
    _merged(f.ANONYMOUS_REWRITES for f in _FAMILIES)
_ANONYMOUS_REWRITES["typeof"] = _typeof
_CLASS_REWRITES[exp.Typeof] = _typeof


# Engine functions that raise Trino's error -> their twins that give NULL instead
_NON_RAISING = {"trino_ipaddress": "trino_try_ipaddress", "trino_json_to_scalar": "trino_try_json_to_scalar",
                "trino_is_json_scalar": "trino_try_is_json_scalar"}


def _errors_as_null(tree: exp.Expression) -> exp.Expression:
    """The rewrites raise Trino's errors with DuckDB's ``error(...)``, which DuckDB's TRY
    refuses (a volatile function): under ``try`` / ``TRY_CAST`` such an error is a NULL."""
    for call in list(tree.find_all(exp.Anonymous)):
        if call.name.lower() in _NON_RAISING:
            call.set("this", _NON_RAISING[call.name.lower()])
        elif call.name.lower() == "error":
            if call is tree:
                return exp.Null()
            call.replace(exp.Null())
    return tree


def _try(node: exp.Try) -> exp.Expression:
    return _errors_as_null(node)


def _try_cast(node: exp.TryCast) -> exp.Expression | None:
    """TRY_CAST: the rewrites of a CAST (run in turn, as for CAST), its errors NULL."""
    rewritten = _CLASS_REWRITES[exp.Cast](node)
    return None if rewritten is None else _errors_as_null(rewritten)


_CLASS_REWRITES[exp.Try] = _try
_CLASS_REWRITES.setdefault(exp.TryCast, _try_cast)
