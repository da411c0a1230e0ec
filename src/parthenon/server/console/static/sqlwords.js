// Words the editor highlights and completes: Athena's SQL (Trino queries, Hive DDL).
export const KEYWORDS = `SELECT FROM WHERE GROUP BY ORDER HAVING LIMIT OFFSET FETCH FIRST NEXT ROWS ONLY WITH AS
ON JOIN INNER LEFT RIGHT FULL OUTER CROSS NATURAL USING UNION INTERSECT EXCEPT ALL DISTINCT AND OR
NOT IN IS NULL LIKE ESCAPE BETWEEN EXISTS CASE WHEN THEN ELSE END CAST TRY_CAST ASC DESC NULLS LAST
UNNEST ORDINALITY LATERAL OVER PARTITION RANGE ROW PRECEDING FOLLOWING UNBOUNDED CURRENT WINDOW
FILTER TABLESAMPLE BERNOULLI SYSTEM VALUES TRUE FALSE INTERVAL AT TIME ZONE
CREATE EXTERNAL TABLE VIEW DATABASE SCHEMA IF REPLACE DROP ALTER ADD COLUMNS COLUMN RENAME TO
PARTITIONED CLUSTERED BUCKETS INTO ROW FORMAT SERDE SERDEPROPERTIES STORED INPUTFORMAT OUTPUTFORMAT
LOCATION TBLPROPERTIES DELIMITED FIELDS TERMINATED COLLECTION ITEMS KEYS LINES COMMENT
MSCK REPAIR SHOW TABLES DATABASES SCHEMAS PARTITIONS DESCRIBE EXPLAIN ANALYZE INSERT PREPARE EXECUTE
DEALLOCATE UNLOAD CTAS LIKE RECURSIVE GROUPING SETS CUBE ROLLUP`.split(/\s+/);

export const TYPES = `BOOLEAN TINYINT SMALLINT INT INTEGER BIGINT REAL DOUBLE FLOAT DECIMAL CHAR VARCHAR STRING
VARBINARY BINARY DATE TIMESTAMP JSON ARRAY MAP STRUCT ROW IPADDRESS UUID`.split(/\s+/);

export const FUNCTIONS = `count sum avg min max count_if approx_distinct approx_percentile arbitrary any_value
array_agg bool_and bool_or every max_by min_by stddev stddev_pop stddev_samp variance var_pop var_samp
histogram map_agg multimap_agg checksum geometric_mean listagg
abs ceil ceiling floor round truncate sign mod power pow sqrt cbrt exp ln log log2 log10 rand random
greatest least nullif coalesce if try format
concat length lower upper trim ltrim rtrim lpad rpad replace reverse split split_part strpos position
substr substring starts_with ends_with chr codepoint levenshtein_distance hamming_distance translate
regexp_like regexp_extract regexp_extract_all regexp_replace regexp_split regexp_count regexp_position
url_extract_host url_extract_path url_extract_parameter url_extract_protocol url_extract_query
url_decode url_encode to_hex from_hex to_base64 from_base64 md5 sha1 sha256 sha512 xxhash64 crc32
to_utf8 from_utf8 normalize word_stem
json_extract json_extract_scalar json_parse json_format json_size json_array_length json_array_get
json_array_contains is_json_scalar json_query json_value json_exists
cardinality contains element_at array_join array_distinct array_max array_min array_position
array_remove array_sort array_union array_intersect array_except arrays_overlap concat filter transform
reduce zip zip_with sequence slice flatten shuffle any_match all_match none_match
map map_keys map_values map_concat map_filter map_from_entries map_entries transform_keys transform_values
date date_add date_diff date_format date_parse date_trunc day day_of_week day_of_year dow doy hour minute
month quarter second week year year_of_week from_iso8601_timestamp from_iso8601_date from_unixtime
to_unixtime to_iso8601 now current_date current_timestamp current_time localtimestamp
parse_datetime format_datetime at_timezone with_timezone to_milliseconds parse_duration human_readable_seconds
row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
typeof`.split(/\s+/);
