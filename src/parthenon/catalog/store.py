"""The catalog's persistence: one SQLite file under PARTHENON_HOME.

SQLite gives what the catalog needs without a server: every change is one
transaction (a failed statement leaves nothing half-written), WAL mode lets
readers and a writer in other processes share the file, and busy_timeout makes
a second writer wait instead of failing (all three from `sqlite_store.SqliteFile`,
which the service and scheduler stores share).  Tables and databases are stored as
JSON documents (their shape changes more often than their identity);
partitions get their own rows because a table can have hundreds of thousands.
"""
from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
import time
from pathlib import Path
from typing import Callable

from ..errors import AlreadyExists, InvalidDdl, ParthenonError, SchemaNotFound, TableNotFound
from ..sqlite_store import SqliteFile
from ..storage.location import FREE, Location, Rules, real
from .model import Column, Database, Partition, Table

SCHEMA = """
CREATE TABLE IF NOT EXISTS databases (name TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tables (
    db TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (db, name));
CREATE TABLE IF NOT EXISTS partitions (
    db TEXT NOT NULL, tbl TEXT NOT NULL, spec TEXT NOT NULL,
    vals TEXT NOT NULL, location TEXT NOT NULL, PRIMARY KEY (db, tbl, spec));
CREATE INDEX IF NOT EXISTS partitions_by_location ON partitions (location);
CREATE TABLE IF NOT EXISTS partition_parameters (
    db TEXT NOT NULL, tbl TEXT NOT NULL, spec TEXT NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (db, tbl, spec));
CREATE TABLE IF NOT EXISTS table_versions (
    db TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL,
    replaced_at REAL NOT NULL, PRIMARY KEY (db, name, version));
"""

DEFAULT_DATABASE = "default"


def _table_from_doc(doc: str) -> Table:
    data = json.loads(doc)
    data["columns"] = [Column(**c) for c in data["columns"]]
    data["partition_keys"] = [Column(**c) for c in data["partition_keys"]]
    return Table(**data)


def _spec_key(values: tuple[str, ...]) -> str:
    return json.dumps(list(values))


def _seed(con: sqlite3.Connection) -> None:
    con.execute("INSERT OR IGNORE INTO databases VALUES (?, ?)",
                (DEFAULT_DATABASE, json.dumps(dataclasses.asdict(Database(DEFAULT_DATABASE)))))


_EXPIRED = ""     # table_versions.doc of an expired version (the row keeps the numbering)

class CatalogStore:
    """`locations`: which locations tables and partitions may have (storage.location.Rules);
    every table and partition stored goes through `locations.check_table`."""

    def __init__(self, path: Path | str, locations: Rules = FREE):
        self._db = SqliteFile(path, SCHEMA, what="the catalog", seed=_seed)
        self.path = self._db.path
        self.locations = locations

    # -- databases
    def get_database(self, name: str) -> Database | None:
        row = self._db.con().execute("SELECT doc FROM databases WHERE name = ?", (name,)).fetchone()
        return Database(**json.loads(row[0])) if row else None

    def require_database(self, name: str) -> Database:
        db = self.get_database(name)
        if db is None:
            raise SchemaNotFound(f"Schema '{name}' does not exist")
        return db

    def list_databases(self) -> list[Database]:
        rows = self._db.con().execute("SELECT doc FROM databases ORDER BY name").fetchall()
        return [Database(**json.loads(r[0])) for r in rows]

    def create_database(self, db: Database, if_not_exists: bool = False) -> bool:
        with self._db.write() as con:
            if con.execute("SELECT 1 FROM databases WHERE name = ?", (db.name,)).fetchone():
                if if_not_exists:
                    return False
                raise AlreadyExists(f"Database {db.name} already exists")
            con.execute("INSERT INTO databases VALUES (?, ?)", (db.name, json.dumps(dataclasses.asdict(db))))
        return True

    def drop_database(self, name: str, if_exists: bool = False, cascade: bool = False) -> bool:
        with self._db.write() as con:
            if not con.execute("SELECT 1 FROM databases WHERE name = ?", (name,)).fetchone():
                if if_exists:
                    return False
                raise SchemaNotFound(f"Database does not exist: {name}")
            if name == DEFAULT_DATABASE:
                raise InvalidDdl("Can not drop default database")
            n_tables = con.execute("SELECT count(*) FROM tables WHERE db = ?", (name,)).fetchone()[0]
            if n_tables and not cascade:
                raise InvalidDdl(f"Database {name} is not empty. One or more tables exist.")
            con.execute("DELETE FROM partitions WHERE db = ?", (name,))
            con.execute("DELETE FROM partition_parameters WHERE db = ?", (name,))
            con.execute("DELETE FROM table_versions WHERE db = ?", (name,))
            con.execute("DELETE FROM tables WHERE db = ?", (name,))
            con.execute("DELETE FROM databases WHERE name = ?", (name,))
        return True

    # -- tables and views
    def get_table(self, db: str, name: str) -> Table | None:
        row = self._db.con().execute(
            "SELECT doc FROM tables WHERE db = ? AND name = ?", (db, name)).fetchone()
        return _table_from_doc(row[0]) if row else None

    def require_table(self, db: str, name: str) -> Table:
        table = self.get_table(db, name)
        if table is None:
            self.require_database(db)
            raise TableNotFound(f"Table '{db}.{name}' does not exist")
        return table

    def list_tables(self, db: str, pattern: str | None = None) -> list[Table]:
        self.require_database(db)
        rows = self._db.con().execute(
            "SELECT doc FROM tables WHERE db = ? ORDER BY name", (db,)).fetchall()
        tables = [_table_from_doc(r[0]) for r in rows]
        if pattern:
            regex = hive_pattern(pattern)
            tables = [t for t in tables if regex.fullmatch(t.name)]
        return tables

    def put_table(self, table: Table, *, if_not_exists: bool = False, replace: bool = False) -> bool:
        """Create a table or view; False when it existed and if_not_exists was given."""
        if not table.created_at:
            table.created_at = time.time()
        if table.location and not table.is_view:
            self.locations.check_table(table.location)
        with self._db.write() as con:
            if not con.execute("SELECT 1 FROM databases WHERE name = ?", (table.database,)).fetchone():
                raise SchemaNotFound(f"Schema '{table.database}' does not exist")
            row = con.execute("SELECT doc FROM tables WHERE db = ? AND name = ?",
                              (table.database, table.name)).fetchone()
            if row and not replace:
                if if_not_exists:
                    return False
                kind = "View" if table.is_view else "Table"
                raise AlreadyExists(f"{kind} already exists: {table.database}.{table.name}")
            if row and replace and not _table_from_doc(row[0]).is_view:
                raise AlreadyExists(f"Table already exists: {table.database}.{table.name}")
            con.execute("INSERT OR REPLACE INTO tables VALUES (?, ?, ?)",
                        (table.database, table.name, json.dumps(dataclasses.asdict(table))))
        return True

    def drop_table(self, db: str, name: str, *, if_exists: bool = False, view: bool = False) -> bool:
        with self._db.write() as con:
            row = con.execute("SELECT doc FROM tables WHERE db = ? AND name = ?", (db, name)).fetchone()
            if row is None or _table_from_doc(row[0]).is_view != view:
                if if_exists and row is None:
                    return False
                kind = "View" if view else "Table"
                if row is None:
                    raise TableNotFound(f"{kind} '{db}.{name}' does not exist")
                raise TableNotFound(f"'{db}.{name}' is not a {kind.lower()}")
            con.execute("DELETE FROM partitions WHERE db = ? AND tbl = ?", (db, name))
            con.execute("DELETE FROM partition_parameters WHERE db = ? AND tbl = ?", (db, name))
            con.execute("DELETE FROM table_versions WHERE db = ? AND name = ?", (db, name))
            con.execute("DELETE FROM tables WHERE db = ? AND name = ?", (db, name))
        return True

    def update_database(self, db: Database) -> None:
        with self._db.write() as con:
            if not con.execute("SELECT 1 FROM databases WHERE name = ?", (db.name,)).fetchone():
                raise SchemaNotFound(f"Schema '{db.name}' does not exist")
            con.execute("UPDATE databases SET doc = ? WHERE name = ?",
                        (json.dumps(dataclasses.asdict(db)), db.name))

    def update_table(self, table: Table) -> int:
        """Replace an existing table or view, keeping the replaced one as a version (Glue's
        UpdateTable); the new version's number (versions count from 0, the first definition)."""
        if table.location and not table.is_view:
            self.locations.check_table(table.location)
        with self._db.write() as con:
            row = con.execute("SELECT doc FROM tables WHERE db = ? AND name = ?",
                              (table.database, table.name)).fetchone()
            if row is None:
                raise TableNotFound(f"Table '{table.database}.{table.name}' does not exist")
            version = con.execute("SELECT count(*) FROM table_versions WHERE db = ? AND name = ?",
                                  (table.database, table.name)).fetchone()[0]
            con.execute("INSERT INTO table_versions VALUES (?, ?, ?, ?, ?)",
                        (table.database, table.name, version, row[0], time.time()))
            table.created_at = _table_from_doc(row[0]).created_at
            con.execute("UPDATE tables SET doc = ? WHERE db = ? AND name = ?",
                        (json.dumps(dataclasses.asdict(table)), table.database, table.name))
        return version + 1

    def table_versions(self, db: str, name: str) -> list[tuple[int, Table | None, float | None]]:
        """(version, table, when it was replaced) from the first definition to the current one
        (replaced: None); empty when the table does not exist.  An expired version (Glue's
        DeleteTableVersion) keeps its number and time, with no table: numbers are never reused."""
        con = self._db.con()
        current = con.execute("SELECT doc FROM tables WHERE db = ? AND name = ?", (db, name)).fetchone()
        if current is None:
            return []
        rows = con.execute("SELECT version, doc, replaced_at FROM table_versions "
                           "WHERE db = ? AND name = ? ORDER BY version", (db, name)).fetchall()
        versions = [(v, _table_from_doc(doc) if doc != _EXPIRED else None, at) for v, doc, at in rows]
        return versions + [(len(versions), _table_from_doc(current[0]), None)]

    def expire_table_versions(self, db: str, name: str, versions: list[int]) -> list[int]:
        """Forget these past definitions of a table (never the current one); the ones that
        were there to forget."""
        with self._db.write() as con:
            expired = []
            for version in versions:
                done = con.execute("UPDATE table_versions SET doc = ? WHERE db = ? AND name = ? "
                                   "AND version = ? AND doc != ?", (_EXPIRED, db, name, version, _EXPIRED))
                if done.rowcount:
                    expired.append(version)
            return expired

    def alter_table(self, db: str, name: str, change: Callable[[Table], None]) -> Table:
        """Read a table, let ``change`` edit it, write it back: one transaction.

        ``change`` sees the table as stored at that moment (no other writer can slip in
        between) and may raise to leave it untouched.
        """
        with self._db.write() as con:
            row = con.execute("SELECT doc FROM tables WHERE db = ? AND name = ?", (db, name)).fetchone()
            if row is None:
                if not con.execute("SELECT 1 FROM databases WHERE name = ?", (db,)).fetchone():
                    raise SchemaNotFound(f"Schema '{db}' does not exist")
                raise TableNotFound(f"Table '{db}.{name}' does not exist")
            table = _table_from_doc(row[0])
            change(table)
            if table.location and not table.is_view:
                self.locations.check_table(table.location)     # SET LOCATION obeys the roots too
            # the definition replaced stays a version, as Glue keeps one for each ALTER
            version = con.execute("SELECT count(*) FROM table_versions WHERE db = ? AND name = ?",
                                  (db, name)).fetchone()[0]
            con.execute("INSERT INTO table_versions VALUES (?, ?, ?, ?, ?)",
                        (db, name, version, row[0], time.time()))
            con.execute("UPDATE tables SET doc = ? WHERE db = ? AND name = ?",
                        (json.dumps(dataclasses.asdict(table)), db, name))
        return table

    # -- partitions
    def add_partitions(self, db: str, table: str, partitions: list[Partition],
                       if_not_exists: bool = False) -> int:
        """All or nothing: an existing partition without IF NOT EXISTS adds none."""
        added = 0
        for p in partitions:
            self.locations.check_table(p.location)
        with self._db.write() as con:
            for p in partitions:
                key = _spec_key(p.values)
                exists = con.execute("SELECT 1 FROM partitions WHERE db=? AND tbl=? AND spec=?",
                                     (db, table, key)).fetchone()
                if exists:
                    if if_not_exists:
                        continue
                    raise AlreadyExists(f"Partition already exists: {db}.{table} {list(p.values)}")
                con.execute("INSERT INTO partitions VALUES (?, ?, ?, ?, ?)",
                            (db, table, key, json.dumps(list(p.values)), p.location))
                _put_parameters(con, db, table, key, p.parameters)
                added += 1
        return added

    def drop_partitions(self, db: str, table: str, values: list[tuple[str, ...]],
                        if_exists: bool = False) -> int:
        dropped = 0
        with self._db.write() as con:
            for v in values:
                cur = con.execute("DELETE FROM partitions WHERE db=? AND tbl=? AND spec=?",
                                  (db, table, _spec_key(v)))
                _put_parameters(con, db, table, _spec_key(v), {})
                if cur.rowcount == 0 and not if_exists:
                        raise InvalidDdl(f"Partition not found: {db}.{table} {list(v)}")
                dropped += cur.rowcount
        return dropped

    def get_partition(self, db: str, table: str, values: tuple[str, ...]) -> Partition | None:
        row = self._db.con().execute(
            f"SELECT {_PARTITION_COLUMNS} WHERE p.db=? AND p.tbl=? AND p.spec=?",
            (db, table, _spec_key(values))).fetchone()
        return _partition(*row) if row else None

    def update_partition(self, db: str, table: str, values: tuple[str, ...],
                         partition: Partition) -> None:
        """Replace the partition with these values (its values may change too)."""
        self.locations.check_table(partition.location)
        with self._db.write() as con:
            cur = con.execute("DELETE FROM partitions WHERE db=? AND tbl=? AND spec=?",
                              (db, table, _spec_key(values)))
            if cur.rowcount == 0:
                raise InvalidDdl(f"Partition not found: {db}.{table} {list(values)}")
            if con.execute("SELECT 1 FROM partitions WHERE db=? AND tbl=? AND spec=?",
                           (db, table, _spec_key(partition.values))).fetchone():
                raise AlreadyExists(f"Partition already exists: {db}.{table} {list(partition.values)}")
            con.execute("INSERT INTO partitions VALUES (?, ?, ?, ?, ?)",
                        (db, table, _spec_key(partition.values), json.dumps(list(partition.values)),
                         partition.location))
            _put_parameters(con, db, table, _spec_key(values), {})
            _put_parameters(con, db, table, _spec_key(partition.values), partition.parameters)

    def list_partitions(self, db: str, table: str) -> list[Partition]:
        rows = self._db.con().execute(
            f"SELECT {_PARTITION_COLUMNS} WHERE p.db=? AND p.tbl=? ORDER BY p.spec",
            (db, table)).fetchall()
        return [_partition(*row) for row in rows]


    def table_holding(self, location: Location) -> str | None:
        """A table (db.name) whose data would include `location`: it lies in the table's
        location, a partition's, or the folder of its projection template."""
        mine = _comparable(location)
        for db, name, doc in self._db.con().execute("SELECT db, name, doc FROM tables"):
            table = _table_from_doc(doc)
            for text in (table.location, _template_folder(table)):
                held = _parsed(text)
                if held is not None and mine.within(_comparable(held)):
                    return f"{db}.{name}"
        # A partition location is stored as written: look for every spelling of each folder above.
        spellings = []
        for folder in location.folder_prefixes():
            for text in {folder.url, str(folder), "file://" + folder.url}:
                spellings += [text.rstrip("/"), text.rstrip("/") + "/"]
        marks = ",".join("?" * len(spellings))
        row = self._db.con().execute(f"SELECT db, tbl FROM partitions WHERE location IN ({marks}) "
                                     "LIMIT 1", spellings).fetchone()
        return f"{row[0]}.{row[1]}" if row else None


# A partition with its Glue Parameters, which live in their own table (most partitions have none)
_PARTITION_COLUMNS = ("p.vals, p.location, pp.doc FROM partitions p LEFT JOIN partition_parameters pp "
                      "ON pp.db = p.db AND pp.tbl = p.tbl AND pp.spec = p.spec")


def _partition(vals: str, location: str, parameters: str | None) -> Partition:
    return Partition(tuple(json.loads(vals)), location, json.loads(parameters) if parameters else {})


def _put_parameters(con, db: str, table: str, spec: str, parameters: dict) -> None:
    con.execute("DELETE FROM partition_parameters WHERE db=? AND tbl=? AND spec=?", (db, table, spec))
    if parameters:
        con.execute("INSERT INTO partition_parameters VALUES (?, ?, ?, ?)",
                    (db, table, spec, json.dumps(parameters)))


def _parsed(text: str | None) -> Location | None:
    try:
        return Location.parse(text) if text else None
    except ParthenonError:
        return None     # an old catalog's unreadable location holds nothing


def _comparable(loc: Location) -> Location:
    """Local locations compared by their real paths (links resolved)."""
    return loc if loc.is_s3 else Location(None, real(loc.path))


def _template_folder(table: Table) -> str | None:
    """The fixed folder of `storage.location.template`, before its first ${...}."""
    template = table.table_properties.get("storage.location.template")
    if not template:
        return None
    return template.split("${", 1)[0].rpartition("/")[0] or None


def hive_pattern(pattern: str) -> re.Pattern[str]:
    """SHOW TABLES / SHOW DATABASES patterns: '*' wildcards and '|' alternatives."""
    alternatives = []
    for alt in pattern.split("|"):
        alt = alt.strip()
        alternatives.append(".*".join(re.escape(part) for part in re.split(r"\.?\*", alt)))
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)
