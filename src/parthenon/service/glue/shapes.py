"""The catalog's records in Glue's shapes, both ways: Database, Table (StorageDescriptor,
SerdeInfo, PartitionKeys, Parameters) and Partition, as Athena's DDL leaves them in Glue.

Glue members Parthenon does not act on (Owner, Retention, a StorageDescriptor's
Compressed, BucketColumns, Parameters, ...) are kept as given in `Table.glue`, so a Glue
client (Terraform's aws_glue_catalog_table diffs every member) reads back what it wrote.
A view is stored as its SQL; Glue sees it the way Athena writes one: TableType
VIRTUAL_VIEW, ViewOriginalText `/* Presto View: <base64 of the view's JSON> */`.
"""
from __future__ import annotations

import base64
import json
import re

import sqlglot
from sqlglot import exp

from ...catalog.create_drop import fill_storage_defaults, hive_type
from ...catalog.ddl_support import checked_location
from ...catalog.hive_types import parse_hive_type
from ...catalog.model import CATALOG, EXTERNAL_TABLE, VIRTUAL_VIEW, Column, Database, Partition, Table
from ...catalog.show import partition_name, table_parameters
from ...errors import ParthenonError
from .errors import InvalidInput

CATALOG_ID = "000000000000"     # an account id; the server puts its own account in (glue_responses)
OWNER = "hadoop"                # the owner Athena's DDL records
PRESTO_VIEW = re.compile(r"/\* Presto View: ([A-Za-z0-9+/=\s]+) \*/")

# StorageDescriptor members kept as given, with what Athena's DDL records when none was.
SD_DEFAULTS = {"Compressed": False, "NumberOfBuckets": -1, "BucketColumns": [], "SortColumns": [],
               "Parameters": {}, "StoredAsSubDirectories": False}
SD_KEPT = (*SD_DEFAULTS, "SkewedInfo", "AdditionalLocations", "SchemaReference")
TABLE_KEPT = ("Owner", "Retention", "TargetTable", "LastAccessTime", "ViewExpandedText")
# Parameters Parthenon derives itself (show.table_parameters): not stored from a TableInput.
DERIVED_PARAMETERS = ("EXTERNAL", "transient_lastDdlTime")


# -- databases ---------------------------------------------------------------------------------

def database_to_glue(db: Database) -> dict:
    out = {"Name": db.name, "Parameters": dict(db.properties), "CatalogId": CATALOG_ID,
           "CreateTableDefaultPermissions": []}
    if db.comment is not None:
        out["Description"] = db.comment
    if db.location is not None:
        out["LocationUri"] = db.location
    return out


def database_from_input(d: dict) -> Database:
    name = required_name(d, "Name", "DatabaseInput.Name")
    location = d.get("LocationUri")
    return Database(name=name, comment=d.get("Description"),
                    location=_location(location) if location else None,
                    properties=_string_map(d.get("Parameters"), "DatabaseInput.Parameters"))


# -- tables ------------------------------------------------------------------------------------

def table_to_glue(t: Table, view_columns: list[Column] | None = None, version: int = 0,
                  updated_at: float | None = None) -> dict:
    """GetTable's Table: what Athena's DDL would have left in Glue for this table or view."""
    kept = t.glue
    out = {"Name": t.name, "DatabaseName": t.database, "Owner": kept.get("Owner", OWNER),
           "CreateTime": t.created_at, "UpdateTime": updated_at or t.created_at,
           "LastAccessTime": kept.get("LastAccessTime", 0), "Retention": kept.get("Retention", 0),
           "StorageDescriptor": _storage_descriptor(t, view_columns),
           "PartitionKeys": columns_to_glue(t.partition_keys),
           "TableType": kept.get("TableType", t.table_type),
           "Parameters": _parameters(t),
           "IsRegisteredWithLakeFormation": False, "CatalogId": CATALOG_ID,
           "VersionId": str(version)}
    if t.comment is not None:
        out["Description"] = t.comment
    if t.is_view:
        out["ViewOriginalText"] = presto_view_text(t, view_columns or [])
        out["ViewExpandedText"] = kept.get("ViewExpandedText", "/* Presto View */")
    if "TargetTable" in kept:
        out["TargetTable"] = kept["TargetTable"]
    return out


def _parameters(t: Table) -> dict[str, str]:
    if t.is_view:
        return {"presto_view": "true", "comment": "Presto View", **t.table_properties}
    return table_parameters(t)


def _storage_descriptor(t: Table, view_columns: list[Column] | None) -> dict:
    kept = t.glue.get("StorageDescriptor", {})
    if t.is_view:
        hive_columns = [Column(c.name, hive_from_trino(c.type), c.comment) for c in view_columns or []]
        sd = {"Columns": columns_to_glue(hive_columns), "Location": "",
              "SerdeInfo": kept.get("SerdeInfo", {})}
    else:
        serde = {"SerializationLibrary": t.serde, "Parameters": dict(t.serde_properties)}
        if "Name" in kept.get("SerdeInfo", {}):
            serde["Name"] = kept["SerdeInfo"]["Name"]
        sd = {"Columns": columns_to_glue(t.columns), "Location": t.location or "",
              "InputFormat": t.input_format, "OutputFormat": t.output_format, "SerdeInfo": serde}
    for key, default in SD_DEFAULTS.items():
        sd[key] = kept.get(key, default)
    for key in SD_KEPT:
        if key in kept and key not in sd:
            sd[key] = kept[key]
    return sd


def columns_to_glue(columns: list[Column]) -> list[dict]:
    return [{"Name": c.name, "Type": c.type, **({"Comment": c.comment} if c.comment else {})}
            for c in columns]


def presto_view_text(view: Table, columns: list[Column]) -> str:
    """Athena's ViewOriginalText: the view's query and columns as JSON, base64, in a comment."""
    doc = {"originalSql": view.view_sql, "catalog": CATALOG, "schema": view.database,
           "columns": [{"name": c.name, "type": c.type} for c in columns]}
    encoded = base64.b64encode(json.dumps(doc, separators=(",", ":")).encode()).decode()
    return f"/* Presto View: {encoded} */"


def table_from_input(database: str, d: dict, created_at: float = 0.0) -> Table:
    """A TableInput as a catalog Table; InvalidInputException for what the catalog cannot hold."""
    name = required_name(d, "Name", "TableInput.Name")
    sd = d.get("StorageDescriptor") or {}
    if not isinstance(sd, dict):
        raise InvalidInput("TableInput.StorageDescriptor must be a structure")
    table_type = (d.get("TableType") or EXTERNAL_TABLE).upper()
    params = _string_map(d.get("Parameters"), "TableInput.Parameters")
    kept = {k: d[k] for k in TABLE_KEPT if k in d}
    kept_sd = {k: sd[k] for k in SD_KEPT if k in sd}
    if sd.get("SerdeInfo", {}).get("Name") is not None or table_type == VIRTUAL_VIEW:
        kept_sd["SerdeInfo"] = sd.get("SerdeInfo", {})
    if kept_sd:
        kept["StorageDescriptor"] = kept_sd
    if table_type not in (EXTERNAL_TABLE, VIRTUAL_VIEW):
        kept["TableType"] = table_type              # MANAGED_TABLE, GOVERNED, ...: read as external
    table = Table(database=database, name=name, table_type=VIRTUAL_VIEW if table_type == VIRTUAL_VIEW
                  else EXTERNAL_TABLE, columns=columns_from_glue(sd.get("Columns"), "Columns"),
                  partition_keys=columns_from_glue(d.get("PartitionKeys"), "PartitionKeys"),
                  comment=d.get("Description", params.pop("comment", None)),
                  created_at=created_at, glue=kept)
    if table.is_view:
        table.view_sql, view_columns = _view_from_input(d)
        table.columns = []                           # a view's columns come from its query...
        if view_columns:                             # ...unless its Presto View JSON names them
            kept["ViewColumns"] = view_columns
        table.table_properties = {k: v for k, v in params.items()
                                  if k not in ("presto_view", "comment")}
        return table
    for key in DERIVED_PARAMETERS:
        params.pop(key, None)
    table.table_properties = params
    location = sd.get("Location")
    table.location = _location(location) if location else None
    serde = sd.get("SerdeInfo") or {}
    table.serde = serde.get("SerializationLibrary") or None
    table.serde_properties = _string_map(serde.get("Parameters"), "SerdeInfo.Parameters")
    table.input_format = sd.get("InputFormat") or None
    table.output_format = sd.get("OutputFormat") or None
    if table.input_format and not table.output_format:
        raise InvalidInput("StorageDescriptor.OutputFormat is required with an InputFormat")
    fill_storage_defaults(table)
    seen = set()
    for col in table.all_columns:
        if col.name in seen:
            raise InvalidInput(f"Duplicate column name: {col.name}")
        seen.add(col.name)
    return table


def _view_from_input(d: dict) -> tuple[str, list]:
    """The query of a view TableInput: Athena's Presto View JSON, or plain SQL (Spark, Hive)."""
    text = d.get("ViewOriginalText") or ""
    m = PRESTO_VIEW.fullmatch(text.strip())
    if m:
        try:
            doc = json.loads(base64.b64decode(m.group(1)))
            return doc["originalSql"], doc.get("columns", [])
        except (ValueError, KeyError, TypeError):
            raise InvalidInput("ViewOriginalText is not a readable Presto View: expected "
                               "base64 of a JSON object with originalSql") from None
    if not text.strip():
        raise InvalidInput("A VIRTUAL_VIEW needs ViewOriginalText (its query)")
    return text.strip(), []


def columns_from_glue(items, member: str) -> list[Column]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise InvalidInput(f"{member} must be a list")
    columns = []
    for item in items:
        name = required_name(item, "Name", f"{member}.Name")
        type_text = item.get("Type")
        if not isinstance(type_text, str) or not type_text.strip():
            raise InvalidInput(f"Column {name} in {member} has no Type")
        try:
            normalized = parse_hive_type(type_text).hive()
        except ParthenonError as e:
            raise InvalidInput(f"Column {name}: {e.message}") from None
        columns.append(Column(name, normalized, item.get("Comment")))
    return columns


def hive_from_trino(type_text: str) -> str:
    """A Trino type (a view column's, from the engine) as the Hive type Glue stores."""
    try:
        dtype = exp.DataType.build(type_text, dialect="trino")
    except (sqlglot.errors.ParseError, ValueError):
        return type_text
    for node in dtype.find_all(exp.DataType):       # unbounded varchar is Hive's string
        if node.this in (exp.DataType.Type.VARCHAR, exp.DataType.Type.CHAR) and not node.expressions:
            node.set("this", exp.DataType.Type.TEXT)
    try:
        return hive_type(dtype, "")
    except ParthenonError:
        return type_text


# -- partitions --------------------------------------------------------------------------------

def partition_to_glue(t: Table, p: Partition) -> dict:
    sd = _storage_descriptor(t, None)
    sd["Location"] = p.location
    return {"Values": list(p.values), "DatabaseName": t.database, "TableName": t.name,
            "CreationTime": t.created_at, "LastAccessTime": 0, "StorageDescriptor": sd,
            "Parameters": dict(p.parameters), "CatalogId": CATALOG_ID}


def partition_from_input(t: Table, d: dict) -> Partition:
    values = partition_values(t, d.get("Values"))
    sd = d.get("StorageDescriptor") or {}
    location = sd.get("Location") if isinstance(sd, dict) else None
    if location:
        location = _location(location)
    elif t.location:
        location = f"{t.location.rstrip('/')}/{partition_name(t.partition_keys, values)}/"
    else:
        raise InvalidInput(f"Table {t.qualified_name} has no Location: give each partition "
                           "StorageDescriptor.Location")
    return Partition(values, location, _string_map(d.get("Parameters"), "PartitionInput.Parameters"))


def partition_values(t: Table, values) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InvalidInput("Values must be a list of strings")
    if len(values) != len(t.partition_keys):
        raise InvalidInput(f"The number of partition values ({len(values)}) does not match the "
                           f"number of partition keys of {t.qualified_name} "
                           f"({len(t.partition_keys)})")
    return tuple(values)


# -- shared ------------------------------------------------------------------------------------

def required_name(d, key: str, member: str) -> str:
    value = d.get(key) if isinstance(d, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{member} is required")
    if len(value) > 255:
        raise InvalidInput(f"{member} is longer than 255 characters")
    return value.lower()      # Glue stores names in lower case, for Hive


def _string_map(value, member: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InvalidInput(f"{member} must be a map of strings")
    return dict(value)


def _location(location: str) -> str:
    try:
        return checked_location(location)
    except ParthenonError as e:
        raise InvalidInput(e.message) from None
