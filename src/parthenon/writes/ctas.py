"""CREATE TABLE [IF NOT EXISTS] t WITH (...) AS query [WITH [NO] DATA].

The new table is registered as Athena registers it: an external table with the
format's SerDe and input/output classes (ParquetHiveSerDe, MapredParquetInputFormat...),
the Hive type of each result column, TBLPROPERTIES has_encrypted_data and the
compression, and its partitions -- only after every file has landed.
"""
from __future__ import annotations

import json

from sqlglot import exp

from .. import storage
from ..catalog.create_drop import LAZY_SIMPLE_SERDE
from ..catalog.ddl_support import table_name
from ..catalog.model import CATALOG, EXTERNAL_TABLE, Partition, Table
from ..errors import PathAlreadyExists, TableAlreadyExists
from ..result import Result
from ..sql.analysis import Analysis
from . import WriteContext, written
from .files import avro_schema, hive_columns
from .layout import PartitionedWriter, folder_name
from .options import WriteOptions, ctas_options
from .schema import check_named, conform_batch, new_table_columns, target_schema
from .staging import Undo, WriteJob


def create_table_as(session, statement: Analysis, ast: exp.Create, text: str,
                    ctx: WriteContext) -> Result:
    store = session.store
    db, name = table_name(statement.target, session.database)
    store.require_database(db)
    if store.get_table(db, name) is not None:
        if ast.args.get("exists"):
            return written(0, [], ctx, 0, f"Table {db}.{name} already exists")
        raise TableAlreadyExists(f"Table '{CATALOG}.{db}.{name}' already exists")
    options = ctas_options(ast.args.get("properties"))
    location = folder(options.location or f"{ctx.results_folder()}tables/{ctx.query_id}/")
    store.locations.check_table(location)     # a server writes only where its tables may read
    require_empty(location, f"table '{db}.{name}'")
    query = statement.query
    check_named(query)
    if not options.with_data:
        query = exp.select("*").from_(query.copy().subquery("_data")).limit(0)
    with session.rows(query, text) as rows:
        columns, keys = new_table_columns(rows.schema, rows.types, options.partitioned_by,
                                          options.bucketed_by, options.format, rows.names)
        table = new_table(db, name, columns, keys, location.rstrip("/"), options)
        schema = target_schema(table.all_columns)
        job = WriteJob(session.home, ctx.query_id, location)
        job.begin()
        writer = PartitionedWriter(options.format, options, columns, keys,
                                   lambda values: location + folder_name(keys, values),
                                   job.staged_path, ctx.query_id,
                                   options.bucketed_by, options.bucket_count)
        try:
            for batch in rows.batches:
                writer.write(conform_batch(batch, schema))
            out = writer.close()
            partitions = [Partition(values, url.rstrip("/"))
                          for values, url in sorted(out.partitions.items())]

            def register():
                store.put_table(table)
                if partitions:
                    store.add_partitions(db, name, partitions)
            files = job.commit(register, Undo(table=(db, name, table.location)),
                               ctx.stop_reason(rows.bytes_scanned()))
        except BaseException:
            writer.abort()
            job.abort(store)
            raise
        scanned = rows.bytes_scanned()
    return written(out.rows, files, ctx, scanned, f"Table {db}.{name} created: "
                   f"{out.rows} row{'' if out.rows == 1 else 's'} written to {location}")


def new_table(db: str, name: str, columns, keys, location: str, options: WriteOptions) -> Table:
    fmt = options.format
    serde, input_format, output_format = fmt.classes
    table = Table(database=db, name=name, columns=columns, partition_keys=keys,
                  table_type=EXTERNAL_TABLE, location=location, serde=serde,
                  input_format=input_format, output_format=output_format, stored_as=fmt.name,
                  table_properties={"has_encrypted_data": "false",
                                    fmt.compression_property: options.compression})
    if fmt.name == "TEXTFILE":
        delimiter = options.field_delimiter or "\x01"
        table.serde = LAZY_SIMPLE_SERDE
        table.serde_properties = {"field.delim": delimiter, "serialization.format": delimiter,
                                  "escape.delim": "\\"}
        table.row_format_delimited = True
    if fmt.name == "AVRO":
        table.table_properties["avro.schema.literal"] = json.dumps(avro_schema(hive_columns(columns)))
    if options.bucketed_by:
        table.table_properties["bucketing_version"] = "1"
        table.bucketed_by = list(options.bucketed_by)
        table.bucket_count = options.bucket_count
    return table


def folder(location: str) -> str:
    return location if location.endswith("/") else location + "/"


def require_empty(location: str, what: str) -> None:
    """Athena never overwrites: a target holding any visible object is refused."""
    if next(storage.iter_objects(location), None) is not None:
        raise PathAlreadyExists(f"Target directory for {what} already exists: {location}. "
                                "Athena writes only to an empty location: choose another "
                                "external_location, or empty this one")
