"""Glue's partition `Expression` (GetPartitions, and GetTables names): parse and evaluate.

A partition Expression is a SQL-like predicate over the partition keys: =, <>, !=, <, <=, >,
>=, AND, OR, NOT, parentheses, IN, BETWEEN, LIKE, IS [NOT] NULL, with string and number
literals.  It is parsed with SQLGlot and compiled to a Python test over one partition's
values.  As Glue does, a value is compared as the type of its key: numerically for the
integer types, as a date for `date`, as text for the rest (`string`, `varchar`, ...);
LIKE takes `%` and `_`.  Anything else is an InvalidInputException naming what.
"""
from __future__ import annotations

import datetime
import re
from typing import Callable

import sqlglot
from sqlglot import exp

from ...catalog.model import Column
from .errors import InvalidInput

Test = Callable[[tuple[str, ...]], bool]
INTEGER_TYPES = ("tinyint", "smallint", "int", "integer", "bigint")
_COMPARISONS = {exp.EQ: lambda a, b: a == b, exp.NEQ: lambda a, b: a != b,
                exp.LT: lambda a, b: a < b, exp.LTE: lambda a, b: a <= b,
                exp.GT: lambda a, b: a > b, exp.GTE: lambda a, b: a >= b}
_FLIPPED = {exp.EQ: exp.EQ, exp.NEQ: exp.NEQ, exp.LT: exp.GT, exp.LTE: exp.GTE,
            exp.GT: exp.LT, exp.GTE: exp.LTE}


def partition_filter(expression: str | None, keys: list[Column]) -> Test:
    """A test over a partition's values (in key order) for a GetPartitions Expression."""
    if expression is None or not expression.strip():
        return lambda values: True
    try:
        tree = sqlglot.parse_one(expression, read="athena")
    except sqlglot.errors.ParseError as e:
        detail = e.errors[0]["description"] if e.errors else str(e)
        raise InvalidInput(f"Unsupported expression '{expression}': {detail}") from None
    return _Compiler(expression, keys).compile(tree)


class _Compiler:
    def __init__(self, text: str, keys: list[Column]):
        self.text = text
        self.index = {k.name: i for i, k in enumerate(keys)}
        self.types = {k.name: k.type for k in keys}

    def fail(self, what: str) -> InvalidInput:
        return InvalidInput(f"Unsupported expression '{self.text}': {what}")

    def compile(self, node: exp.Expression) -> Test:
        if isinstance(node, exp.Paren):
            return self.compile(node.this)
        if isinstance(node, exp.And):
            left, right = self.compile(node.left), self.compile(node.right)
            return lambda v: left(v) and right(v)
        if isinstance(node, exp.Or):
            left, right = self.compile(node.left), self.compile(node.right)
            return lambda v: left(v) or right(v)
        if isinstance(node, exp.Not):
            inner = self.compile(node.this)
            return lambda v: not inner(v)
        if type(node) in _COMPARISONS:
            return self._comparison(node)
        if isinstance(node, exp.In):
            key, read = self.key(node.this)
            options = {self.literal(e, key) for e in node.expressions}
            if node.args.get("query") is not None or not options:
                raise self.fail("IN needs a list of literals")
            return lambda v: read(v) in options
        if isinstance(node, exp.Between):
            key, read = self.key(node.this)
            low, high = self.literal(node.args["low"], key), self.literal(node.args["high"], key)
            return lambda v: low <= read(v) <= high
        if isinstance(node, exp.Like):
            key, read = self.key(node.this)
            if not isinstance(node.expression, exp.Literal) or not node.expression.is_string:
                raise self.fail("LIKE needs a string pattern")
            pattern = _like_regex(node.expression.name)
            i = self.index[key]
            return lambda v: pattern.fullmatch(v[i]) is not None
        if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
            self.key(node.this)
            return lambda v: False        # a partition value is never NULL
        raise self.fail(f"'{node.sql('athena')}' is not a comparison of a partition key")

    def _comparison(self, node: exp.Expression) -> Test:
        op, left, right = type(node), node.left, node.right
        if not isinstance(left, exp.Column) and isinstance(right, exp.Column):
            op, left, right = _FLIPPED[op], right, left
        key, read = self.key(left)
        value, compare = self.literal(right, key), _COMPARISONS[op]
        return lambda v: compare(read(v), value)

    def key(self, node: exp.Expression) -> tuple[str, Callable[[tuple[str, ...]], object]]:
        if not isinstance(node, exp.Column) or node.table:
            raise self.fail(f"expected a partition key, found '{node.sql('athena')}'")
        name = node.name.lower()
        if name not in self.index:
            raise self.fail(f"'{node.name}' is not a partition key "
                            f"(the keys are {', '.join(self.index) or 'none'})")
        i, convert = self.index[name], self.converter(name)
        return name, lambda values: convert(values[i])

    def literal(self, node: exp.Expression, key: str):
        if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
            text = "-" + node.this.name
        elif isinstance(node, exp.Literal):
            text = node.name
        else:
            raise self.fail(f"expected a literal, found '{node.sql('athena')}'")
        try:
            return self.converter(key)(text, strict=True)
        except ValueError:
            raise self.fail(f"'{text}' is not a value of key {key} ({self.types[key]})") from None

    def converter(self, key: str):
        """Text -> the comparable value of the key's type; an unreadable partition value
        compares as nothing matches (strict=False) rather than failing the whole listing."""
        kind = self.types[key].split("(")[0]
        if kind in INTEGER_TYPES:
            parse = int
        elif kind == "date":
            parse = datetime.date.fromisoformat
        else:
            return lambda text, strict=False: text

        def convert(text: str, strict: bool = False):
            try:
                return parse(text.strip())
            except ValueError:
                if strict:
                    raise
                return _Incomparable()
        return convert


class _Incomparable:
    """A partition value its key's type cannot read: equal to nothing, ordered with nothing."""
    def __eq__(self, other):
        return False

    def __ne__(self, other):
        return True

    __lt__ = __le__ = __gt__ = __ge__ = lambda self, other: False

    def __hash__(self):
        return 0


def _like_regex(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "%" else "." if c == "_" else re.escape(c)
                              for c in pattern), re.DOTALL)


def name_filter(expression: str | None) -> Callable[[str], bool]:
    """GetTables' Expression: a regular expression on table names, where a `*` that does not
    follow a `.` stands for any run of characters (awswrangler sends `*text*`); case-blind."""
    if not expression:
        return lambda name: True
    regex = re.sub(r"(?<!\.)\*", ".*", expression)
    try:
        compiled = re.compile(regex, re.IGNORECASE)
    except re.error as e:
        raise InvalidInput(f"Expression '{expression}' is not a valid regular expression: {e}") from None
    return lambda name: compiled.fullmatch(name) is not None
