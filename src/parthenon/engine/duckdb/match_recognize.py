"""MATCH_RECOGNIZE on DuckDB, which has no row pattern recognition.

Each clause (``sql/trino/match_recognize``: a placeholder relation after its input) runs in
three steps inside the query:

1. The input relation runs in DuckDB with, per row, its position (``row_number()`` over
   PARTITION BY / ORDER BY), its partition, each DEFINE condition as a boolean column and
   each navigated expression of MEASURES as a column.  A DEFINE condition that uses only the
   current row's columns (bare, or prefixed with its own variable or a subset holding it)
   and PREV/NEXT of them (``lag``/``lead`` over the partition's order) is such a column.
   One that reads the match so far (other variables' rows, FIRST/LAST, CLASSIFIER,
   MATCH_NUMBER, aggregates) keeps its current-row parts as columns (``__eN``) and is
   evaluated in Python on each attempt through comparisons, AND/OR/NOT, IS NULL and
   integer/double ``+ - *`` (overflow as Trino reports it); other forms are NOT_SUPPORTED.
2. Python matches the pattern in each partition with Trino's preference
   (``sql/trino/row_patterns``: a Pike VM, or depth first when conditions read the match
   so far), skips as AFTER MATCH SKIP says, and evaluates the
   measures' pattern parts (match_number(), classifier(), FIRST/LAST/PREV/NEXT with
   RUNNING/FINAL, prefixed columns, count/sum/avg/min/max over a variable's rows): values
   are taken from the input's Arrow columns by row, so they keep their types.
3. The result is registered as an Arrow table, and the clause becomes a subquery over it
   whose select list is Trino's output (ONE ROW PER MATCH: PARTITION BY columns and
   measures; ALL ROWS PER MATCH: PARTITION BY columns, ORDER BY columns, measures, the
   other input columns); the measures' scalar parts (arithmetic, casts, functions,
   subqueries) stay SQL there, so the outer query is translated as any other.
"""
from __future__ import annotations

import bisect
import itertools
import operator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import sqlglot
from sqlglot import exp

from ...errors import ColumnNotFound, NotSupported, NumericValueOutOfRange, ParthenonError
from ...sql.guard import check_query
from ...sql.trino import match_recognize as mr
from ...sql.trino import row_patterns
from ...sql.trino.positions import position
from ...types import result_type
from ..backend import Translation

_INTEGERS = ("tinyint", "smallint", "integer", "bigint")
_ORDERED = _INTEGERS + ("double", "real", "varchar", "date", "boolean")
# values a query presents as text (zoned timestamps, intervals...): their Arrow column is not
# the type's engine value, so they cannot be handed on
_PRESENTED = ("with time zone", "interval", "ipaddress", "json")


def placeholders(ast: exp.Expression) -> list[exp.Table]:
    return [t for t in ast.find_all(exp.Table) if mr.clause_of(t) is not None]


def translate_with_steps(ast: exp.Expression, schema: dict, translate, zoned_as_instant: bool) -> Translation:
    """A Translation whose SQL is known once its step has run the clauses (inside the query)."""
    translation = Translation("", [])
    ast = ast.copy()
    for table in placeholders(ast):          # refused now rather than after reading
        _check_clause(mr.clause_of(table))

    def step(q) -> None:
        tree, scheme = ast, dict(schema or {})
        count = itertools.count(1)
        while True:
            pending = placeholders(tree)
            if not pending:
                break
            table = next((t for t in pending if _ready(t)), pending[0])
            _run_clause(q, table, scheme, translate, next(count))
        done = translate(tree, scheme, zoned_as_instant=zoned_as_instant)
        translation.sql, translation.types = done.sql, done.types
    translation.before.append(step)
    return translation


def _ready(table: exp.Table) -> bool:
    """Whether the clause's input and visible CTEs hold no other clause."""
    relation = _input_holder(table)[0].this
    return not placeholders(relation) and not any(placeholders(c) for c in _ctes(table))


def _check_clause(clause: mr.MatchClause) -> None:
    names = set(clause.variables()) | set(clause.subsets)
    for name, members in clause.subsets.items():
        for m in members:
            if m not in clause.variables():
                raise NotSupported(f"MATCH_RECOGNIZE: subset {name} names {m}, which is not a "
                                   "primary pattern variable", clause.line, clause.col)
    for var in clause.define:
        if var not in clause.variables():
            raise ParthenonError(f"defined variable: {var} is not a primary pattern variable",
                                 clause.line, clause.col)
    if clause.skip[1] is not None and clause.skip[1] not in names:
        raise ParthenonError(f"{clause.skip[1]} is not a primary or union pattern variable",
                             clause.line, clause.col)
    if clause.rows == mr.WITH_UNMATCHED and row_patterns.has_exclusion(clause.pattern):
        raise ParthenonError("Pattern exclusion syntax is not allowed when ALL ROWS PER MATCH "
                             "WITH UNMATCHED ROWS is specified", clause.line, clause.col)
    for node in clause.partition + [o.this for o in clause.order]:
        if not isinstance(node, exp.Column):
            raise NotSupported("MATCH_RECOGNIZE: PARTITION BY and ORDER BY take input columns",
                               *position(node))


# -- the steps of one clause

def _input_holder(table: exp.Table):
    join = table.parent
    select = join.parent
    joins = select.args.get("joins") or []
    index = next(i for i, j in enumerate(joins) if j is join)
    holder = select.args["from_"] if index == 0 else joins[index - 1]
    return holder, join, select


def _ctes(node: exp.Expression) -> list[exp.CTE]:
    out = []
    while node is not None:
        if isinstance(node, exp.Query) and node.args.get("with_") is not None:
            out = list(node.args["with_"].expressions) + out
        node = node.parent
    return out


@dataclass
class _Leaf:
    kind: str                  # match_number | classifier | value | count | sum | avg | min | max
    final: bool = False
    labels: frozenset | None = None     # None: the universal variable
    last: bool = True                   # LAST or FIRST
    logical: int = 0
    physical: int = 0                   # signed: PREV < 0 < NEXT
    column: str | None = None           # the input column (or __aN) read
    star: bool = False                  # count(*) / count(A.*)
    where: tuple = (None, None)         # line, column of the column read, for errors


class _Analysis:
    def __init__(self, clause: mr.MatchClause):
        self.clause = clause
        self.variables = clause.variables()
        self.leaves: list[_Leaf] = []
        self.arguments: list[str] = []      # Trino SQL of computed arguments (__aN)
        self.locals: list[str] = []         # DEFINE parts of the current row (__eN)
        self.define_leaves: list[_Leaf] = []

    def labels_of(self, ident, node) -> frozenset | None:
        if ident is None:
            return None
        name = mr.label(ident)
        if name in self.clause.subsets:
            return frozenset(self.clause.subsets[name])
        if name in self.variables:
            return frozenset([name])
        raise ColumnNotFound(f"Column {ident.name}.{node.name} prefixed with label {name} cannot "
                             "be resolved", *position(ident))

    # measures: the pattern parts become leaf columns
    def measure(self, node: exp.Expression) -> exp.Expression:
        node = node.copy()
        if isinstance(node, (exp.Subquery, exp.Select)):
            return node
        leaf = self._leaf(node)
        if leaf is not None:
            self.leaves.append(leaf)
            return exp.column(f"__l{len(self.leaves) - 1}")
        for key, value in list(node.args.items()):
            if isinstance(value, exp.Expression):
                node.set(key, self.measure(value))
            elif isinstance(value, list):
                node.set(key, [self.measure(v) if isinstance(v, exp.Expression) else v for v in value])
        return node

    def _leaf(self, node: exp.Expression) -> _Leaf | None:
        call = _call(node)
        if isinstance(node, exp.Column) and not isinstance(node.this, exp.Star):
            return _Leaf("value", labels=self.labels_of(node.args.get("table"), node),
                         column=node.name.lower(), where=position(node.this))
        if call is None:
            if isinstance(node, exp.AggFunc):
                raise NotSupported(f"MATCH_RECOGNIZE: the aggregate {node.key} in MEASURES is not "
                                   "supported (count, sum, avg, min, max are)", *position(node))
            return None
        name, args, mode = call
        if name == "MATCH_NUMBER":
            return _Leaf("match_number")
        if name == "CLASSIFIER":
            return self._classifier(args, node)
        if name in ("FIRST", "LAST"):
            return self._logical(name, args, mode, node)
        if name in ("PREV", "NEXT"):
            if mode:
                raise ParthenonError(f"{mode} cannot be applied to {name}", *position(node))
            inner = args[0] if args else None
            steps = _offset(args, 1, node)
            inner_call = _call(inner) if inner is not None else None
            if inner_call is not None and inner_call[0] in ("FIRST", "LAST"):
                leaf = self._logical(inner_call[0], inner_call[1], inner_call[2], inner)
            else:
                leaf = self._logical("LAST", [inner], None, node)
            leaf.physical = -steps if name == "PREV" else steps
            return leaf
        if name in ("COUNT", "SUM", "AVG", "MIN", "MAX"):
            return self._aggregate(name, args, mode, node)
        return None

    def _classifier(self, args, node) -> _Leaf:
        labels = None
        if args:
            if not isinstance(args[0], exp.Column) or args[0].args.get("table"):
                raise ParthenonError("CLASSIFIER pattern recognition function requires a pattern "
                                     "variable as argument", *position(node))
            labels = self.labels_of(args[0].this, args[0])
        return _Leaf("classifier", labels=labels)

    def _logical(self, name, args, mode, node) -> _Leaf:
        if not args or args[0] is None:
            raise ParthenonError(f"{name} pattern recognition function requires an argument",
                                 *position(node))
        arg = args[0]
        steps = _offset(args, 0, node)
        call = _call(arg)
        if call is not None and call[0] == "CLASSIFIER":
            leaf = self._classifier(call[1], arg)
        else:
            labels, column = self._argument(arg, node)
            leaf = _Leaf("value", labels=labels, column=column, where=position(arg))
        leaf.final = mode == "FINAL"
        leaf.last = name == "LAST"
        leaf.logical = steps
        return leaf

    def _argument(self, arg, node) -> tuple[frozenset | None, str]:
        """The variable an argument reads and the input column (computed if need be) it is."""
        columns = [c for c in arg.find_all(exp.Column) if not _in_subquery(c, arg)]
        for inner in arg.find_all(exp.Func):
            call = _call(inner)
            if call is not None and call[0] in ("FIRST", "LAST", "PREV", "NEXT", "CLASSIFIER",
                                                "MATCH_NUMBER") or isinstance(inner, exp.AggFunc):
                raise NotSupported("MATCH_RECOGNIZE: a navigation or aggregate argument holding "
                                   f"{inner.sql('trino')} is not supported", *position(inner))
        if not columns:
            raise ParthenonError("Pattern navigation function requires at least one column "
                                 "reference or CLASSIFIER()", *position(node))
        prefixes = {mr.label(c.args["table"]) if c.args.get("table") else None for c in columns}
        if len(prefixes) > 1:
            raise ParthenonError("Column references inside argument of function must all refer "
                                 "to the same label", *position(node))
        labels = self.labels_of(columns[0].args.get("table"), columns[0])
        stripped = arg.copy()
        for c in stripped.find_all(exp.Column):
            c.set("table", None)
        if isinstance(stripped, exp.Column):
            return labels, stripped.name.lower()
        self.arguments.append(stripped.sql(dialect="athena"))
        return labels, f"__a{len(self.arguments) - 1}"

    def _aggregate(self, name, args, mode, node) -> _Leaf:
        if len(args) != 1:
            raise NotSupported(f"MATCH_RECOGNIZE: {name.lower()} of {len(args)} arguments is not "
                               "supported", *position(node))
        arg = args[0]
        leaf = _Leaf(name.lower(), final=mode == "FINAL")
        if isinstance(arg, exp.Star):
            if name != "COUNT":
                raise ParthenonError(f"{name.lower()}(*) is not allowed", *position(node))
            leaf.star = True
        elif isinstance(arg, exp.Column) and isinstance(arg.this, exp.Star):
            leaf.star = True
            leaf.labels = self.labels_of(arg.args.get("table"), arg)
        else:
            leaf.labels, leaf.column = self._argument(arg, node)
        return leaf

    # DEFINE: a boolean column of the input when it reads only the current row; else a small
    # tree evaluated on the match so far, its parts that read only the current row computed
    # by the engine (__eN) and its pattern parts leaves as in MEASURES
    def condition(self, var: str, node: exp.Expression):
        try:
            return ("sql", self._local(var, node))
        except _StateDependent:
            pass
        return ("tree", self._glue(var, node))

    def _local(self, var: str, node: exp.Expression) -> str:
        node = node.copy()
        window = "OVER (PARTITION BY __pn ORDER BY __rn)"

        def fix(n: exp.Expression) -> exp.Expression:
            if isinstance(n, (exp.Subquery, exp.Select)):
                return n
            call = _call(n)
            if call is not None:
                name, args, mode = call
                if name in ("PREV", "NEXT") and not mode:
                    if not args:
                        raise ParthenonError(f"{name} pattern recognition function requires an "
                                             "argument", *position(n))
                    steps = _offset(args, 1, n)
                    inner = fix(args[0])
                    for f in inner.find_all(exp.Func):
                        if _call(f) is not None or isinstance(f, exp.AggFunc):
                            raise _StateDependent(n)
                    fn = "lag" if name == "PREV" else "lead"
                    return sqlglot.parse_one(f"{fn}({inner.sql(dialect='athena')}, {steps}) {window}",
                                             read="athena")
                raise _StateDependent(n)
            if isinstance(n, exp.AggFunc):
                raise _StateDependent(n)
            if isinstance(n, exp.Column) and n.args.get("table") is not None:
                labels = self.labels_of(n.args["table"], n)
                if var not in labels:
                    raise _StateDependent(n)
                n = n.copy()
                n.set("table", None)
                return n
            for key, value in list(n.args.items()):
                if isinstance(value, exp.Expression):
                    n.set(key, fix(value))
                elif isinstance(value, list):
                    n.set(key, [fix(v) if isinstance(v, exp.Expression) else v for v in value])
            return n
        return fix(node).sql(dialect="athena")

    def _glue(self, var: str, n: exp.Expression) -> tuple:
        try:
            sql = self._local(var, n)
        except _StateDependent:
            pass
        else:
            self.locals.append(sql)
            return ("col", f"__e{len(self.locals) - 1}")
        if isinstance(n, exp.Paren):
            return self._glue(var, n.this)
        for cls, op in _GLUE.items():
            if type(n) is cls:
                if op == "not":
                    return ("not", self._glue(var, n.this), n)
                if op == "is" and isinstance(n.expression, exp.Null):
                    return ("isnull", self._glue(var, n.this), n)
                if op != "is":
                    return (op, self._glue(var, n.this), self._glue(var, n.expression), n)
        call = _call(n)
        leaf = self._leaf(n) if call is None or call[0] != "MATCH_NUMBER" else _Leaf("match_number")
        if leaf is not None:
            if leaf.final:
                raise ParthenonError("FINAL semantics is not supported in DEFINE clause", *position(n))
            self.define_leaves.append(leaf)
            return ("leaf", len(self.define_leaves) - 1, n)
        raise NotSupported(f"MATCH_RECOGNIZE: the DEFINE condition of {var} depends on the match so "
                           f"far through {n.sql(dialect='trino')}; there only comparisons, AND, OR, "
                           "NOT, IS NULL and + - * of integers and doubles are supported",
                           *position(n))


class _StateDependent(Exception):
    """A DEFINE part that reads the match so far (other variables' rows, FIRST/LAST...)."""


_GLUE = {exp.And: "and", exp.Or: "or", exp.Not: "not", exp.EQ: "=", exp.NEQ: "<>", exp.LT: "<",
         exp.LTE: "<=", exp.GT: ">", exp.GTE: ">=", exp.Add: "+", exp.Sub: "-", exp.Mul: "*",
         exp.Is: "is"}
_RANGES = {"tinyint": 2**7, "smallint": 2**15, "integer": 2**31, "bigint": 2**63}
_WIDTH = ["tinyint", "smallint", "integer", "bigint"]
_ARITH_NAMES = {"+": "addition", "-": "subtraction", "*": "multiplication"}


def _category(typ: str) -> str:
    if typ in _INTEGERS or typ in ("double", "real") or typ.startswith("decimal"):
        return "number"
    if typ.startswith(("varchar", "char")):
        return "text"
    return typ.split("(")[0]


def _compile(tree: tuple, type_of, leaf_value, leaves: list) -> tuple:
    """(function of the match state, Trino type) for a DEFINE tree."""
    kind = tree[0]
    if kind == "col":
        name = tree[1]
        return (lambda st, _n=name: st.value(_n, st.row)), type_of(name)
    if kind == "leaf":
        leaf = leaves[tree[1]]
        typ = {"match_number": "bigint", "classifier": "varchar", "count": "bigint",
               "avg": "double"}.get(leaf.kind)
        if typ is None:
            typ = type_of(leaf.column, leaf.where)
            if leaf.kind == "sum":
                if typ not in _INTEGERS + ("double",):
                    raise NotSupported(f"MATCH_RECOGNIZE: sum of {typ} in DEFINE is not supported")
                typ = "bigint" if typ in _INTEGERS else "double"
        elif leaf.kind in ("count", "avg") and not leaf.star:
            type_of(leaf.column, leaf.where)
        return (lambda st, _k=tree[1]: leaf_value(_k, st)), typ
    if kind in ("and", "or"):
        a, _ = _compile(tree[1], type_of, leaf_value, leaves)
        b, _ = _compile(tree[2], type_of, leaf_value, leaves)
        if kind == "and":
            def both(st):
                x = a(st)
                if x is False:
                    return False
                y = b(st)
                return False if y is False else (None if x is None or y is None else True)
            return both, "boolean"

        def either(st):
            x = a(st)
            if x is True:
                return True
            y = b(st)
            return True if y is True else (None if x is None or y is None else False)
        return either, "boolean"
    if kind == "not":
        a, _ = _compile(tree[1], type_of, leaf_value, leaves)
        return (lambda st: None if (x := a(st)) is None else not x), "boolean"
    if kind == "isnull":
        a, _ = _compile(tree[1], type_of, leaf_value, leaves)
        return (lambda st: a(st) is None), "boolean"
    a, ta = _compile(tree[1], type_of, leaf_value, leaves)
    b, tb = _compile(tree[2], type_of, leaf_value, leaves)
    node = tree[3]
    if kind in ("=", "<>", "<", "<=", ">", ">="):
        if _category(ta) != _category(tb) or _category(ta) not in ("number", "text", "date", "timestamp",
                                                                    "boolean"):
            raise NotSupported(f"MATCH_RECOGNIZE: comparing {ta} with {tb} in DEFINE is not supported",
                               *position(node))
        op = {"=": operator.eq, "<>": operator.ne, "<": operator.lt, "<=": operator.le,
              ">": operator.gt, ">=": operator.ge}[kind]

        def compare(st):
            x = a(st)
            if x is None:
                return None
            y = b(st)
            return None if y is None else op(x, y)
        return compare, "boolean"
    if ta in _INTEGERS and tb in _INTEGERS:
        typ = _WIDTH[max(_WIDTH.index(ta), _WIDTH.index(tb))]
        bound = _RANGES[typ]
    elif ta in _INTEGERS + ("double",) and tb in _INTEGERS + ("double",):
        typ, bound = "double", None
    else:
        raise NotSupported(f"MATCH_RECOGNIZE: {ta} {kind} {tb} in DEFINE is not supported",
                           *position(node))
    op = {"+": operator.add, "-": operator.sub, "*": operator.mul}[kind]

    def arith(st):
        x = a(st)
        if x is None:
            return None
        y = b(st)
        if y is None:
            return None
        z = op(x, y)
        if bound is not None and not -bound <= z < bound:
            raise NumericValueOutOfRange(f"{typ} {_ARITH_NAMES[kind]} overflow: {x} {kind} {y}")
        return z
    return arith, typ


def _in_subquery(node, top) -> bool:
    while node is not None and node is not top:
        if isinstance(node, (exp.Subquery, exp.Select)):
            return True
        node = node.parent
    return False


def _call(node) -> tuple[str, list, str | None] | None:
    """(NAME, arguments, RUNNING|FINAL|None) of a pattern recognition call, else None."""
    if isinstance(node, exp.Anonymous):
        name = node.name.upper()
        mode = None
        for m in ("RUNNING_", "FINAL_"):
            if name.startswith(m):
                mode, name = m[:-1], name[len(m):].lstrip("_")
        return name, list(node.expressions), mode
    if isinstance(node, (exp.First, exp.Last)):
        args = [node.this] + ([node.args["expression"]] if node.args.get("expression") else [])
        return ("FIRST" if isinstance(node, exp.First) else "LAST"), args, None
    if isinstance(node, exp.Count):
        return "COUNT", [node.this] if node.this is not None else [exp.Star()], None
    for cls, name in ((exp.Sum, "SUM"), (exp.Avg, "AVG"), (exp.Min, "MIN"), (exp.Max, "MAX")):
        if type(node) is cls:
            return name, [node.this] + list(node.expressions or []), None
    return None


def _offset(args, default: int, node) -> int:
    if len(args) < 2:
        return default
    value = args[1]
    if not (isinstance(value, exp.Literal) and not value.is_string and value.this.isdigit()):
        raise ParthenonError("Pattern navigation function offset must be a non-negative "
                             "integer literal", *position(value))
    return int(value.this)


def _run_clause(q, table: exp.Table, schema: dict, translate, number: int) -> None:
    clause = mr.clause_of(table)
    holder, join, select = _input_holder(table)
    relation = holder.this
    analysis = _Analysis(clause)
    measures = [(name, analysis.measure(node)) for name, node in clause.measures]
    conditions = {var: analysis.condition(var, node) for var, node in clause.define.items()}

    # 1. the input, numbered, with its conditions and arguments
    partition = ", ".join(p.sql(dialect="athena") for p in clause.partition)
    order = ", ".join(o.sql(dialect="athena") for o in clause.order)
    over = (f"PARTITION BY {partition} " if partition else "") + (f"ORDER BY {order}" if order else "")
    ranked = f"dense_rank() OVER (ORDER BY {partition})" if partition else "1"
    inner = f"SELECT *, row_number() OVER ({over}) AS __rn, {ranked} AS __pn FROM __input__"
    local = [var for var, (kind, _) in conditions.items() if kind == "sql"]
    extra = [f"({conditions[var][1]}) AS __d{k}" for k, var in enumerate(local)] + \
        [f"({sql}) AS __e{k}" for k, sql in enumerate(analysis.locals)] + \
        [f"({sql}) AS __a{k}" for k, sql in enumerate(analysis.arguments)]
    text = f"SELECT * {''.join(', ' + e for e in extra)} FROM ({inner}) AS __mr_src"
    query = sqlglot.parse_one(text, read="athena")
    source = next(t for t in query.find_all(exp.Table) if t.name == "__input__")
    source.replace(relation.copy())
    ctes = _ctes(table)
    if ctes:
        query.set("with_", exp.With(expressions=[c.copy() for c in ctes]))
    check_query(query)
    translation = translate(query, schema)
    reader = q.stream(translation.sql)
    data = pa.Table.from_batches(list(reader), schema=reader.schema)
    names = data.schema.names
    types = dict(zip(names, translation.types)) if len(translation.types) == len(names) else {}
    order_idx = pc.sort_indices(data, [("__pn", "ascending"), ("__rn", "ascending")])
    data = data.take(order_idx)
    inputs = [n for n in names if not n.startswith("__")]
    known = set(inputs) | {f"__a{k}" for k in range(len(analysis.arguments))} | \
        {f"__e{k}" for k in range(len(analysis.locals))}

    def type_of(name: str, node=None) -> str:
        if name not in known:
            where = node if isinstance(node, tuple) else position(node) if node is not None else (None, None)
            raise ColumnNotFound(f"Column '{name}' cannot be resolved",
                                 *(where if where[0] is not None else (clause.line, clause.col)))
        # the session's rule for a result column's type (a VALUES array, a scalar subquery
        # the translator leaves untyped are named from the engine's type, as they would be)
        typ = result_type(types.get(name), data.schema.field(name).type)
        for t in filter(None, (types.get(name), typ)):
            if any(p in t for p in _PRESENTED) or t.startswith("char(") or \
                    (t.startswith(("timestamp(", "time(")) and t[t.index("(") + 1] in "789"):
                raise NotSupported(f"MATCH_RECOGNIZE over a value of type {t} is not supported",
                                   clause.line, clause.col)
        return typ

    # 2. matches
    parts = data.column("__pn").to_pylist()
    conds = {var: [v is True for v in data.column(f"__d{k}").to_pylist()]
             for k, var in enumerate(local)}
    state = _State(data)
    trees = {}
    for var, (kind, tree) in conditions.items():
        if kind == "tree":
            fn, typ = _compile(tree, type_of, lambda k, st: _leaf_value(analysis.define_leaves[k], st),
                               analysis.define_leaves)
            if typ != "boolean":
                raise ParthenonError(f"Expression defining a label must be boolean (actual type: {typ})",
                                     *position(clause.define[var]))
            trees[var] = fn
    prog = row_patterns.compile_pattern(clause.pattern)
    out = _Output(analysis, clause)
    start = 0
    while start < len(parts):
        end = start
        while end < len(parts) and parts[end] == parts[start]:
            end += 1
        part = {v: c[start:end] for v, c in conds.items()}
        if trees:
            matcher = row_patterns.BacktrackingMatcher(
                prog, _condition(part, trees, state, start, end), end - start)
        else:
            matcher = row_patterns.Matcher(prog, part, end - start)
        state.number = 0
        _match_partition(clause, matcher, state, start, end, out)
        start = end

    # 3. the result as a relation
    columns: dict[str, pa.Array] = {}
    trino_types: dict[str, str] = {}
    select_list: list[exp.Expression] = []

    def source_column(name: str, node=None) -> exp.Expression:
        key = f"__c{len(columns)}"
        columns[key] = data.column(name).take(pa.array(out.sources, pa.int64()))
        trino_types[key] = type_of(name, node)
        return exp.alias_(exp.column(key), exp.to_identifier(name.lower(), quoted=True))

    for p in clause.partition:
        select_list.append(source_column(p.name.lower(), p))
    if clause.rows != mr.ONE:
        for o in clause.order:
            select_list.append(source_column(o.this.name.lower(), o.this))
    for k, leaf in enumerate(analysis.leaves):
        key = f"__l{k}"
        values = out.leaves[k]
        if leaf.kind == "value":
            typ = type_of(leaf.column, leaf.where)
            columns[key] = data.column(leaf.column).take(pa.array(values, pa.int64()))
        elif leaf.kind in ("classifier",):
            typ, columns[key] = "varchar", pa.array(values, pa.string())
        elif leaf.kind == "match_number" or leaf.kind == "count" and leaf.star:
            typ, columns[key] = "bigint", pa.array(values, pa.int64())
        elif leaf.kind == "count":
            type_of(leaf.column, leaf.where)
            items = data.column(leaf.column).to_pylist()
            typ, columns[key] = "bigint", pa.array(
                [None if v is None else sum(1 for r in v if items[r] is not None) for v in values],
                pa.int64())
        else:
            arg_type = type_of(leaf.column, leaf.where)
            typ, columns[key] = _aggregate_column(leaf, arg_type, values, data.column(leaf.column))
        trino_types[key] = typ
    unmatched = clause.rows == mr.WITH_UNMATCHED
    if unmatched:
        columns["__um"] = pa.array(out.unmatched, pa.bool_())
        trino_types["__um"] = "boolean"
    for name, node in measures:
        if unmatched:
            node = exp.Case(ifs=[exp.If(this=exp.column("__um"), true=exp.null())], default=node)
        select_list.append(exp.alias_(node, exp.to_identifier(name, quoted=True)))
    if clause.rows != mr.ONE:
        used = {p.name.lower() for p in clause.partition} | {o.this.name.lower() for o in clause.order}
        for name in inputs:
            if name not in used:
                select_list.append(source_column(name))
    if not select_list:
        raise NotSupported("MATCH_RECOGNIZE with ONE ROW PER MATCH and neither PARTITION BY nor "
                           "MEASURES has no output columns", clause.line, clause.col)
    if not columns:
        columns["__none"] = pa.array([None] * len(out.sources), pa.bool_())
        trino_types["__none"] = "boolean"
    name = f"__match_recognize_{number}"
    q.engine.con.register(name, pa.table(columns))
    q.registered.append(name)
    schema[name] = {k: exp.DataType.build(t, dialect="trino") for k, t in trino_types.items()}
    wrapper = exp.select(*select_list).from_(exp.to_table(name))
    check_query(wrapper)
    alias = table.args.get("alias")
    holder.set("this", exp.Subquery(this=wrapper, alias=alias.copy() if alias else None))
    if join.args.get("on") is not None or join.args.get("using"):
        if holder is select.args["from_"]:
            raise NotSupported("MATCH_RECOGNIZE: a join condition after the clause is not supported",
                               clause.line, clause.col)
        for key in ("on", "using"):
            if join.args.get(key):
                holder.set(key, join.args[key])
    join.pop()


def _aggregate_column(leaf: _Leaf, arg_type: str, values: list, column) -> tuple[str, pa.Array]:
    """sum/avg/min/max of the rows each output row aggregates (lists of row numbers)."""
    if leaf.kind in ("sum", "avg") and arg_type not in _INTEGERS + ("double",) or \
            leaf.kind in ("min", "max") and arg_type not in _ORDERED and \
            not arg_type.startswith(("varchar", "timestamp(", "decimal(")):
        raise NotSupported(f"MATCH_RECOGNIZE: {leaf.kind} of {arg_type} in MEASURES is not supported")
    items = column.to_pylist()
    if leaf.kind in ("min", "max"):
        picks = []
        for rows in values:
            best = None
            for r in rows or ():
                v = items[r]
                if v is not None and (best is None or (v < items[best] if leaf.kind == "min"
                                                       else v > items[best])):
                    best = r
            picks.append(best)
        return arg_type, column.take(pa.array(picks, pa.int64()))
    result = []
    for rows in values:
        got = [items[r] for r in rows or () if items[r] is not None]
        if rows is None or not got:
            result.append(None)
        elif leaf.kind == "sum":
            result.append(sum(got))
        else:
            result.append(sum(got) / len(got))
    if leaf.kind == "sum" and arg_type in _INTEGERS:
        return "bigint", pa.array(result, pa.int64())
    return "double", pa.array(result, pa.float64())


class _Output:
    """The output rows: the input row each takes its columns from, and each leaf's values."""

    def __init__(self, analysis: _Analysis, clause: mr.MatchClause):
        self.analysis, self.clause = analysis, clause
        self.sources: list[int] = []
        self.unmatched: list[bool] = []
        self.leaves: list[list] = [[] for _ in analysis.leaves]

    def row(self, source: int, match: int | None, rows: list, visible: int, bounds) -> None:
        self.sources.append(source)
        self.unmatched.append(match is None)
        for k, leaf in enumerate(self.analysis.leaves):
            self.leaves[k].append(None if match is None else
                                  _evaluate(leaf, match, rows, visible, bounds))


class _MatchRows:
    """One match's rows ((row, var, excluded) in order), with what its output rows share."""

    def __init__(self, rows: list):
        self.rows = rows
        self._labels_at: dict | None = None
        self._positions: dict = {}

    def labels_at(self) -> dict:
        if self._labels_at is None:
            self._labels_at = {r: var for r, var, _ in self.rows}
        return self._labels_at

    def positions(self, labels: frozenset | None) -> list[int] | None:
        """Where the rows of `labels` stand in the match (None: every row)."""
        if labels is None:
            return None
        got = self._positions.get(labels)
        if got is None:
            got = self._positions[labels] = [k for k, r in enumerate(self.rows) if r[1] in labels]
        return got


def _evaluate(leaf: _Leaf, match: int, m: _MatchRows, visible: int, bounds):
    if leaf.kind == "match_number":
        return match
    rows = m.rows
    # RUNNING bounds LAST at the current row; FIRST counts forward from the match's start over
    # the whole match, as Trino does (TestRowPatternMatching: RUNNING FIRST(value, 2) is the
    # third row's value on the first row)
    end = len(rows) if leaf.final or (not leaf.last and leaf.kind in ("value", "classifier")) \
        else visible
    positions = m.positions(leaf.labels)
    count = end if positions is None else bisect.bisect_left(positions, end)
    if leaf.kind in ("count", "sum", "avg", "min", "max"):
        if leaf.kind == "count" and leaf.star:
            return count
        return [rows[k][0] for k in (range(count) if positions is None else positions[:count])]
    if leaf.logical >= count:
        return None
    k = leaf.logical if not leaf.last else count - 1 - leaf.logical
    base = rows[k if positions is None else positions[k]]
    target = base[0] + leaf.physical
    if not bounds[0] <= target < bounds[1]:
        return None
    if leaf.kind == "classifier":
        return m.labels_at().get(target)
    return target


_NO_ROWS = _MatchRows([])


class _State:
    """The match so far, for a DEFINE tree: its rows (the current one last), its number."""

    def __init__(self, data: pa.Table):
        self.data, self.cache = data, {}
        self.number = 0
        self.row, self.rows, self.bounds = 0, [], (0, 0)

    def value(self, column: str, row: int | None):
        if row is None:
            return None
        values = self.cache.get(column)
        if values is None:
            values = self.cache[column] = self.data.column(column).to_pylist()
        return values[row]


def _condition(part: dict, trees: dict, state: _State, first: int, end: int):
    def condition(var: str, pos: int, path) -> bool:
        if var in part:
            return part[var][pos]
        fn = trees.get(var)
        if fn is None:
            return True
        rows = [(first + r, v, x) for r, v, x in row_patterns.path_rows(path)]
        rows.append((first + pos, var, False))
        state.row, state.rows, state.bounds = first + pos, rows, (first, end)
        return fn(state) is True
    return condition


def _leaf_value(leaf: _Leaf, st: _State):
    got = _evaluate(leaf, st.number + 1, _MatchRows(st.rows), len(st.rows), st.bounds)
    if leaf.kind == "value":
        return st.value(leaf.column, got)
    if leaf.kind in ("match_number", "classifier") or leaf.kind == "count" and leaf.star:
        return got
    values = [v for v in (st.value(leaf.column, r) for r in got) if v is not None]
    if leaf.kind == "count":
        return len(values)
    if not values:
        return None
    if leaf.kind == "sum":
        return sum(values)
    if leaf.kind == "avg":
        return sum(values) / len(values)
    return min(values) if leaf.kind == "min" else max(values)


def _match_partition(clause, matcher, state: _State, first: int, end: int, out: _Output) -> None:
    """Matches of one partition (rows first..end-1 of the sorted input) into `out`."""
    n = end - first
    number = 0
    covered = -1          # the last row of a non-empty match so far
    pos = 0
    bounds = (first, end)
    every = clause.rows != mr.ONE
    while pos < n:
        found = matcher.match(pos)
        if found is None:
            if clause.rows == mr.WITH_UNMATCHED and pos > covered:
                out.row(first + pos, None, _NO_ROWS, 0, bounds)
            pos += 1
            continue
        number += 1
        state.number = number
        stop, path = found
        rows = [(first + r, var, excluded) for r, var, excluded in row_patterns.path_rows(path)]
        if stop == pos:             # an empty match: one row, from its starting row
            if clause.rows != mr.OMIT:
                out.row(first + pos, number, _NO_ROWS, 0, bounds)
            pos += 1
            continue
        view = _MatchRows(rows)
        if every:
            for k, (r, _, excluded) in enumerate(rows):
                if not excluded:
                    out.row(r, number, view, k + 1, bounds)
        else:
            out.row(first + pos, number, view, len(rows), bounds)
        covered = max(covered, stop - 1)
        kind, var = clause.skip
        if kind == "PAST":
            pos = stop
        elif kind == "NEXT":
            pos += 1
        else:
            labels = set(clause.subsets.get(var, [var]))
            marked = [r - first for r, v, _ in rows if v in labels]
            if not marked:
                raise ParthenonError("AFTER MATCH SKIP failed: pattern variable is not present in match")
            target = marked[0] if kind == "FIRST" else marked[-1]
            if target == pos:
                raise ParthenonError("AFTER MATCH SKIP failed: cannot skip to first row of match")
            pos = target
