"""CREATE and DROP of databases, tables and views: Hive DDL read into catalog records.

Types are stored as normalized Hive text; ROW FORMAT / STORED AS become the
SerDe and input/output format classes Hive would record, so SHOW CREATE TABLE
reads back to an equal table.
"""
from __future__ import annotations


from sqlglot import exp
from sqlglot.tokens import TokenType

from ..errors import InvalidDdl, NotSupported
from ..result import Result
from ..sql.hive_tokens import HiveTokens, tokenize
from .ddl_support import checked_location, done, table_name
from .model import EXTERNAL_TABLE, VIRTUAL_VIEW, Column, Database, Table
from .store import CatalogStore

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




def create(store: CatalogStore, ast: exp.Create, text: str, database: str) -> Result:
    kind = (ast.args.get("kind") or "").upper()
    if kind in ("DATABASE", "SCHEMA"):
        # SQLGlot only parses the bare form, so read every CREATE DATABASE from its text.
        toks = HiveTokens(text)
        toks.expect("CREATE")
        toks.expect("DATABASE", "SCHEMA")
        return create_database(store, toks)
    if kind == "VIEW":
        return _create_view(store, ast, text, database)
    if kind == "TABLE":     # CREATE TABLE AS SELECT is a write: the session's, never here
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
    db, name = table_name(target, database)
    columns = [column_definition(c) for c in schema.expressions] if isinstance(schema, exp.Schema) else []
    if not columns:
        raise InvalidDdl("Either list of columns or a custom serializer should be specified")
    table = Table(database=db, name=name, columns=columns, table_type=EXTERNAL_TABLE)
    _apply_table_properties(table, props)
    check_column_names(table)
    fill_storage_defaults(table)
    created = store.put_table(table, if_not_exists=bool(ast.args.get("exists")))
    return done(f"Table {db}.{name} created" if created else f"Table {db}.{name} already exists")


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
            table.location = checked_location(prop.this.name)
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


def fill_storage_defaults(table: Table) -> None:
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


def check_column_names(table: Table) -> None:
    seen: set[str] = set()
    for col in table.columns:
        if col.name in seen:
            raise InvalidDdl(f"Duplicate column name: {col.name}")
        seen.add(col.name)
    for col in table.partition_keys:
        if col.name in seen:
            raise InvalidDdl(f"Column repeated in partitioning columns: {col.name}")
        seen.add(col.name)


def column_definition(coldef: exp.Expression) -> Column:
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
    return [column_definition(c) for c in schema.expressions]


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
    db, name = table_name(ast.this, database)
    view = Table(database=db, name=name, columns=[], table_type=VIRTUAL_VIEW,
                 view_sql=_view_query_text(text))
    store.put_table(view, replace=bool(ast.args.get("replace")))
    return done(f"View {db}.{name} created")


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


def drop(store: CatalogStore, ast: exp.Drop, text: str, database: str) -> Result:
    kind = (ast.args.get("kind") or "").upper()
    if kind in ("DATABASE", "SCHEMA"):
        return _drop_database(store, text)
    if kind not in ("TABLE", "VIEW"):
        raise NotSupported(f"DROP {kind} is not supported")
    db, name = table_name((ast.args.get("tables") or [ast.this])[0], database)
    dropped = store.drop_table(db, name, if_exists=bool(ast.args.get("exists")), view=kind == "VIEW")
    noun = kind.capitalize()
    return done(f"{noun} {db}.{name} dropped" if dropped else f"{noun} {db}.{name} does not exist")


# -- databases ------------------------------------------------------------------------

def create_database(store: CatalogStore, toks: HiveTokens) -> Result:
    """CREATE {DATABASE|SCHEMA} [IF NOT EXISTS] name [COMMENT c] [LOCATION l] [WITH DBPROPERTIES (..)]."""
    if_not_exists = toks.accept_sequence("IF", "NOT", "EXISTS")
    name = toks.name()
    db = Database(name)
    while not toks.at_end():
        if toks.accept("COMMENT"):
            db.comment = toks.string()
        elif toks.accept("LOCATION"):
            db.location = checked_location(toks.string())
        elif toks.accept("WITH"):
            toks.expect("DBPROPERTIES")
            db.properties = toks.properties()
        else:
            toks.fail("COMMENT, LOCATION or WITH DBPROPERTIES")
    created = store.create_database(db, if_not_exists=if_not_exists)
    return done(f"Database {name} created" if created else f"Database {name} already exists")


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
    return done(f"Database {name} dropped" if dropped else f"Database {name} does not exist")
