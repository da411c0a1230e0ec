"""Translate an Athena (Trino) query AST into Spark SQL with Trino's semantics.

``translate(ast, schema)`` takes the planned query as the session has it (the
parsed statement, tables replaced by the planner's scans; ``schema`` gives the
scans' columns their Trino types, as for the DuckDB translator) and returns a
``Translation``: Spark SQL text and the Trino type of each output column.

It shares the dialect-neutral front of ``parthenon.sql.trino``: placeholders,
``VALUES ROW(...)``, table-qualified columns, Trino's typing of every
expression and Trino's output column names.  Then the rewrites of
``spark.functions`` (one table per family) turn Trino's functions into Spark
SQL keeping Trino's answers, and SQLGlot generates the ``spark`` dialect.

Functions are *default deny*, as on DuckDB but with Spark's own list
(``functions.SPARK_FUNCTIONS``): a Trino function outside it, and a value
Spark cannot hold with Trino's meaning (``types``), raise
``NotSupported(... "is not supported on the Spark engine")`` with the line
and column, never a different answer.

The Spark session must run with ``SPARK_CONF`` (ANSI mode: integer overflow,
division by zero and invalid casts fail as in Trino; the session time zone is
UTC, Athena's, so Spark's TIMESTAMP reads as Trino's zoneless timestamp; a zoned one
is a struct of its wall clock and zone, ``zoned``).

Trino semantics kept by this module (the families list theirs):

- ``ORDER BY`` puts NULLs last in both directions, Trino's default (Spark's
  is first for ASC): every sort key without an explicit NULLS gets NULLS LAST,
  in windows too.
- Result column names as Trino gives them (lower case, ``_colN``).
- Decimal and integer results cast to the width Trino types them with; an
  interval as Trino's text (``intervals``).
"""
from __future__ import annotations

import functools

from sqlglot import exp
from sqlglot.errors import ErrorLevel, UnsupportedError

from ...errors import InvalidParameterUsage, NotSupported, SqlSyntaxError
from ...sql.trino import name_output_columns, position
from ...sql.trino import grouping_sets, inner_stars, naming, prepare
from ...sql.trino import typing as trino_typing
from ...sql.trino.nodes import not_supported
from ...sql.trino.presented_order import order_by_values
from ..backend import Translation
from . import (functions, inline_tables, intervals, ipaddress, literals, nano_arrays, nano_timestamps, nanos, rows,
               times, timetz, types, pico_literals, unnest_rows,
               windows, zoned)

#: The Spark SQL configuration the translated SQL assumes (the backend sets it on its session).
SPARK_CONF: dict[str, str] = {
    "spark.sql.ansi.enabled": "true",          # overflow, x/0 and bad casts fail, as in Trino
    "spark.sql.session.timeZone": "UTC",       # Athena's session zone
    "spark.sql.caseSensitive": "false",        # Trino identifiers are case-insensitive
    "spark.sql.legacy.sizeOfNull": "false",    # cardinality(NULL) is NULL
    "spark.sql.parser.escapedStringLiterals": "false",   # the generator escapes backslashes itself
    "spark.sql.decimalOperations.allowPrecisionLoss": "false",  # decimal scale as Trino keeps it
    "spark.sql.chunkBase64String.enabled": "false",   # to_base64 in one line, as Trino's
    "spark.sql.variable.substitute": "false",  # '${x}' in a literal is text (regexp_replace's named group)
}

DIALECT = "spark"


def translate(ast: exp.Expression, schema: dict | None = None, *,
              zoned_as_instant: bool = False) -> Translation:
    """Spark SQL for a Trino query AST, with Trino's semantics, and the Trino types of
    its output columns (the Backend protocol's ``translate``).  Raises NotSupported (with
    line:column) for what Spark cannot answer as Trino does.  ``zoned_as_instant`` changes
    nothing: a zoned value never reaches the result on Spark (``types``)."""
    placeholders = list(ast.find_all(exp.Placeholder))
    if placeholders:    # a `?` no parameter was bound to
        raise InvalidParameterUsage(
            f"Incorrect number of parameters: expected {len(placeholders)} but found 0",
            *position(placeholders[0]))
    for table in ast.find_all(exp.Table):
        if table.meta.get("match_recognize") is not None:
            clause = table.meta["match_recognize"]
            raise NotSupported("MATCH_RECOGNIZE (row pattern recognition) is not supported on the "
                               "Spark engine", clause.line, clause.col)
    tree = ast.copy()
    rows.mark_subscripts(tree)
    prepare.refuse_unknown_types(tree)
    prepare.values_rows(tree)
    prepare.table_qualified_columns(tree)
    prepare.check_decimal_types(tree)
    types.name_unknown(tree)
    inner_stars.write_out(tree, schema)
    prepare.annotate(tree, schema)
    if rows.restore_row_subscripts(tree):
        prepare.annotate(tree, schema)
    if unnest_rows.name_fields(tree):
        prepare.annotate(tree, schema)
    _field_types(tree)
    output = prepare.output_types(tree)
    literals.check_typed_literals(tree)
    literals.round_timestamp_literals(tree)
    nanos.narrow_literals(tree)
    pico_literals.constant_texts(tree)
    types.refuse_unrepresentable(tree)
    ipaddress.refuse_unpresentable(tree)
    _ordinality(tree)
    unnest_rows.inline(tree)
    tree = _rewrite(tree)
    _refuse_reflection_in_lambdas(tree)
    windows.ntile_buckets(tree)
    windows.bigint_rankings(tree)
    _nulls_last(tree)
    _group_by_quantifier(tree)
    _named_structs_in_values(tree)
    tree = inline_tables.unfold(tree)
    _present(tree)
    name_output_columns(tree, schema)
    _clear_types(tree)
    try:
        sql = tree.sql(dialect=DIALECT, unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as e:
        message = str(e).split("\n")[0].strip() or "unsupported construct"
        raise NotSupported(f"{message} (on the Spark engine)") from None
    return Translation(sql, output)


def to_spark_sql(ast: exp.Expression, schema: dict | None = None) -> str:
    """Spark SQL for a Trino query AST (see ``translate``)."""
    return translate(ast, schema).sql


# --------------------------------------------------------------------------------------
# Walk
# --------------------------------------------------------------------------------------


def _rewrite(tree: exp.Expression) -> exp.Expression:
    """Apply the family rewrites bottom-up (children first) and refuse what is not listed."""
    for node in reversed(list(tree.walk(bfs=False))):
        zoned.adapt(node)      # a zoned argument as the node reads it (instant, wall clock)
        timetz.adapt(node)     # so a time with time zone (its instant of the day, wall clock)
        nano_timestamps.adapt(node)     # and a timestamp(7..9) (its microseconds, or whole)
        nano_arrays.adapt(node)         # and an array of them (read whole by a few functions)
        rewrite = functions.rewrite_for(node)
        if rewrite is None:
            continue
        new = rewrite(node)
        if new is None or new is node:
            continue
        if new.type is None:
            new.type = node.type
        new.meta["spark_rewritten"] = True   # its Spark type is the rewrite's concern
        if new.meta.get("line") is None:      # errors about it point where it was written
            _keep_position(node, new)
        if node is tree:
            tree = new
        else:
            node.replace(new)
    return tree


_REFLECTION = {"REFLECT", "TRY_REFLECT", "JAVA_METHOD"}


def _refuse_reflection_in_lambdas(tree: exp.Expression) -> None:
    """Rewrites that call Java through Spark's reflect (from_base, normal_cdf, normalize,
    hmac_*) cannot run inside a lambda: Spark leaves a non-deterministic expression there
    uninitialised and fails the query with an internal error."""
    for lam in tree.find_all(exp.Lambda):
        for call in lam.find_all(exp.Anonymous):
            if call.name.upper() in _REFLECTION:
                raise not_supported(lam, "This function inside a lambda is not supported on the Spark engine (it "
                                         "calls Java through reflect)")


def _keep_position(old: exp.Expression, new: exp.Expression) -> None:
    for n in [old, *old.walk()]:
        if n.meta.get("line") is not None:
            new.meta.update({k: n.meta[k] for k in ("line", "col", "start", "end") if k in n.meta})
            return


def _ordinality(tree: exp.Expression) -> None:
    """``CROSS JOIN UNNEST(a) WITH ORDINALITY AS t(x, n)`` counts from 1 (Spark's posexplode
    from 0): a LATERAL VIEW of INLINE over (element, position + 1) pairs."""
    for unnest in list(tree.find_all(exp.Unnest)):
        ordinality = unnest.args.get("offset")
        if not ordinality:
            continue
        join = unnest.parent
        select = join.parent if isinstance(join, exp.Join) else None
        alias = unnest.args.get("alias")
        if select is None or not isinstance(select, exp.Select) or select.args["joins"][-1] is not join \
                or len(unnest.expressions) != 1 or alias is None or len(alias.columns) != 1 \
                or (unnest.expressions[0].type is not None and unnest.expressions[0].type.this == exp.DType.MAP):
            raise NotSupported("UNNEST ... WITH ORDINALITY is supported on the Spark engine for one array, "
                               "unnested last in its FROM", *position(unnest))
        pairs = functions.spark("TRANSFORM(_a, (__e, __i) -> STRUCT(__e, CAST(__i + 1 AS BIGINT)))", _a=unnest.expressions[0])
        name = ordinality if isinstance(ordinality, exp.Identifier) else exp.to_identifier("ordinality")
        lateral = exp.Lateral(this=exp.Anonymous(this="INLINE", expressions=[pairs]), view=True,
                              outer=join.side == "LEFT" or None,
                              alias=exp.TableAlias(this=alias.this.copy(),
                                                   columns=[alias.columns[0].copy(), name.copy()]))
        join.pop()
        if not select.args.get("joins"):
            select.set("joins", None)
        select.append("laterals", lateral)


def _named_structs_in_values(tree: exp.Expression) -> None:
    """A row in VALUES as NAMED_STRUCT: Spark reads ``VALUES (STRUCT(1, 2))`` as two columns."""
    for struct in list(tree.find_all(exp.Struct)):
        if struct.find_ancestor(exp.Values) is None:
            continue
        args: list[exp.Expression] = []
        for i, e in enumerate(struct.expressions, start=1):
            if isinstance(e, exp.PropertyEQ):
                args += [exp.Literal.string(e.this.name), e.expression]
            elif isinstance(e, exp.Alias):
                args += [exp.Literal.string(e.alias), e.this]
            else:
                args += [exp.Literal.string(f"col{i}"), e]
        struct.replace(exp.Anonymous(this="NAMED_STRUCT", expressions=args))


def _group_by_quantifier(tree: exp.Expression) -> None:
    """``GROUP BY ALL | DISTINCT`` (Spark has neither; its GROUP BY ALL groups by every
    column): ALL is the default, DISTINCT the written-out grouping sets without the
    ones that come twice."""
    for group in tree.find_all(exp.Group):
        distinct = group.args.get("all") is False
        group.set("all", None)
        if distinct and grouping_sets.has_sets(group):
            sets = grouping_sets.written_out(group, distinct=True)
            group.set("expressions", [exp.GroupingSets(expressions=[
                exp.Tuple(expressions=[c.copy() for c in s]) for s in sets])])


def _nulls_last(tree: exp.Expression) -> None:
    """Trino sorts NULLs last, ascending or descending; Spark first when ascending."""
    for ordered in tree.find_all(exp.Ordered):
        key = ordered.this
        if isinstance(key, exp.Column) and not key.table and key.name.upper() == "ALL" and not key.this.quoted:
            # ALL is reserved in Trino: ORDER BY ALL is a syntax error there (Spark sorts by every column)
            raise SqlSyntaxError("mismatched input 'ALL'", *position(key))
        ordered.set("nulls_first", False)


def _present(tree: exp.Expression) -> None:
    """Each result column as Trino types it (Spark's integer width, decimal precision and
    scale may differ), a timestamp as a zoneless one (Spark's TIMESTAMP is an instant)."""
    select = naming.outer_select(tree)
    if select is None:
        return
    # every branch of a set operation shows its values as text, so that they unite as
    # text (Spark: INCOMPATIBLE_COLUMN_TYPE of the first branch's text and another's value)
    branch = naming.unparenthesized(tree)
    while isinstance(branch, exp.SetOperation):
        _present(naming.unparenthesized(branch.expression))
        branch = naming.unparenthesized(branch.this)
    # ORDER BY an address orders by its bytes, an interval by its length, not their text
    originals, by_value, kinds = {}, set(), {}
    shown_as_text = {}      # output name / position -> what a set operation's ORDER BY would sort as text
    for position_, p in enumerate(list(select.expressions), start=1):
        inner = p.this if isinstance(p, exp.Alias) else p
        kind = "ipaddress" if ipaddress.is_ipaddress(inner) or ipaddress.is_ipaddress_array(inner) else \
            "interval" if intervals.is_interval(inner) else None
        if kind is not None:
            originals[position_] = originals[p.alias_or_name.lower()] = inner.copy()
            by_value.add(position_)
            kinds[position_] = kinds[p.alias_or_name.lower()] = kind
        if isinstance(inner, exp.Star) or (isinstance(inner, exp.Column) and isinstance(inner.this, exp.Star)):
            continue
        typ = getattr(inner, "type", None)
        if intervals.is_interval(inner):       # Trino's text (Spark's differs)
            shown = intervals.text(inner.copy())
        elif zoned.is_zoned(inner):
            shown = zoned.text(inner.copy(), trino_typing.precision(typ))
        elif nano_timestamps.is_nano(inner):
            shown = nano_timestamps.text(inner.copy(), trino_typing.precision(typ))
        elif nano_arrays.is_nano_array(inner):
            shown = nano_arrays.texts(inner.copy(), nano_arrays.element_precision(typ))
        elif timetz.is_timetz(inner):
            shown = timetz.text(inner.copy(), trino_typing.precision(typ))
        elif times.is_time(inner):
            shown = times.text(inner.copy(), trino_typing.precision(typ))
        elif ipaddress.is_ipaddress(inner):    # Trino's text (the value is its 16 bytes)
            shown = ipaddress.text(inner.copy())
        elif ipaddress.is_ipaddress_array(inner):
            shown = ipaddress.array_text(inner.copy())
        elif typ is not None and typ.this in (exp.DType.ARRAY, exp.DType.MAP) and types.spark_type(typ) is not None \
                and any(t.this == exp.DType.TIMESTAMP for t in typ.find_all(exp.DataType)):
            shown = exp.Cast(this=inner.copy(), to=types.spark_type(typ))   # zoneless inside (Spark: an instant)
        elif not (_type_is_certain(inner, typ) or types.needs_own_type(typ)) or types.spark_type(typ) is None:
            continue
        else:
            shown = exp.Cast(this=inner.copy(), to=types.spark_type(typ))
        text_kind = "interval" if intervals.is_interval(inner) else "address" if ipaddress.is_ipaddress(inner) \
            else "timestamp with time zone" if zoned.is_zoned(inner) else \
            "time with time zone" if timetz.is_timetz(inner) else None
        if text_kind is not None:
            shown_as_text[position_] = shown_as_text[p.alias_or_name.lower()] = text_kind
        if isinstance(p, exp.Alias):
            p.set("this", shown)
        elif isinstance(p, (exp.Column, exp.Dot)):
            p.replace(exp.alias_(shown, exp.to_identifier(p.output_name, quoted=True)))
        else:
            p.replace(shown)
    _refuse_set_operation_order(tree, shown_as_text)
    grouped = bool(select.args.get("group")) or any(e.find(exp.AggFunc) for e in select.expressions)

    def sortable(value: exp.Expression) -> bool:
        """Spark sorts a grouped select again by a column or an aggregate, not by another
        expression of its keys (its lambdas resolve anew), nor by a window."""
        if value.find(exp.Window) or select.args.get("distinct"):    # DISTINCT: ORDER BY what it selects
            return False
        return not grouped or isinstance(value, exp.Column) or isinstance(value, exp.AggFunc)
    for ordered in order_by_values(select, originals, by_value, sortable=sortable):
        key = ordered.this
        kind = kinds.get(int(key.name) if isinstance(key, exp.Literal) else key.name.lower())
        raise NotSupported(f"ORDER BY this {kind} column is not supported on the Spark engine (it would "
                           "order by the text)", *position(ordered))


def _refuse_set_operation_order(tree: exp.Expression, shown_as_text: dict) -> None:
    """A set operation's ORDER BY sees its branches' text: of an interval, an address or
    a zoned value that is not Trino's order (by the value), so it is refused."""
    order = tree.args.get("order") if isinstance(tree, exp.SetOperation) else None
    for ordered in order.expressions if order is not None and shown_as_text else []:
        key = ordered.this
        if isinstance(key, exp.Literal) and key.is_int:
            kind = shown_as_text.get(int(key.name))
        else:
            kind = next((shown_as_text[c.name.lower()] for c in key.find_all(exp.Column)
                         if not c.table and c.name.lower() in shown_as_text), None)
        if kind is not None:
            raise NotSupported(f"ORDER BY this {kind} column of a set operation is not supported on the "
                               "Spark engine (it would order by the text)", *position(ordered))


# Integer results whose Trino type the typing states for certain (others keep Spark's).
_TYPED_INTEGERS = (exp.Floor, exp.Ceil, exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor, exp.BitwiseNot,
                   exp.Sum, exp.Count, exp.Abs, exp.Sign, exp.Add, exp.Sub, exp.Mul, exp.Mod, exp.Neg,
                   exp.Div, exp.IntDiv, exp.Round)
# Date and time fields: bigint in Trino (Spark: int).
_FIELDS = (exp.Year, exp.Month, exp.Day, exp.Quarter, exp.Week, exp.WeekOfYear, exp.DayOfWeek,
           exp.DayOfWeekIso, exp.DayOfMonth, exp.DayOfYear, exp.Hour, exp.Minute, exp.Second, exp.Extract,
           # counts and positions: bigint in Trino too
           exp.ArraySize, exp.Length, exp.StrPosition, exp.ArrayPosition, exp.Levenshtein, exp.RegexpCount)


def _type_is_certain(node: exp.Expression, typ: exp.DataType | None) -> bool:
    if typ is None:
        return False
    if node.meta.get("trino_typed") or typ.this == exp.DType.TIMESTAMP:
        return True
    if typ.this == exp.DType.DECIMAL:
        return not isinstance(node, (exp.Column, exp.Dot))
    if typ.this in trino_typing.INTEGER_WIDTH:
        return isinstance(node, _TYPED_INTEGERS + _FIELDS) or node.meta.get("field")
    if typ.this == exp.DType.FLOAT:     # REAL arithmetic: Spark widens to DOUBLE where Trino does not
        return isinstance(node, (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Neg, exp.Mod, exp.Abs, exp.Case))
    return False


def _field_types(tree: exp.Expression) -> None:
    """Date and time fields, counts and positions are bigint in Trino."""
    for node in tree.walk():
        if isinstance(node, _FIELDS) or (isinstance(node, exp.Anonymous) and node.name.lower() in
                                          ("millisecond", "day_of_week", "dow", "day_of_year", "doy")):
            node.type = exp.DataType.build("BIGINT")
            node.meta["field"] = True


def _clear_types(tree: exp.Expression) -> None:
    """Forget the Trino types: SQLGlot's Spark generator would act on them."""
    for node in tree.walk():
        if not isinstance(node, (exp.Cast, exp.DataType)):
            node.type = None


@functools.lru_cache(maxsize=None)
def supported_functions() -> frozenset[str]:
    """The Trino functions the Spark engine runs (for documentation and tests)."""
    return functions.SPARK_FUNCTIONS
