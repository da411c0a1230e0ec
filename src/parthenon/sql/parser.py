"""Split a script into statements and parse each with SQLGlot's athena dialect.

Athena reads Hive DDL and Trino DML; SQLGlot's ``athena`` dialect routes each
statement to the right grammar.  Parse errors become Athena's
``SYNTAX_ERROR: line L:C: ...`` with the column of the offending token's start.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

from ..errors import ParthenonError, SqlSyntaxError
from .trino import distinct_arguments, interval_literals  # noqa: F401 - corr(DISTINCT x, y), INTERVAL '12 X' DAY
from .trino import function_arity, match_recognize
from .trino.json_paths import keep_path_texts

DIALECT = "athena"


class _CommandFallbackFilter(logging.Filter):
    """SQLGlot warns each time it keeps a Hive statement (SHOW, ALTER TABLE ... ADD
    PARTITION, MSCK) as a bare Command; Parthenon reads those on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Falling back to parsing as a 'Command'" not in record.getMessage()


logging.getLogger("sqlglot").addFilter(_CommandFallbackFilter())


@dataclass
class Statement:
    text: str                 # the statement's own text, without the trailing ';'
    ast: exp.Expression
    offset: int = 0           # where it starts in its script, for error positions


def statement_spans(script: str) -> list[tuple[str, int]]:
    """(text, offset in the script) of each statement, without the ';' and surrounding space."""
    try:
        tokens = sqlglot.tokenize(script, read=DIALECT)
    except TokenError:
        raise _token_error(script) from None
    pieces, start, has_tokens = [], 0, False
    for tok in tokens:
        if tok.token_type == TokenType.SEMICOLON:
            if has_tokens:
                pieces.append((start, tok.start))
            start, has_tokens = tok.end + 1, False
        else:
            has_tokens = True
    if has_tokens:                      # a trailing piece of only comments is not a statement
        pieces.append((start, len(script)))
    spans = []
    for begin, end in pieces:
        text = script[begin:end]
        spans.append((text.strip(), begin + len(text) - len(text.lstrip())))
    return spans


def in_script(error: ParthenonError, script: str, offset: int) -> ParthenonError:
    """An error about a statement, re-pointed at its line and column in the whole script."""
    if error.line is not None and offset:
        first_line, first_column = _position(script, offset)
        if error.line == 1 and error.column is not None:
            error.column += first_column - 1
        error.line += first_line - 1
    return error


def parse_statement(text: str) -> exp.Expression:
    """One statement's AST; SqlSyntaxError pointing at the offending token."""
    try:
        tokens = sqlglot.tokenize(text, read=DIALECT)
        text, clauses = match_recognize.extract(text, tokens)    # SQLGlot reads too little of it
        if clauses:
            tokens = sqlglot.tokenize(text, read=DIALECT)
        _refuse_lenient_tokens(text, tokens)
        # a comment after the closing semicolon is no statement (SQLGlot: a Semicolon node)
        asts = [a for a in sqlglot.parse(_plain_group_by(text, tokens), read=DIALECT)
                if a is not None and not isinstance(a, exp.Semicolon)]
    except ParseError as e:
        if _is_alter_table(tokens):
            # Hive's ALTER TABLE forms SQLGlot does not know (RENAME TO PARTITION, CHANGE ...
            # AFTER): the catalog reads every ALTER TABLE from its tokens and reports errors.
            return exp.Command(this="ALTER", expression=exp.Literal.string(text))
        first = e.errors[0] if e.errors else {}
        arity = function_arity.error(text, DIALECT, first)
        if arity is not None:
            raise arity from None
        raise _syntax_error(text, first) from None
    except TokenError:
        if re.match(r"\s*SHOW\s+FUNCTIONS\b", text, re.IGNORECASE):
            return _show_functions(text)
        raise _token_error(text) from None
    if not asts:
        raise SqlSyntaxError("empty statement", 1, 1)
    if len(asts) > 1:
        raise SqlSyntaxError("only one statement is allowed here", 1, 1)
    keep_path_texts(asts[0], tokens)
    if clauses:
        match_recognize.attach(asts[0], clauses)
    return asts[0]


def _show_functions(text: str) -> exp.Expression:
    """SHOW FUNCTIONS is Trino's statement, its strings without backslash escapes (LIKE
    'a\\_%' ESCAPE '\\'), which Athena's (Hive's) tokenizer of SHOW statements has."""
    try:
        return sqlglot.parse_one(text, read="trino")
    except (TokenError, ParseError):
        raise _token_error(text) from None


def _is_alter_table(tokens: list) -> bool:
    words = [t.text.upper() for t in tokens if t.text][:2]
    return words == ["ALTER", "TABLE"]


def parse_script(script: str) -> list[Statement]:
    statements = []
    for text, offset in statement_spans(script):
        try:
            statements.append(Statement(text, parse_statement(text), offset))
        except ParthenonError as e:
            raise in_script(e, script, offset) from None
    return statements


def _refuse_lenient_tokens(text: str, tokens: list) -> None:
    """What SQLGlot or DuckDB forgive and Athena does not, refused as Athena's syntax error.

    A query that runs here must also run when pasted into Athena: `a,, b`, `x == 1`,
    adjacent string literals (`IN ('a'\n'b')` is two items missing a comma, not 'ab'),
    a trailing comma before FROM, and DuckDB's own syntax: FROM-first queries,
    `USING SAMPLE`, POSITIONAL and ASOF joins, `$$` strings, `FOR SYSTEM_TIME AS OF`.
    """
    hive = bool(tokens) and tokens[0].token_type.name == "HIVE_TOKEN_STREAM"   # Hive DDL joins strings
    if len(tokens) > 1 and tokens[0].token_type == TokenType.FROM and \
            tokens[2 if len(tokens) > 2 else 1].token_type != TokenType.L_PAREN:
        raise _mismatched(text, tokens[0])     # (FROM read_text(...) is the guard's to refuse)
    for previous, tok in zip(tokens, tokens[1:]):
        kind, before = tok.token_type, previous.token_type
        if kind == TokenType.COMMA and before == TokenType.COMMA:
            raise SqlSyntaxError("mismatched input ','. Expecting: <expression>",
                                 *_position(text, tok.start))
        if kind == TokenType.EQ and tok.text == "==":
            raise SqlSyntaxError("mismatched input '=='", *_position(text, tok.start))
        if kind == TokenType.STRING and before == TokenType.STRING and not hive:
            raise _mismatched(text, tok, "'" + tok.text.replace("'", "''") + "'")
        if kind == TokenType.FROM and before == TokenType.COMMA:
            raise SqlSyntaxError("mismatched input 'FROM'. Expecting: <expression>",
                                 *_position(text, tok.start))
        if kind == TokenType.JOIN and before == TokenType.VAR and previous.text.upper() == "POSITIONAL":
            raise _mismatched(text, tok)
        if before == TokenType.USING and tok.text.upper() == "SAMPLE":
            raise _mismatched(text, previous)
        if before == TokenType.FOR and tok.text.upper() == "SYSTEM_TIME":
            raise _mismatched(text, previous)
    if not hive:
        _refuse_duckdb_syntax(text, tokens)
    for tok in tokens:
        if tok.token_type == TokenType.ASOF:
            raise _mismatched(text, tok)
        if tok.token_type == TokenType.VAR and tok.text.startswith("$"):
            raise SqlSyntaxError("token recognition error at: '$'", *_position(text, tok.start))


# Tokens after which `[` opens DuckDB's list literal, not a subscript
_NOT_SUBSCRIPTABLE = {TokenType.SELECT, TokenType.COMMA, TokenType.L_PAREN, TokenType.EQ, TokenType.NEQ,
                      TokenType.LT, TokenType.GT, TokenType.LTE, TokenType.GTE, TokenType.PLUS,
                      TokenType.DASH, TokenType.STAR, TokenType.SLASH, TokenType.WHERE, TokenType.AND,
                      TokenType.OR, TokenType.THEN, TokenType.ELSE, TokenType.WHEN, TokenType.IN}
# Where a trailing comma ends a list, which Trino's grammar does not allow
_LIST_ENDS = {TokenType.R_PAREN, TokenType.WHERE, TokenType.GROUP_BY, TokenType.ORDER_BY,
              TokenType.LIMIT, TokenType.UNION, TokenType.HAVING}


def _refuse_duckdb_syntax(text: str, tokens: list) -> None:
    """DuckDB's own syntax SQLGlot reads and Trino's grammar has no place for: ``::`` casts,
    ``[1, 2]`` and ``{'a': 1}`` literals, SEMI / ANTI joins, ``* EXCLUDE`` / ``* REPLACE``,
    ILIKE, ``TABLESAMPLE 10%`` without a method, ``LIMIT 10%``, OFFSET after LIMIT, and a
    list ending in a comma.  NATURAL JOIN is Trino syntax Trino does not support."""
    from ..errors import NotSupported

    seen_limit = False
    for i, tok in enumerate(tokens):
        kind = tok.token_type
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if kind in (TokenType.DCOLON, TokenType.L_BRACE, TokenType.SEMI, TokenType.ANTI, TokenType.ILIKE):
            raise _mismatched(text, tok)
        if kind == TokenType.L_BRACKET and (before is None or before.token_type in _NOT_SUBSCRIPTABLE):
            raise _mismatched(text, tok)
        if kind == TokenType.STAR and after is not None and after.text.upper() in ("EXCLUDE", "REPLACE") \
                and (before is None or before.token_type in (TokenType.SELECT, TokenType.COMMA, TokenType.DOT)):
            raise _mismatched(text, after)
        if kind == TokenType.TABLE_SAMPLE and (after is None or after.text.upper() not in ("BERNOULLI", "SYSTEM")):
            raise _mismatched(text, after or tok)
        if kind == TokenType.MOD and before is not None and before.token_type == TokenType.NUMBER and \
                i >= 2 and tokens[i - 2].token_type == TokenType.LIMIT:
            raise _mismatched(text, tok)
        if kind == TokenType.LIMIT:
            seen_limit = True
        if kind == TokenType.OFFSET and seen_limit:
            raise _mismatched(text, tok)
        if kind == TokenType.COMMA and (after is None or after.token_type in _LIST_ENDS):
            raise _expression_expected(text, after)
        if kind == TokenType.NATURAL:
            raise NotSupported("Natural join not supported", *_position(text, tok.start))
        if kind == TokenType.ALL and before is not None and before.token_type == TokenType.ORDER_BY:
            raise _mismatched(text, tok)       # DuckDB's ORDER BY ALL; Trino's ORDER BY has no quantifier
        if kind == TokenType.ALL and before is not None and before.token_type == TokenType.GROUP_BY and \
                (after is None or after.token_type in _LIST_ENDS or after.token_type == TokenType.SEMICOLON):
            # DuckDB's GROUP BY ALL; in Trino, ALL quantifies the grouping elements that must follow
            raise _expression_expected(text, after)


def _plain_group_by(text: str, tokens: list) -> str:
    """``GROUP BY DISTINCT a, b`` / ``GROUP BY ALL a, b`` (Trino's set quantifier, which
    SQLGlot does not read) is ``GROUP BY a, b`` when no grouping sets follow: the
    quantifier only removes duplicate grouping sets.  Blanked, so positions stay."""
    for a, b in zip(tokens, tokens[1:]):
        if a.token_type == TokenType.GROUP_BY and b.token_type in (TokenType.DISTINCT, TokenType.ALL):
            rest = {t.token_type for t in tokens[tokens.index(b):]}
            if not rest & {TokenType.ROLLUP, TokenType.CUBE, TokenType.GROUPING_SETS}:
                text = text[:b.start] + " " * (b.end - b.start + 1) + text[b.end + 1:]
    return text


def _expression_expected(text: str, tok) -> SqlSyntaxError:
    """An expression was due at ``tok`` (None: the end); Athena names the token's first word."""
    return SqlSyntaxError(f"mismatched input '{tok.text.split()[0] if tok else '<EOF>'}'. Expecting: "
                          "<expression>", *_position(text, tok.start if tok else len(text)))


def _mismatched(text: str, tok, shown: str | None = None) -> SqlSyntaxError:
    return SqlSyntaxError(f"mismatched input '{shown or tok.text}'", *_position(text, tok.start))


def _syntax_error(text: str, err: dict) -> SqlSyntaxError:
    """SQLGlot's parse error in Athena's words: mismatched input 'x'. Expecting: ..."""
    line, col = err.get("line") or 1, err.get("col") or 1
    near = err.get("highlight") or ""
    col = max(1, col - len(near) + 1)            # SQLGlot points at the token's end, Athena at its start
    desc = re.sub(r" for <class '[^']+'>", "", err.get("description") or "")
    expected = re.match(r"Expected (.+?) but got <Token token_type: TokenType\.(\w+)", desc)
    if expected:   # SQLGlot shows its token object; SENTINEL is the end of input
        if expected.group(2) == "SENTINEL":
            line, col = _position(text, len(text.rstrip()))
            near = "<EOF>"
        return SqlSyntaxError(f"mismatched input '{near}'. Expecting: {expected.group(1)}", line, col)
    if desc.startswith("Required keyword") and not (err.get("end_context") or "").strip():
        # the statement stopped where more was needed: Athena blames the end of input
        line, col = _position(text, len(text.rstrip()))
        return SqlSyntaxError("mismatched input '<EOF>'. Expecting: <expression>", line, col)
    expecting = re.match(r"Expecting (.+)", desc)
    if expecting:
        return SqlSyntaxError(f"mismatched input '{near}'. Expecting: '{expecting.group(1)}'", line, col)
    if desc.startswith("Invalid expression / Unexpected token") or not desc:
        return SqlSyntaxError(f"mismatched input '{near}'", line, col)
    return SqlSyntaxError(f"mismatched input '{near}'. {desc}", line, col)


def syntax_error(text: str, err: dict) -> SqlSyntaxError:
    """A SQLGlot parse error (its ``errors[0]`` dict, positions in ``text``) in Athena's words."""
    return _syntax_error(text, err)


def position(text: str, offset: int) -> tuple[int, int]:
    """(line, column) of an offset in a statement, both from 1."""
    return _position(text, offset)


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _token_error(text: str) -> SqlSyntaxError:
    """An unterminated string, quoted name or comment, pointed at where it opens (as Athena does)."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("--", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                return SqlSyntaxError(f"token recognition error at: '{text[i:i + 20]}'", *_position(text, i))
            i = end + 2
        elif c in "'\"`":
            end = i + 1
            while True:
                end = text.find(c, end)
                if end < 0:
                    snippet = text[i:].split("\n")[0][:40]
                    return SqlSyntaxError(f"token recognition error at: '{snippet}'", *_position(text, i))
                if text.startswith(c * 2, end):    # a doubled quote is an escaped one
                    end += 2
                    continue
                break
            i = end
        i += 1
    return SqlSyntaxError("cannot read the statement", 1, 1)
