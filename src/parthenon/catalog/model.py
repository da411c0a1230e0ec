"""What the catalog holds: plain records, no behaviour beyond small derivations."""
from __future__ import annotations

from dataclasses import dataclass, field

CATALOG = "awsdatacatalog"    # the one data catalog, as Athena names it
EXTERNAL_TABLE = "EXTERNAL_TABLE"
VIRTUAL_VIEW = "VIRTUAL_VIEW"


@dataclass
class Database:
    name: str
    comment: str | None = None
    location: str | None = None
    properties: dict[str, str] = field(default_factory=dict)


@dataclass
class Column:
    name: str            # lower case, as Hive stores it
    type: str            # Hive type text, lower case: 'string', 'struct<arn:string>'
    comment: str | None = None


@dataclass
class Table:
    database: str
    name: str
    columns: list[Column]
    partition_keys: list[Column] = field(default_factory=list)
    table_type: str = EXTERNAL_TABLE
    location: str | None = None
    serde: str | None = None                # SerDe class name
    serde_properties: dict[str, str] = field(default_factory=dict)
    input_format: str | None = None
    output_format: str | None = None
    stored_as: str | None = None            # TEXTFILE, PARQUET, ... when given as STORED AS
    row_format_delimited: bool = False
    table_properties: dict[str, str] = field(default_factory=dict)
    comment: str | None = None
    view_sql: str | None = None             # a view's query text, as written
    bucketed_by: list[str] = field(default_factory=list)   # CLUSTERED BY / CTAS bucketed_by
    bucket_count: int | None = None
    created_at: float = 0.0
    # Glue members the catalog does not act on (Owner, a StorageDescriptor's BucketColumns...),
    # kept as a Glue client gave them so that it reads back what it wrote (service/glue/shapes.py)
    glue: dict = field(default_factory=dict)

    @property
    def is_view(self) -> bool:
        return self.table_type == VIRTUAL_VIEW

    @property
    def all_columns(self) -> list[Column]:
        """Data columns then partition columns: the order a SELECT * shows."""
        return [*self.columns, *self.partition_keys]

    @property
    def qualified_name(self) -> str:
        return f"{self.database}.{self.name}"


@dataclass
class Partition:
    values: tuple[str, ...]   # in the order of the table's partition keys
    location: str
    parameters: dict[str, str] = field(default_factory=dict)   # Glue's PartitionInput.Parameters

    def spec(self, keys: list[Column]) -> str:
        """Hive's partition name, as SHOW PARTITIONS prints it: k1=v1/k2=v2."""
        return "/".join(f"{k.name}={v}" for k, v in zip(keys, self.values))
