"""Text-line scans in DuckDB SQL: LazySimpleSerDe's fields, RegexSerDe's groups, Hive's casts.

Lines are read with DuckDB's CSV reader as one VARCHAR per line (a delimiter no line
contains, no quoting); the presented bytes already have Hadoop's line ends (see
formats.textlines), so only CR_MARK is cut off each line here.
"""
from __future__ import annotations

from ....catalog.hive_types import HiveType, parse_hive_type
from ....errors import NotSupported
from ....formats.delimited import ESCAPED_ESCAPE, placeholder
from ....formats.scan import DelimitedText, RegexText, Scan
from ....formats.textcast import INTEGERS, is_string
from ....formats.textlines import CR_MARK
from ..types import duckdb_type
from .common import partition_options, quote_literal, quote_name

lit = quote_literal
LINE_DELIM = "\x1e\x1f\x1e\x1f"        # a 'field' separator no text line contains
MAX_LINE_BYTES = 128 * 2**20


def lines_sql(scan: Scan, header_lines: int) -> str:
    """SELECT line (VARCHAR, '' for an empty line) and the partition columns, one row per line."""
    options = [
        "columns={'line': 'VARCHAR'}", f"delim={quote_literal(LINE_DELIM)}", "quote=''", "escape=''",
        "header=false", "auto_detect=false", "new_line='\\n'", "strict_mode=false",
        f"max_line_size={MAX_LINE_BYTES}", f"skip={header_lines}", "compression='none'",
        *partition_options(scan.partition_keys),
    ]
    keys = "".join(f", {quote_name(k.name)}" for k in scan.partition_keys)
    line = "coalesce(line, '')"
    line = f"CASE WHEN suffix({line}, {quote_literal(CR_MARK)}) THEN {line}[:-2] ELSE {line} END"
    return f"SELECT {line} AS line{keys} FROM read_csv({{files}}, {', '.join(options)})"


def primitive(expr: str, htype: HiveType) -> str:
    """SQL turning the VARCHAR `expr` (NULL stays NULL) into `htype`, as Hive's text SerDes
    do: a value that does not parse is NULL.  The engine's casts are more lenient than
    Hive's (it reads '1.5' as the integer 2, '1e3' as 1000, 't' as true), so integers and
    booleans are checked first; the other types use TRY_CAST, whose accepted forms are
    close to Hive's (Hive accepts 'NaN' and 'Infinity' for doubles too)."""
    name = htype.name
    if name == "string":
        return expr
    if name in ("varchar", "char"):
        return f"left({expr}, {htype.params[0]})" if htype.params else expr
    if name in INTEGERS:
        return (f"CASE WHEN ltrim({expr}, '+-0123456789') = '' "
                f"THEN TRY_CAST({expr} AS {duckdb_type(htype)}) END")
    if name == "boolean":
        return f"CASE lower({expr}) WHEN 'true' THEN true WHEN 'false' THEN false END"
    if name == "binary":
        return f"encode({expr})"
    if htype.is_nested:
        raise ValueError(f"not a primitive type: {htype.hive()}")
    return f"TRY_CAST({expr} AS {duckdb_type(htype)})"


class _Delimited:
    """SQL for LazySimpleSerDe's fields: `protect` hides escaped escapes and delimiters
    from the splits (as private-use placeholders, formats.delimited), `value` splits and
    types one field, `unescape` restores a value's text."""

    def __init__(self, reading: DelimitedText):
        self.separators, self.escape, self.null = reading.separators, reading.escape, reading.null

    def protect(self, expr: str) -> str:
        """SQL hiding escaped escapes and delimiters from the splits (left-to-right pairing)."""
        if not self.escape:
            return expr
        expr = f"replace({expr}, {lit(self.escape * 2)}, {lit(ESCAPED_ESCAPE)})"
        for level, sep in enumerate(self.separators):
            expr = f"replace({expr}, {lit(self.escape + sep)}, {lit(placeholder(level))})"
        return expr

    def unescape(self, expr: str) -> str:
        if not self.escape:
            return expr
        for level, sep in enumerate(self.separators):
            expr = f"replace({expr}, {lit(placeholder(level))}, {lit(sep)})"
        esc = self.escape.replace("\\", "\\\\").replace("]", "\\]")
        expr = f"regexp_replace({expr}, {lit('[' + esc + ']n')}, chr(10), 'g')"
        expr = f"regexp_replace({expr}, {lit('[' + esc + ']r')}, chr(13), 'g')"
        expr = f"regexp_replace({expr}, {lit('[' + esc + '](.)')}, '\\1', 'gs')"
        return f"replace({expr}, {lit(ESCAPED_ESCAPE)}, {lit(self.escape)})"

    def value(self, expr: str, htype: HiveType, level: int, depth: int = 0) -> str:
        """SQL for one (protected) field `expr` of type `htype`; `level` indexes the separators."""
        null_test = f"{expr} IS NULL OR {expr} = {lit(self.null)}"
        if not htype.is_nested:
            return f"CASE WHEN {null_test} THEN NULL ELSE {primitive(self.unescape(expr), htype)} END"
        if level + 1 >= len(self.separators):
            raise NotSupported(f"Type nested too deeply for a text table: {htype.hive()}")
        sep = lit(self.separators[level])
        var = f"x{depth}"
        if htype.name == "array":
            item = self.value(var, htype.items[0], level + 1, depth + 1)
            return (f"CASE WHEN {null_test} THEN NULL WHEN {expr} = '' THEN [] ELSE "
                    f"list_transform(string_split({expr}, {sep}), lambda {var}: {item}) END")
        if htype.name == "map":
            kv = lit(self.separators[level + 1])
            key = self.value(f"split_part({var}, {kv}, 1)", htype.items[0], level + 2, depth + 1)
            val = self.value(f"CASE WHEN strpos({var}, {kv}) > 0 THEN {var}[strpos({var}, {kv}) + 1:] END",
                             htype.items[1], level + 2, depth + 1)
            entries = f"list_transform(string_split({expr}, {sep}), lambda {var}: struct_pack(k := {key}, v := {val}))"
            e, i = f"e{depth}", f"i{depth}"
            # Engine maps refuse NULL and repeated keys: drop them (the first of a key wins).
            kept = (f"list_filter({entries}, lambda {e}, {i}: {e}.k IS NOT NULL AND "
                    f"list_position(list_transform({entries}, lambda {var}: {var}.k), {e}.k) = {i})")
            return f"CASE WHEN {null_test} THEN NULL WHEN {expr} = '' THEN MAP {{}} ELSE map_from_entries({kept}) END"
        parts = f"p{depth}"
        fields = ", ".join(f"{quote_name(name)} := {self.value(f'{parts}[{i + 1}]', ftype, level + 1, depth + 1)}"
                           for i, (name, ftype) in enumerate(htype.fields))
        return (f"CASE WHEN {null_test} THEN NULL ELSE list_transform([string_split({expr}, {sep})], "
                f"lambda {parts}: struct_pack({fields}))[1] END")


def delimited_sql(scan: Scan, reading: DelimitedText) -> str:
    dialect = _Delimited(reading)
    fields = f"string_split({dialect.protect('line')}, {lit(dialect.separators[0])})"
    select = [f"{dialect.value(f'f[{i + 1}]', parse_hive_type(col.type), 1)} AS {quote_name(col.name)}"
              for i, col in enumerate(scan.columns)]
    select += [quote_name(k.name) for k in scan.partition_keys]
    keys = "".join(f", {quote_name(k.name)}" for k in scan.partition_keys)
    return (f"SELECT {', '.join(select)} FROM (SELECT {fields} AS f{keys} "
            f"FROM ({lines_sql(scan, reading.header_lines)}))")


def regex_sql(scan: Scan, reading: RegexText) -> str:
    """One regex evaluation per line does the work: the pattern is wrapped in an extra
    group spanning the whole line, which is non-empty exactly when a non-empty line
    matched."""
    regex = reading.regex
    names = ", ".join(lit(f"g{i}") for i in range(regex.groups + 1))
    whole = regex.wrap(f"({regex.body()})")
    ok = [f"(m.g0 <> '' OR (line = '' AND regexp_full_match(line, {lit(regex.full)})))"]
    for must_match, prefix in regex.lookaheads:
        ok.append(f"{'' if must_match else 'NOT '}regexp_matches(line, {lit(prefix)})")
    keys = "".join(f", {quote_name(k.name)}" for k in scan.partition_keys)
    select = []
    for col, group in zip(scan.columns, reading.groups):
        htype = parse_hive_type(col.type)
        if group is None:
            select.append(f"CAST(NULL AS {duckdb_type(htype)}) AS {quote_name(col.name)}")
            continue
        took_part = ["ok"]
        if is_string(htype):
            musts, nots = regex.participation(group)
            took_part += [f"regexp_matches(line, {lit(r)})" for r in musts]
            took_part += [f"NOT regexp_matches(line, {lit(r)})" for r in nots]
        value = primitive(f'm."g{group}"', htype)
        select.append(f"CASE WHEN {' AND '.join(took_part)} THEN {value} END AS {quote_name(col.name)}")
    select += [quote_name(k.name) for k in scan.partition_keys]
    matched = (f"SELECT line, m, {' AND '.join(ok)} AS ok{keys} FROM "
               f"(SELECT line, regexp_extract(line, {lit(whole)}, [{names}]) AS m{keys} "
               f"FROM ({lines_sql(scan, reading.header_lines)}))")
    return f"SELECT {', '.join(select)} FROM ({matched})"
