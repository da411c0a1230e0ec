"""Rewrite an Athena (Trino) query AST into DuckDB SQL with Trino's semantics.

``to_duckdb_sql(ast)`` starts from SQLGlot's own Trino -> DuckDB transpilation
and adds small, named AST rewrites for what SQLGlot leaves to DuckDB's
differing defaults.  Each rewrite below is one function over one kind of node,
in the style of SQLGlot's dialect modules; ``_CLASS_REWRITES`` and
``_ANONYMOUS_REWRITES`` say which node each one handles.

Functions are *default deny*: every Trino function Parthenon accepts is listed
in ``SUPPORTED_FUNCTIONS`` (checked to give Trino's answer, natively or through
a rewrite below).  A Trino function that is not listed raises
``NotSupported("Function 'x' is not supported", line, col)`` instead of
returning a different answer; a name that is not a Trino function at all is
refused earlier by ``parthenon.sql.guard`` (FUNCTION_NOT_FOUND).  SQLGlot's own
"unsupported" warnings are raised as NotSupported too.

Trino semantics covered (tests/test_trino_semantics.py checks each):

- ``/`` on integers truncates toward zero (``7/2 = 3``, ``-7/2 = -3``) and
  fails on division by zero; on REAL/DOUBLE/DECIMAL it divides exactly.
- ``element_at(array, i)``: 1-based, negative counts from the end, NULL out of
  range; ``element_at(map, k)``: NULL for a missing key.
- JSON: ``json_extract`` / ``json_extract_scalar`` with Trino JSONPath
  (``$.a.b``, ``$.a[0]``, ``$["k"]``), NULL on malformed JSON, and
  ``json_extract_scalar`` NULL for objects and arrays; ``json_parse``,
  ``json_format``, ``json_size``, ``json_array_length`` (NULL for non-arrays),
  ``json_array_get``, ``json_array_contains``, ``is_json_scalar``;
  ``CAST(x AS JSON)`` (a string becomes a JSON string, not parsed JSON) and
  ``CAST(json AS VARCHAR)`` (unquotes scalars, fails on objects/arrays).
- Date/time: ``from_iso8601_timestamp`` (timestamp with time zone),
  ``from_iso8601_date``, ``date_parse`` / ``date_format`` (MySQL specifiers),
  ``format_datetime`` / ``parse_datetime`` (Joda patterns, common letters),
  ``date_trunc`` (keeps DATE for a DATE argument), ``date_diff`` (whole units
  elapsed, not boundaries crossed), ``date_add`` (DATE stays DATE when the
  argument is evidently a DATE), ``from_unixtime``, ``to_unixtime``,
  ``to_iso8601``, ``millisecond``, ``AT TIME ZONE`` / ``at_timezone``,
  ``current_timestamp`` / ``now()``.
- Regular expressions: ``regexp_extract`` (group 0 default, NULL on no match
  and for a group that did not take part), ``regexp_replace`` (``$1`` group
  references, ``\\$`` escapes), ``regexp_like`` (contains-match),
  ``regexp_extract_all``, ``regexp_split``, ``regexp_count``,
  ``regexp_position`` (2 arguments).
- Strings: ``substr`` (1-based; start 0 or before the string gives ''),
  ``split_part`` (NULL past the last field), ``split`` (with limit),
  ``strpos``, ``length``, ``concat`` / ``||`` (NULL if any argument is NULL),
  ``url_extract_host/path/port/protocol/query/fragment/parameter``,
  ``CAST(double AS VARCHAR)`` in Trino's scientific form (``1.5E0``),
  ``CAST(timestamp AS VARCHAR)`` with milliseconds.
- Arrays and maps: ``cardinality``, ``contains`` (NULL when not found and the
  array holds NULL), ``array_join``, ``array_distinct`` (keeps first-seen
  order and one NULL), ``array_position`` (0 when absent), ``slice``,
  ``repeat``, ``any_match/all_match/none_match`` (three-valued), ``map_agg``
  (NULL keys skipped, duplicate keys keep the first), ``histogram`` (bigint
  counts), ``split_to_map``, ``map_filter``, ``transform_keys/values``.
- Aggregates: ``approx_distinct``, ``approx_percentile`` (value or array of
  percentiles), ``count_if``, ``arbitrary``, ``max_by/min_by``, ``array_agg``.
- ``CROSS JOIN UNNEST(a)``, ``UNNEST(a, b)`` (zipped, NULL-padded),
  ``WITH ORDINALITY`` (in array order), ``UNNEST`` of an array of rows into
  one column per field, ``UNNEST`` of a map into key/value (when the map type
  is evident from the query or from ``schema``).
- ``try(expr)``, ``try_cast``, ``if``, ``coalesce``, ``LIKE ... ESCAPE``,
  row field access ``col.field``, ``LIMIT``/``OFFSET``, ``VALUES``, window
  functions, ORDER BY with NULLS LAST by default (DuckDB's default null order;
  the engine must not change ``default_null_order``).
- Result column names as Trino gives them: lower case (identifiers are case
  insensitive in Trino, unquoted or quoted) and ``_colN`` for unnamed
  expressions of the outermost query.

Knowingly not covered (documented differences):

- Errors that Trino raises but DuckDB answers with NULL: ``array[i]`` out of
  range (Trino fails, DuckDB NULL), ``map[k]`` for a missing key,
  ``element_at(a, 0)``; DOUBLE division by zero fails in DuckDB where Trino
  returns Infinity/NaN, when the operand types are not evident.
- Type-dependent rewrites (DATE kept by ``date_add``, map ``UNNEST``, JSON
  casts, DOUBLE/TIMESTAMP formatting) need the operand's type: it is taken
  from the query itself (literals, CASTs, functions) or from ``schema``;
  a bare column of unknown type falls back to DuckDB's behaviour, except for
  ``CAST(x AS VARCHAR)`` which checks ``typeof`` at run time.
- Regular expressions run on RE2, not Java's engine: no look-around, no
  back-references, no possessive quantifiers; named groups in replacements.
- Time zones: values carry no zone of their own in DuckDB; a session zone of
  UTC is assumed (the engine should ``SET TimeZone='UTC'``).  ``AT TIME ZONE``
  yields the wall-clock TIMESTAMP in that zone.
- Result types differ in places: ``sum`` of integers is HUGEINT, decimal
  division is DOUBLE, ``approx_*`` algorithms differ from Trino's.
- REAL to VARCHAR uses the shortest float digits (Trino rounds to 7).
"""
from __future__ import annotations

import functools
import re
import typing as t

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, UnsupportedError

from ..errors import NotSupported

DIALECT = "athena"

# --------------------------------------------------------------------------------------
# Trino's functions (docs/src/main/sphinx/functions/list.md of trinodb/trino)
# --------------------------------------------------------------------------------------

TRINO_FUNCTIONS: frozenset[str] = frozenset("""
abs acos all_match any_match any_value approx_distinct approx_most_frequent approx_percentile
approx_set arbitrary array_agg array_distinct array_except array_first array_histogram
array_intersect array_join array_last array_max array_min array_position array_remove array_sort
array_union arrays_overlap asin at_timezone atan atan2 avg bar beta_cdf bing_tile bing_tile_at
bing_tile_coordinates bing_tile_polygon bing_tile_quadkey bing_tile_zoom_level bing_tiles_around
bit_count bitwise_and bitwise_and_agg bitwise_left_shift bitwise_not bitwise_or bitwise_or_agg
bitwise_right_shift bitwise_right_shift_arithmetic bitwise_xor bool_and bool_or cardinality cast
cbrt ceil ceiling char2hexint checksum chr classify coalesce codepoint color combinations concat
concat_ws contains contains_sequence convex_hull_agg corr cos cosh cosine_distance
cosine_similarity count count_if covar_pop covar_samp crc32 cume_dist current_date
current_groups current_time current_timestamp current_timezone current_user date date_add
date_diff date_format date_parse date_trunc day day_of_month day_of_week day_of_year degrees
dense_rank dow doy e element_at empty_approx_set ends_with every exclude_columns extract exp
features filter first_value flatten floor format format_datetime format_number from_base
from_base32 from_base64 from_base64url from_big_endian_32 from_big_endian_64
from_encoded_polyline from_geojson_geometry from_hex from_ieee754_32 from_ieee754_64
from_iso8601_date from_iso8601_timestamp from_iso8601_timestamp_nanos from_unixtime
from_unixtime_nanos from_utf8 fusion geometric_mean geometry_from_hadoop_shape
geometry_invalid_reason geometry_nearest_points geometry_to_bing_tiles geometry_union
geometry_union_agg great_circle_distance greatest hamming_distance hash_counts histogram
hmac_md5 hmac_sha1 hmac_sha256 hmac_sha512 hour human_readable_seconds if index infinity
intersection_cardinality inverse_beta_cdf inverse_normal_cdf is_finite is_infinite
is_json_scalar is_nan jaccard_index json_array_contains json_array_get json_array_length
json_extract json_extract_scalar json_format json_parse json_size kurtosis lag last_day_of_month
last_value lead learn_classifier learn_libsvm_classifier learn_libsvm_regressor learn_regressor
least length levenshtein_distance line_interpolate_point line_interpolate_points
line_locate_point listagg ln localtime localtimestamp log log10 log2 lower lpad ltrim
luhn_check make_set_digest map map_agg map_concat map_entries map_filter map_from_entries
map_keys map_union map_values map_zip_with max max_by md5 merge merge_set_digest millisecond
min min_by minute mod month multimap_agg multimap_from_entries murmur3 nan ngrams none_match
normal_cdf normalize now nth_value ntile nullif numeric_histogram objectid objectid_timestamp
parse_data_size parse_datetime parse_duration percent_rank pi position pow power qdigest_agg
quarter radians rand random rank reduce reduce_agg regexp_count regexp_extract
regexp_extract_all regexp_like regexp_position regexp_replace regexp_split regr_intercept
regr_slope regress render repeat replace reverse rgb round row_number rpad rtrim second
sequence set_agg set_union sha1 sha256 sha512 shuffle sign simplify_geometry sin sinh skewness
slice soundex spatial_partitioning spatial_partitions split split_part split_to_map
split_to_multimap spooky_hash_v2_32 spooky_hash_v2_64 sqrt starts_with stddev stddev_pop
stddev_samp strpos strrpos substr substring sum tan tanh tdigest_agg timestamp_objectid
timezone timezone_hour timezone_minute title_case to_base to_base32 to_base64 to_base64url
to_big_endian_32 to_big_endian_64 to_char to_date to_encoded_polyline to_geojson_geometry
to_geometry to_hex to_ieee754_32 to_ieee754_64 to_iso8601 to_milliseconds
to_spherical_geography to_timestamp to_unixtime to_utf8 transform transform_keys
transform_values translate trim trim_array truncate try try_cast typeof upper url_decode
url_encode url_extract_fragment url_extract_host url_extract_parameter url_extract_path
url_extract_port url_extract_protocol url_extract_query uuid value_at_quantile
values_at_quantiles var_pop var_samp variance version week week_of_year width_bucket
wilson_interval_lower wilson_interval_upper with_timezone word_stem xxhash64 year
year_of_week yow zip zip_with
""".split()) | frozenset(
    # ST_* geospatial functions (all unsupported, listed so that they are
    # reported as NOT_SUPPORTED rather than FUNCTION_NOT_FOUND)
    "st_" + n for n in """area asbinary asewkb asewkt astext boundary buffer centroid collect
    contains convexhull coorddim crosses difference dimension disjoint distance endpoint
    envelope envelopeaspts equals exteriorring force2d force3d geometries geometryfromtext
    geometryn geometrytype geomfrombinary geomfromewkt geomfromkml interiorringn interiorrings
    intersection intersects isclosed isempty isring issimple isvalid length linefromtext
    linemerge linestring makeline makepolygon minimumboundingcircle multi multipoint normalize
    numgeometries numinteriorring numpoints orientedenvelope overlaps point pointn
    pointonsurface points polygon polygonize relate reduceprecision setsrid srid startpoint
    symdifference touches transform union voronoipolygons within x xmax xmin y ymax ymin
    z""".split()
)

#: Trino functions that Parthenon runs with Trino's semantics (natively through
#: SQLGlot's transpilation, checked, or through a rewrite in this module).
SUPPORTED_FUNCTIONS: frozenset[str] = frozenset("""
abs acos all_match any_match any_value approx_distinct approx_percentile arbitrary array_agg
array_distinct array_except array_intersect array_join array_max array_min array_position
array_remove array_sort array_union arrays_overlap asin at_timezone atan atan2 avg
bitwise_and bitwise_and_agg bitwise_not bitwise_or bitwise_or_agg bitwise_xor bool_and bool_or
cardinality cast cbrt ceil ceiling chr coalesce codepoint concat concat_ws contains corr cos
cosh count count_if covar_pop covar_samp cume_dist current_date current_timestamp date
date_add date_diff date_format date_parse date_trunc day day_of_month day_of_week day_of_year
degrees dense_rank dow doy e element_at ends_with every exp extract filter first_value
flatten floor format_datetime from_base64 from_hex from_iso8601_date from_iso8601_timestamp
from_unixtime from_utf8 geometric_mean greatest hamming_distance histogram hour if infinity
is_finite is_infinite is_json_scalar is_nan json_array_contains json_array_get
json_array_length json_extract json_extract_scalar json_format json_parse json_size kurtosis
lag last_day_of_month last_value lead least length levenshtein_distance listagg ln
localtimestamp log log10 log2 lower lpad ltrim map map_agg map_concat map_entries map_filter
map_from_entries map_keys map_values max max_by md5 millisecond min min_by minute mod month
nan none_match now nth_value ntile nullif parse_datetime percent_rank pi position pow power
quarter radians rand random rank reduce regexp_count regexp_extract regexp_extract_all
regexp_like regexp_position regexp_replace regexp_split regr_intercept regr_slope repeat
replace reverse round row_number rpad rtrim second sequence sha256 shuffle sign sin sinh
skewness slice split split_part split_to_map sqrt starts_with stddev stddev_pop stddev_samp
strpos substr substring sum tan tanh to_base64 to_hex to_iso8601 to_unixtime to_utf8
transform transform_keys transform_values translate trim trim_array truncate try try_cast
upper url_decode url_extract_fragment url_extract_host url_extract_parameter
url_extract_path url_extract_port url_extract_protocol url_extract_query uuid var_pop
var_samp variance week week_of_year with_timezone year year_of_week yow zip
""".split())

# Expression classes that stand for SQL syntax rather than a named function
# (``CAST(...)``, ``ARRAY[...]``, ``ROW(...)``, ``CASE``, ``UNNEST`` in FROM...).
SYNTAX_CLASSES: tuple[type[exp.Expression], ...] = (
    exp.Cast, exp.TryCast, exp.Case, exp.If, exp.Coalesce, exp.Array, exp.Struct, exp.Map,
    exp.Unnest, exp.Extract, exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime,
    exp.Localtime, exp.Localtimestamp, exp.ParseJSON, exp.Nullif, exp.Count, exp.StrPosition,
    exp.Substring, exp.Trim, exp.Try, exp.AtTimeZone, exp.Greatest, exp.Least, exp.Anonymous,
    exp.JSONExtract, exp.JSONExtractScalar, exp.Exists, exp.Lambda, exp.Interval,
    exp.Any, exp.All,
)


def function_name(node: exp.Func) -> str:
    """The name a user would have typed for a function node (lower case)."""
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    return node.sql_name().lower()


@functools.lru_cache(maxsize=None)
def _classes_by_name() -> dict[str, type[exp.Expression]]:
    """The SQLGlot class each Trino function name parses into (found by parsing)."""
    found: dict[str, type[exp.Expression]] = {}
    for name in sorted(TRINO_FUNCTIONS):
        for arity in (1, 2, 3, 0, 4):
            args = ", ".join(f"a{i}" for i in range(arity))
            try:
                tree = sqlglot.parse_one(f"SELECT {name}({args})", read=DIALECT)
            except Exception:   # noqa: BLE001 - a wrong arity is a parse error
                continue
            node = tree.expressions[0] if isinstance(tree, exp.Select) else None
            if isinstance(node, exp.Window):
                node = node.this
            if node is not None and not isinstance(node, (exp.Anonymous, exp.Column)):
                found[name] = type(node)
            break
    return found


@functools.lru_cache(maxsize=None)
def trino_function_classes() -> frozenset[type[exp.Expression]]:
    """Every SQLGlot class that a Trino function name or Trino syntax parses into."""
    return frozenset(_classes_by_name().values()) | frozenset(SYNTAX_CLASSES)


@functools.lru_cache(maxsize=None)
def _unsupported_classes() -> dict[type[exp.Expression], str]:
    """Classes reached only through unsupported Trino function names -> a name."""
    by_class: dict[type[exp.Expression], list[str]] = {}
    for name, cls in _classes_by_name().items():
        by_class.setdefault(cls, []).append(name)
    return {
        cls: names[0]
        for cls, names in by_class.items()
        if not any(n in SUPPORTED_FUNCTIONS for n in names) and cls not in SYNTAX_CLASSES
    }


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def to_duckdb_sql(ast: exp.Expression, schema: dict | None = None) -> str:
    """DuckDB SQL for a Trino query AST, with Trino's semantics.

    ``schema`` (optional, SQLGlot's mapping form ``{table: {column: type}}``)
    lets type-dependent rewrites see the types of table columns.
    Raises NotSupported (with line:column) for a Trino construct that cannot
    be translated faithfully.
    """
    tree = ast.copy()
    _annotate(tree, schema)
    tree = _rewrite(tree)
    _name_output_columns(tree)
    _clear_types(tree)
    try:
        return tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as e:
        message = str(e).split("\n")[0].strip() or "unsupported construct"
        raise NotSupported(message) from None


def _annotate(tree: exp.Expression, schema: dict | None) -> None:
    from sqlglot.optimizer.annotate_types import annotate_types

    try:
        annotate_types(tree, schema=schema, dialect="trino")
    except Exception:   # noqa: BLE001 - types are a hint; rewrites fall back without them
        pass


def _clear_types(tree: exp.Expression) -> None:
    """Forget the Trino types inferred for the rewrites: SQLGlot's DuckDB generator
    makes its own choices from types it finds (e.g. casting approx_quantile)."""
    for node in tree.walk():
        if not isinstance(node, (exp.Cast, exp.DataType)):
            node.type = None


def _rewrite(tree: exp.Expression) -> exp.Expression:
    """Apply the rewrites bottom-up: children first, so parents see rewritten children."""
    for node in reversed(list(tree.walk(bfs=False))):
        rewrite = _rewrite_for(node)
        if rewrite is None:
            continue
        new = rewrite(node)
        if new is None or new is node:
            continue
        if new.type is None or new.type.this == exp.DType.UNKNOWN:
            new.type = node.type
        if node is tree:
            tree = new
        else:
            node.replace(new)
    return tree


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
    if isinstance(node, exp.Func) and type(node) in _unsupported_classes():
        return _unsupported
    return None


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def position(node: exp.Expression) -> tuple[int | None, int | None]:
    """(line, column) of a node's first token, 1-based, as Athena reports it."""
    for n in [node, *node.walk()]:
        meta = n.meta if hasattr(n, "meta") else {}
        if meta.get("line") is not None and meta.get("col") is not None:
            start, end = meta.get("start"), meta.get("end")
            col = meta["col"] - (end - start) if start is not None and end is not None else meta["col"]
            return meta["line"], max(1, col)
    return None, None


def _not_supported(node: exp.Expression, message: str) -> NotSupported:
    return NotSupported(message, *position(node))


def _unsupported(node: exp.Expression) -> exp.Expression:
    name = function_name(node) if isinstance(node, exp.Func) else node.key
    if type(node) in _unsupported_classes() and not isinstance(node, exp.Anonymous):
        name = _unsupported_classes()[type(node)]
    raise _not_supported(node, f"Function '{name}' is not supported")


@functools.lru_cache(maxsize=None)
def _template(sql: str) -> exp.Expression:
    return sqlglot.parse_one(sql, read="duckdb")


def _duck(sql: str, **args: exp.Expression | None) -> exp.Expression:
    """A DuckDB expression from a template; ``_name`` placeholders take ``args``."""
    tree = _template(sql).copy()
    for bracket in tree.find_all(exp.Bracket):
        # A placeholder index is DuckDB's own (1-based): keep SQLGlot from shifting a
        # literal put in its place (literal indexes of the template were shifted on parse).
        if any(isinstance(e, exp.Column) and e.name in args for e in bracket.expressions):
            bracket.set("offset", 1)
    for col in list(tree.find_all(exp.Column)):
        if not col.table and col.name in args:
            value = args[col.name]
            col.replace(value.copy() if value is not None else exp.Null())
    return tree


def _fn(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def _type(node: exp.Expression | None) -> exp.DataType | None:
    if node is None:
        return None
    typ = node.type
    if typ is None or typ.this in (exp.DType.UNKNOWN, exp.DType.NULL):
        return None
    return typ


def _is_type(node: exp.Expression | None, *dtypes: exp.DType) -> bool:
    typ = _type(node)
    return typ is not None and typ.this in dtypes


def _int_literal(node: exp.Expression | None) -> int | None:
    if node is None:
        return None
    if isinstance(node, exp.Literal) and node.is_int:
        return int(node.name)
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and node.this.is_int:
        return -int(node.this.name)
    return None


def _string_literal(node: exp.Expression | None) -> str | None:
    if isinstance(node, exp.Literal) and node.is_string:
        return node.name
    return None


def _unit(node: exp.Expression) -> str | None:
    unit = node.args.get("unit")
    if unit is None:
        return None
    if isinstance(unit, (exp.Var, exp.Literal, exp.Identifier, exp.Column)):
        return unit.name.lower()
    return None


_DATE = (exp.DType.DATE, exp.DType.DATE32)
_TIMESTAMPS = (
    exp.DType.TIMESTAMP, exp.DType.TIMESTAMPTZ, exp.DType.TIMESTAMPLTZ, exp.DType.TIMESTAMPNTZ,
    exp.DType.TIMESTAMP_S, exp.DType.TIMESTAMP_MS, exp.DType.TIMESTAMP_NS, exp.DType.DATETIME,
)
_REALS = tuple(exp.DataType.REAL_TYPES)     # includes DECIMAL
_FLOATS = (exp.DType.FLOAT, exp.DType.DOUBLE)
_INTEGERS = tuple(exp.DataType.INTEGER_TYPES)
_MAPS = (exp.DType.MAP,)
_JSON = (exp.DType.JSON,)


# --------------------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------------------


def _division(node: exp.Div) -> exp.Expression:
    """Trino divides integers with truncation toward zero; DuckDB's ``//`` does the
    same for integers and divides exactly for DOUBLE/DECIMAL, so it is Trino's ``/``
    for any operand types.  Known non-integer operands keep ``/`` (so that a DOUBLE
    division by zero gives Infinity as in Trino)."""
    left, right = node.this, node.expression
    if _is_type(left, *_REALS) or _is_type(right, *_REALS):
        node.set("typed", False)
        return node
    return exp.IntDiv(this=left, expression=right)


# --------------------------------------------------------------------------------------
# Regular expressions
# --------------------------------------------------------------------------------------


def _regexp_extract(node: exp.RegexpExtract) -> exp.Expression:
    """NULL when nothing matches (DuckDB gives ''): SQLGlot's null_if_no_match form."""
    node.set("null_if_no_match", True)
    return node


def _java_replacement_to_re2(node: exp.Expression, replacement: str) -> str:
    out = []
    pos = 0
    for m in re.finditer(r"\\(.)|\$(\d)|\$\{(\w+)\}|\$|\\", replacement, re.S):
        out.append(replacement[pos:m.start()].replace("\\", "\\\\"))
        pos = m.end()
        escaped, group, named = m.group(1), m.group(2), m.group(3)
        if escaped is not None:     # \$ or \\ : a literal character
            out.append("\\\\" if escaped == "\\" else escaped)
        elif group is not None:
            out.append("\\" + group)
        elif named is not None:
            raise _not_supported(node, "Named group references in regexp_replace are not supported")
        else:
            raise _not_supported(node, "Illegal group reference in regexp_replace replacement")
    out.append(replacement[pos:].replace("\\", "\\\\"))
    return "".join(out)


def _regexp_replace(node: exp.RegexpReplace) -> exp.Expression:
    """``$1`` group references become RE2's ``\\1``; a lambda replacement is not supported."""
    replacement = node.args.get("replacement")
    if replacement is None:
        return node
    if isinstance(replacement, exp.Lambda):
        raise _not_supported(node, "regexp_replace with a lambda replacement is not supported")
    text = _string_literal(replacement)
    if text is None:
        raise _not_supported(
            node, "regexp_replace with a non-literal replacement string is not supported")
    node.set("replacement", exp.Literal.string(_java_replacement_to_re2(node, text)))
    return node


def _regexp_position(node: exp.Anonymous) -> exp.Expression:
    args = node.expressions
    if len(args) != 2:
        raise _not_supported(node, "regexp_position with a start or occurrence is not supported")
    return _duck(
        "CASE WHEN regexp_matches(_s, _p) "
        "THEN length(regexp_extract(_s, '(?s)^(.*?)(?:' || _p || ')', 1)) + 1 "
        "WHEN _s IS NULL OR _p IS NULL THEN NULL ELSE -1 END",
        _s=args[0], _p=args[1])


# --------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------


def _json_extract_scalar(node: exp.JSONExtractScalar) -> exp.Expression:
    """Scalar values only (NULL for objects and arrays), NULL on malformed JSON."""
    return exp.Try(this=_duck(
        "CASE WHEN json_type(_j, _p) IN ('OBJECT', 'ARRAY') THEN NULL "
        "ELSE json_extract_string(_j, _p) END",
        _j=node.this, _p=node.expression))


def _json_extract(node: exp.JSONExtract) -> exp.Expression:
    """NULL on malformed JSON, like Trino's json_extract."""
    return exp.Try(this=node.copy())


def _json_size(node: exp.Anonymous) -> exp.Expression:
    """Members of an object or array, 0 for a scalar, NULL for a missing path."""
    j, p = node.expressions[0], node.expressions[1]
    if _string_literal(p) is not None:
        p = sqlglot.Dialect.get_or_raise("trino").to_json_path(p)    # Trino JSONPath -> AST
    return exp.Try(this=_duck(
        "CASE WHEN json_type(_j, _p) IS NULL THEN NULL "
        "WHEN json_type(_j, _p) = 'OBJECT' THEN CAST(len(json_keys(_j, _p)) AS BIGINT) "
        "WHEN json_type(_j, _p) = 'ARRAY' THEN CAST(json_array_length(_j, _p) AS BIGINT) "
        "ELSE CAST(0 AS BIGINT) END",
        _j=j, _p=p))


def _json_array_length(node: exp.Anonymous) -> exp.Expression:
    return exp.Try(this=_duck(
        "CASE WHEN json_type(_j) = 'ARRAY' THEN CAST(json_array_length(_j) AS BIGINT) END",
        _j=node.expressions[0]))


def _json_array_get(node: exp.Anonymous) -> exp.Expression:
    j, i = node.expressions
    return exp.Try(this=_duck(
        "CASE WHEN json_type(_j) = 'ARRAY' THEN json_extract(_j, CASE WHEN _i >= 0 "
        "THEN '$[' || CAST(_i AS VARCHAR) || ']' ELSE '$[#' || CAST(_i AS VARCHAR) || ']' END) END",
        _j=j, _i=i))


def _json_array_contains(node: exp.JSONArrayContains) -> exp.Expression:
    return exp.Try(this=_duck(
        "CASE WHEN json_type(_j) = 'ARRAY' "
        "THEN list_contains(list_transform(CAST(_j AS JSON[]), lambda e: CAST(e AS VARCHAR)), "
        "CAST(to_json(_v) AS VARCHAR)) END",
        _j=node.this, _v=node.expression))


def _is_json_scalar(node: exp.Anonymous) -> exp.Expression:
    return _duck("json_type(CAST(_j AS JSON)) NOT IN ('OBJECT', 'ARRAY')", _j=node.expressions[0])


def _json_format(node: exp.JSONFormat) -> exp.Expression:
    return _duck("CAST(CAST(_j AS JSON) AS VARCHAR)", _j=node.this)


# --------------------------------------------------------------------------------------
# CAST
# --------------------------------------------------------------------------------------

_DOUBLE_TO_VARCHAR = """
list_transform([CAST(_x AS VARCHAR)], lambda s:
  CASE WHEN s IS NULL THEN NULL
       WHEN s = 'nan' THEN 'NaN' WHEN s = 'inf' THEN 'Infinity' WHEN s = '-inf' THEN '-Infinity'
       WHEN TRY_CAST(s AS DOUBLE) = 0 THEN CASE WHEN s LIKE '-%' THEN '-0E0' ELSE '0E0' END
       ELSE list_transform(
         [regexp_extract(s, '^(-?)([0-9]*)\\.?([0-9]*)(?:e([-+]?[0-9]+))?$',
                         ['sign', 'int', 'frac', 'exp'])],
         lambda m: list_transform(
           [rtrim(ltrim(m.int || m.frac, '0'), '0')],
           lambda sig: m.sign || substr(sig, 1, 1) || '.'
             || CASE WHEN length(sig) > 1 THEN substr(sig, 2) ELSE '0' END
             || 'E' || CAST(COALESCE(TRY_CAST(m.exp AS INTEGER), 0) + length(m.int) - 1
                  - (length(m.int || m.frac) - length(ltrim(m.int || m.frac, '0'))) AS VARCHAR)
         )[1]
       )[1]
  END)[1]
"""


def _timestamp_format(precision: int | None) -> str:
    if precision == 0:
        return "%Y-%m-%d %H:%M:%S"
    if precision is not None and precision > 3:
        return "%Y-%m-%d %H:%M:%S.%f"
    return "%Y-%m-%d %H:%M:%S.%g"


def _precision(typ: exp.DataType | None) -> int | None:
    if typ is None:
        return None
    params = typ.expressions
    if params and isinstance(params[0], exp.DataTypeParam) and params[0].this.is_int:
        return int(params[0].this.name)
    return None


def _static_type(x: exp.Expression) -> exp.DataType | None:
    """A type that is certain from the syntax alone: typed literals and CASTs.
    (SQLGlot's inferred types are not trusted here: it types ``1.5`` as DOUBLE
    where Trino has DECIMAL.)"""
    if isinstance(x, (exp.Cast, exp.TryCast)):
        return x.to
    if isinstance(x, exp.Literal):
        if x.is_string:
            return exp.DataType.build("VARCHAR")
        text = x.name.lower()
        return exp.DataType.build("DOUBLE" if "e" in text else "DECIMAL" if "." in text else "BIGINT")
    if isinstance(x, (exp.Boolean, exp.ParseJSON)):
        return exp.DataType.build("BOOLEAN" if isinstance(x, exp.Boolean) else "JSON")
    typ = _type(x)
    if typ is not None and typ.this in (exp.DType.VARCHAR, exp.DType.TEXT, exp.DType.JSON):
        return typ
    return None


def _cast_to_varchar(node: exp.Cast, x: exp.Expression) -> exp.Expression | None:
    typ = _static_type(x)
    if typ is not None:
        if typ.this in _FLOATS:
            return _duck(_DOUBLE_TO_VARCHAR, _x=x)
        if typ.this in _JSON:
            return _json_to_varchar(x)
        if typ.this in _TIMESTAMPS:
            fmt = _timestamp_format(_precision(typ))
            if typ.this in (exp.DType.TIMESTAMPTZ, exp.DType.TIMESTAMPLTZ):
                fmt += " %Z"
            return _fn("strftime", x, exp.Literal.string(fmt))
        if typ.this not in (exp.DType.UNKNOWN, exp.DType.NULL):
            return None
    return _duck(
        "CASE WHEN typeof(_x) IN ('DOUBLE', 'FLOAT') THEN " + _DOUBLE_TO_VARCHAR +
        " WHEN typeof(_x) = 'TIMESTAMP' "
        "THEN strftime(CAST(CAST(_x AS VARCHAR) AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%g') "
        " WHEN typeof(_x) = 'TIMESTAMP WITH TIME ZONE' "
        "THEN strftime(CAST(CAST(_x AS VARCHAR) AS TIMESTAMPTZ), '%Y-%m-%d %H:%M:%S.%g %Z') "
        " WHEN typeof(_x) = 'JSON' THEN "
        + _JSON_TO_VARCHAR.replace("_j", "CAST(CAST(_x AS VARCHAR) AS JSON)") +
        " ELSE CAST(_x AS VARCHAR) END",
        _x=x)


_JSON_TO_VARCHAR = (
    "CASE WHEN json_type(_j) IN ('OBJECT', 'ARRAY') "
    "THEN error('Cannot cast JSON object or array to varchar') "
    "ELSE json_extract_string(_j, '$') END"
)


def _json_to_varchar(j: exp.Expression) -> exp.Expression:
    return _duck(_JSON_TO_VARCHAR, _j=j)


def _cast(node: exp.Cast) -> exp.Expression | None:
    to = node.to
    x = node.this
    if to.this in (exp.DType.VARCHAR, exp.DType.TEXT, exp.DType.CHAR, exp.DType.NVARCHAR):
        if to.this == exp.DType.CHAR:
            return None
        return _cast_to_varchar(node, x)
    if to.this in _JSON:
        if _is_type(x, *_JSON) or isinstance(x, exp.ParseJSON):
            return x
        # CAST('abc' AS JSON) is the JSON string "abc" in Trino, not parsed JSON
        return _fn("to_json", x)
    if _is_type(x, *_JSON) and to.this in (exp.DType.DATE, exp.DType.TIME):
        return exp.Cast(this=_fn("json_extract_string", x, exp.Literal.string("$")), to=to)
    return None


# --------------------------------------------------------------------------------------
# Date and time
# --------------------------------------------------------------------------------------

_BUCKET_WIDTHS = {
    "millisecond": "1 millisecond", "second": "1 second", "minute": "1 minute",
    "hour": "1 hour", "day": "1 day", "week": "7 days", "month": "1 month",
    "quarter": "3 months", "year": "1 year",
}


def _date_trunc(node: exp.TimestampTrunc) -> exp.Expression | None:
    """``date_trunc`` keeps its argument's type in Trino (DATE stays DATE);
    DuckDB's ``time_bucket`` does the same, date_trunc would give TIMESTAMP.
    Weeks start on Monday (time_bucket's default origin is a Monday)."""
    unit = _unit(node)
    if unit is None or unit not in _BUCKET_WIDTHS:
        return None
    width = exp.Cast(this=exp.Literal.string(_BUCKET_WIDTHS[unit]), to=exp.DataType.build("INTERVAL"))
    return _fn("time_bucket", width, node.this)


def _date_diff(node: exp.DateDiff) -> exp.Expression | None:
    """Trino counts whole units elapsed (Joda); DuckDB's date_diff counts boundaries
    crossed, its date_sub counts whole units."""
    unit = _unit(node) or "day"
    return _fn("date_sub", exp.Literal.string(unit), node.expression, node.this)


def _date_add(node: exp.DateAdd) -> exp.Expression | None:
    """DATE + interval is a TIMESTAMP in DuckDB; Trino keeps DATE for day units and up."""
    unit = _unit(node) or "day"
    if _is_type(node.this, *_DATE) and unit in ("day", "week", "month", "quarter", "year"):
        return exp.Cast(this=node.copy(), to=exp.DataType.build("DATE"))
    return None


def _millisecond(node: exp.Anonymous) -> exp.Expression:
    return _duck("CAST(millisecond(_t) % 1000 AS BIGINT)", _t=node.expressions[0])


def _unix_to_time(node: exp.UnixToTime) -> exp.Expression | None:
    zone = node.args.get("zone")
    extra = [k for k in ("hours", "minutes") if node.args.get(k) is not None]
    if extra:
        raise _not_supported(node, "from_unixtime with an hours/minutes offset is not supported")
    if zone is not None:
        name = _string_literal(zone)
        base = exp.UnixToTime(this=node.this)
        if name is not None and name.upper() in ("UTC", "Z", "GMT", "ETC/UTC", "+00:00"):
            return base
        return _at_zone(base, zone)
    return None


def _at_zone(value: exp.Expression, zone: exp.Expression) -> exp.Expression:
    """The wall-clock time of an instant in a zone.  A TIMESTAMP without zone is read
    as UTC (Trino's session zone here), as Trino does."""
    return _duck("timezone(_z, CAST(_v AS TIMESTAMPTZ))", _z=zone, _v=value)


def _at_time_zone(node: exp.AtTimeZone) -> exp.Expression:
    return _at_zone(node.this, node.args["zone"])


def _at_timezone_fn(node: exp.Anonymous) -> exp.Expression:
    value, zone = node.expressions
    return _at_zone(value, zone)


def _with_timezone(node: exp.Anonymous) -> exp.Expression:
    """with_timezone(timestamp, zone): the naive timestamp read in that zone."""
    value, zone = node.expressions
    return _duck("timezone(_z, CAST(_v AS TIMESTAMP))", _z=zone, _v=value)


def _to_iso8601(node: exp.Anonymous) -> exp.Expression:
    x = node.expressions[0]
    if _is_type(x, *_DATE):
        return _fn("strftime", x, exp.Literal.string("%Y-%m-%d"))
    return _duck(
        "CASE WHEN typeof(_x) = 'DATE' THEN CAST(_x AS VARCHAR) "
        "WHEN typeof(_x) = 'TIMESTAMP WITH TIME ZONE' "
        "THEN strftime(CAST(CAST(_x AS VARCHAR) AS TIMESTAMPTZ), '%Y-%m-%dT%H:%M:%S.%gZ') "
        "ELSE strftime(CAST(CAST(_x AS VARCHAR) AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%g') END",
        _x=x)


# Joda-Time pattern letters -> strftime (format_datetime / parse_datetime)
_JODA = [
    ("yyyy", "%Y"), ("YYYY", "%Y"), ("xxxx", "%G"), ("yy", "%y"), ("y", "%Y"),
    ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"), ("M", "%-m"),
    ("dd", "%d"), ("d", "%-d"), ("DDD", "%j"),
    ("HH", "%H"), ("H", "%-H"), ("hh", "%I"), ("h", "%-I"),
    ("mm", "%M"), ("m", "%-M"), ("ss", "%S"), ("s", "%-S"),
    ("SSSSSS", "%f"), ("SSS", "%g"),
    ("EEEE", "%A"), ("EEE", "%a"), ("a", "%p"),
    ("ZZ", "%z"), ("Z", "%z"), ("zzzz", "%Z"), ("z", "%Z"),
]


def _joda_to_strftime(node: exp.Expression, pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            end = pattern.find("'", i + 1)
            if end == -1:
                raise _not_supported(node, f"Invalid format: '{pattern}'")
            literal = pattern[i + 1:end] if end > i + 1 else "'"
            out.append(literal.replace("%", "%%"))
            i = end + 1
            continue
        if ch.isalpha():
            run = len(pattern[i:]) - len(pattern[i:].lstrip(ch))
            letters = pattern[i:i + run]
            for joda, fmt in _JODA:
                if letters == joda:
                    out.append(fmt)
                    break
            else:
                raise _not_supported(node, f"Joda pattern '{letters}' is not supported")
            i += run
            continue
        out.append("%%" if ch == "%" else ch)
        i += 1
    return "".join(out)


def _format_datetime(node: exp.Anonymous) -> exp.Expression:
    value, pattern = node.expressions
    text = _string_literal(pattern)
    if text is None:
        raise _not_supported(node, "format_datetime with a non-literal format is not supported")
    return _fn("strftime", value, exp.Literal.string(_joda_to_strftime(node, text)))


def _parse_datetime(node: exp.ParseDatetime) -> exp.Expression:
    text = _string_literal(node.args.get("format") or node.expression)
    if text is None:
        raise _not_supported(node, "parse_datetime with a non-literal format is not supported")
    fmt = _joda_to_strftime(node, text)
    parsed = _fn("strptime", node.this, exp.Literal.string(fmt))
    return exp.Cast(this=parsed, to=exp.DataType.build("TIMESTAMPTZ"))


# --------------------------------------------------------------------------------------
# Strings and URLs
# --------------------------------------------------------------------------------------


def _substring(node: exp.Substring) -> exp.Expression | None:
    """Trino: start 0, or a negative start before the string's beginning, gives ''."""
    start = node.args.get("start")
    length = node.args.get("length")
    value = _int_literal(start)
    if value is not None and value > 0:
        return None
    if value == 0:
        return _duck("CASE WHEN _s IS NULL THEN NULL ELSE '' END", _s=node.this)
    guard = "CASE WHEN _i = 0 OR -_i > length(_s) THEN '' ELSE substring(_s, _i{}) END"
    if length is not None:
        return _duck(guard.format(", _n"), _s=node.this, _i=start, _n=length)
    return _duck(guard.format(""), _s=node.this, _i=start)


def _split_part(node: exp.SplitPart) -> exp.Expression:
    """NULL past the last field (DuckDB gives '')."""
    args = node.args
    return _duck("string_split(_s, _d)[_i]",
                 _s=node.this, _d=args.get("delimiter"), _i=args.get("part_index"))


def _split(node: exp.Split) -> exp.Expression | None:
    limit = node.args.get("limit")
    if limit is None:
        return None
    return _duck(
        "list_transform([string_split(_s, _d)], lambda p: CASE WHEN len(p) <= _n THEN p "
        "ELSE list_append(p[1:_n - 1], array_to_string(p[_n:], _d)) END)[1]",
        _s=node.this, _d=node.expression, _n=limit)


_URL_AUTHORITY = r"^[A-Za-z][A-Za-z0-9+.\-]*://(?:[^/?#@]*@)?"
_URL_PATTERNS = {
    "url_extract_protocol": (r"^([A-Za-z][A-Za-z0-9+.\-]*):", None),
    "url_extract_host": (_URL_AUTHORITY + r"(\[[^\]]*\]|[^:/?#]*)", None),
    "url_extract_port": (_URL_AUTHORITY + r"(?:\[[^\]]*\]|[^:/?#]*):([0-9]+)", "BIGINT"),
    "url_extract_path": (r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?(?://[^/?#]*)?([^?#]*)", None),
    "url_extract_query": (r"^[^?#]*\?([^#]*)", None),
    "url_extract_fragment": (r"^[^#]*#(.*)$", None),
}


def _url_part(name: str, url: exp.Expression) -> exp.Expression:
    pattern, cast = _URL_PATTERNS[name]
    extracted = exp.RegexpExtract(
        this=url, expression=exp.Literal.string(pattern), group=exp.Literal.number(1),
        null_if_no_match=True)
    if cast:
        return exp.TryCast(this=extracted, to=exp.DataType.build(cast))
    return extracted


def _url_extract(node: exp.Anonymous) -> exp.Expression:
    return _url_part(node.name.lower(), node.expressions[0])


def _url_extract_parameter(node: exp.Anonymous) -> exp.Expression:
    url, name = node.expressions
    query = _url_part("url_extract_query", url)
    return _duck(
        "list_transform([list_filter(string_split(_q, '&'), lambda p: split_part(p, '=', 1) = _n)[1]],"
        " lambda e: CASE WHEN e IS NULL THEN NULL WHEN strpos(e, '=') = 0 THEN '' "
        "ELSE substr(e, strpos(e, '=') + 1) END)[1]",
        _q=query, _n=name)


# --------------------------------------------------------------------------------------
# Arrays and maps
# --------------------------------------------------------------------------------------


def _array_contains(node: exp.ArrayContains) -> exp.Expression:
    """Trino's contains: NULL (not false) when the value is absent and the array
    holds a NULL, or when the value is NULL."""
    return _duck(
        "CASE WHEN _a IS NULL OR _v IS NULL THEN NULL WHEN list_contains(_a, _v) THEN TRUE "
        "WHEN list_count(_a) < len(_a) THEN NULL ELSE FALSE END",
        _a=node.this, _v=node.expression)


def _array_distinct(node: exp.ArrayDistinct) -> exp.Expression:
    """First occurrences in order, NULL kept once (DuckDB's list_distinct reorders
    and drops NULL)."""
    return _duck(
        "list_transform([_a], lambda l: list_filter(l, lambda x, i: "
        "list_position(l, x) = i))[1]", _a=node.this)


def _array_except(node: exp.ArrayExcept) -> exp.Expression:
    """Distinct elements of the first array not in the second, in first-seen order."""
    return _duck(
        "CASE WHEN _b IS NULL THEN NULL ELSE list_transform([_a], lambda l: list_filter(l, "
        "lambda x, i: list_position(l, x) = i AND list_position(_b, x) IS NULL))[1] END",
        _a=node.this, _b=node.expression)


def _array_intersect(node: exp.ArrayIntersect) -> exp.Expression:
    """Distinct elements in both arrays, in the first array's order."""
    a, b = (node.expressions if node.expressions else [node.this, node.expression])[:2]
    return _duck(
        "CASE WHEN _b IS NULL THEN NULL ELSE list_transform([_a], lambda l: list_filter(l, "
        "lambda x, i: list_position(l, x) = i AND list_position(_b, x) IS NOT NULL))[1] END",
        _a=a, _b=b)


def _array_union(node: exp.Anonymous) -> exp.Expression:
    a, b = node.expressions
    return _duck(
        "list_transform([list_concat(_a, _b)], lambda l: list_filter(l, lambda x, i: "
        "list_position(l, x) = i))[1]", _a=a, _b=b)


def _array_position(node: exp.ArrayPosition) -> exp.Expression:
    return _duck(
        "CASE WHEN _a IS NULL OR _v IS NULL THEN NULL "
        "ELSE CAST(COALESCE(list_position(_a, _v), 0) AS BIGINT) END",
        _a=node.this, _v=node.expression)


def _arrays_overlap(node: exp.Anonymous) -> exp.Expression:
    a, b = node.expressions
    return _duck(
        "CASE WHEN _a IS NULL OR _b IS NULL THEN NULL WHEN list_has_any(_a, _b) THEN TRUE "
        "WHEN (list_count(_a) < len(_a) OR list_count(_b) < len(_b)) AND len(_a) > 0 "
        "AND len(_b) > 0 THEN NULL ELSE FALSE END", _a=a, _b=b)


def _array_slice(node: exp.ArraySlice) -> exp.Expression:
    """Trino slice(a, start, length); DuckDB array_slice takes an end index."""
    start, length = node.args.get("start"), node.args.get("end")
    return _duck(
        "CASE WHEN _i = 0 THEN error('SQL array indices start at 1') "
        "WHEN _i > 0 THEN _a[_i:_i + _n - 1] "
        "ELSE _a[len(_a) + _i + 1:len(_a) + _i + _n] END",
        _a=node.this, _i=start, _n=length)


def _repeat(node: exp.Repeat) -> exp.Expression:
    """Trino's repeat(element, count) builds an array."""
    return _fn("repeat", exp.Array(expressions=[node.this]), node.args.get("times"))


def _trim_array(node: exp.Anonymous) -> exp.Expression:
    a, n = node.expressions
    return _duck("_a[1:len(_a) - _n]", _a=a, _n=n)


def _match(kind: str) -> t.Callable[[exp.Anonymous], exp.Expression]:
    # three-valued: any_match true if any true, else NULL if any NULL, else false
    templates = {
        "any_match": "CASE WHEN list_bool_or(_r) THEN TRUE "
                     "WHEN list_count(_r) < len(_r) THEN NULL ELSE FALSE END",
        "all_match": "CASE WHEN NOT list_bool_and(_r) THEN FALSE "
                     "WHEN list_count(_r) < len(_r) THEN NULL ELSE TRUE END",
        "none_match": "CASE WHEN list_bool_or(_r) THEN FALSE "
                      "WHEN list_count(_r) < len(_r) THEN NULL ELSE TRUE END",
    }

    def rewrite(node: exp.Anonymous) -> exp.Expression:
        array, fn = node.expressions
        applied = exp.Transform(this=array, expression=fn)
        return _duck(templates[kind], _r=applied)

    rewrite.__name__ = f"_{kind}"
    return rewrite


def _cardinality(node: exp.ArraySize) -> exp.Expression:
    if _is_type(node.this, *_MAPS):
        return exp.Cast(this=_fn("cardinality", node.this), to=exp.DataType.build("BIGINT"))
    return exp.Cast(this=_fn("len", node.this), to=exp.DataType.build("BIGINT"))


def _map_agg(node: exp.Anonymous) -> exp.Expression:
    """NULL keys are skipped and a repeated key keeps one value (DuckDB's map
    constructors fail on duplicates)."""
    key, value = node.expressions
    return _duck(
        "list_transform([list(struct_pack(key := _k, value := _v)) FILTER (WHERE _k IS NOT NULL)],"
        " lambda l: map_from_entries(list_filter(l, lambda e, i: "
        "list_position(list_transform(l, lambda f: f.key), e.key) = i)))[1]",
        _k=key, _v=value)


def _histogram(node: exp.Anonymous) -> exp.Expression:
    return _duck(
        "map_from_entries(list_transform(map_entries(histogram(_x)), "
        "lambda e: struct_pack(key := e.key, value := CAST(e.value AS BIGINT))))",
        _x=node.expressions[0])


def _split_to_map(node: exp.StrToMap) -> exp.Expression:
    return _duck(
        "map_from_entries(list_transform(string_split(_s, _e), lambda p: "
        "struct_pack(key := split_part(p, _k, 1), value := substr(p, strpos(p, _k) + length(_k)))))",
        _s=node.this, _e=node.args.get("pair_delim"), _k=node.args.get("key_value_delim"))


def _substitute_params(body: exp.Expression, mapping: dict[str, exp.Expression]) -> exp.Expression:
    """Replace references to lambda parameters in ``body`` by expressions."""

    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name in mapping:
            return mapping[node.name].copy()
        if (isinstance(node, exp.Identifier) and node.name in mapping
                and not isinstance(node.parent, (exp.Column, exp.Dot, exp.Alias, exp.TableAlias))):
            return mapping[node.name].copy()
        return node

    return body.copy().transform(swap)


def _map_lambda(template: str) -> t.Callable[[exp.Anonymous], exp.Expression]:
    """map_filter / transform_keys / transform_values: a (k, v) lambda over map_entries."""

    def rewrite(node: exp.Anonymous) -> exp.Expression:
        m, fn = node.expressions
        if not isinstance(fn, exp.Lambda) or len(fn.expressions) != 2:
            raise _not_supported(node, f"Function '{node.name.lower()}' needs a (k, v) lambda")
        k, v = (p.name for p in fn.expressions)
        body = _substitute_params(fn.this, {
            k: exp.column("key", table="__e"), v: exp.column("value", table="__e")})
        return _duck(template, _m=m, _body=body)

    return rewrite


# --------------------------------------------------------------------------------------
# Aggregates and misc
# --------------------------------------------------------------------------------------


def _approx_quantile(node: exp.ApproxQuantile) -> exp.Expression | None:
    if node.args.get("weight") is not None or node.args.get("accuracy") is not None:
        raise _not_supported(node, "approx_percentile with weight or accuracy is not supported")
    return None


def _reduce(node: exp.Reduce) -> exp.Expression:
    finish = node.args.get("finish")
    if finish is not None:
        if not (isinstance(finish, exp.Lambda) and len(finish.expressions) == 1
                and isinstance(finish.this, (exp.Identifier, exp.Column))
                and finish.this.name == finish.expressions[0].name):
            raise _not_supported(node, "reduce with an output function other than s -> s is not supported")
        node.set("finish", None)
    return node


def _count_if(node: exp.CountIf) -> exp.Expression:
    """bigint, as in Trino (DuckDB's count_if is HUGEINT)."""
    return exp.Cast(this=node.copy(), to=exp.DataType.build("BIGINT"))


def _every(node: exp.Anonymous) -> exp.Expression:
    return exp.LogicalAnd(this=node.expressions[0])


def _codepoint(node: exp.Anonymous) -> exp.Expression:
    return exp.Cast(this=_fn("unicode", node.expressions[0]), to=exp.DataType.build("INT"))


def _hamming(node: exp.Anonymous) -> exp.Expression:
    return exp.Cast(this=_fn("hamming", *node.expressions), to=exp.DataType.build("BIGINT"))


def _infinity(node: exp.Anonymous) -> exp.Expression:
    return exp.Cast(this=exp.Literal.string("inf"), to=exp.DataType.build("DOUBLE"))


def _nan(node: exp.Anonymous) -> exp.Expression:
    return exp.Cast(this=exp.Literal.string("nan"), to=exp.DataType.build("DOUBLE"))


def _e(node: exp.Anonymous) -> exp.Expression:
    return exp.Exp(this=exp.Literal.number(1))


def _is_finite(node: exp.Anonymous) -> exp.Expression:
    return _fn("isfinite", node.expressions[0])


def _is_infinite(node: exp.Anonymous) -> exp.Expression:
    return _fn("isinf", node.expressions[0])


def _zip(node: exp.Anonymous) -> exp.Expression:
    return _fn("list_zip", *node.expressions)


def _url_decode(node: exp.Anonymous) -> exp.Expression:
    return _fn("url_decode", _fn("replace", node.expressions[0], exp.Literal.string("+"),
                                 exp.Literal.string(" ")))


def _url_encode(node: exp.Anonymous) -> exp.Expression:
    """Java's URLEncoder, as Trino: space as '+', '*' kept, '~' escaped."""
    return _duck("replace(replace(replace(url_encode(_s), '%20', '+'), '%2A', '*'), '~', '%7E')",
                 _s=node.expressions[0])


def _strpos(node: exp.StrPosition) -> exp.Expression | None:
    if node.args.get("occurrence") is not None:
        raise _not_supported(node, "strpos with an instance argument is not supported")
    return None


def _array_sort(node: exp.ArraySort) -> exp.Expression | None:
    if node.expression is not None:
        raise _not_supported(node, "array_sort with a comparator is not supported")
    return None


# --------------------------------------------------------------------------------------
# UNNEST
# --------------------------------------------------------------------------------------


def _unnest(node: exp.Unnest) -> exp.Expression | None:
    """Trino's UNNEST in FROM/JOIN -> a DuckDB subquery (lateral: it may use the
    columns of the tables before it) when DuckDB's own UNNEST differs: several
    arrays (zipped, NULL-padded), arrays of rows or maps expanded into columns,
    WITH ORDINALITY (numbered in array order)."""
    if not isinstance(node.parent, (exp.From, exp.Join)):
        return None
    arrays = node.expressions
    alias = node.args.get("alias")
    columns = list(alias.columns) if alias is not None else []
    ordinality = node.args.get("offset")
    with_ordinality = ordinality not in (None, False)
    expand = len(arrays) == 1 and len(columns) > 1
    if len(arrays) == 1 and not expand and not with_ordinality:
        return None
    if len(arrays) > 1 and columns and len(columns) != len(arrays):
        raise _not_supported(node, "UNNEST of several arrays of rows is not supported")

    def source(array: exp.Expression) -> exp.Expression:
        if _is_type(array, *_MAPS) or isinstance(array, exp.Map):
            return _fn("map_entries", array.copy())
        return array.copy()

    selects: list[exp.Expression] = []
    for array in arrays:
        args = [source(array)]
        if expand:
            args.append(exp.PropertyEQ(this=exp.to_identifier("max_depth"),
                                       expression=exp.Literal.number(2)))
        selects.append(_fn("UNNEST", *args))
    if with_ordinality:
        lengths = [_fn("len", source(a)) for a in arrays]
        longest = lengths[0] if len(lengths) == 1 else _fn("greatest", *lengths)
        selects.append(_fn("UNNEST", _fn(
            "range", exp.Literal.number(1), exp.Add(this=longest, expression=exp.Literal.number(1)))))
    names = [c.copy() for c in columns]
    if with_ordinality and isinstance(ordinality, exp.Identifier):
        names.append(ordinality.copy())
    table_alias = exp.TableAlias(
        this=alias.this.copy() if alias is not None and alias.this else exp.to_identifier("_unnest"),
        columns=names if len(names) == len(selects) or expand else None)
    return exp.Subquery(this=exp.Select(expressions=selects), alias=table_alias)


# --------------------------------------------------------------------------------------
# Output column names
# --------------------------------------------------------------------------------------


def _name_output_columns(tree: exp.Expression) -> None:
    """Trino's result column names: identifiers lower-cased (Trino identifiers are
    case-insensitive, quoted or not), ``_colN`` for an unnamed expression at
    0-based output position N.  Only the outermost query's names are visible."""
    select = tree
    while isinstance(select, exp.SetOperation):
        select = select.this
    if not isinstance(select, exp.Select):
        return
    projections = select.expressions
    star_seen = False
    for i, p in enumerate(list(projections)):
        if isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star)):
            star_seen = True    # later positions depend on the table's columns
            continue
        if isinstance(p, exp.Alias):
            if p.alias != p.alias.lower():
                p.set("alias", exp.to_identifier(p.alias.lower()))
            continue
        if isinstance(p, (exp.Column, exp.Dot)):
            if p.name and p.name != p.name.lower():
                p.replace(exp.alias_(p.copy(), exp.to_identifier(p.name.lower())))
            continue
        if not star_seen:
            p.replace(exp.alias_(p.copy(), exp.to_identifier(f"_col{i}")))


# --------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------

_CLASS_REWRITES: dict[type[exp.Expression], t.Callable[[t.Any], exp.Expression | None]] = {
    exp.Div: _division,
    exp.RegexpExtract: _regexp_extract,
    exp.RegexpReplace: _regexp_replace,
    exp.JSONExtractScalar: _json_extract_scalar,
    exp.JSONExtract: _json_extract,
    exp.JSONArrayContains: _json_array_contains,
    exp.JSONFormat: _json_format,
    exp.Cast: _cast,
    exp.TimestampTrunc: _date_trunc,
    exp.DateTrunc: _date_trunc,
    exp.DateDiff: _date_diff,
    exp.DateAdd: _date_add,
    exp.UnixToTime: _unix_to_time,
    exp.AtTimeZone: _at_time_zone,
    exp.ParseDatetime: _parse_datetime,
    exp.Substring: _substring,
    exp.SplitPart: _split_part,
    exp.Split: _split,
    exp.ArrayContains: _array_contains,
    exp.ArrayDistinct: _array_distinct,
    exp.ArrayExcept: _array_except,
    exp.ArrayIntersect: _array_intersect,
    exp.ArrayPosition: _array_position,
    exp.ArraySlice: _array_slice,
    exp.ArraySize: _cardinality,
    exp.ArraySort: _array_sort,
    exp.Repeat: _repeat,
    exp.StrToMap: _split_to_map,
    exp.ApproxQuantile: _approx_quantile,
    exp.Reduce: _reduce,
    exp.StrPosition: _strpos,
    exp.Unnest: _unnest,
    exp.CountIf: _count_if,
}

_ANONYMOUS_REWRITES: dict[str, t.Callable[[exp.Anonymous], exp.Expression]] = {
    "regexp_position": _regexp_position,
    "json_size": _json_size,
    "json_array_length": _json_array_length,
    "json_array_get": _json_array_get,
    "is_json_scalar": _is_json_scalar,
    "millisecond": _millisecond,
    "at_timezone": _at_timezone_fn,
    "with_timezone": _with_timezone,
    "to_iso8601": _to_iso8601,
    "format_datetime": _format_datetime,
    "url_extract_host": _url_extract,
    "url_extract_port": _url_extract,
    "url_extract_path": _url_extract,
    "url_extract_protocol": _url_extract,
    "url_extract_query": _url_extract,
    "url_extract_fragment": _url_extract,
    "url_extract_parameter": _url_extract_parameter,
    "url_decode": _url_decode,
    "url_encode": _url_encode,
    "array_union": _array_union,
    "arrays_overlap": _arrays_overlap,
    "trim_array": _trim_array,
    "any_match": _match("any_match"),
    "all_match": _match("all_match"),
    "none_match": _match("none_match"),
    "map_agg": _map_agg,
    "histogram": _histogram,
    "map_filter": _map_lambda(
        "map_from_entries(list_filter(map_entries(_m), lambda __e: _body))"),
    "transform_keys": _map_lambda(
        "map_from_entries(list_transform(map_entries(_m), "
        "lambda __e: struct_pack(key := _body, value := __e.value)))"),
    "transform_values": _map_lambda(
        "map_from_entries(list_transform(map_entries(_m), "
        "lambda __e: struct_pack(key := __e.key, value := _body)))"),
    "every": _every,
    "codepoint": _codepoint,
    "hamming_distance": _hamming,
    "infinity": _infinity,
    "nan": _nan,
    "e": _e,
    "is_finite": _is_finite,
    "is_infinite": _is_infinite,
    "zip": _zip,
}
