"""From a query's AST to engine scans: resolve tables and views, prune, list files.

Each catalog table the query names is replaced by an engine view over the
files of its surviving partitions; views are replaced by their query.  What
the engine finally runs can read nothing but those files.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlglot import exp

from . import formats, partitions, storage
from .catalog import information_schema
from .catalog.model import CATALOG, Table
from .catalog.store import CatalogStore
from .errors import ParthenonError, SchemaNotFound, SqlSyntaxError, TableNotFound
from .formats.scan import Scan, ScanFile, columns_only
from .partitions.pruning import MatchingPartitions
from .sql.early_filters import early_filters
from .sql.guard import check_query
from .sql.locate import position
from .sql.parser import parse_statement
from .storage import symlinks
from .storage.folder_sets import list_each

MAX_VIEW_DEPTH = 32
# Athena's hidden columns of every table: where each row was read from, in Trino's types
HIDDEN_COLUMNS = ("$path", "$file_size", "$file_modified_time")


@dataclass
class PlannedScan:
    name: str          # the engine view that stands for the table
    table: Table
    scan: Scan


def used_names(ast: exp.Expression) -> set[str] | None:
    """Every name the planned query mentions (lower case), or None if it selects `*`.

    Columnar formats read only the columns whose names appear here; a name
    that is also an alias or a struct field only makes them read more.
    """
    for star in ast.find_all(exp.Star):
        if not isinstance(star.parent, exp.Count):
            return None
    if any("NATURAL" in str(j.args.get("method") or "").upper() for j in ast.find_all(exp.Join)):
        return None     # compares columns it does not name
    if any(t.meta.get("match_recognize") is not None for t in ast.find_all(exp.Table)):
        return None     # a MATCH_RECOGNIZE clause names its columns outside the tree (and
        # ALL ROWS PER MATCH returns every input column)
    return {i.name.lower() for i in ast.find_all(exp.Identifier)}


def hidden_columns(ast: exp.Expression, alias: str) -> list[str]:
    """The hidden columns a query names for the table known as `alias` (a column with no
    table named counts for every table)."""
    named = {c.name.lower() for c in ast.find_all(exp.Column)
             if c.name.lower() in HIDDEN_COLUMNS and (not c.table or c.table.lower() == alias)}
    return [h for h in HIDDEN_COLUMNS if h in named]


def _star_without_hidden(node: exp.Table, table: Table, alias: str) -> None:
    """Trino's `*` does not show hidden columns: `SELECT *` over the table alone, and
    `alias.*`, become its columns by name."""
    select = node.find_ancestor(exp.Select)
    if select is None:
        return
    alone = not select.args.get("joins")
    for item in list(select.expressions):
        star = isinstance(item, exp.Star) and alone
        qualified = isinstance(item, exp.Column) and isinstance(item.this, exp.Star) and \
            item.table.lower() == alias
        if star or qualified:
            columns = [exp.column(c.name, table=alias if qualified else None, quoted=True)
                       for c in table.all_columns]
            index = select.expressions.index(item)
            select.set("expressions", select.expressions[:index] + columns +
                       select.expressions[index + 1:])


def _hidden_values(f: ScanFile | None) -> dict[str, exp.Expression]:
    if f is None:     # no file: no row, but the columns keep their types
        return {"$path": exp.cast(exp.null(), "VARCHAR"), "$file_size": exp.cast(exp.null(), "BIGINT"),
                "$file_modified_time": exp.cast(exp.null(), "TIMESTAMP(3) WITH TIME ZONE")}
    when = datetime.datetime.fromtimestamp(storage.modified(f.obj.url), datetime.timezone.utc)
    return {"$path": exp.cast(exp.Literal.string(f.obj.url), "VARCHAR"),
            "$file_size": exp.cast(exp.Literal.number(f.obj.size), "BIGINT"),
            "$file_modified_time": exp.cast(exp.Literal.string(
                when.strftime("%Y-%m-%d %H:%M:%S.") + f"{when.microsecond // 1000:03d} UTC"),
                "TIMESTAMP(3) WITH TIME ZONE")}


def struct_fields_used(ast: exp.Expression, columns: set[str]) -> dict[str, set[str] | None]:
    """For each of `columns` the query names, the first-level fields it reads; None = all.

    `useridentity.arn` reads one field; a bare `useridentity` (selected, cast,
    subscripted, compared) reads them all.  A name that only looks like a
    field (a table alias) makes the reader type one field more, never less.
    """
    used: dict[str, set[str] | None] = {}
    for col in ast.find_all(exp.Column):
        parts = [p.name.lower() for p in (col.args.get(k) for k in ("catalog", "db", "table", "this"))
                 if isinstance(p, exp.Identifier)]
        for i, part in enumerate(parts):
            if part not in columns:
                continue
            if i == len(parts) - 1:
                used[part] = None
            elif used.get(part, set()) is not None:
                used.setdefault(part, set()).add(parts[i + 1])
    return used


def names_a_cte(table: exp.Table) -> bool:
    """Whether an unqualified table name refers to a CTE visible where it stands.

    Scoped as SQL scopes it: a CTE is visible inside the query that owns its WITH, and a
    CTE's body sees the CTEs defined before it (itself too under WITH RECURSIVE).  A name
    that only matches a CTE elsewhere in the statement is a catalog table: treating it
    as a CTE would hand it to the engine unresolved, where it could reach the engine's
    own catalog functions (`duckdb_databases`) or replacement scans.
    """
    if table.args.get("db"):
        return False
    name, node = table.name.lower(), table
    while node.parent is not None:
        parent = node.parent
        if isinstance(parent, exp.With):
            ctes = parent.expressions
            index = next(i for i, c in enumerate(ctes) if c is node)
            visible = ctes[:index + 1] if parent.args.get("recursive") else ctes[:index]
            if any(c.alias_or_name.lower() == name for c in visible):
                return True
        else:
            with_ = parent.args.get("with_") if isinstance(parent, exp.Query) else None
            if with_ is not None and with_ is not node and \
                    any(c.alias_or_name.lower() == name for c in with_.expressions):
                return True
        node = parent
    return False


class Planner:
    def __init__(self, store: CatalogStore, database: str, matching_partitions: MatchingPartitions,
                 read_data: bool = True):
        self.store = store
        self.read_data = read_data   # False: check names and types only, list no storage
        self.database = database
        self.matching_partitions = matching_partitions   # the engine's Backend.matching_partitions
        self.scans: list[PlannedScan] = []

    def plan(self, ast: exp.Expression, text: str) -> exp.Expression:
        """Replace catalog references in `ast` (in place where possible) and return it."""
        ast = self._plan(ast, text)
        needed = used_names(ast)
        for planned in self.scans:
            planned.scan.needed_columns = None if needed is None else \
                {c.name for c in planned.table.columns if c.name in needed}
            if needed is not None:
                planned.scan.needed_fields = struct_fields_used(ast, planned.scan.needed_columns)
        return ast

    def _plan(self, ast: exp.Expression, text: str, depth: int = 0) -> exp.Expression:
        for table_node in list(ast.find_all(exp.Table)):
            if not isinstance(table_node.this, exp.Identifier):
                continue    # table functions: refused earlier by the guard
            name = table_node.name.lower()
            if names_a_cte(table_node) or table_node.meta.get("match_recognize") is not None:
                continue    # (a MATCH_RECOGNIZE clause stands there: sql/trino/match_recognize)
            db = (table_node.args.get("db").name if table_node.args.get("db") else self.database).lower()
            if db == information_schema.SCHEMA:
                described = information_schema.relation(self.store, name)
                if described is not None:
                    table_node.replace(exp.Subquery(this=described, alias=exp.TableAlias(
                        this=exp.to_identifier(table_node.alias or name))))
                    continue
                line, col = position(text, table_node)
                raise TableNotFound(f"Table '{CATALOG}.{db}.{name}' does not exist", line, col)
            table = self.store.get_table(db, name)
            if table is None:
                line, col = position(text, table_node)
                if self.store.get_database(db) is None:
                    line, col = position(text, table_node.args["db"]) if table_node.args.get("db") \
                        else (line, col)
                    raise SchemaNotFound(f"Schema '{db}' does not exist", line, col)
                raise TableNotFound(f"Table '{CATALOG}.{db}.{name}' does not exist", line, col)
            alias = table_node.alias or name
            if table.is_view:
                replacement = self._view(table, depth)
            else:
                hidden = hidden_columns(ast, alias)
                replacement = self._with_hidden(table, table_node, alias, hidden) if hidden \
                    else self._scan(table, table_node, alias)
            replacement = exp.Subquery(this=replacement, alias=exp.TableAlias(
                this=exp.to_identifier(alias))) if table.is_view else replacement
            if table_node is ast:
                return replacement
            table_node.replace(replacement)
        return ast

    def _view(self, view: Table, depth: int) -> exp.Expression:
        if depth >= MAX_VIEW_DEPTH:
            raise SqlSyntaxError(f"View {view.qualified_name} is nested too deeply (a view refers to itself?)")
        try:
            inner = parse_statement(view.view_sql or "")
            check_query(inner, view.view_sql)   # a stored view obeys the same rules as a query
        except ParthenonError as e:
            raise type(e)(f"View {view.qualified_name} is invalid: {e.message}") from None
        saved, self.database = self.database, view.database
        try:
            return self._plan(inner, view.view_sql or "", depth + 1)
        finally:
            self.database = saved

    def _scan(self, table: Table, node: exp.Table, alias: str) -> exp.Expression:
        if self.read_data:
            scan = formats.format_for(table).build_scan(table, self._files(table, node, alias))
            scan.early_filters = early_filters(node, table, alias)
        else:   # names and types only: no format needed, no storage listed
            scan = columns_only(table)
        name = f"__scan_{len(self.scans) + 1}"
        self.scans.append(PlannedScan(name, table, scan))
        return exp.Table(this=exp.to_identifier(name), alias=exp.TableAlias(this=exp.to_identifier(alias)))

    def _with_hidden(self, table: Table, node: exp.Table, alias: str, hidden: list[str]) -> exp.Expression:
        """The table with its hidden columns: one scan per file, each given its file's
        "$path", "$file_size" and "$file_modified_time" as constants, then UNION ALL."""
        _star_without_hidden(node, table, alias)
        files = self._files(table, node, alias) if self.read_data else []
        parts = []
        for f in files or [None]:
            scan = formats.format_for(table).build_scan(table, [f] if f is not None else []) \
                if self.read_data else columns_only(table)
            name = f"__scan_{len(self.scans) + 1}"
            self.scans.append(PlannedScan(name, table, scan))
            values = _hidden_values(f)
            parts.append(exp.select("*", *(exp.alias_(values[h], exp.to_identifier(h, quoted=True))
                                          for h in hidden)).from_(exp.to_identifier(name)))
        union = parts[0]
        for part in parts[1:]:
            union = exp.union(union, part, distinct=False)
        return exp.Subquery(this=union, alias=exp.TableAlias(this=exp.to_identifier(alias)))

    def _files(self, table: Table, node: exp.Table, alias: str) -> list[ScanFile]:
        # The catalog may predate the location rules: they are checked again before listing.
        check = self.store.locations.check_table
        # SymlinkTextInputFormat: the objects listed are manifests; the rows are in the files
        # they name (storage.symlinks)
        manifests = symlinks.is_symlink_table(table.input_format)
        if not table.partition_keys:
            if not table.location:
                return []
            loc = check(table.location)
            objs = storage.list_objects(loc)
            return [ScanFile(obj) for obj in (symlinks.data_files(loc, objs, check) if manifests else objs)]
        select = node.find_ancestor(exp.Select)
        others = set()
        if select is not None:
            others = {t.alias_or_name.lower() for t in select.find_all(exp.Table)
                      if t is not node and t.find_ancestor(exp.Select) is select}
        predicates = partitions.pruning_predicates(select, table, alias, others)
        if partitions.projection.enabled(table):
            # Registered partitions are ignored; only the projected survivors are listed.
            parts = partitions.projection.partitions(table, predicates, self.matching_partitions)
        else:
            parts = self.store.list_partitions(table.database, table.name)
            parts = partitions.prune(parts, table, predicates, self.matching_partitions)
        within = check(table.location) if table.location else None
        # as few requests as the layout allows: one prefix listing, else in parallel
        locs = [check(p.location) for p in parts]
        listings = list_each(locs, within=within)
        if manifests:
            listings = symlinks.data_files_each(list(zip(locs, listings)), check)
        return [ScanFile(obj, p.values) for p, objs in zip(parts, listings) for obj in objs]
