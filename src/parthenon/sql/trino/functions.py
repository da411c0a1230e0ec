"""Trino's function catalogue: which names are Trino functions, which Parthenon runs.

``TRINO_FUNCTIONS`` lists every Trino function name (so that
``parthenon.sql.guard`` can tell an unknown name, FUNCTION_NOT_FOUND, from a
known one); ``SUPPORTED_FUNCTIONS`` the ones Parthenon runs with Trino's
semantics.  Functions are *default deny*: ``rewrite`` refuses a Trino function
that is not supported with ``NotSupported("Function 'x' is not supported")``,
whether SQLGlot parses it into an anonymous call or into one of its own
classes (``unsupported_classes``).  ``SYNTAX_CLASSES`` and
``trino_function_classes`` say which SQLGlot classes Trino syntax and Trino
function names parse into.
"""
from __future__ import annotations

import functools

import sqlglot
from sqlglot import exp


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
fail
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
#: SQLGlot's transpilation, checked, or through a rewrite of this package).
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
typeof upper url_decode url_extract_fragment url_extract_host url_extract_parameter
url_extract_path url_extract_port url_extract_protocol url_extract_query uuid var_pop
var_samp variance week week_of_year with_timezone year year_of_week yow zip
format format_number human_readable_seconds parse_duration parse_data_size to_base from_base
width_bucket sha1 normalize ngrams zip_with array_histogram split_to_multimap approx_most_frequent
timezone_hour timezone_minute
to_milliseconds current_timezone
crc32 sha512 hmac_md5 hmac_sha1 hmac_sha256 hmac_sha512 xxhash64 murmur3 to_base32 from_base32
soundex combinations
to_base64url from_base64url to_big_endian_32 from_big_endian_32 to_big_endian_64 from_big_endian_64
to_ieee754_32 from_ieee754_32 to_ieee754_64 from_ieee754_64 luhn_check word_stem
spooky_hash_v2_32 spooky_hash_v2_64
map_zip_with multimap_from_entries multimap_agg
bit_count bitwise_left_shift bitwise_right_shift bitwise_right_shift_arithmetic
normal_cdf inverse_normal_cdf wilson_interval_lower wilson_interval_upper cosine_similarity
beta_cdf inverse_beta_cdf
from_iso8601_timestamp_nanos from_unixtime_nanos
bar color render rgb fail
contains_sequence
make_set_digest merge_set_digest intersection_cardinality jaccard_index hash_counts
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
    """The SQLGlot class each Trino function name parses into: as recorded in
    known_classes for this SQLGlot version (parsing ~500 names cost a fresh process
    0.1-0.2 s before its first query), else found by parsing."""
    known = _recorded_classes()
    return known if known is not None else parse_classes()


def _recorded_classes() -> dict[str, type[exp.Expression]] | None:
    """known_classes's record as classes, if made with this SQLGlot and these names."""
    from . import known_classes as known
    if known.SQLGLOT_VERSION != sqlglot.__version__ or set(known.CLASSES) != TRINO_FUNCTIONS:
        return None
    found = {n: getattr(exp, c, None) for n, c in known.CLASSES.items() if c is not None}
    if not all(isinstance(c, type) and issubclass(c, exp.Expression) for c in found.values()):
        return None
    return found


def parse_classes() -> dict[str, type[exp.Expression]]:
    """The SQLGlot class each Trino function name parses into, found by parsing."""
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
def unsupported_classes() -> dict[type[exp.Expression], str]:
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
# SHOW FUNCTIONS
# --------------------------------------------------------------------------------------

_WINDOW = {"cume_dist", "dense_rank", "first_value", "lag", "last_value", "lead", "nth_value",
           "ntile", "percent_rank", "rank", "row_number"}
_AGGREGATE_NAMES = {"approx_most_frequent", "every", "geometric_mean", "histogram", "map_agg",
                    "make_set_digest", "merge_set_digest"}
_NONDETERMINISTIC = {"rand", "random", "shuffle", "uuid", "now", "current_timestamp",
                     "current_date", "localtimestamp"}
# syntax (special forms), not listed by Trino's SHOW FUNCTIONS
_NOT_FUNCTIONS = {"cast", "try_cast", "coalesce", "current_timestamp", "extract", "format", "if",
                  "localtimestamp", "nullif", "position", "try"}


def function_kind(name: str) -> str:
    """scalar | aggregate | window, as SHOW FUNCTIONS names a function's type."""
    if name in _WINDOW:
        return "window"
    cls = _classes_by_name().get(name)
    if name in _AGGREGATE_NAMES or (cls is not None and issubclass(cls, exp.AggFunc)):
        return "aggregate"
    return "scalar"


def listed_functions() -> list[tuple[str, str, bool]]:
    """(name, kind, deterministic) of every function Parthenon runs, by name."""
    return [(n, function_kind(n), n not in _NONDETERMINISTIC)
            for n in sorted(SUPPORTED_FUNCTIONS - _NOT_FUNCTIONS)]


def write_known_classes() -> None:
    """Record parse_classes() for the installed SQLGlot in known_classes.py."""
    from pathlib import Path
    parsed = parse_classes()
    rows = "".join(f"    {n!r}: {parsed[n].__name__ if n in parsed else None!r},\n" for n in sorted(TRINO_FUNCTIONS))
    Path(__file__).with_name("known_classes.py").write_text(
        '"""The SQLGlot class of each Trino function name (functions.parse_classes), recorded\n'
        'for one SQLGlot version so that a process need not parse ~500 names before its first\n'
        'query.  Used only with that version and these names; tests/test_function_classes.py\n'
        'checks it.  Written by: .venv/bin/python -m parthenon.sql.trino.known_classes\n"""\n'
        f"SQLGLOT_VERSION = {sqlglot.__version__!r}\n"
        "# the name of each one's class in sqlglot.exp, None: it has none of its own\n"
        f"CLASSES: dict[str, str | None] = {{\n{rows}}}\n\n"
        'if __name__ == "__main__":     # write this file again\n'
        "    from parthenon.sql.trino.functions import write_known_classes\n"
        "    write_known_classes()\n")
