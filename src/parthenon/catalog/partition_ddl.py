"""ALTER TABLE's partition forms (ADD, DROP, PARTITION (...) SET LOCATION / RENAME) and MSCK.

Several partitions in one statement are added all or nothing; a partition's
default location is `<table location>/k1=v1/k2=v2/`, as Hive escapes it.
"""
from __future__ import annotations

from ..errors import AlreadyExists, InvalidDdl, NotSupported
from ..result import DDL, Result, ResultColumn
from ..sql.hive_tokens import HiveTokens, Spec
from ..storage.location import Location
from . import show
from .ddl_support import checked_location, done, form_not_supported
from .model import Partition, Table
from .store import CatalogStore

def alter_partition(store: CatalogStore, toks: HiveTokens, db: str, name: str) -> Result:
    """ALTER TABLE t PARTITION (spec) SET LOCATION 'l' | RENAME TO PARTITION (spec)."""
    spec = toks.partition_spec()
    if toks.accept_sequence("SET", "LOCATION"):
        location = checked_location(toks.string())
        toks.end()
        table = _partitioned_table(store, db, name)
        values = _full_spec(table, spec)
        kept = _existing(store, table, values).parameters      # only the location changes
        store.update_partition(db, name, values, Partition(values, location, kept))
        return done(f"Partition {show.partition_name(table.partition_keys, values)} of {db}.{name} "
                    f"location set to {location}")
    if toks.accept_sequence("RENAME", "TO", "PARTITION"):
        new_spec = toks.partition_spec()
        toks.end()
        table = _partitioned_table(store, db, name)
        old, new = _full_spec(table, spec), _full_spec(table, new_spec)
        partition = _existing(store, table, old)
        if store.get_partition(db, name, new) is not None:
            raise AlreadyExists(f"Partition already exists: {table.qualified_name} "
                                f"{{{_spec_text(table, new)}}}")
        # the files stay where they are: the renamed partition keeps its location
        store.update_partition(db, name, old, Partition(new, partition.location, partition.parameters))
        return done(f"Partition {show.partition_name(table.partition_keys, old)} of {db}.{name} "
                    f"renamed to {show.partition_name(table.partition_keys, new)}")
    if toks.peek_word() in ("ADD", "REPLACE", "CHANGE"):
        raise NotSupported(f"ALTER TABLE PARTITION (...) {toks.peek_word()} COLUMNS is not supported: "
                           "Parthenon's partitions have no schema of their own, they read with the "
                           "table's columns (alter the table instead)")
    raise form_not_supported(toks, "ALTER TABLE PARTITION (...)")


def _existing(store: CatalogStore, table: Table, values: tuple[str, ...]) -> Partition:
    partition = store.get_partition(table.database, table.name, values)
    if partition is None:
        raise InvalidDdl(f"Partition not found: {table.qualified_name} {{{_spec_text(table, values)}}}")
    return partition


def _spec_text(table: Table, values: tuple[str, ...]) -> str:
    return show.spec_text(table.partition_keys, dict(enumerate(values)))


def add_partitions(store: CatalogStore, toks: HiveTokens, db: str, name: str) -> Result:
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
        location = checked_location(location) if location is not None else \
            _default_location(table, values)
        partitions.append(Partition(values, location))
    added = store.add_partitions(db, name, partitions, if_not_exists=if_not_exists)
    return done(f"Added {added} partition{'s' * (added != 1)} to {db}.{name}")


def drop_partitions(store: CatalogStore, toks: HiveTokens, db: str, name: str) -> Result:
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
    return done(f"Dropped {dropped} partition{'s' * (dropped != 1)} from {db}.{name}")


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
    # Values are escaped into single folder names, so the partition stays inside the table.
    return Location.parse(table.location).child(
        show.partition_name(table.partition_keys, values)).folder_text


def msck_repair(store: CatalogStore, db: str, name: str) -> Result:
    """Add the k1=v1/k2=v2/ folders under the table's location that the catalog lacks."""
    from ..partitions.discovery import discover   # imported on use: storage pulls in boto3

    table = _partitioned_table(store, db, name)
    lines: list[str] = []
    seen = 0
    if table.partition_keys:
        if not table.location:
            raise InvalidDdl(f"Table {db}.{name} has no LOCATION to scan for partitions")
        store.locations.check_table(table.location)     # before listing anything there
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
