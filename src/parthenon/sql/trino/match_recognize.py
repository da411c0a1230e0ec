"""Trino's MATCH_RECOGNIZE clause (row pattern recognition), read from the statement text.

SQLGlot reads only part of the clause (no SUBSET, no ``RUNNING``/``FINAL`` inside an
expression, no ``{- -}`` exclusions, one clause per SELECT), so the parser takes each
clause out of the text before SQLGlot sees it (``extract``): the clause becomes the
placeholder relation ``CROSS JOIN __match_recognize`` (blank-padded, newlines kept, so
every later token keeps its line and column), and ``attach`` hangs the parsed clause on
the placeholder's table node (``meta["match_recognize"]``), which only the parser can
set.  The engine replaces the placeholder and the relation before it by the clause's
result (engine/duckdb/match_recognize.py); an engine that cannot refuses it.

The clause's expressions (PARTITION BY, ORDER BY, MEASURES, DEFINE) are SQLGlot trees
with the statement's line:column positions; ``RUNNING f(...)``/``FINAL f(...)`` read as a
call of ``RUNNING_f``/``FINAL_f`` (same length, so positions hold).  The pattern is a
small tree (``row_patterns``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError
from sqlglot.tokens import TokenType

from ...errors import SqlSyntaxError
from . import row_patterns
from ..hive_tokens import closing_paren

PLACEHOLDER = "CROSS JOIN __match_recognize"
META = "match_recognize"

ONE, SHOW, OMIT, WITH_UNMATCHED = "ONE", "SHOW", "OMIT", "WITH_UNMATCHED"


@dataclass
class MatchClause:
    line: int
    col: int
    partition: list[exp.Expression] = field(default_factory=list)
    order: list[exp.Ordered] = field(default_factory=list)
    measures: list[tuple[str, exp.Expression]] = field(default_factory=list)
    rows: str = ONE
    skip: tuple[str, str | None] = ("PAST", None)     # PAST | NEXT | FIRST v | LAST v
    pattern: tuple = ("empty",)
    subsets: dict[str, list[str]] = field(default_factory=dict)
    define: dict[str, exp.Expression] = field(default_factory=dict)

    def variables(self) -> list[str]:
        return row_patterns.variables(self.pattern)


def label(identifier: exp.Identifier | str, quoted: bool = False) -> str:
    """A pattern variable's name: upper case unless quoted (Trino's identifiers)."""
    if isinstance(identifier, exp.Identifier):
        return identifier.name if identifier.quoted else identifier.name.upper()
    return identifier if quoted else identifier.upper()


# -- taking the clauses out of the text

def extract(text: str, tokens: list) -> tuple[str, list[tuple[int, MatchClause]]]:
    """The text with each MATCH_RECOGNIZE clause replaced by the placeholder, and the
    clauses with the offset of their placeholder's table name."""
    clauses: list[tuple[int, MatchClause]] = []
    pieces, last = [], 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.token_type != TokenType.MATCH_RECOGNIZE:
            i += 1
            continue
        if i + 1 >= len(tokens) or tokens[i + 1].token_type != TokenType.L_PAREN:
            raise _error(text, tokens[i + 1] if i + 1 < len(tokens) else tok, "mismatched input. Expecting: '('")
        j = closing_paren(tokens, i + 1)
        if j is None:
            raise _error(text, tokens[-1], "mismatched input '<EOF>'. Expecting: ')'")
        clause = _parse_clause(text, tok, tokens[i + 2:j], tokens[j])
        start, end = tok.start, tokens[j].end + 1
        span = text[start:end]
        blank = "".join(c if c == "\n" else " " for c in span)
        placeholder = PLACEHOLDER if len(span) >= len(PLACEHOLDER) else None
        if placeholder is None:      # shorter than any clause: cannot happen
            raise _error(text, tok, "mismatched input 'MATCH_RECOGNIZE'")
        first_line = blank.split("\n")[0]
        if len(first_line) >= len(placeholder):
            replaced = placeholder + blank[len(placeholder):]
        else:        # the clause's first line is short: the placeholder spills onto the next
            replaced = placeholder + " " + blank.replace("\n", " ")[len(placeholder) + 1:]
        pieces.append(text[last:start])
        pieces.append(replaced)
        clauses.append((start + len("CROSS JOIN "), clause))
        last = end
        i = j + 1
    if not clauses:
        return text, []
    pieces.append(text[last:])
    return "".join(pieces), clauses


def attach(ast: exp.Expression, clauses: list[tuple[int, MatchClause]]) -> None:
    """Hang each clause on its placeholder's table node (found by the offset of its name)."""
    by_offset = dict(clauses)
    for table in ast.find_all(exp.Table):
        ident = table.this
        if isinstance(ident, exp.Identifier) and ident.meta.get("start") in by_offset \
                and ident.name == "__match_recognize":
            table.meta[META] = by_offset.pop(ident.meta["start"])
    if by_offset:
        clause = next(iter(by_offset.values()))
        raise SqlSyntaxError("mismatched input 'MATCH_RECOGNIZE'", clause.line, clause.col)


def clause_of(node: exp.Expression) -> MatchClause | None:
    return node.meta.get(META) if isinstance(node, exp.Table) else None


def _error(text: str, tok, message: str) -> SqlSyntaxError:
    return SqlSyntaxError(message, tok.line, tok.col - len(tok.text) + 1 if tok.text else tok.col)


# -- the clause

_SECTIONS = ("PARTITION", "ORDER", "MEASURES", "ONE", "ALL", "AFTER", "PATTERN", "SUBSET", "DEFINE")


def _parse_clause(text: str, head, body: list, close) -> MatchClause:
    line, col = head.line, head.col - len(head.text) + 1
    clause = MatchClause(line, col)
    # sections start at depth-0 keywords, in Trino's order
    starts: list[tuple[str, int]] = []
    depth = 0
    for k, tok in enumerate(body):
        if tok.token_type == TokenType.L_PAREN:
            depth += 1
        elif tok.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and tok.token_type != TokenType.IDENTIFIER:
            word = tok.text.upper()
            nxt = body[k + 1].text.upper() if k + 1 < len(body) else ""
            if word in ("ORDER BY", "PARTITION BY"):     # one token in SQLGlot's tokenizer
                word, nxt = word.split()
            if word in ("PARTITION", "ORDER") and nxt == "BY" or \
                    word in ("MEASURES", "PATTERN", "SUBSET", "DEFINE") or \
                    word == "ONE" and nxt == "ROW" or word == "ALL" and nxt == "ROWS" or \
                    word == "AFTER" and nxt == "MATCH":
                starts.append((word, k))
    if not starts or starts[0][1] != 0:
        raise _error(text, body[0] if body else close, f"mismatched input '{(body[0] if body else close).text}'")
    order = [s[0] for s in starts]
    ranks = [_SECTIONS.index(w) if w != "ALL" else _SECTIONS.index("ONE") for w in order]
    for a, b, (w, k) in zip(ranks, ranks[1:], starts[1:]):
        if b <= a:
            raise _error(text, body[k], f"mismatched input '{body[k].text}'")
    for n, (word, k) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else len(body)
        toks = body[k:end]
        by = 1 if " " in toks[0].text else 2
        if word == "PARTITION":
            clause.partition = _expressions(text, toks[by:], toks[by - 1])
        elif word == "ORDER":
            clause.order = _order(text, toks[by:], toks[by - 1])
        elif word == "MEASURES":
            clause.measures = _measures(text, toks[1:], toks[0])
        elif word in ("ONE", "ALL"):
            clause.rows = _rows(text, toks)
        elif word == "AFTER":
            clause.skip = _skip(text, toks)
        elif word == "PATTERN":
            if len(toks) < 3 or toks[1].token_type != TokenType.L_PAREN or \
                    toks[-1].token_type != TokenType.R_PAREN:
                raise _error(text, toks[1] if len(toks) > 1 else toks[0], "mismatched input. Expecting: '('")
            inner = text[toks[1].end + 1:toks[-1].start]
            base = toks[1].end + 1
            clause.pattern = row_patterns.parse(inner, lambda off, msg: _offset_error(text, base + off, msg))
        elif word == "SUBSET":
            clause.subsets = _subsets(text, toks[1:], toks[0])
        elif word == "DEFINE":
            clause.define = _define(text, toks[1:], toks[0])
    if "PATTERN" not in order:
        raise _error(text, close, "mismatched input ')'. Expecting: 'PATTERN'")
    if "DEFINE" not in order:
        raise _error(text, close, "mismatched input ')'. Expecting: 'DEFINE'")
    return clause


def _offset_error(text: str, offset: int, message: str) -> SqlSyntaxError:
    before = text[:offset]
    line = before.count("\n") + 1
    col = offset - (before.rfind("\n") + 1) + 1
    return SqlSyntaxError(message, line, col)


def _split(toks: list) -> list[list]:
    """Tokens split at depth-0 commas."""
    items, current, depth = [], [], 0
    for tok in toks:
        if tok.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif tok.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        if tok.token_type == TokenType.COMMA and depth == 0:
            items.append(current)
            current = []
        else:
            current.append(tok)
    items.append(current)
    return items


_MODE = re.compile(r"\b(RUNNING|FINAL)(\s+)(?=[A-Za-z_][A-Za-z_0-9]*\s*\()", re.IGNORECASE)


def _select(text: str, toks: list, after) -> exp.Select:
    """`SELECT <the tokens' text>` parsed, its nodes at the statement's positions."""
    if not toks:
        raise _error(text, after, f"mismatched input '{after.text}'")
    start, end = toks[0].start, toks[-1].end + 1
    piece = _MODE.sub(lambda m: m.group(1) + "_" * len(m.group(2)), text[start:end])
    prefix = "SELECT "
    try:
        select = sqlglot.parse_one(prefix + piece, read="athena")
    except ParseError as e:
        err = e.errors[0] if e.errors else {}
        line, col = err.get("line") or 1, err.get("col") or 1
        raise SqlSyntaxError(f"mismatched input '{err.get('highlight') or ''}'",
                             *_shift(text, start, line, col, len(prefix))) from None
    for node in select.walk():
        meta = node.meta
        if meta.get("line") is not None and meta.get("col") is not None:
            meta["line"], meta["col"] = _shift(text, start, meta["line"], meta["col"], len(prefix))
            for key in ("start", "end"):
                if meta.get(key) is not None:
                    meta[key] = meta[key] - len(prefix) + start
    return select


def _shift(text: str, start: int, line: int, col: int, prefix: int) -> tuple[int, int]:
    before = text[:start]
    base_line = before.count("\n") + 1
    base_col = start - (before.rfind("\n") + 1)     # 0-based column of the piece's start
    if line == 1:
        return base_line, col - prefix + base_col
    return base_line + line - 1, col


def _expressions(text: str, toks: list, after) -> list[exp.Expression]:
    return list(_select(text, toks, after).expressions)


def _order(text: str, toks: list, after) -> list[exp.Ordered]:
    out = []
    for item in _split(toks):
        # `x DESC NULLS FIRST` reads as an alias in a select list: take the words back
        words = [t.text.upper() for t in item]
        expr_toks, tail = item, []
        for n in range(len(words)):
            if words[n] in ("ASC", "DESC", "NULLS") and n > 0:
                expr_toks, tail = item[:n], words[n:]
                break
        node = _select(text, expr_toks, after).expressions[0]
        desc = bool(tail) and tail[0] == "DESC"
        nulls_first = "FIRST" in tail[1:] if "NULLS" in tail else None
        out.append(exp.Ordered(this=node, desc=desc,
                               nulls_first=bool(nulls_first)))     # Trino: NULLS LAST unless told
    return out


def _measures(text: str, toks: list, after) -> list[tuple[str, exp.Expression]]:
    out = []
    for item in _split(toks):
        node = _select(text, item, after).expressions[0]
        if not isinstance(node, exp.Alias):
            tok = item[-1]
            raise _error(text, tok, f"mismatched input '{tok.text}'. Expecting: 'AS'")
        out.append((node.alias.lower(), node.this))
    return out


def _rows(text: str, toks: list) -> str:
    words = " ".join(t.text.upper() for t in toks)
    forms = {"ONE ROW PER MATCH": ONE, "ALL ROWS PER MATCH": SHOW,
             "ALL ROWS PER MATCH SHOW EMPTY MATCHES": SHOW,
             "ALL ROWS PER MATCH OMIT EMPTY MATCHES": OMIT,
             "ALL ROWS PER MATCH WITH UNMATCHED ROWS": WITH_UNMATCHED}
    if words not in forms:
        bad = toks[min(len(toks) - 1, 4 if toks[0].text.upper() == "ALL" else 4)]
        raise _error(text, bad, f"mismatched input '{bad.text}'")
    return forms[words]


def _skip(text: str, toks: list) -> tuple[str, str | None]:
    words = [t.text.upper() for t in toks]
    if words[:3] != ["AFTER", "MATCH", "SKIP"] or len(words) < 4:
        bad = toks[min(len(toks) - 1, 3)]
        raise _error(text, bad, f"mismatched input '{bad.text}'")
    rest = words[3:]
    if rest == ["PAST", "LAST", "ROW"]:
        return ("PAST", None)
    if rest == ["TO", "NEXT", "ROW"]:
        return ("NEXT", None)
    if rest[0] == "TO" and len(rest) in (2, 3):
        name_tok = toks[-1]
        name = label(name_tok.text, name_tok.token_type == TokenType.IDENTIFIER)
        if len(rest) == 2:
            return ("LAST", name)
        if rest[1] in ("FIRST", "LAST"):
            return (rest[1], name)
    bad = toks[4] if len(toks) > 4 else toks[-1]
    raise _error(text, bad, f"mismatched input '{bad.text}'")


def _subsets(text: str, toks: list, after) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in _split(toks):
        if len(item) < 5 or item[1].token_type != TokenType.EQ or \
                item[2].token_type != TokenType.L_PAREN or item[-1].token_type != TokenType.R_PAREN:
            bad = item[1] if len(item) > 1 else (item[0] if item else after)
            raise _error(text, bad, f"mismatched input '{bad.text}'")
        name = label(item[0].text, item[0].token_type == TokenType.IDENTIFIER)
        members = [label(t.text, t.token_type == TokenType.IDENTIFIER)
                   for t in item[3:-1] if t.token_type != TokenType.COMMA]
        out[name] = members
    return out


def _define(text: str, toks: list, after) -> dict[str, exp.Expression]:
    out: dict[str, exp.Expression] = {}
    for item in _split(toks):
        if len(item) < 3 or item[1].token_type != TokenType.ALIAS:
            bad = item[1] if len(item) > 1 else (item[0] if item else after)
            raise _error(text, bad, f"mismatched input '{bad.text}'. Expecting: 'AS'")
        name = label(item[0].text, item[0].token_type == TokenType.IDENTIFIER)
        out[name] = _select(text, item[2:], item[1]).expressions[0]
    return out
