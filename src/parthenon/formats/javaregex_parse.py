"""Parsing Java regular expressions into a small tree of RE2 text (see javaregex)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import NotSupported

_POSIX = {"Lower": "lower", "Upper": "upper", "ASCII": "ascii", "Alpha": "alpha", "Digit": "digit",
          "Alnum": "alnum", "Punct": "punct", "Graph": "graph", "Print": "print", "Blank": "blank",
          "Cntrl": "cntrl", "XDigit": "xdigit", "Space": "space"}
_H = r"\t \x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}"
_V = r"\n\x0B\f\r\x{85}\x{2028}\x{2029}"
_SIMPLE_ESCAPES = set("wWdDsSbBAtnrfa")


@dataclass
class Node:
    kind: str                      # lit, seq, alt, group, repeat, look
    text: str = ""                 # lit: RE2 text; group: opening '(' / '(?:' / '(?i:'; repeat: quantifier
    items: list["Node"] = field(default_factory=list)
    capture: int | None = None     # group: its number
    optional: bool = False         # repeat: can repeat zero times


def unsupported(what: str, pattern: str) -> NotSupported:
    return NotSupported(f"{what} in the regular expression is not supported by this engine "
                        f"(RE2 has no such construct): {pattern}")


class Parser:
    def __init__(self, pattern: str):
        self.p, self.i, self.groups = pattern, 0, 0
        self.names: dict[str, int] = {}

    def peek(self, n: int = 1) -> str:
        return self.p[self.i:self.i + n]

    def alt(self) -> Node:
        branches = [self.seq()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.seq())
        return branches[0] if len(branches) == 1 else Node("alt", items=branches)

    def seq(self) -> Node:
        items = []
        while self.i < len(self.p) and self.peek() not in ("|", ")"):
            atom = self.atom()
            items.append(self.quantified(atom) if atom.kind not in ("look",) else atom)
        return Node("seq", items=items)

    def quantified(self, atom: Node) -> Node:
        p = self.p
        while self.i < len(p) and p[self.i] in "*+?{":
            start = self.i
            if p[self.i] == "{":
                end = p.find("}", self.i)
                body = p[self.i + 1:end] if end > 0 else ""
                if end < 0 or not body.replace(",", "").isdigit() or body.startswith(","):
                    return atom    # not a quantifier: RE2 reads it as a literal too
                low = int(body.split(",")[0])
                self.i = end + 1
            else:
                low = 0 if p[self.i] in "*?" else 1
                self.i += 1
            if self.peek() == "+":
                raise unsupported(f"Possessive quantifier '{p[start:self.i + 1]}'", p)
            if self.peek() == "?":
                self.i += 1
            atom = Node("repeat", text=p[start:self.i], items=[atom], optional=low == 0)
        return atom

    def atom(self) -> Node:
        c = self.p[self.i]
        if c == "(":
            return self.group()
        if c == "[":
            return Node("lit", self.char_class())
        if c == "\\":
            return Node("lit", self.escape(in_class=False))
        self.i += 1
        return Node("lit", c)

    def group(self) -> Node:
        p, start = self.p, self.i
        self.i += 1
        opening = "("
        if self.peek() == "?":
            rest = p[self.i + 1:]
            if rest.startswith(("=", "!", "<=", "<!")):
                kind = rest[:2] if rest[0] == "<" else rest[0]
                if kind in ("<=", "<!"):
                    raise unsupported(f"Lookbehind '(?{kind}'", p)
                self.i += 1 + len(kind)
                body = self.alt()
                self.expect_close(start)
                return Node("look", text=kind, items=[body])
            if rest.startswith(">"):
                raise unsupported("Atomic group '(?>'", p)
            if rest.startswith("<"):
                end = p.index(">", self.i)
                self.groups += 1
                self.names.setdefault(p[self.i + 2:end], self.groups)
                self.i = end + 1
                return self.group_body(start, "(", self.groups)
            j = self.i + 1
            while j < len(p) and (p[j].isalpha() or p[j] == "-"):
                j += 1
            flags = p[self.i + 1:j]
            if "x" in flags:
                raise unsupported("Comments mode '(?x)'", p)
            kept = "".join(ch for ch in flags if ch in "ims-").rstrip("-")
            self.i = j + 1
            if j < len(p) and p[j] == ")":
                return Node("lit", f"(?{kept})" if kept.strip("-") else "")
            if j >= len(p) or p[j] != ":":
                raise NotSupported(f"Unknown group construct '(?{flags}{p[j:j + 1]}' in regular expression: {p}")
            opening = f"(?{kept}:" if kept.strip("-") else "(?:"
            return self.group_body(start, opening, None)
        self.groups += 1
        return self.group_body(start, "(", self.groups)

    def group_body(self, start: int, opening: str, capture: int | None) -> Node:
        body = self.alt()
        self.expect_close(start)
        return Node("group", text=opening, items=[body], capture=capture)

    def expect_close(self, start: int) -> None:
        if self.peek() != ")":
            raise NotSupported(f"Unclosed group at position {start} in regular expression: {self.p}")
        self.i += 1

    def char_class(self) -> str:
        p, out = self.p, ["["]
        self.i += 1
        if self.peek() == "^":
            out.append("^")
            self.i += 1
        if self.peek() == "]":
            out.append("\\]")
            self.i += 1
        while self.i < len(p) and p[self.i] != "]":
            if p.startswith("&&", self.i):
                raise unsupported("Character class intersection '&&'", p)
            if p[self.i] == "[":
                raise unsupported("Nested character class", p)
            if p[self.i] == "\\":
                out.append(self.escape(in_class=True))
            else:
                out.append(p[self.i])
                self.i += 1
        if self.i >= len(p):
            raise NotSupported(f"Unclosed character class in regular expression: {p}")
        self.i += 1
        return "".join(out) + "]"

    def escape(self, in_class: bool) -> str:
        p = self.p
        c = p[self.i + 1:self.i + 2]
        self.i += 2
        if c == "":
            raise NotSupported(f"Regular expression ends with a lone backslash: {p}")
        if c in _SIMPLE_ESCAPES or (not c.isalnum()):
            return "\\" + c
        if c in "123456789" or (c == "k" and self.peek() == "<"):
            raise unsupported(f"Backreference '\\{c}'", p)
        if c == "Q":
            end = p.find("\\E", self.i)
            end = len(p) if end < 0 else end
            text, self.i = p[self.i:end], min(len(p), end + 2)
            return "".join("\\" + ch if not ch.isalnum() else ch for ch in text)
        if c in "hH":
            return (f"[{'^' if c == 'H' else ''}{_H}]") if not in_class or c == "h" else _H_fail(p)
        if c in "vV":
            return (f"[{'^' if c == 'V' else ''}{_V}]") if not in_class or c == "v" else _H_fail(p)
        if c == "R" and not in_class:
            return f"(?:\\r\\n|[{_V}])"
        if c == "z":
            return "\\z"
        if c == "Z":
            return "$"
        if c == "e":
            return "\\x1B"
        if c == "c":
            ctrl, self.i = ord(p[self.i]) ^ 64, self.i + 1
            return f"\\x{ctrl:02X}"
        if c == "0":
            digits = ""
            while self.peek() in "01234567" and self.peek() and len(digits) < 3:
                digits, self.i = digits + self.peek(), self.i + 1
            return f"\\x{{{int(digits or '0', 8):X}}}"
        if c == "u":
            code, self.i = p[self.i:self.i + 4], self.i + 4
            return f"\\x{{{code}}}"
        if c == "x":
            if self.peek() == "{":
                end = p.index("}", self.i)
                code, self.i = p[self.i + 1:end], end + 1
            else:
                code, self.i = p[self.i:self.i + 2], self.i + 2
            return f"\\x{{{code}}}"
        if c in "pP":
            return self.property(c == "P", in_class)
        raise unsupported(f"Escape '\\{c}'", p)

    def property(self, negated: bool, in_class: bool) -> str:
        p = self.p
        if self.peek() == "{":
            end = p.index("}", self.i)
            name, self.i = p[self.i + 1:end], end + 1
        else:
            name, self.i = p[self.i], self.i + 1
        if name in _POSIX:
            inner = f"[:{'^' if negated else ''}{_POSIX[name]}:]"
            return inner if in_class else f"[{inner}]"
        for prefix in ("Is", "general_category=", "gc="):
            name = name[len(prefix):] if name.startswith(prefix) else name
        if name.startswith(("java", "In", "block=")):
            raise unsupported(f"Character property '\\p{{{name}}}'", p)
        return f"\\{'P' if negated else 'p'}{{{name}}}"


def _H_fail(pattern: str) -> str:
    raise unsupported("Negated whitespace class inside a character class", pattern)


__all__ = ["Node", "Parser", "unsupported"]
