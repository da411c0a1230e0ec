"""Java regular expressions (as Hive's RegexSerDe reads them) for the engine's RE2.

Most of Java's syntax means the same in RE2.  Translated here: named groups
`(?<n>...)`, `\\Q...\\E`, `\\h \\v \\R \\e \\Z \\uXXXX \\0oct \\cX`, the POSIX
`\\p{Alpha}`-style classes, Java's flag letters.  RE2 has no lookaround,
backreferences, atomic groups or possessive quantifiers: those raise
NOT_SUPPORTED naming the construct, except a lookahead at the very start of
the pattern (the Athena guide's CloudFront example starts with `^(?!#)`),
which becomes a separate test on the line.

The pattern is parsed into a small tree so that each capture group's
*participation* can be tested: RE2 through the engine returns '' both for a
group that matched nothing and for one that did not take part, where Java
returns null.  `participation(i)` gives regexes that match exactly when
group i takes part (its optional enclosing constructs made mandatory).
"""
from __future__ import annotations

from ..errors import NotSupported
from .javaregex_parse import Node, Parser, unsupported


def _emit(node: Node, overrides: dict[int, object]) -> str:
    kind = node.kind
    if kind == "lit":
        return node.text
    if kind == "seq":
        return "".join(_emit(n, overrides) for n in node.items)
    if kind == "alt":
        chosen = overrides.get(id(node))
        branches = node.items if chosen is None else [node.items[j] for j in chosen]
        return "|".join(_emit(n, overrides) for n in branches)
    if kind == "group":
        return node.text + _emit(node.items[0], overrides) + ")"
    if kind == "repeat":
        body = _emit(node.items[0], overrides)
        if node.items[0].kind != "group":
            body = f"(?:{body})"
        quant = node.text
        if overrides.get(id(node)) == "mandatory":
            quant = _mandatory(quant)
        return body + quant
    raise unsupported("Lookahead '(?" + node.text + "' (other than at the start)", "")


def _mandatory(quant: str) -> str:
    lazy = "?" if len(quant) > 1 and quant.endswith("?") and quant[0] != "?" else ""
    core = quant[:-1] if lazy else quant
    if core in ("?", "??"):
        return ""
    if core == "*":
        return "+" + lazy
    if core.startswith("{"):
        body = core[1:-1].split(",")
        body[0] = "1" if body[0] == "0" else body[0]
        if len(body) > 1 and body[1] == "0":
            return "{0}"
        return "{" + ",".join(body) + "}" + lazy
    return quant


class JavaRegex:
    """A Java regex for full-line matching in RE2: `full` is anchored at both ends."""

    def __init__(self, pattern: str, case_insensitive: bool = False):
        parser = Parser(pattern)
        root = parser.alt()
        if parser.i != len(pattern):
            raise NotSupported(f"Unmatched ')' at position {parser.i} in regular expression: {pattern}")
        self.pattern, self.root, self.groups = pattern, root, parser.groups
        self.names = parser.names        # named group -> number
        self.flags = "(?i)" if case_insensitive else ""
        self.lookaheads: list[tuple[bool, str]] = []   # (must match, RE2 prefix regex)
        items = root.items if root.kind == "seq" else [root]
        while items and items[0].kind == "lit" and items[0].text == "^":
            items = items[1:]
        while items and items[0].kind == "look":
            look = items.pop(0)
            self.lookaheads.append((look.text == "=", self.wrap(_emit(look.items[0], {}), end=False)))
            root.items.remove(look)
        self._check(root)
        self.full = self.wrap(_emit(root, {}))

    def wrap(self, body: str, end: bool = True) -> str:
        return f"^{self.flags}(?:{body}){'$' if end else ''}"

    def body(self) -> str:
        return _emit(self.root, {})

    def _check(self, node: Node) -> None:
        if node.kind == "look":
            raise unsupported(f"Lookahead '(?{node.text}' (other than at the start of the pattern)",
                               self.pattern)
        for child in node.items:
            self._check(child)

    def participation(self, group: int) -> tuple[list[str], list[str]]:
        """(must match, must not match): regexes deciding that `group` took part in the match."""
        path = _path_to(self.root, group) or []
        musts, nots, overrides = [], [], {}
        for node, child in path:
            if node.kind == "repeat" and node.optional:
                overrides[id(node)] = "mandatory"
            elif node.kind == "alt":
                j = next(k for k, b in enumerate(node.items) if b is child)
                overrides[id(node)] = [j]
                if j:
                    nots.append(self.wrap(_emit(self.root, {id(node): list(range(j))})))
        if overrides:
            musts.append(self.wrap(_emit(self.root, overrides)))
        return musts, nots


def _path_to(node: Node, group: int) -> list[tuple[Node, Node]] | None:
    if node.kind == "group" and node.capture == group:
        return []
    for child in node.items:
        rest = _path_to(child, group)
        if rest is not None:
            return [(node, child), *rest]
    return None


__all__ = ["JavaRegex"]
