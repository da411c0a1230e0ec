"""A Trino query AST made ready for any engine's translator: checked, normalised, typed.

``prepare(ast, schema)`` copies the query, refuses unbound ``?`` parameters, reads
``VALUES ROW(...)`` and ``"db"."table".column`` as Trino does, gives every
expression its Trino type (``typing``) and returns the tree with the Trino types
of its output columns.  DuckDB's translator (engine/duckdb/trino) and any other
engine's start from here.
"""
from __future__ import annotations

import re

from sqlglot import exp

from ...errors import InvalidFunctionArgument, InvalidLiteral, InvalidParameterUsage, MismatchedColumnAliases, ParthenonError, TypeMismatch, TypeNotFound
from . import inner_stars, star_types, typing as trino_typing
from .aggregate_order import check_aggregate_order
from .distinct_order import check_distinct_order
from .naming import outer_select
from .positions import position
from .star_expansion import expand_presented_stars


def prepare(ast: exp.Expression, schema: dict | None = None) -> tuple[exp.Expression, list[str | None]]:
    """A typed copy of `ast`, and the Trino type of each output column (empty when a
    ``*`` makes them unknown here)."""
    placeholders = list(ast.find_all(exp.Placeholder))
    if placeholders:    # a `?` no parameter was bound to
        raise InvalidParameterUsage(
            f"Incorrect number of parameters: expected {len(placeholders)} but found 0",
            *position(placeholders[0]))
    tree = ast.copy()
    for bracket in tree.find_all(exp.Bracket):
        # SQLGlot shifted a literal subscript to 0-based unless it saw a row or a map being indexed
        if not isinstance(bracket.this, (exp.Struct, exp.Cast, exp.Map)):
            bracket.meta["zero_based_index"] = True
    refuse_unknown_types(tree)
    check_decimal_types(tree)
    char_lengths(tree)
    check_literals(tree)
    check_aggregate_order(tree)
    check_distinct_order(tree)
    values_rows(tree)
    row_field_stars(tree)
    group_by_quantifier(tree)
    table_qualified_columns(tree)
    inner_stars.write_out(tree, schema)
    annotate(tree, schema)
    return tree, output_types(tree)


def table_qualified_columns(tree: exp.Expression) -> None:
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


# Types SQLGlot reads that Trino (so Athena) does not have; IPPREFIX is Presto's.
_NOT_TRINO_TYPES = {exp.DType.IPPREFIX: "IPPREFIX", exp.DType.INT128: "HUGEINT",
                    exp.DType.UINT128: "UHUGEINT", exp.DType.INET: "INET"}


def refuse_unknown_types(tree: exp.Expression) -> None:
    """``IPPREFIX '10.0.0.0/8'`` is TYPE_NOT_FOUND and ``CAST(x AS IPPREFIX)``
    TYPE_MISMATCH, ``Unknown type: IPPREFIX``, as Trino says of a type it lacks."""
    for node in tree.find_all(exp.DataType):
        name = _NOT_TRINO_TYPES.get(node.this)
        if name is None:
            continue
        cast = node.parent if isinstance(node.parent, exp.Cast) else None
        literal = cast is not None and trino_typing.is_typed_literal(cast)
        error = TypeNotFound if literal else TypeMismatch
        raise error(f"Unknown type: {name}", *position(cast or node))


_MAX_DECIMAL_PRECISION = 38


def check_decimal_types(tree: exp.Expression) -> None:
    """``DECIMAL(0)`` and ``DECIMAL(1, 2)`` are no types: INVALID_FUNCTION_ARGUMENT, as
    Trino's DecimalType refuses them (the engines would answer in their own words)."""
    for node in tree.find_all(exp.DataType):
        if node.this != exp.DType.DECIMAL or not node.expressions:
            continue
        params = [p.this for p in node.expressions]
        if not all(isinstance(p, exp.Literal) and p.is_int for p in params):
            continue
        precision = int(params[0].name)
        scale = int(params[1].name) if len(params) > 1 else 0
        where = node.parent if isinstance(node.parent, exp.Cast) else node
        if not 1 <= precision <= _MAX_DECIMAL_PRECISION:
            raise InvalidFunctionArgument(
                f"DECIMAL precision must be in range [1, {_MAX_DECIMAL_PRECISION}]: {precision}", *position(where))
        if not 0 <= scale <= precision:
            raise InvalidFunctionArgument(
                f"DECIMAL scale must be in range [0, precision ({precision})]: {scale}", *position(where))


def char_lengths(tree: exp.Expression) -> None:
    """``char`` without a length is char(1) in Trino (``CAST('bar' AS char)`` is 'b'); a
    literal ``CHAR 'abc'`` is as long as its text."""
    for node in tree.find_all(exp.DataType):
        cast = node.parent if isinstance(node.parent, exp.Cast) else None
        if cast is not None and trino_typing.is_typed_literal(cast):
            continue
        if node.this == exp.DType.CHAR and not node.expressions:
            node.set("expressions", [exp.DataTypeParam(this=exp.Literal.number(1))])


_DATE = re.compile(r"\s*([+-]?\d+)-(\d{1,2})-(\d{1,2})\s*")     # Joda's year: any digits ('13-2-2')
_DECIMAL = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)\s*")
_INTEGER = re.compile(r"[+-]?\d+")     # Long.parseLong: no spaces
# Trino's integer types: their names and ranges (``INTEGER '2147483648'`` is no literal)
INTEGER_LITERALS = {exp.DType.TINYINT: ("TINYINT", 7), exp.DType.SMALLINT: ("SMALLINT", 15),
                    exp.DType.INT: ("INTEGER", 31), exp.DType.BIGINT: ("BIGINT", 63)}


def integer_literal_valid(kind: exp.DType, text: str) -> bool:
    """Whether ``TINYINT 'text'`` (or another integer type's literal) is one Trino reads."""
    bits = INTEGER_LITERALS[kind][1]
    return _INTEGER.fullmatch(text) is not None and -2**bits <= int(text) < 2**bits


def check_literals(tree: exp.Expression) -> None:
    """``DATE 'x'``, ``DECIMAL 'x'`` and an integer type's literal out of its range
    (``TINYINT '128'``) are INVALID_LITERAL, as Trino's analyzer says: ``'x' is not a
    valid DATE literal``."""
    for cast in tree.find_all(exp.Cast):
        if not trino_typing.is_typed_literal(cast):
            continue
        text, kind = cast.this.name, cast.to.this
        if kind == exp.DType.DATE:
            m = _DATE.fullmatch(text)
            valid = m is not None and _real_date(*(int(g) for g in m.groups()))
        elif kind == exp.DType.DECIMAL:
            valid = _DECIMAL.fullmatch(text) is not None
        elif kind in INTEGER_LITERALS:
            valid = integer_literal_valid(kind, text)
        else:
            continue
        if not valid:
            name = INTEGER_LITERALS[kind][0] if kind in INTEGER_LITERALS else kind.value
            raise InvalidLiteral(f"'{text}' is not a valid {name} literal", *position(cast))


def _real_date(year: int, month: int, day: int) -> bool:
    """A calendar date whose days since 1970 fit Trino's DATE (an int: 5881580-07-11 is the last)."""
    import calendar
    days_in = 29 if month == 2 and calendar.isleap(year) else calendar.monthrange(2001, month)[1] if 1 <= month <= 12 else 0
    return 1 <= day <= days_in and -2**31 <= _epoch_day(year, month, day) < 2**31


def _epoch_day(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 of a proleptic Gregorian date (any year)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def values_rows(tree: exp.Expression) -> None:
    """``VALUES ROW(1, 2)`` is a row of two columns in Trino, and ``VALUES ROW(x)`` a row of
    one column holding x (SQLGlot reads one struct): a row constructor as a VALUES row gives
    the row's fields.  A column alias list of another width is MISMATCHED_COLUMN_ALIASES."""
    for values in tree.find_all(exp.Values):
        alias = values.args.get("alias")
        for row in values.expressions:
            inner = row.expressions[0] if isinstance(row, exp.Tuple) and len(row.expressions) == 1 else None
            if isinstance(inner, exp.Struct) and not any(isinstance(e, exp.PropertyEQ) for e in inner.expressions):
                row.set("expressions", [e.copy() for e in inner.expressions])
            elif (fields := _cast_row_fields(inner)) is not None:
                row.set("expressions", fields)
        _check_alias_width(values, alias)


def _cast_row_fields(node: exp.Expression | None) -> list[exp.Expression] | None:
    """``CAST(ROW(1, 'TruE') AS row(double, boolean))`` as a VALUES row: Trino spreads a
    row-typed row into its fields, here ``CAST(1 AS double), CAST('TruE' AS boolean)``."""
    if not isinstance(node, exp.Cast) or not isinstance(node.this, exp.Struct) \
            or node.to.this != exp.DType.STRUCT:
        return None
    values, types = node.this.expressions, node.to.expressions
    if len(values) != len(types) or any(isinstance(v, exp.PropertyEQ) for v in values):
        return None
    kinds = [t.args.get("kind") if isinstance(t, exp.ColumnDef) else t for t in types]
    if any(not isinstance(k, exp.DataType) for k in kinds):
        return None
    return [exp.Cast(this=v.copy(), to=k.copy()) for v, k in zip(values, kinds)]


def _check_alias_width(values: exp.Values, alias) -> None:
    if not isinstance(alias, exp.TableAlias) or not alias.columns or not values.expressions:
        return
    first = values.expressions[0]
    width = len(first.expressions) if isinstance(first, exp.Tuple) else 1
    if width != len(alias.columns):
        raise MismatchedColumnAliases(
            f"Column alias list has {len(alias.columns)} entries but '{alias.name}' has {width} "
            "columns available", *position(alias))


def row_field_stars(tree: exp.Expression) -> None:
    """``t.r.*`` (every field of the row column ``r`` of ``t``) is ``r.*``, which engines
    read as the row's fields, unless ``r`` also names a relation of the query."""
    relations = {t.alias_or_name.lower() for t in tree.find_all(exp.Table)} | \
        {s.alias.lower() for s in tree.find_all(exp.Subquery, exp.Values) if s.alias}
    for col in list(tree.find_all(exp.Column)):
        if isinstance(col.this, exp.Star) and col.args.get("db") and col.table.lower() not in relations:
            col.set("db", None)
            col.set("catalog", None)


def group_by_quantifier(tree: exp.Expression) -> None:
    """``GROUP BY ALL | DISTINCT`` over grouping elements: the grouping sets are the cross
    product of the elements' sets, DISTINCT keeping each once (SQLGlot passes both words
    through, and DuckDB's ``GROUP BY ALL`` means something else)."""
    for group in tree.find_all(exp.Group):
        quantifier = group.args.get("all")
        if quantifier is None:
            continue
        group.set("all", None)
        elements = group.expressions
        if not any(isinstance(e, (exp.Rollup, exp.Cube, exp.GroupingSets)) for e in elements):
            continue    # one grouping set: ALL and DISTINCT are the same
        sets: list[list[exp.Expression]] = [[]]
        for element in elements:
            sets = [_union(a, b) for a in sets for b in _element_sets(element)]
        if quantifier is False:     # DISTINCT
            seen, kept = set(), []
            single = _single_source(group.parent)
            for s in sets:
                key = frozenset(_grouping_key(e, single) for e in s)
                if key not in seen:
                    seen.add(key)
                    kept.append(s)
            sets = kept
        group.set("expressions", [exp.GroupingSets(expressions=[
            exp.Tuple(expressions=[e.copy() for e in s]) for s in sets])])


def _single_source(select: exp.Expression | None) -> bool:
    return isinstance(select, exp.Select) and select.args.get("from_") is not None \
        and not select.args.get("joins")


def _grouping_key(expression: exp.Expression, single_source: bool) -> str:
    """A grouping expression as DISTINCT compares it: over one source, ``t.a`` is ``a``."""
    if not single_source:
        return expression.sql()
    bare = expression.copy()
    for col in bare.find_all(exp.Column):
        col.set("table", None)
        col.set("db", None)
        col.set("catalog", None)
    return bare.sql().lower()


def _element_sets(element: exp.Expression) -> list[list[exp.Expression]]:
    items = list(element.expressions) if isinstance(element, (exp.Rollup, exp.Cube, exp.GroupingSets)) else []
    if isinstance(element, exp.Rollup):
        return [items[:n] for n in range(len(items), -1, -1)]
    if isinstance(element, exp.Cube):
        return [[e for i, e in enumerate(items) if mask >> (len(items) - 1 - i) & 1]
                for mask in range(2 ** len(items) - 1, -1, -1)]
    if isinstance(element, exp.GroupingSets):
        return [list(i.expressions) if isinstance(i, exp.Tuple) else
                [i.this] if isinstance(i, exp.Paren) else [i] for i in items]
    return [[element]]


def _union(a: list[exp.Expression], b: list[exp.Expression]) -> list[exp.Expression]:
    names = {e.sql() for e in a}
    return a + [e for e in b if e.sql() not in names]


def annotate(tree: exp.Expression, schema: dict | None) -> None:
    alias_derived_tables(tree)
    try:
        trino_typing.annotate(tree, schema)
    except ParthenonError:
        raise
    except Exception:   # noqa: BLE001 - types are a hint; rewrites fall back without them
        return
    branch, expanded = tree, False
    while isinstance(branch, exp.SetOperation):
        expanded |= expand_presented_stars(outer_select(branch.expression))
        branch = branch.this
    if expand_presented_stars(outer_select(tree)) or expanded:
        trino_typing.annotate(tree, schema)     # the written-out columns typed as any other


def alias_derived_tables(tree: exp.Expression) -> None:
    """A subquery in FROM or JOIN without a name (Trino allows it) gets one, so that the
    typing reaches through it: SQLGlot types a derived table's columns only by its alias,
    and an untyped output column is left in the engine's own form (an interval as
    DuckDB's MonthDayNano, an address as its integer, a decimal as DuckDB types it)."""
    taken = {a.name.lower() for a in tree.find_all(exp.TableAlias)}
    n = 0
    for subquery in list(tree.find_all(exp.Subquery)):
        if subquery.alias or not isinstance(subquery.parent, (exp.From, exp.Join)):
            continue
        n += 1
        while f"_subquery{n}" in taken:
            n += 1
        subquery.set("alias", exp.TableAlias(this=exp.to_identifier(f"_subquery{n}")))


def output_types(tree: exp.Expression) -> list[str | None]:
    select = outer_select(tree)
    if select is None and isinstance(tree, exp.Values):
        return [trino_typing.type_name(t) for t in star_types.values_types(tree) or []]
    if select is None:
        return []
    types = star_types.query_types(select)      # a `*` stands for its sources' columns
    if types is None:
        return []
    for branch in _later_branches(tree):
        other = outer_select(branch)
        if other is None or len(other.expressions) != len(types):
            continue
        # a set operation's column is of its branches' common super type (Trino's)
        types = [_common(a, b.type) for a, b in zip(types, other.expressions)]
    return [trino_typing.type_name(t) for t in types]


def _later_branches(tree: exp.Expression) -> list[exp.Expression]:
    """The branches of a set operation after its first (outer_select's)."""
    branches = []
    while isinstance(tree, exp.SetOperation):
        branches.append(tree.expression)
        tree = tree.this
    return branches


def _common(a: exp.DataType | None, b: exp.DataType | None) -> exp.DataType | None:
    if a is None or b is None:
        return a
    typ = trino_typing.common_super_type([a, b])
    return a if typ is None else typ if isinstance(typ, exp.DataType) else exp.DataType(this=typ)
