"""Athena's DDL against the catalog: CREATE/DROP/ALTER, MSCK, and the way into SHOW/DESCRIBE.

Athena reads DDL in Hive's dialect.  SQLGlot's ``athena`` dialect parses
CREATE EXTERNAL TABLE, CREATE VIEW, DROP and DESCRIBE into real ASTs, which we
read here; the rest (CREATE DATABASE with options, ALTER TABLE ADD PARTITION,
MSCK REPAIR TABLE, every SHOW) comes back as a bare ``exp.Command``.  For those
we read the statement's own tokens with ``sql.hive_tokens.HiveTokens`` instead of
patching SQLGlot: the tokens respect quoting and escapes, and keep positions
for ``SYNTAX_ERROR: line L:C`` messages.

Every change is one CatalogStore call, i.e. one SQLite transaction, so a
statement that fails leaves nothing half-written.  Listings (SHOW, DESCRIBE)
are formatted in ``show.py``.
"""
from __future__ import annotations

import re
from typing import Callable

from sqlglot import exp
from sqlglot.tokens import TokenType

from ..errors import (InvalidDdl, InvalidLocation, NotSupported, SqlSyntaxError,
                      TableNotFound)
from ..result import DDL, Result, ResultColumn
from ..sql.hive_tokens import HiveTokens, Spec, tokenize
from . import show
from .model import CATALOG, EXTERNAL_TABLE, VIRTUAL_VIEW, Column, Database, Partition, Table
from .store import CatalogStore

# Called with a view, returns its columns (name, Athena type): only the query layer knows them.
ViewColumns = Callable[[Table], "list[Column]"]

LAZY_SIMPLE_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

# STORED AS <name> -> (serde, input format, output format), Hive's classes for each name.
STORAGE_FORMATS = {
    "TEXTFILE": (LAZY_SIMPLE_SERDE, TEXT_INPUT, TEXT_OUTPUT),
    "PARQUET": ("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"),
    "ORC": ("org.apache.hadoop.hive.ql.io.orc.OrcSerde",
            "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
            "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat"),
    "AVRO": ("org.apache.hadoop.hive.serde2.avro.AvroSerDe",
             "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
             "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat"),
    # Hive calls it JSONFILE; Athena's JSON tables read text files with the Hive JSON SerDe.
    "JSON": ("org.apache.hive.hcatalog.data.JsonSerDe", TEXT_INPUT, TEXT_OUTPUT),
    "SEQUENCEFILE": (LAZY_SIMPLE_SERDE, "org.apache.hadoop.mapred.SequenceFileInputFormat",
                     "org.apache.hadoop.hive.ql.io.HiveSequenceFileOutputFormat"),
    "RCFILE": ("org.apache.hadoop.hive.serde2.columnar.LazyBinaryColumnarSerDe",
               "org.apache.hadoop.hive.ql.io.RCFileInputFormat",
               "org.apache.hadoop.hive.ql.io.RCFileOutputFormat"),
    "ION": ("com.amazon.ionhiveserde.IonHiveSerDe",
            "com.amazon.ionhiveserde.formats.IonInputFormat",
            "com.amazon.ionhiveserde.formats.IonOutputFormat"),
}
STORAGE_FORMATS["JSONFILE"] = STORAGE_FORMATS["JSON"]

# ROW FORMAT DELIMITED clause -> the serde property Hive stores it under.
DELIMITED_PROPERTIES = {
    "fields": "field.delim",
    "escaped": "escape.delim",
    "collection_items": "collection.delim",
    "map_keys": "mapkey.delim",
    "lines": "line.delim",
    "null": "serialization.null.format",
}

# SQLGlot type -> Hive type name, for the types a Hive table column may have.
PRIMITIVE_TYPES = {
    exp.DataType.Type.BOOLEAN: "boolean", exp.DataType.Type.TINYINT: "tinyint",
    exp.DataType.Type.SMALLINT: "smallint", exp.DataType.Type.INT: "int",
    exp.DataType.Type.BIGINT: "bigint", exp.DataType.Type.FLOAT: "float",
    exp.DataType.Type.DOUBLE: "double", exp.DataType.Type.TEXT: "string",
    exp.DataType.Type.BINARY: "binary", exp.DataType.Type.DATE: "date",
    exp.DataType.Type.TIMESTAMP: "timestamp",
}



def execute_ddl(store: CatalogStore, ast: exp.Expression, text: str, database: str, *,
                view_columns: ViewColumns | None = None) -> Result | None:
    """Run a DDL, SHOW, DESCRIBE or MSCK statement; None for a query (and for USE).

    ``text`` is the statement as written (Commands and views need it);
    ``database`` qualifies unqualified names.  USE returns None: switching the
    current database is the session's state, not the catalog's.
    ``view_columns`` lets DESCRIBE / SHOW COLUMNS list a view's columns, which
    only the query layer can resolve; without it they fail for views whose
    columns were not stored.
    """
    database = database.lower()
    if isinstance(ast, (exp.Query, exp.Values, exp.Use)):
        return None
    if isinstance(ast, exp.Create):
        return _create(store, ast, text, database)
    if isinstance(ast, exp.Drop):
        return _drop(store, ast, text, database)
    if isinstance(ast, exp.Describe):
        return _describe(store, ast, database, view_columns)
    if isinstance(ast, (exp.Alter, exp.Command)):
        return _command(store, text, database, view_columns)
    raise _not_supported(text)


# -- dispatch of the statements SQLGlot leaves as text ------------------------------------

def _command(store: CatalogStore, text: str, database: str,
             view_columns: ViewColumns | None) -> Result:
    toks = HiveTokens(text)
    if toks.accept("SHOW"):
        return _show(store, toks, database, view_columns)
    if toks.accept("MSCK"):
        toks.expect("REPAIR")
        toks.expect("TABLE")
        db, name = toks.table_name(database)
        toks.end()
        return _msck_repair(store, db, name)
    if toks.accept("ALTER"):
        if toks.accept("TABLE"):
            return _alter_table(store, toks, database)
        if toks.accept("DATABASE", "SCHEMA"):
            raise NotSupported("ALTER DATABASE is not supported")
    if toks.accept("CREATE"):
        if toks.accept("DATABASE", "SCHEMA"):
            return _create_database(store, toks)
        toks.accept_sequence("OR", "REPLACE")
        if toks.accept("VIEW"):
            # SQLGlot could not read it as Trino SQL, which is what Athena views are.
            raise SqlSyntaxError("cannot read this CREATE VIEW: a view's query is Trino SQL "
                                 '(quote names with "double quotes", not `backticks`)', 1, 1)
    raise _not_supported(text)


def _not_supported(text: str) -> NotSupported:
    """NOT_SUPPORTED naming the statement by its leading keywords."""
    words = [w.upper() for w in
             re.findall(r"[A-Za-z_]+", re.sub(r"--[^\n]*|/\*.*?\*/", " ", text, flags=re.S))[:2]]
    if words[:2] == ["CREATE", "TABLE"] and re.search(r"\bAS\s*\(?\s*(SELECT|WITH)\b", text, re.I):
        return NotSupported("CREATE TABLE AS SELECT is not supported")
    if words[:1] in (["DELETE"], ["UPDATE"], ["MERGE"], ["OPTIMIZE"], ["VACUUM"]):
        return NotSupported(f"{words[0]} is not supported: Athena runs it on Iceberg tables only, "
                            "and Parthenon has no Iceberg tables")
    if words[:1] in (["CREATE"], ["DROP"], ["ALTER"], ["SHOW"], ["INSERT"]):
        return NotSupported(f"{' '.join(words)} is not supported")
    return NotSupported(f"{words[0] if words else 'An empty statement'} is not supported")


# -- databases ------------------------------------------------------------------------

def _create_database(store: CatalogStore, toks: HiveTokens) -> Result:
    """CREATE {DATABASE|SCHEMA} [IF NOT EXISTS] name [COMMENT c] [LOCATION l] [WITH DBPROPERTIES (..)]."""
    if_not_exists = toks.accept_sequence("IF", "NOT", "EXISTS")
    name = toks.name()
    db = Database(name)
    while not toks.at_end():
        if toks.accept("COMMENT"):
            db.comment = toks.string()
        elif toks.accept("LOCATION"):
            db.location = _checked_location(toks.string())
        elif toks.accept("WITH"):
            toks.expect("DBPROPERTIES")
            db.properties = toks.properties()
        else:
            toks.fail("COMMENT, LOCATION or WITH DBPROPERTIES")
    created = store.create_database(db, if_not_exists=if_not_exists)
    return _done(f"Database {name} created" if created else f"Database {name} already exists")


def _drop_database(store: CatalogStore, text: str) -> Result:
    """DROP {DATABASE|SCHEMA} [IF EXISTS] name [RESTRICT|CASCADE]: tables go too with CASCADE."""
    toks = HiveTokens(text)
    toks.expect("DROP")
    toks.expect("DATABASE", "SCHEMA")
    if_exists = toks.accept_sequence("IF", "EXISTS")
    name = toks.name()
    cascade = toks.accept("CASCADE")
    if not cascade:
        toks.accept("RESTRICT")
    toks.end()
    dropped = store.drop_database(name, if_exists=if_exists, cascade=cascade)
    return _done(f"Database {name} dropped" if dropped else f"Database {name} does not exist")


# -- CREATE / DROP of tables and views ---------------------------------------------------

def _create(store: CatalogStore, ast: exp.Create, text: str, database: str) -> Result:
    kind = (ast.args.get("kind") or "").upper()
    if kind in ("DATABASE", "SCHEMA"):
        # SQLGlot only parses the bare form, so read every CREATE DATABASE from its text.
        toks = HiveTokens(text)
        toks.expect("CREATE")
        toks.expect("DATABASE", "SCHEMA")
        return _create_database(store, toks)
    if kind == "VIEW":
        return _create_view(store, ast, text, database)
    if kind == "TABLE":
        if ast.args.get("expression") is not None:
            raise NotSupported("CREATE TABLE AS SELECT is not supported")
        return _create_table(store, ast, database)
    raise NotSupported(f"CREATE {kind} is not supported")


def _create_table(store: CatalogStore, ast: exp.Create, database: str) -> Result:
    props = ast.args.get("properties")
    props = list(props.expressions) if props else []
    if not any(isinstance(p, exp.ExternalProperty) for p in props):
        # Athena creates non-Iceberg tables only as EXTERNAL; Parthenon has no Iceberg tables.
        raise InvalidDdl("Only external tables are supported: use CREATE EXTERNAL TABLE "
                         "(Iceberg tables, created without EXTERNAL, are not supported)")
    schema = ast.this
    target = schema.this if isinstance(schema, exp.Schema) else schema
    db, name = _table_name(target, database)
    columns = [_column(c) for c in schema.expressions] if isinstance(schema, exp.Schema) else []
    if not columns:
        raise InvalidDdl("Either list of columns or a custom serializer should be specified")
    table = Table(database=db, name=name, columns=columns, table_type=EXTERNAL_TABLE)
    _apply_table_properties(table, props)
    _check_column_names(table)
    _fill_storage_defaults(table)
    created = store.put_table(table, if_not_exists=bool(ast.args.get("exists")))
    return _done(f"Table {db}.{name} created" if created else f"Table {db}.{name} already exists")


def _apply_table_properties(table: Table, props: list[exp.Expression]) -> None:
    """Copy each clause after the column list onto the Table."""
    for prop in props:
        if isinstance(prop, exp.ExternalProperty):
            continue
        elif isinstance(prop, exp.SchemaCommentProperty):
            table.comment = prop.this.name
        elif isinstance(prop, exp.PartitionedByProperty):
            table.partition_keys = _partition_columns(prop.this)
        elif isinstance(prop, exp.RowFormatSerdeProperty):
            table.serde = prop.this.name
            table.serde_properties.update(_serde_properties(prop.args.get("serde_properties")))
        elif isinstance(prop, exp.SerdeProperties):      # WITH SERDEPROPERTIES after STORED AS
            table.serde_properties.update(_serde_properties(prop))
        elif isinstance(prop, exp.RowFormatDelimitedProperty):
            _apply_delimited(table, prop)
        elif isinstance(prop, exp.FileFormatProperty):
            _apply_stored_as(table, prop)
        elif isinstance(prop, exp.LocationProperty):
            table.location = _checked_location(prop.this.name)
        elif isinstance(prop, exp.ClusteredByProperty):
            # Bucketing changes how a table is written, never how it is read: accept, ignore.
            continue
        elif isinstance(prop, exp.Property) and isinstance(prop.this, exp.Literal):
            table.table_properties[prop.this.name] = _literal_text(prop.args["value"])
        else:
            raise NotSupported(f"Clause not supported in CREATE EXTERNAL TABLE: {prop.sql('hive')}")


def _apply_delimited(table: Table, prop: exp.RowFormatDelimitedProperty) -> None:
    """ROW FORMAT DELIMITED is LazySimpleSerDe with Hive's delimiter properties."""
    table.serde = LAZY_SIMPLE_SERDE
    table.row_format_delimited = True
    for clause, key in DELIMITED_PROPERTIES.items():
        value = prop.args.get(clause)
        if value is not None:
            table.serde_properties[key] = value.name
    if "field.delim" in table.serde_properties:
        # Hive also records the field delimiter as serialization.format.
        table.serde_properties["serialization.format"] = table.serde_properties["field.delim"]


def _apply_stored_as(table: Table, prop: exp.FileFormatProperty) -> None:
    fmt = prop.this
    if isinstance(fmt, exp.InputOutputFormat):
        table.input_format = fmt.args["input_format"].name
        table.output_format = fmt.args["output_format"].name
        return
    name = fmt.name.upper()
    if name not in STORAGE_FORMATS:
        raise InvalidDdl(f"Unrecognized file format in STORED AS clause: '{fmt.name}' "
                         f"(expected one of {', '.join(sorted(STORAGE_FORMATS))})")
    table.stored_as = "JSON" if name == "JSONFILE" else name
    serde, table.input_format, table.output_format = STORAGE_FORMATS[name]
    table.serde = table.serde or serde    # an explicit ROW FORMAT SERDE wins


def _fill_storage_defaults(table: Table) -> None:
    """Hive's defaults (LazySimpleSerDe, text files), and the format's name when the classes tell it.

    STORED AS INPUTFORMAT/OUTPUTFORMAT naming a known format's classes is that format
    (SHOW CREATE TABLE always prints this form, so its DDL reads back the same).
    """
    if table.input_format is None:
        table.input_format, table.output_format = TEXT_INPUT, TEXT_OUTPUT
    table.serde = table.serde or LAZY_SIMPLE_SERDE
    if table.stored_as is None:
        classes = (table.serde, table.input_format, table.output_format)
        table.stored_as = next((name for name, known in STORAGE_FORMATS.items() if known == classes),
                               None) or \
            next((name for name, known in STORAGE_FORMATS.items() if known[1:] == classes[1:]), None)


def _check_column_names(table: Table) -> None:
    seen: set[str] = set()
    for col in table.columns:
        if col.name in seen:
            raise InvalidDdl(f"Duplicate column name: {col.name}")
        seen.add(col.name)
    for col in table.partition_keys:
        if col.name in seen:
            raise InvalidDdl(f"Column repeated in partitioning columns: {col.name}")
        seen.add(col.name)


def _column(coldef: exp.Expression) -> Column:
    if not isinstance(coldef, exp.ColumnDef) or coldef.args.get("kind") is None:
        raise InvalidDdl(f"Column {coldef.sql('hive')} needs a type, e.g. {coldef.sql('hive')} string")
    comment = None
    for constraint in coldef.args.get("constraints") or []:
        if isinstance(constraint.kind, exp.CommentColumnConstraint):
            comment = constraint.kind.this.name
        else:
            raise InvalidDdl(f"Column constraints are not supported in Hive DDL: "
                             f"{constraint.sql('hive')} on column {coldef.name}")
    return Column(coldef.name.lower(), hive_type(coldef.args["kind"], coldef.name), comment)


def _partition_columns(schema: exp.Expression) -> list[Column]:
    return [_column(c) for c in schema.expressions]


def hive_type(dtype: exp.DataType, column: str) -> str:
    """Hive's type text, lower case and without spaces: struct<a:string,b:array<int>>."""
    kind = dtype.this
    params = [p.this.name if isinstance(p, exp.DataTypeParam) else p for p in dtype.expressions]
    T = exp.DataType.Type
    if kind in PRIMITIVE_TYPES:
        return PRIMITIVE_TYPES[kind]
    if kind == T.DECIMAL:
        precision = params[0] if params else "10"     # Hive's default decimal is decimal(10,0)
        scale = params[1] if len(params) > 1 else "0"
        if not 1 <= int(precision) <= 38 or not 0 <= int(scale) <= int(precision):
            raise InvalidDdl(f"Invalid decimal({precision},{scale}) for column {column}: "
                             "precision must be 1-38 and scale at most the precision")
        return f"decimal({precision},{scale})"
    if kind in (T.CHAR, T.VARCHAR):
        if len(params) != 1:
            raise InvalidDdl(f"{kind.value.lower()} needs a length for column {column}, "
                             f"e.g. {kind.value.lower()}(255)")
        return f"{kind.value.lower()}({params[0]})"
    if kind == T.ARRAY:
        return f"array<{hive_type(dtype.expressions[0], column)}>"
    if kind == T.MAP:
        key, value = dtype.expressions
        return f"map<{hive_type(key, column)},{hive_type(value, column)}>"
    if kind == T.STRUCT:
        fields = [f"{f.name.lower()}:{hive_type(f.args['kind'], column)}" for f in dtype.expressions]
        return f"struct<{','.join(fields)}>"
    raise InvalidDdl(f"Unknown type '{dtype.sql('hive').lower()}' for column {column}")


def _serde_properties(node: exp.Expression | None) -> dict[str, str]:
    if node is None:
        return {}
    return {p.this.name: _literal_text(p.args["value"]) for p in node.expressions}


def _literal_text(node: exp.Expression) -> str:
    if isinstance(node, exp.Concat) and all(isinstance(e, exp.Literal) for e in node.expressions):
        # Hive joins adjacent string literals: 'yyyy-MM-dd''T''HH' is 'yyyy-MM-ddTHH'
        return "".join(e.name for e in node.expressions)
    return node.name if isinstance(node, exp.Literal) else node.sql("hive")


def _create_view(store: CatalogStore, ast: exp.Create, text: str, database: str) -> Result:
    if isinstance(ast.this, exp.Schema):
        raise NotSupported("CREATE VIEW with a column list is not supported: "
                           "name the columns with aliases in the query")
    if not isinstance(ast.args.get("expression"), exp.Query):
        raise InvalidDdl("CREATE VIEW needs a query: CREATE VIEW name AS SELECT ...")
    db, name = _table_name(ast.this, database)
    view = Table(database=db, name=name, columns=[], table_type=VIRTUAL_VIEW,
                 view_sql=_view_query_text(text))
    store.put_table(view, replace=bool(ast.args.get("replace")))
    return _done(f"View {db}.{name} created")


def _view_query_text(text: str) -> str:
    """The query after CREATE VIEW ... AS, exactly as written (views keep their text)."""
    tokens = tokenize(text, "athena")   # the tokens the parser saw
    depth = 0
    for tok in tokens:
        if tok.token_type == TokenType.L_PAREN:
            depth += 1
        elif tok.token_type == TokenType.R_PAREN:
            depth -= 1
        elif tok.token_type == TokenType.ALIAS and depth == 0:
            return text[tok.end + 1:].strip().rstrip(";").strip()
    raise InvalidDdl("CREATE VIEW needs a query: CREATE VIEW name AS SELECT ...")


def _drop(store: CatalogStore, ast: exp.Drop, text: str, database: str) -> Result:
    kind = (ast.args.get("kind") or "").upper()
    if kind in ("DATABASE", "SCHEMA"):
        return _drop_database(store, text)
    if kind not in ("TABLE", "VIEW"):
        raise NotSupported(f"DROP {kind} is not supported")
    db, name = _table_name((ast.args.get("tables") or [ast.this])[0], database)
    dropped = store.drop_table(db, name, if_exists=bool(ast.args.get("exists")), view=kind == "VIEW")
    noun = kind.capitalize()
    return _done(f"{noun} {db}.{name} dropped" if dropped else f"{noun} {db}.{name} does not exist")


# -- partitions -------------------------------------------------------------------------

def _alter_table(store: CatalogStore, toks: HiveTokens, database: str) -> Result:
    db, name = toks.table_name(database)
    if toks.accept("ADD"):
        if toks.peek_word() == "COLUMNS":
            raise NotSupported("ALTER TABLE ADD COLUMNS is not supported")
        return _add_partitions(store, toks, db, name)
    if toks.accept("DROP"):
        return _drop_partitions(store, toks, db, name)
    action = " ".join(toks.rest_words()[:2]) or "without an action"
    raise NotSupported(f"ALTER TABLE {action} is not supported")


def _add_partitions(store: CatalogStore, toks: HiveTokens, db: str, name: str) -> Result:
    """ADD [IF NOT EXISTS] PARTITION (spec) [LOCATION l] [PARTITION ...]: all or nothing."""
    if_not_exists = toks.accept_sequence("IF", "NOT", "EXISTS")
    written = []                       # read the whole statement before looking anything up
    while True:
        toks.expect("PARTITION")
        spec = toks.partition_spec()
        written.append((spec, toks.string() if toks.accept("LOCATION") else None))
        toks.accept(",")
        if toks.at_end():
            break
    table = _partitioned_table(store, db, name)
    partitions = []
    for spec, location in written:
        values = _full_spec(table, spec)
        location = _checked_location(location) if location is not None else \
            _default_location(table, values)
        partitions.append(Partition(values, location))
    added = store.add_partitions(db, name, partitions, if_not_exists=if_not_exists)
    return _done(f"Added {added} partition{'s' * (added != 1)} to {db}.{name}")


def _drop_partitions(store: CatalogStore, toks: HiveTokens, db: str, name: str) -> Result:
    """DROP [IF EXISTS] PARTITION (spec)[, PARTITION (spec)]: a partial spec drops every match."""
    if_exists = toks.accept_sequence("IF", "EXISTS")
    written = []
    while True:
        toks.expect("PARTITION")
        written.append(toks.partition_spec())
        if not toks.accept(","):
            break
    toks.end()
    table = _partitioned_table(store, db, name)
    existing = [p.values for p in store.list_partitions(db, name)]
    doomed: dict[tuple[str, ...], None] = {}
    for spec in (_checked_spec(table, w) for w in written):
        matches = [v for v in existing if all(v[i] == value for i, value in spec.items())]
        if not matches and not if_exists:
            raise InvalidDdl(f"Partition not found: {db}.{name} "
                             f"{{{show.spec_text(table.partition_keys, spec)}}}")
        doomed.update(dict.fromkeys(matches))
    dropped = store.drop_partitions(db, name, list(doomed), if_exists=True)
    return _done(f"Dropped {dropped} partition{'s' * (dropped != 1)} from {db}.{name}")


def _partitioned_table(store: CatalogStore, db: str, name: str) -> Table:
    table = store.require_table(db, name)
    if table.is_view:
        raise InvalidDdl(f"{db}.{name} is a view: views have no partitions")
    return table


# A partition spec as written: [(key, value, (line, column) of the key)].


def _checked_spec(table: Table, spec: Spec) -> dict[int, str]:
    """{key index: value} of a partition spec, every key a partition column, none twice."""
    keys = [k.name for k in table.partition_keys]
    written = ", ".join(f"{k}={v}" for k, v, _ in spec)
    if not keys:
        raise InvalidDdl(f"Table {table.qualified_name} is not partitioned "
                         f"but partition spec exists: {{{written}}}")
    checked: dict[int, str] = {}
    for key, value, where in spec:
        if key not in keys:
            raise InvalidDdl(f"Partition spec {{{written}}} contains non-partition column '{key}': "
                             f"the partition columns of {table.qualified_name} are ({', '.join(keys)})",
                             *where)
        index = keys.index(key)
        if index in checked:
            raise InvalidDdl(f"Partition spec {{{written}}} names partition column '{key}' twice",
                             *where)
        if value == "":
            raise InvalidDdl(f"Partition spec {{{written}}} has an empty value for '{key}'",
                             *where)
        checked[index] = value
    return checked


def _full_spec(table: Table, spec: Spec) -> tuple[str, ...]:
    """Values in partition-key order; ADD PARTITION must give every key."""
    checked = _checked_spec(table, spec)
    keys = [k.name for k in table.partition_keys]
    for i, key in enumerate(keys):
        if i not in checked:
            written = ", ".join(f"{k}={v}" for k, v, _ in spec)
            raise InvalidDdl(f"Partition spec {{{written}}} is missing partition column '{key}': "
                             f"the partition columns of {table.qualified_name} are ({', '.join(keys)})")
    return tuple(checked[i] for i in range(len(keys)))


def _default_location(table: Table, values: tuple[str, ...]) -> str:
    """Hive's default: <table location>/k1=v1/k2=v2/ with path characters escaped."""
    if not table.location:
        raise InvalidDdl(f"Table {table.qualified_name} has no LOCATION: "
                         "give each partition one with PARTITION (...) LOCATION '...'")
    return f"{table.location.rstrip('/')}/{show.partition_name(table.partition_keys, values)}/"


def _msck_repair(store: CatalogStore, db: str, name: str) -> Result:
    """Add the k1=v1/k2=v2/ folders under the table's location that the catalog lacks."""
    from ..partitions.discovery import discover   # imported on use: storage pulls in boto3

    table = _partitioned_table(store, db, name)
    lines: list[str] = []
    seen = 0
    if table.partition_keys:
        if not table.location:
            raise InvalidDdl(f"Table {db}.{name} has no LOCATION to scan for partitions")
        found = discover(table)
        seen = found.folders_seen
        existing = {p.values for p in store.list_partitions(db, name)}
        # Hive reports them in partition-name order.
        missing = sorted((v for v in found.found if v not in existing),
                         key=lambda v: show.partition_name(table.partition_keys, v))
        if missing:
            store.add_partitions(db, name, [Partition(v, found.found[v]) for v in missing],
                                 if_not_exists=True)
            names = [f"{name}:{show.partition_name(table.partition_keys, v)}" for v in missing]
            lines.append("Partitions not in metastore:\t" + "\t".join(names))
            lines.extend(f"Repair: Added partition to metastore {n}" for n in names)
    added = max(0, len(lines) - 1)
    return Result.from_rows([ResultColumn("result", "string")], [(line,) for line in lines],
                            statement_type=DDL,
                            message=f"Added {added} partition{'s' * (added != 1)} to {db}.{name} "
                                    f"(looked at {seen} folder{'s' * (seen != 1)})")


# -- SHOW and DESCRIBE ----------------------------------------------------------------------

def _show(store: CatalogStore, toks: HiveTokens, database: str,
          view_columns: ViewColumns | None) -> Result:
    if toks.accept("DATABASES", "SCHEMAS"):
        pattern = toks.string() if toks.accept("LIKE") else None
        toks.end()
        return show.show_databases(store, pattern)
    if toks.accept("TABLES", "VIEWS"):
        views_only = toks.previous_word() == "VIEWS"
        db = toks.name() if toks.accept("IN", "FROM") else database
        pattern = None
        if toks.accept("LIKE") or toks.peek_is_string():
            pattern = toks.string()
        toks.end()
        return show.show_tables(store, db, pattern, views_only=views_only)
    if toks.accept("PARTITIONS"):
        db, name = toks.table_name(database)
        toks.end()
        return show.show_partitions(store, db, name)
    if toks.accept("COLUMNS"):
        toks.expect("IN", "FROM")
        db, name = toks.table_name(database)
        if toks.accept("IN", "FROM"):
            db = toks.name()
        toks.end()
        return show.show_columns(store, db, name, view_columns)
    if toks.accept("CREATE"):
        kind = toks.expect("TABLE", "VIEW")
        db, name = toks.table_name(database)
        toks.end()
        return show.show_create(store, db, name, view=kind == "VIEW")
    if toks.accept("TBLPROPERTIES"):
        db, name = toks.table_name(database)
        key = None
        if toks.accept("("):
            key = toks.string()
            toks.expect(")")
        toks.end()
        return show.show_tblproperties(store, db, name, key)
    raise NotSupported(f"SHOW {' '.join(toks.rest_words()[:1])} is not supported".rstrip())


def _describe(store: CatalogStore, ast: exp.Describe, database: str,
              view_columns: ViewColumns | None) -> Result:
    if (ast.args.get("kind") or "").upper() == "TABLE":
        # Athena reads DESCRIBE TABLE t as describing a table named "table".
        raise TableNotFound("Table not found table (the syntax is DESCRIBE t, not DESCRIBE TABLE t)")
    if ast.args.get("partition") is not None:
        raise NotSupported("DESCRIBE ... PARTITION is not supported")
    if not isinstance(ast.this, exp.Table):
        raise NotSupported(f"DESCRIBE {ast.this.sql('athena')} is not supported")
    db, name = _table_name(ast.this, database)
    style = (ast.args.get("style") or "").upper() or None
    return show.describe(store, db, name, style, view_columns)


# -- names, locations, results -------------------------------------------------------------

def _table_name(table: exp.Expression, database: str) -> tuple[str, str]:
    """(database, name) of [catalog.][db.]name, lower case as Athena stores them."""
    if not isinstance(table, exp.Table) or not table.name:
        raise SqlSyntaxError(f"expected a table name, got {table.sql('athena')!r}")
    catalog = table.catalog
    if catalog and catalog.lower() != CATALOG:
        raise NotSupported(f"Catalog '{catalog}' is not supported: Parthenon has one catalog, "
                           f"{CATALOG}")
    db, name = table.db, table.name
    if not db and "." in name:
        # Hive reads `db.table` in backticks as database and table (the S3 access log DDL does this)
        db, name = name.split(".", 1)
    return (db or database).lower(), name.lower()


def _checked_location(location: str) -> str:
    """Athena wants s3:// URLs; Parthenon also reads local folders (file:// or absolute paths)."""
    ok = (re.match(r"s3://[^/\s]+", location) or re.match(r"file:///", location)
          or location.startswith("/"))
    if not ok:
        raise InvalidLocation(f"Invalid location '{location}': use s3://bucket/prefix/, "
                              "file:///abs/path/ or an absolute path")
    return location


def _done(message: str) -> Result:
    return Result.empty(DDL, message=message)
