"""The driver: ``translate`` / ``to_duckdb_sql`` and the walk that applies the rewrites.

The query is first annotated with Trino types (``typing``; the optional
``schema`` gives table columns theirs), so that every rewrite sees its
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
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.errors import ErrorLevel, UnsupportedError

from ...errors import InvalidParameterUsage, NotSupported, ParthenonError
from . import (aggregates, arithmetic, arrays, casts, comparisons, datetime, formatting, hashes, ipaddress,
               json, regex, strings, unnest, zoned)
from . import typing as trino_typing
from .functions import SUPPORTED_FUNCTIONS, TRINO_FUNCTIONS, function_name, unsupported_classes
from .nodes import duck, not_supported, position


@dataclass
class Translation:
    sql: str                                              # DuckDB SQL
    types: list[str | None] = field(default_factory=list)  # Trino type of each output column, if known


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
    placeholders = list(ast.find_all(exp.Placeholder))
    if placeholders:    # a `?` no parameter was bound to
        raise InvalidParameterUsage(
            f"Incorrect number of parameters: expected {len(placeholders)} but found 0",
            *position(placeholders[0]))
    tree = ast.copy()
    _values_rows(tree)
    _table_qualified_columns(tree)
    _annotate(tree, schema)
    types = _output_types(tree)
    tree = _rewrite(tree)
    _present(tree, zoned_as_instant)
    name_output_columns(tree, schema)
    _clear_types(tree)
    try:
        sql = tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as e:
        message = str(e).split("\n")[0].strip() or "unsupported construct"
        raise NotSupported(message) from None
    return Translation(sql, types)


def _table_qualified_columns(tree: exp.Expression) -> None:
    """``"db"."table".column`` names the column of a table the query reads (as the AWS
    incident-response queries and SQLAlchemy write it): the table is in FROM under its
    own name, so the column is ``table.column`` (the database part is dropped)."""
    for col in list(tree.find_all(exp.Column)):
        if not col.args.get("db") or not col.table:
            continue
        select = col.find_ancestor(exp.Select)
        while select is not None:
            aliases = {t.alias_or_name.lower() for t in select.find_all(exp.Table)} | \
                      {s.alias.lower() for s in select.find_all(exp.Subquery) if s.alias}
            if col.table.lower() in aliases and col.db.lower() not in aliases:
                col.set("db", None)
                col.set("catalog", None)
                break
            select = select.find_ancestor(exp.Select)


def _values_rows(tree: exp.Expression) -> None:
    """``VALUES ROW(1, 2)`` is a row of two columns in Trino (SQLGlot reads one struct)."""
    for values in tree.find_all(exp.Values):
        alias = values.args.get("alias")
        width = len(alias.columns) if isinstance(alias, exp.TableAlias) and alias.columns else None
        for row in values.expressions:
            inner = row.expressions[0] if isinstance(row, exp.Tuple) and len(row.expressions) == 1 else None
            if isinstance(inner, exp.Struct) and not any(isinstance(e, exp.PropertyEQ) for e in inner.expressions) \
                    and (width is None or width == len(inner.expressions)) and len(inner.expressions) > 1:
                row.set("expressions", [e.copy() for e in inner.expressions])


def _annotate(tree: exp.Expression, schema: dict | None) -> None:
    try:
        trino_typing.annotate(tree, schema)
    except ParthenonError:
        raise
    except Exception:   # noqa: BLE001 - types are a hint; rewrites fall back without them
        pass


def _outer_select(tree: exp.Expression) -> exp.Select | None:
    select = tree
    while isinstance(select, exp.SetOperation):
        select = select.this
    return select if isinstance(select, exp.Select) else None


def interval_text(x: exp.Expression, name: str) -> exp.Expression:
    """Trino's text of an interval: ``3 04:05:06.789`` (day to second), ``1-2`` (year to month)."""
    if name == "interval year to month":
        return duck("list_transform([datepart('year', _x) * 12 + datepart('month', _x)], lambda m: "
                    "CASE WHEN m < 0 THEN '-' ELSE '' END || CAST(abs(m) // 12 AS VARCHAR) || '-' || "
                    "CAST(abs(m) % 12 AS VARCHAR))[1]", _x=x)
    return duck(
        "list_transform([CAST(round(epoch(_x) * 1000) AS BIGINT)], lambda ms: "
        "CASE WHEN ms < 0 THEN '-' ELSE '' END || CAST(abs(ms) // 86400000 AS VARCHAR) || ' ' || "
        "lpad(CAST(abs(ms) // 3600000 % 24 AS VARCHAR), 2, '0') || ':' || "
        "lpad(CAST(abs(ms) // 60000 % 60 AS VARCHAR), 2, '0') || ':' || "
        "lpad(CAST(abs(ms) // 1000 % 60 AS VARCHAR), 2, '0') || '.' || "
        "lpad(CAST(abs(ms) % 1000 AS VARCHAR), 3, '0'))[1]", _x=x)


def _typeof(node: exp.Expression) -> exp.Expression:
    """typeof(x): the Trino type the translator gave x."""
    x = node.this if isinstance(node, exp.Typeof) else node.expressions[0]
    name = trino_typing.type_name(x.type)
    if name is None:
        return duck("lower(typeof(_x))", _x=x)
    return exp.Literal.string(name)


def _output_types(tree: exp.Expression) -> list[str | None]:
    select = _outer_select(tree)
    if select is None or any(isinstance(p, exp.Star) or (isinstance(p, exp.Column) and
                                                         isinstance(p.this, exp.Star))
                             for p in select.expressions):
        return []
    return [trino_typing.type_name(p.type) for p in select.expressions]


# Integer results whose width DuckDB gives otherwise (floor(bigint) is DOUBLE, bitwise_and
# of integers INTEGER, sum HUGEINT...): their Trino type is certain.
_TYPED_INTEGERS = (exp.Floor, exp.Ceil, exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor, exp.BitwiseNot,
                   exp.Sum, exp.Count, exp.Abs, exp.Sign, exp.Add, exp.Sub, exp.Mul, exp.Mod, exp.Neg)


def _present(tree: exp.Expression, zoned_as_instant: bool = False) -> None:
    """Output values without a DuckDB type of their own as Trino's text."""
    select = _outer_select(tree)
    if select is None:
        return
    for p in list(select.expressions):
        inner = p.this if isinstance(p, exp.Alias) else p
        if isinstance(inner, exp.Star) or inner.type is None:
            continue
        typ = inner.type
        if datetime.is_zoned(inner):
            shown = zoned.instant_part(inner) if zoned_as_instant else \
                zoned.text(inner, trino_typing.precision(typ))
        elif ipaddress.is_ipaddress(inner):
            shown = ipaddress.text(inner)
        elif typ.this == exp.DType.INTERVAL:
            shown = interval_text(inner, trino_typing.type_name(typ) or "")
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


def _clear_types(tree: exp.Expression) -> None:
    """Forget the Trino types inferred for the rewrites: SQLGlot's DuckDB generator
    makes its own choices from types it finds (e.g. casting approx_quantile)."""
    for node in tree.walk():
        if not isinstance(node, (exp.Cast, exp.DataType)):
            node.type = None


# --------------------------------------------------------------------------------------
# Walk
# --------------------------------------------------------------------------------------


def _rewrite(tree: exp.Expression) -> exp.Expression:
    """Apply the rewrites bottom-up: children first, so parents see rewritten children."""
    for node in reversed(list(tree.walk(bfs=False))):
        _unwrap_zoned_arguments(node)
        rewrite = _rewrite_for(node)
        new = rewrite(node) if rewrite is not None else None
        if new is None:
            new = node
        if new.type is None or new.type.this == exp.DType.UNKNOWN:
            new.type = node.type
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
    exp.PropertyEQ, exp.Try,
)


def _zone_aware(node: exp.Expression) -> bool:
    if isinstance(node, (exp.Add, exp.Sub)) and datetime.is_zoned(node.this):
        return True     # zoned + interval (arithmetic)
    if isinstance(node, exp.Anonymous):
        return node.name.lower() in datetime.ZONE_AWARE_NAMES
    return type(node) in datetime.ZONE_AWARE or isinstance(node, (*_ZONE_PASSING, exp.Cast, exp.TryCast))


def _unwrap_zoned_arguments(node: exp.Expression) -> None:
    """A function or operator that does not read zones sees a zoned value's instant
    (comparisons and ordering of instants are Trino's, whatever the zones)."""
    if _zone_aware(node) or not isinstance(node, (exp.Func, exp.Binary, exp.Unary, exp.Predicate)):
        return
    for child in list(node.iter_expressions()):
        if datetime.is_zoned(child):
            inner = zoned.instant_part(child)
            inner.type = exp.DataType.build("TIMESTAMPTZ")
            inner.meta["instant"] = True
            child.replace(inner)


def _ensure_zoned(node: exp.Expression, new: exp.Expression) -> exp.Expression:
    """Whatever has Trino's timestamp with time zone type is a ``zoned`` struct: a
    function the rewrites left to DuckDB's TIMESTAMPTZ is read in UTC."""
    if not datetime.is_zoned(node) or new.meta.get("zoned") or new.meta.get("instant") \
            or isinstance(node, _ZONE_PASSING) or not isinstance(node, exp.Func):
        return new
    wrapped = zoned.zoned(new.copy() if new is node else new, exp.Literal.string("UTC"))
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
# Output column names
# --------------------------------------------------------------------------------------


def name_output_columns(tree: exp.Expression, schema: dict | None = None, quoted: bool = False) -> None:
    """Trino's result column names: identifiers lower-cased (Trino identifiers are
    case-insensitive, quoted or not), ``_colN`` for an unnamed expression at 0-based
    output position N, a ``*`` counting as the columns it stands for (``SELECT *, 1+1``
    over two columns names ``_col2``).  Only the outermost query's names are visible.
    After a ``*`` whose width is unknown (no ``schema`` for its table), unnamed
    expressions are left for a later call that knows it."""
    select = _outer_select(tree)
    if select is None:
        return
    position: int | None = 0
    for p in list(select.expressions):
        if isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star)):
            width = _star_width(select, p, schema)
            position = None if position is None or width is None else position + width
            continue
        if isinstance(p, exp.Alias):
            if p.alias != p.alias.lower() or (quoted and not p.args["alias"].quoted):
                p.set("alias", exp.to_identifier(p.alias.lower(), quoted=quoted or None))
        elif isinstance(p, (exp.Column, exp.Dot)):
            if quoted or (p.name and p.name != p.name.lower()):
                p.replace(exp.alias_(p.copy(), exp.to_identifier(p.output_name.lower(), quoted=quoted or None)))
        elif position is not None:
            p.replace(exp.alias_(p.copy(), exp.to_identifier(f"_col{position}", quoted=quoted or None)))
        if position is not None:
            position += 1


def _star_width(select: exp.Select, star: exp.Expression, schema: dict | None) -> int | None:
    """How many columns a ``*`` (or ``t.*``) of a select stands for, when known."""
    sources = []
    from_ = select.args.get("from_") or select.args.get("from")
    if from_ is not None:
        sources.append(from_.this)
    sources += [j.this for j in select.args.get("joins") or []]
    table = star.table if isinstance(star, exp.Column) else ""
    total = 0
    for source in sources:
        if table and source.alias_or_name.lower() != table.lower():
            continue
        width = _source_width(source, schema)
        if width is None:
            return None
        total += width
    return total


def _source_width(source: exp.Expression, schema: dict | None) -> int | None:
    alias = source.args.get("alias")
    if isinstance(alias, exp.TableAlias) and alias.columns:
        return len(alias.columns)
    if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier):
        columns = (schema or {}).get(source.name)
        return len(columns) if isinstance(columns, dict) else None
    if isinstance(source, exp.Subquery):
        inner = _outer_select(source.this)
        if inner is not None and not any(isinstance(e, exp.Star) or
                                         (isinstance(e, exp.Column) and isinstance(e.this, exp.Star))
                                         for e in inner.expressions):
            return len(inner.expressions)
    return None


# --------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------

_FAMILIES = (arithmetic, regex, json, casts, datetime, strings, arrays, aggregates, unnest, comparisons,
             formatting, hashes)

_CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    cls: rewrite for family in _FAMILIES for cls, rewrite in family.CLASS_REWRITES.items()
}

_ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    name: rewrite for family in _FAMILIES for name, rewrite in family.ANONYMOUS_REWRITES.items()
}
_ANONYMOUS_REWRITES["typeof"] = _typeof
_CLASS_REWRITES[exp.Typeof] = _typeof
