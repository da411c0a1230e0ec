"""INSERT INTO t [(columns)] SELECT ... | VALUES ...

New files only, never a rewrite: each file is named after the query id, in the
table's folder (unpartitioned) or its partition's folder -- the registered
location of a partition that exists, `<table location>/k=v/` for a new one, which
is registered after every file has landed.  A table with partition projection
gets its files where projection reads them (`storage.location.template`) and no
registered partitions: projection ignores them, as Athena does.  Supported for the tables Athena
inserts into: Parquet, ORC, Avro, Hive JSON and LazySimpleSerDe text; the
compression is the table's (parquet.compression, orc.compress, write.compression).
"""
from __future__ import annotations

from sqlglot import exp

from ..catalog.ddl_support import table_name
from ..catalog.model import Partition, Table
from ..errors import NotSupported
from ..formats import JSON_SERDES
from ..partitions import projection
from ..result import Result
from ..sql.analysis import Analysis
from ..storage import symlinks
from . import WriteContext, written
from .ctas import folder
from .files import FORMATS, FileFormat
from .layout import PartitionedWriter, folder_name
from .options import WriteOptions
from .schema import insert_batch, insert_columns, target_schema
from .staging import Undo, WriteJob


def insert_into(session, statement: Analysis, ast: exp.Insert, text: str,
                ctx: WriteContext) -> Result:
    store = session.store
    if statement.target is None:
        raise NotSupported("INSERT needs a table: INSERT INTO t [(columns)] SELECT ... | VALUES ...")
    if ast.args.get("overwrite"):
        raise NotSupported("INSERT OVERWRITE is not supported: Athena appends with INSERT INTO")
    db, name = table_name(statement.target, session.database)
    table = store.require_table(db, name)
    if table.is_view:
        raise NotSupported(f"Inserting into views is not supported: {db}.{name} is a view")
    if not table.location:
        raise NotSupported(f"Table {db}.{name} has no LOCATION to insert into")
    if table.bucketed_by:     # Athena's rule: its buckets would no longer hold what they claim
        raise NotSupported(f"Inserting into bucketed tables is not supported (table {db}.{name})")
    fmt = format_of(table)
    options = WriteOptions(format=fmt, compression=_compression(table, fmt),
                           field_delimiter=table.serde_properties.get("field.delim"),
                           escape="escape.delim" in table.serde_properties)
    listed = [c.name.lower() for c in ast.this.expressions] if isinstance(ast.this, exp.Schema) else None
    location = folder(table.location)
    store.locations.check_table(location)      # the catalog may predate the location rules
    projected = projection.enabled(table)
    existing = {} if projected else \
        {p.values: folder(p.location) for p in store.list_partitions(db, name)}
    keys = table.partition_keys
    checked: dict = {}

    def folder_of(values):
        if values not in checked:       # each partition written to is checked once
            target = folder(projection.written_location(table, values)) if projected else \
                existing.get(values) or location + folder_name(keys, values)
            store.locations.check_table(target)
            checked[values] = target
        return checked[values]
    with session.rows(statement.query, text) as rows:
        positions = insert_columns(table, listed, rows.schema, rows.types)
        schema = target_schema(table.all_columns)
        job = WriteJob(session.home, ctx.query_id, location)
        job.begin()
        writer = PartitionedWriter(fmt, options, table.columns, keys, folder_of, job.staged_path,
                                   ctx.query_id)
        try:
            for batch in rows.batches:
                writer.write(insert_batch(batch, positions, schema))
            out = writer.close()
            new = [] if projected else [Partition(v, url.rstrip("/")) for v, url in
                                        sorted(out.partitions.items()) if v not in existing]
            files = job.commit(
                lambda: store.add_partitions(db, name, new, if_not_exists=True) if new else None,
                Undo(partitions=[p.values for p in new], partitions_of=(db, name)),
                ctx.stop_reason(rows.bytes_scanned()))
        except BaseException:
            writer.abort()
            job.abort(store)
            raise
        scanned = rows.bytes_scanned()
    return written(out.rows, files, ctx, scanned,
                   f"{out.rows} row{'' if out.rows == 1 else 's'} inserted into {db}.{name}")


def format_of(table: Table) -> FileFormat:
    """The writer for a table's SerDe, or NOT_SUPPORTED as Athena answers."""
    serde = table.serde or ""
    if symlinks.is_symlink_table(table.input_format):
        # its files are manifests: a data file written there would be read as one
        raise NotSupported(f"Inserting into tables with INPUTFORMAT '{table.input_format}' is not "
                           f"supported (table {table.qualified_name}): their rows are the files "
                           "their manifests name")
    for fmt in FORMATS.values():
        if fmt.name != "JSON" and fmt.classes[0] == serde and \
                (fmt.name != "TEXTFILE" or table.input_format in (None, fmt.classes[1])):
            return fmt
    if serde in JSON_SERDES and table.input_format in (None, FORMATS["JSON"].classes[1]):
        return FORMATS["JSON"]
    raise NotSupported(f"Inserting into tables with SerDe '{serde or table.stored_as}' is not "
                       f"supported (table {table.qualified_name}): Athena inserts into Parquet, "
                       "ORC, Avro, Hive JSON and LazySimpleSerDe text tables")


def _compression(table: Table, fmt: FileFormat) -> str:
    props = table.table_properties
    for key in (fmt.compression_property, "write.compression", "parquet.compression",
                "orc.compress"):
        value = props.get(key)
        if value:
            try:
                return fmt.check_compression(value.upper())
            except Exception:
                continue
    # Athena's default when the table names none: GZIP (ZLIB for ORC, DEFLATE for Avro)
    return fmt.default_compression
