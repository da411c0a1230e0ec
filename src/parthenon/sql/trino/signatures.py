"""Trino's function signatures, as its SHOW FUNCTIONS prints them.

The rows live in ``signatures.tsv`` beside this module (its header says where they come
from): one row per signature, with Trino's own type text (``varchar(x)``, ``array(e)``,
``decimal(p,s)``), function type, determinism and description.  ``show_function_rows``
answers SHOW FUNCTIONS: every function Parthenon runs (``functions.listed_functions``),
one row per recorded signature; a function with no recorded signature gets one row with
empty types, its kind and determinism from ``functions``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from .functions import listed_functions


@dataclass(frozen=True)
class Signature:
    name: str
    return_type: str
    argument_types: str
    kind: str               # scalar | aggregate | window
    deterministic: bool
    description: str

    def row(self) -> tuple[str, str, str, str, str, str]:
        """The SHOW FUNCTIONS row: Function, Return Type, Argument Types, Function Type,
        Deterministic, Description."""
        return (self.name, self.return_type, self.argument_types, self.kind,
                "true" if self.deterministic else "false", self.description)


@functools.lru_cache(maxsize=None)
def signatures() -> dict[str, tuple[Signature, ...]]:
    """Function name -> its signatures, in the order SHOW FUNCTIONS lists them."""
    found: dict[str, list[Signature]] = {}
    text = resources.files(__package__).joinpath("signatures.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, ret, args, kind, deterministic, description = line.split("\t")
        found.setdefault(name, []).append(
            Signature(name, ret, args, kind, deterministic == "true", description))
    return {name: tuple(sigs) for name, sigs in found.items()}


def show_function_rows() -> list[tuple[str, str, str, str, str, str]]:
    """SHOW FUNCTIONS' rows for every function Parthenon runs, by name."""
    recorded = signatures()
    rows = []
    for name, kind, deterministic in listed_functions():
        sigs = recorded.get(name)
        if sigs:
            rows.extend(s.row() for s in sigs)
        else:
            rows.append(Signature(name, "", "", kind, deterministic, "").row())
    return rows
