"""Partition projection: partitions computed from TBLPROPERTIES instead of read from the catalog.

With `projection.enabled` = true, Athena ignores the table's registered
partitions and derives values from `projection.<col>.*` (enum, integer, date,
injected) and locations from `storage.location.template` (default
`<LOCATION>/col=value/...`).  The query's predicates on partition columns
prune the candidates before anything is listed: an equality or IN on a
column yields its candidates directly (the only way for an injected column);
otherwise a column's whole range is generated, bounded, and filtered with the
engine, like registered partitions.  A value out of range, or a location that
does not exist, gives no rows, not an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product
from typing import Callable, Iterator

from sqlglot import exp

from ..catalog.model import Partition, Table
from ..errors import InvalidLocation, ParthenonError
from ..storage.location import InvalidPartitionValue, Location
from .pruning import MatchingPartitions, prune

MAX_PARTITIONS = 1_000_000     # Trino's (and so Athena's) hive.max-partitions-per-scan
_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")


class MetastoreError(ParthenonError):
    code = "HIVE_METASTORE_ERROR"


class ConstraintViolation(ParthenonError):
    code = "CONSTRAINT_VIOLATION"


class PartitionLimit(ParthenonError):
    code = "HIVE_EXCEEDED_PARTITION_LIMIT"


class InvalidProjection(ParthenonError):
    code = "INVALID_TABLE_PROPERTY"

    def __init__(self, column: str, detail: str):
        super().__init__(f"Column projection for column '{column}' failed. {detail}")


def enabled(table: Table) -> bool:
    return table.table_properties.get("projection.enabled", "").strip().lower() == "true"


@dataclass
class Column:
    """One projected column: candidate values, each with the text its location uses."""
    name: str
    type: str                    # enum | integer | date | injected
    count: int | None            # None: unbounded (injected)
    values: Callable[[], Iterator[tuple[str, str]]]           # (value, location text)
    accepts: Callable[[str], "tuple[str, str] | None"]        # a literal -> its candidate


def partitions(table: Table, predicates: list[exp.Expression],
               matching: MatchingPartitions) -> list[Partition]:
    """The projected partitions that can satisfy `predicates`, with their locations."""
    from .config import column_projection     # (config imports this module's errors)
    props = _properties(table)
    missing = [k.name for k in table.partition_keys if f"projection.{k.name}.type" not in props]
    if missing:
        raise MetastoreError(f"Table {table.qualified_name} is configured for partition projection, "
                             f"but the following partition columns are missing projection "
                             f"configuration: [{', '.join(missing)}]")
    template = props.get("storage.location.template")
    if template is not None:
        for key in table.partition_keys:
            if "${" + key.name + "}" not in template.lower():
                raise InvalidProjection(key.name, f"Partition projection location template: "
                                        f"{template} is missing partition column: '{key.name}' placeholder")
    per_column = []
    for key in table.partition_keys:
        column = column_projection(key, props)
        mine = [p for p in predicates if {c.name.lower() for c in p.find_all(exp.Column)} == {key.name}]
        per_column.append(_candidates(table, column, mine, matching))
    total = 1
    for values in per_column:
        total *= len(values)
    if total > MAX_PARTITIONS:
        raise _too_many(table)
    folder = _template_folder(template)
    found = [Partition(tuple(v for v, _ in combo), _location(table, template, folder, combo))
             for combo in product(*per_column)]
    return prune(found, table, predicates, matching)


def written_location(table: Table, values: tuple[str, ...]) -> str:
    """Where INSERT INTO puts a partition of a projected table: the location projection
    reads it back from (`storage.location.template`, else `<LOCATION>/k=v/`).  A value the
    projection cannot produce is refused: its rows could never be read again."""
    from .config import column_projection
    props = _properties(table)
    template = props.get("storage.location.template")
    combo = []
    for key, value in zip(table.partition_keys, values):
        if f"projection.{key.name}.type" not in props:
            raise MetastoreError(f"Table {table.qualified_name} is configured for partition "
                                 f"projection, but column {key.name} has no projection configuration")
        picked = column_projection(key, props).accepts(value)
        if picked is None:
            raise InvalidPartitionValue(
                f"Invalid partition value for table {table.qualified_name}: {key.name}='{value}' is "
                f"outside its partition projection (projection.{key.name}.*), so it could not be "
                "read back")
        combo.append(picked)
    return _location(table, template, _template_folder(template), combo)


def _candidates(table: Table, column: Column, predicates, matching) -> list[tuple[str, str]]:
    literals = None
    for pred in predicates:
        found = _equality_literals(pred, column.name)
        if found is not None:
            literals = found if literals is None else [v for v in literals if v in found]
    if literals is not None:
        picked = dict.fromkeys(filter(None, map(column.accepts, literals)))
        values = list(picked)
    elif column.type == "injected":
        raise ConstraintViolation(f"Injected projected partition column {column.name} must have only "
                                  f"(and at least one) equality conditions in the WHERE clause!")
    elif column.count > MAX_PARTITIONS:
        raise _too_many(table)
    else:
        values = list(column.values())
    if not predicates or not values:
        return values
    # Filter this column's candidates alone, with the query's own semantics.
    key = next(k for k in table.partition_keys if k.name == column.name)
    keep = matching({key.name: (key.type, [v for v, _ in values])}, predicates)
    return [v for i, v in enumerate(values) if i in keep]


def _equality_literals(pred: exp.Expression, name: str) -> list[str] | None:
    """The values of `col = lit`, `col IN (lits)` and ORs of them; None for any other predicate."""
    while isinstance(pred, exp.Paren):
        pred = pred.this
    if isinstance(pred, exp.Or):
        left, right = _equality_literals(pred.left, name), _equality_literals(pred.right, name)
        return None if left is None or right is None else left + right
    if isinstance(pred, exp.EQ):
        sides = [pred.this, pred.expression]
        cols = [s for s in sides if isinstance(s, exp.Column) and s.name.lower() == name]
        lits = [s for s in sides if isinstance(s, exp.Literal)]
        return [lits[0].this] if cols and lits else None
    if isinstance(pred, exp.In) and isinstance(pred.this, exp.Column) and not pred.args.get("query"):
        items = pred.expressions
        if items and all(isinstance(i, exp.Literal) for i in items):
            return [i.this for i in items]
    return None


def _template_folder(template: str | None) -> "tuple[str, Location | None] | None":
    """The folder of storage.location.template before its first placeholder (as written,
    and parsed once per query: None when it names no location) that partitions stay in."""
    if template is None:
        return None
    folder = template.split("${", 1)[0].rpartition("/")[0] or "/"
    try:
        return folder, Location.parse(folder)
    except InvalidLocation:
        return folder, None


def _location(table: Table, template: str | None, folder, combo) -> str:
    """The partition's folder; a value that would move it out of the table's is refused."""
    values = tuple(v for v, _ in combo)
    if template is None:
        from ..catalog.show import partition_name
        base = (table.location or "").rstrip("/")
        text = f"{base}/{partition_name(table.partition_keys, values)}/"
        return text
    texts = {k.name: text for k, (_, text) in zip(table.partition_keys, combo)}
    text = _PLACEHOLDER.sub(lambda m: texts.get(m.group(1).lower(), m.group(0)), template)
    folder, parsed = folder
    try:
        inside = parsed is not None and Location.parse(text).within(parsed)
    except InvalidLocation:
        inside = False
    if not inside:
        written = ", ".join(f"{k.name}='{v}'" for k, v in zip(table.partition_keys, values))
        raise InvalidPartitionValue(
            f"Invalid partition value for table {table.qualified_name} ({written}): its location "
            f"{text} would leave the folder {folder.rstrip('/')}/ of storage.location.template")
    return text


def _properties(table: Table) -> dict[str, str]:
    """Table properties with `projection.<col>.` keys' column part in lower case, like column names."""
    out = {}
    for key, value in table.table_properties.items():
        parts = key.split(".")
        if parts[0] == "projection" and len(parts) >= 3:
            key = ".".join([parts[0], parts[1].lower(), *parts[2:]])
        out[key] = value
    return out


def _too_many(table: Table) -> PartitionLimit:
    return PartitionLimit(f"Query over table '{table.qualified_name}' can potentially read more than "
                          f"{MAX_PARTITIONS} partitions")
