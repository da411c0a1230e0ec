"""`parthenon shell`: an interactive prompt with history and completion.

Statements end with ';' and may span lines.  Completion offers SQL keywords,
the current database's tables and views, and their columns; after a dot, a
database's tables, a table's columns or a struct column's fields.
"""
from __future__ import annotations

import logging
import re
import sys
import time

import sqlglot
from prompt_toolkit import PromptSession
from prompt_toolkit.completion import Completer, Completion
from prompt_toolkit.history import FileHistory
from sqlglot.errors import TokenError
from sqlglot.tokens import TokenType

from . import config
from .cancellation import CANCELLED_MESSAGE, run_cancellable
from .errors import ParthenonError, QueryCancelled
from .output import footer, render_table
from .progress import ProgressBar
from .session import Session

KEYWORDS = """SELECT FROM WHERE GROUP BY ORDER HAVING LIMIT OFFSET JOIN LEFT RIGHT FULL INNER OUTER
CROSS UNNEST WITH ORDINALITY AS ON AND OR NOT IN IS NULL LIKE BETWEEN CASE WHEN THEN ELSE END
DISTINCT COUNT SUM AVG MIN MAX APPROX_DISTINCT CAST TRY_CAST TRY UNION ALL EXCEPT INTERSECT
DESC ASC CREATE EXTERNAL TABLE DATABASE SCHEMA VIEW DROP ALTER ADD PARTITION PARTITIONED
LOCATION ROW FORMAT SERDE SERDEPROPERTIES STORED INPUTFORMAT OUTPUTFORMAT TBLPROPERTIES IF
EXISTS SHOW TABLES DATABASES PARTITIONS COLUMNS DESCRIBE FORMATTED MSCK REPAIR USE STRING
BIGINT INT DOUBLE BOOLEAN TIMESTAMP DATE STRUCT ARRAY MAP JSON_EXTRACT_SCALAR
FROM_ISO8601_TIMESTAMP DATE_PARSE REGEXP_EXTRACT ELEMENT_AT""".split()


class CatalogCompleter(Completer):
    def __init__(self, session: Session):
        self.session = session

    def words(self) -> list[str]:
        words = list(KEYWORDS)
        try:
            for table in self.session.store.list_tables(self.session.database):
                words.append(table.name)
                words.extend(c.name for c in table.all_columns)
            words.extend(db.name for db in self.session.store.list_databases())
        except ParthenonError:
            pass
        return sorted(set(words), key=str.lower)

    def dotted(self, path: list[str]) -> list[str]:
        """What may follow `a.b.`: a database's tables, a table's columns, a struct's fields."""
        store, first = self.session.store, path[0].lower()
        try:
            if len(path) == 1 and store.get_database(first) is not None:
                return [t.name for t in store.list_tables(first)]
            tables = store.list_tables(self.session.database)
        except ParthenonError:
            return []
        named = [t for t in tables if t.name == first]
        if named:
            if len(path) == 1:
                return [c.name for c in named[0].all_columns]
            first, path = path[1].lower(), path[1:]
            tables = named
        types = [c.type for t in tables for c in t.all_columns if c.name == first]
        for field in path[1:]:
            types = [f_type for t in types for name, f_type in struct_fields(t) if name == field.lower()]
        return [name for t in types for name, _ in struct_fields(t)]

    def get_completions(self, document, complete_event):
        word = document.get_word_before_cursor(WORD=False)
        before = document.text_before_cursor
        prefix = re.search(r"((?:[A-Za-z_]\w*\.)+)(\w*)$", before)
        if prefix:
            word = prefix.group(2)
            for candidate in sorted(set(self.dotted(prefix.group(1).rstrip(".").split(".")))):
                if candidate.lower().startswith(word.lower()):
                    yield Completion(candidate, start_position=-len(word))
            return
        if not word or not re.fullmatch(r"\w+", word):
            return
        for candidate in self.words():
            if candidate.lower().startswith(word.lower()):
                # keywords follow the case the user types in
                text = candidate.lower() if candidate.isupper() and word.islower() else candidate
                yield Completion(text, start_position=-len(word))


def struct_fields(hive_type: str) -> list[tuple[str, str]]:
    """The fields of a Hive `struct<a:string,b:struct<...>>` type as (name, type); [] otherwise."""
    text = hive_type.strip()
    if not (text.lower().startswith("struct<") and text.endswith(">")):
        return []
    fields, depth, start, body = [], 0, 0, text[7:-1]
    for i, ch in enumerate(body + ","):
        if ch in "<(":
            depth += 1
        elif ch in ">)":
            depth -= 1
        elif ch == "," and depth == 0:
            name, _, f_type = body[start:i].partition(":")
            fields.append((name.strip().strip("`").lower(), f_type.strip()))
            start = i + 1
    return fields


def run_shell(database: str = "default", quiet: bool = False) -> int:
    logging.getLogger("sqlglot").setLevel(logging.ERROR)   # its Command warnings are noise here
    session = Session(database=database)
    try:
        session.store.require_database(session.database)
    except ParthenonError:
        session.close()
        raise
    prompt = PromptSession(history=FileHistory(str(config.home() / "shell_history")),
                           completer=CatalogCompleter(session), complete_while_typing=False)
    bar = ProgressBar.for_stream(sys.stderr, session.progress_snapshot, quiet=quiet)
    print("Parthenon shell: end statements with ';', exit with Ctrl-D.")
    buffer: list[str] = []
    try:
        while True:
            try:
                line = prompt.prompt(f"{session.database}> " if not buffer else "   ...> ")
            except KeyboardInterrupt:
                buffer = []
                continue
            except EOFError:
                break
            buffer.append(line)
            text = "\n".join(buffer).strip()
            if not statement_complete(text) and text.lower() not in ("exit", "quit"):
                continue
            buffer = []
            if text.rstrip(";").strip().lower() in ("exit", "quit"):
                break
            run_and_print(session, text, bar)
    finally:
        session.close()
    return 0


def statement_complete(text: str) -> bool:
    """True when the text ends with a ';' that is SQL, not inside a string or comment."""
    try:
        tokens = sqlglot.tokenize(text, read="athena")
    except TokenError:          # an unterminated string or comment: keep reading
        return False
    return bool(tokens) and tokens[-1].token_type == TokenType.SEMICOLON


def run_and_print(session: Session, script: str, bar: ProgressBar | None = None) -> None:
    def run():
        started = time.perf_counter()
        for _, result in session.execute_script(script):
            if bar is not None:
                bar.clear()
            print(render_table(result))
            print(footer(result, time.perf_counter() - started))
            started = time.perf_counter()
    try:
        try:
            # no time bound: the next statement needs the session the query holds
            run_cancellable(run, session.engine.interrupt, tick=bar.tick if bar is not None else None)
        finally:
            if bar is not None:
                bar.clear()         # before a message, and before the prompt comes back
    except QueryCancelled:              # Ctrl-C stops the query, not the shell
        print(CANCELLED_MESSAGE, file=sys.stderr)
    except KeyboardInterrupt:           # a second Ctrl-C while the query lets go
        print(CANCELLED_MESSAGE, file=sys.stderr)
    except ParthenonError as e:
        print(str(e), file=sys.stderr)
    except Exception as e:              # a bug must not end the session or show a traceback
        print(f"GENERIC_INTERNAL_ERROR: {type(e).__name__}: {e}".split("\n")[0], file=sys.stderr)
