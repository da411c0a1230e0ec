"""A cursor over Hive tokens, for the statements SQLGlot returns as bare Commands.

ALTER TABLE ... ADD PARTITION, MSCK REPAIR TABLE, CREATE DATABASE with options
and every SHOW come back from SQLGlot as ``exp.Command``.  Reading their
tokens (not regexes over the text) respects quoting and escapes, and keeps
positions for ``SYNTAX_ERROR: line L:C`` messages.
"""
from __future__ import annotations

import re

import sqlglot
from sqlglot.errors import TokenError
from sqlglot.tokens import Token, TokenType

from ..catalog.model import CATALOG
from ..errors import NotSupported, SqlSyntaxError

# a partition spec as written: [(key, value, (line, column) of the key)]
Spec = list[tuple[str, str, tuple[int, int]]]

def tokenize(text: str, dialect: str = "hive") -> list[Token]:
    try:
        return sqlglot.tokenize(text, read=dialect)
    except TokenError as e:
        raise SqlSyntaxError(f"cannot read the statement: {e}".split("\n")[0], 1, 1) from None


def closing_paren(tokens: list[Token], i: int) -> int | None:
    """The index of the ')' that closes the '(' at ``tokens[i]``, or None if it is never closed."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].token_type == TokenType.L_PAREN:
            depth += 1
        elif tokens[j].token_type == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                return j
    return None


# Tokens after which SQLGlot's tokenizer returns the rest of the statement as one string.
_COMMAND_TOKENS = {TokenType.COMMAND, TokenType.SHOW, TokenType.EXECUTE, TokenType.FETCH}


# Hive's keywords in the forms of ALTER and friends, for naming a form that is not supported.
_FORM_KEYWORDS = set("""ADD ARCHIVE AS BUCKETS BY CASCADE CHANGE CLUSTERED COLUMN COLUMNS COMPACT
    CONCATENATE CONSTRAINT DATABASE DBPROPERTIES DIRECTORIES DISABLE DROP ENABLE EXCHANGE FILEFORMAT
    FOREIGN INTO KEY LOCATION NOT NO_DROP OFFLINE OWNER PARTITION PARTITIONS PRIMARY PROTECTION RECOVER
    RENAME REPLACE SCHEMA SERDE SERDEPROPERTIES SET SKEWED SORTED STATISTICS STORED TBLPROPERTIES TO
    TOUCH UNARCHIVE UNSET UPDATE""".split())


class HiveTokens:
    """Just enough of a parser for the Hive statements SQLGlot returns as Commands."""

    NAME_TYPES = (TokenType.VAR, TokenType.IDENTIFIER)

    def __init__(self, text: str):
        self.text = text
        # SHOW FUNCTIONS is Trino's statement: its strings have no backslash escapes
        # (LIKE 'a\_%' ESCAPE '\'), where Hive's DDL strings have them ('\t')
        dialect = "trino" if re.match(r"\s*SHOW\s+FUNCTIONS\b", text, re.IGNORECASE) else "hive"
        self.tokens = [t for t in tokenize(text, dialect) if t.token_type != TokenType.SEMICOLON]
        if self.tokens and self.tokens[0].token_type in _COMMAND_TOKENS:
            # SHOW, MSCK REPAIR: the tokenizer keeps the rest as one string; tokenize it again.
            head = self.tokens[0]
            blank = re.sub(r"[^\n]", " ", text[:head.end + 1])   # keeps offsets and lines
            rest = tokenize(blank + text[head.end + 1:], dialect)
            self.tokens = [Token(TokenType.VAR, w, head.line, head.col, head.start, head.end)
                           for w in head.text.split()]
            self.tokens += [t for t in rest if t.token_type != TokenType.SEMICOLON]
        self.i = 0

    # looking
    def at_end(self) -> bool:
        return self.i >= len(self.tokens)

    def peek(self) -> Token | None:
        return None if self.at_end() else self.tokens[self.i]

    def peek_word(self) -> str | None:
        tok = self.peek()
        return tok.text.upper() if tok is not None and tok.token_type != TokenType.STRING else None

    def peek_is_string(self) -> bool:
        tok = self.peek()
        return tok is not None and tok.token_type == TokenType.STRING

    def previous_word(self) -> str:
        return self.tokens[self.i - 1].text.upper()

    def rest_words(self) -> list[str]:
        return [t.text.upper() for t in self.tokens[self.i:]]

    def form_words(self) -> list[str]:
        """The leading keywords left, a (...) group as one word: what names a statement's form.

        Stops at the first word that is not one of Hive's statement keywords (a name, a value).
        """
        words, depth = [], 0
        for tok in self.tokens[self.i:]:
            if tok.token_type == TokenType.L_PAREN:
                if depth == 0:
                    words.append("(...)")
                depth += 1
            elif tok.token_type == TokenType.R_PAREN:
                depth = max(0, depth - 1)
            elif depth == 0:
                if tok.token_type == TokenType.STRING or tok.text.upper() not in _FORM_KEYWORDS:
                    break
                words.append(tok.text.upper())
        return words

    # consuming
    def accept(self, *words: str) -> bool:
        if self.peek_word() in words:
            self.i += 1
            return True
        return False

    def accept_sequence(self, *words: str) -> bool:
        if self.rest_words()[:len(words)] == list(words) and \
                all(t.token_type != TokenType.STRING for t in self.tokens[self.i:self.i + len(words)]):
            self.i += len(words)
            return True
        return False

    def expect(self, *words: str) -> str:
        if not self.accept(*words):
            self.fail(" or ".join(words))
        return self.previous_word()

    def end(self) -> None:
        if not self.at_end():
            self.fail("end of statement")

    def name(self) -> str:
        tok = self.peek()
        if tok is None or tok.token_type == TokenType.STRING or not re.match(r"\w", tok.text):
            self.fail("a name")
        self.i += 1
        return tok.text.lower()

    def table_name(self, database: str) -> tuple[str, str]:
        parts = [self.name()]
        while self.accept("."):
            parts.append(self.name())
        if len(parts) == 3 and parts[0] == CATALOG:
            parts = parts[1:]
        if len(parts) > 2:
            raise NotSupported(f"Catalog '{parts[0]}' is not supported: Parthenon has one catalog, "
                               f"{CATALOG}")
        return (parts[0], parts[1]) if len(parts) == 2 else (database, parts[0])

    def string(self) -> str:
        tok = self.peek()
        if tok is None or tok.token_type != TokenType.STRING:
            self.fail("a quoted string")
        self.i += 1
        return tok.text

    def value(self) -> str:
        """A partition value: 'string', number or -number, as text."""
        negative = self.accept("-")
        tok = self.peek()
        if tok is not None and tok.token_type in (TokenType.STRING, TokenType.NUMBER) and \
                not (negative and tok.token_type == TokenType.STRING):
            self.i += 1
            return ("-" if negative else "") + tok.text
        self.fail("a partition value (a quoted string or a number)")

    def properties(self) -> dict[str, str]:
        """('k'='v', ...)"""
        self.expect("(")
        props = {}
        while True:
            key = self.string()
            self.expect("=")
            props[key] = self.string()
            if not self.accept(","):
                break
        self.expect(")")
        return props

    def partition_spec(self) -> Spec:
        """(k='v', k2=1): [(key, value, position of key)] in the order written."""
        self.expect("(")
        spec = []
        while True:
            tok = self.peek()
            key = self.name()
            self.expect("=")
            spec.append((key, self.value(), self.position(tok)))
            if not self.accept(","):
                break
        self.expect(")")
        return spec

    def group_text(self) -> str:
        """The text inside a parenthesized group, as written; the cursor moves past its ')'."""
        opening = self.peek()
        self.expect("(")
        j = closing_paren(self.tokens, self.i - 1)
        if j is None:
            self.i = len(self.tokens)
            self.fail("')'")
        self.i = j + 1
        return self.text[opening.end + 1:self.tokens[j].start]

    def text_until(self, words: set[str]) -> str:
        """The text up to (not including) one of ``words`` outside brackets, or to the end."""
        first = self.peek()
        depth, last = 0, None
        while not self.at_end():
            tok = self.tokens[self.i]
            if depth == 0 and tok.token_type != TokenType.STRING and tok.text.upper() in words:
                break
            depth += tok.text.count("<") + tok.text.count("(") - tok.text.count(">") - tok.text.count(")")
            last = tok
            self.i += 1
        return "" if last is None else self.text[first.start:last.end + 1]

    def position(self, tok: Token) -> tuple[int, int]:
        """(line, column) where a token starts in the statement."""
        line_start = self.text.rfind("\n", 0, tok.start) + 1
        return self.text.count("\n", 0, tok.start) + 1, tok.start - line_start + 1

    def fail(self, expected: str):
        self.fail_at(self.peek(), expected)

    def fail_at(self, tok: Token | None, expected: str):
        if tok is None:
            end = len(self.text.rstrip().rstrip(";").rstrip())
            line_start = self.text.rfind("\n", 0, end) + 1
            raise SqlSyntaxError(f"mismatched input '<EOF>'. Expecting: {expected}",
                                 self.text.count("\n", 0, end) + 1, end - line_start + 1)
        raise SqlSyntaxError(f"mismatched input '{tok.text}'. Expecting: {expected}",
                             *self.position(tok))
