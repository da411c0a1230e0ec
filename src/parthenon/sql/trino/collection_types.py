"""Trino's result types of the array, map and lambda functions, and of the aggregates that
return their input's type (``max_by``, ``arbitrary``...).

SQLGlot leaves most of these unknown (the result column then had DuckDB's type, which has
no ``varchar(n)``: ``map_filter(map(ARRAY['a'], ...))`` was ``map(varchar, ...)``).  Rules:

- element-preserving functions (``filter``, ``array_distinct``, ``array_except``,
  ``reverse``, ``slice``, ``map_filter``...) have their first argument's type;
- ``array_min(array(T))``, ``max_by(T, K)`` are T; ``max_by(T, K, n)`` is array(T);
- a lambda's result is its body's type, with its parameters typed from the arguments
  (``transform_values(map(K, V), (k, v) -> f)`` is map(K, type of f));
- ``ARRAY[1, 1.2]`` is array(decimal(11,1)): integers and decimals share a decimal wide
  enough for both (Trino's common super type);
- ``sequence(date, date, interval)`` is array(date);
- ``MAP()``, ``map_from_entries(NULL)`` and of ``ARRAY[]`` are map(unknown, unknown),
  ``map_entries(NULL)`` array(row(unknown, unknown)).

``install`` adds the annotators to ``typing.TRINO_METADATA``.
"""
from __future__ import annotations

from sqlglot import exp
from sqlglot.optimizer.annotate_types import TypeAnnotator

from . import typing as T

DType = exp.DType


def _array_of(typ: exp.DataType | None) -> exp.DataType | None:
    return None if typ is None else exp.DataType(this=DType.ARRAY, expressions=[typ.copy()], nested=True)


def _map_of(key: exp.DataType | None, value: exp.DataType | None) -> exp.DataType | None:
    if key is None or value is None:
        return None
    return exp.DataType(this=DType.MAP, expressions=[key.copy(), value.copy()], nested=True)


def element(typ: exp.DataType | None) -> exp.DataType | None:
    """T of array(T)."""
    if T.is_a(typ, DType.ARRAY) and typ.expressions:
        return typ.expressions[0]
    return None


def map_parts(typ: exp.DataType | None) -> tuple[exp.DataType | None, exp.DataType | None]:
    if T.is_a(typ, DType.MAP) and len(typ.expressions) == 2:
        return typ.expressions[0], typ.expressions[1]
    return None, None


def _known(typ: exp.DataType | None) -> bool:
    return typ is not None and typ.this != DType.UNKNOWN and T.type_name(typ) is not None


def _is_parameter(node: exp.Expression, names: set[str]) -> bool:
    """A reference to a lambda parameter: parsed as a bare identifier (or a column)."""
    if isinstance(node, exp.Column):
        return not node.table and node.name in names
    if isinstance(node.parent, exp.Dot) and node is node.parent.this:
        return isinstance(node, exp.Identifier) and node.name in names     # the row of ``s.f``
    return isinstance(node, exp.Identifier) and node.name in names and \
        not isinstance(node.parent, (exp.Column, exp.Dot, exp.Alias, exp.ColumnDef))


def lambda_type(self: TypeAnnotator, fn: exp.Expression, params: list[exp.DataType | None]) -> exp.DataType | None:
    """The type of a lambda's body when its parameters have the given types.  The body is
    annotated again in place with its parameters typed, so that the rewrites of what is
    inside a lambda see Trino's types too (``reverse(k)`` of an array parameter)."""
    if not isinstance(fn, exp.Lambda) or any(p is None for p in params):
        return None
    names = [p.name for p in fn.expressions]
    if len(names) != len(params):
        return None
    by_name = dict(zip(names, params))
    body = fn.this
    for node in list(body.walk()):
        if _is_parameter(node, set(names)):
            self._set_type(node, by_name[node.name].copy())
        else:
            self._visited.pop(id(node), None)
            if not isinstance(node, exp.DataType):
                node.type = None
    try:
        self.annotate_expression(body)
    except Exception:   # noqa: BLE001 - an untyped body leaves the result to the engine
        return None
    if isinstance(body, exp.Cast) and isinstance(body.this, exp.Null):
        return body.to
    return body.type if _known(body.type) else None


def _set(self: TypeAnnotator, node: exp.Expression, typ: exp.DataType | None) -> exp.Expression:
    if _known(typ):
        self._set_type(node, typ)
    return node


def _first_argument(self: TypeAnnotator, node: exp.Expression) -> exp.Expression:
    """The first argument's type; of two arrays (``array_except(ARRAY[], ARRAY[1])``), the
    one whose elements are typed (an empty or NULL array is array(unknown))."""
    args = [node.this] if node.this is not None else []
    args += [node.args["expression"]] if isinstance(node.args.get("expression"), exp.Expression) else []
    args += list(node.expressions) if isinstance(node, exp.ArrayIntersect) else []
    types = [a.type for a in args if a is not None and a.type is not None]
    if not isinstance(node, (exp.ArrayExcept, exp.ArrayIntersect)):
        types = types[:1]
    typed = [t for t in types if T.is_a(element(t), *T.NUMBERS, *T.TEXT, DType.BOOLEAN, DType.ARRAY,
                                          DType.MAP, DType.STRUCT, DType.DATE, *T.TIMESTAMPS)]
    arrays = [t for t in types if T.is_a(t, DType.ARRAY)]
    return _set(self, node, (typed or arrays or types or [None])[0])


def _element(self: TypeAnnotator, node: exp.Expression) -> exp.Expression:
    return _set(self, node, element(node.this.type))


def _intersect(self: TypeAnnotator, node: exp.ArrayIntersect) -> exp.Expression:
    """array_intersect(a, b) is of the common type of both arrays' elements."""
    args = list(node.expressions) if node.expressions else [node.this, node.args.get("expression")]
    common = elements_type([a.type for a in args if a is not None]) if len(args) == 2 else None
    return _set(self, node, common) if common is not None else _first_argument(self, node)


def _repeat(self: TypeAnnotator, node: exp.Repeat) -> exp.Expression:
    """Trino's repeat(x, n) is array(type of x) (there is no text repeat); of a NULL
    literal array(unknown) (NULL as an element type is Trino's unknown: SQLGlot types the
    literal itself UNKNOWN, which names no type)."""
    typ = node.this.type
    if T.is_a(typ, DType.NULL) or isinstance(node.this, exp.Null):
        typ = exp.DataType(this=DType.NULL)
    return _set(self, node, _array_of(typ))


def _flatten(self: TypeAnnotator, node: exp.Flatten) -> exp.Expression:
    return _set(self, node, element(node.this.type))


def _by(self: TypeAnnotator, node: exp.Expression) -> exp.Expression:
    """max_by(x, y) is x's type; max_by(x, y, n) an array of it."""
    typ = node.this.type
    return _set(self, node, _array_of(typ) if node.args.get("count") is not None else typ)


def _transform(self: TypeAnnotator, node: exp.Transform) -> exp.Expression:
    return _set(self, node, _array_of(lambda_type(self, node.expression, [element(node.this.type)])))


def _filter(self: TypeAnnotator, node: exp.ArrayFilter) -> exp.Expression:
    """filter(array(T), T -> boolean) is array(T); its predicate is typed with x of type T
    (so that ``year(t)`` of a timestamp(9) element, ``cardinality(m)`` of a map, see them)."""
    lambda_type(self, node.expression, [element(node.this.type)])
    return _first_argument(self, node)


def _array_sort(self: TypeAnnotator, node: exp.ArraySort) -> exp.Expression:
    """array_sort(array(T) [, (T, T) -> integer]) is array(T); a comparator is typed with
    both parameters of type T (``month(x)`` of a timestamp(9) element sees it)."""
    if isinstance(node.expression, exp.Lambda):
        elem = element(node.this.type)
        lambda_type(self, node.expression, [elem, elem])
    return _first_argument(self, node)


def _map_keys(self: TypeAnnotator, node: exp.MapKeys) -> exp.Expression:
    """map_keys(map(K, V)) is array(K) (SQLGlot parses it into a class of its own)."""
    key, _ = map_parts(node.this.type)
    return _set(self, node, _array_of(key))


def _reduce(self: TypeAnnotator, node: exp.Reduce) -> exp.Expression:
    """The state is the initial state's type, widened to the input function's result when
    Trino's binder would (``reduce_state``)."""
    from .reduce_state import widened

    state, x = node.args["initial"].type, element(node.this.type)
    merge = node.args.get("merge")
    wider = widened(state, lambda_type(self, merge, [state, x]))     # types (s, x)
    if wider is not None:
        if lambda_type(self, merge, [wider, x]) == wider:
            state = wider
        else:
            lambda_type(self, merge, [state, x])
    finish = node.args.get("finish")
    return _set(self, node, lambda_type(self, finish, [state]) if finish is not None else state)


def _sequence(self: TypeAnnotator, node: exp.GenerateSeries) -> exp.Expression:
    start = node.args.get("start")
    if start is not None and T.is_a(start.type, DType.DATE, *T.TIMESTAMPS):
        return _set(self, node, _array_of(start.type))
    return _set(self, node, T.build("array(bigint)"))


def _quantile(self: TypeAnnotator, node: exp.ApproxQuantile) -> exp.Expression:
    typ = node.this.type
    quantile = node.args.get("quantile")
    return _set(self, node, _array_of(typ) if quantile is not None and T.is_a(quantile.type, DType.ARRAY) else typ)


def _unknown() -> exp.DataType:
    """Trino's unknown, the type of NULL (SQLGlot's UNKNOWN is "not inferred")."""
    return exp.DataType(this=DType.NULL)


def _map_from_entries(self: TypeAnnotator, node: exp.Expression, multi: bool = False) -> exp.Expression:
    entries = node.this.type if not isinstance(node, exp.Anonymous) else node.expressions[0].type
    if T.is_a(entries, DType.NULL) or T.is_a(element(entries), DType.NULL):
        # map_from_entries(NULL), (ARRAY[]): map(unknown, unknown) (multimap: map(unknown, array(unknown)))
        return _set(self, node, _map_of(_unknown(), _array_of(_unknown()) if multi else _unknown()))
    row = element(entries)
    if not T.is_a(row, DType.STRUCT) or len(row.expressions) != 2:
        return node
    key, value = (f.args.get("kind") if isinstance(f, exp.ColumnDef) else f for f in row.expressions)
    return _set(self, node, _map_of(key, _array_of(value) if multi else value))


def _common_type(kinds: list[exp.DataType]) -> exp.DataType | None:
    """The common type of an array's elements where Trino's differs from SQLGlot's."""
    values = [k for k in kinds if not T.is_a(k, DType.NULL)]
    if values and all(T.is_a(k, *T.TEXT) for k in values) and any(k.this == DType.VARCHAR for k in values):
        # varchar(n) and varchar(m) share the longer; with an unbounded varchar, varchar
        lengths = [T.params(k) for k in values]
        return T.build("varchar") if any(not n for n in lengths) else \
            T.with_precision(DType.VARCHAR, max(n[0] for n in lengths))
    if values and all(T.is_a(k, *T.NUMBERS) for k in values) and any(T.is_a(k, DType.DOUBLE) for k in values):
        return T.build("double")
    if values and all(isinstance(k, exp.DataType) and k.this == DType.STRUCT for k in values):
        return _common_row(values)
    if values and all(T.is_a(k, DType.ARRAY) for k in values):
        # ARRAY[ARRAY[1.0], ARRAY[2.0, 123.456]]: arrays of the common type of their elements
        return _array_of(_common_type([element(k) for k in values if element(k) is not None]))
    return _common_numeric(kinds)


def elements_type(kinds: list[exp.DataType | None]) -> exp.DataType | None:
    """The array type that ``||``, ``concat``, ``array_union`` and ``array_intersect`` give
    arrays (and elements, one level less deep) of these types: of their elements' common
    type (``ARRAY['foo'] || ARRAY['test']`` is array(varchar(4))), else None."""
    arrays = [k for k in kinds if T.is_a(k, DType.ARRAY)]
    if not arrays or any(k is None for k in kinds):
        return None
    depth = max(_depth(k) for k in arrays)
    parts = [element(k) if _depth(k) == depth else k for k in kinds if not T.is_a(k, DType.NULL)]
    if any(p is None or T.is_a(p, DType.UNKNOWN) for p in parts):
        return None
    # an empty or NULL-only array (array(unknown)) takes the others' element type:
    # concat(ARRAY[], ARRAY[1]) is array(integer)
    parts = [p for p in parts if not T.is_a(p, DType.NULL)] or parts
    if all(p == parts[0] for p in parts):
        return _array_of(parts[0])
    common = _common_type(parts)
    return _array_of(common) if _known(common) else None


def _depth(typ: exp.DataType | None) -> int:
    return 1 + _depth(element(typ)) if T.is_a(typ, DType.ARRAY) else 0


def _common_numeric(kinds: list[exp.DataType]) -> exp.DataType | None:
    """Integers and decimals together: the decimal that holds them all (integer is
    decimal(10,0), bigint decimal(19,0)...)."""
    if not any(T.is_a(k, DType.DECIMAL) for k in kinds) or \
            not all(T.is_a(k, DType.DECIMAL, *T.INTEGER_WIDTH, DType.NULL) for k in kinds):
        return None
    digits = scale = 0
    for k in kinds:
        if T.is_a(k, DType.NULL):
            continue
        p, s = T.decimal_ps(k) if T.is_a(k, DType.DECIMAL) else (T.INTEGER_WIDTH[k.this], 0)
        digits, scale = max(digits, p - s), max(scale, s)
    return T.decimal(digits + scale, scale)


def _row_type(row: exp.Tuple) -> exp.DataType | None:
    """``(1, 'x')`` in an array is row(integer, varchar(1))."""
    kinds = [e.type for e in row.expressions]
    if not all(_known(k) or T.is_a(k, DType.NULL) for k in kinds):
        return None
    return exp.DataType(this=DType.STRUCT, expressions=[k.copy() for k in kinds], nested=True)


def _common_row(rows: list[exp.DataType]) -> exp.DataType | None:
    """Anonymous rows of one width: field by field (``ARRAY[ROW(2), ROW(nan())]`` is
    array(row(double)), ``ARRAY[(NULL, NULL), (42, 'def')]`` array(row(integer, varchar(3))))."""
    widths = {len(r.expressions) for r in rows}
    if len(widths) != 1 or any(isinstance(f, exp.ColumnDef) for r in rows for f in r.expressions):
        return None
    fields = []
    for kinds in zip(*(r.expressions for r in rows)):
        values = [k for k in kinds if not T.is_a(k, DType.NULL)]
        common = values[0] if values and all(k == values[0] for k in values) else \
            _common_type(values) if values else kinds[0]
        if common is None:
            return None
        fields.append(common.copy())
    return exp.DataType(this=DType.STRUCT, expressions=fields, nested=True)


def _anonymous_row(self: TypeAnnotator, node: exp.Expression) -> exp.Expression:
    """``ROW(1, 'x')`` and a lambda's ``(y, x)`` are anonymous rows, row(integer,
    varchar(1)): fields without names (SQLGlot names them after their expressions, _0 or
    x).  A struct with named fields, and a tuple of VALUES or IN, keep SQLGlot's typing."""
    base = _BASE_STRUCT if isinstance(node, exp.Struct) else _BASE_TUPLE
    base(self, node)
    if any(isinstance(e, exp.PropertyEQ) for e in node.expressions) or \
            (isinstance(node, exp.Tuple) and not isinstance(node.parent, (exp.Lambda, exp.Array))):
        return node
    return _set(self, node, _row_type(node))


def _array(self: TypeAnnotator, node: exp.Array) -> exp.Expression:
    _BASE_ARRAY(self, node)
    tuples = [e for e in node.expressions if not isinstance(e, exp.Null)]
    if tuples and all(isinstance(e, exp.Tuple) for e in tuples):
        rows = [_row_type(e) for e in tuples]
        return _set(self, node, _array_of(None if None in rows else _common_row(rows)))
    common = _common_type([e.type for e in node.expressions if e.type is not None])
    return _set(self, node, _array_of(common)) if common is not None else node


def _map(self: TypeAnnotator, node: exp.Map) -> exp.Expression:
    """``MAP()`` is map(unknown, unknown)."""
    if node.args.get("keys") is None and node.args.get("values") is None:
        return _set(self, node, _map_of(_unknown(), _unknown()))
    return _BASE_MAP(self, node)


def _bracket(self: TypeAnnotator, node: exp.Bracket) -> exp.Expression:
    """``m[k]`` and ``element_at(m, k)`` are the map's value type."""
    _BASE_BRACKET(self, node)
    _, value = map_parts(node.this.type)
    return _set(self, node, value) if value is not None else node


def _element_of(array: exp.Expression) -> exp.DataType | None:
    """T of an array argument; ``CAST(NULL AS ARRAY(UNKNOWN))`` names Trino's unknown
    (SQLGlot's UNKNOWN is "not inferred"), the type of NULL."""
    if isinstance(array, exp.Cast) and T.is_a(element(array.to), DType.UNKNOWN):
        return exp.DataType(this=DType.NULL)
    return element(array.type)


def _map_concat_type(kinds: list[exp.DataType | None]) -> exp.DataType | None:
    """map_concat(m1, m2, ...): keys and values of the maps' common types (an empty map's
    unknown parts aside: ``map_concat(MAP(), MAP(ARRAY['a'], ARRAY['b']))`` is
    map(varchar(1), varchar(1)))."""
    parts = [map_parts(k) for k in kinds if T.is_a(k, DType.MAP)]
    if not parts:
        return None
    common = []
    for side in zip(*parts):
        known = [p for p in side if _known(p) and not T.is_a(p, DType.NULL)]
        if not known:
            common.append(side[0])
            continue
        same = all(p == known[0] for p in known)
        common.append(known[0] if same else _common_type(known))
    return _map_of(*common)


# Anonymous calls by name -> their result type from the call
def _anonymous_type(self: TypeAnnotator, node: exp.Anonymous) -> exp.DataType | None:
    name = node.name.lower()
    args = node.expressions
    first = args[0].type if args else None
    if name == "array_union" and len(args) == 2:
        return elements_type([a.type for a in args]) or first
    if name in ("any_match", "all_match", "none_match") and len(args) == 2:
        lambda_type(self, args[1], [element(first)])        # types the predicate's x
        return T.build("boolean")
    if name == "map_filter" and len(args) == 2:
        lambda_type(self, args[1], list(map_parts(first)))     # types the predicate's (k, v)
        return first
    if name in ("map_filter", "trim_array", "shuffle", "array_remove") and args:
        return first
    if name == "array_histogram" and args:
        return _map_of(element(first), T.build("bigint"))
    if name == "histogram" and args:
        return _map_of(first, T.build("bigint"))
    if name == "approx_most_frequent" and len(args) >= 2:
        return _map_of(args[1].type, T.build("bigint"))
    if name == "map_agg" and len(args) == 2:
        return _map_of(args[0].type, args[1].type)
    if name == "multimap_agg" and len(args) == 2:
        return _map_of(args[0].type, _array_of(args[1].type))
    if name in ("map_values", "map_keys") and args:
        key, value = map_parts(first)
        return _array_of(value if name == "map_values" else key)
    if name == "map_concat" and args:
        return _map_concat_type([a.type for a in args]) or first
    if name == "map_entries" and len(args) == 1:
        key, value = (_unknown(), _unknown()) if T.is_a(first, DType.NULL) else map_parts(first)
        if key is not None and value is not None:
            return _array_of(exp.DataType(this=DType.STRUCT, expressions=[key.copy(), value.copy()], nested=True))
    if name in ("transform_keys", "transform_values") and len(args) == 2:
        key, value = map_parts(first)
        result = lambda_type(self, args[1], [key, value])
        return _map_of(result, value) if name == "transform_keys" else _map_of(key, result)
    if name == "map_zip_with" and len(args) == 3:
        key, v1 = map_parts(first)
        _, v2 = map_parts(args[1].type)
        return _map_of(key, lambda_type(self, args[2], [key, v1, v2]))
    if name == "zip" and len(args) >= 2:
        elements = [_element_of(a) for a in args]
        if all(_known(e) or T.is_a(e, DType.NULL) for e in elements):
            return _array_of(exp.DataType(this=DType.STRUCT, expressions=[e.copy() for e in elements], nested=True))
    if name == "contains_sequence" and len(args) == 2:
        return T.build("boolean")
    if name == "zip_with" and len(args) == 3:
        return _array_of(lambda_type(self, args[2], [_element_of(args[0]), _element_of(args[1])]))
    return None


def _anonymous(self: TypeAnnotator, node: exp.Anonymous) -> exp.Expression:
    if node.name.lower() == "multimap_from_entries" and node.expressions:
        return _map_from_entries(self, node, multi=True)
    typ = _anonymous_type(self, node)
    if _known(typ):
        return _set(self, node, typ)
    return _BASE_ANONYMOUS(self, node)


_BASE_ARRAY = None
_BASE_ANONYMOUS = None
_BASE_BRACKET = None
_BASE_MAP = None
_BASE_STRUCT = None
_BASE_TUPLE = None


def _unchanged(self: TypeAnnotator, node: exp.Expression) -> exp.Expression:
    return node


def install(metadata: dict) -> None:
    """Add the annotators above to Trino's table of annotators (``typing``)."""
    global _BASE_ARRAY, _BASE_ANONYMOUS, _BASE_BRACKET, _BASE_MAP, _BASE_STRUCT, _BASE_TUPLE
    _BASE_MAP = metadata.get(exp.Map, {}).get("annotator") or TypeAnnotator._annotate_map
    _BASE_STRUCT = metadata.get(exp.Struct, {}).get("annotator") or TypeAnnotator._annotate_struct
    _BASE_TUPLE = metadata.get(exp.Tuple, {}).get("annotator") or _unchanged
    _BASE_ARRAY = metadata[exp.Array]["annotator"]
    _BASE_ANONYMOUS = metadata[exp.Anonymous]["annotator"]
    _BASE_BRACKET = metadata.get(exp.Bracket, {}).get("annotator") or TypeAnnotator._annotate_bracket
    metadata.update({
        exp.Array: {"annotator": _array},
        exp.Bracket: {"annotator": _bracket},
        exp.Map: {"annotator": _map},
        exp.Struct: {"annotator": _anonymous_row},
        exp.Tuple: {"annotator": _anonymous_row},
        exp.Anonymous: {"annotator": _anonymous},
        **{cls: {"annotator": _first_argument} for cls in (
            exp.ArrayDistinct, exp.ArrayExcept, exp.Reverse,
            exp.ArraySlice, exp.ArrayRemove, exp.Shuffle)},
        exp.ArraySort: {"annotator": _array_sort},
        **{cls: {"annotator": _element} for cls in (exp.ArrayMin, exp.ArrayMax)},
        exp.ArrayIntersect: {"annotator": _intersect},
        exp.Repeat: {"annotator": _repeat},
        exp.Flatten: {"annotator": _flatten},
        exp.ArgMax: {"annotator": _by},
        exp.ArgMin: {"annotator": _by},
        exp.AnyValue: {"annotator": _first_argument},
        exp.Transform: {"annotator": _transform},
        exp.ArrayFilter: {"annotator": _filter},
        exp.MapKeys: {"annotator": _map_keys},
        exp.Reduce: {"annotator": _reduce},
        exp.GenerateSeries: {"annotator": _sequence},
        exp.ApproxQuantile: {"annotator": _quantile},
        exp.MapFromEntries: {"annotator": _map_from_entries},
    })
