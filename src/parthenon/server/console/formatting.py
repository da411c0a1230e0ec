"""Format query: SQLGlot's pretty printing in Athena's dialect, statement by statement.

Only queries are re-printed; DDL and commands SQLGlot keeps as bare text (MSCK,
Hive's CREATE EXTERNAL TABLE forms) are left as typed, since re-printing them could
change what they mean.  A syntax error comes back as Athena's error, with its position.
"""
from __future__ import annotations

from sqlglot import exp

from ...sql.parser import DIALECT, parse_script

_QUERIES = (exp.Query, exp.Insert, exp.Describe)


def format_sql(script: str) -> str:
    out = []
    for statement in parse_script(script):
        ast = statement.ast
        out.append(ast.sql(dialect=DIALECT, pretty=True) if isinstance(ast, _QUERIES) else statement.text)
    return ";\n\n".join(out) + (";" if out and script.rstrip().endswith(";") else "")
