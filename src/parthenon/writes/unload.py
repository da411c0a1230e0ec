"""UNLOAD (SELECT ...) TO 'location' WITH (format = ..., compression, field_delimiter, partitioned_by).

Files only, no table: the query's rows in the chosen format under the target
(which must hold no data), `key=value/` folders for partitioned_by (those columns
leave the files, as Athena does), and the manifest in the query's result folder.
SQLGlot keeps UNLOAD as a bare command; its parts are read from the tokens here.
"""
from __future__ import annotations

import re

import sqlglot
from sqlglot.errors import TokenError
from sqlglot.tokens import TokenType

from ..catalog.ddl_support import checked_location
from ..errors import SqlSyntaxError
from ..result import Result
from ..sql.hive_tokens import closing_paren
from ..sql.parser import parse_statement
from . import WriteContext, written
from .ctas import folder, require_empty
from .layout import PartitionedWriter, folder_name
from .options import unload_options
from .schema import conform_batch, new_table_columns, target_schema
from .staging import Undo, WriteJob

_SYNTAX = "UNLOAD (SELECT ...) TO 's3://bucket/prefix/' WITH (format = 'PARQUET', ...)"


def unload(session, statement, ast, text: str, ctx: WriteContext) -> Result:
    query_text, location, props_text = split_unload(text)
    props = parse_statement(f"CREATE TABLE _unload WITH ({props_text}) AS SELECT 1") \
        .args.get("properties") if props_text else None
    options = unload_options(props)
    location = folder(checked_location(location))
    # where results may go, and not inside a table (its files would become the table's rows)
    session.store.locations.check_output(location, session.store.table_holding)
    require_empty(location, "UNLOAD")
    query = parse_statement(query_text)
    with session.rows(query, text) as rows:
        columns, keys = new_table_columns(rows.schema, rows.types, options.partitioned_by, [],
                                          options.format)
        schema = target_schema([*columns, *keys])
        job = WriteJob(session.home, ctx.query_id, location)
        job.begin()
        writer = PartitionedWriter(options.format, options, columns, keys,
                                   lambda values: location + folder_name(keys, values),
                                   job.staged_path, ctx.query_id)
        try:
            for batch in rows.batches:
                writer.write(conform_batch(batch, schema))
            out = writer.close()
            files = job.commit(lambda: None, Undo(), ctx.stop_reason(rows.bytes_scanned()))
        except BaseException:
            writer.abort()
            job.abort(session.store)
            raise
        scanned = rows.bytes_scanned()
    return written(out.rows, files, ctx, scanned,
                   f"{out.rows} row{'' if out.rows == 1 else 's'} unloaded to {location}")


def split_unload(text: str) -> tuple[str, str, str | None]:
    """(query text, padded so positions stay those of `text`; location; WITH's inside)."""
    try:
        head = sqlglot.tokenize(text, read="athena")     # UNLOAD, then the rest as one string
        after = head[0].end + 1 if head and head[0].text.upper() == "UNLOAD" else 0
        tokens = sqlglot.tokenize(re.sub(r"[^\n]", " ", text[:after]) + text[after:], read="athena")
    except TokenError as e:
        raise SqlSyntaxError(str(e), 1, 1) from None
    i = 0 if after and tokens else None
    if i is None or i >= len(tokens) or tokens[i].token_type != TokenType.L_PAREN:
        raise SqlSyntaxError(f"expected '(' after UNLOAD: {_SYNTAX}", *_where(text, tokens, i))
    j = closing_paren(tokens, i)
    if j is None:
        raise SqlSyntaxError(f"UNLOAD's query is missing its closing ')': {_SYNTAX}", 1, 1)
    start, end = tokens[i].end + 1, tokens[j].start
    query = re.sub(r"[^\n]", " ", text[:start]) + text[start:end]
    k = j + 1
    if k + 1 >= len(tokens) or tokens[k].text.upper() != "TO" or \
            tokens[k + 1].token_type != TokenType.STRING:
        raise SqlSyntaxError(f"expected TO 'location' after UNLOAD's query: {_SYNTAX}",
                             *_where(text, tokens, k))
    location = tokens[k + 1].text
    k += 2
    if k >= len(tokens) or tokens[k].token_type == TokenType.SEMICOLON:
        return query, location, None
    if tokens[k].text.upper() != "WITH" or k + 1 >= len(tokens) or \
            tokens[k + 1].token_type != TokenType.L_PAREN or tokens[-1].token_type != TokenType.R_PAREN:
        raise SqlSyntaxError(f"expected WITH (...) after UNLOAD's location: {_SYNTAX}",
                             *_where(text, tokens, k))
    return query, location, text[tokens[k + 1].end + 1:tokens[-1].start]


def _where(text: str, tokens, i) -> tuple[int, int]:
    if i is None or i >= len(tokens):
        return 1, 1
    before = text[:tokens[i].start]
    return before.count("\n") + 1, tokens[i].start - (before.rfind("\n") + 1) + 1
