"""`parthenon shell`: an interactive prompt with history and completion.

Statements end with ';' and may span lines.  Completion offers SQL keywords,
the current database's tables and views, and their columns.
"""
from __future__ import annotations

import sys
import time

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import Completer, Completion
from prompt_toolkit.history import FileHistory

from . import config
from .errors import ParthenonError
from .output import footer, render_table
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

    def get_completions(self, document, complete_event):
        word = document.get_word_before_cursor(WORD=False)
        if not word:
            return
        for candidate in self.words():
            if candidate.lower().startswith(word.lower()):
                # keywords follow the case the user types in
                text = candidate.lower() if candidate.isupper() and word.islower() else candidate
                yield Completion(text, start_position=-len(word))


def run_shell(database: str = "default") -> int:
    session = Session(database=database)
    prompt = PromptSession(history=FileHistory(str(config.home() / "shell_history")),
                           completer=CatalogCompleter(session), complete_while_typing=False)
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
            if not text.endswith(";") and text.lower() not in ("exit", "quit"):
                continue
            buffer = []
            if text.rstrip(";").strip().lower() in ("exit", "quit"):
                break
            run_and_print(session, text)
    finally:
        session.close()
    return 0


def run_and_print(session: Session, script: str) -> None:
    started = time.perf_counter()
    try:
        for _, result in session.execute_script(script):
            print(render_table(result))
            print(footer(result, time.perf_counter() - started))
            started = time.perf_counter()
    except ParthenonError as e:
        print(str(e), file=sys.stderr)
