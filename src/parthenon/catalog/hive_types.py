"""Hive column types: parse the DDL's type text and name it as Athena does.

Hive types arrive as text (`struct<arn:string,sessioncontext:struct<...>>`);
the formats need them as a tree to build read schemas, and results need
Athena's names for them (`varchar`, `row(arn varchar)`, `array(varchar)`).  This is
the one type model: each engine maps it to its own types (engine/duckdb/types.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InvalidDdl

_TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*|\d+|`[^`]+`|[<>(),:])")

# Hive's primitive type names (decimal, with its parameters, is parsed apart); each engine
# maps them to its own types (engine/duckdb/types.py).
PRIMITIVES = frozenset({
    "string", "varchar", "char", "boolean", "tinyint", "smallint", "int", "integer", "bigint",
    "float", "real", "double", "date", "timestamp", "binary",
})
_ATHENA_PRIMITIVES = {
    "string": "varchar", "varchar": "varchar", "char": "char", "boolean": "boolean",
    "tinyint": "tinyint", "smallint": "smallint", "int": "integer", "integer": "integer",
    "bigint": "bigint", "float": "real", "real": "real", "double": "double",
    "date": "date", "timestamp": "timestamp", "binary": "varbinary", "decimal": "decimal",
}


@dataclass
class HiveType:
    name: str                                   # string, struct, array, map, decimal, ...
    params: list[int] = field(default_factory=list)            # decimal(p,s), varchar(n)
    fields: list[tuple[str, "HiveType"]] = field(default_factory=list)  # struct fields
    items: list["HiveType"] = field(default_factory=list)      # array<item>, map<key,value>

    def hive(self) -> str:
        """Normalized Hive text: lower case, no spaces."""
        if self.name == "struct":
            return "struct<" + ",".join(f"{n}:{t.hive()}" for n, t in self.fields) + ">"
        if self.name in ("array", "map"):
            return f"{self.name}<" + ",".join(t.hive() for t in self.items) + ">"
        if self.params:
            return f"{self.name}(" + ",".join(map(str, self.params)) + ")"
        return self.name

    def athena(self) -> str:
        if self.name == "struct":
            return "row(" + ", ".join(f"{n} {t.athena()}" for n, t in self.fields) + ")"
        if self.name == "array":
            return f"array({self.items[0].athena()})"
        if self.name == "map":
            return f"map({self.items[0].athena()}, {self.items[1].athena()})"
        return _ATHENA_PRIMITIVES[self.name]

    @property
    def is_nested(self) -> bool:
        return self.name in ("struct", "array", "map")


def parse_hive_type(text: str) -> HiveType:
    raw = _TOKEN.findall(text)
    if "".join(raw) != re.sub(r"\s+", "", text):   # a character no token accepts
        raise InvalidDdl(f"Invalid type: {text}")
    tokens = [t.strip("`") if t.startswith("`") else t.lower() for t in raw]
    pos = 0

    def expect(tok: str) -> None:
        nonlocal pos
        if pos >= len(tokens) or tokens[pos] != tok:
            got = tokens[pos] if pos < len(tokens) else "end of type"
            raise InvalidDdl(f"Invalid type {text!r}: expected '{tok}' but found '{got}'")
        pos += 1

    def parse() -> HiveType:
        nonlocal pos
        if pos >= len(tokens):
            raise InvalidDdl(f"Invalid type {text!r}: incomplete")
        name = tokens[pos].lower()
        pos += 1
        if name == "struct":
            expect("<")
            fields = []
            while True:
                fname = tokens[pos].lower()
                pos += 1
                expect(":")
                fields.append((fname, parse()))
                if tokens[pos] == ",":
                    pos += 1
                    continue
                expect(">")
                return HiveType("struct", fields=fields)
        if name in ("array", "map"):
            expect("<")
            items = [parse()]
            if name == "map":
                expect(",")
                items.append(parse())
            expect(">")
            return HiveType(name, items=items)
        if name not in PRIMITIVES and name != "decimal":
            raise InvalidDdl(f"Unknown type '{name}' in {text!r}")
        params = []
        if pos < len(tokens) and tokens[pos] == "(":
            pos += 1
            while tokens[pos] != ")":
                if tokens[pos] != ",":
                    params.append(int(tokens[pos]))
                pos += 1
            pos += 1
        return HiveType(name, params=params)

    result = parse()
    if pos != len(tokens):
        raise InvalidDdl(f"Invalid type {text!r}: unexpected '{tokens[pos]}'")
    return result
