"""Row patterns of MATCH_RECOGNIZE: their syntax, and matching them with Trino's preference.

A pattern is a tuple tree: ``("var", name)``, ``("empty",)``, ``("start",)`` (``^``),
``("end",)`` (``$``), ``("concat", [..])``, ``("alt", [..])``, ``("permute", [..])``,
``("exclude", p)`` (``{- p -}``), ``("quant", p, min, max or None, greedy)``.

Matching follows Trino's documented semantics: of all the matches starting at a row the
*preferred* one is taken, preference being the leftmost alternative (``|``), the
lexicographic order of PERMUTE's components, and more repetitions for a greedy
quantifier (fewer for a reluctant one, ``*?``).  The pattern is compiled into a small
program and run as a Pike VM: threads in order of preference, one thread per program
point and row (the first to arrive is preferred, later equivalents are pruned, as
Trino's matcher prunes them), and a thread reaching the end cuts the threads it is
preferred to.  Conditions are the rows' DEFINE values, known beforehand
(``conditions[var][row]``), which is what makes pruning exact.
"""
from __future__ import annotations

import itertools
from typing import Callable

from ...errors import NotSupported

MAX_PERMUTE = 6          # PERMUTE of more components is 720+ alternatives
MAX_PROGRAM = 20_000     # {n,m} is expanded into copies


# -- syntax

def parse(text: str, error: Callable[[int, str], Exception]) -> tuple:
    """The pattern tree of PATTERN's text; `error(offset, message)` makes a syntax error."""
    tokens = _tokens(text, error)
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else (None, len(text), None)

    def take():
        nonlocal pos
        tok = peek()
        pos += 1
        return tok

    def alternation():
        items = [concatenation()]
        while peek()[0] == "|":
            take()
            items.append(concatenation())
        return items[0] if len(items) == 1 else ("alt", items)

    def concatenation():
        items = []
        while peek()[0] not in (None, "|", ")", "-}", ","):
            items.append(quantified())
        if not items:
            kind, offset, _ = peek()
            raise error(offset, f"mismatched input '{text[offset:offset + 1] or ')'}'")
        return items[0] if len(items) == 1 else ("concat", items)

    def quantified():
        node = primary()
        while peek()[0] == "quant":
            _, _, (lo, hi, greedy) = take()
            node = ("quant", node, lo, hi, greedy)
        return node

    def primary():
        kind, offset, value = take()
        if kind == "var":
            return ("var", value)
        if kind == "^":
            return ("start",)
        if kind == "$":
            return ("end",)
        if kind == "(":
            if peek()[0] == ")":
                take()
                return ("empty",)
            inner = alternation()
            expect(")")
            return inner
        if kind == "{-":
            if peek()[0] == "-}":
                take()
                return ("exclude", ("empty",))
            inner = alternation()
            expect("-}")
            return ("exclude", inner)
        if kind == "permute":
            expect("(")
            items = [alternation()]
            while peek()[0] == ",":
                take()
                items.append(alternation())
            expect(")")
            return ("permute", items)
        raise error(offset, f"mismatched input '{text[offset:offset + 1] or ')'}'")

    def expect(kind):
        got, offset, _ = take()
        if got != kind:
            raise error(offset, f"mismatched input '{text[offset:offset + 2].strip() or '<EOF>'}'. "
                                f"Expecting: '{kind}'")

    tree = alternation()
    if pos < len(tokens):
        _, offset, _ = tokens[pos]
        raise error(offset, f"mismatched input '{text[offset:offset + 1]}'")
    return tree


def _tokens(text: str, error) -> list[tuple[str, int, object]]:
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif text.startswith("{-", i):
            out.append(("{-", i, None))
            i += 2
        elif text.startswith("-}", i):
            out.append(("-}", i, None))
            i += 2
        elif c in "()|^$,":
            out.append((c, i, None))
            i += 1
        elif c in "*+?{":
            start = i
            if c == "{":
                close = text.find("}", i)
                if close < 0:
                    raise error(i, "mismatched input '{'")
                body = text[i + 1:close].replace(" ", "")
                i = close + 1
                try:
                    if "," in body:
                        lo_text, hi_text = body.split(",", 1)
                        lo = int(lo_text) if lo_text else 0
                        hi = int(hi_text) if hi_text else None
                    else:
                        lo = hi = int(body)
                except ValueError:
                    raise error(start, f"mismatched input '{text[start:close + 1]}'") from None
                if hi is not None and hi < lo:
                    raise error(start, "Pattern quantifier upper bound must be greater than or "
                                       "equal to lower bound")
            else:
                lo, hi = {"*": (0, None), "+": (1, None), "?": (0, 1)}[c]
                i += 1
            greedy = True
            if i < n and text[i] == "?":
                greedy = False
                i += 1
            out.append(("quant", start, (lo, hi, greedy)))
        elif c == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise error(i, "mismatched input '\"'")
            out.append(("var", i, text[i + 1:close]))
            i = close + 1
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i:j]
            rest = text[j:].lstrip()
            if word.upper() == "PERMUTE" and rest.startswith("("):
                out.append(("permute", i, None))
            else:
                out.append(("var", i, word.upper()))
            i = j
        else:
            raise error(i, f"mismatched input '{c}'")
    return out


def variables(tree: tuple) -> list[str]:
    """The primary pattern variables, in order of first appearance."""
    seen: list[str] = []

    def walk(node):
        kind = node[0]
        if kind == "var":
            if node[1] not in seen:
                seen.append(node[1])
        elif kind in ("concat", "alt", "permute"):
            for item in node[1]:
                walk(item)
        elif kind in ("exclude", "quant"):
            walk(node[1])
    walk(tree)
    return seen


def has_exclusion(tree: tuple) -> bool:
    kind = tree[0]
    if kind == "exclude":
        return True
    if kind in ("concat", "alt", "permute"):
        return any(has_exclusion(t) for t in tree[1])
    if kind == "quant":
        return has_exclusion(tree[1])
    return False


# -- program

CHAR, SPLIT, JMP, START, END, EXCL_IN, EXCL_OUT, MATCH = range(8)


def compile_pattern(tree: tuple) -> list[tuple]:
    """The pattern as instructions: (CHAR, var), (SPLIT, preferred, other), (JMP, to),
    (START,), (END,), (EXCL_IN,), (EXCL_OUT,), (MATCH,)."""
    prog: list[list] = []

    def emit(*ins) -> int:
        prog.append(list(ins))
        if len(prog) > MAX_PROGRAM:
            raise NotSupported("MATCH_RECOGNIZE: the pattern is too large (quantifier bounds "
                               "or PERMUTE expand past 20000 steps)")
        return len(prog) - 1

    def gen(node):
        kind = node[0]
        if kind == "var":
            emit(CHAR, node[1])
        elif kind == "empty":
            pass
        elif kind == "start":
            emit(START)
        elif kind == "end":
            emit(END)
        elif kind == "concat":
            for item in node[1]:
                gen(item)
        elif kind == "exclude":
            emit(EXCL_IN)
            gen(node[1])
            emit(EXCL_OUT)
        elif kind in ("alt", "permute"):
            items = node[1]
            if kind == "permute":
                if len(items) > MAX_PERMUTE:
                            raise NotSupported(f"MATCH_RECOGNIZE: PERMUTE of more than {MAX_PERMUTE} "
                                       "components is not supported")
                items = [("concat", list(p)) for p in itertools.permutations(items)]
            jumps = []
            for k, item in enumerate(items):
                if k < len(items) - 1:
                    split = emit(SPLIT, None, None)
                    prog[split][1] = len(prog)
                    gen(item)
                    jumps.append(emit(JMP, None))
                    prog[split][2] = len(prog)
                else:
                    gen(item)
            for j in jumps:
                prog[j][1] = len(prog)
        elif kind == "quant":
            _, body, lo, hi, greedy = node
            for _ in range(lo):
                gen(body)
            if hi is None:
                loop = emit(SPLIT, None, None)
                start = len(prog)
                gen(body)
                emit(JMP, loop)
                _order(prog[loop], start, len(prog), greedy)
            else:
                exits = []
                for _ in range(hi - lo):
                    split = emit(SPLIT, None, None)
                    exits.append(split)
                    start = len(prog)
                    gen(body)
                    prog[split][1] = start      # the exit is set below
                for split in exits:
                    _order(prog[split], prog[split][1], len(prog), greedy)
        else:        # pragma: no cover - the parser makes no other node
            raise ValueError(kind)
    gen(tree)
    emit(MATCH)
    return [tuple(i) for i in prog]


def _order(ins: list, body: int, out: int, greedy: bool) -> None:
    ins[1], ins[2] = (body, out) if greedy else (out, body)


# -- matching

class Matcher:
    """Finds the preferred match starting at a row of one partition."""

    def __init__(self, prog: list[tuple], conditions: dict[str, list[bool]], rows: int):
        self.prog, self.conditions, self.rows = prog, conditions, rows

    def match(self, start: int):
        """(end, path) of the preferred match starting at `start` (end exclusive; path a
        linked list ((row, var, excluded), rest) of the matched rows, last first), or None."""
        prog, n = self.prog, self.rows
        current: list = []
        self._add(current, set(), 0, start, None, 0)
        best = None
        pos = start
        while current:
            following: list = []
            seen: set = set()
            for pc, path, depth in current:
                ins = prog[pc]
                if ins[0] == MATCH:
                    best = (pos, path)
                    break             # the threads after this one are less preferred
                # CHAR
                if pos < n:
                    cond = self.conditions.get(ins[1])
                    if cond is None or cond[pos]:
                        self._add(following, seen, pc + 1, pos + 1,
                                  ((pos, ins[1], depth > 0), path), depth)
            current = following
            pos += 1
        return best

    def _add(self, threads: list, seen: set, pc: int, pos: int, path, depth: int) -> None:
        stack = [(pc, depth)]
        # an explicit stack, pushed in reverse so that the preferred branch is met first
        while stack:
            pc, depth = stack.pop()
            if pc in seen:
                continue
            seen.add(pc)
            ins = self.prog[pc]
            op = ins[0]
            if op == JMP:
                stack.append((ins[1], depth))
            elif op == SPLIT:
                stack.append((ins[2], depth))
                stack.append((ins[1], depth))
            elif op == START:
                if pos == 0:
                    stack.append((pc + 1, depth))
            elif op == END:
                if pos == self.rows:
                    stack.append((pc + 1, depth))
            elif op == EXCL_IN:
                stack.append((pc + 1, depth + 1))
            elif op == EXCL_OUT:
                stack.append((pc + 1, depth - 1))
            else:
                threads.append((pc, path, depth))


def path_rows(path) -> list[tuple[int, str, bool]]:
    """A match's rows in order: (row, var, excluded)."""
    out = []
    while path is not None:
        out.append(path[0])
        path = path[1]
    out.reverse()
    return out


class BacktrackingMatcher:
    """The same preference, found depth first: for DEFINE conditions that read the match so
    far (`condition(var, row, path)`), where threads at one program point are not
    equivalent and cannot be pruned.  Epsilon loops end where a branch meets a program
    point again without having consumed a row."""

    def __init__(self, prog: list[tuple], condition, rows: int):
        self.prog, self.condition, self.rows = prog, condition, rows

    def match(self, start: int):
        prog, n = self.prog, self.rows
        stack = [(0, start, None, 0, frozenset())]
        while stack:
            pc, pos, path, depth, seen = stack.pop()
            while True:
                if pc in seen:
                    break
                ins = prog[pc]
                op = ins[0]
                if op == MATCH:
                    return pos, path
                if op == CHAR:
                    if pos < n and self.condition(ins[1], pos, path):
                        path = ((pos, ins[1], depth > 0), path)
                        pos, pc, seen = pos + 1, pc + 1, frozenset()
                        continue
                    break
                seen = seen | {pc}
                if op == JMP:
                    pc = ins[1]
                elif op == SPLIT:
                    stack.append((ins[2], pos, path, depth, seen))
                    pc = ins[1]
                elif op == START:
                    if pos != 0:
                        break
                    pc += 1
                elif op == END:
                    if pos != n:
                        break
                    pc += 1
                elif op == EXCL_IN:
                    depth, pc = depth + 1, pc + 1
                else:       # EXCL_OUT
                    depth, pc = depth - 1, pc + 1
        return None
