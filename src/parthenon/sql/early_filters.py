"""Which rows of a scan the query's WHERE drops for certain (Scan.early_filters).

A decoder that can test a column's text as it decodes (the fast CloudTrail scan: chdb) then
drops those rows before building them, so fewer rows are made and handed to the engine:
the seed query keeps 3 records in 100.  The engine still applies the whole
WHERE; an early filter only names rows it would drop anyway, so a reader may ignore it.

Hence only what cannot change a result:
- the table must be the only source of its SELECT (no join: an outer join's WHERE may keep
  a row only because the other side is NULL, and a filter below the join would change which
  rows are NULL-extended; simple inner joins are left out too, for simplicity);
- only top-level AND conjuncts of that SELECT's WHERE, each exactly `column = 'text'`,
  `'text' = column` or `column IN ('text', ...)` over a STRING data column of the table
  (not a partition or hidden column, not a struct field): Trino compares varchar by its
  bytes, and NULL never passes.
"""
from __future__ import annotations

from sqlglot import exp

from ..catalog.hive_types import parse_hive_type
from ..catalog.model import Table
from ..formats.scan import TextIn


def early_filters(node: exp.Table, table: Table, alias: str) -> tuple[TextIn, ...]:
    """The conditions of `node`'s SELECT's WHERE every row of `table` (read as `alias`) it
    keeps meets, as Scan.early_filters."""
    select = node.parent.parent if isinstance(node.parent, exp.From) else None
    if not isinstance(select, exp.Select) or select.args.get("joins") or select.args.get("laterals"):
        return ()
    where = select.args.get("where")
    if where is None:
        return ()
    strings = {c.name.lower(): c.name for c in table.columns if parse_hive_type(c.type).name == "string"}
    conjuncts = where.this.flatten() if isinstance(where.this, exp.And) else [where.this]
    found = []
    for conjunct in conjuncts:
        column, texts = _column_and_texts(conjunct)
        if column is None or column.args.get("db") or column.args.get("catalog"):
            continue
        if column.table and column.table.lower() != alias.lower():
            continue
        name = strings.get(column.name.lower())
        if name is not None:
            found.append(TextIn(name, frozenset(texts)))
    return tuple(found)


def _column_and_texts(conjunct: exp.Expression) -> tuple[exp.Column | None, list[str]]:
    """(column, texts) of `column = 'text'`, `'text' = column` or `column IN ('text', ...)`."""
    if isinstance(conjunct, exp.EQ):
        sides = [conjunct.this, conjunct.expression]
        for column, text in (sides, sides[::-1]):
            if isinstance(column, exp.Column) and _is_text(text):
                return column, [text.this]
    elif isinstance(conjunct, exp.In) and isinstance(conjunct.this, exp.Column) and \
            conjunct.expressions and not conjunct.args.get("query") and \
            not conjunct.args.get("unnest") and all(_is_text(e) for e in conjunct.expressions):
        return conjunct.this, [e.this for e in conjunct.expressions]
    return None, []


def _is_text(node: exp.Expression) -> bool:
    return isinstance(node, exp.Literal) and node.is_string
