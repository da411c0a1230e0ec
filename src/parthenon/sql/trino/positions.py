"""Where a node of a parsed query stands in the statement's text, as Athena reports it."""
from __future__ import annotations

from sqlglot import exp


def position(node: exp.Expression) -> tuple[int | None, int | None]:
    """(line, column) of a node's first token, 1-based, as Athena reports it."""
    for n in [node, *node.walk()]:
        meta = n.meta if hasattr(n, "meta") else {}
        if meta.get("line") is not None and meta.get("col") is not None:
            start, end = meta.get("start"), meta.get("end")
            col = meta["col"] - (end - start) if start is not None and end is not None else meta["col"]
            return meta["line"], max(1, col)
    return None, None
