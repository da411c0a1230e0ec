"""Table formats: each SerDe / file format turns a table and its files into a scan.

`scan_for(table)` picks the module from the table's SerDe, input format or
STORED AS; the chosen format's `build_scan` returns a `Scan` the engine runs.
"""
from __future__ import annotations

from ..catalog.model import Table
from ..errors import NotSupported
from . import cloudtrail, json_serde
from . import avro, orc, parquet
from . import delimited, grok, opencsv, regex
from ..storage import symlinks
from .scan import Scan, ScanFile

CLOUDTRAIL_INPUT_FORMAT = "com.amazon.emr.cloudtrail.CloudTrailInputFormat"
CLOUDTRAIL_SERDE = "com.amazon.emr.hive.serde.CloudTrailSerde"
JSON_SERDES = ("org.openx.data.jsonserde.JsonSerDe", "org.apache.hive.hcatalog.data.JsonSerDe")
COLUMNAR_SERDES = {
    "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe": parquet,
    "org.apache.hadoop.hive.ql.io.orc.OrcSerde": orc,
    "org.apache.hadoop.hive.serde2.avro.AvroSerDe": avro,
}

TEXT_SERDES = {
    "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe": delimited,
    "org.apache.hadoop.hive.serde2.OpenCSVSerde": opencsv,
    "org.apache.hadoop.hive.serde2.RegexSerDe": regex,
    "com.amazonaws.glue.serde.GrokSerDe": grok,
}
TEXT_INPUT_FORMATS = (None, "org.apache.hadoop.mapred.TextInputFormat")
SYMLINK_INPUT_FORMAT = symlinks.INPUT_FORMAT


def format_for(table: Table):
    """The module that reads this table's files."""
    if table.input_format == SYMLINK_INPUT_FORMAT and \
            table.serde not in (*JSON_SERDES, *COLUMNAR_SERDES, *TEXT_SERDES):
        # as Trino: the listed files are read as the SerDe's own storage format
        raise NotSupported(f"Unknown SerDe for SymlinkTextInputFormat: {table.serde} "
                           f"(table {table.qualified_name})")
    # The input format decides record boundaries: CloudTrail's splits each
    # {"Records": [...]} file into one row per record, whatever the SerDe.
    if table.input_format == CLOUDTRAIL_INPUT_FORMAT or table.serde == CLOUDTRAIL_SERDE:
        return cloudtrail
    if table.serde in JSON_SERDES or (table.stored_as or "").upper() == "JSON":
        return json_serde
    if table.serde in COLUMNAR_SERDES:
        return COLUMNAR_SERDES[table.serde]
    if table.serde in TEXT_SERDES and table.input_format in TEXT_INPUT_FORMATS + (SYMLINK_INPUT_FORMAT,):
        # SymlinkTextInputFormat: the files the manifests list (storage.symlinks) are text
        # files read with the table's SerDe, as Trino reads them
        return TEXT_SERDES[table.serde]
    what = table.serde or table.stored_as or table.input_format or "unknown"
    if table.serde in TEXT_SERDES:      # the SerDe is known: the input format is what is not
        what = table.input_format
    raise NotSupported(f"Reading tables with SerDe/format '{what}' is not supported yet "
                       f"(table {table.qualified_name})")


__all__ = ["Scan", "ScanFile", "format_for"]
